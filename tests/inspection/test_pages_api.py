"""The pages and the API: confidential to inspector, officer and administrator roles (a secretary or a viewer of
the same subtree gets 403 on a subtree page, 404 on a record), every read audited; forms answer in Vietnamese;
the year's report as an Excel job; the documents as .docx; who filed a denunciation only for its handlers."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from dangvu.core.models import AuditEntry
from dangvu.inspection import services as svc
from dangvu.inspection.models import Complaint, Discipline, Programme
from tests.conftest import VerifiedClient
from tests.jobs.helpers import export

from .conftest import case, decision

pytestmark = pytest.mark.django_db


def login(user):
    c = VerifiedClient()
    c.force_login(user)
    return c


@pytest.fixture
def decided(admin_user, tree, people):
    d = case(admin_user, tree["C1-T1"], people["duc"])
    return svc.discipline_decide(by=admin_user, discipline=d, x=decision())


def test_only_confidential_roles_see_anything_and_every_read_is_audited(role, decided, tree):
    for name in ("secretary", "viewer"):
        c = login(role(name))
        assert c.get("/inspection/?org=C1").status_code == 403
        assert c.get(f"/inspection/disciplines/{decided.pk}/").status_code == 404
        assert c.get("/api/v1/inspection/overview?org=C1").status_code == 403
        assert c.get(f"/api/v1/inspection/disciplines/{decided.pk}").status_code == 404
        assert "Kiểm tra, kỷ luật" not in c.get("/").content.decode()
    inspector = role("inspector")
    c = login(inspector)
    assert "Kiểm tra, kỷ luật" in c.get("/").content.decode()
    page = c.get(f"/inspection/disciplines/{decided.pk}/").content.decode()
    assert "Khiển trách" in page and "01-QĐ/CB" in page and "hết ngày <strong>01/03/2031</strong>" in page
    assert c.get(f"/api/v1/inspection/disciplines/{decided.pk}").json()["number"] == "01-QĐ/CB"
    assert c.get("/inspection/disciplines/?org=C1&subject=C2-T1").status_code == 404  # another subtree's subject
    reads = AuditEntry.objects.filter(action="inspection.read", user=inspector)
    assert reads.count() == 2 and {e.object_id for e in reads} == {str(decided.pk)}
    # an inspector of another commune sees nothing of it
    other = login(role("inspector", "C2", username="kt-c2"))
    assert other.get(f"/inspection/disciplines/{decided.pk}/").status_code == 404
    assert other.get("/inspection/?org=C1").status_code == 404


def test_a_programme_and_an_item_through_the_pages(role, tree, people):
    c = login(role("inspector"))
    r = c.post("/inspection/programmes/?org=C1", {"body": "cell", "year": "2026", "title": "", "adopted_on": "10/01/2026"})
    assert r.status_code == 400 and "bắt buộc" in r.content.decode()
    r = c.post("/inspection/programmes/?org=C1", {"body": "cell", "year": "2026", "title": "CT", "adopted_on": "10/01/2026"})
    assert r.status_code == 400 and "là đảng bộ: chọn cấp ủy" in r.content.decode()
    assert not Programme.objects.exists()
    r = c.post("/inspection/programmes/?org=C1", {"body": "commission", "year": "2026", "adopted_on": "10/01/2026",
                                                   "title": "Chương trình năm 2026"})  # fmt: skip
    p = Programme.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/inspection/programmes/{p.pk}/"
    r = c.post(f"/inspection/programmes/{p.pk}/", {
        "activity": "supervision", "method": "regular", "subject_member": people["duc"].pk, "content": "Giữ mối liên hệ",
        "starts_on": "01/03/2026", "due_on": "30/04/2026", "carried_by": "Đ/c Hà, ủy viên UBKT"})  # fmt: skip
    assert r.status_code == 302
    page = c.get(f"/inspection/programmes/{p.pk}/").content.decode()
    assert "Nguyễn Văn Đức" in page and "Ra quyết định" in page


def test_the_decision_form_refuses_what_the_cell_may_not_decide(role, tree, people):
    c = login(role("officer"))
    d = case(role("inspector", username="kt"), tree["C1-T1"], people["duc"], gravity="expulsion")
    r = c.post(f"/inspection/disciplines/{d.pk}/decide/", {
        "form": "expulsion", "votes_for": "5", "votes_base": "5", "decided_on": "10/06/2026",
        "announced_on": "10/06/2026", "hearing_on": "05/06/2026"})  # fmt: skip
    assert r.status_code == 400
    assert "không có thẩm quyền quyết định hình thức «Khai trừ»" in r.content.decode()
    assert Discipline.objects.get(pk=d.pk).state == "open"


def test_the_documents_carry_their_numbers(role, decided, tree):
    c = login(role("inspector"))
    r = c.get(f"/inspection/disciplines/{decided.pk}/decision.docx")
    assert r.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "01-QĐ/CB" in xml and "KHIỂN TRÁCH" in xml and "Nguyễn Văn Đức" in xml and "30 ngày" in xml
    assert AuditEntry.objects.filter(action="inspection.document", object_id=str(decided.pk)).exists()


def test_the_years_report_is_an_excel_job_with_the_pages_figures(role, decided, tree):
    c = login(role("inspector", "D"))
    data = export(c, "/inspection/report/?org=D&year=2026")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Tổng hợp"]
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    total = next(r for r in rows if r[0] == "Tổng số")
    assert total[9] == 1  # reprimand column
    level = next(r for r in rows if r[0] == "Chi bộ")
    assert level[1] == 1
    assert [r[1] for r in wb["Kỷ luật"].iter_rows(min_row=2, values_only=True)] == ["Nguyễn Văn Đức"]
    assert not any(isinstance(v, str) and v.startswith("=") for r in rows for v in r)


def test_who_filed_a_denunciation_is_shown_only_to_its_handlers(role, tree, people):
    a, b = role("inspector", username="kt-a"), role("inspector", username="kt-b")
    c = svc.complaint_add(by=a, org=tree["C1"], data={
        "kind": "denunciation", "received_on": dt.date(2026, 5, 1), "filer": "Bà Lường Thị Sen",
        "filer_contact": "0912 345 678", "subject_member": people["duc"], "content": "Tố cáo việc lấn chiếm đất"})  # fmt: skip
    assert c.due_on == dt.date(2026, 7, 30)
    assert "Lường Thị Sen" in login(a).get(f"/inspection/complaints/{c.pk}/").content.decode()
    page_b = login(b).get(f"/inspection/complaints/{c.pk}/").content.decode()
    assert "Lường Thị Sen" not in page_b and "Chỉ người được giao giải quyết xem được" in page_b
    assert login(b).get("/api/v1/inspection/complaints?org=C1").json()[0]["filer"] is None
    r = login(b).post(f"/inspection/complaints/{c.pk}/handlers/", {"username": "kt-b"})
    assert r.status_code == 403  # only a handler gives it to another
    r = login(a).post(f"/inspection/complaints/{c.pk}/handlers/", {"username": "kt-b"})
    assert r.status_code == 302
    assert "Lường Thị Sen" in login(b).get(f"/inspection/complaints/{c.pk}/").content.decode()
    r = login(a).post(f"/inspection/complaints/{c.pk}/handlers/", {"username": "khong-co"})
    assert "Không có tài khoản «khong-co»" in r.content.decode()
    assert Complaint.objects.get(pk=c.pk).handlers.count() == 2


def test_the_api_from_a_case_to_an_annulled_appeal(role, tree, people):
    c = login(role("inspector", "D"))
    duc = people["duc"]
    r = c.post("/api/v1/inspection/disciplines", {
        "org": "C1-T1", "body": "cell", "subject_member_id": duc.pk, "conduct": "Vắng sinh hoạt",
        "conduct_from": "2026-03-01", "gravity": "reprimand"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = c.post(f"/api/v1/inspection/disciplines/{pk}/decision", {
        "form": "warning", "decided_on": "2026-06-10", "announced_on": "2026-06-09", "votes_for": 2, "votes_base": 5,
        "hearing_on": "2026-06-01"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 400
    assert r.json()["errors"] == {"announced_on": "Ngày công bố không được trước ngày quyết định.",
                                  "votes_for": "Cần 3 trên 5 thành viên tán thành (quá 1/2); mới có 2."}  # fmt: skip
    r = c.post(f"/api/v1/inspection/disciplines/{pk}/decision", {
        "form": "warning", "decided_on": "2026-06-10", "announced_on": "2026-06-10", "votes_for": 4, "votes_base": 5,
        "hearing_on": "2026-06-01"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "decided"
    r = c.post(f"/api/v1/inspection/disciplines/{pk}/appeals", {"filed_on": "2026-06-20", "content": "Xin xem xét"},
               content_type="application/json")  # fmt: skip
    appeal = r.json()["appeals"][0]
    assert r.status_code == 201 and appeal["answer_due"] == "2026-09-18"
    r = c.post(f"/api/v1/inspection/appeals/{appeal['id']}/answer", {
        "outcome": "annulled", "decided_on": "2026-07-15", "decided_by": "UBKT Huyện ủy"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "annulled"
    assert r.json()["appeals"][0]["restored"] == "bỏ dòng kỷ luật trong lý lịch"


def test_the_evaluation_page_cites_the_rule_on_discipline_and_flags_it_unverified(role, decided, tree):
    page = login(role("officer")).get("/evaluations/?org=C1&year=2026").content.decode()
    assert 'id="cap-source"' in page and "chưa xác minh" in page
    assert "Nguyễn Văn Đức" in page and "Khiển trách (01-QĐ/CB)" in page
    page = login(role("officer", username="cb2")).get("/evaluations/?org=C1&year=2022").content.decode()
    assert "HD 21-HD/BTCTW" in page and "chưa xác minh" not in page


def test_a_rows_small_form_says_what_is_wrong_above_the_page(role, tree, people):
    c = login(role("inspector"))
    p = svc.programme_create(by=role("inspector", username="kt-x"), org=tree["C1"], data={
        "body": "commission", "year": 2026, "title": "CT", "adopted_on": dt.date(2026, 1, 5)})  # fmt: skip
    it = svc.item_add(by=role("officer", username="tc-x"), programme=p, data={
        "activity": "inspection", "method": "regular", "subject_org": tree["C1-T1"], "content": "x",
        "starts_on": dt.date(2026, 2, 1), "due_on": dt.date(2026, 3, 1), "carried_by": "UBKT"})  # fmt: skip
    r = c.post(f"/inspection/programmes/{p.pk}/items/{it.pk}/progress/", {"state": "dropped", "on": "01/03/2026"},
               follow=True)  # fmt: skip
    assert "Trường này là bắt buộc." in r.content.decode()
    it.refresh_from_db()
    assert it.state == "planned"
