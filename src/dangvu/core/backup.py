"""Backups that restore: `dangvu backup DIR` and `dangvu restore DIR`.

A backup is a folder:
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the app runs) or `database.dump`
  (`pg_dump --format=custom`, taken in an exported snapshot so that the row counts below are of the same instant);
- `files/…`: every object of the default storage (local folder or object storage), under its own name;
- `manifest.json`: the format, when, the database vendor, the SHA-256 of the database file and of every stored
  file, and the number of rows of every table of the installation's models.

`restore` checks every SHA-256 of the folder before touching anything, refuses a database or a storage that is not
empty, loads the database (SQLite backup API, or `pg_restore`) and the files, then counts again: every table's
rows and every file's SHA-256 must equal the manifest, or it fails loudly (exit code 1).
Nothing here knows a domain app: tables come from the app registry.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from .files import sha256_path, sha256_stream

FORMAT = 1
ERR_NOT_EMPTY_DIR = "Thư mục {dir} đã có nội dung; hãy chọn một thư mục mới hoặc rỗng cho bản sao lưu."
ERR_NO_MANIFEST = "Thư mục {dir} không có manifest.json: không phải bản sao lưu của Đảng vụ."
ERR_FORMAT = "Bản sao lưu dạng {found}, chương trình này đọc dạng {wanted}."
ERR_VENDOR = "Bản sao lưu của cơ sở dữ liệu {found}, còn cài đặt này dùng {wanted}."
ERR_CHECKSUM = "Tệp {name} trong bản sao lưu đã bị thay đổi (SHA-256 không khớp); không khôi phục."
ERR_DB_NOT_EMPTY = "Cơ sở dữ liệu đích đã có dữ liệu ({table}: {n} dòng); chỉ khôi phục vào cài đặt trống."
ERR_STORAGE_NOT_EMPTY = "Kho tệp đích đã có tệp ({name}…); chỉ khôi phục vào kho trống."
ERR_TOOL = "Không tìm thấy {tool} (cài gói postgresql-client cùng phiên bản với máy chủ)."
ERR_MANIFEST = "manifest.json của bản sao lưu không đọc được hoặc thiếu phần «{part}»; không khôi phục."
ERR_NAME = "Bản sao lưu có tên tệp không hợp lệ («{name}»); không khôi phục."
ERR_SIGNATURE = (
    "Chữ ký của bản sao lưu không khớp khóa của cài đặt này: bản sao lưu đã bị sửa, hoặc khóa khác "
    "(DANGVU_BACKUP_KEY, hoặc DANGVU_SECRET_KEY, phải giống cài đặt đã sao lưu)."
)
ERR_MISSING = "Bản sao lưu thiếu tệp {name}; không khôi phục."
ERR_INSIDE_STORAGE = "Không sao lưu vào trong kho tệp ({dir}): bản sao lưu sẽ tự chép lại chính nó."
ERR_NOT_DIR = "{dir} không phải là thư mục."
# What makes an installation "not empty": anything a user made (a fresh `migrate` seeds types, rules and
# permissions, which a restore replaces).
OWN_DATA = ("auth_user", "organizations_organisation", "members_member")


class BackupError(Exception):
    pass


def _tables() -> list[tuple[str, str]]:
    """(label, table) of every concrete model of the installation, each table once."""
    seen, out = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        out.append((meta.label_lower, meta.db_table))
    return sorted(out)


def count_rows(cursor=None) -> dict[str, int]:
    """Rows per table, through `cursor` (one transaction: one instant) or the default connection."""
    existing = set(connection.introspection.table_names())
    counts = {}
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        for _, table in _tables():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    finally:
        if own:
            cursor.close()
    return counts


def _storage_names(prefix: str = "") -> list[str]:
    """Every file of the default storage, recursively (FileSystemStorage and S3 alike)."""
    try:
        dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    out = [f"{prefix}{f}" for f in files]
    for d in dirs:
        out += _storage_names(f"{prefix}{d}/")
    return sorted(out)


def files_digest() -> dict[str, dict]:
    out = {}
    for name in _storage_names():
        with default_storage.open(name, "rb") as fh:
            digest, size = sha256_stream(fh)
        out[name] = {"sha256": digest, "size": size}
    return out


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for base in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    ):
        if (base / name).exists():
            return str(base / name)
    raise BackupError(ERR_TOOL.format(tool=name))


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    for opt, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [opt, str(db[key])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl"):  # the connection's TLS, kept
        if db.get("OPTIONS", {}).get(key):
            env[f"PG{key.upper()}"] = str(db["OPTIONS"][key])
    return args, env


@dataclass
class Report:
    dir: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sign(manifest: dict) -> str:
    from django.utils.crypto import salted_hmac

    key = getattr(settings, "DANGVU_BACKUP_KEY", "") or settings.SECRET_KEY
    body = json.dumps({k: v for k, v in manifest.items() if k != "signature"}, sort_keys=True, ensure_ascii=False)
    return salted_hmac("dangvu.backup", body, secret=key, algorithm="sha256").hexdigest()


def _private(path: Path) -> None:
    """Backups hold everything (password hashes, personal data): readable by their owner only."""
    for p in [path, *path.rglob("*")]:
        p.chmod(0o700 if p.is_dir() else 0o600)


def backup(target: Path) -> Report:
    target = Path(target).resolve()
    if target.exists() and not target.is_dir():
        raise BackupError(ERR_NOT_DIR.format(dir=target))
    if target.exists() and any(target.iterdir()):
        raise BackupError(ERR_NOT_EMPTY_DIR.format(dir=target))
    media = Path(settings.MEDIA_ROOT).resolve()
    if target == media or media in target.parents:
        raise BackupError(ERR_INSIDE_STORAGE.format(dir=target))
    target.mkdir(parents=True, exist_ok=True)
    target.chmod(0o700)
    vendor = connection.vendor
    if vendor == "sqlite":
        db_file = target / "database.sqlite3"
        connection.ensure_connection()
        dst = sqlite3.connect(db_file)
        try:
            connection.connection.backup(dst)  # online, consistent
        finally:
            dst.close()
        # the counts of the copy itself: exactly what was saved
        with sqlite3.connect(db_file) as copy:
            names = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            rows = {
                t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for _, t in _tables()
                if t in names
            }  # noqa: S608
    else:
        db_file = target / "database.dump"
        args, env = _pg_env()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            rows = count_rows(cur)
            subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",  # noqa: S603
                            f"--snapshot={snapshot}", "--file", str(db_file), *args], env=env, check=True)  # fmt: skip
    files = {}
    for name in _storage_names():
        dest = target / "files" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src, open(dest, "wb") as out:
            digest, size = sha256_stream(src, copy_to=out)  # copied and hashed in one read
        files[name] = {"sha256": digest, "size": size}
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": vendor, "file": db_file.name, "sha256": sha256_path(db_file)},
        "rows": rows,
        "files": files,
    }
    manifest["signature"] = _sign(manifest)
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    _private(target)
    return Report(target, rows, files)


def _safe_name(name) -> bool:
    from pathlib import PurePosixPath

    p = PurePosixPath(str(name))
    return bool(name) and isinstance(name, str) and not p.is_absolute() and ".." not in p.parts and "\\" not in name


def read_manifest(source: Path) -> dict:
    """The manifest, whole and signed by this installation's key, with safe names: checked before anything."""
    path = Path(source) / "manifest.json"
    if not path.exists():
        raise BackupError(ERR_NO_MANIFEST.format(dir=source))
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(ERR_MANIFEST.format(part="JSON")) from None
    if not isinstance(manifest, dict):
        raise BackupError(ERR_MANIFEST.format(part="JSON"))
    if manifest.get("format") != FORMAT:
        raise BackupError(ERR_FORMAT.format(found=manifest.get("format"), wanted=FORMAT))
    for part, kind in (("database", dict), ("rows", dict), ("files", dict), ("signature", str)):
        if not isinstance(manifest.get(part), kind):
            raise BackupError(ERR_MANIFEST.format(part=part))
    db = manifest["database"]
    if db.get("file") not in ("database.sqlite3", "database.dump") or not isinstance(db.get("sha256"), str):
        raise BackupError(ERR_MANIFEST.format(part="database"))
    if not all(_safe_name(n) and isinstance(i, dict) and isinstance(i.get("sha256"), str)
               for n, i in manifest["files"].items()):  # fmt: skip
        bad = next((n for n in manifest["files"] if not _safe_name(n)), None)
        raise BackupError(ERR_NAME.format(name=bad) if bad else ERR_MANIFEST.format(part="files"))
    import hmac

    if not hmac.compare_digest(manifest["signature"], _sign(manifest)):
        raise BackupError(ERR_SIGNATURE)
    return manifest


