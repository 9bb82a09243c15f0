import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.core.models import AuditEntry
from dangvu.members import selectors as sel
from dangvu.members import services as msvc
from dangvu.members.models import Member, Membership, Status, StatusChange, Transfer, TransferState
from dangvu.organizations import services as osvc
from tests.conftest import decision

pytestmark = pytest.mark.django_db


def errors_of(fn, *a, **kw) -> dict:
    with pytest.raises(DomainError) as e:
        fn(*a, **kw)
    return e.value.errors


def test_create_stores_nfc_keys_history_and_audit(add, admin_user):
    import unicodedata

    m = add(full_name=unicodedata.normalize("NFD", "  Nguyễn   Văn Đức "), card_number="01.000009")
    m.refresh_from_db()
    assert m.full_name == "Nguyễn Văn Đức" and unicodedata.is_normalized("NFC", m.full_name)
    assert m.search_text.startswith("nguyen van duc") and "01.000009" in m.search_text
    assert m.status == Status.OFFICIAL and m.org.code == "C1-T1" and m.org_path == m.org.path
    assert [(s.status, s.valid_from, s.valid_to) for s in m.status_history.all()] == [
        ("probationary", dt.date(2005, 3, 2), dt.date(2006, 3, 2)),
        ("official", dt.date(2006, 3, 2), None),
    ]
    ms = m.memberships.get()
    assert (ms.organisation.code, ms.valid_from, ms.valid_to) == ("C1-T1", dt.date(2010, 1, 1), None)
    entry = AuditEntry.objects.get(action="member.create", object_id=str(m.pk))
    assert entry.user == admin_user and entry.after["full_name"] == "Nguyễn Văn Đức"


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"birth_date": dt.date(2099, 1, 1)}, "birth_date", "không được sau ngày hôm nay"),
        ({"official_on": dt.date(2005, 1, 1)}, "official_on", "không được trước ngày vào Đảng"),
        ({"official_on": dt.date(2005, 9, 1)}, "official_on", "chưa đủ 12 tháng dự bị"),
        ({"birth_date": dt.date(1988, 1, 1)}, "admitted_on", "khi đó mới 17 tuổi"),
        ({"full_name": "  "}, "full_name", "bắt buộc"),
        ({"citizen_id": "12345"}, "citizen_id", "12 chữ số"),
        ({"sex": "x"}, "sex", "không nằm trong danh sách"),
        ({"general_education": "12"}, "general_education", "9/12"),
    ],
)
def test_bad_profiles_are_refused_with_a_field_message(add, changes, field, fragment):
    errors = errors_of(add, **changes)
    assert fragment in errors[field]
    assert Member.objects.count() == 0 and Membership.objects.count() == 0


def test_identifiers_are_unique_and_the_message_names_the_holder(add):
    add(card_number="01.000001", citizen_id="010080000001", badge_number="HH-1")
    errors = errors_of(add, full_name="Lê Văn Bình", card_number="01.000001", citizen_id="010080000001")
    assert errors["card_number"] == "Số thẻ đảng viên «01.000001» đã thuộc về đảng viên «Nguyễn Văn Đức»."
    assert "citizen_id" in errors
    assert Member.objects.count() == 1


def test_members_only_in_open_cells(add, tree, admin_user):
    errors = errors_of(add, "C1")
    assert "là đảng bộ" in errors["org"]


def test_secretary_of_another_cell_cannot_see_or_edit(people, tree, django_user_model, admin_user):
    from dangvu.accounts.services import grant_create
    from dangvu.core.errors import NotFound

    sec = django_user_model.objects.create_user("bithu", password="x-very-long-pass")
    grant_create(user=sec, organisation=tree["C2-T1"], role="secretary", by=admin_user)
    with pytest.raises(NotFound):
        sel.member_get(sec, people["duc"].pk)
    assert {m.full_name for m in sel.member_list(sec)} == {"Giàng A Páo", "Vàng Thị Mỷ"}
    with pytest.raises(NotFound):
        msvc.member_exempt(by=sec, member=people["duc"], on=dt.date(2026, 1, 5), reason="ốm")
    viewer = django_user_model.objects.create_user("xem", password="x-very-long-pass")
    grant_create(user=viewer, organisation=tree["C2-T1"], role="viewer", by=admin_user)
    with pytest.raises(osvc.Forbidden):
        msvc.member_update(by=viewer, member=people["khe"], data={"phone": "0912"})


