"""Backups that restore: an installation with members, an uploaded dossier file and an export is backed up while it
runs, restored into a new empty database and storage, and every table's row count and every file's SHA-256 are
equal. On SQLite (the online backup API) and on PostgreSQL (pg_dump/pg_restore). A tampered backup and a
non-empty target are refused before anything is written."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

HERE = Path(__file__).parent
pytestmark = pytest.mark.django_db


@pytest.fixture
def installations(tmp_path):
    """Two installations (a database and a media folder each) of the vendor the suite runs on."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    base["DJANGO_SETTINGS_MODULE"] = "dangvu.settings"
    base["DANGVU_SECRET_KEY"] = "the same key on both, as the operations guide asks " * 2
    if connection.vendor == "sqlite":
        urls = [f"sqlite:///{tmp_path / f'{n}.sqlite3'}" for n in "ab"]
        yield [dict(base, DANGVU_DATABASE_URL=u, DANGVU_MEDIA_ROOT=str(tmp_path / f"media-{n}"),
                    DANGVU_VAR_DIR=str(tmp_path / n)) for u, n in zip(urls, "ab", strict=True)]  # fmt: skip
        return
    import psycopg

    s = connection.settings_dict
    server = f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}"
    names = [f"bk_{n}_{uuid.uuid4().hex[:8]}" for n in "ab"]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as c:
        for name in names:
            c.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [dict(base, DANGVU_DATABASE_URL=f"{server}/{name}", DANGVU_MEDIA_ROOT=str(tmp_path / f"media-{n}"),
                    DANGVU_VAR_DIR=str(tmp_path / n)) for name, n in zip(names, "ab", strict=True)]  # fmt: skip
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as c:
            for name in names:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(env, *args, ok=True) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
    if ok:
        assert out.returncode == 0, out.stderr[-3000:]
    return out


def _summary(env) -> dict:
    return json.loads(_run(env, str(HERE / "backup_scenario.py"), "summary").stdout)


def test_backup_then_restore_into_an_empty_installation_is_identical(installations, tmp_path):
    a, b = installations
    _run(a, str(HERE / "backup_scenario.py"), "setup")
    before = _summary(a)
    assert (
        before["rows"]["members_member"] == 40 and len(before["files"]) == 2
    )  # the dossier file, the export
    out = _run(a, "-m", "dangvu", "backup", str(tmp_path / "bk")).stdout
    assert "Đã sao lưu" in out and "2 tệp" in out
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["rows"]["members_member"] == 40 and manifest["database"]["vendor"] == connection.vendor

    _run(b, "-m", "dangvu", "migrate", "-v", "0")  # a fresh installation (seeded types, rules): still "empty"
    out = _run(b, "-m", "dangvu", "restore", str(tmp_path / "bk")).stdout
    assert "mọi số dòng và SHA-256 khớp manifest" in out
    after = _summary(b)
    assert after == before  # every table's rows, every file's SHA-256
    # the restored installation works: its migrations are all applied, and a second restore is refused
    assert "[ ]" not in _run(b, "-m", "dangvu", "showmigrations").stdout
    refused = _run(b, "-m", "dangvu", "restore", str(tmp_path / "bk"), ok=False)
    assert refused.returncode != 0 and "chỉ khôi phục vào cài đặt trống" in refused.stderr


def test_a_tampered_backup_is_refused_before_anything_is_written(installations, tmp_path):
    a, b = installations
    _run(a, str(HERE / "backup_scenario.py"), "setup")
    _run(a, "-m", "dangvu", "backup", str(tmp_path / "bk"))
    pdf = next((tmp_path / "bk" / "files").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b" ")
    refused = _run(b, "-m", "dangvu", "restore", str(tmp_path / "bk"), ok=False)
    assert refused.returncode != 0 and "đã bị thay đổi (SHA-256 không khớp)" in refused.stderr
    assert not Path(b["DANGVU_MEDIA_ROOT"]).exists() or not any(Path(b["DANGVU_MEDIA_ROOT"]).rglob("*.pdf"))
    # and a backup never overwrites an earlier one
    again = _run(a, "-m", "dangvu", "backup", str(tmp_path / "bk"), ok=False)
    assert again.returncode != 0 and "đã có nội dung" in again.stderr


def test_a_backup_edited_with_its_manifest_or_with_odd_names_is_refused(installations, tmp_path):
    a, b = installations
    _run(a, str(HERE / "backup_scenario.py"), "setup")
    _run(a, "-m", "dangvu", "backup", str(tmp_path / "bk"))
    bk = tmp_path / "bk"
    assert oct(bk.stat().st_mode & 0o777) == "0o700" and oct((bk / "manifest.json").stat().st_mode & 0o777) == "0o600"
    manifest = json.loads((bk / "manifest.json").read_text())
    pdf = next((bk / "files").rglob("*.pdf"))
    pdf.write_bytes(b"%PDF-1.4 forged")
    name = str(pdf.relative_to(bk / "files"))
    manifest["files"][name]["sha256"] = __import__("hashlib").sha256(b"%PDF-1.4 forged").hexdigest()
    (bk / "manifest.json").write_text(json.dumps(manifest))
    refused = _run(b, "-m", "dangvu", "restore", str(bk), ok=False)
    assert refused.returncode != 0 and "Chữ ký của bản sao lưu không khớp" in refused.stderr
    for broken, message in (("{", "không đọc được"), ('{"format": 1}', "thiếu phần")):
        (bk / "manifest.json").write_text(broken)
        refused = _run(b, "-m", "dangvu", "restore", str(bk), ok=False)
        assert refused.returncode != 0 and message in refused.stderr and "Traceback" not in refused.stderr
    media = Path(a["DANGVU_MEDIA_ROOT"])
    inside = _run(a, "-m", "dangvu", "backup", str(media / "bk"), ok=False)
    assert inside.returncode != 0 and "tự chép lại chính nó" in inside.stderr
