"""Uploaded Word templates can only print the meeting's data: payloads are refused at upload, a template changed
in storage behind the app's back is refused at render, and legitimate templates still render."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from dangvu.core import templating
from dangvu.core.errors import DomainError
from dangvu.core.models import AuditEntry
from dangvu.meetings import documents
from dangvu.meetings import services as svc
from dangvu.meetings.models import DocTemplate

from .test_documents_api import closed, text_of  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

MARKER = Path("/tmp/dangvu-template-pwned")  # noqa: S108 — a payload below would create it

PAYLOADS = {
    "popen": "{{ cycler.__init__.__globals__.os.popen('touch " + str(MARKER) + "').read() }}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "self": "{{ self }}",
    "self_module": "{{ self._TemplateReference__context }}",
    "config": "{{ config.items() }}",
    "request": "{{ request.application.__globals__ }}",
    "lipsum": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "range": "{% for i in range(10**9) %}x{% endfor %}",
    "for_bomb": "{% for a in agenda %}{% for b in agenda %}{% for c in agenda %}{% for d in agenda %}x"
    "{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
    "string_bomb": "{{ 'x' * 1000000000 }}",
    "format": "{{ '{0.__class__}'.format(number) }}",
    "set": "{% set x = number %}{{ x }}",
    "import": "{% import 'os' as os %}",
    "include": "{% include '/etc/passwd' %}",
    "macro": "{% macro m() %}{% endmacro %}",
    "private_item": "{{ a['__class__'] }}",
    "method": "{{ subject.upper() }}",
    "unknown_filter": "{{ number|attr('__class__') }}",
    "namespace": "{{ namespace }}",
}


def docx_with(*paragraphs: str, header: str | None = None, title: str | None = None) -> bytes:
    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if title is not None:
        d.core_properties.title = title
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def upload(user, org, data: bytes, doc_type="BB"):
    return svc.template_upload(
        by=user, org=org, doc_type=doc_type, upload=SimpleUploadedFile("mau.docx", data)
    )


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payloads_are_refused_at_upload_naming_the_tag(name, admin_user, tree):
    MARKER.unlink(missing_ok=True)
    payload = PAYLOADS[name]
    with pytest.raises(DomainError) as e:
        upload(admin_user, tree["C1"], docx_with("Biên bản số {{ number }}", payload))
    assert "Mẫu văn bản không dùng được" in e.value.message
    assert "không được phép" in e.value.message
    assert not DocTemplate.objects.exists()
    assert not MARKER.exists()


def test_the_refusal_names_the_offending_tag_in_vietnamese(admin_user, tree):
    with pytest.raises(DomainError) as e:
        upload(admin_user, tree["C1"], docx_with("Số {{ number }}", PAYLOADS["popen"]))
    msg = e.value.message
    assert "«{{ cycler.__init__.__globals__.os.popen(" in msg
    assert "không được gọi hàm hay phương thức" in msg
    with pytest.raises(DomainError, match="«cycler» không phải là tên dữ liệu của mẫu"):
        upload(admin_user, tree["C1"], docx_with("{{ cycler.__init__ }}"))
    with pytest.raises(DomainError, match=r"«a\.presnt» không có; «a» có: absent, away"):
        upload(admin_user, tree["C1"], docx_with("{{ a.presnt }}"))
    with pytest.raises(DomainError, match="vòng lặp lồng quá 2 cấp"):
        upload(admin_user, tree["C1"], docx_with(PAYLOADS["for_bomb"]))


def test_payloads_in_headers_and_document_properties_are_refused(admin_user, tree):
    with pytest.raises(DomainError, match="không được phép"):
        upload(admin_user, tree["C1"], docx_with("Số {{ number }}", header=PAYLOADS["popen"]))
    with pytest.raises(DomainError, match="không được phép"):
        upload(admin_user, tree["C1"], docx_with("Số {{ number }}", title=PAYLOADS["lipsum"]))
    assert not MARKER.exists()


def test_a_legitimate_committee_template_renders(closed, admin_user, tree):  # noqa: F811
    data = docx_with(
        "{{ issuer|upper }} – Số {{ number }}",
        "{%p for v in votes %}",
        "{{ loop.index }}. {{ v.subject }}: {{ v['for'] }}/{{ v.base }} ({{ v.result }})",
        "{%p endfor %}",
        "{%p if a.present > 0 and not draft %}",
        "Có mặt {{ a.present }}/{{ a.expected }} ({{ a.rate }})",
        "{%p endif %}",
        "{{ speakers|length }} ý kiến; chủ trì: {{ chair|default('—') }}",
    )
    upload(admin_user, tree["C1"], data)
    text = text_of(documents.render(closed, "BB"))
    assert "CHI BỘ THÔN NÀ LỘC – Số 01-BB/CB" in text
    assert "1. Nghị quyết tháng 3: 2/4 (không thông qua)" in text
    assert "Có mặt 3/5 (60,0%)" in text
    assert "1 ý kiến; chủ trì: Nguyễn Văn Đức" in text


def test_the_repository_templates_pass_the_check():
    for name in ("minutes.docx", "resolution.docx"):
        templating.check_docx((documents.DIR / name).read_bytes(), documents.SCHEMA)


def test_values_are_escaped_so_a_name_cannot_inject_word_markup(closed, admin_user):  # noqa: F811
    closed.guests = '</w:t></w:r><w:r><w:instrText>INCLUDEPICTURE "http://x/"</w:instrText></w:r><w:r><w:t>'
    closed.save(update_fields=["guests"])
    upload(admin_user, closed.organisation, docx_with("Khách: {{ guests }}"))
    data = documents.render(closed, "BB")
    assert "INCLUDEPICTURE" in text_of(data)  # printed as text …
    xml = Document(io.BytesIO(data)).element.xml
    assert "<w:instrText" not in xml  # … never as a field


def test_a_template_planted_in_storage_fails_closed(closed, admin_user, tree, client):  # noqa: F811
    t = upload(admin_user, tree["C1"], docx_with("Số {{ number }}"))
    # someone with access to the storage (not to the app) swaps the file
    with t.file.open("wb") as f:
        f.write(docx_with(PAYLOADS["popen"]))
    with pytest.raises(documents.TemplateUnusable, match="Tệp mẫu đã bị thay đổi"):
        documents.render(closed, "BB")
    # the same with a template stored before hashes were kept: the check of the tags still refuses it
    DocTemplate.objects.filter(pk=t.pk).update(sha256="")
    with pytest.raises(documents.TemplateUnusable, match="không được phép"):
        documents.render(closed, "BB")
    assert not MARKER.exists()
    client.force_login(admin_user)
    r = client.get(f"/meetings/{closed.pk}/minutes.docx", follow=True)
    assert r.status_code == 200 and "Không tạo được văn bản từ mẫu riêng" in r.content.decode()
    assert AuditEntry.objects.filter(action="meeting.template_refused").count() == 1
    r = client.get(f"/api/v1/meetings/{closed.pk}/minutes.docx")
    assert r.status_code == 409 and "Không tạo được văn bản" in r.json()["detail"]
