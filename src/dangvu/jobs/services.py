"""Submitting, running and recovering jobs.

- `submit` records the job and puts its task on the queue in the same transaction (the queue is a table of the
  same database), so a job is never recorded without its task nor the reverse. The same owner submitting the
  same kind with the same parameters while it is queued or running gets that job back: a double click, a reload
  or a second tab has one effect.
- `run` is what the worker executes: it marks the job running, calls the runner with a throttled progress
  callback that is also the job's heartbeat, moves the output to the default storage (local folder or object
  storage) under `jobs/<id>/`, with its SHA-256, and marks the job done or failed (with a Vietnamese reason).
- `recover_stale` puts back on the queue the task of a job whose heartbeat stopped (its worker was killed, the
  machine restarted): the job is run again from the start and, runners being deterministic, gives the same file.
  The worker runs it when it starts and every minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from dangvu.core import audit
from dangvu.core.errors import DomainError

from . import registry
from .models import Job

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
ERR_FAILED = "Không thực hiện được do lỗi của hệ thống (đã ghi nhật ký lỗi); hãy thử lại hoặc báo quản trị."
ERR_OUT_OF_SCOPE = "Tài khoản không còn quyền xem tổ chức của việc này (quyền đã thay đổi sau khi yêu cầu)."
ERR_GAVE_UP = "Máy chạy nền đã dừng giữa chừng {n} lần khi làm việc này; hãy báo quản trị hệ thống."
PHASE_RETRY = "Chạy lại từ đầu sau khi máy chạy nền dừng giữa chừng (lần {n})"


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "DANGVU_JOB_STALE_SECONDS", 120)))


def fingerprint(kind: str, params: dict) -> str:
    return hashlib.sha256(json.dumps([kind, params], sort_keys=True, default=str).encode()).hexdigest()


def submit(*, by, kind: str, params: dict, label: str, org_path: str = "") -> Job:
    """The job for this owner, kind and parameters: the one queued or running if there is one, else a new one
    with its task on the queue."""
    from .tasks import run_job

    registry.get(kind)  # an unknown kind is a programming error, not a user's
    fp = fingerprint(kind, params)
    with transaction.atomic():
        # two clicks of the same owner run one after the other here (the owner's row is the lock)
        list(get_user_model().objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True))
        job = Job.objects.filter(
            owner=by, fingerprint=fp, state__in=[Job.State.QUEUED, Job.State.RUNNING]
        ).first()
        if job is not None:
            return job
        job = Job.objects.create(owner=by, kind=kind, params=params, label=label[:300], fingerprint=fp,
                                 org_path=org_path)  # fmt: skip
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


class _Progress:
    """`progress(done, total=None, phase=None)`: written to the job at most every half second (and always at a
    phase change), which is also the heartbeat `recover_stale` watches."""

    def __init__(self, job: Job):
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None, phase: str | None = None) -> None:
        now = time.monotonic()
        if phase is None and now - self.last < 0.5:
            return
        self.last = now
        fields = {"done": done, "heartbeat": timezone.now()}
        if total is not None:
            fields["total"] = total
        if phase is not None:
            fields["phase"] = phase
        Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING).update(**fields)


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _store(job: Job, path: str, name: str) -> str:
    target = f"jobs/{job.pk}/{name}"
    if default_storage.exists(target):  # an earlier, interrupted run
        default_storage.delete(target)
    with open(path, "rb") as fh:
        return default_storage.save(target, File(fh, name=name))


def run(job_id: int) -> None:
    from dangvu.core.files import normalise_zip

    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=job.attempts + 1, done=0,
                                         started_at=job.started_at or now, heartbeat=now)  # fmt: skip
    job.refresh_from_db()
    out = None
    try:
        out = registry.get(job.kind).runner(job, _Progress(job))
        if out.name.endswith((".xlsx", ".docx")):
            normalise_zip(out.path, job.created_at)  # the same bytes on every run of the same job
        digest, size = _sha256(out.path), os.path.getsize(out.path)
        stored = _store(job, out.path, out.name)
    except DomainError as e:
        _finish(job, state=Job.State.FAILED, error=e.message)
        return
    except Http404:
        _finish(job, state=Job.State.FAILED, error=ERR_OUT_OF_SCOPE)
        return
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, state=Job.State.FAILED, error=ERR_FAILED)
        return
    finally:
        if out is not None and os.path.exists(out.path):
            os.unlink(out.path)
    _finish(
        job,
        state=Job.State.DONE,
        file_name=stored,
        download_name=out.name,
        content_type=out.content_type,
        sha256=digest,
        size=size,
        rows=out.rows,
        done=out.rows if out.rows is not None else job.total or 0,
    )
    audit.record(
        by=job.owner,
        action=job.kind,
        object_type="jobs.job",
        object_id=job.pk,
        org_path=job.org_path,
        after={"params": job.params, "rows": out.rows, "sha256": digest},
    )


def _finish(job: Job, **fields) -> None:
    fields.setdefault("finished_at", timezone.now())
    Job.objects.filter(pk=job.pk).update(**fields)


def recover_stale(now: dt.datetime | None = None) -> list[int]:
    """Put back on the queue the tasks of running jobs whose heartbeat is older than `stale_after()`; give up after
    MAX_ATTEMPTS runs. Returns the ids of the jobs put back."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    back = []
    for job in Job.objects.filter(state=Job.State.RUNNING, heartbeat__lt=now - stale_after()):
        with transaction.atomic():
            task = DBTaskResult.objects.filter(id=job.task_id).first()
            if job.attempts >= MAX_ATTEMPTS:
                _finish(job, state=Job.State.FAILED, error=ERR_GAVE_UP.format(n=job.attempts))
                if task is not None and task.status == TaskResultStatus.RUNNING:
                    DBTaskResult.objects.filter(pk=task.pk).update(
                        status=TaskResultStatus.FAILED, finished_at=now
                    )
                continue
            if task is None:
                continue
            DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.READY, started_at=None)
            Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
                state=Job.State.QUEUED, done=0, phase=PHASE_RETRY.format(n=job.attempts + 1)
            )
            back.append(job.pk)
    if back:
        log.warning("jobs put back on the queue after a silent worker: %s", back)
    return back
