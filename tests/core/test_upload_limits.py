"""Uploads cannot exhaust the server: ZIP containers are judged by their declared contents before anything is
parsed, PDFs with active content are refused, and text extraction runs in a budgeted child process."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from dangvu.core import docscan
from dangvu.core.errors import DomainError
from dangvu.core.files import check_upload
from dangvu.dossiers import services as dsvc
from dangvu.dossiers.models import DossierFile
from dangvu.dossiers.samples import docx_with_text, pdf_with_text
from dangvu.meetings import services as msvc
from dangvu.members.importer import import_members

pytestmark = pytest.mark.django_db


def bomb(kind: str, mb: int, *, entries: int = 1) -> bytes:
    """A real .docx/.xlsx shell whose main part inflates to `mb` MB of zeros (deflate: about 1,000 to 1)."""
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for i in range(entries - 2):
            z.writestr(f"x/{i}.xml", "<x/>")
        with z.open(main, "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(mb):
                f.write(chunk)
    return buf.getvalue()


def up(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_docx_bomb_is_refused_before_parsing(settings):
    data = bomb("docx", 40)
    assert len(data) < 200_000
    with pytest.raises(DomainError, match=r"nén \d+:1 \(giới hạn 150:1\), dấu hiệu của tệp «bom nén»"):
        check_upload(up(data, "bom.docx"), ("docx",))
    settings.DANGVU_ZIP_MAX_RATIO = 100_000
    settings.DANGVU_ZIP_MAX_UNCOMPRESSED_MB = 30
    with pytest.raises(DomainError, match="Tệp giải nén ra 40 MB, quá giới hạn 30 MB"):
        check_upload(up(data, "bom.docx"), ("docx",))


def test_too_many_entries_are_refused(settings):
    settings.DANGVU_ZIP_MAX_ENTRIES = 50
    with pytest.raises(DomainError, match="Tệp chứa 60 phần nén, quá giới hạn 50"):
        check_upload(up(bomb("docx", 0, entries=60), "a.docx"), ("docx",))


def test_bombs_are_refused_on_every_zip_path(admin_user, tree):
    """Dossier files, meeting files, templates, member imports, catalogue imports."""
    d = dsvc.dossier_open(by=admin_user, org=tree["C1-T1"], code="KT01", year=2026)
    with pytest.raises(DomainError, match="bom nén"):
        dsvc.file_add(by=admin_user, dossier=d, upload=up(bomb("docx", 40), "a.docx"))
    m = msvc.schedule(by=admin_user, org=tree["C1-T1"], data=msvc.Schedule(date=__import__("datetime").date(2026, 3, 10)))
    with pytest.raises(DomainError, match="bom nén"):
        msvc.attach(by=admin_user, meeting=m, title="x", upload=up(bomb("xlsx", 40), "a.xlsx"))
    with pytest.raises(DomainError, match="bom nén"):
        msvc.template_upload(by=admin_user, org=tree["C1"], doc_type="BB", upload=up(bomb("docx", 40), "m.docx"))
    report = import_members(by=admin_user, org=tree["C1-T1"], source=io.BytesIO(bomb("xlsx", 40)), dry_run=True)
    assert "bom nén" in report.problems[0].reason
    with pytest.raises(DomainError, match="bom nén"):
        dsvc.catalogue_import(by=admin_user, org_type=tree["C1-T1"].type, year=2027, upload=up(bomb("xlsx", 40), "c.xlsx"))
    assert not DossierFile.objects.exists()


def pdf_with(action) -> bytes:
    w = PdfWriter()
    w.add_blank_page(100, 100)
    action(w)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def js(w) -> None:
    """What pypdf's removed add_js did: a JavaScript action run when the document opens."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    w._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")}
    )


ESCAPED_JS = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"3 0 obj << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (lambda: pdf_with(js), "mã JavaScript"),
        (lambda: pdf_with(lambda w: w.add_attachment("virus.exe", b"MZ")), "tệp đính kèm bên trong"),
        (lambda: ESCAPED_JS, "mã JavaScript"),
        (lambda: ESCAPED_JS.replace(b"3 0 obj", b"3 0 obj").replace(b"xref", b"")[:-40] + b"garbage", "mã JavaScript"),
    ],
)
def test_pdfs_with_active_content_are_refused_with_the_reason(data, what, admin_user, tree):
    d = dsvc.dossier_open(by=admin_user, org=tree["C1-T1"], code="KT01", year=2026)
    with pytest.raises(DomainError, match=f"Tệp PDF có nội dung tự chạy \\({what}"):
        dsvc.file_add(by=admin_user, dossier=d, upload=up(data(), "a.pdf"))
    assert not DossierFile.objects.exists()