def verify_folder(source: Path, manifest: dict) -> None:
    """Every file of the backup has the SHA-256 the manifest gives: checked before anything is restored."""
    db = manifest["database"]
    if not (source / db["file"]).is_file():
        raise BackupError(ERR_MISSING.format(name=db["file"]))
    if sha256_path(source / db["file"]) != db["sha256"]:
        raise BackupError(ERR_CHECKSUM.format(name=db["file"]))
    for name, info in manifest["files"].items():
        path = source / "files" / name
        if not path.is_file():
            raise BackupError(ERR_MISSING.format(name=f"files/{name}"))
        if sha256_path(path) != info["sha256"]:
            raise BackupError(ERR_CHECKSUM.format(name=f"files/{name}"))


def restore(source: Path) -> Report:
    source = Path(source)
    if not source.is_dir():
        raise BackupError(ERR_NOT_DIR.format(dir=source))
    manifest = read_manifest(source)
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(ERR_VENDOR.format(found=manifest["database"]["vendor"], wanted=connection.vendor))
    verify_folder(source, manifest)
    for table, n in count_rows().items():
        if n and table in OWN_DATA:
            raise BackupError(ERR_DB_NOT_EMPTY.format(table=table, n=n))
    existing = _storage_names()
    if existing:
        raise BackupError(ERR_STORAGE_NOT_EMPTY.format(name=existing[0]))
    db_file = source / manifest["database"]["file"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(db_file)
        try:
            src.backup(connection.connection)  # replaces the whole (empty) database, schema included
        finally:
            src.close()
        connection.close()
    else:
        args, env = _pg_env()
        connection.close()
        subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",  # noqa: S603
                        "--exit-on-error", "--single-transaction", *args, str(db_file)], env=env, check=True)  # fmt: skip
    for name in manifest["files"]:
        with open(source / "files" / name, "rb") as fh:
            saved = default_storage.save(name, File(fh, name=os.path.basename(name)))
        if saved != name:
            raise BackupError(f"Kho tệp lưu {name} dưới tên {saved}.")
    report = Report(source, count_rows(), files_digest())
    for table, n in manifest["rows"].items():
        if report.rows.get(table) != n:
            report.problems.append(f"{table}: {report.rows.get(table)} dòng, bản sao lưu có {n}")
    for name, info in manifest["files"].items():
        if report.files.get(name, {}).get("sha256") != info["sha256"]:
            report.problems.append(f"tệp {name}: SHA-256 khác bản sao lưu")
    return report
