"""The edges in the browser: an old register in TCVN3 with two sheets comes in after the user picks the sheet and
checks the encodings; a reconciliation with the national database's file applies one chosen difference; an
administrator corrects the working-day calendar."""

import datetime as dt
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from dangvu.core.models import CalendarDay
from dangvu.members.models import Member
from tests.core.legacy_corpus import tcvn3
from tests.jobs.helpers import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def worker_turn(page) -> None:
    expect(page.locator("#job-progress")).to_be_visible()
    run_worker()


def test_an_old_register_with_two_sheets_comes_in(live_server, login, tree, tmp_path):
    wb = Workbook()
    for title, names in (("Thôn Nà Lộc", ["Hoàng Thị Thu Hà", "Bùi Quang Trường"]), ("Thôn Đồng Tâm", ["Lý Văn Sáu"])):
        ws = wb.active if title == "Thôn Nà Lộc" else wb.create_sheet(title)
        ws.title = title
        ws.append([tcvn3("DANH SÁCH ĐẢNG VIÊN")])
        ws.append(["STT", tcvn3("Họ và tên"), tcvn3("Giới tính"), tcvn3("Ngày sinh"), tcvn3("Ngày vào Đảng"),
                   tcvn3("Quê quán")])  # fmt: skip
        for i, n in enumerate(names, start=1):
            ws.append([i, tcvn3(n), tcvn3("Nữ" if "Thị" in n else "Nam"), "1/1/1980", "3/2/2010",
                       tcvn3("Thanh Hóa")])  # fmt: skip
    path = tmp_path / "so-cu.xlsx"
    wb.save(path)
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/members/import/?org=C1-T1")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    worker_turn(page)  # each step is a job: the page shows its progress, then its report
    expect(page.locator("main")).to_contain_text("hãy chọn trang cần nhập")
    page.select_option("#import-sheet", label="Thôn Nà Lộc")
    page.get_by_role("button", name="Đọc lại với lựa chọn này").click()
    worker_turn(page)
    encodings = page.locator("#import-encodings")
    expect(encodings).to_contain_text("Họ và tên")
    expect(encodings).to_contain_text("→ Hoàng Thị Thu Hà")
    expect(page.get_by_label("Bảng mã cột Họ và tên")).to_have_value("tcvn3")
    page.get_by_role("button", name="Xác nhận nhập 2 đảng viên").click()
    worker_turn(page)
    expect(page.locator("main")).to_contain_text("Đã nhập 2 đảng viên mới")
    expect(page).to_have_url(re.compile(r"/members/\?org=C1-T1"))  # the job's page sent the user to the list
    assert sorted(Member.objects.values_list("full_name", "home_town")) == [
        ("Bùi Quang Trường", "Thanh Hóa"), ("Hoàng Thị Thu Hà", "Thanh Hóa")]  # fmt: skip


def test_a_reconciliation_applies_a_chosen_difference(live_server, login, people, tree, tmp_path):
    wb = Workbook()
    wb.active.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Ngày vào Đảng", "Số thẻ"])
    wb.active.append([1, "Nguyễn Văn Đức", "Nam", "17/05/1981", "Kinh", "02/03/2005", "01.000001"])
    wb.active.append([2, "Đặng Thị Hòa", "Nữ", "02/01/1990", "Tày", "01/06/2015", "01.000002"])
    path = tmp_path / "csdl.xlsx"
    wb.save(path)
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/members/?org=C1-T1")
    page.get_by_role("link", name="Đối chiếu với tệp khác").click()
    page.set_input_files("#reconcile-file", str(path))
    page.get_by_role("button", name="Đối chiếu").click()
    expect(page.locator("#count-differing")).to_have_text("2")
    expect(page.locator("#count-only_in_dangvu")).to_have_text("3")
    page.get_by_label("Cập nhật Ngày sinh của Nguyễn Văn Đức theo tệp").check()
    page.get_by_role("button", name="Cập nhật Đảng vụ theo các ô đã chọn").click()
    expect(page.locator("main")).to_contain_text("Đã cập nhật 1 đảng viên theo tệp đối chiếu")
    expect(page.locator("#count-differing")).to_have_text("1")
    assert Member.objects.get(pk=people["duc"].pk).birth_date == dt.date(1981, 5, 17)
    assert Member.objects.get(pk=people["hoa"].pk).ethnicity == "Kinh"  # not chosen, not changed


def test_an_administrator_corrects_the_calendar(live_server, login, tree):
    page = login("quantri", "mat-khau-rat-dai-1")
    page.get_by_role("link", name="Lịch ngày nghỉ").click()
    page.get_by_role("link", name="2026").click()
    expect(page.locator("#calendar-days")).to_contain_text("02/01/2026")
    page.fill("#cal-date", "24/12/2026")
    page.select_option("#cal-kind", label="nghỉ")
    page.fill("#cal-name", "Nghỉ bù thử nghiệm")
    page.fill("#cal-source", "Thông báo số 99/TB (thử nghiệm)")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Đã ghi ngày 24/12/2026")
    expect(page.locator("#calendar-days")).to_contain_text("Nghỉ bù thử nghiệm")
    assert CalendarDay.objects.get(date=dt.date(2026, 12, 24)).kind == "off"
