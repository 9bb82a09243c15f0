"""An import runs as two jobs, the check and the write: the page follows each one's progress, the report comes
back from the job intact, the job is its owner's alone, and a file abandoned meanwhile is not imported."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangvu.jobs.models import Job
from dangvu.members import importer
from dangvu.members.models import Member
from tests.jobs.helpers import run_worker
from tests.members.imports import job_of, step, token_in

pytestmark = pytest.mark.django_db


def register(n: int, *, bad_every: int = 0) -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Số thẻ"])
    for i in range(1, n + 1):
        born = "31/02/1980" if bad_every and i % bad_every == 0 else "01/02/1980"
        wb.active.append([i, f"Lò Văn Sáng {i}", "Nam", born, "03/02/2010", f"09.{i:06d}"])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ds.xlsx", buf.getvalue())


def test_the_page_follows_the_check_and_the_write(client, admin_user, tree):
    client.force_login(admin_user)
    r = client.post("/members/import/?org=C1-T1", {"org": "C1-T1", "file": register(1200)})
    page = r["Location"]
    html = client.get(page).content.decode()  # queued: the page shows the job's progress, not a report
    assert 'id="job-progress"' in html and 'hx-trigger="every 1s"' in html and "import-report" not in html
    run_worker()
    check = Job.objects.get(pk=job_of(page))
    assert (check.kind, check.state, check.total, check.done, check.rows) == (
        "member.import_check", "done", 1200, 1200, 1200)  # fmt: skip
    fragment = client.get(f"/jobs/{check.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 204 and fragment["HX-Redirect"] == page  # the watcher goes to the report
    html = client.get(page).content.decode()
    assert "<strong>1200</strong> đảng viên mới" in html and Member.objects.count() == 0
    r = client.post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": token_in(html)})
    run_worker()
    write = Job.objects.get(pk=job_of(r["Location"]))
    fragment = client.get(f"/jobs/{write.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Redirect"] == "/members/?org=C1-T1"
    html = client.get(fragment["HX-Redirect"]).content.decode()
    assert "Đã nhập 1200 đảng viên mới, cập nhật 0 đảng viên" in html and Member.objects.count() == 1200
    # and under 'Việc đang chạy', each with the way back to its result
    listing = client.get("/jobs/").content.decode()
    assert "Kiểm tra tệp nhập đảng viên — Chi bộ thôn Nà Lộc" in listing and "Xem kết quả" in listing
    detail = client.get(f"/jobs/{write.pk}/").content.decode()
    assert "Đã xong: Đã nhập 1200 đảng viên mới" in detail and 'id="job-download"' not in detail


def test_the_report_comes_back_from_the_job_as_it_was_made(client, admin_user, tree):
    client.force_login(admin_user)
    html = step(client, "C1-T1", {"file": register(1500, bad_every=1)}).content.decode()
    assert "Tệp chưa thể nhập" in html and "… và 1000 lỗi khác." in html  # 1,500 problems: 500 listed
    job = Job.objects.filter(kind="member.import_check").get()
    report = importer.Report.from_dict(job.result["report"])
    assert report.problem_count == 1500 and len(report.problems) == importer.Report.KEPT_PROBLEMS
    assert report.problems[0].vi.startswith("Dòng 2, cột «Ngày sinh»")
    again = importer.Report.from_dict(report.to_dict())
    assert again == report


def test_an_import_job_is_its_owners_alone(client, admin_user, tree, django_user_model):
    from dangvu.accounts import services as asvc

    client.force_login(admin_user)
    r = client.post("/members/import/?org=C1-T1", {"org": "C1-T1", "file": register(2)})
    page = r["Location"]
    other = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=other, organisation=tree["C1-T1"], role="secretary", by=None)
    client.force_login(other)
    assert client.get(page).status_code == 404  # the token and the job are the uploader's
    assert client.get(f"/jobs/{job_of(page)}/progress/").status_code == 404


def test_a_file_abandoned_before_its_write_runs_is_not_imported(client, admin_user, tree,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(admin_user)
    token = token_in(step(client, "C1-T1", {"file": register(3)}).content.decode())
    r = client.post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": token})  # queued …
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": token, "abandon": "1"})  # … then gone
    run_worker()
    job = Job.objects.get(pk=job_of(r["Location"]))
    assert job.state == "failed" and "đã bị hủy" in job.error and Member.objects.count() == 0
    assert job.error in client.get(r["Location"]).content.decode()
