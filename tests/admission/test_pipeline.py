"""The admission pipeline by the rules (rules.md §3, §10 items 3–5): one person from the list of sympathisers to
recognised member, each step once and in order, eligibility judged on the cell's review date, the deadlines in
working days flagged when missed, the member made by the member services, and every way a case can end."""

import datetime as dt

import pytest

from dangvu.admission import rules as ar
from dangvu.admission import selectors as sel
from dangvu.admission import services as svc
from dangvu.admission.models import Stage
from dangvu.core.dates import today
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.models import AuditEntry
from dangvu.core.workdays import add_working_days
from dangvu.members.models import Membership, Status

from .conftest import person, walk

pytestmark = pytest.mark.django_db


def test_one_person_from_sympathiser_to_official_member(admin_user, case, vote, tree):
    case = walk(admin_user, case, vote, upto="ceremony")
    assert case.stage == Stage.ADMITTED
    m = case.member
    # probationary, Party age from the decision's date, in the cell from the ceremony
    assert (m.status, m.admitted_on, m.org_id, m.full_name) == (Status.PROBATIONARY, dt.date(2025, 8, 1),
                                                                tree["C1-T1"].pk, "Hà Thị Mai")  # fmt: skip
    assert Membership.objects.get(member=m).valid_from == dt.date(2025, 8, 20)
    assert case.next_step == "member_cv" and case.next_due == add_working_days(dt.date(2025, 8, 20), 30)
    case = walk(admin_user, case, vote, upto="recognition_decision")
    m.refresh_from_db()
    assert case.stage == Stage.RECOGNISED and m.status == Status.OFFICIAL
    assert m.official_on == dt.date(2026, 8, 20)  # 12 months from the ceremony
    steps = sel.steps_of(case)
    assert steps["cell_resolution"].vote.passed and steps["decision"].number == "45-QĐ/ĐU"
    assert steps["decision"].due_on == add_working_days(dt.date(2025, 6, 10), 60) and not steps["decision"].late
    assert steps["ceremony"].due_on == add_working_days(dt.date(2025, 8, 5), 30)  # from receiving the decision
    assert all(s.rules_from for s in steps.values())
    assert AuditEntry.objects.filter(action="admission.step").count() == 10
    # the year's admissions against what the organisations registered (the evaluations' yearly registration)
    from dangvu.evaluations import services as esvc

    esvc.registration_save(by=admin_user, org=tree["C1-T1"], year=2025, target_level="good", goals="Kết nạp",
                           admissions_target=2)  # fmt: skip
    total, branches = sel.pipeline(admin_user, tree["C1"], 2025)
    assert (total.admitted, total.target) == (1, 2) and (branches[0].admitted, branches[0].target) == (1, 2)
    assert sel.pipeline(admin_user, tree["C1"], 2026)[0].recognised == 1


def test_recognition_asks_for_the_new_members_course_completed_during_probation(admin_user, case, vote):
    case = walk(admin_user, case, vote, upto="member_cv")
    with pytest.raises(DomainError) as e:
        walk(admin_user, case, vote, upto="recognition_resolution", course=False)
    assert "chưa có lớp bồi dưỡng lý luận chính trị cho đảng viên mới" in e.value.message
    case = walk(admin_user, case, vote, upto="recognition_resolution", recognition_resolution=dt.date(2026, 10, 8))
    assert case.stage == Stage.RECOGNITION_PROPOSED


def test_the_profiles_theory_level_follows_the_highest_completed_course(admin_user, people):
    from dangvu.members import services as msvc

    anh = people["anh"]  # "trung cấp" typed on the profile
    msvc.entry_add(by=admin_user, member=anh, kind="training", start=dt.date(2024, 1, 1), course="cao-cap")
    anh.refresh_from_db()
    assert anh.political_theory == "trung-cap"  # not completed yet: no end date
    e = msvc.entry_add(by=admin_user, member=anh, kind="training", start=dt.date(2024, 1, 1),
                       end=dt.date(2025, 6, 30), course="cao-cap", certificate="CC-123")  # fmt: skip
    anh.refresh_from_db()
    assert anh.political_theory == "cao-cap" and e.description == "Cao cấp lý luận chính trị"
    with pytest.raises(DomainError):
        msvc.entry_add(by=admin_user, member=anh, kind="reward", start=dt.date(2024, 1, 1), course="cao-cap",
                       description="Giấy khen")  # fmt: skip


