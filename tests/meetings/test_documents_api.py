"""The generated .docx (opened and read back), uploads, the dashboard figures, and the API contract."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from dangvu.core.errors import DomainError
from dangvu.core.models import AuditEntry
from dangvu.meetings import documents
from dangvu.meetings import selectors as sel
from dangvu.meetings import services as svc
from dangvu.meetings.models import MeetingFile, MonthlyReport
from dangvu.members import services as msvc
from tests.jobs.helpers import export

from .conftest import A, E, complete

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


@pytest.fixture
def closed(meet, people, admin_user, tree):
    msvc.term_create(by=admin_user, org=tree["C1-T1"], name="2025–2030", starts_on=dt.date(2025, 9, 1))
    term = tree["C1-T1"].terms.get()
    msvc.seat_assign(
        by=admin_user, term=term, member=people["duc"], role="secretary", valid_from=dt.date(2025, 9, 1)
    )
    m = complete(admin_user, meet(dt.date(2026, 3, 12), marks={"an": (E, "Đi viện"), "anh": A}), people)
    svc.vote_add(by=admin_user, meeting=m, kind="ordinary", subject="Nghị quyết tháng 3", votes_for=2)
    svc.close(by=admin_user, meeting=m)
    m.refresh_from_db()
    return m


def test_resolution_docx_has_the_official_header_number_and_signature(closed):
    text = text_of(documents.render(closed, "NQ"))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG BỘ XÃ KHÁNH YÊN" in text and "CHI BỘ THÔN NÀ LỘC" in text
    assert "Số 01-NQ/CB" in text
    assert "Khánh Yên, ngày 12 tháng 3 năm 2026" in text
    assert "T/M CHI BỘ" in text and "BÍ THƯ" in text and "Nguyễn Văn Đức" in text
    assert "Hoàn thành làm đường bê tông liên thôn." in text
    assert "(3/5 đảng viên dự họp)" in text
    assert "Biểu quyết «Nghị quyết tháng 3»: 2/4 đảng viên tán thành, 0 không tán thành" in text  # what was voted
    assert "DỰ THẢO" not in text
    doc = Document(io.BytesIO(documents.render(closed, "NQ")))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    header = doc.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert header.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and header.bold and header.font.size.pt == 15


def test_minutes_docx_has_the_attendance_figures_and_the_votes(closed):
    text = text_of(documents.render(closed, "BB"))
    assert "Số 01-BB/CB" in text and "BIÊN BẢN" in text
    assert "Tổng số đảng viên của chi bộ: 5 (chính thức: 4, dự bị: 1)" in text
    assert "Có mặt: 3 đồng chí (60,0%); vắng có lý do: 1; vắng không lý do: 1." in text
    assert "Vắng có lý do: Lò Văn An (Đi viện)." in text
    assert "Vắng không lý do: Phạm Minh Ánh." in text
    assert "Đồng chí Lò Văn An: Đề nghị làm đường sớm." in text
    assert "tán thành 2, không tán thành 0, không biểu quyết 0 trên 4 đảng viên (không thông qua)" in text
    assert "THƯ KÝ" in text and "Đặng Thị Hòa" in text
    assert "T/M CHI BỘ" in text and "BÍ THƯ" in text  # the chair is the cell's secretary


def test_draft_before_closing_says_so(meet, people, admin_user):
    m = complete(admin_user, meet(marks={}), people)
    text = text_of(documents.render(m, "NQ"))
    assert "(DỰ THẢO)" in text and "Số     -NQ/CB" in text


def test_an_organisation_template_is_used_by_its_cells(closed, admin_user, tree):
    from docx import Document as New

    d = New()
    d.add_paragraph("MẪU RIÊNG XÃ KHÁNH YÊN – Số {{ number }} – {{ issuer }}")
    buf = io.BytesIO()
    d.save(buf)
    svc.template_upload(by=admin_user, org=tree["C1"], doc_type="NQ",
                        upload=SimpleUploadedFile("mau.docx", buf.getvalue()))  # fmt: skip
    assert "MẪU RIÊNG XÃ KHÁNH YÊN – Số 01-NQ/CB – CHI BỘ THÔN NÀ LỘC" in text_of(
        documents.render(closed, "NQ")
    )
    broken = New()
    broken.add_paragraph("{{ number ")
    buf = io.BytesIO()
    broken.save(buf)
    with pytest.raises(DomainError, match="Mẫu văn bản không dùng được"):
        svc.template_upload(by=admin_user, org=tree["C1"], doc_type="BB",
                            upload=SimpleUploadedFile("x.docx", buf.getvalue()))  # fmt: skip


def test_uploads_are_checked_by_content_and_downloads_verified_and_logged(meet, admin_user, client, settings):
    m = meet()
    with pytest.raises(DomainError, match="không phải là PDF"):
        svc.attach(
            by=admin_user, meeting=m, title="Giả", upload=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 exe")
        )
    with pytest.raises(DomainError, match="rỗng"):
        svc.attach(by=admin_user, meeting=m, title="Rỗng", upload=SimpleUploadedFile("a.pdf", b""))
    settings.DANGVU_MAX_UPLOAD_MB = 1
    with pytest.raises(DomainError, match="vượt giới hạn 1 MB"):
        svc.attach(
            by=admin_user, meeting=m, title="To", upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 2**21)
        )
    assert not MeetingFile.objects.exists()
    f = svc.attach(
        by=admin_user, meeting=m, title="Dự thảo", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 ok")
    )
    client.force_login(admin_user)
    url = reverse("meetings:file", args=[m.pk, f.pk])
    r = client.get(url)
    assert r.status_code == 200 and r.content == b"%PDF-1.4 ok"
    assert AuditEntry.objects.filter(action="meeting.file_download").count() == 1
    with open(f.file.path, "wb") as fh:  # tampered with on disk
        fh.write(b"%PDF-1.4 changed")
    assert client.get(url).status_code == 409


def test_dashboard_figures_for_a_month(meet, people, admin_user, tree, client):
    complete(admin_user, meet(dt.date(2026, 3, 10), marks={"an": A}), people, end=dt.time(9, 0))  # 60 minutes
    meet(dt.date(2026, 3, 20), org="C2-T1", marks={})
    meet(dt.date(2026, 3, 25), kind="thematic", topic="Chuyển đổi số", marks={})
    svc.report_file(
        by=admin_user, org=tree["C1-T1"], month=dt.date(2026, 3, 1), results="Tốt", directions="Tiếp"
    )
    period = sel.Period.month(2026, 3)
    t = sel.dashboard(admin_user, tree["D"], period)
    assert t["cells"] == 4  # C1-T1, C1-T2, C2-T1, A
    assert (t["cells_met"], t["cells_not_met"]) == (2, 2)
    assert (t["cells_with_thematic"], t["cells_without_thematic"]) == (1, 3)
    assert (t["reports"], t["reports_missing"]) == (1, 3)
    assert t["short"] == 1  # the 60-minute meeting
    not_met = [c.code for c in sel.dashboard_cells(admin_user, tree["D"], period, "not_met")]
    assert not_met == sorted(not_met, key=lambda c: tree[c].path) and set(not_met) == {"C1-T2", "A"}
    client.force_login(admin_user)
    r = client.get(reverse("meetings:dashboard") + "?org=D&period=2026-03")
    assert r.status_code == 200 and "2/4" in r.content.decode()
    data = export(client, reverse("meetings:dashboard_export") + "?org=D&period=2026-03&filter=not_met")
    assert data.startswith(b"PK")  # an Excel file (a ZIP)


def test_dashboard_queries_do_not_grow_with_cells(meet, admin_user, tree, client, types):
    from dangvu.organizations import services as osvc
    from tests.conftest import decision

    client.force_login(admin_user)
    url = reverse("meetings:dashboard") + "?org=D&period=2026-03"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    meet(dt.date(2026, 3, 10), marks={})
    few = count()
    for i in range(12):
        cell = osvc.org_establish(by=admin_user, spec=osvc.NewOrg(f"C1-N{i}", f"Chi bộ thôn số {i}",
                                  types["cbtt-thon"], tree["C1"]), decision=decision())  # fmt: skip
        svc.schedule(by=admin_user, org=cell, data=svc.Schedule(date=dt.date(2026, 3, 12)))
    assert count() == few


def test_api_lists_meetings_with_attendance_and_quality(meet, people, admin_user, client):
    complete(admin_user, meet(dt.date(2026, 3, 10), marks={"an": E}), people)
    meet(dt.date(2026, 3, 25), kind="thematic", topic="Chuyển đổi số", marks={})
    meet(dt.date(2026, 5, 5), org="C2-T1", marks={})
    client.force_login(admin_user)
    r = client.get("/api/v1/meetings?org=C1&date_from=2026-03-01&date_to=2026-03-31&kind=regular")
    body = r.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["org"] == "C1-T1" and item["date"] == "2026-03-10" and item["kind"] == "regular"
    assert item["duration_minutes"] == 105
    assert item["attendance"] == {
        "present": 4,
        "excused": 1,
        "absent": 0,
        "base": 4,
        "expected": 5,
        "rate": 80.0,
    }
    q = {c["code"]: c for c in item["quality"]}
    assert q["attendance"]["met"] is False and "80,0%" in q["attendance"]["reason"]
    assert q["duration"]["met"] is True
    r = client.get("/api/v1/meetings?org=C1&kind=thematic")
    assert [x["kind"] for x in r.json()["items"]] == ["thematic"]
    r = client.get(f"/api/v1/meetings/{item['id']}/minutes.docx")
    assert r.status_code == 200 and "BIÊN BẢN" in text_of(r.content)
    r = client.get("/api/v1/meetings/rollup?org=D&period=2026-Q1")
    assert r.json()["totals"]["cells_with_thematic"] == 1


def test_api_refuses_bad_input_with_field_messages(meet, admin_user, client, people):
    client.force_login(admin_user)
    m = meet(dt.date(2026, 3, 10))
    r = client.post(
        "/api/v1/meetings", {"org": "C1-T1", "date": "2026-03-28"}, content_type="application/json"
    )
    assert r.status_code == 400 and "mỗi tháng một buổi" in r.json()["errors"]["date"]
    lines = [{"member_id": x.member_id, "presence": "present"} for x in sel.summoned(m.organisation, m.date)]
    lines.append({"member_id": people["khe"].pk, "presence": "present"})
    r = client.put(f"/api/v1/meetings/{m.pk}/attendance", {"lines": lines}, content_type="application/json")
    assert r.status_code == 400 and "Giàng A Páo" in r.json()["errors"][f"m{people['khe'].pk}"]
    r = client.put(
        f"/api/v1/meetings/{m.pk}/attendance", {"lines": lines[:-1]}, content_type="application/json"
    )
    assert r.status_code == 200
    r = client.post(f"/api/v1/meetings/{m.pk}/votes", {"subject": "NQ", "votes_for": 9},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "nhiều hơn" in r.json()["errors"]["votes_for"]
    assert not MonthlyReport.objects.exists()
