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
    assert task.args_kwargs["args"] == [["meetings"]]
    run_worker()
    m.refresh_from_db()
    assert (m.met_count, m.failed) == before


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
