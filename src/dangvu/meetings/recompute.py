"""Meetings' stored figures (attendance, vote base, the quality criteria met) judged again by the rules in force
on each meeting's date (`dangvu recompute --domain meetings`)."""

from __future__ import annotations

from dangvu.core.dates import fmt
from dangvu.core.recompute import Change, Result, batches, register

from .models import Meeting
from .selectors import HELD
from .services import FIGURE_FIELDS, apply_checks, facts_of

SHOWN = ["met_count", "criteria_count", "failed", "expected", "vote_base", "rules_from"]


@register("meetings", "Chất lượng sinh hoạt chi bộ", rules={"meetings.quality", "meetings.voting", "meetings.bodies"})
def meetings(*, dry_run: bool = False) -> Result:
    res = Result("meetings")
    compared = [f for f in FIGURE_FIELDS if f != "updated_at"]
    qs = Meeting.objects.filter(state__in=HELD).order_by("organisation_id", "date")  # earlier meetings first
    for m in (m for batch in batches(qs) for m in batch):
        before = {f: getattr(m, f) for f in compared}
        apply_checks(m, facts_of(m))
        res.checked += 1
        diffs = [f for f in compared if before[f] != getattr(m, f)]
        if not diffs:
            continue
        what = f"{m.organisation.name}, {fmt(m.date)}"
        res.changes += [Change(what, f, before[f], getattr(m, f)) for f in diffs if f in SHOWN] or [
            Change(what, diffs[0], "…", "…")]  # fmt: skip
        if not dry_run:
            m.save(update_fields=FIGURE_FIELDS)
    return res
