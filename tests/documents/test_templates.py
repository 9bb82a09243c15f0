"""Templates and drafting: a committee keeps a .docx template per document type for its subtree (the nearest
up the tree wins); a template is checked and rendered sandboxed (a tag that calls code is refused by name); a
registered document is drafted with its header, number, place and date, signature block and recipients filled,
by the template or, without one, in the Party layout."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from dangvu.core.errors import DomainError, Forbidden
from dangvu.documents import drafting
from dangvu.documents import services as svc
from tests.conftest import VerifiedClient

from .conftest import out

pytestmark = pytest.mark.django_db


def docx_file(*paragraphs: str, name="mau.docx") -> SimpleUploadedFile:
    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def text_of(data: bytes) -> str:
    d = Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


GOOD = ("{{ issuer }} — {{ number }}", "{{ place_date }}", "{{ type_name }}: {{ subject }}",
        "{% for p in body %}{{ p }} {% endfor %}", "{{ sign_for }} {{ sign_title }} {{ signer }}")  # fmt: skip


def test_the_nearest_template_up_the_tree_drafts_the_document(admin_user, tree):
    svc.template_upload(by=admin_user, org=tree["C1"], doc_type="BC", name="Báo cáo của xã", upload=docx_file(*GOOD))
    doc = svc.outgoing_add(by=admin_user, org=tree["C1-T1"], data=out("BC", on=dt.date(2026, 3, 5),
                                                                      subject="Báo cáo tháng 3"))  # fmt: skip
    data, t = svc.draft(by=admin_user, doc=doc, body_text="Chi bộ hoàn thành nhiệm vụ.\nĐảng viên tham gia đủ.")
    text = text_of(data)
    assert t.name == "Báo cáo của xã"
    assert "CHI BỘ THÔN NÀ LỘC — Số 01-BC/CB" in text and "ngày 05 tháng 3 năm 2026" in text
    assert "BÁO CÁO: Báo cáo tháng 3" in text and "Chi bộ hoàn thành nhiệm vụ." in text
    assert "T/M CHI BỘ BÍ THƯ Nguyễn Văn Đức" in text
    svc.template_upload(by=admin_user, org=tree["C1-T1"], doc_type="BC", name="Mẫu riêng của chi bộ",
                        upload=docx_file("Riêng: {{ symbol }}"))  # fmt: skip
    data, t = svc.draft(by=admin_user, doc=doc, body_text="")
    assert t.name == "Mẫu riêng của chi bộ" and "Riêng: 01-BC/CB" in text_of(data)


def test_a_template_that_would_run_code_is_refused_by_name(admin_user, tree):
    for bad in ("{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}", "{{ subject.upper() }}"):
        with pytest.raises(DomainError) as e:
            svc.template_upload(by=admin_user, org=tree["C1"], doc_type="KH", name="x", upload=docx_file(bad))
        assert e.value.errors["file"].startswith("Mẫu không dùng được: Mẫu có thẻ không được phép"), bad
    with pytest.raises(DomainError) as e:
        svc.template_upload(by=admin_user, org=tree["C1"], doc_type="KH", name="x",
                            upload=SimpleUploadedFile("x.docx", b"%PDF-1.4 not a docx"))  # fmt: skip
    assert "file" in e.value.errors


def test_without_a_template_the_party_layout_is_filled(admin_user, tree):
    doc = svc.outgoing_add(by=admin_user, org=tree["C1"], data=out(on=dt.date(2026, 3, 2)))
    data, t = svc.draft(by=admin_user, doc=doc, body_text="Mục đích, yêu cầu.\nNội dung.")
    text = text_of(data)
    assert t is None
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ HUYỆN ĐỒI NÚI", "ĐẢNG BỘ XÃ KHÁNH YÊN", "Số 01-KH/ĐU",
                  "ngày 02 tháng 3 năm 2026", "KẾ HOẠCH", "Mục đích, yêu cầu.", "T/M ĐẢNG ỦY", "BÍ THƯ",
                  "Nguyễn Văn Đức", "Nơi nhận:", "- Các chi bộ trực thuộc,"):
        assert words in text, words
    letter = svc.outgoing_add(by=admin_user, org=tree["C1"], data=out("CV", subject="Đôn đốc nộp đảng phí"))
    text = text_of(svc.draft(by=admin_user, doc=letter, body_text="")[0])
    assert "V/v Đôn đốc nộp đảng phí" in text and "CÔNG VĂN" not in text  # a công văn prints no type name


def test_pages_upload_preview_draft_and_scope(admin_user, tree, role):
    c = VerifiedClient()
    c.force_login(role("secretary", "C1"))
    r = c.post("/documents/templates/?org=C1", {"doc_type": "TB", "name": "Thông báo", "file": docx_file(*GOOD)})
    assert r.status_code == 302
    r = c.post("/documents/templates/?org=C1", {"doc_type": "TB", "name": "Xấu",
                                                "file": docx_file("{{ ''.__class__ }}")})  # fmt: skip
    assert r.status_code == 400 and "Mẫu có thẻ không được phép" in r.content.decode()
    t = svc.template_upload(by=admin_user, org=tree["C1"], doc_type="BC", name="BC", upload=docx_file(*GOOD))
    cell = VerifiedClient()
    cell.force_login(role("secretary", "C1-T1"))
    page = cell.get("/documents/templates/?org=C1-T1").content.decode()
    assert "Thông báo" in page and "Đảng bộ xã Khánh Yên" in page  # the commune's, used by the cell
    preview = cell.get(f"/documents/templates/{t.pk}/preview/")
    assert preview.status_code == 200 and "CHI BỘ" not in text_of(preview.content)  # the commune's own header
    assert cell.post(f"/documents/templates/{t.pk}/remove/").status_code == 403
    other = VerifiedClient()
    other.force_login(role("secretary", "C2"))
    assert other.get(f"/documents/templates/{t.pk}/preview/").status_code == 404
    doc = svc.outgoing_add(by=admin_user, org=tree["C1-T1"], data=out("BC", subject="Báo cáo"))
    r = cell.post(f"/documents/outgoing/{doc.pk}/draft/", {"body": "Nội dung báo cáo"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Nội dung báo cáo" in text_of(r.content) and "Số 01-BC/CB" in text_of(r.content)
    with pytest.raises(Forbidden):
        svc.template_upload(by=role("viewer", "C1"), org=tree["C1"], doc_type="BC", name="x", upload=docx_file("x"))
    assert drafting.template_for(tree["C2-T1"], "BC") is None


def _two_sections_with_footnote(footnote: str) -> SimpleUploadedFile:
    """A .docx of two sections whose footnotes part holds `footnote` (docxtpl 0.20 rendered such a part once per
    section, each time over its own output)."""
    import zipfile

    from docx.enum.section import WD_SECTION

    d = Document()
    d.add_paragraph("{{ number }}")
    d.add_section(WD_SECTION.NEW_PAGE)
    d.add_paragraph("Trang hai")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    notes = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="http://schemas.openxml'
             'formats.org/wordprocessingml/2006/main"><w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">'
             f'{footnote}</w:t></w:r></w:p></w:footnote></w:footnotes>')  # fmt: skip
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                                    b"</Relationships>")
            z.writestr(item, data)
        z.writestr("word/footnotes.xml", notes)
    return SimpleUploadedFile("mau.docx", out.getvalue())


def _footnotes(data: bytes) -> str:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml").decode()


def test_a_footnote_is_rendered_once_so_neither_it_nor_a_typed_value_runs_as_a_template(admin_user, tree):
    t = svc.template_upload(by=admin_user, org=tree["C1"], doc_type="BC", name="Có chú thích",
                            upload=_two_sections_with_footnote("A={_{ 7*7 }_} Trích yếu: {{ subject }}"))  # fmt: skip
    doc = svc.outgoing_add(by=admin_user, org=tree["C1"], data=out("BC", subject="{{ 7*7 }} {% for a in body %}x{% endfor %}"))
    data, used = svc.draft(by=admin_user, doc=doc, body_text="một\nhai")
    notes = _footnotes(data)
    assert used == t and "A={{ 7*7 }}" in notes and "49" not in notes  # printed as typed, never evaluated
    assert "Trích yếu: {{ 7*7 }} {% for a in body %}x{% endfor %}" in notes.replace("&amp;", "&")


def test_a_loop_over_text_is_refused_and_the_output_is_capped(admin_user, tree, monkeypatch):
    from dangvu.core import templating

    with pytest.raises(DomainError) as e:
        svc.template_upload(by=admin_user, org=tree["C1"], doc_type="BC", name="x",
                            upload=docx_file("{% for a in subject %}{{ a }}{% endfor %}"))  # fmt: skip
    assert "không phải là danh sách" in e.value.errors["file"]
    svc.template_upload(by=admin_user, org=tree["C1"], doc_type="BC", name="Lồng",
                        upload=docx_file("{% for a in body %}{% for b in body %}{{ body|join }}{% endfor %}{% endfor %}"))  # fmt: skip
    doc = svc.outgoing_add(by=admin_user, org=tree["C1"], data=out("BC", subject="Báo cáo"))
    monkeypatch.setattr(templating, "MAX_OUTPUT", 200_000)
    with pytest.raises(DomainError) as e:
        svc.draft(by=admin_user, doc=doc, body_text="\n".join(["đoạn văn bản khá dài " * 5] * 100))
    assert "quá lớn" in e.value.errors["body"]