def test_steps_are_recorded_once_and_in_order(admin_user, case, vote):
    with pytest.raises(Conflict) as e:
        svc.step_record(by=admin_user, case=case, kind="verification", data=svc.StepData(done_on=dt.date(2025, 4, 5)))
    assert "Bước tiếp theo của hồ sơ là «Đơn xin vào Đảng" in e.value.message
    walk(admin_user, case, vote, upto="application")
    with pytest.raises(Conflict):
        svc.step_record(by=admin_user, case=case, kind="application", data=svc.StepData(done_on=dt.date(2025, 4, 6)))
    with pytest.raises(DomainError) as e:  # not before the step before it
        svc.step_record(by=admin_user, case=case, kind="verification", data=svc.StepData(done_on=dt.date(2025, 4, 1)))
    assert "trước bước «Đơn xin vào Đảng" in e.value.message


def test_a_grassroots_cell_decides_without_a_grassroots_resolution(admin_user, tree, people, vote):
    from dangvu.members import services as msvc

    a1 = msvc.member_create(by=admin_user, place=msvc.Placement(tree["A"]), data={
        "full_name": "Vũ Văn Tâm", "sex": "nam", "birth_date": dt.date(1980, 1, 1), "admitted_on": dt.date(2010, 1, 1),
        "official_on": dt.date(2011, 1, 1)})  # fmt: skip
    a2 = msvc.member_create(by=admin_user, place=msvc.Placement(tree["A"]), data={
        "full_name": "Vũ Thị Lan", "sex": "nu", "birth_date": dt.date(1982, 1, 1), "admitted_on": dt.date(2010, 1, 1),
        "official_on": dt.date(2011, 1, 1)})  # fmt: skip
    c = svc.case_create(by=admin_user, org=tree["A"], data=person(full_name="Lê Văn Hải", sex="nam"))
    for m in (a1, a2):
        svc.introducer_add(by=admin_user, case=c, member=m, since=dt.date(2020, 1, 1), assigned_on=dt.date(2025, 4, 1))
    assert "grassroots_resolution" not in svc.steps_for(c)
    c = walk(admin_user, c, lambda d, **kw: vote(d, org="A", votes_for=2, **kw), upto="cell_resolution")
    assert c.next_step == "decision"


@pytest.mark.parametrize("change, expected", [
    ({"birth_date": dt.date(2007, 7, 1)}, "Chưa đủ 18 tuổi vào ngày 10/06/2025 (mới 17 tuổi 11 tháng)"),
    ({"birth_date": dt.date(1965, 5, 1)}, "Trên 60 tuổi vào ngày 10/06/2025 (60 tuổi 1 tháng)"),
    ({"general_education": "7/12"}, "Chưa có bằng tốt nghiệp trung học cơ sở"),
    ({"course_on": None}, "Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng"),
    ({"course_on": dt.date(2020, 6, 1)}, "đã hết hạn ngày 01/06/2025 (60 tháng)"),
])  # fmt: skip
def test_eligibility_is_judged_on_the_cells_review_date(admin_user, case, vote, change, expected):
    svc.case_update(by=admin_user, case=case, data=change)
    walk(admin_user, case, vote, upto="introduction")
    with pytest.raises(DomainError) as e:
        walk(admin_user, case, vote, upto="cell_resolution")
    assert expected in e.value.message and "Chưa đủ điều kiện vào ngày 10/06/2025" in e.value.message
    case.refresh_from_db()
    assert case.stage == Stage.INTRODUCED  # nothing recorded