def test_list_filters_sort_and_search(people, admin_user, tree):
    everyone = [m.full_name for m in sel.member_list(admin_user, org=tree["C1"])]
    # Vietnamese order by given name, then middle, then family name: An, Ánh, Dung, Đức, Hòa
    assert everyone == ["Lò Văn An", "Phạm Minh Ánh", "Trần Thị Dung", "Nguyễn Văn Đức", "Đặng Thị Hòa"]
    f = sel.Filters
    assert [m.full_name for m in sel.member_list(admin_user, f=f(q="nguyen van duc"))] == ["Nguyễn Văn Đức"]
    assert [m.full_name for m in sel.member_list(admin_user, f=f(q="DANG thi hoa"))] == ["Đặng Thị Hòa"]
    assert [m.full_name for m in sel.member_list(admin_user, f=f(q="01.000003"))] == ["Giàng A Páo"]
    assert [m.full_name for m in sel.member_list(admin_user, f=f(q="0100800"))] == ["Nguyễn Văn Đức"]
    assert {m.full_name for m in sel.member_list(admin_user, f=f(sex="nu"))} == {
        "Đặng Thị Hòa",
        "Trần Thị Dung",
        "Vàng Thị Mỷ",
    }
    assert [m.full_name for m in sel.member_list(admin_user, f=f(ethnicity="Tày"))] == ["Lò Văn An"]
    assert [m.full_name for m in sel.member_list(admin_user, f=f(theory="trung-cap"))] == ["Phạm Minh Ánh"]
    assert [m.full_name for m in sel.member_list(admin_user, f=f(age="tu-60"))] == ["Lò Văn An"]
    assert [m.full_name for m in sel.member_list(admin_user, f=f(party_age="40-50"))] == ["Lò Văn An"]
    assert [m.full_name for m in sel.member_list(admin_user, f=f(status="probationary"))] == ["Trần Thị Dung"]
    assert sel.counts_by_status(admin_user, tree["C1"]) == {"official": 4, "probationary": 1}


def test_recognition_needs_twelve_months(people, admin_user):
    dung = people["dung"]
    errors = errors_of(msvc.member_recognise, by=admin_user, member=dung, on=dt.date(2026, 6, 1))
    assert "chưa đủ 12 tháng" in errors["official_on"]
    with pytest.raises(DomainError):
        msvc.member_recognise(by=admin_user, member=people["duc"], on=dt.date(2026, 6, 1))


def test_exemption_needs_a_reason_and_resume_restores_the_rank(people, admin_user):
    duc = people["duc"]
    assert (
        "lý do"
        in errors_of(msvc.member_exempt, by=admin_user, member=duc, on=dt.date(2026, 1, 5), reason=" ")[
            "reason"
        ]
    )
    msvc.member_exempt(by=admin_user, member=duc, on=dt.date(2026, 1, 5), reason="Điều trị bệnh dài ngày")
    assert duc.status == Status.EXEMPT
    msvc.member_resume(by=admin_user, member=duc, on=dt.date(2026, 6, 1))
    duc.refresh_from_db()
    assert duc.status == Status.OFFICIAL
    assert [s.status for s in duc.status_history.all()] == ["probationary", "official", "exempt", "official"]
    assert (
        AuditEntry.objects.filter(
            object_id=str(duc.pk), action__in=["member.exempt", "member.resume"]
        ).count()
        == 2
    )


