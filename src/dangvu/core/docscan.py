"""Looking inside an uploaded PDF or DOCX without letting it hurt the server: a child process with a time and
memory budget checks a PDF for active content (JavaScript, launch actions, embedded files, rich media, XFA
forms) and, when asked, extracts the text for search (within page and character budgets).

The parent (`scan`) never parses the file itself. The child prints one JSON line with the verdict on active
content as soon as it has it, then one with the text, so a text extraction that runs out of time still leaves
the verdict. This module imports only the standard library at the top: the child starts in a fraction of a
second and the parent's Django is not loaded twice.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field

# PDF names that make a document do something when opened, and how to say so.
ACTIVE = {
    "/JavaScript": "mã JavaScript",
    "/JS": "mã JavaScript",
    "/Launch": "lệnh mở chương trình (Launch)",
    "/EmbeddedFile": "tệp đính kèm bên trong",
    "/EmbeddedFiles": "tệp đính kèm bên trong",
    "/GoToE": "tệp đính kèm bên trong",
    "/RichMedia": "nội dung đa phương tiện (RichMedia)",
    "/XFA": "biểu mẫu động (XFA)",
    "/SubmitForm": "lệnh gửi dữ liệu biểu mẫu",
    "/ImportData": "lệnh nhập dữ liệu biểu mẫu",
}
MAX_OBJECTS = 500_000

# statuses of the text, stored with the file
TEXT_OK = "ok"  # all of it
TEXT_PARTIAL = "partial"  # the first pages or characters, within the budget
TEXT_NONE = "none"  # the kind has no text layer we read (images, spreadsheets), or the scan is only images
TEXT_OVER_BUDGET = "over_budget"  # time or memory ran out: kept, not searchable inside
TEXT_FAILED = "failed"  # damaged or unreadable


@dataclass
class Scan:
    active: list[str] = field(default_factory=list)  # what active content was found (Vietnamese)
    checked: bool = True  # False: the PDF's structure could not be checked within the budget
    encrypted: bool = False
    text: str = ""
    text_status: str = TEXT_NONE
    pages: int = 0
    total_pages: int = 0  # a PDF's page count, and its largest page side in points (before OCR rasterises it)
    max_side: float = 0.0


def scan(data: bytes, kind: str, *, extract: bool, seconds: int, memory_mb: int, max_pages: int,
         max_chars: int) -> Scan:  # fmt: skip
    """Run the child on `data`; never raises for what the file contains."""
    args = [sys.executable, "-m", "dangvu.core.docscan", kind, "text" if extract else "check", str(max_pages),
            str(max_chars), str(memory_mb)]  # fmt: skip
    out = Scan(checked=kind != "pdf")
    try:
        proc = subprocess.run(args, input=data, capture_output=True, timeout=seconds, check=False)  # noqa: S603
        lines = proc.stdout.splitlines()
        timed_out = False
    except subprocess.TimeoutExpired as e:
        lines = (e.stdout or b"").splitlines()
        timed_out = True
    got_text = False
    for line in lines:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if "active" in msg:
            out.active, out.checked, out.encrypted = msg["active"], msg["checked"], msg.get("encrypted", False)
        if "text" in msg:
            out.text, out.text_status, out.pages = msg["text"], msg["status"], msg.get("pages", 0)
            got_text = True
        if "total_pages" in msg:
            out.total_pages, out.max_side = msg["total_pages"], msg["max_side"]
    if extract and not got_text and kind in ("pdf", "docx"):
        out.text_status = TEXT_OVER_BUDGET if timed_out or _killed(lines) else TEXT_FAILED
    return out


def _killed(lines) -> bool:
    return not lines  # the child died before saying anything: the memory limit, most likely


# --- the child ---------------------------------------------------------------------------------------------


def _names_in_bytes(data: bytes) -> set[str]:
    """PDF names in the raw bytes, #xx escapes decoded: the fallback when the structure cannot be parsed."""
    out = set()
    for m in re.finditer(rb"/([A-Za-z0-9#_.\-]{1,40})", data):
        raw = m.group(1)
        try:
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda x: bytes([int(x.group(1), 16)]), raw).decode("latin-1")
        except ValueError:
            continue
        out.add("/" + name)
    return out


