"""The meeting dashboard's export as a background job."""

from __future__ import annotations

from django.utils import timezone

from dangvu.core import xlsx
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import exporter
from . import selectors as sel


@register("meeting.export")
def dashboard_export(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    period = sel.Period.parse(job.params["period"], timezone.localdate(job.created_at))
    flt = job.params.get("filter", "")
    progress(0, None, "Đang tính số liệu của các chi bộ")
    cells = list(sel.dashboard_cells(job.owner, org, period, flt))
    by_cell = sel.cell_meetings(cells, period)
    progress(len(cells), len(cells), "Đang ghi tệp Excel")
    book = exporter.dashboard_xlsx(org, period, sel.dashboard(job.owner, org, period), cells, by_cell)
    return Output.from_temp(xlsx.save_temp(book), f"sinh-hoat-chi-bo-{org.code}-{period.key}.xlsx", xlsx.XLSX,
                            len(cells))  # fmt: skip
