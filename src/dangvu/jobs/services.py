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
import threading
import time
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from dangvu.core import audit, replica
from dangvu.core.errors import DomainError

from . import registry
from .models import ACTIVE, FINISHED, Job

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MAX_ACTIVE = 5  # queued or running per user: the queue is shared
MAX_PARAM_CHARS = 200
HEARTBEAT_SECONDS = 10
ERR_TOO_MANY = "Đang có {n} việc chờ hoặc đang chạy; hãy đợi các việc đó xong rồi xuất tiếp."
ERR_PARAM = "Điều kiện lọc «{key}» quá dài; hãy rút gọn rồi xuất lại."
ERR_FAILED = "Không thực hiện được do lỗi của hệ thống (đã ghi nhật ký lỗi); hãy thử lại hoặc báo quản trị."
ERR_TOO_LONG = "Việc chạy quá lâu (một truy vấn quá {s} giây) nên đã dừng; hãy thu hẹp phạm vi rồi xuất lại."
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
    for key, value in params.items():
        if len(str(key)) > 40 or len(str(value)) > MAX_PARAM_CHARS:
            raise DomainError(ERR_PARAM.format(key=str(key)[:40]))
    fp = fingerprint(kind, params)
    with transaction.atomic():
        # two clicks of the same owner run one after the other here (the owner's row is the lock)
        list(get_user_model().objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True))
        job = Job.objects.filter(owner=by, fingerprint=fp, state__in=ACTIVE).first()
        if job is not None:
            return job
        active = Job.objects.filter(owner=by, state__in=ACTIVE).count()
        if active >= MAX_ACTIVE:
            raise DomainError(ERR_TOO_MANY.format(n=active))
        job = Job.objects.create(owner=by, kind=kind, params=params, label=label[:300], fingerprint=fp,
                                 org_path=org_path, read_after=replica.primary_position() or "")  # fmt: skip
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


class _Tracker:
    """A run's progress and heartbeat, written by a thread of its own on its own database connection: the runner
    only calls `progress(done, total=None, phase=None)`, which records the figures in memory. So the runner's
    connection never writes while its export reads (SQLite refuses a write from a connection whose read snapshot
    is older than another writer's commit), and a long phase without progress still beats. The thread writes
    within a second of a change, and beats at least every quarter of the stale delay; only into the run it
    belongs to (`attempts`), and each failed write is only a missed beat."""

    def __init__(self, pk: int, attempt: int):
        self.pk, self.attempt = pk, attempt
        self.fields: dict = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.every = max(0.25, min(float(HEARTBEAT_SECONDS), stale_after().total_seconds() / 4))
        self.thread = threading.Thread(target=self._run, name=f"job-{pk}-tracker", daemon=True)

    def __call__(self, done: int, total: int | None = None, phase: str | None = None) -> None:
        with self.lock:
            self.fields["done"] = done
            if total is not None:
                self.fields["total"] = total
            if phase is not None:
                self.fields["phase"] = phase

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(10)

    def _run(self) -> None:
        from django.db import close_old_connections, connections

        last_beat = time.monotonic()
        try:
            while not self.stopped.wait(min(1.0, self.every)):
                with self.lock:
                    fields, self.fields = self.fields, {}
                if not fields and time.monotonic() - last_beat < self.every:
                    continue
                try:
                    Job.objects.filter(pk=self.pk, state=Job.State.RUNNING, attempts=self.attempt).update(
                        heartbeat=timezone.now(), **fields
                    )
                    last_beat = time.monotonic()
                except Exception:  # noqa: BLE001 — a missed beat only risks a rerun, never a wrong file
                    log.warning("job %s: progress not written", self.pk, exc_info=True)
                    close_old_connections()
        finally:
            connections.close_all()


def _store(job: Job, path: str, name: str) -> str:
    target = f"jobs/{job.pk}/{name}"
    if default_storage.exists(target):  # an earlier, interrupted run
        default_storage.delete(target)
    with open(path, "rb") as fh:
        return default_storage.save(target, File(fh, name=name))


def run(job_id: int) -> None:
    from dangvu.core.files import normalise_zip, sha256_path

    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    now = timezone.now()
    attempt = job.attempts + 1
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=attempt, done=0,
                                         started_at=job.started_at or now, heartbeat=now)  # fmt: skip
    job.refresh_from_db()
    out = None
    alive = _Tracker(job.pk, attempt)
    alive.start()
    kind = registry.get(job.kind)
    stored, digest, size = "", "", None
    try:
        # a province's export reads from the replica, if any (once it has replayed the submission)
        reads = replica.reads(after=job.read_after or None) if kind.replica else nullcontext()
        with reads, _statement_limit():
            out = kind.runner(job, alive)
        if out.path is not None:
            if out.name.endswith((".xlsx", ".docx")):
                normalise_zip(out.path, job.created_at)  # the same bytes on every run of the same job
            digest, size = sha256_path(out.path), os.path.getsize(out.path)
            stored = _store(job, out.path, out.name)
    except DomainError as e:
        _finish(job, state=Job.State.FAILED, error=e.message)
        return
    except Http404:
        _finish(job, state=Job.State.FAILED, error=ERR_OUT_OF_SCOPE)
        return
    except Exception as e:
        if getattr(e.__cause__, "sqlstate", "") == "57014":  # query_canceled: the statement limit below
            _finish(job, state=Job.State.FAILED, error=ERR_TOO_LONG.format(s=_limit_seconds()))
            return
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, state=Job.State.FAILED, error=ERR_FAILED)
        return
    finally:
        alive.stop()
        if out is not None and out.path is not None and os.path.exists(out.path):
            os.unlink(out.path)
    if not _finish(
        job,
        state=Job.State.DONE,
        file_name=stored,
        download_name=out.name,
        content_type=out.content_type,
        sha256=digest,
        size=size,
        rows=out.rows,
        done=out.rows if out.rows is not None else job.total or 0,
        **({"total": out.rows} if out.rows is not None else {}),
        result=out.result or {},
        result_url=out.url,
    ):
        return  # put back on the queue meanwhile: the run that holds the job now writes its end
    audit.record(
        by=job.owner,
        action=job.kind,
        object_type="jobs.job",
        object_id=job.pk,
        org_path=job.org_path,
        after={"params": job.params, "rows": out.rows, "sha256": digest or None,
               "result": (out.result or {}).get("message")},  # fmt: skip
    )


