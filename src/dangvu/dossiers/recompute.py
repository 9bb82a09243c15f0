"""Dossiers' stored completeness judged again by the catalogue in force for each dossier's year
(`dangvu recompute --domain dossiers`; the worker runs it when a catalogue changes)."""

from __future__ import annotations

from dangvu.core.recompute import Change, Result, batches, register

from .models import Dossier
from .services import missing, type_of


@register("dossiers", "Mức đầy đủ của hồ sơ", rules=set())
def dossiers(*, dry_run: bool = False) -> Result:
    res = Result("dossiers")
    for d in (d for batch in batches(Dossier.objects.order_by("pk")) for d in batch):
        res.checked += 1
        complete = not missing(d, type_of(d))
        if complete != d.complete:
            res.changes.append(Change(f"{d.organisation.name}, {d.code} năm {d.year_from}", "complete", d.complete,
                                      complete))  # fmt: skip
            if not dry_run:
                Dossier.objects.filter(pk=d.pk).update(complete=complete)
    return res