def test_transfer_within_the_system_is_pending_then_one_move(people, admin_user, tree):
    duc = people["duc"]
    req = msvc.TransferRequest(
        kind="official",
        reason="Chuyển nơi cư trú",
        event_on=dt.date(2026, 2, 2),
        letter_on=dt.date(2026, 2, 10),
        letter_number="12-GGT/ĐU",
        to_org=tree["C2-T1"],
    )
    t = msvc.transfer_out(by=admin_user, member=duc, req=req)
    assert t.state == TransferState.PENDING
    # 60 working days from Mon 02/02/2026 skip weekends, the lunar new year (16–20/02/2026), the Hùng Kings
    # day observed on 27/04 and 30/04–01/05.
    assert t.start_deadline == dt.date(2026, 5, 7)
    assert t.present_deadline == dt.date(2026, 3, 31)
    from dangvu.core.rules import version

    assert t.rules_from == version("members.transfer", dt.date(2026, 2, 2))  # the deadlines' rules, kept
    duc.refresh_from_db()
    assert duc.org.code == "C1-T1"  # still home until received
    msvc.transfer_receive(by=admin_user, transfer=t, on=dt.date(2026, 3, 2))
    duc.refresh_from_db()
    assert duc.org.code == "C2-T1" and duc.org_path == tree["C2-T1"].path
    assert Membership.objects.filter(member=duc, valid_to__isnull=True).count() == 1
    # the register of each organisation, on dates before and after
    before, after = dt.date(2026, 3, 1), dt.date(2026, 3, 2)
    assert duc.pk in {ms.member_id for ms in sel.org_register(admin_user, tree["C1-T1"], before)}
    assert duc.pk not in {ms.member_id for ms in sel.org_register(admin_user, tree["C1-T1"], after)}
    assert duc.pk in {ms.member_id for ms in sel.org_register(admin_user, tree["C2-T1"], after)}
    assert [
        m.pk
        for m in sel.member_list(admin_user, org=tree["C1"], f=sel.Filters(as_of=before))
        if m.pk == duc.pk
    ] == [duc.pk]
    with pytest.raises(DomainError):
        msvc.transfer_receive(by=admin_user, transfer=t, on=dt.date(2026, 3, 3))


def test_transfer_refusals(people, admin_user, tree):
    duc = people["duc"]

    def req(**kw):
        base = dict(
            kind="official",
            reason="Chuyển công tác",
            event_on=dt.date(2026, 2, 2),
            letter_on=dt.date(2026, 2, 10),
            to_org=tree["C2-T1"],
        )
        base.update(kw)
        return msvc.TransferRequest(**base)

    assert (
        "trùng"
        in errors_of(msvc.transfer_out, by=admin_user, member=duc, req=req(to_org=tree["C1-T1"]))["to_org"]
    )
    osvc.org_dissolve(by=admin_user, org=tree["A"], decision=decision(2024, 6, 1))
    tree["A"].refresh_from_db()
    assert (
        "chấm dứt"
        in errors_of(msvc.transfer_out, by=admin_user, member=duc, req=req(to_org=tree["A"]))["to_org"]
    )
    assert (
        "lý do"
        in errors_of(msvc.transfer_out, by=admin_user, member=duc, req=req(reason=""))["reason"].lower()
    )
    assert (
        "trước ngày phát sinh"
        in errors_of(msvc.transfer_out, by=admin_user, member=duc, req=req(letter_on=dt.date(2026, 1, 10)))[
            "letter_on"
        ]
    )
    temp = req(kind="temporary", letter_on=dt.date(2026, 2, 10), until=dt.date(2026, 4, 1))
    assert (
        "từ 3 tháng đến dưới 12 tháng"
        in errors_of(msvc.transfer_out, by=admin_user, member=duc, req=temp)["until"]
    )
    year = req(kind="temporary", until=dt.date(2027, 2, 10))
    assert "until" in errors_of(msvc.transfer_out, by=admin_user, member=duc, req=year)
    assert Transfer.objects.count() == 0 and StatusChange.objects.filter(member=duc).count() == 2


def test_temporary_transfer_keeps_the_member_at_home(people, admin_user, tree):
    duc = people["duc"]
    msvc.transfer_out(
        by=admin_user,
        member=duc,
        req=msvc.TransferRequest(
            kind="study",
            reason="Học đại học tại chức",
            event_on=dt.date(2026, 1, 5),
            letter_on=dt.date(2026, 1, 5),
            to_org=tree["C2-T1"],
            until=dt.date(2027, 12, 31),
        ),
    )
    duc.refresh_from_db()
    assert duc.status == Status.TEMP_AWAY and duc.org.code == "C1-T1" and duc.host_org.code == "C2-T1"
    assert sel.counts_by_status(admin_user, tree["C1-T1"])["temp_away"] == 1
    assert "temp_away" not in sel.counts_by_status(admin_user, tree["C2-T1"])
    assert [g.full_name for g in sel.guests(admin_user, tree["C2-T1"])] == ["Nguyễn Văn Đức"]
    msvc.member_resume(by=admin_user, member=duc, on=dt.date(2026, 9, 1))
    duc.refresh_from_db()
    assert duc.status == Status.OFFICIAL and duc.host_org is None