def _walk_pdf(reader) -> set[str]:
    """Every name used as a key or a value in the objects reachable from the trailer."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen_refs: set[tuple[int, int]] = set()
    found: set[str] = set()
    stack = [reader.trailer]
    count = 0
    while stack:
        obj = stack.pop()
        count += 1
        if count > MAX_OBJECTS:
            raise RuntimeError("too many objects")
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen_refs:
                continue
            seen_refs.add(key)
            try:
                obj = obj.get_object()
            except Exception:  # noqa: BLE001, S112 — a dangling reference is not active content
                continue
        if isinstance(obj, DictionaryObject):
            for k, v in obj.items():
                if str(k) in ACTIVE:
                    found.add(str(k))
                stack.append(v)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and str(obj) in ACTIVE:
            found.add(str(obj))
    return found


def _say(**msg) -> None:
    sys.stdout.write(json.dumps(msg, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _verdict(names: set[str]) -> list[str]:
    return sorted({ACTIVE[n] for n in names if n in ACTIVE})


def _pdf(data: bytes, extract: bool, max_pages: int, max_chars: int) -> None:
    import io
    import logging

    logging.disable(logging.CRITICAL)  # pypdf warns on stderr about every oddity; nobody reads it here
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):
            _say(active=[], checked=False, encrypted=True)
            if extract:
                _say(text="", status=TEXT_FAILED)
            return
        names = _walk_pdf(reader)
    except Exception:  # noqa: BLE001 — unparseable: judge by the raw bytes, and there is no text to take
        _say(active=_verdict(_names_in_bytes(data)), checked=True)
        if extract:
            _say(text="", status=TEXT_FAILED)
        return
    _say(active=_verdict(names), checked=True, encrypted=encrypted)
    try:
        side = 0.0
        for i, page in enumerate(reader.pages):
            if i >= 2000:
                break
            box = page.mediabox
            side = max(side, float(box.width), float(box.height))
        _say(total_pages=len(reader.pages), max_side=side)
    except Exception:  # noqa: BLE001 — geometry unknown: OCR will refuse it
        _say(total_pages=-1, max_side=0.0)
    if not extract or names & set(ACTIVE):
        return
    out, size, status, n = [], 0, TEXT_OK, 0
    try:
        for n, page in enumerate(reader.pages, start=1):
            if n > max_pages:
                status = TEXT_PARTIAL
                break
            t = page.extract_text() or ""
            out.append(t)
            size += len(t)
            if size > max_chars:
                status = TEXT_PARTIAL
                break
    except Exception:  # noqa: BLE001 — what was read so far is kept
        status = TEXT_PARTIAL if out else TEXT_FAILED
    text = "\n".join(out)[:max_chars]
    _say(text=text, status=status if text.strip() or status != TEXT_OK else TEXT_NONE, pages=n)


def _docx(data: bytes, max_chars: int) -> None:
    import io

    try:
        import docx

        doc = docx.Document(io.BytesIO(data))
        out, size, status = [], 0, TEXT_OK
        for p in doc.paragraphs:
            out.append(p.text)
            size += len(p.text)
            if size > max_chars:
                status = TEXT_PARTIAL
                break
        if status == TEXT_OK:
            for table in doc.tables:
                for row in table.rows:
                    out += [c.text for c in row.cells]
    except Exception:  # noqa: BLE001
        _say(text="", status=TEXT_FAILED)
        return
    text = "\n".join(out)[:max_chars]
    _say(text=text, status=status if text.strip() else TEXT_NONE)


def main(argv: list[str]) -> None:
    import resource

    kind, mode, max_pages, max_chars, memory_mb = argv[0], argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    data = sys.stdin.buffer.read()
    extract = mode == "text"
    if kind == "pdf":
        _pdf(data, extract, max_pages, max_chars)
    elif kind == "docx" and extract:
        _docx(data, max_chars)


if __name__ == "__main__":
    main(sys.argv[1:])
