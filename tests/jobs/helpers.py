"""Exports are background jobs: ask for one as the page does (POST), let the worker run it, download the file."""

from unittest import mock
from urllib.parse import urlencode

from django.core.management import call_command

from dangvu.jobs.models import Job


def run_worker() -> None:
    """`dangvu worker --batch` in the test's own transaction. The worker closes "old" connections between tasks,
    as a request does, and a connection inside a test's transaction looks old to it (autocommit off): as Django's
    test client does for requests, that step is left out here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def export(client, url: str, data: dict | None = None) -> bytes:
    r = client.post(url + (("&" if "?" in url else "?") + urlencode(data) if data else ""))
    assert r.status_code == 302 and "/jobs/" in r["Location"], (url, r.status_code)
    pk = int(r["Location"].rstrip("/").split("/")[-1])
    run_worker()
    d = client.get(f"/jobs/{pk}/download/")
    assert d.status_code == 200, (url, Job.objects.get(pk=pk).error)
    return b"".join(d.streaming_content)
