"""Discipline as the rules of its date judge it: who may decide which form, probationary members, the vote, the
limitation period and its restart, deferral; its effects through the member services (expulsion, removal from
post, the CV's line), appeals within their days, annulment with the restoration of QĐ 117, and what the
evaluations read."""

import datetime as dt

import pytest

from dangvu.core.dates import today
from dangvu.core.errors import Conflict, DomainError, Forbidden
from dangvu.core.models import AuditEntry
from dangvu.evaluations import selectors as esel
from dangvu.evaluations import services as esvc
from dangvu.inspection import rules as ir
from dangvu.inspection import services as svc
from dangvu.inspection.models import Discipline
from dangvu.members import services as msvc
from dangvu.members.models import EntryKind, ProfileEntry, Seat, Status

from .conftest import case, decision

pytestmark = pytest.mark.django_db


def test_a_cell_reprimands_its_member_and_the_cv_and_evaluation_see_it(admin_user, tree, people):
    d = case(admin_user, tree["C1-T1"], people["duc"])
    svc.discipline_decide(by=admin_user, discipline=d, x=decision())
    d.refresh_from_db()
    assert d.state == "decided" and d.number == "01-QĐ/CB"  # the cell's register numbers it
    line = ProfileEntry.objects.get(member=people["duc"], kind=EntryKind.DISCIPLINE)
    assert line.start == dt.date(2026, 6, 10) and "Khiển trách" in line.description and line.decision_number == d.number
    assert d.limitation_until == dt.date(2031, 3, 1)  # 5 years from the act
    # the evaluation of 2026 reads the record: the member is disciplined in the period, capped
    r = esvc.review_open(by=admin_user, year=2026, member=people["duc"])
    assert esvc.disciplined(r) == 1
    assert esel.disciplined_count(tree["C1"].path, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 1
    assert esel.disciplined_count(tree["C1"].path, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 0
    assert AuditEntry.objects.filter(action="inspection.discipline_decide", object_id=str(d.pk)).exists()


def test_a_cell_cannot_expel_or_remove_and_says_what_it_may(admin_user, tree, people):
    d = case(admin_user, tree["C1-T1"], people["duc"], gravity="expulsion")
    with pytest.raises(DomainError) as e:
        svc.discipline_decide(by=admin_user, discipline=d, x=decision("expulsion", votes_for=5))
    assert e.value.errors["form"] == (
        "Chi bộ của Chi bộ thôn Nà Lộc không có thẩm quyền quyết định hình thức «Khai trừ» (chỉ: khiển trách, cảnh cáo)."
    )
    assert Discipline.objects.get(pk=d.pk).state == "open"


def test_a_body_may_only_discipline_its_own_subtree(admin_user, tree, people):
    with pytest.raises(DomainError) as e:
        case(admin_user, tree["C1-T1"], people["khe"])
    assert "không thuộc phạm vi" in e.value.errors["subject_member"]
    with pytest.raises(DomainError) as e:
        case(admin_user, tree["C1-T1"], member=None, subject_org=tree["C1-T1"], body="cell")
    assert "tổ chức cấp dưới" in e.value.errors["subject_org"]
    with pytest.raises(DomainError) as e:
        case(admin_user, tree["C1"], people["duc"], body="cell")
    assert "là đảng bộ" in e.value.errors["body"]


def test_expulsion_by_the_superior_flows_into_the_members_status_and_annulment_restores_it(admin_user, tree, people):
    duc = people["duc"]
    d = case(admin_user, tree["D"], duc, gravity="expulsion", body="standing")
    with pytest.raises(DomainError) as e:  # 2/3 of 9 is 6
        svc.discipline_decide(by=admin_user, discipline=d, x=decision("expulsion", votes_for=5, votes_base=9))
    assert e.value.errors["votes_for"] == "Cần 6 trên 9 thành viên tán thành (ít nhất 2/3); mới có 5."
    svc.discipline_decide(by=admin_user, discipline=d, x=decision("expulsion", votes_for=6, votes_base=9))
    duc.refresh_from_db()
    assert duc.status == Status.EXPELLED and duc.left_on == dt.date(2026, 6, 10)
    assert not duc.memberships.filter(valid_to__isnull=True).exists()
    # the appeal within 30 days; late is refused
    with pytest.raises(DomainError) as e:
        svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 7, 11), content="Xin xem xét lại")
    assert "hết ngày 10/07/2026" in e.value.errors["filed_on"]
    a = svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 7, 10), content="Xin xem xét lại")
    assert a.answer_due == dt.date(2026, 10, 8)
    with pytest.raises(Conflict):  # one pending appeal at a time
        svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 7, 10), content="Lần hai")
    svc.appeal_answer(by=admin_user, appeal=a, x=svc.Answer(
        outcome="annulled", decided_on=dt.date(2026, 8, 20), decided_by="Ủy ban Kiểm tra Tỉnh ủy",
        number="Số 15-QĐ/UBKTTU", apology_on=dt.date(2026, 8, 25)))  # fmt: skip
    duc.refresh_from_db()
    d.refresh_from_db()
    a.refresh_from_db()
    assert d.state == "annulled" and duc.status == Status.OFFICIAL and duc.left_on is None
    assert duc.memberships.get(valid_to__isnull=True).organisation == tree["C1-T1"]
    assert not ProfileEntry.objects.filter(member=duc, kind=EntryKind.DISCIPLINE).exists()
    assert "khôi phục đảng tịch" in a.restored and a.apology_on == dt.date(2026, 8, 25)
    # an annulled discipline no longer counts for the evaluation
    assert esel.disciplined_count(tree["C1"].path, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 0
    with pytest.raises(Conflict):  # answered once
        svc.appeal_answer(by=admin_user, appeal=a, x=svc.Answer(outcome="upheld", decided_on=dt.date(2026, 9, 1),
                                                                decided_by="UBKT"))  # fmt: skip


def test_probationary_members_are_only_reprimanded_or_warned(admin_user, tree, people):
    d = case(admin_user, tree["D"], people["dung"], body="standing", gravity="warning")
    with pytest.raises(DomainError) as e:
        svc.discipline_decide(by=admin_user, discipline=d, x=decision("removal", votes_for=5))
    assert e.value.errors["form"] == "Đảng viên dự bị chỉ bị khiển trách hoặc cảnh cáo."


def test_removal_from_post_ends_the_seat_and_a_changed_form_gives_it_back(admin_user, tree, people):
    hoa = people["hoa"]
    term = msvc.term_create(by=admin_user, org=tree["C1-T1"], name="2025–2030", starts_on=dt.date(2025, 9, 1))
    seat = msvc.seat_assign(by=admin_user, term=term, member=hoa, role="secretary", valid_from=dt.date(2025, 9, 1))
    d = case(admin_user, tree["C1"], hoa, body="committee", gravity="warning")
    with pytest.raises(DomainError) as e:
        svc.discipline_decide(by=admin_user, discipline=d, x=decision("removal"))
    assert e.value.errors["seat"] == "Chọn chức vụ bị cách (đảng viên đang giữ)."
    svc.discipline_decide(by=admin_user, discipline=d, x=decision("removal", seat=seat))
    assert Seat.objects.get(pk=seat.pk).valid_to == dt.date(2026, 6, 10)
    a = svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 6, 20), content="Hình thức quá nặng")
    svc.appeal_answer(by=admin_user, appeal=a, x=svc.Answer(outcome="changed", new_form="warning",
                                                            decided_on=dt.date(2026, 7, 20), decided_by="BTV Huyện ủy"))  # fmt: skip
    d.refresh_from_db()
    assert d.form == "warning" and d.state == "decided"
    assert Seat.objects.filter(member=hoa, role="secretary", valid_to__isnull=True).exists()
    lines = ProfileEntry.objects.filter(member=hoa, kind=EntryKind.DISCIPLINE)
    assert [x.description.split(" (")[0] for x in lines] == ["Cảnh cáo"]


