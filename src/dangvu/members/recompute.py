"""Transfers' stored deadlines judged again by the rules and the working-day calendar in force
(`dangvu recompute --domain transfers`)."""

from __future__ import annotations

from dangvu.core.dates import fmt
from dangvu.core.recompute import Change, Result, register

from .models import Transfer
from .services import transfer_deadlines


@register("transfers", "Hạn giấy giới thiệu chuyển sinh hoạt", rules={"members.transfer"})
def transfers(*, dry_run: bool = False) -> Result:
    res = Result("transfers")
    changed = []
    qs = Transfer.objects.exclude(start_deadline__isnull=True).select_related("member").order_by("pk")
    for t in qs.iterator(chunk_size=500):
        res.checked += 1
        start_by, present_by = transfer_deadlines(t.event_on, t.letter_on)
        present_by = present_by if t.present_deadline is not None else None
        what = f"{t.member.full_name}, giới thiệu ngày {fmt(t.letter_on)}"
        for f, old, new in (("start_deadline", t.start_deadline, start_by), ("present_deadline", t.present_deadline,
                                                                              present_by)):  # fmt: skip
            if old != new:
                res.changes.append(Change(what, f, fmt(old) if old else None, fmt(new) if new else None))
        if (start_by, present_by) != (t.start_deadline, t.present_deadline):
            t.start_deadline, t.present_deadline = start_by, present_by
            changed.append(t)
    if not dry_run:
        Transfer.objects.bulk_update(changed, ["start_deadline", "present_deadline"], batch_size=500)
    return res
