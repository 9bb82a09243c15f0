"""Text inside scans. Most Party papers arrive as scans of signed pages: a PDF with no text layer, or a photo.
The worker runs OCRmyPDF with Tesseract's Vietnamese data (`-l vie`, Debian's tesseract-ocr-vie) on every such
upload, in a child process with a time budget; the original is never touched, the searchable PDF is stored beside
it (`OcrCopy`), and its text is handed to the owning app, which indexes it for the search without diacritics.

Apps register what they store (`register(Model, on_text=...)`) and queue a file after it is saved (through
`dangvu.jobs.services.queue_ocr`, which the worker runs as the task `jobs.tasks.ocr`)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile

from . import docscan
from .models import OcrCopy

MIN_TEXT = 20  # fewer characters than this in a PDF's text layer: a scan


@dataclass
class Target:
    field: str
    on_text: Callable[[object, str], None]  # (the record, the text read) → index it


_TARGETS: dict[str, Target] = {}


def register(model, *, on_text: Callable[[object, str], None], field: str = "file") -> None:
    _TARGETS[model._meta.label_lower] = Target(field, on_text)


def is_scan(kind: str, text: str) -> bool:
    """A photo, or a PDF whose text layer is (nearly) empty."""
    return kind in ("jpeg", "png") or (kind == "pdf" and len((text or "").strip()) < MIN_TEXT)


def available() -> bool:
    return bool(settings.DANGVU_OCR and shutil.which("ocrmypdf") and shutil.which("tesseract"))


MAX_SIDE_PT = 2000  # a page side in points (A3 is 1191); larger pages are not scans of paper
MAX_PIXELS = 60_000_000  # an image's width × height (an A4 page at 600 dpi is 35 million)
ERR_PAGES = "{n} trang, quá {limit} trang đọc được"
ERR_PAGE_SIZE = "trang khổ {side:.0f} điểm, lớn hơn khổ giấy ({limit} điểm)"
ERR_PIXELS = "ảnh {w}×{h} điểm ảnh, quá {limit} triệu"
ERR_UNKNOWN = "không đọc được cấu trúc tệp"


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG's or a JPEG's header, without decoding the image."""
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    i = 2
    while i + 9 < len(data) and data[:2] == b"\xff\xd8":
        if data[i] != 0xFF:
            return None
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    return None


def too_big(data: bytes, kind: str) -> str | None:
    """Why a scan is not read (before the OCR starts, so a hostile file costs nothing): too many pages, pages
    larger than paper, an image of too many pixels."""
    if kind == "pdf":
        g = docscan.scan(data, "pdf", extract=False, seconds=settings.DANGVU_EXTRACT_SECONDS,
                         memory_mb=settings.DANGVU_EXTRACT_MEMORY_MB, max_pages=1, max_chars=1)  # fmt: skip
        if g.total_pages <= 0:
            return ERR_UNKNOWN
        if g.total_pages > settings.DANGVU_OCR_MAX_PAGES:
            return ERR_PAGES.format(n=g.total_pages, limit=settings.DANGVU_OCR_MAX_PAGES)
        if g.max_side > MAX_SIDE_PT:
            return ERR_PAGE_SIZE.format(side=g.max_side, limit=MAX_SIDE_PT)
        return None
    size = image_size(data)
    if size is None:
        return ERR_UNKNOWN
    if size[0] * size[1] > MAX_PIXELS:
        return ERR_PIXELS.format(w=size[0], h=size[1], limit=MAX_PIXELS // 1_000_000)
    return None


def _limits() -> None:  # in the child, before ocrmypdf starts: its memory, and no core files
    import resource

    mb = settings.DANGVU_OCR_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mb, mb))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _run(data: bytes, kind: str) -> tuple[bytes, int]:
    """OCRmyPDF on the bytes, in its own process group with a memory limit and its temporary files inside our
    temporary folder: the searchable PDF and its page count. On time out the whole group (tesseract included) is
    killed. Raises on failure or time out."""
    import os
    import signal

    with tempfile.TemporaryDirectory(prefix="dangvu-ocr-") as tmp:
        src, dst = Path(tmp) / f"in.{kind}", Path(tmp) / "out.pdf"
        src.write_bytes(data)
        cmd = ["ocrmypdf", "-l", "vie", "--output-type", "pdf", "--jobs", "1", "--quiet", "--optimize", "0"]
        if kind == "pdf":
            cmd += ["--skip-text"]  # pages that already carry text are kept as they are
        else:
            cmd += ["--image-dpi", "300"]
        env = {**os.environ, "TMPDIR": tmp, "OMP_THREAD_LIMIT": "1"}
        proc = subprocess.Popen([*cmd, str(src), str(dst)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,  # noqa: S603  (fixed argv)
                                env=env, start_new_session=True, preexec_fn=_limits)  # noqa: PLW1509  # fmt: skip
        try:
            _, err = proc.communicate(timeout=settings.DANGVU_OCR_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, cmd, stderr=err)
        out = dst.read_bytes()
    return out, out.count(b"/Type /Page") - out.count(b"/Type /Pages") or 1


def process(label: str, pk: int, field: str = "file") -> OcrCopy | None:
    """Read the text of one stored scan (once per file content) and hand it to its app."""
    target = _TARGETS.get(label)
    if target is None:
        return None
    obj = apps.get_model(label).objects.filter(pk=pk).first()
    stored = getattr(obj, field, None) if obj is not None else None
    if not stored:
        return None
    with stored.open("rb") as fh:
        data = fh.read()
    digest = hashlib.sha256(data).hexdigest()
    done = OcrCopy.objects.filter(label=label, object_id=pk, field=field, source_sha256=digest).first()
    if done is not None:
        return done
    kind = "pdf" if data.startswith(b"%PDF") else ("png" if data.startswith(b"\x89PNG") else "jpeg")
    copy = OcrCopy(label=label, object_id=pk, field=field, source_sha256=digest)
    if not available():
        copy.state, copy.error = OcrCopy.State.UNAVAILABLE, "ocrmypdf/tesseract (vie) chưa được cài trên máy chủ"
        copy.save()
        return copy
    refused = too_big(data, kind)
    if refused:
        copy.state, copy.error = OcrCopy.State.FAILED, refused
        copy.save()
        return copy
    t0 = time.perf_counter()
    try:
        out, pages = _run(data, kind)
        scan = docscan.scan(out, "pdf", extract=True, seconds=settings.DANGVU_EXTRACT_SECONDS,
                            memory_mb=settings.DANGVU_EXTRACT_MEMORY_MB, max_pages=settings.DANGVU_EXTRACT_MAX_PAGES,
                            max_chars=settings.DANGVU_EXTRACT_MAX_CHARS)  # fmt: skip
    except (subprocess.SubprocessError, OSError, ValueError) as e:
        copy.state, copy.error = OcrCopy.State.FAILED, str(e)[-500:]
        copy.seconds = time.perf_counter() - t0
        copy.save()
        return copy
    copy.state, copy.text, copy.pages = OcrCopy.State.DONE, scan.text, pages
    copy.sha256 = hashlib.sha256(out).hexdigest()
    copy.seconds = time.perf_counter() - t0
    copy.file.save(f"{copy.sha256[:16]}.pdf", ContentFile(out), save=False)
    copy.save()
    target.on_text(obj, scan.text)
    return copy


def copy_of(obj, field: str = "file") -> OcrCopy | None:
    """The latest OCR result for a record's file, if any."""
    return (OcrCopy.objects.filter(label=obj._meta.label_lower, object_id=obj.pk, field=field)
            .order_by("-pk").first())  # fmt: skip