def test_the_limitation_period_runs_out_and_a_new_violation_restarts_it(admin_user, tree, people):
    old = case(admin_user, tree["C1-T1"], people["an"], conduct_from=dt.date(2020, 1, 15))
    with pytest.raises(DomainError) as e:
        svc.discipline_decide(by=admin_user, discipline=old, x=decision())
    assert e.value.errors["decided_on"] == (
        "Đã hết thời hiệu xử lý kỷ luật ngày 15/01/2025 (5 năm tính từ 15/01/2020); không thi hành kỷ luật được."
    )
    # a later case about the same member restarts the count only once it is established by a decision
    new = case(admin_user, tree["C1-T1"], people["an"], conduct_from=dt.date(2024, 11, 1), conduct="Vi phạm mới")
    with pytest.raises(DomainError):
        svc.discipline_decide(by=admin_user, discipline=old, x=decision())
    svc.discipline_drop(by=admin_user, discipline=new, on=dt.date(2026, 6, 1), note="Không có vi phạm")
    with pytest.raises(DomainError):  # closed without discipline: proves nothing
        svc.discipline_decide(by=admin_user, discipline=old, x=decision())
    newer = case(admin_user, tree["C1-T1"], people["an"], conduct_from=dt.date(2024, 12, 1), conduct="Vi phạm khác")
    svc.discipline_decide(by=admin_user, discipline=newer, x=decision(on=dt.date(2026, 5, 10)))
    svc.discipline_decide(by=admin_user, discipline=old, x=decision())
    old.refresh_from_db()
    assert old.limitation_until == dt.date(2029, 12, 1)
    # the period follows the form decided: a warning reaches 10 years back, a reprimand 5
    far = case(admin_user, tree["C1-T1"], people["anh"], conduct_from=dt.date(2019, 1, 10), gravity="reprimand")
    with pytest.raises(DomainError) as e:
        svc.discipline_decide(by=admin_user, discipline=far, x=decision("reprimand"))
    assert "5 năm" in e.value.errors["decided_on"]
    svc.discipline_decide(by=admin_user, discipline=far, x=decision("warning"))
    far.refresh_from_db()
    assert far.limitation_until == dt.date(2029, 1, 10)
    # conduct warranting expulsion has no limitation
    lim = ir.limitation(subject="member", gravity="expulsion", conduct_from=dt.date(1990, 1, 1), conduct_to=None,
                        later=[], on=dt.date(2026, 6, 1))  # fmt: skip
    assert lim.until is None


