"""Uploaded files: what a file really is (by its first bytes, never by its name), its size and its SHA-256."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings

from .errors import DomainError

KINDS = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (.docx)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (.xlsx)"),
    "jpeg": ("image/jpeg", "ảnh JPEG"),
    "png": ("image/png", "ảnh PNG"),
}
ERR_EMPTY = "Tệp rỗng (0 byte)."
ERR_TOO_BIG = "Tệp {size} MB vượt giới hạn {limit} MB."
ERR_KIND = "Tệp không phải là {allowed} (nội dung tệp không khớp với loại cho phép)."


def sniff(head: bytes, f) -> str | None:
    """The kind of a file from its content: PDF, DOCX or XLSX (a zip with the part that makes it one), JPEG, PNG."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            f.seek(0)
            names = set(zipfile.ZipFile(f).namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            f.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


@dataclass
class Checked:
    kind: str
    size: int
    sha256: str


def check_upload(f, allowed: tuple[str, ...], field: str = "file") -> Checked:
    """Refuse an empty, oversized or mistyped file (DomainError on `field`); else its kind, size and SHA-256."""
    size = f.size
    if not size:
        raise DomainError(ERR_EMPTY, field=field)
    limit = settings.DANGVU_MAX_UPLOAD_MB
    if size > limit * 1024 * 1024:
        raise DomainError(ERR_TOO_BIG.format(size=round(size / 1048576, 1), limit=limit), field=field)
    f.seek(0)
    head = f.read(16)
    kind = sniff(head, f)
    if kind not in allowed:
        raise DomainError(ERR_KIND.format(allowed=", ".join(KINDS[k][1] for k in allowed)), field=field)
    digest = hashlib.sha256()
    f.seek(0)
    for chunk in f.chunks():
        digest.update(chunk)
    f.seek(0)
    return Checked(kind, size, digest.hexdigest())


ERR_CHANGED = "Tệp đã bị thay đổi so với khi tải lên; hãy báo quản trị hệ thống."


def serve(*, by, stored, sha256: str, kind: str, filename: str, obj, org_path: str, action: str, info: dict):
    """A stored upload as an attachment, after checking it still has the SHA-256 it was stored with (409 and an
    audit entry `<action>_corrupt` if not); every download is audited as `<action>_download`."""
    from django.http import HttpResponse

    from . import audit

    with stored.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        audit.record(by=by, action=f"{action}_corrupt", obj=obj, org_path=org_path, after=info)
        return HttpResponse(ERR_CHANGED, status=409, content_type="text/plain; charset=utf-8")
    audit.record(by=by, action=f"{action}_download", obj=obj, org_path=org_path, after=info)
    r = HttpResponse(data, content_type=KINDS.get(kind, ("application/octet-stream",))[0])
    r["Content-Disposition"] = f'attachment; filename="{filename}"'
    r["X-Content-Type-Options"] = "nosniff"
    return r