def test_leaving_keeps_the_record_with_the_organisation(people, admin_user, tree):
    an = people["an"]
    msvc.member_leave(by=admin_user, member=an, status=Status.DECEASED, on=dt.date(2026, 4, 1))
    an.refresh_from_db()
    assert an.status == Status.DECEASED and an.org.code == "C1-T1" and an.left_on == dt.date(2026, 4, 1)
    assert an.pk not in {m.pk for m in sel.member_list(admin_user, org=tree["C1-T1"])}
    assert an.pk in {
        m.pk for m in sel.member_list(admin_user, org=tree["C1-T1"], f=sel.Filters(status="left"))
    }
    assert (
        "lý do"
        in errors_of(
            msvc.member_leave,
            by=admin_user,
            member=people["hoa"],
            status=Status.STRUCK_OFF,
            on=dt.date(2026, 4, 1),
            reason="",
        )["reason"].lower()
    )


def test_merge_moves_members_and_records_the_decision(people, admin_user, tree):
    event = osvc.org_merge(
        by=admin_user,
        sources=[tree["C1-T1"], tree["C1-T2"]],
        new_target=osvc.NewOrg("C1-T9", "Chi bộ thôn Nà Lộc – Đồng Tâm", tree["C1-T1"].type, tree["C1"]),
        decision=decision(2026, 1, 1),
    )
    target = event.links.get(role="target").organisation
    assert Member.objects.filter(org=target).count() == 5
    ms = Membership.objects.get(member=people["duc"], valid_to__isnull=True)
    assert ms.organisation == target and ms.start_event == event and ms.start_reason == "merge"
    old = Membership.objects.get(member=people["duc"], organisation=tree["C1-T1"])
    assert old.valid_to == dt.date(2026, 1, 1) and old.end_event == event
    # the closed cell keeps its past members
    assert len(sel.org_register(admin_user, tree["C1-T1"], dt.date(2025, 12, 31))) == 5
    assert len(sel.org_register(admin_user, tree["C1-T1"], dt.date(2026, 1, 1))) == 0


def test_merge_into_a_committee_refused_and_split_needs_every_member(people, admin_user, tree, types):
    with pytest.raises(DomainError) as e:
        osvc.org_merge(
            by=admin_user, sources=[tree["C2-T1"]], target=tree["C1"], decision=decision(2026, 1, 1)
        )
    assert "không trực tiếp quản lý đảng viên" in e.value.message
    targets = [
        osvc.NewOrg("C2-T8", "Chi bộ thôn Khe Bàn 1", types["cbtt-thon"]),
        osvc.NewOrg("C2-T9", "Chi bộ thôn Khe Bàn 2", types["cbtt-thon"]),
    ]
    with pytest.raises(DomainError) as e:
        osvc.org_split(
            by=admin_user, source=tree["C2-T1"], targets=targets, assignment={}, decision=decision(2026, 1, 1)
        )
    assert "Hãy chọn tổ chức đích cho đảng viên" in e.value.message
    event = osvc.org_split(
        by=admin_user,
        source=tree["C2-T1"],
        targets=targets,
        assignment={},
        held_assignment={"member": {people["khe"].pk: 0, people["vo"].pk: 1}},
        decision=decision(2026, 1, 1),
    )
    assert Member.objects.get(pk=people["khe"].pk).org.code == "C2-T8"
    assert Member.objects.get(pk=people["vo"].pk).org.code == "C2-T9"
    assert Membership.objects.filter(start_event=event).count() == 2