def test_an_organisations_continuing_violation_counts_from_its_end(admin_user, tree):
    d = case(admin_user, tree["C1"], subject_org=tree["C1-T2"], body="committee", conduct_from=dt.date(2019, 1, 1),
             conduct_to=dt.date(2022, 6, 30))  # fmt: skip
    assert svc.limitation_of(d).until == dt.date(2027, 6, 30)
    member = ir.limitation(subject="member", gravity="reprimand", conduct_from=dt.date(2019, 1, 1),
                           conduct_to=dt.date(2022, 6, 30), later=[], on=dt.date(2026, 6, 1))  # fmt: skip
    assert member.until == dt.date(2024, 1, 1)


def test_deferral_holds_the_decision_until_its_date(admin_user, tree, people):
    d = case(admin_user, tree["C1-T1"], people["hoa"])
    with pytest.raises(DomainError):
        svc.discipline_defer(by=admin_user, discipline=d, reason="child", until=dt.date(2020, 1, 1))
    until = today() + dt.timedelta(days=200)
    svc.discipline_defer(by=admin_user, discipline=d, reason="child", until=until)
    with pytest.raises(DomainError) as e:
        svc.discipline_decide(by=admin_user, discipline=d, x=decision(on=dt.date(2026, 6, 10)))
    assert "Đang hoãn xem xét kỷ luật (đang nuôi con dưới 12 tháng tuổi)" in e.value.errors["decided_on"]
    Discipline.objects.filter(pk=d.pk).update(deferred_until=dt.date(2026, 6, 9))  # time passed: the reason is over
    svc.discipline_decide(by=admin_user, discipline=Discipline.objects.get(pk=d.pk), x=decision(on=dt.date(2026, 6, 10)))
    assert Discipline.objects.get(pk=d.pk).state == "decided"


def test_a_member_must_be_heard_first_and_votes_cannot_exceed_the_base(admin_user, tree, people):
    d = case(admin_user, tree["C1-T1"], people["duc"])
    with pytest.raises(DomainError) as e:
        svc.discipline_decide(by=admin_user, discipline=d, x=decision(hearing_on=None, votes_for=6))
    assert set(e.value.errors) == {"hearing_on", "votes_for"}
    assert e.value.errors["votes_for"] == "Số tán thành không được lớn hơn số thành viên."
    # a member who kept away: decided anyway, with the note saying so
    svc.discipline_decide(by=admin_user, discipline=d, x=decision(hearing_on=None, note="Đã mời 3 lần, không đến"))


def test_a_double_click_decides_once(admin_user, tree, people):
    d = case(admin_user, tree["C1-T1"], people["duc"])
    svc.discipline_decide(by=admin_user, discipline=d, x=decision())
    with pytest.raises(Conflict):
        svc.discipline_decide(by=admin_user, discipline=Discipline.objects.get(pk=d.pk), x=decision())
    assert ProfileEntry.objects.filter(member=people["duc"], kind=EntryKind.DISCIPLINE).count() == 1


def test_only_confidential_roles_write(role, tree, people):
    for name in ("secretary", "viewer"):
        with pytest.raises(Forbidden):
            case(role(name), tree["C1-T1"], people["duc"])
    d = case(role("inspector"), tree["C1-T1"], people["duc"])
    assert d.pk


def test_the_cv_line_of_a_discipline_is_not_written_or_removed_by_hand(admin_user, tree, people):
    with pytest.raises(DomainError) as e:
        msvc.entry_add(by=admin_user, member=people["duc"], kind="discipline", start=dt.date(2025, 1, 1),
                       description="Khiển trách")  # fmt: skip
    assert "Kiểm tra, giám sát, kỷ luật" in e.value.errors["kind"]
    d = case(admin_user, tree["C1-T1"], people["duc"])
    svc.discipline_decide(by=admin_user, discipline=d, x=decision())
    with pytest.raises(DomainError):
        msvc.entry_remove(by=admin_user, entry=ProfileEntry.objects.get(member=people["duc"], kind="discipline"))


