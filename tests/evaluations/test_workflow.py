"""The review workflow: who may do each step, the recorded decision and its replacement, the quota, members and
organisations that were not there in the period, registration and commitments."""

import datetime as dt

import pytest

from dangvu.core.errors import DomainError, NotFound
from dangvu.core.models import AuditEntry
from dangvu.evaluations import selectors as sel
from dangvu.evaluations import services as svc
from dangvu.evaluations.models import Decision, State
from dangvu.organizations.services import Forbidden


def test_a_member_cycle_from_commitment_to_decision_with_roles_and_audit(people, user_on, cycle, tree):
    secretary, officer = user_on("C1-T1", "secretary"), user_on("C1", "officer")
    duc = people["duc"]
    c = svc.commitment_save(by=secretary, member=duc, year=2025, target_level="good",
                            content="Gương mẫu thực hiện nhiệm vụ", submitted_on=dt.date(2025, 1, 15))  # fmt: skip
    assert c.organisation == tree["C1-T1"]
    r = cycle(duc, score="85", level="good", by=secretary)
    assert r.state == State.REVIEWED and r.form == "2C"  # a village cell: outside the political system
    # the cell's secretary may not decide: the grassroots committee (an officer on C1) does
    with pytest.raises(Forbidden) as e:
        svc.review_decide(by=secretary, verdicts=[svc.Verdict(r, "good")], number="12-QĐ/ĐU")
    assert "Đảng bộ xã Khánh Yên" in e.value.message
    with pytest.raises(DomainError) as e:  # not before the cell's review
        svc.review_decide(by=officer, verdicts=[svc.Verdict(r, "good")], number="12-QĐ/ĐU",
                          decided_on=r.reviewed_on - dt.timedelta(days=1))  # fmt: skip
    assert "decided_on" in e.value.errors
    [r] = svc.review_decide(by=officer, verdicts=[svc.Verdict(r, "good")], number="12-QĐ/ĐU")
    assert (r.state, r.level, str(r.score), r.decision_number) == ("decided", "good", "85.0", "12-QĐ/ĐU")
    actions = list(AuditEntry.objects.filter(object_id=r.pk, object_type="evaluations.review")
                   .values_list("action", flat=True).order_by("pk"))  # fmt: skip
    assert actions == ["evaluations.open", "evaluations.self_review", "evaluations.submit", "evaluations.assess",
                       "evaluations.decide"]  # fmt: skip
    # a decided result changes only by a new recorded decision, with its own number and a reason
    with pytest.raises(DomainError) as e:
        svc.review_decide(by=officer, verdicts=[svc.Verdict(r, "completed", "65")], number="13-QĐ/ĐU")
    assert e.value.errors == {"reason": svc.ERR_REASON}
    with pytest.raises(DomainError) as e:
        svc.review_decide(by=officer, verdicts=[svc.Verdict(r, "completed", "65")], number="12-QĐ/ĐU",
                          reason="Phát hiện vi phạm")  # fmt: skip
    assert "number" in e.value.errors
    [r] = svc.review_decide(by=officer, verdicts=[svc.Verdict(r, "completed", "65")], number="13-QĐ/ĐU",
                            reason="Phát hiện vi phạm sau kiểm điểm")  # fmt: skip
    first, second = Decision.objects.filter(review=r).order_by("pk")
    assert (first.level, second.level, second.replaces_id, r.level) == (
        "good",
        "completed",
        first.pk,
        "completed",
    )
    # nothing else may be edited once decided
    with pytest.raises(DomainError):
        svc.review_self(by=secretary, review=r, data=svc.SelfReview(self_score="90", self_level="good"))


def test_a_viewer_cannot_write_and_other_scopes_cannot_see(people, user_on, cycle):
    viewer, other = user_on("C1-T1", "viewer"), user_on("C2", "secretary")
    with pytest.raises(Forbidden):
        svc.review_open(by=viewer, year=2025, member=people["duc"])
    with pytest.raises(NotFound):
        svc.review_open(by=other, year=2025, member=people["duc"])
    r = cycle(people["hoa"])
    with pytest.raises(NotFound):
        sel.review_get(other, r.pk)
    with pytest.raises(NotFound):
        svc.review_decide(by=other, verdicts=[svc.Verdict(r, "good")], number="1-QĐ/ĐU")


