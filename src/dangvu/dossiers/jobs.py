"""Dossier completeness of a subtree as a background job."""

from __future__ import annotations

from dangvu.core import xlsx
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import exporter
from . import selectors as sel


@register("dossiers.export")
def export(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    year = int(job.params["year"])
    progress(0, None, "Đang tính mức đầy đủ của hồ sơ")
    totals, branches = sel.rollup(org, year)
    _, rows = sel.org_rows(org, year, only_incomplete=job.params.get("filter") == "incomplete", limit=100_000)
    progress(len(rows), len(rows), "Đang ghi tệp Excel")
    book = exporter.completeness_xlsx(org, year, totals, branches, rows)
    return Output.from_temp(xlsx.save_temp(book), f"ho-so-{org.code}-{year}.xlsx", xlsx.XLSX, len(rows))
