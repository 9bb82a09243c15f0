"""The audit log's export as a background job (a province's log has hundreds of thousands of rows)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from dangvu.core.errors import DomainError
from dangvu.core.xlsx import XLSX
from dangvu.jobs.registry import Output, register

from . import exporter
from .forms import audit_query


@register("audit.export")
def audit_export(job, progress) -> Output:
    try:
        _, qs = audit_query(job.owner, job.params)
    except PermissionDenied as e:
        raise DomainError(str(e)) from None
    # the log as it stood when the export was asked for: a run repeated later gives the same rows
    tmp, n = exporter.audit_xlsx(qs.filter(at__lte=job.created_at), progress=progress)
    return Output.from_temp(tmp, "nhat-ky.xlsx", XLSX, n)
