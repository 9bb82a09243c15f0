"""The edges an attacker's probe and a second read found: a form changed on appeal is checked like a first
decision, the appeal is answered by a body above, a member who moved away is decided where they now belong, the
subject's side sees a higher body's case only once decided and nobody reads their own, an annulled expulsion gives
the posts back, the CV line keeps the conduct confidential, the appeal's days count from receiving the decision."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.errors import DomainError, Forbidden
from dangvu.inspection import selectors as sel
from dangvu.inspection import services as svc
from dangvu.members import services as msvc
from dangvu.members.models import EntryKind, ProfileEntry, Seat, Status
from tests.conftest import VerifiedClient

from .conftest import case, decision

pytestmark = pytest.mark.django_db


def test_a_form_changed_on_appeal_is_checked_like_a_decision(admin_user, tree, people):
    dung = people["dung"]  # probationary
    d = case(admin_user, tree["C1-T1"], dung)
    svc.discipline_decide(by=admin_user, discipline=d, x=decision())
    a = svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 6, 20), content="x")
    with pytest.raises(DomainError) as e:
        svc.appeal_answer(by=admin_user, appeal=a, x=svc.Answer(outcome="changed", new_form="expulsion",
                                                                decided_on=dt.date(2026, 7, 1), decided_by="UBKT"))  # fmt: skip
    assert e.value.errors["new_form"] == "Đảng viên dự bị chỉ bị khiển trách hoặc cảnh cáo."
    dung.refresh_from_db()
    d.refresh_from_db()
    assert dung.status == Status.PROBATIONARY and d.form == "reprimand"  # nothing half-done
    assert ProfileEntry.objects.filter(member=dung, kind=EntryKind.DISCIPLINE).count() == 1
    with pytest.raises(DomainError) as e:  # removal names a post the member holds
        svc.appeal_answer(by=admin_user, appeal=a, x=svc.Answer(outcome="changed", new_form="removal",
                                                                decided_on=dt.date(2026, 7, 1), decided_by="UBKT"))  # fmt: skip
    assert "new_form" in e.value.errors


def test_the_appeal_is_answered_by_someone_over_the_deciding_body(admin_user, role, tree, people):
    d = case(admin_user, tree["C1-T1"], people["duc"])
    svc.discipline_decide(by=admin_user, discipline=d, x=decision())
    a = svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 6, 20), content="x")
    x = svc.Answer(outcome="upheld", decided_on=dt.date(2026, 7, 1), decided_by="Đảng ủy xã")
    with pytest.raises(Forbidden):
        svc.appeal_answer(by=role("inspector", "C1-T1"), appeal=a, x=x)
    svc.appeal_answer(by=role("inspector", "C1"), appeal=a, x=x)


def test_a_member_who_moved_away_is_decided_where_they_now_belong(admin_user, tree, people):
    duc = people["duc"]
    d = case(admin_user, tree["C1-T1"], duc)
    t = msvc.transfer_out(by=admin_user, member=duc, req=msvc.TransferRequest(
        kind="official", reason="Chuyển nơi ở", event_on=dt.date(2026, 5, 1), letter_on=dt.date(2026, 5, 2),
        to_org=tree["C2-T1"]))  # fmt: skip
    msvc.transfer_receive(by=admin_user, transfer=t, on=dt.date(2026, 5, 10))
    with pytest.raises(DomainError) as e:
        svc.discipline_decide(by=admin_user, discipline=d, x=decision())
    assert "nay sinh hoạt ở Chi bộ thôn Khe Bàn" in e.value.errors["form"]


def test_the_subjects_side_sees_a_higher_bodys_case_once_decided_and_nobody_reads_their_own(
    admin_user, role, tree, people, django_user_model
):
    d = case(admin_user, tree["D"], people["duc"], body="standing")
    commune = role("inspector", "C1")
    assert not sel.disciplines(commune, tree["C1"]).exists()  # being considered above: not yet
    svc.discipline_decide(by=admin_user, discipline=d, x=decision(votes_for=5, votes_base=7))
    assert list(sel.disciplines(commune, tree["C1"])) == [d]
    # the member himself, an inspector of his commune
    msvc.account_link(by=admin_user, member=people["duc"], username=commune.username)
    fresh = django_user_model.objects.get(pk=commune.pk)
    assert not sel.disciplines(fresh, tree["C1"]).exists()
    c = VerifiedClient()
    c.force_login(fresh)
    assert c.get(f"/inspection/disciplines/{d.pk}/").status_code == 404


def test_an_annulled_expulsion_gives_back_the_posts_it_ended(admin_user, tree, people):
    an = people["an"]
    term = msvc.term_create(by=admin_user, org=tree["C1-T1"], name="2025–2030", starts_on=dt.date(2025, 9, 1))
    msvc.seat_assign(by=admin_user, term=term, member=an, role="deputy", valid_from=dt.date(2025, 9, 1))
    d = case(admin_user, tree["D"], an, body="standing", gravity="expulsion")
    svc.discipline_decide(by=admin_user, discipline=d, x=decision("expulsion", votes_for=6, votes_base=7))
    assert not Seat.objects.filter(member=an, valid_to__isnull=True).exists()
    line = ProfileEntry.objects.get(member=an, kind=EntryKind.DISCIPLINE)
    assert d.conduct not in line.description and "Khai trừ" in line.description  # the conduct stays confidential
    a = svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 6, 20), content="x")
    svc.appeal_answer(by=admin_user, appeal=a, x=svc.Answer(outcome="annulled", decided_on=dt.date(2026, 8, 1),
                                                            decided_by="UBKT Tỉnh ủy"))  # fmt: skip
    a.refresh_from_db()
    assert Seat.objects.filter(member=an, role="deputy", valid_to__isnull=True).exists()
    assert "khôi phục chức vụ phó bí thư" in a.restored and "khôi phục đảng tịch" in a.restored


def test_the_appeals_days_count_from_receiving_the_decision(admin_user, tree, people):
    d = case(admin_user, tree["D"], people["duc"], body="standing")
    svc.discipline_decide(by=admin_user, discipline=d, x=decision(votes_for=5, votes_base=7))
    a = svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 7, 20), content="x",
                        received_on=dt.date(2026, 6, 25))  # fmt: skip
    assert a.received_on == dt.date(2026, 6, 25)
    with pytest.raises(DomainError) as e:
        svc.appeal_file(by=admin_user, discipline=d, filed_on=dt.date(2026, 7, 20), content="x",
                        received_on=dt.date(2026, 6, 1))  # fmt: skip
    assert e.value.errors["received_on"] == "Ngày không được trước ngày công bố (10/06/2026)."


def test_the_complaints_list_takes_the_same_queries_for_more_rows(role, tree):
    u = role("inspector", "C1")
    c = VerifiedClient()
    c.force_login(u)

    def add(n):
        svc.complaint_add(by=u, org=tree["C1"], data={"kind": "complaint", "received_on": dt.date(2026, 5, n),
                                                      "content": f"Đơn {n}", "filer": "Ông A"})  # fmt: skip

    add(1)
    c.get("/api/v1/inspection/complaints?org=C1")
    with CaptureQueriesContext(connection) as one:
        c.get("/api/v1/inspection/complaints?org=C1")
    for n in range(2, 6):
        add(n)
    with CaptureQueriesContext(connection) as five:
        r = c.get("/api/v1/inspection/complaints?org=C1")
    assert len(five) == len(one) and [x["filer"] for x in r.json()] == ["Ông A"] * 5


def test_bad_ids_and_dates_are_refused_not_crashed(role, tree, people):
    c = VerifiedClient()
    c.force_login(role("inspector", "C1"))
    r = c.post("/inspection/disciplines/new/?org=C1-T1&inspection=abc", {
        "body": "cell", "subject_member": people["duc"].pk, "conduct": "x", "conduct_from": "01/03/2026",
        "gravity": "reprimand"})  # fmt: skip
    assert r.status_code == 404
    with pytest.raises(DomainError) as e:
        case(role("inspector", "C1", username="kt2"), tree["C1-T1"], people["duc"], conduct_from=dt.date(1, 1, 1))
    assert "ngày thành lập Đảng" in e.value.errors["conduct_from"]


def test_a_members_discipline_follows_them_to_their_new_cell(admin_user, role, tree, people):
    duc = people["duc"]
    d = case(admin_user, tree["C1-T1"], duc)
    svc.discipline_decide(by=admin_user, discipline=d, x=decision())
    t = msvc.transfer_out(by=admin_user, member=duc, req=msvc.TransferRequest(
        kind="official", reason="Chuyển nơi ở", event_on=dt.date(2026, 7, 1), letter_on=dt.date(2026, 7, 2),
        to_org=tree["C2-T1"]))  # fmt: skip
    msvc.transfer_receive(by=admin_user, transfer=t, on=dt.date(2026, 7, 10))
    c2 = role("inspector", "C2")
    assert list(sel.disciplines(c2, tree["C2"])) == [d]
    assert sel.discipline_get(c2, d.pk) == d
    assert not sel.disciplines(role("inspector", "A"), tree["A"]).exists()
