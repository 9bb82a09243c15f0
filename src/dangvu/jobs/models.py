"""A job: long work (an export of a branch, an import, a recomputation) done by the worker, not inside a request.

The queue itself is django-tasks' database backend (`django_tasks_db.DBTaskResult`: one row per run, claimed with
a row lock); a `Job` is what the user sees of it: whose it is, what it does, how far it has come, and the file it
produced. One job may take several runs of its task (a worker killed mid-run is detected by its silent heartbeat
and the task is put back in the queue, `services.recover_stale`)."""

from django.conf import settings
from django.db import models


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Không thành công"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=60)
    label = models.CharField(max_length=300)
    params = models.JSONField(default=dict)
    # the same kind and params queued or running for the same owner is the same job (a double click has one effect)
    fingerprint = models.CharField(max_length=64)
    org_path = models.CharField(max_length=255, blank=True, default="")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    phase = models.CharField(max_length=120, blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    # the primary's WAL position when submitted: the job reads from a replica only once it has replayed this far
    read_after = models.CharField(max_length=32, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255, blank=True, default="")  # in the default storage
    download_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=120, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    # a job that makes no file (an import) ends with a result to show: {"message": …, "level": …, …} and its page
    result = models.JSONField(default=dict, blank=True)
    result_url = models.CharField(max_length=500, blank=True, default="")
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "việc chạy nền"
        verbose_name_plural = "việc chạy nền"
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
            models.Index(fields=["state", "heartbeat"], name="job_state_heartbeat"),
            models.Index(fields=["owner", "fingerprint", "state"], name="job_owner_fingerprint"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, int(100 * self.done / self.total))


ACTIVE = (Job.State.QUEUED, Job.State.RUNNING)  # holds its owner's place on the queue
FINISHED = (Job.State.DONE, Job.State.FAILED)


class WorkerBeat(models.Model):
    """A running `dangvu worker`, seen at its start and every minute after (`/healthz` tells whether the queue is
    being worked)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "máy chạy nền"
        verbose_name_plural = "máy chạy nền"

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
