"""The member registry's background jobs: Mẫu 7-HSĐV and the filtered list, for any subtree (a province's
register runs for seconds), and an import's two steps, the check and the write (100,000 rows take most of a
minute). Each reads through the owner's scope at run time, and dates come from the job, so a
run repeated after a crash gives the same file."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangvu.core import staging
from dangvu.core.dates import fmt
from dangvu.core.models import StagedFile
from dangvu.core.xlsx import XLSX
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import exporter, importer
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


# --- an import: checked (nothing written), then written once confirmed --------------------------------------

IMPORT_CHECK, IMPORT_WRITE = "member.import_check", "member.import_write"


def import_page(org_code: str, token: str, job_pk: int) -> str:
    """The import page showing this job's report (or its progress)."""
    return reverse("members:import") + f"?org={org_code}&token={token}&job={job_pk}"


def import_options(staged: StagedFile) -> dict:
    o = staged.options
    return {"only_valid": o.get("only_valid", False), "sheet": o.get("sheet", ""),
            "encodings": o.get("encodings") or None}  # fmt: skip


def _staged(job) -> StagedFile:
    return staging.get(user=job.owner, kind=importer.STAGED_KIND, token=job.params["token"], scope=job.params["org"])


@register(IMPORT_CHECK)
def import_check(job, progress) -> Output:
    """Read the file as its options say and check every row: the report (nothing written) for the import page."""
    org = org_get(job.owner, job.params["org"])
    staged = _staged(job)
    if staged.state != StagedFile.State.PENDING:
        raise importer.DomainError(staging.ERR_USED if staged.state == StagedFile.State.DONE else staging.ERR_GONE)
    report = importer.import_members(by=job.owner, org=org, source=str(staging.path_of(staged)), dry_run=True,
                                     progress=progress, **import_options(staged))  # fmt: skip
    return Output.shown_at(import_page(org.code, staged.token, job.pk), {"report": report.to_dict()}, report.rows)


@register(IMPORT_WRITE, replica=False)
def import_write(job, progress) -> Output:
    """Write the confirmed file, all or nothing and once: the staged file is claimed in the same transaction (a
    second run finds it used), and the rows are checked again with the organisation locked."""
    org = org_get(job.owner, job.params["org"])
    staged = _staged(job)
    with transaction.atomic():
        staged = staging.claim(staged)
        report = importer.import_members(by=job.owner, org=org, source=str(staging.path_of(staged)),
                                         progress=progress, **import_options(staged))  # fmt: skip
        nothing_new = report.ok and not (report.created or report.updated) and report.unchanged
        if report.written or nothing_new:
            staging.finish(staged)
    listing = reverse("members:list") + f"?org={org.code}"
    if nothing_new:
        return Output.shown_at(listing, {"level": "info", "message": f"Tệp không có gì mới: {report.unchanged} "
                                         "đảng viên đã có, không thay đổi."}, 0)  # fmt: skip
    if report.written:
        return Output.shown_at(listing, {"level": "success", "message": (
            f"Đã nhập {report.created} đảng viên mới, cập nhật {report.updated} đảng viên "
            f"({report.unchanged} không thay đổi).")}, report.created + report.updated)  # fmt: skip
    # refused (a row no longer passes, e.g. its card number was registered elsewhere meanwhile): the report
    return Output.shown_at(import_page(org.code, staged.token, job.pk), {"report": report.to_dict()}, 0)
