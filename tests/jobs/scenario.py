"""A whole installation in a temporary folder, for the worker-process test (test_worker_process.py), run as its
own process with DANGVU_DATABASE_URL and DANGVU_MEDIA_ROOT pointing there:

    python tests/jobs/scenario.py setup ROWS   migrate, a commune with one cell of ROWS members (through the
                                               importer), and a queued register export; prints the job id
    python tests/jobs/scenario.py state ID     the job as JSON (state, done, total, attempts, sha256)
    python tests/jobs/scenario.py again ID     the same job run once more in this process, uninterrupted;
                                               prints the SHA-256 of the file it stores
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
sys.path.insert(
    0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
)  # for tests.installation
import django  # noqa: E402

django.setup()


from dangvu.jobs import services as jobs  # noqa: E402
from dangvu.jobs.models import Job  # noqa: E402


def setup(rows: int) -> None:
    from tests.installation import HEADER, build

    given = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Yến"]
    by, _ = build([[i + 1, f"Nguyễn Văn {given[i % len(given)]} {i}", "Nam" if i % 2 else "Nữ",
                    f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}", "Kinh", f"01/06/{2000 + i % 20}",
                    f"01/06/{2001 + i % 20}", f"9{i:07d}"] for i in range(rows)], [*HEADER, "Số thẻ"])  # fmt: skip
    job = jobs.submit(by=by, kind="member.export_register", params={"org": "X", "on": "2026-11-30"},
                      label="Mẫu 7-HSĐV — Đảng bộ xã Thử")  # fmt: skip
    print(job.pk)  # noqa: T201


def state(pk: int) -> None:
    j = Job.objects.get(pk=pk)
    out = {"state": j.state, "done": j.done, "total": j.total, "attempts": j.attempts, "sha256": j.sha256,
           "rows": j.rows, "error": j.error}  # fmt: skip
    print(json.dumps(out))  # noqa: T201


def again(pk: int) -> None:
    Job.objects.filter(pk=pk).update(state=Job.State.RUNNING)
    jobs.run(pk)
    print(Job.objects.get(pk=pk).sha256)  # noqa: T201


if __name__ == "__main__":
    {"setup": setup, "state": state, "again": again}[sys.argv[1]](int(sys.argv[2]))