def test_an_organisation_is_decided_by_its_immediate_superior_only(tree, user_on, admin_user):
    officer_c1, officer_d = user_on("C1", "officer"), user_on("D", "officer")
    r = svc.review_open(by=officer_c1, year=2025, org=tree["C1"])
    assert r.form == "01"
    r = svc.review_self(by=officer_c1, review=r, data=svc.SelfReview(tasks_total=12, tasks_exceeded=4,
                                                                     self_score="91", self_level="excellent"))  # fmt: skip
    r = svc.review_submit(by=officer_c1, review=r)
    r = svc.review_assess(by=officer_c1, review=r, data=svc.Assessment(cell_score="91", cell_level="excellent",
                                                                      votes_for=9, votes_base=11))  # fmt: skip
    assert r.facts["meetings_expected"] == 24 and "member_levels" in r.facts  # two cells × 12 months
    with pytest.raises(Forbidden) as e:  # C1's own officer may not decide C1's level
        svc.review_decide(by=officer_c1, verdicts=[svc.Verdict(r, "excellent")], number="5-QĐ/HU")
    assert "Đảng bộ huyện Đồi Núi" in e.value.message
    [r] = svc.review_decide(by=officer_d, verdicts=[svc.Verdict(r, "excellent")], number="5-QĐ/HU")
    assert r.level == "excellent"
    root = svc.review_open(by=admin_user, year=2025, org=tree["P"])
    root.state = State.REVIEWED
    with pytest.raises(Forbidden) as e:
        svc.review_decide(by=admin_user, verdicts=[svc.Verdict(root, "good")], number="1")
    assert "không có cấp trên" in e.value.message


def test_the_vote_must_carry_the_proposal(people, admin_user):
    r = svc.review_open(by=admin_user, year=2025, member=people["duc"])
    svc.review_self(by=admin_user, review=r, data=svc.SelfReview(self_score="75", self_level="good"))
    r = svc.review_submit(by=admin_user, review=r)
    for votes, base, field in ((2, 4, "votes_for"), (6, 5, "votes_for"), (3, None, "votes_base")):
        with pytest.raises(DomainError) as e:
            svc.review_assess(by=admin_user, review=r, data=svc.Assessment(cell_score="75", cell_level="good",
                                                                           votes_for=votes, votes_base=base))  # fmt: skip
        assert field in e.value.errors
    r.refresh_from_db()
    assert r.state == State.SUBMITTED


def test_a_member_who_was_not_a_member_in_the_period_is_refused(people, admin_user):
    with pytest.raises(DomainError) as e:  # Dung was admitted on 01/12/2025
        svc.review_open(by=admin_user, year=2024, member=people["dung"])
    assert e.value.errors["member"].startswith("«Trần Thị Dung» không sinh hoạt đảng trong năm 2024")
    with pytest.raises(DomainError):
        svc.commitment_save(by=admin_user, member=people["dung"], year=2024, target_level="good", content="x")
    svc.review_open(by=admin_user, year=2025, member=people["dung"])
    with pytest.raises(DomainError) as e:
        svc.review_open(by=admin_user, year=2025, member=people["dung"])
    assert "Đã có bản kiểm điểm năm 2025" in e.value.errors["member"]


