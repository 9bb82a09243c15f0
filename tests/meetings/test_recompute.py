"""Stored judgments never go stale: a meeting's stored quality was judged by the rule set in force on its date;
when that rule set is edited, `dangvu recompute --dry-run` says what would change and writes nothing, the real
run writes it, and saving the rule set has the worker do the same by itself."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from dangvu.core.models import AuditEntry, RuleSet
from dangvu.core.rules import version
from dangvu.evaluations import services as esvc
from dangvu.meetings.models import Meeting
from tests.jobs.helpers import run_worker
from tests.meetings.conftest import complete

pytestmark = pytest.mark.django_db


def _stricter_duration(minutes: int) -> RuleSet:
    rs = RuleSet.objects.get(
        domain="meetings.quality", valid_from=version("meetings.quality", dt.date(2026, 3, 10))
    )
    rs.params = {**rs.params, "min_minutes": minutes}
    return rs


def test_an_edited_rule_set_rejudges_the_meetings_it_governs(
    meet, admin_user, people, django_capture_on_commit_callbacks
):
    m = meet(marks={})
    complete(admin_user, m, people)  # 105 minutes: meets the 90-minute rule
    m.refresh_from_db()
    before = (m.met_count, m.failed)
    rs = _stricter_duration(120)
    RuleSet.objects.filter(pk=rs.pk).update(params=rs.params)  # edited behind the app: nothing recomputed yet
    from dangvu.core.rules import clear_cache

    clear_cache()
    out = io.StringIO()
    call_command("recompute", "--domain", "meetings", "--dry-run", stdout=out)
    text = out.getvalue()
    assert (
        "Chất lượng sinh hoạt chi bộ: 1 đã xét, sẽ đổi 1." in text
        and "Chi bộ thôn Nà Lộc, 10/03/2026" in text
    )
    m.refresh_from_db()
    assert (m.met_count, m.failed) == before  # a dry run writes nothing
    out = io.StringIO()
    call_command("recompute", "--domain", "meetings", stdout=out)
    m.refresh_from_db()
    assert m.met_count == before[0] - 1 and m.failed != before[1]  # the duration criterion now fails
    assert AuditEntry.objects.filter(action="rules.recompute").exists()
    # saved through the model (the admin's form): the worker is asked to judge again, by itself
    rs.params = {**rs.params, "min_minutes": 90}
    with django_capture_on_commit_callbacks(execute=True):
        rs.save()
    task = DBTaskResult.objects.ready().get(task_path="dangvu.jobs.tasks.recompute")
    assert task.args_kwargs["args"] == [["evaluations", "meetings"]]  # and the reviews resting on meetings
    run_worker()
    m.refresh_from_db()
    assert (m.met_count, m.failed) == before


def _assessed(by, org, year=2026):
    r = esvc.review_open(by=by, year=year, org=org)
    r = esvc.review_self(by=by, review=r, data=esvc.SelfReview(tasks_total=5, tasks_exceeded=1, self_score="80",
                                                               self_level="good"))  # fmt: skip
    r = esvc.review_submit(by=by, review=r)
    return esvc.review_assess(by=by, review=r, data=esvc.Assessment(cell_score="80", cell_level="good",
                                                                    votes_for=4, votes_base=5))  # fmt: skip


def test_reviews_not_yet_decided_rest_on_the_meetings_as_judged_again(meet, admin_user, people, tree):
    m = complete(admin_user, meet(marks={}), people)  # C1-T1, 10/03/2026, 105 minutes
    commune = _assessed(admin_user, tree["C1"])  # reviewed, not decided: form 01's facts stored
    cell = _assessed(admin_user, tree["C1-T1"])
    [cell] = esvc.review_decide(by=admin_user, verdicts=[esvc.Verdict(cell, "good")], number="3-QĐ/ĐU")
    pct = commune.facts["meeting_criteria_pct"]
    assert pct == cell.facts["meeting_criteria_pct"] == round(100 * m.met_count / m.criteria_count, 1)
    rs = _stricter_duration(120)
    RuleSet.objects.filter(pk=rs.pk).update(params=rs.params)
    from dangvu.core.rules import clear_cache

    clear_cache()
    out = io.StringIO()
    call_command("recompute", "--domain", "evaluations", "--domain", "meetings", stdout=out)
    text = out.getvalue()
    # the meetings first (the reviews read them), then the review: its facts follow, the decided one keeps its own
    assert text.index("Chất lượng sinh hoạt chi bộ") < text.index("Cơ sở đánh giá, xếp loại chưa quyết định")
    assert "Cơ sở đánh giá, xếp loại chưa quyết định: 1 đã xét, đã đổi 1." in text
    assert "Đảng bộ xã Khánh Yên, kiểm điểm 2026: meeting_criteria_pct" in text
    commune.refresh_from_db()
    cell.refresh_from_db()
    m.refresh_from_db()
    assert commune.facts["meeting_criteria_pct"] == round(100 * m.met_count / m.criteria_count, 1) < pct
    assert cell.facts["meeting_criteria_pct"] == pct  # decided on what it was decided on


def test_a_new_version_of_the_score_bands_is_recorded_on_the_reviews_it_now_judges(people, admin_user):
    r = esvc.review_open(by=admin_user, year=2026, member=people["an"])
    old = r.rules_from
    current = RuleSet.objects.get(domain="evaluations.levels", valid_from=old)
    RuleSet.objects.create(domain="evaluations.levels", valid_from=dt.date(2026, 6, 1), params=current.params,
                           source="Hướng dẫn mới (thử)")  # fmt: skip
    out = io.StringIO()
    call_command("recompute", "--domain", "evaluations", "--dry-run", stdout=out)
    assert f"rules_from '{old:%d/%m/%Y}' → '01/06/2026'" in out.getvalue()
    r.refresh_from_db()
    assert r.rules_from == old
    call_command("recompute", "--domain", "evaluations", stdout=io.StringIO())
    r.refresh_from_db()
    assert r.rules_from == dt.date(2026, 6, 1)


def test_recomputers_run_after_those_they_read():
    from dangvu.core import recompute as rc

    assert rc.ordered(["evaluations", "meetings", "dossiers"]) == ["dossiers", "meetings", "evaluations"]
    assert rc.affected_by("meetings.quality") == ["evaluations", "meetings"]
    assert rc.affected_by("dossiers.catalogue") == ["dossiers", "evaluations"]
    assert rc.affected_by("members.transfer") == ["transfers"]


def test_recompute_refuses_an_unknown_domain():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có miền"):
        call_command("recompute", "--domain", "khong-co")


def test_every_domain_runs_on_an_empty_installation():
    out = io.StringIO()
    call_command("recompute", "--dry-run", stdout=out)
    assert {"Chất lượng sinh hoạt chi bộ", "Mức đầy đủ của hồ sơ", "Hạn giấy giới thiệu chuyển sinh hoạt"} <= {
        line.split(":")[0] for line in out.getvalue().splitlines() if not line.startswith(" ")}  # fmt: skip
    assert Meeting.objects.count() == 0