def test_over_sixty_with_the_provincial_consent_recorded_before(admin_user, case, vote):
    svc.case_update(by=admin_user, case=case, data={"birth_date": dt.date(1965, 5, 1), "over60_consent": "15-CV/TU",
                                                    "over60_consent_on": dt.date(2025, 6, 1)})  # fmt: skip
    assert svc.eligibility(case, dt.date(2025, 6, 10)) == []
    assert svc.eligibility(case, dt.date(2025, 5, 31)) == []  # 60 years 0 months that day: not over 60 yet
    assert ar.age(case.birth_date, dt.date(2025, 6, 10)) == (60, 1)


def test_introducers_must_be_official_long_enough_and_of_the_same_grassroots(admin_user, tree, people):
    c = svc.case_create(by=admin_user, org=tree["C1-T1"], data=person())
    with pytest.raises(DomainError) as e:
        svc.introducer_add(by=admin_user, case=c, member=people["dung"], since=dt.date(2020, 1, 1),
                           assigned_on=dt.date(2026, 4, 1))  # fmt: skip
    assert "Trần Thị Dung chưa là đảng viên chính thức vào ngày 01/04/2026" in e.value.message
    with pytest.raises(DomainError) as e:
        svc.introducer_add(by=admin_user, case=c, member=people["khe"], since=dt.date(2020, 1, 1),
                           assigned_on=dt.date(2026, 4, 1))  # fmt: skip
    assert "không sinh hoạt trong cùng tổ chức cơ sở đảng" in e.value.message
    with pytest.raises(DomainError) as e:
        svc.introducer_add(by=admin_user, case=c, member=people["duc"], since=dt.date(2025, 6, 1),
                           assigned_on=dt.date(2026, 4, 1))  # fmt: skip
    assert "chưa đủ 12 tháng vào ngày 01/04/2026" in e.value.message
    assert svc.eligibility(c, dt.date(2026, 4, 1))[-1] == "Cần 2 đảng viên chính thức giới thiệu; mới có 0 người đủ điều kiện."


def test_a_committee_resolution_needs_two_thirds_of_its_members(admin_user, case, vote):
    walk(admin_user, case, vote, upto="cell_resolution")
    with pytest.raises(DomainError) as e:
        svc.step_record(by=admin_user, case=case, kind="grassroots_resolution",
                        data=svc.StepData(done_on=dt.date(2025, 6, 20), votes_for=7, votes_base=11))  # fmt: skip
    assert e.value.message == "Cần ít nhất 8 trên 11 thành viên tán thành (2/3); mới có 7."


def test_the_cells_resolution_rests_on_a_passed_vote_of_that_meeting(admin_user, case, vote):
    walk(admin_user, case, vote, upto="introduction")
    failed = vote(dt.date(2025, 6, 10), votes_for=1)
    with pytest.raises(DomainError) as e:
        svc.step_record(by=admin_user, case=case, kind="cell_resolution",
                        data=svc.StepData(done_on=dt.date(2025, 6, 10), vote=failed))  # fmt: skip
    assert "chưa thông qua (1/4, cần 3)" in e.value.message  # 4 official members that day: 2/3 is 3
    other_day = vote(dt.date(2025, 7, 2))
    with pytest.raises(DomainError):
        svc.step_record(by=admin_user, case=case, kind="cell_resolution",
                        data=svc.StepData(done_on=dt.date(2025, 6, 10), vote=other_day))  # fmt: skip


def test_a_late_step_is_flagged_and_an_open_deadline_shows_overdue(admin_user, case, vote, tree):
    late_decision = add_working_days(dt.date(2025, 6, 10), 61)
    case = walk(admin_user, case, vote, upto="decision", decision=late_decision)
    decision = sel.steps_of(case)["decision"]
    assert decision.late and decision.due_on == add_working_days(dt.date(2025, 6, 10), 60)
    # the ceremony was due 30 working days after the decision arrived, long ago: overdue now
    assert case.next_due < today()
    assert [c.pk for c in sel.case_list(admin_user, tree["C1"], sel.Filters(state="overdue"))] == [case.pk]
    total, branches = sel.pipeline(admin_user, tree["C1"])
    assert (total.open, total.overdue, total.stages) == (1, 1, {"decided": 1})
    assert [b.org.code for b in branches] == ["C1-T1"]


