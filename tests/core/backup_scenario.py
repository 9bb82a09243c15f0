"""An installation for the backup test (test_backup.py), run as its own process with DANGVU_DATABASE_URL and
DANGVU_MEDIA_ROOT pointing at it:

    python tests/core/backup_scenario.py setup     migrate, a commune and a cell, 40 members (through the
                                                   importer), a dossier with an uploaded file, an export job's file
    python tests/core/backup_scenario.py summary   rows per table and SHA-256 per stored file, as JSON
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

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from dangvu.core.backup import count_rows, files_digest  # noqa: E402


def setup() -> None:
    from dangvu.dossiers import services as dsvc
    from dangvu.jobs import services as jobs
    from tests.installation import build

    by, cell = build([[i + 1, f"Lò Thị Ngọc {i}", "Nữ", f"{1 + i % 28:02d}/05/1985", "Thái", "01/06/2010", "01/06/2011"]
                      for i in range(40)])  # fmt: skip
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
