"""A whole cell meeting in the browser: schedule, documents, notice, roll call, minutes, speakers, a vote,
closing with numbers, and the downloaded minutes in the official format; then the commune's dashboard."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from dangvu.core.dates import today
from dangvu.meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_from_schedule_to_downloaded_minutes(live_server, login, people, tree, tmp_path):
    page = login("quantri", "mat-khau-rat-dai-1")
    page.get_by_role("link", name="Sinh hoạt chi bộ", exact=True).click()
    page.goto(f"{live_server.url}/meetings/cells/C1-T1/")
    page.get_by_role("link", name="Đăng ký lịch sinh hoạt").click()

    # Schedule this month's regular meeting (today, so it can be held now)
    page.fill("#id_date", today().strftime("%d/%m/%Y"))
    page.fill("#id_planned_time", "19:30")
    page.fill("#id_place", "Nhà văn hóa thôn Nà Lộc")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#state")).to_have_text("Đã đăng ký lịch")

    # A document, and the notice to members and the monitor
    draft = tmp_path / "du-thao.pdf"
    draft.write_bytes(b"%PDF-1.4 du thao nghi quyet")
    page.fill("#id_title", "Dự thảo nghị quyết tháng")
    page.set_input_files("#id_file", str(draft))
    page.get_by_role("button", name="Đưa lên").click()
    expect(page.locator("#files")).to_contain_text("Dự thảo nghị quyết tháng")
    page.get_by_role("button", name="Gửi thông báo họp").click()
    expect(page.locator("main")).to_contain_text(
        "5 người chưa có tài khoản liên kết hay địa chỉ thư điện tử, cần báo trực tiếp"
    )

    # Roll call: Lò Văn An excused; everyone else present
    page.get_by_role("link", name="Điểm danh").click()
    rows = page.locator("#roll-call .rc-row")
    expect(rows).to_have_count(5)
    for i in range(5):
        row = rows.nth(i)
        if "Lò Văn An" in row.inner_text():
            row.get_by_text("Vắng có lý do", exact=True).click()
        else:
            row.get_by_text("Có mặt", exact=True).click()
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.locator("main")).to_contain_text("Chưa lưu được")  # An's reason is missing
    page.get_by_label("Lý do vắng của Lò Văn An").fill("Đi viện")
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.locator("#figures")).to_contain_text("Có mặt 4")

    # The minutes
    page.get_by_role("link", name="Ghi biên bản").click()
    page.fill("#id_started_at", "19:30")
    page.fill("#id_ended_at", "21:15")
    page.select_option("#id_chair", label="Nguyễn Văn Đức (1980)")  # namesakes told apart by birth year
    page.select_option("#id_minute_taker", label="Đặng Thị Hòa (1990)")
    page.fill("#id_conclusion", "1. Hoàn thành làm đường bê tông liên thôn.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#minutes")).to_contain_text("105 phút")
    page.select_option("#speaker-form #id_member", label="Phạm Minh Ánh (1975)")
    page.fill("#speaker-form #id_opinion", "Đề nghị làm đường trước mùa mưa.")
    page.get_by_role("button", name="Ghi ý kiến").click()
    expect(page.locator("#speakers")).to_contain_text("Phạm Minh Ánh")

    # A vote with more ballots than official members present is refused, then a correct one passes
    page.fill("#vote-form #id_subject", "Nghị quyết tháng")
    page.fill("#vote-form #id_votes_for", "5")
    page.get_by_role("button", name="Ghi biểu quyết").click()
    expect(page.locator("main")).to_contain_text("nhiều hơn số đảng viên chính thức có mặt")
    page.fill("#vote-form #id_subject", "Nghị quyết tháng")
    page.fill("#vote-form #id_votes_for", "3")
    page.get_by_role("button", name="Ghi biểu quyết").click()
    expect(page.locator("#votes")).to_contain_text("thông qua")

    page.get_by_role("button", name="Hoàn tất biên bản và cấp số").click()
    expect(page.locator("main")).to_contain_text("Số 01-BB/CB")
    assert "sẽ được cấp số, tính vào sổ biên bản và không sửa được nữa" in page.dialogs[-1]  # asked first
    expect(page.get_by_role("link", name="Điểm danh")).to_have_count(0)  # nothing offered that cannot be done
    expect(page.locator("#quality")).to_contain_text("Thời lượng sinh hoạt")

    with page.expect_download() as dl:
        page.get_by_role("link", name="Tải biên bản (.docx)").click()
    path = tmp_path / "bien-ban.docx"
    dl.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Số 01-BB/CB" in text
    assert "Có mặt: 4 đồng chí" in text and "Lò Văn An (Đi viện)" in text
    assert "T/M CHI BỘ" in text

    # The commune sees the cell as having met this month
    page.goto(f"{live_server.url}/meetings/?org=C1")
    row = page.locator("#cells tr", has_text="Chi bộ thôn Nà Lộc")
    expect(row).to_contain_text("Đã họp")
    expect(page.locator("#cells tr", has_text="Chi bộ thôn Đồng Tâm")).to_contain_text("Chưa họp")
    assert Meeting.objects.get().state == "closed"
