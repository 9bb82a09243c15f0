"""The registers' pages and API as an office uses them: register and take a number with the signed file, the
refusal of a type the cell may not issue in Vietnamese under its field, void keeping the number, follow an
incoming document to done, the year's book in Excel (text stays text), the same rules through the API."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.models import AuditEntry
from dangvu.documents import services as svc
from dangvu.documents.models import Incoming, Outgoing
from tests.conftest import VerifiedClient
from tests.jobs.helpers import export

from .conftest import inc, out, pdf

pytestmark = pytest.mark.django_db


def login(user):
    c = VerifiedClient()
    c.force_login(user)
    return c


def test_a_secretary_registers_a_document_and_takes_its_number_with_the_signed_file(role):
    c = login(role("secretary"))
    r = c.post("/documents/outgoing/?org=C1", {
        "doc_type": "KH", "body": "org", "issued_on": "02/03/2026", "subject": "Kế hoạch học tập nghị quyết",
        "signer": "Nguyễn Văn Đức", "recipients": "Các chi bộ", "file": pdf("Ke hoach hoc tap")})  # fmt: skip
    assert r.status_code == 302
    doc = Outgoing.objects.get()
    page = c.get(r["Location"]).content.decode()
    assert "Kế hoạch số 01-KH/ĐU" in page and "02/03/2026" in page and "Đã vào sổ văn bản đi: số 01-KH/ĐU" in page
    f = c.get(f"/documents/outgoing/{doc.pk}/file/")
    assert f.status_code == 200 and f.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="documents.outgoing_add").count() == 1
    assert AuditEntry.objects.filter(action="documents.outgoing_file_download").count() == 1
    listing = c.get("/documents/outgoing/?org=C1&q=hoc tap nghi quyet").content.decode()
    assert "01-KH/ĐU" in listing


def test_a_refused_type_is_shown_under_its_field_and_nothing_is_numbered(role):
    c = login(role("secretary", "C1-T1"))
    page = c.get("/documents/outgoing/?org=C1-T1").content.decode()
    assert 'id="authority"' in page and "thông báo" in page  # what the cell may not issue, said before it tries
    r = c.post("/documents/outgoing/?org=C1-T1", {"doc_type": "TB", "body": "org", "issued_on": "02/03/2026",
                                                  "subject": "Thông báo"})  # fmt: skip
    assert r.status_code == 400
    assert "Chi bộ không được ban hành thông báo (theo QĐ 399-QĐ/TW ngày 09/01/2026)." in r.content.decode()
    assert not Outgoing.objects.exists()


def test_a_viewer_reads_the_registers_but_cannot_write_and_outside_is_404(role, admin_user, tree):
    doc = svc.outgoing_add(by=admin_user, org=tree["C2"], data=out())
    c = login(role("viewer"))
    page = c.get("/documents/outgoing/?org=C1")
    assert page.status_code == 200 and 'id="outgoing-form"' not in page.content.decode()
    assert c.post("/documents/outgoing/?org=C1", out()).status_code == 403
    assert c.get(f"/documents/outgoing/{doc.pk}/").status_code == 404
    assert c.get("/documents/outgoing/?org=C2").status_code == 404
    assert c.get(f"/api/v1/documents/outgoing/{doc.pk}").status_code == 404


def test_void_keeps_the_number_on_the_page(role, admin_user, tree):
    doc = svc.outgoing_add(by=admin_user, org=tree["C1"], data=out())
    c = login(role("secretary"))
    assert c.post(f"/documents/outgoing/{doc.pk}/void/", {"reason": ""}).status_code == 400
    r = c.post(f"/documents/outgoing/{doc.pk}/void/", {"reason": "Sai thể thức"})
    page = c.get(r["Location"]).content.decode()
    assert "đã hủy" in page and "Sai thể thức" in page and "số 01-KH/ĐU được giữ" in page
    assert c.post(f"/documents/outgoing/{doc.pk}/void/", {"reason": "lần hai"}).status_code == 400


def test_an_incoming_document_is_followed_to_done(role):
    c = login(role("secretary"))
    r = c.post("/documents/incoming/?org=C1", {
        "received_on": "02/03/2026", "sender": "Ban Tổ chức Tỉnh ủy", "their_number": "35-HD/BTCTU",
        "their_date": "27/02/2026", "doc_type": "HD", "subject": "Hướng dẫn đánh giá", "handler": "Đ/c Lan",
        "due_on": "10/03/2026", "file": pdf("Huong dan")})  # fmt: skip
    assert r.status_code == 302
    doc = Incoming.objects.get(subject="Hướng dẫn đánh giá")
    assert f"Đã vào sổ văn bản đến: số đến {doc.arrival_number}/{doc.year}" in c.get(r["Location"]).content.decode()
    late = c.get("/documents/incoming/?org=C1&late=1").content.decode()
    assert "quá hạn" in late and "Hướng dẫn đánh giá" in late
    r = c.post(f"/documents/incoming/{doc.pk}/", {"status": "done", "handler": "Đ/c Lan", "outcome": ""})
    assert r.status_code == 400 and "Hãy ghi kết quả xử lý." in r.content.decode()
    r = c.post(f"/documents/incoming/{doc.pk}/", {"status": "done", "handler": "Đ/c Lan",
                                                   "outcome": "Đã triển khai"})  # fmt: skip
    assert r.status_code == 302
    assert "Hướng dẫn đánh giá" not in c.get("/documents/incoming/?org=C1&late=1").content.decode()


def test_the_books_as_excel_keep_text_as_text(role, admin_user, tree):
    svc.outgoing_add(by=admin_user, org=tree["C1"], data=out(subject="=HYPERLINK(\"http://x\")"))
    svc.outgoing_add(by=admin_user, org=tree["C1"], data=out("BC", subject="Báo cáo"))
    svc.incoming_add(by=admin_user, org=tree["C1"], data=inc(sender="+Tỉnh ủy"))
    c = login(role("secretary"))
    ws = openpyxl.load_workbook(io.BytesIO(export(c, "/documents/book/outgoing/?org=C1&year=2026"))).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    flat = [v for r in rows for v in r if v is not None]
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in flat and "Năm 2026" in flat
    body = [r for r in rows if r[0] in ("01-KH/ĐU", "01-BC/ĐU")]
    assert [r[0] for r in body] == ["01-KH/ĐU", "01-BC/ĐU"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"
    ws = openpyxl.load_workbook(io.BytesIO(export(c, "/documents/book/incoming/?org=C1&year=2026"))).active
    flat = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in flat and "+Tỉnh ủy" in flat


def test_the_register_page_costs_the_same_queries_for_5_or_40_documents(role, admin_user, tree):
    c = login(role("secretary"))

    def count():
        c.get("/documents/outgoing/?org=C1&all=1")
        with CaptureQueriesContext(connection) as q:
            assert c.get("/documents/outgoing/?org=C1&all=1").status_code == 200
        return len(q)

    for i in range(5):
        svc.outgoing_add(by=admin_user, org=tree["C1-T1" if i % 2 else "C1"], data=out("BC", subject=f"Báo cáo {i}"))
    few = count()
    for i in range(35):
        svc.outgoing_add(by=admin_user, org=tree["C1-T2" if i % 2 else "C1"], data=out("BC", subject=f"Báo cáo {i}"))
    assert count() == few


def test_the_api_takes_a_number_refuses_with_field_messages_and_searches(role):
    c = login(role("secretary"))
    r = c.post("/api/v1/documents/outgoing", {"org": "C1-T1", "doc_type": "KL", "issued_on": "2026-03-02",
                                              "subject": "Kết luận"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "Chi bộ không được ban hành kết luận" in r.json()["errors"]["doc_type"]
    r = c.post("/api/v1/documents/outgoing", {"org": "C1", "doc_type": "KL", "issued_on": "2026-03-02",
                                              "subject": "Kết luận hội nghị"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201 and r.json()["symbol"] == "01-KL/ĐU"
    pk = r.json()["id"]
    r = c.post(f"/api/v1/documents/outgoing/{pk}/file", {"file": pdf("Ket luan hoi nghi can bo")})
    assert r.status_code == 201 and r.json()["has_file"]
    found = c.get("/api/v1/documents/outgoing?org=C1&q=hoi nghi can bo").json()
    assert found["count"] == 1 and found["items"][0]["symbol"] == "01-KL/ĐU"
    r = c.post("/api/v1/documents/incoming", {"org": "C1", "received_on": "2099-01-01", "sender": "X",
                                              "subject": "Y"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "sau hôm nay" in r.json()["errors"]["received_on"]


def test_one_search_box_reads_both_registers_of_the_branch(role, admin_user, tree):
    svc.outgoing_add(by=admin_user, org=tree["C1-T1"], data=out("BC", subject="Báo cáo công tác dân vận"))
    svc.incoming_add(by=admin_user, org=tree["C1"], data=inc(subject="Hướng dẫn công tác dân vận năm 2026"))
    svc.incoming_add(by=admin_user, org=tree["C2"], data=inc(subject="Công tác dân vận ở xã Võ Lao"))
    page = login(role("viewer")).get("/documents/search/?org=C1&q=cong tac dan van").content.decode()
    assert "Văn bản đi: 1" in page and "Văn bản đến: 1" in page
    assert "Báo cáo công tác dân vận" in page and "Hướng dẫn công tác dân vận" in page and "Võ Lao" not in page
