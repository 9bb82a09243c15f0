"""A branch's register is exported in the background: the button opens the job's page, the bar moves while the
worker runs it, the file downloads when done, and the job stays under 'Việc đang chạy'."""

import pytest

from tests.jobs.helpers import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_a_register_as_a_job_and_download_it(page, live_server, login, admin_user, people):
    login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/members/?org=C1")
    page.click("#export-register")
    page.wait_for_url("**/jobs/*/")
    assert "Mẫu 7-HSĐV — Đảng bộ xã Khánh Yên" in page.inner_text("h1")
    assert "Đang chờ đến lượt" in page.inner_text("#job-progress")
    run_worker()  # the worker's turn
    page.wait_for_selector("#job-download")  # the page polls: no reload needed
    assert "Đã xong: 5 dòng" in page.inner_text("#job-done")
    with page.expect_download() as dl:
        page.click("#job-download")
    assert dl.value.suggested_filename.startswith("mau-7-hsdv-C1-")
    page.click("text=Việc đang chạy")
    assert "Đã xong" in page.inner_text("#job-list")
    assert page.locator("#job-list a", has_text="Tải về").count() == 1
