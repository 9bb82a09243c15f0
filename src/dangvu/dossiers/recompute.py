"""Dossiers' stored completeness judged again by the catalogue in force for each dossier's year
(`dangvu recompute --domain dossiers`; the worker runs it when a catalogue changes)."""

from __future__ import annotations

from dangvu.core.recompute import Change, Result, batches, register

from .models import Dossier
from .services import judged, type_of


@register("dossiers", "Mức đầy đủ của hồ sơ", rules={"dossiers.catalogue"})
def dossiers(*, dry_run: bool = False) -> Result:
    res = Result("dossiers")
    for d in (d for batch in batches(Dossier.objects.order_by("pk")) for d in batch):
        res.checked += 1
        now = judged(d, type_of(d))
        diffs = {f: v for f, v in now.items() if getattr(d, f) != v}
        if not diffs:
            continue
        what = f"{d.organisation.name}, {d.code} năm {d.year_from}"
        res.changes += [Change(what, f, getattr(d, f), v) for f, v in diffs.items()]
        if not dry_run:
            Dossier.objects.filter(pk=d.pk).update(**diffs)
    return res