def test_dissolving_a_cell_with_members_needs_a_receiver(people, admin_user, tree):
    with pytest.raises(DomainError) as e:
        osvc.org_dissolve(by=admin_user, org=tree["C2-T1"], decision=decision(2026, 1, 1))
    assert "còn 2 đảng viên" in e.value.message
    osvc.org_dissolve(
        by=admin_user, org=tree["C2-T1"], transfer_to=tree["C1-T2"], decision=decision(2026, 1, 1)
    )
    assert set(Member.objects.filter(org=tree["C1-T2"]).values_list("full_name", flat=True)) == {
        "Giàng A Páo",
        "Vàng Thị Mỷ",
    }


def test_moving_a_commune_rewrites_member_paths(people, admin_user, tree):
    osvc.org_move(by=admin_user, org=tree["C1-T1"], new_parent=tree["C2"], decision=decision(2026, 1, 1))
    duc = Member.objects.get(pk=people["duc"].pk)
    assert duc.org_path == duc.org.path != people["duc"].org_path
    assert duc.org_path.startswith(tree["C2"].path)
    assert sel.counts_by_status(admin_user, tree["C2"])["official"] == 6


def test_committee_size_rule_and_monitor(people, admin_user, tree, add):
    cell = tree["C1-T1"]
    term = msvc.term_create(by=admin_user, org=cell, name="2025–2030", starts_on=dt.date(2025, 6, 1))
    msvc.seat_assign(by=admin_user, term=term, member=people["duc"], role="secretary")
    msvc.seat_assign(by=admin_user, term=term, member=people["hoa"], role="deputy")
    # four official members: a secretary and at most one deputy, no cell committee
    assert (
        "chỉ bầu Bí thư"
        in errors_of(msvc.seat_assign, by=admin_user, term=term, member=people["an"], role="member")["role"]
    )
    assert (
        "tối đa một Phó Bí thư"
        in errors_of(msvc.seat_assign, by=admin_user, term=term, member=people["an"], role="deputy")["role"]
    )
    assert (
        "không sinh hoạt"
        in errors_of(msvc.seat_assign, by=admin_user, term=term, member=people["khe"], role="deputy")[
            "member"
        ]
    )
    # a new secretary replaces the previous one
    msvc.seat_assign(
        by=admin_user, term=term, member=people["an"], role="secretary", valid_from=dt.date(2026, 1, 1)
    )
    assert sel.leadership(cell)["secretary"] == people["an"]
    # nine official members: a committee of at most seven
    for i in range(6):
        add(full_name=f"Hoàng Văn Sơn {i}", citizen_id=f"01008000010{i}")
    for m in Member.objects.filter(org=cell).exclude(pk__in=[people["an"].pk, people["hoa"].pk])[:5]:
        if m.status == "official":
            msvc.seat_assign(by=admin_user, term=term, member=m, role="member")
    extra = Member.objects.filter(org=cell, status="official", seats__isnull=True).first()
    assert (
        "tối đa 7"
        in errors_of(msvc.seat_assign, by=admin_user, term=term, member=extra, role="member")["role"]
    )
    # monitor: must hold a seat in a committee above
    commune_term = msvc.term_create(
        by=admin_user, org=tree["C1"], name="2025–2030", starts_on=dt.date(2025, 7, 1)
    )
    assert (
        "cấp ủy viên của một tổ chức cấp trên"
        in errors_of(
            msvc.monitor_assign,
            by=admin_user,
            org=cell,
            monitor=people["khe"],
            valid_from=dt.date(2025, 8, 1),
        )["monitor"]
    )
    msvc.seat_assign(by=admin_user, term=commune_term, member=people["hoa"], role="standing")
    # a commune committee member follows a cell other than her own (QĐ 776-QĐ/TU)
    assert "chi bộ khác chi bộ mình" in errors_of(
        msvc.monitor_assign, by=admin_user, org=cell, monitor=people["hoa"], valid_from=dt.date(2025, 8, 1)
    )["monitor"]
    other = add("C1-T2", full_name="Lương Văn Tâm", citizen_id="010080000201")
    msvc.seat_assign(by=admin_user, term=commune_term, member=other, role="member")
    msvc.monitor_assign(by=admin_user, org=cell, monitor=other, valid_from=dt.date(2025, 8, 1))
    assert sel.leadership(cell)["monitor"].monitor == other
