"""Text inside scans: the signed page a cell sends is a scan with no text layer. The worker reads it with Tesseract's
Vietnamese data (OCRmyPDF), keeps the original untouched, stores the searchable copy beside it and indexes the text
for the search without diacritics.

The scan (`tests/fixtures/scan-vi.pdf`) is a page of typed Vietnamese (`scan-vi.txt`), set in Times New Roman
14 pt by LibreOffice, rasterised at 300 dpi in greyscale by pdftoppm and wrapped as an image-only PDF by img2pdf.
Bar: at least 95% of its words found by the search."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.core import ocr
from dangvu.core.models import OcrCopy
from dangvu.core.text import search_key
from dangvu.documents import selectors as sel
from dangvu.documents import services as svc
from dangvu.dossiers import selectors as dsel
from dangvu.dossiers import services as dsvc
from tests.conftest import VerifiedClient
from tests.jobs.helpers import run_worker

from .conftest import inc

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not ocr.available(), reason="needs ocrmypdf + tesseract-ocr-vie (make test installs them)")]  # fmt: skip

FIXTURES = Path(__file__).parent.parent / "fixtures"


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("ban-quet.pdf", (FIXTURES / "scan-vi.pdf").read_bytes())


def test_a_scanned_report_is_found_by_the_words_typed_on_it(admin_user, tree, django_capture_on_commit_callbacks):
    original = (FIXTURES / "scan-vi.pdf").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        doc = svc.incoming_add(by=admin_user, org=tree["C1"], data=inc(subject="Báo cáo tháng của chi bộ"),
                               upload=scan())  # fmt: skip
    assert doc.file_text == ""  # nothing to read before OCR: an image-only PDF
    assert sel.incoming(admin_user, tree["C1"], q="phat trien kinh te nong nghiep").count() == 0
    run_worker()
    copy = OcrCopy.objects.get(label="documents.incoming", object_id=doc.pk)
    assert copy.state == "done" and copy.pages == 1 and copy.file.read().startswith(b"%PDF")
    doc.refresh_from_db()
    with doc.file.open("rb") as fh:
        assert fh.read() == original  # the original is kept untouched
    words = search_key((FIXTURES / "scan-vi.txt").read_text(encoding="utf-8")).split()
    indexed = set(doc.search_text.split())
    found = sum(1 for w in words if w in indexed)
    assert found / len(words) >= 0.95, (found, len(words), sorted(set(words) - indexed))
    for q in ("phat trien kinh te nong nghiep", "nguyen van duc", "12-bc/cb", "dang phi"):
        assert [d.pk for d in sel.incoming(admin_user, tree["C1"], q=q)] == [doc.pk], q
    c = VerifiedClient()
    c.force_login(admin_user)
    assert "bản có thể tìm kiếm (PDF)" in c.get(f"/documents/incoming/{doc.pk}/").content.decode()
    r = c.get(f"/documents/incoming/{doc.pk}/ocr/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r.content != original


def test_a_text_pdf_is_not_read_again_and_a_dossier_scan_becomes_searchable(admin_user, tree,
                                                                            django_capture_on_commit_callbacks):
    from tests.dossiers.conftest import pdf

    with django_capture_on_commit_callbacks(execute=True):
        svc.outgoing_add(by=admin_user, org=tree["C1"], upload=pdf("Ke hoach co san lop chu"), data={
            "doc_type": "KH", "issued_on": dt.date(2026, 3, 2), "subject": "Kế hoạch"})  # fmt: skip
    run_worker()
    assert not OcrCopy.objects.exists()  # it had its text layer: no OCR
    d = dsvc.dossier_open(by=admin_user, org=tree["C2-T1"], code="TC01", year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        dsvc.file_add(by=admin_user, dossier=d, upload=scan(), title="Bản quét")
    assert [x.pk for x in dsel.search(admin_user, q="nang cao chat luong sinh hoat chi bo")] == []
    run_worker()
    assert OcrCopy.objects.filter(label="dossiers.dossierfile").get().state == "done"
    assert [x.pk for x in dsel.search(admin_user, q="nang cao chat luong sinh hoat chi bo")] == [d.pk]


def test_a_hostile_scan_is_refused_before_ocr_starts(admin_user, tree, django_capture_on_commit_callbacks):
    import io
    import struct
    import zlib

    from pypdf import PdfWriter

    many = PdfWriter()
    for _ in range(2000):
        many.add_blank_page(width=595, height=842)
    huge = PdfWriter()
    huge.add_blank_page(width=14400, height=14400)

    def pdf_bytes(w):
        buf = io.BytesIO()
        w.write(buf)
        return buf.getvalue()

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 15000, 15000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b"")
    cases = [("many.pdf", pdf_bytes(many), "2000 trang"), ("huge.pdf", pdf_bytes(huge), "khổ 14400"),
             ("huge.png", png, "15000×15000")]  # fmt: skip
    for name, data, why in cases:
        with django_capture_on_commit_callbacks(execute=True):
            doc = svc.incoming_add(by=admin_user, org=tree["C1"], data=inc(subject=name),
                                   upload=SimpleUploadedFile(name, data))  # fmt: skip
        run_worker()
        copy = OcrCopy.objects.get(label="documents.incoming", object_id=doc.pk)
        # the reason is the pre-check's: refused before ocrmypdf rasterised anything
        assert copy.state == "failed" and why in copy.error and copy.seconds == 0, (name, copy.error)
