"""Opening a month's dues sheet for a whole subtree, as a background job (a province has thousands of cells)."""

from __future__ import annotations

import datetime as dt

from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import services


@register("dues.open", replica=False)
def open_month(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    month = dt.date.fromisoformat(job.params["month"])
    progress(0, None, "Đang tính đảng phí phải nộp của từng đảng viên")
    n = services.month_open(by=job.owner, org=org, month=month)
    return Output.shown_at(f"/dues/?org={org.code}&period={month:%Y-%m}",
                           {"level": "success", "message": f"Đã lập sổ tháng {month:%m/%Y}: {n} dòng mới."}, n)  # fmt: skip
