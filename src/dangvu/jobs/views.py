"""'Việc đang chạy': the user's jobs, each with its progress (htmx polls the fragment every second while it runs)
and its file when done."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dangvu.core import audit
from dangvu.core.files import ERR_CHANGED, sha256_stream

from . import selectors as sel
from .models import Job

ERR_GONE = "Tệp kết quả của việc này không còn (đã quá thời hạn lưu); hãy xuất lại."

# a job still queued after this long means no worker is running: say so instead of a bar that never moves
WAITING_TOO_LONG = dt.timedelta(seconds=30)


def _ctx(job: Job) -> dict:
    waiting = job.state == Job.State.QUEUED and timezone.now() - job.created_at > WAITING_TOO_LONG
    return {"job": job, "waiting_long": waiting}


def start(request, *, kind: str, params: dict, label: str, org_path: str = ""):
    """What an export button does: queue the job and open its page; a refusal (too many jobs at once, a filter
    too long) is shown on the job list instead."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from dangvu.core.errors import DomainError

    from . import services

    try:
        job = services.submit(by=request.user, kind=kind, params=params, label=label, org_path=org_path)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("jobs:list")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_list(request):
    jobs = sel.jobs_of(request.user)
    active = any(not j.finished for j in jobs)
    tpl = "jobs/_list.html" if request.htmx else "jobs/list.html"
    return render(request, tpl, {"jobs": jobs, "active": active})


@login_required
def job_detail(request, pk: int):
    return render(request, "jobs/detail.html", _ctx(sel.job_get(request.user, pk)))


@login_required
def job_progress(request, pk: int):
    """The fragment a watching page polls. A job whose result is shown by a page of its own (an import's report,
    the member list after an import) sends the watcher there when it ends, with its message."""
    job = sel.job_get(request.user, pk)
    if request.htmx and job.state == Job.State.DONE and job.result_url:
        from django.contrib import messages

        message = (job.result or {}).get("message")
        if message:
            level = {"info": messages.INFO, "error": messages.ERROR}.get(job.result.get("level"), messages.SUCCESS)
            messages.add_message(request, level, message)
        r = HttpResponse(status=204)
        r["HX-Redirect"] = job.result_url
        return r
    return render(request, "jobs/_progress.html", _ctx(job))


@login_required
def job_download(request, pk: int):
    job = sel.job_get(request.user, pk)
    if job.state != Job.State.DONE or not job.file_name:
        return HttpResponse(
            "Việc này chưa có tệp kết quả.", status=409, content_type="text/plain; charset=utf-8"
        )
    # one read of the store (an S3 object is fetched once): hashed on the way into a spool that is then served
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (the response closes it)
    try:
        with default_storage.open(job.file_name, "rb") as fh:
            digest, _ = sha256_stream(fh, copy_to=spool)
    except FileNotFoundError:
        spool.close()
        return HttpResponse(ERR_GONE, status=410, content_type="text/plain; charset=utf-8")
    info = {"job": job.pk, "kind": job.kind, "sha256": job.sha256}
    if digest != job.sha256:
        spool.close()
        audit.record(by=request.user, action="job.file_corrupt", object_type="jobs.job", object_id=job.pk,
                     org_path=job.org_path, after=info)  # fmt: skip
        return HttpResponse(ERR_CHANGED, status=409, content_type="text/plain; charset=utf-8")
    audit.record(by=request.user, action="job.file_download", object_type="jobs.job", object_id=job.pk,
                 org_path=job.org_path, after=info)  # fmt: skip
    spool.seek(0)
    r = FileResponse(spool, as_attachment=True, filename=job.download_name,
                     content_type=job.content_type or "application/octet-stream")  # fmt: skip
    r["X-Content-Type-Options"] = "nosniff"
    return r
