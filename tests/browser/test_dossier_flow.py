"""A secretary files a missing dossier in the browser and watches the cell's completeness rise; a wrong file
is refused; the commune sees the cell in its rollup and finds the file by the words inside it."""

import pytest
from playwright.sync_api import expect

from dangvu.core.dates import today
from dangvu.dossiers.samples import pdf_with_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_to_a_missing_dossier_raises_completeness(live_server, login, tree, tmp_path):
    year = today().year
    page = login("quantri", "mat-khau-rat-dai-1")
    page.get_by_role("link", name="Hồ sơ, sổ sách", exact=True).click()
    page.goto(f"{live_server.url}/dossiers/organisations/C1-T1/{year}/")
    expect(page.locator("#completeness")).to_contain_text("Đã có 0/12 loại hồ sơ")
    line = page.locator("#line-VP03")
    expect(line).to_contain_text("Chưa có")

    # A text file named .pdf is refused, and nothing is filed
    fake = tmp_path / "lich.pdf"
    fake.write_text("lich sinh hoat")
    line.locator("input[type=file]").set_input_files(str(fake))
    line.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.locator("main")).to_contain_text("Tệp không phải là PDF")
    expect(page.locator("#completeness")).to_contain_text("Đã có 0/12")

    # The real scan: the dossier is opened with it, and the cell's completeness rises
    scan = tmp_path / "lich-sinh-hoat.pdf"
    scan.write_bytes(pdf_with_text(["Lich sinh hoat chi bo dang ky truoc", "Thon Na Loc"]))
    page.locator("#line-VP03 input[type=file]").set_input_files(str(scan))
    page.locator("#line-VP03").get_by_role("button", name="Lập hồ sơ").click()
    expect(page.locator("#completeness")).to_contain_text("Đã có 1/12 loại hồ sơ (8")
    expect(page.locator("#line-VP03")).to_contain_text("Đã có")

    # Without a file nothing is opened; with one, a dossier that needs its number and date leads to those fields
    page.locator("#line-KT01").get_by_role("button", name="Lập hồ sơ").click()
    expect(page.locator("main")).to_contain_text("Chưa chọn tệp cho «")
    expect(page.locator("#line-KT01")).to_contain_text("Chưa có")
    plan = tmp_path / "ke-hoach.pdf"
    plan.write_bytes(pdf_with_text(["Ke hoach kiem tra giam sat nam", "thu nop dang phi"]))
    page.locator("#line-KT01 input[type=file]").set_input_files(str(plan))
    page.locator("#line-KT01").get_by_role("button", name="Lập hồ sơ").click()
    page.wait_for_url("**#meta")
    expect(page.locator("#state")).to_contain_text("Còn thiếu: Số, ký hiệu, Ngày ban hành / mở sổ")
    expect(page.locator("#files")).to_contain_text("ke-hoach.pdf")
    page.fill("#id_number", "03-KH/CB")
    page.fill("#id_issued_on", f"05/01/{year}")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#state")).to_have_text("Đã đủ")
    page.get_by_role("link", name="Chi bộ thôn Nà Lộc").click()
    expect(page.locator("#completeness")).to_contain_text("Đã có 2/12")

    # The commune's rollup shows the cell, and the words inside the file find it
    page.goto(f"{live_server.url}/dossiers/?org=C1&year={year}")
    expect(page.locator("#orgs")).to_contain_text("Chi bộ thôn Nà Lộc")
    expect(page.locator("#orgs tr", has_text="Nà Lộc")).to_contain_text("2/12")
    page.get_by_role("link", name="Tra cứu").click()
    page.fill("#id_q", "thu nộp đảng phí")
    page.get_by_role("button", name="Tìm").click()
    expect(page.locator("#results")).to_contain_text("Chương trình, kế hoạch kiểm tra, giám sát năm")
    expect(page.locator("#results tbody tr")).to_have_count(1)
