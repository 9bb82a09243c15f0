"""Transfers' stored deadlines judged again by the rules and the working-day calendar in force
(`dangvu recompute --domain transfers`)."""

from __future__ import annotations

from dangvu.core.dates import fmt
from dangvu.core.recompute import Change, Result, register

from .models import Transfer
from .services import TRANSFER_JUDGED, rejudge_transfer


@register("transfers", "Hạn giấy giới thiệu chuyển sinh hoạt", rules={"members.transfer"})
def transfers(*, dry_run: bool = False) -> Result:
    res = Result("transfers")
    changed = []
    qs = Transfer.objects.exclude(start_deadline__isnull=True).select_related("member").order_by("pk")
    for t in qs.iterator(chunk_size=500):
        res.checked += 1
        before = [getattr(t, f) for f in TRANSFER_JUDGED]
        if not rejudge_transfer(t):
            continue
        what = f"{t.member.full_name}, giới thiệu ngày {fmt(t.letter_on)}"
        for f, old in zip(TRANSFER_JUDGED, before, strict=True):
            new = getattr(t, f)
            if old != new:
                res.changes.append(Change(what, f, fmt(old) if old else None, fmt(new) if new else None))
        changed.append(t)
    if not dry_run:
        Transfer.objects.bulk_update(changed, TRANSFER_JUDGED, batch_size=500)
    return res