def _limit_seconds() -> int:
    return int(getattr(settings, "DANGVU_JOB_STATEMENT_SECONDS", 900))


@contextmanager
def _statement_limit():
    """On PostgreSQL no statement of a job runs longer than DANGVU_JOB_STATEMENT_SECONDS: a query stuck for
    ever would otherwise keep its job's heartbeat beating, and the job would never end."""
    from django.db import connections

    aliases = [a for a in ("default", replica.ALIAS) if a in settings.DATABASES
               and connections[a].vendor == "postgresql"]  # fmt: skip
    if replica.ALIAS in aliases and not replica.available():
        aliases.remove(replica.ALIAS)
    for a in list(aliases):
        try:
            with connections[a].cursor() as c:
                c.execute("SELECT set_config('statement_timeout', %s, false)", [f"{_limit_seconds() * 1000}"])
        except Exception:
            if a == "default":
                raise
            aliases.remove(a)  # a replica that does not answer is not read from anyway (core.replica)
    try:
        yield
    finally:
        for a in aliases:
            try:
                with connections[a].cursor() as c:
                    c.execute("RESET statement_timeout")
            except Exception:  # noqa: BLE001 — a broken connection is closed by Django anyway
                log.debug("could not reset statement_timeout on %s", a, exc_info=True)


def _finish(job: Job, **fields) -> bool:
    """Only the run that holds the job writes its end (a run put back on the queue and started again owns it)."""
    fields.setdefault("finished_at", timezone.now())
    return bool(
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts).update(**fields)
    )


def purge(now: dt.datetime | None = None) -> int:
    """Finished jobs older than DANGVU_JOB_KEEP_DAYS go, with their files and their task rows."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=int(getattr(settings, "DANGVU_JOB_KEEP_DAYS", 7)))
    old = list(Job.objects.filter(state__in=FINISHED, finished_at__lt=cutoff))
    for job in old:
        if job.file_name and default_storage.exists(job.file_name):
            default_storage.delete(job.file_name)
    Job.objects.filter(pk__in=[j.pk for j in old]).delete()
    DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return len(old)


def recover_stale(now: dt.datetime | None = None) -> list[int]:
    """Put back on the queue the running jobs whose heartbeat is older than `stale_after()` (their worker died):
    a new task runs each from the start; after MAX_ATTEMPTS runs the job fails with a reason. Each job is taken
    with a conditional update, so two sweepers never both put it back, and a run that was only slow finds the
    job no longer its own (`_finish` checks `attempts`). Returns the ids of the jobs put back."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import run_job

    now = now or timezone.now()
    cutoff = now - stale_after()
    back = []
    for job in Job.objects.filter(state=Job.State.RUNNING, heartbeat__lt=cutoff):
        mine = Job.objects.filter(
            pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts, heartbeat__lt=cutoff
        )
        with transaction.atomic():
            if job.attempts >= MAX_ATTEMPTS:
                mine.update(state=Job.State.FAILED, error=ERR_GAVE_UP.format(n=job.attempts), finished_at=now)
            elif mine.update(state=Job.State.QUEUED, done=0, phase=PHASE_RETRY.format(n=job.attempts + 1)):
                task = run_job.enqueue(job.pk)
                Job.objects.filter(pk=job.pk).update(task_id=str(task.id))
                back.append(job.pk)
            else:
                continue
            # the dead run's task row is closed, so that it can be purged like any other
            DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=now
            )
    if back:
        log.warning("jobs put back on the queue after a silent worker: %s", back)
    return back


def beat(worker_id: str, *, gone: bool = False) -> None:
    """A worker says it is alive (or, leaving cleanly, that it is gone)."""
    import socket

    from .models import WorkerBeat

    if gone:
        WorkerBeat.objects.filter(worker_id=worker_id).delete()
        return
    now = timezone.now()
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
        "host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now}, create_defaults={
        "host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now, "started_at": now})  # fmt: skip


def queue_health(now: dt.datetime | None = None) -> dict:
    """What /healthz says of the queue: tasks waiting, the oldest wait, workers seen in the last three minutes."""
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerBeat

    now = now or timezone.now()
    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    workers = WorkerBeat.objects.filter(seen_at__gte=now - dt.timedelta(minutes=3)).count()
    oldest_s = int((now - oldest).total_seconds()) if oldest else 0
    return {"waiting": waiting.count(), "oldest_wait_seconds": oldest_s, "workers": workers,
            "ok": workers > 0 or oldest_s < 300}  # fmt: skip


def queue_ocr(obj, field: str = "file") -> None:
    """Read the text of a scan just stored, by the worker, once the upload's transaction has committed."""
    from .tasks import ocr

    label, pk = obj._meta.label_lower, obj.pk
    transaction.on_commit(lambda: ocr.enqueue(label, pk, field))
