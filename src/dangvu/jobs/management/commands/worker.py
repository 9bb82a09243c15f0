"""`dangvu worker`: runs the background jobs (django-tasks' database worker), after putting back on the queue any
job whose worker died mid-run, and again every minute while it runs. Production runs it under systemd
(`deploy/dangvu-worker.service`); `make run` starts one beside the web server."""

from __future__ import annotations

import logging
import threading

from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorker

log = logging.getLogger("dangvu.jobs")


class Command(DbWorker):
    help = (
        "Chạy các việc nền (xuất Excel của cả nhánh, tính lại…): django-tasks, hàng đợi trong cơ sở dữ liệu."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
        parser.add_argument("--sweep-seconds", type=float, default=60.0,
                            help="how often to look for jobs whose worker died (default 60)")  # fmt: skip

    def handle(self, *args, sweep_seconds: float = 60.0, **options):
        from dangvu.jobs.services import beat, purge, recover_stale

        worker_id = options["worker_id"]
        recover_stale()
        if not options.get("batch"):
            beat(worker_id)
        stop = threading.Event()

        def sweep():
            while not stop.wait(sweep_seconds):
                try:
                    beat(worker_id)
                    recover_stale()
                    purge()
                except Exception:
                    log.exception("sweeping stale jobs failed")
                finally:
                    connections.close_all()  # this thread's own connections only

        if not options.get("batch"):
            threading.Thread(target=sweep, name="dangvu-job-sweeper", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            if not options.get("batch"):
                beat(worker_id, gone=True)
