"""Hostile uploads benchmark: `make bench-uploads` (MB=400). No database needed.

Builds a real .docx shell whose document part inflates to MB megabytes (about 1,000:1), then times the upload
check every ZIP-based upload goes through (`core.files.check_upload`) and measures how much the process grows
(peak resident memory before and after). The bar (issue #15): the 400 MB bomb refused in under 1 s with under
50 MB of growth. Then the same for a PDF with JavaScript hidden behind escaped names (checked in the budgeted
child process). Exits non-zero when a bar is missed, so `make test` (which runs it at 40 MB) catches a
regression.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from dangvu.core.errors import DomainError  # noqa: E402
from dangvu.core.files import check_upload  # noqa: E402

PDF_JS = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"3 0 obj << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def bomb(mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"<w:t>" + b" " * ((1 << 20) - 5)
            for _ in range(mb):
                f.write(chunk)
    return buf.getvalue()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(data: bytes, name: str, kind: str, repeat: int) -> tuple[list[float], str]:
    times, message = [], ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            check_upload(SimpleUploadedFile(name, data), (kind,), extract=True)
            message = "ACCEPTED"
        except DomainError as e:
            message = e.message
        times.append(time.perf_counter() - t0)
    return times, message


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=400, help="how far the bomb inflates")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print("| Upload | On disk | Median | Max | Peak memory growth | Verdict |")
    print("|---|---|---|---|---|---|")
    ok = True
    # the full bomb (over the total size limit) and one half as large (under it: caught by its ratio)
    for mb in (args.mb, args.mb // 2):
        data = bomb(mb)
        before = rss_mb()
        times, message = timed(data, "bom.docx", "docx", args.repeat)
        growth = rss_mb() - before
        print(f"| .docx inflating to {mb} MB | {len(data) / 1024:.0f} KB | {statistics.median(times) * 1000:.1f} ms "
              f"| {max(times) * 1000:.1f} ms | {growth:.1f} MB | {message} |")  # fmt: skip
        ok = ok and message != "ACCEPTED" and max(times) < 1.0 and growth < 50
    pdf_times, pdf_message = timed(PDF_JS, "a.pdf", "pdf", args.repeat)
    print(f"| PDF with escaped JavaScript | {len(PDF_JS)} B | {statistics.median(pdf_times) * 1000:.1f} ms | "
          f"{max(pdf_times) * 1000:.1f} ms | (child process) | {pdf_message} |")  # fmt: skip
    ok = ok and pdf_message != "ACCEPTED"
    print("PASS" if ok else "FAIL: a bomb was accepted or missed the bar (< 1 s, < 50 MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
