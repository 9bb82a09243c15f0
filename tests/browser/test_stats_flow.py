"""Statistics: a committee officer reads the figures of a date, follows a figure to the same people in the member
list, sends the form upward (a job, downloaded), freezes the half-year's cut-off and compares it with the previous;
on a phone the dashboards' charts fit the screen and open their tables."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dangvu.core.dates import today
from dangvu.stats import services as svc
from tests.jobs.helpers import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistics_to_the_form_sent_upward_and_a_frozen_cut_off(page, live_server, login, admin_user, tree, people):
    svc.snapshot_take(by=admin_user, org=tree["D"], on=dt.date(2025, 12, 31), note="Báo cáo năm 2025")
    login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Thống kê").first.click()
    page.goto(f"{live_server.url}/stats/?org=D")
    expect(page.locator("#t-total")).to_have_text("7")
    expect(page.locator("#dim-sex [data-key='sex:nu']")).to_have_text("3")
    # a figure is a link to the same people in the member list
    page.locator("#dim-sex a", has_text="Nữ").click()
    page.wait_for_url("**/members/**")
    expect(page.locator("body")).to_contain_text("Đặng Thị Hòa")
    expect(page.locator("body")).not_to_contain_text("Nguyễn Văn Đức")
    # a past date
    page.goto(f"{live_server.url}/stats/?org=D")
    page.fill("#id_on", "01/06/2025")
    page.click("#query button[type=submit]")
    expect(page.locator("#t-total")).to_have_text("6")
    # the form sent upward, as a job
    page.click("#export")
    page.wait_for_url("**/jobs/*/")
    run_worker()
    page.wait_for_selector("#job-download")
    with page.expect_download() as dl:
        page.click("#job-download")
    book = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))  # the download's path has no extension
    texts = [str(c.value) for row in book["Biểu thống kê"].iter_rows() for c in row if c.value is not None]
    assert "Biểu số 7-BTCTW" in texts and "Tổng số đảng viên" in texts
    # freeze the cut-off of today and compare with the year's report
    page.goto(f"{live_server.url}/stats/organisations/D/snapshots/")
    page.fill("#id_on", today().strftime("%d/%m/%Y"))
    page.fill("#id_note", "Báo cáo tháng 11")
    page.click("#snapshot-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("7 đảng viên")
    expect(page.locator("h2", has_text="So với lần chốt trước (31/12/2025)")).to_be_visible()
    row = page.locator("#compare tr", has_text="Kết nạp đảng viên mới")  # 2025: Dung; this year: nobody yet
    expect(row.locator("td")).to_have_text(["1", "0", "-1", "0,0"])
    # the same cut-off again: refused, the first stays
    page.goto(f"{live_server.url}/stats/organisations/D/snapshots/")
    page.fill("#id_on", today().strftime("%d/%m/%Y"))
    page.click("#snapshot-form button[type=submit]")
    expect(page.locator("#snapshot-form")).to_contain_text("đã được chốt")
    expect(page.locator("#snapshots tbody tr")).to_have_count(2)


def test_the_charts_fit_a_phone_and_open_their_tables(page, live_server, login, admin_user, tree, people):
    login("quantri", "mat-khau-rat-dai-1")
    page.set_viewport_size({"width": 360, "height": 740})
    for url in ("/stats/?org=D", "/evaluations/?org=D"):
        page.goto(f"{live_server.url}{url}")
        chart = page.locator("figure.chart").first
        expect(chart).to_be_visible()
        box = chart.locator("svg").bounding_box()
        assert 0 < box["width"] <= 360, box
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        chart.locator("summary").click()
        expect(chart.locator("table")).to_be_visible()
