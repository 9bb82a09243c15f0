"""/healthz answers a monitor: 200 with each part "ok", 503 when the queue is stuck (jobs waiting, no worker)."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dangvu.jobs import services as jobs
from dangvu.jobs.models import WorkerBeat
from tests.members.conftest import add, people  # noqa: F401, F811  (fixtures)

pytestmark = pytest.mark.django_db


def test_healthy_installation(client):
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "ok"
    assert body["database"] == "ok" and body["storage"] == "ok" and body["replica"] == "không dùng"
    assert body["queue"]["waiting"] == 0 and "no-store" in r["Cache-Control"]


def test_jobs_waiting_without_a_worker_is_a_503_and_a_worker_beat_clears_it(client, admin_user, people):  # noqa: F811
    job = jobs.submit(by=admin_user, kind="member.export_list", params={"org": "C1", "on": "2026-11-30"}, label="x")
    DBTaskResult.objects.filter(id=job.task_id).update(enqueued_at=timezone.now() - dt.timedelta(minutes=10))
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["queue"]["waiting"] == 1 and r.json()["queue"]["workers"] == 0
    jobs.beat("w1")
    assert WorkerBeat.objects.get().pid > 0
    assert client.get("/healthz").status_code == 200  # a worker is alive: it will get there
    jobs.beat("w1", gone=True)
    assert not WorkerBeat.objects.exists()
