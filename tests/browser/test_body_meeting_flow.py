"""A standing-committee meeting in the browser, from the commune's bodies page to its numbered resolution."""

import pytest
from playwright.sync_api import expect

from dangvu.core.dates import today
from dangvu.documents.models import Outgoing
from dangvu.members import services as msvc
from dangvu.members.models import SeatRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_standing_committee_meeting_from_schedule_to_numbered_resolution(live_server, login, people, tree, admin_user):
    term = msvc.term_create(by=admin_user, org=tree["C1"], name="2025–2030", starts_on=today().replace(year=today().year - 1))
    for key, role in (("duc", SeatRole.SECRETARY), ("hoa", SeatRole.DEPUTY), ("an", SeatRole.STANDING),
                      ("anh", SeatRole.MEMBER)):  # fmt: skip
        msvc.seat_assign(by=admin_user, term=term, member=people[key], role=role)

    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/members/organisations/C1/leadership/")
    page.get_by_role("link", name="Họp cấp ủy, Ban Thường vụ, Ủy ban Kiểm tra").click()
    section = page.locator("#body-standing")
    expect(section).to_contain_text("Ban Thường vụ")
    section.get_by_role("link", name="Đăng ký cuộc họp").click()
    page.fill("#id_date", today().strftime("%d/%m/%Y"))
    page.fill("#id_planned_time", "08:00")
    page.fill("#id_place", "Phòng họp Đảng ủy")
    page.fill("#id_agenda", "Cho ý kiến về kết nạp đảng viên quý IV.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Họp Ban Thường vụ thường kỳ")

    # Roll call: the three members of the standing committee, not the cell's register
    page.get_by_role("link", name="Điểm danh").click()
    rows = page.locator("#roll-call .rc-row")
    expect(rows).to_have_count(3)
    for i in range(3):
        row = rows.nth(i)
        if "Đặng Thị Hòa" in row.inner_text():
            row.get_by_text("Vắng có lý do", exact=True).click()
            page.get_by_label("Lý do vắng của Đặng Thị Hòa").fill("Đi công tác")
        else:
            row.get_by_text("Có mặt", exact=True).click()
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.locator("#figures")).to_contain_text("Có mặt 2")
    expect(page.locator("#quality")).to_contain_text("Đủ số thành viên dự họp")

    page.get_by_role("link", name="Ghi biên bản").click()
    page.fill("#id_started_at", "08:00")
    page.fill("#id_ended_at", "09:30")
    page.select_option("#id_chair", label="Nguyễn Văn Đức (1980)")
    page.select_option("#id_minute_taker", label="Lò Văn An (1960)")
    page.fill("#id_conclusion", "Đồng ý đề nghị kết nạp 2 quần chúng ưu tú.")
    page.get_by_role("button", name="Lưu").click()
    page.fill("#vote-form #id_subject", "Kết luận cuộc họp")
    page.fill("#vote-form #id_votes_for", "2")
    page.get_by_role("button", name="Ghi biểu quyết").click()
    expect(page.locator("#votes")).to_contain_text("trên 3; cần 2")

    page.get_by_role("button", name="Hoàn tất biên bản và cấp số").click()
    expect(page.locator("main")).to_contain_text("Nghị quyết Số 01-NQ/ĐU")
    assert Outgoing.objects.get(doc_type="NQ").body == "standing"

    # The year page lists it with its numbers; the commune's dashboard counts it apart from cell meetings
    page.get_by_role("link", name=f"Các cuộc họp năm {today().year}").click()
    expect(page.locator("#body-standing")).to_contain_text("01-NQ/ĐU")
    page.goto(f"{live_server.url}/meetings/?org=C1")
    expect(page.locator("#bodies tr", has_text="Ban Thường vụ")).to_contain_text("1")