def test_the_quota_on_excellent_is_checked_per_grassroots_organisation(people, cycle, add, admin_user, tree):
    for i in range(4):
        add(full_name=f"Vũ Văn Tốt {i}", card_number=f"01.00010{i}")
    from dangvu.members.models import Member

    members = list(Member.objects.filter(org__path__startswith=tree["C1"].path).order_by("pk"))
    assert len(members) >= 9
    reviews = [cycle(m, score="95", level="excellent", exceeded=4) for m in members[:2]]
    reviews += [cycle(m, score="80", level="good") for m in members[2:9]]
    # proposals: 2 excellent for 7 good, the cap is 20% of 7 = 1: C1 shows as breaking the quota
    [q] = sel.quota_rows(tree["D"], 2025)
    assert (q.org.code, q.excellent, q.base, q.cap, q.breaks) == ("C1", 2, 7, 1, True)
    with pytest.raises(DomainError) as e:
        svc.review_decide(by=admin_user, verdicts=[svc.Verdict(r, r.cell_level) for r in reviews],
                          number="20-QĐ/ĐU")  # fmt: skip
    assert "vượt tỷ lệ" in e.value.errors["level"] and "tối đa 1" in e.value.errors["level"]
    assert not Decision.objects.exists()  # all or nothing
    verdicts = [svc.Verdict(reviews[0], "excellent"), svc.Verdict(reviews[1], "good")]
    verdicts += [svc.Verdict(r, "good") for r in reviews[2:]]
    svc.review_decide(by=admin_user, verdicts=verdicts, number="20-QĐ/ĐU")
    assert sel.quota_rows(tree["D"], 2025) == []
    total, branches = sel.rollup(tree["D"], 2025)
    assert total["members"]["levels"] == {"excellent": 1, "good": 8, "completed": 0, "not_completed": 0}
    assert total["members"]["percent"]["excellent"] == round(100 / 9, 1)


def test_registration_and_commitments_show_who_has_not(people, user_on, tree):
    sec = user_on("C1-T1", "secretary")
    svc.registration_save(by=sec, org=tree["C1-T1"], year=2026, target_level="good",
                          goals="100% đảng viên học tập nghị quyết\nKết nạp 2 đảng viên")  # fmt: skip
    with pytest.raises(DomainError) as e:
        svc.registration_save(by=sec, org=tree["C1-T1"], year=2026, target_level="good", goals="  ")
    assert e.value.errors == {"goals": "Trường này là bắt buộc."}
    svc.commitment_save(by=sec, member=people["duc"], year=2026, target_level="excellent", content="Cam kết")
    rows = sel.members_of(tree["C1-T1"], 2026)
    done = {r.member.full_name for r in rows if r.commitment}
    assert done == {"Nguyễn Văn Đức"} and len(rows) == 5
    total, branches = sel.rollup(tree["C1"], 2026)
    t1 = next(b for b in branches if b["org"].code == "C1-T1")
    assert (t1["members"]["expected"], t1["members"]["committed"], t1["orgs"]["registered"]) == (5, 1, 1)
    assert total["orgs"]["expected"] == 3  # C1 and its two cells


def test_quarterly_reviews_are_separate_and_judged_by_their_own_period(people, admin_user):
    duc = people["duc"]
    q2 = svc.review_open(by=admin_user, year=2025, period="Q2", member=duc)
    q3 = svc.review_open(by=admin_user, year=2025, period="Q3", member=duc)
    year = svc.review_open(by=admin_user, year=2025, member=duc)
    assert (q2.period_label, q2.form, q3.form, year.form) == ("Quý II năm 2025", "2A", "2C", "2C")
    # before QĐ 366 (second quarter of 2025): levels without a score; after it (third quarter): scored
    svc.review_self(by=admin_user, review=q2, data=svc.SelfReview(self_level="good"))
    with pytest.raises(DomainError) as e:
        svc.review_self(by=admin_user, review=q3, data=svc.SelfReview(self_level="good"))
    assert "self_score" in e.value.errors
    with pytest.raises(DomainError) as e:
        svc.review_open(by=admin_user, year=2025, period="Q5", member=duc)
    assert e.value.errors == {"period": svc.ERR_PERIOD}
    assert [r.period for r in sel.review_list(admin_user, duc.org, 2025, "Q3")] == ["Q3"]


def test_a_returned_self_review_goes_back_to_draft_with_the_reason(people, admin_user):
    r = svc.review_open(by=admin_user, year=2025, member=people["hoa"])
    svc.review_self(by=admin_user, review=r, data=svc.SelfReview(self_score="75", self_level="good"))
    r = svc.review_submit(by=admin_user, review=r)
    with pytest.raises(DomainError) as e:
        svc.review_return(by=admin_user, review=r, reason=" ")
    assert "reason" in e.value.errors
    r = svc.review_return(by=admin_user, review=r, reason="Bổ sung phần hạn chế")
    assert r.state == State.DRAFT
    entry = AuditEntry.objects.filter(action="evaluations.return").get()
    assert entry.after["reason"] == "Bổ sung phần hạn chế"
