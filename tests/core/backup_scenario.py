"""An installation for the backup test (test_backup.py), run as its own process with DANGVU_DATABASE_URL and
DANGVU_MEDIA_ROOT pointing at it:

    python tests/core/backup_scenario.py setup     migrate, a commune and a cell, 40 members (through the
                                                   importer), a dossier with an uploaded file, an export job's file
    python tests/core/backup_scenario.py summary   rows per table and SHA-256 per stored file, as JSON
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
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from dangvu.core.backup import count_rows, files_digest  # noqa: E402


def setup() -> None:
    from dangvu.dossiers import services as dsvc
    from dangvu.jobs import services as jobs
    from dangvu.members.importer import import_members
    from dangvu.organizations import services as org_svc
    from dangvu.organizations.models import OrgType

    call_command("migrate", verbosity=0)
    by = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-rat-dai-1")
    types = {t.code: t for t in OrgType.objects.all()}
    d = org_svc.Decision(number="Số 01-QĐ/TU", effective_on=dt.date(2020, 1, 1))
    p = org_svc.org_establish(
        by=by, spec=org_svc.NewOrg("P", "Đảng bộ tỉnh Thử", types["tinh"], None), decision=d
    )
    x = org_svc.org_establish(by=by, spec=org_svc.NewOrg("X", "Đảng bộ xã Thử", types["xa"], p), decision=d)
    cell = org_svc.org_establish(by=by, spec=org_svc.NewOrg("X-T", "Chi bộ thôn Thử", types["cbtt-thon"], x),
                                 decision=d)  # fmt: skip
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Ngày vào Đảng", "Ngày chính thức"])
    for i in range(40):
        ws.append(
            [i + 1, f"Lò Thị Ngọc {i}", "Nữ", f"{1 + i % 28:02d}/05/1985", "Thái", "01/06/2010", "01/06/2011"]
        )
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        wb.save(f.name)
        assert import_members(by=by, org=cell, source=f.name).written
    dossier = dsvc.dossier_open(by=by, org=cell, code="TC01", year=2026)
    dsvc.file_add(
        by=by, dossier=dossier, upload=SimpleUploadedFile("so.pdf", b"%PDF-1.4 so dang vien\n%%EOF")
    )
    job = jobs.submit(
        by=by, kind="member.export_register", params={"org": "X", "on": "2026-11-30"}, label="Mẫu 7"
    )
    jobs.run(job.pk)


def summary() -> None:
    print(json.dumps({"rows": count_rows(), "files": files_digest()}, sort_keys=True))  # noqa: T201


if __name__ == "__main__":
    {"setup": setup, "summary": summary}[sys.argv[1]]()
