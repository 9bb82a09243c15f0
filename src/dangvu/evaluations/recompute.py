"""Reviews not yet decided judged again (`dangvu recompute --domain evaluations`): the version of the rules
that judges each (the score bands, the forms, the cap: those in force on the period's last day) and, for an
organisation already reviewed by its collective, the facts its form 01 rests on (the meeting record, the
dossiers, the members' results), which change when meetings or dossiers are judged again. A decided review
keeps what it was decided on: the decision is the record."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from dangvu.core.dates import fmt
from dangvu.core.recompute import Change, Result, batches, register

from . import rules as lv
from . import selectors as sel
from .models import Review, State, Subject

FACTS_SHOWN = ["meetings_held", "meetings_expected", "meeting_criteria_pct", "dossiers_present",
               "dossiers_required", "members_reviewed", "members_disciplined"]  # fmt: skip


def _as_stored(facts: dict) -> dict:
    return json.loads(json.dumps(facts, cls=DjangoJSONEncoder))


@register("evaluations", "Cơ sở đánh giá, xếp loại chưa quyết định", rules={"evaluations.levels"},
          after={"meetings", "dossiers"})  # fmt: skip
def evaluations(*, dry_run: bool = False) -> Result:
    res = Result("evaluations")
    qs = Review.objects.exclude(state=State.DECIDED).order_by("pk")
    for r in (r for batch in batches(qs) for r in batch):
        res.checked += 1
        update: dict = {}
        since, _ = lv.in_force(r.year, r.period)
        if since != r.rules_from or (r.subject == Subject.ORGANISATION and r.state == State.REVIEWED):
            what = f"{r.subject_name}, kiểm điểm {r.period_label}"  # one query: only for those that may change
        if since != r.rules_from:
            res.changes.append(Change(what, "rules_from", fmt(r.rules_from) if r.rules_from else None, fmt(since)))
            update["rules_from"] = since
        if r.subject == Subject.ORGANISATION and r.state == State.REVIEWED:
            facts = _as_stored(sel.org_facts(r.organisation, r.year, r.period))
            if facts != r.facts:
                res.changes += [Change(what, f, r.facts.get(f), facts.get(f)) for f in FACTS_SHOWN
                                if r.facts.get(f) != facts.get(f)] or [Change(what, "facts", "…", "…")]  # fmt: skip
                update["facts"] = facts
        if update and not dry_run:
            Review.objects.filter(pk=r.pk).update(**update)
    return res
