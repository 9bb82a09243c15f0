"""A whole installation in a temporary folder, for the worker-process test (test_worker_process.py), run as its
own process with DANGVU_DATABASE_URL and DANGVU_MEDIA_ROOT pointing there:

    python tests/jobs/scenario.py setup ROWS   migrate, a commune with one cell of ROWS members (through the
                                               importer), and a queued register export; prints the job id
    python tests/jobs/scenario.py state ID     the job as JSON (state, done, total, attempts, sha256)
    python tests/jobs/scenario.py again ID     the same job run once more in this process, uninterrupted;
                                               prints the SHA-256 of the file it stores
"""

import datetime as dt
import json
import os
import sys
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from dangvu.jobs import services as jobs  # noqa: E402
from dangvu.jobs.models import Job  # noqa: E402


def setup(rows: int) -> None:
    from dangvu.members.importer import import_members
    from dangvu.organizations import services as org_svc
    from dangvu.organizations.models import OrgType

    call_command("migrate", verbosity=0)
    by = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-rat-dai-1")
    types = {t.code: t for t in OrgType.objects.all()}
    decision = org_svc.Decision(number="Số 01-QĐ/TU", effective_on=dt.date(2020, 1, 1))
    province = org_svc.org_establish(by=by, spec=org_svc.NewOrg("P", "Đảng bộ tỉnh Thử", types["tinh"], None),
                                     decision=decision)  # fmt: skip
    commune = org_svc.org_establish(by=by, spec=org_svc.NewOrg("X", "Đảng bộ xã Thử", types["xa"], province),
                                    decision=decision)  # fmt: skip
    cell = org_svc.org_establish(by=by, spec=org_svc.NewOrg("X-T", "Chi bộ thôn Thử", types["cbtt-thon"], commune),
                                 decision=decision)  # fmt: skip
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(
        [
            "STT",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Dân tộc",
            "Ngày vào Đảng",
            "Ngày chính thức",
            "Số thẻ",
        ]
    )
    given = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Yến"]
    for i in range(rows):
        ws.append([i + 1, f"Nguyễn Văn {given[i % len(given)]} {i}", "Nam" if i % 2 else "Nữ",
                   f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}", "Kinh", f"01/06/{2000 + i % 20}",
                   f"01/06/{2001 + i % 20}", f"9{i:07d}"])  # fmt: skip
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        wb.save(f.name)
        report = import_members(by=by, org=cell, source=f.name)
    assert report.written and report.created == rows, report.problems[:3]
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
