"""The statistics form as a background job: a province's (or the nation's) figures take longer than a request."""

from __future__ import annotations

import datetime as dt

from dangvu.core import xlsx
from dangvu.core.dates import fmt
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import exporter
from . import selectors as sel


def _year_before(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


@register("stats.export")
def statistics_export(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    on = dt.date.fromisoformat(job.params["on"])
    date_from = dt.date.fromisoformat(job.params["date_from"])
    progress(0, 2, "Đang tính số liệu kỳ này")
    f = sel.figures(job.owner, org, on, date_from, on)
    progress(1, 2, "Đang tính số liệu cùng kỳ năm trước")
    before = sel.figures(job.owner, org, _year_before(on), _year_before(date_from), _year_before(on))
    progress(2, 2, "Đang ghi tệp Excel")
    tmp = exporter.statistics_xlsx(f, before, f"cùng kỳ năm trước, {fmt(before.on)}")
    return Output.from_temp(tmp, f"thong-ke-{org.code}-{on:%Y%m%d}.xlsx", xlsx.XLSX, f.total)
