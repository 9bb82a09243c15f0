"""Uploaded files: what a file really is (by its first bytes, never by its name), its size and its SHA-256."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings

from . import docscan
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
ERR_ZIP_DAMAGED = "Tệp Word/Excel bị hỏng (không đọc được phần nén bên trong)."
ERR_ZIP_ENTRIES = "Tệp chứa {n} phần nén, quá giới hạn {limit}; không mở tệp này."
ERR_ZIP_SIZE = "Tệp giải nén ra {size} MB, quá giới hạn {limit} MB; không mở tệp này."
ERR_ZIP_RATIO = (
    "Tệp có phần «{name}» nén {ratio}:1 (giới hạn {limit}:1), dấu hiệu của tệp «bom nén»; không mở tệp này."
)
ERR_PDF_ACTIVE = "Tệp PDF có nội dung tự chạy ({what}); không nhận. Hãy in lại ra PDF thường hoặc quét lại."
ERR_PDF_LOCKED = "Tệp PDF có mật khẩu; hãy tải lên bản không đặt mật khẩu."
ERR_PDF_UNCHECKED = "Không kiểm tra được tệp PDF này trong thời gian cho phép; hãy in lại ra PDF thường."
GRACE_BYTES = 1024 * 1024  # entries smaller than this uncompressed are not judged by their ratio


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


def check_zip(f, field: str = "file") -> None:
    """Refuse (DomainError on `field`) a ZIP container whose declared contents would exhaust the server: more
    entries, more uncompressed bytes or a higher compression ratio than the settings allow. Reads only the central
    directory; Python's zipfile never inflates an entry past its declared size, so the declared sizes bound what
    any later parse can inflate."""
    pos = f.tell() if hasattr(f, "tell") else 0
    try:
        f.seek(0)
        infos = zipfile.ZipFile(f).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise DomainError(ERR_ZIP_DAMAGED, field=field) from None
    finally:
        f.seek(pos)
    if len(infos) > settings.DANGVU_ZIP_MAX_ENTRIES:
        raise DomainError(ERR_ZIP_ENTRIES.format(n=len(infos), limit=settings.DANGVU_ZIP_MAX_ENTRIES), field=field)
    total = sum(i.file_size for i in infos)
    limit = settings.DANGVU_ZIP_MAX_UNCOMPRESSED_MB
    if total > limit * 1024 * 1024:
        raise DomainError(ERR_ZIP_SIZE.format(size=round(total / 1048576), limit=limit), field=field)
    for i in infos:
        if i.file_size > GRACE_BYTES:
            ratio = i.file_size / max(i.compress_size, 1)
            if ratio > settings.DANGVU_ZIP_MAX_RATIO:
                raise DomainError(ERR_ZIP_RATIO.format(name=i.filename[:60], ratio=round(ratio),
                                                       limit=settings.DANGVU_ZIP_MAX_RATIO), field=field)  # fmt: skip


ERR_OFFICE_ACTIVE = (
    "Tệp Office có nội dung tự chạy hoặc tự tải từ bên ngoài ({what}); không nhận. Hãy lưu lại thành tệp .docx/.xlsx "
    "thường (không macro, không nhúng đối tượng) hoặc in ra PDF."
)
# relationship types that make Word or Excel fetch or run something when the file opens (the Follina pattern,
# remote templates, embedded OLE objects, external frames and sub-documents, chunks of other formats)
_ACTIVE_RELS = ("/oleObject", "/attachedTemplate", "/frame", "/subDocument", "/aFChunk",
                "/externalLinkPath", "/vbaProject", "/activeXControl")  # fmt: skip


def office_active(f) -> list[str]:
    """What in an Office container would run or fetch something: macros (a VBA project, a macro-enabled content
    type), ActiveX, and relationships to OLE objects, remote templates, frames, sub-documents or alternative
    chunks. Reads only the small parts ([Content_Types].xml and the .rels), after `check_zip` bounded them."""
    found: list[str] = []
    pos = f.tell() if hasattr(f, "tell") else 0
    try:
        f.seek(0)
        z = zipfile.ZipFile(f)
        for info in z.infolist():
            name = info.filename
            low = name.lower()
            if low.endswith("vbaproject.bin") or low.startswith(("word/activex", "xl/activex")):
                found.append("macro, ActiveX")
            elif low == "[content_types].xml" or low.endswith(".rels"):
                text = z.read(info).decode("utf-8", "replace")
                if "macroEnabled" in text or "vbaProject" in text:
                    found.append("macro")
                found += [f"quan hệ {t.strip('/')}" for t in _ACTIVE_RELS if f'{t}"' in text]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        return ["tệp hỏng"]
    finally:
        f.seek(pos)
    return list(dict.fromkeys(found))


@dataclass
class Checked:
    kind: str
    size: int
    sha256: str
    text: str = ""  # with extract=True: the text inside a PDF or DOCX, within the budget
    text_status: str = docscan.TEXT_NONE


def inspect(data: bytes, kind: str, *, extract: bool) -> docscan.Scan:
    """The budgeted child's verdict on a PDF's active content, and the text when asked (core.docscan)."""
    return docscan.scan(
        data, kind, extract=extract, seconds=settings.DANGVU_EXTRACT_SECONDS,
        memory_mb=settings.DANGVU_EXTRACT_MEMORY_MB, max_pages=settings.DANGVU_EXTRACT_MAX_PAGES,
        max_chars=settings.DANGVU_EXTRACT_MAX_CHARS,
    )  # fmt: skip


def check_upload(f, allowed: tuple[str, ...], field: str = "file", *, extract: bool = False) -> Checked:
    """Refuse (DomainError on `field`) an empty, oversized or mistyped file, a ZIP container that would inflate
    past the limits, and a PDF with active content; else its kind, size and SHA-256, and with `extract` the text
    inside a PDF or DOCX (status `text_status`: a file over the budget is kept, its text not extracted)."""
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
    if kind in ("docx", "xlsx"):
        check_zip(f, field=field)
        active = office_active(f)
        if active:
            raise DomainError(ERR_OFFICE_ACTIVE.format(what=", ".join(active)), field=field)
    text, text_status = "", docscan.TEXT_NONE
    if kind == "pdf" or (extract and kind == "docx"):
        f.seek(0)
        result = inspect(f.read(), kind, extract=extract)
        f.seek(0)
        if result.active:
            raise DomainError(ERR_PDF_ACTIVE.format(what=", ".join(result.active)), field=field)
        if kind == "pdf" and result.encrypted and not result.checked:
            raise DomainError(ERR_PDF_LOCKED, field=field)
        if not result.checked:
            raise DomainError(ERR_PDF_UNCHECKED, field=field)
        text, text_status = result.text, result.text_status
    digest = hashlib.sha256()
    f.seek(0)
    for chunk in f.chunks():
        digest.update(chunk)
    f.seek(0)
    return Checked(kind, size, digest.hexdigest(), text, text_status)


ERR_CHANGED = "Tệp đã bị thay đổi so với khi tải lên; hãy báo quản trị hệ thống."


def sha256_stream(fh, copy_to=None) -> tuple[str, int]:
    """SHA-256 and size of a binary stream read in 1 MB chunks (flat memory for any size); each chunk is also
    written to `copy_to` when given, so that a copy and its hash take one read."""
    h, size = hashlib.sha256(), 0
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        h.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return h.hexdigest(), size


def sha256_path(path) -> str:
    with open(path, "rb") as fh:
        return sha256_stream(fh)[0]


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


_STAMP_RE = None


def normalise_zip(path: str, when) -> None:
    """Rewrite an Office file (a ZIP) we produced so that the same content gives the same bytes: every entry dated
    `when` (a datetime), in the same order, and the document's created/modified properties set to `when`.
    openpyxl and python-docx stamp the clock of the save, so without this two runs of one export differ."""
    import os
    import re
    import tempfile

    global _STAMP_RE
    if _STAMP_RE is None:
        _STAMP_RE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
    when = when.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    fd, tmp = tempfile.mkstemp(suffix=".zip", dir=os.path.dirname(path) or None)
    os.close(fd)
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "docProps/core.xml":
                    data = _STAMP_RE.sub(lambda m: m.group(1) + stamp + m.group(2), data)
                out = zipfile.ZipInfo(info.filename, date_time=date_time)
                out.compress_type = zipfile.ZIP_DEFLATED
                out.external_attr = info.external_attr
                dst.writestr(out, data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
