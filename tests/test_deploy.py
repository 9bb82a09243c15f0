"""The production recipe in deploy/: every setting its environment file names is one the app reads; the units
start what they say (gunicorn on the app, the job worker, the nightly backup); nginx caches static files for a
year, never serves uploads, and passes the client's address; and backup.sh backs up and keeps 14 daily backups
plus the first of each month."""

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_every_variable_of_the_environment_file_is_read_by_the_app():
    settings = (ROOT / "src" / "dangvu" / "settings.py").read_text()
    read = set(re.findall(r'env_[a-z]+\("([A-Z_0-9]+)"', settings)) | {"SECRET_KEY"}
    named = set(re.findall(r"^#?DANGVU_([A-Z_0-9]+)=", (DEPLOY / "dangvu.env").read_text(), re.M))
    assert named and named - read <= {"BACKUP_DIR"}, named - read  # BACKUP_DIR: read by backup.sh


def test_units_start_the_web_server_the_worker_and_the_backup():
    web = (DEPLOY / "dangvu-web.service").read_text()
    assert "gunicorn dangvu.wsgi --bind 127.0.0.1:8000" in web and "EnvironmentFile=/etc/dangvu/dangvu.env" in web
    assert "ExecStart=/srv/dangvu/.venv/bin/dangvu worker" in (DEPLOY / "dangvu-worker.service").read_text()
    assert "deploy/backup.sh" in (DEPLOY / "dangvu-backup.service").read_text()
    assert "OnCalendar=*-*-* 01:30:00" in (DEPLOY / "dangvu-backup.timer").read_text()


def test_the_proxy_caches_static_files_passes_the_address_and_never_serves_uploads():
    conf = (DEPLOY / "nginx.conf").read_text()
    assert 'Cache-Control "public, max-age=31536000, immutable"' in conf and "gzip_static on" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme" in conf
    assert re.search(r"location /media/ \{\s*return 404;", conf)
    assert "ssl_protocols TLSv1.2 TLSv1.3" in conf and "return 301 https://" in conf


def test_backup_script_backs_up_and_keeps_the_retention(tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    old = [f"2026-{m:02d}-{d:02d}-0130" for m, d in [(1, 1), (2, 1), (3, 5)] + [(10, d) for d in range(1, 21)]]
    for name in old:
        (backups / name).mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    env.update(DANGVU_BACKUP_DIR=str(backups), DANGVU_BIN=str(Path(os.sys.executable).parent),
               DANGVU_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DANGVU_VAR_DIR=str(tmp_path / "var"),
               DANGVU_MEDIA_ROOT=str(tmp_path / "media"), DJANGO_SETTINGS_MODULE="dangvu.settings")  # fmt: skip
    subprocess.run([os.sys.executable, "-m", "dangvu", "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    out = subprocess.run(["bash", str(DEPLOY / "backup.sh")], env=env, capture_output=True, text=True)  # noqa: S603, S607
    assert out.returncode == 0, out.stderr
    kept = sorted(p.name for p in backups.iterdir())
    new = [k for k in kept if k not in old]
    assert len(new) == 1 and (backups / new[0] / "manifest.json").exists()
    # the 14 newest (the new one and 13 of October), and the firsts of a month within a year
    assert kept == sorted([new[0], *[f"2026-10-{d:02d}-0130" for d in range(8, 21)], "2026-10-01-0130",
                           "2026-01-01-0130", "2026-02-01-0130"])  # fmt: skip
