"""A cell congress in the browser: recorded, members summoned and present, a refused committee ballot (a small
cell), the secretary's and deputy's ballots counted, the result confirmed, and the new secretary's seat."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from dangvu.core.dates import today
from dangvu.members.models import Seat, SeatRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cell_congress_from_ballots_to_the_new_secretary_s_seat(live_server, login, people, tree):
    day = (today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/members/organisations/C1-T1/leadership/")
    page.get_by_role("link", name="Đại hội, bầu cử").click()
    page.fill("#id_term_name", "2026–2031")
    page.fill("#id_starts_on", day)
    page.fill("#id_ends_on", day)
    page.get_by_role("button", name="Ghi đại hội").click()
    expect(page.locator("h1")).to_contain_text("đại hội lần thứ 1, nhiệm kỳ 2026–2031")

    page.get_by_role("button", name="Triệu tập toàn bộ đảng viên").click()
    expect(page.locator("#attendees h2")).to_contain_text("Đảng viên được triệu tập: 5")
    for name in ("Nguyễn Văn Đức", "Đặng Thị Hòa", "Lò Văn An", "Phạm Minh Ánh", "Trần Thị Dung"):
        page.locator("#attendee-list label", has_text=name).locator("input").check()
    page.get_by_role("button", name="Lưu danh sách có mặt").click()
    expect(page.locator("#attendees h2")).to_contain_text("có mặt 5; có quyền bầu cử có mặt 4")
    expect(page.locator("#elections")).to_contain_text("chỉ bầu bí thư và phó bí thư")

    # a committee ballot is refused for a cell of four official members
    page.select_option("#id_position", "committee")
    page.fill("#id_seats", "3")
    for label in ("Nguyễn Văn Đức (1980)", "Đặng Thị Hòa (1990)", "Lò Văn An (1960)"):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Lập danh sách").click()
    expect(page.locator("main")).to_contain_text("dưới 9")

    # the secretary: a wrong count is refused, the right one elects
    page.select_option("#id_position", "secretary")
    page.fill("#id_seats", "1")
    page.get_by_label("Nguyễn Văn Đức (1980)").check()
    page.get_by_role("button", name="Lập danh sách").click()
    page.fill("#id_ballots_issued", "4")
    page.fill("#id_ballots_valid", "3")
    page.fill("#id_ballots_invalid", "0")
    page.get_by_label("Số phiếu bầu: Nguyễn Văn Đức").fill("3")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.locator("main")).to_contain_text("phải bằng số phiếu phát ra")
    page.fill("#id_ballots_valid", "4")
    page.get_by_label("Số phiếu bầu: Nguyễn Văn Đức").fill("4")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.locator("#elections")).to_contain_text("Nguyễn Văn Đức: 4 phiếu trúng cử")
    expect(page.locator("#elections")).to_contain_text("Số 01-BB/ĐH")

    page.get_by_role("button", name="Xác nhận kết quả, bắt đầu nhiệm kỳ mới").click()
    expect(page.locator("#state")).to_have_text("Đã xác nhận kết quả, bắt đầu nhiệm kỳ mới")
    page.get_by_role("link", name=f"Nhiệm kỳ 2026–2031 từ {today():%d/%m/%Y}").click()
    expect(page.locator("#seats")).to_contain_text("Bí thư: Nguyễn Văn Đức")
    assert Seat.objects.get(role=SeatRole.SECRETARY, valid_to__isnull=True).term.congress_number == 1
