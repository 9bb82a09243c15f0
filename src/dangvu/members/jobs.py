"""The member registry's background jobs: Mẫu 7-HSĐV and the filtered list, for any subtree (a province's
register runs for seconds). Each reads through the owner's scope at run time, and dates come from the job, so a
run repeated after a crash gives the same file."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangvu.core.dates import fmt
from dangvu.core.xlsx import XLSX
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import exporter
from . import selectors as sel
from .forms import filters_from


def _printed(job) -> dt.date:
    return timezone.localdate(job.created_at)


@register("member.export_register")
def export_register(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    on = dt.date.fromisoformat(job.params["on"])
    tmp, n = exporter.register_xlsx(job.owner, org, on, printed=_printed(job), progress=progress)
    return Output.from_temp(tmp, f"mau-7-hsdv-{org.code}-{on:%Y%m%d}.xlsx", XLSX, n)


@register("member.export_list")
def export_list(job, progress) -> Output:
    params = dict(job.params)
    org = org_get(job.owner, params["org"]) if params.get("org") else None
    on = dt.date.fromisoformat(params.pop("on"))
    _, f = filters_from(params)
    qs = sel.member_list(job.owner, org=org, f=f)
    title = f"Danh sách đảng viên — {org.name if org else 'toàn phạm vi'} — {fmt(f.as_of or on)}"
    tmp, n = exporter.list_xlsx(qs, title, org, printed=_printed(job), progress=progress)
    return Output.from_temp(tmp, f"danh-sach-dang-vien-{org.code if org else 'tat-ca'}.xlsx", XLSX, n)