def test_a_launch_action_is_refused():
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def launch(w):
        w._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
        )

    with pytest.raises(DomainError, match="lệnh mở chương trình"):
        check_upload(up(pdf_with(launch), "a.pdf"), ("pdf",))


def test_a_plain_pdf_and_a_scan_pass():
    assert check_upload(up(pdf_with_text(["Bien ban hop chi bo"]), "a.pdf"), ("pdf",)).kind == "pdf"
    assert check_upload(up(pdf_with(lambda w: None), "scan.pdf"), ("pdf",), extract=True).text_status == "none"


def test_text_over_the_budget_is_kept_and_marked(admin_user, tree, settings):
    d = dsvc.dossier_open(by=admin_user, org=tree["C1-T1"], code="KT01", year=2026)
    settings.DANGVU_EXTRACT_MAX_CHARS = 20
    f = dsvc.file_add(by=admin_user, dossier=d, upload=up(pdf_with_text(["Ke hoach kiem tra nam 2026 " * 5]), "a.pdf"))
    assert f.text_status == "partial" and len(f.text) <= 20
    settings.DANGVU_EXTRACT_SECONDS = 0  # the child cannot even start: over the time budget
    f = dsvc.file_add(by=admin_user, dossier=d, upload=up(docx_with_text(["Quy che lam viec"]), "b.docx"))
    assert f.text_status == "over_budget" and f.text == "" and f.file  # kept, not searchable
    settings.DANGVU_EXTRACT_SECONDS = 20
    settings.DANGVU_EXTRACT_MEMORY_MB = 20  # below what the child needs to start Python's libraries
    f = dsvc.file_add(by=admin_user, dossier=d, upload=up(docx_with_text(["Quy che lam viec"]), "c.docx"))
    assert f.text_status in ("over_budget", "failed") and f.text == ""
    assert DossierFile.objects.filter(dossier=d).count() == 3


def test_the_child_reports_active_content_before_reading_text():
    result = docscan.scan(pdf_with(js), "pdf", extract=True, seconds=20, memory_mb=512,
                          max_pages=10, max_chars=1000)  # fmt: skip
    assert result.active == ["mã JavaScript"] and result.text == ""


def _docx_with(rels_extra: str = "", extra_parts: dict | None = None, content_type: str = "") -> bytes:
    """A minimal .docx with extra relationships / parts (the hostile patterns)."""
    import io
    import zipfile

    buf = io.BytesIO()
    ct = content_type or "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="{ct}"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Biên bản</w:t></w:r></w:p></w:body></w:document>')
        z.writestr("word/_rels/document.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://dangcongsan.vn" TargetMode="External"/>'
                   f"{rels_extra}</Relationships>")
        for name, data in (extra_parts or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("rels, parts, ct, what", [
    ('<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" '
     'Target="http://x.example/a.html!" TargetMode="External"/>', None, "", "oleObject"),
    ('<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
     'Target="http://x.example/t.dotm" TargetMode="External"/>', None, "", "attachedTemplate"),
    ("", {"word/vbaProject.bin": b"\\x00" * 10}, "application/vnd.ms-word.document.macroEnabled.main+xml", "macro"),
])  # fmt: skip
def test_office_files_that_run_or_fetch_something_are_refused(rels, parts, ct, what):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangvu.core.errors import DomainError
    from dangvu.core.files import check_upload

    with pytest.raises(DomainError) as e:
        check_upload(SimpleUploadedFile("a.docx", _docx_with(rels, parts, ct)), ("docx",))
    assert "nội dung tự chạy hoặc tự tải từ bên ngoài" in e.value.message and what in e.value.message
    # an ordinary document with an external hyperlink is fine
    assert check_upload(SimpleUploadedFile("a.docx", _docx_with()), ("docx",)).kind == "docx"
