"""The admission cases' stored deadlines judged again by the rules and the calendar in force
(`dangvu recompute --domain admission`; the worker runs it when the admission rules change)."""

from __future__ import annotations

from dangvu.core.dates import fmt
from dangvu.core.recompute import Change, Result, batches, register

from .models import OPEN, Case
from .services import rejudge


@register("admission", "Thời hạn các bước kết nạp, công nhận chính thức", rules={"members.admission"})
def admission(*, dry_run: bool = False) -> Result:
    res = Result("admission")
    for case in (c for batch in batches(Case.objects.filter(stage__in=OPEN).order_by("pk")) for c in batch):
        res.checked += 1
        changes = rejudge(case, save=not dry_run)
        for field, old, new in changes:
            res.changes.append(Change(case.full_name, field, fmt(old) if old else None, fmt(new) if new else None))
        if changes and not dry_run:
            Case.objects.filter(pk=case.pk).update(next_step=case.next_step, next_due=case.next_due)
    return res