def test_a_refusal_ends_the_case_and_not_recognised_strikes_off(admin_user, case, vote, tree, people):
    other = svc.case_create(by=admin_user, org=tree["C1-T1"], data=person(full_name="Lò Văn Phong", sex="nam"))
    with pytest.raises(DomainError):
        svc.case_end(by=admin_user, case=other, on=dt.date(2025, 5, 1), reason=" ")
    other = svc.case_end(by=admin_user, case=other, on=dt.date(2025, 5, 1), reason="Xin rút vì đi học xa")
    assert other.stage == Stage.ENDED and other.next_due is None
    with pytest.raises(Conflict):
        svc.step_record(by=admin_user, case=other, kind="application", data=svc.StepData(done_on=dt.date(2025, 5, 2)))
    case = walk(admin_user, case, vote, upto="member_cv")
    with pytest.raises(Conflict):  # after admission the case does not simply end
        svc.case_end(by=admin_user, case=case, on=dt.date(2026, 9, 1), reason="x")
    case = svc.not_recognised(by=admin_user, case=case, on=dt.date(2026, 9, 15), reason="Không đủ tư cách")
    case.member.refresh_from_db()
    assert case.stage == Stage.NOT_RECOGNISED and case.member.status == Status.STRUCK_OFF


def test_the_same_person_is_not_twice_in_the_pipeline(admin_user, tree, people):
    svc.case_create(by=admin_user, org=tree["C1-T1"], data=person(citizen_id="012300000001"))
    with pytest.raises(DomainError) as e:
        svc.case_create(by=admin_user, org=tree["C1-T2"], data=person(citizen_id="012300000001"))
    assert e.value.errors["citizen_id"] == "Số CCCD 012300000001 đã có trong hồ sơ đang xét của Hà Thị Mai."
    with pytest.raises(DomainError) as e:  # and a member's citizen id is a member's: the profile's own check
        svc.case_create(by=admin_user, org=tree["C1-T1"], data=person(citizen_id="010080000001"))
    assert "Nguyễn Văn Đức" in e.value.errors["citizen_id"]


def test_a_merge_carries_the_open_cases_along(admin_user, case, tree):
    from dangvu.organizations import services as osvc
    from tests.conftest import decision

    osvc.org_merge(by=admin_user, sources=[tree["C1-T1"]], target=tree["C1-T2"], decision=decision(2026, 10, 1))
    case.refresh_from_db()
    assert case.organisation_id == tree["C1-T2"].pk and case.org_path == tree["C1-T2"].path


def test_each_admission_has_a_checklist_of_its_papers(admin_user, case, vote):
    from django.core.files.uploadedfile import SimpleUploadedFile

    papers, missing = svc.checklist(case)
    assert [p.code for p in papers] == ["CN-NTVĐ", "1-KNĐ", "2-KNĐ"] and missing == 0  # to prepare, not due yet
    case = walk(admin_user, case, vote, upto="application")
    assert svc.checklist(case)[1] == 3
    for code in ("CN-NTVĐ", "1-KNĐ"):
        svc.file_add(by=admin_user, case=case, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 " + code.encode()),
                     paper=code)  # fmt: skip
    papers, missing = svc.checklist(case)
    assert missing == 1 and [p.code for p in papers if not p.present] == ["2-KNĐ", "TTLL"]
    assert case.files.get(paper="1-KNĐ").title == "Đơn xin vào Đảng"
    with pytest.raises(DomainError):
        svc.file_add(by=admin_user, case=case, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), paper="99-X")


def test_a_vote_a_resolution_rests_on_cannot_be_removed(admin_user, case, vote):
    from dangvu.meetings import services as meetings

    case = walk(admin_user, case, vote, upto="cell_resolution")
    v = case.steps.get(kind="cell_resolution").vote
    v.meeting.state = "held"  # still editable
    with pytest.raises(Conflict) as e:
        meetings.vote_remove(by=admin_user, vote=v)
    assert "là căn cứ của một việc đã ghi" in e.value.message and type(v).objects.filter(pk=v.pk).exists()
