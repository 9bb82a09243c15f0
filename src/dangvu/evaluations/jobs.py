"""Evaluation results of a subtree as a background job."""

from __future__ import annotations

from dangvu.core import xlsx
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import exporter
from . import selectors as sel
from .models import Period


@register("evaluations.export")
def export(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    year, period = int(job.params["year"]), job.params["period"]
    progress(0, None, "Đang tổng hợp kết quả xếp loại")
    total, branches = sel.rollup(org, year, period)
    progress(0, None, "Đang ghi tệp Excel")
    book = exporter.results_xlsx(job.owner, org, year, period, total, branches)
    suffix = "" if period == Period.YEAR else f"-{period}"
    return Output.from_temp(xlsx.save_temp(book), f"xep-loai-{org.code}-{year}{suffix}.xlsx", xlsx.XLSX)