def test_notices_from_outside_are_late_after_the_rules_days(admin_user, tree, people):
    n = svc.notice_add(by=admin_user, member=people["duc"], data={
        "source": "court", "source_name": "Tòa án nhân dân khu vực 1", "measure": "Phạt tiền (bản án)",
        "decided_on": dt.date(2026, 5, 1), "received_on": dt.date(2026, 5, 9)})  # fmt: skip
    assert n.late and n.due_on == dt.date(2026, 5, 6)
    n2 = svc.notice_add(by=admin_user, member=people["duc"], data={
        "source": "state", "source_name": "UBND xã", "measure": "Khiển trách", "decided_on": dt.date(2026, 5, 1),
        "received_on": dt.date(2026, 5, 6)})  # fmt: skip
    assert not n2.late
    with pytest.raises(DomainError) as e:
        svc.notice_add(by=admin_user, member=people["duc"], data={
            "source": "state", "source_name": "UBND xã", "measure": "Khiển trách", "decided_on": dt.date(2026, 5, 1),
            "received_on": dt.date(2026, 4, 6)})  # fmt: skip
    assert e.value.errors["received_on"] == "Ngày nhận thông báo không được trước ngày quyết định."


def test_legacy_cv_lines_become_records_the_evaluation_reads(admin_user, tree, people):
    """The migration turns each CV discipline line into a record in force, the form read from its words."""
    from importlib import import_module

    from django.apps import apps

    ProfileEntry.objects.create(member=people["duc"], kind="discipline", start=dt.date(2025, 3, 1),
                                description="Cảnh cáo vì vi phạm quy chế", decision_number="5-QĐ/UBKT")  # fmt: skip
    ProfileEntry.objects.create(member=people["khe"], kind="discipline", start=dt.date(2024, 3, 1),
                                description="Bị kỷ luật")  # fmt: skip
    import_module("dangvu.inspection.migrations.0003_discipline_from_cv_lines").forward(apps, None)
    duc = Discipline.objects.get(subject_member=people["duc"])
    assert (duc.form, duc.state, duc.legacy, duc.number) == ("warning", "decided", True, "5-QĐ/UBKT")
    assert Discipline.objects.get(subject_member=people["khe"]).form == "reprimand"
    assert esel.disciplined_count(tree["C1"].path, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 1


def test_annulment_names_the_decided_evaluation_to_review_again(admin_user, tree, people):
    from dangvu.evaluations.models import Review

    d = case(admin_user, tree["C1-T1"], people["duc"])
    svc.discipline_decide(by=admin_user, discipline=d, x=decision())
    r = esvc.review_open(by=admin_user, year=2026, member=people["duc"])
    Review.objects.filter(pk=r.pk).update(state="decided")  # decided while the discipline capped it
    a = svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 6, 15), content="Xin xem xét")
    svc.appeal_answer(by=admin_user, appeal=a, x=svc.Answer(outcome="annulled", decided_on=dt.date(2026, 7, 1),
                                                            decided_by="UBKT Đảng ủy xã"))  # fmt: skip
    a.refresh_from_db()
    assert "xếp loại năm 2026 đã quyết định khi còn kỷ luật: cần xem xét lại" in a.restored


def test_a_decision_takes_effect_when_it_is_announced(admin_user, tree, people):
    duc = people["duc"]
    d = case(admin_user, tree["C1-T1"], duc)
    svc.discipline_decide(by=admin_user, discipline=d, x=decision(announced_on=None))
    d.refresh_from_db()
    assert d.state == "decided" and d.announced_on is None and d.number == "01-QĐ/CB"
    assert not ProfileEntry.objects.filter(member=duc, kind=EntryKind.DISCIPLINE).exists()
    assert esel.disciplined_count(tree["C1"].path, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 0
    with pytest.raises(Conflict):  # nothing in force to appeal against yet
        svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 6, 20), content="x")
    with pytest.raises(DomainError) as e:
        svc.discipline_announce(by=admin_user, discipline=d, on=dt.date(2026, 6, 1))
    assert "ngày quyết định" in e.value.errors["announced_on"]
    svc.discipline_announce(by=admin_user, discipline=d, on=dt.date(2026, 6, 15))
    line = ProfileEntry.objects.get(member=duc, kind=EntryKind.DISCIPLINE)
    assert line.start == dt.date(2026, 6, 15)
    assert esel.disciplined_count(tree["C1"].path, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 1
    with pytest.raises(Conflict):
        svc.discipline_announce(by=admin_user, discipline=d, on=dt.date(2026, 6, 16))
