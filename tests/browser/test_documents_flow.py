"""The registers in the browser, as a commune's office keeps them: a plan registered with its signed file takes
01-KH/ĐU, is found again by a search typed without diacritics, then voided and its number kept; a letter from
the province is registered on arrival with a deadline already past, shows as late, and is handled to done; a
cell's secretary is told, under the field, that a cell may not issue a notice."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dangvu.accounts import services as asvc
from dangvu.core.dates import today
from dangvu.dossiers.samples import pdf_with_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(page, selector: str, **fields) -> None:
    f = page.locator(selector)
    for name, value in fields.items():
        el = f.locator(f"[name={name}]")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(value)


def test_register_search_void_and_follow_an_incoming_document_to_done(live_server, login, tree, tmp_path):
    users = get_user_model().objects
    u = users.create_user("vanphong.ky", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=u, organisation=tree["C1"], role="secretary", by=None)
    signed = tmp_path / "ke-hoach.pdf"
    signed.write_bytes(pdf_with_text(["Ke hoach hoc tap nghi quyet Dai hoi"]))
    page = login("vanphong.ky", "mat-khau-rat-dai-1")

    page.get_by_role("link", name="Văn bản").first.click()
    expect(page.locator("h1")).to_contain_text("Sổ đăng ký văn bản đi")
    fill(page, "#outgoing-form", doc_type="KH", issued_on="02/03/2026", subject="Kế hoạch học tập nghị quyết Đại hội",
         signer="Nguyễn Văn Đức", recipients="Các chi bộ trực thuộc")  # fmt: skip
    page.locator("#outgoing-form [name=file]").set_input_files(str(signed))
    page.locator("#outgoing-form").get_by_role("button", name="Vào sổ và lấy số").click()
    expect(page.locator(".alert")).to_contain_text("Đã vào sổ văn bản đi: số 01-KH/ĐU")
    expect(page.locator("h1")).to_contain_text("Kế hoạch số 01-KH/ĐU")

    page.get_by_role("link", name="← Sổ văn bản đi").click()
    page.fill("#q", "dai hoi")  # the subject, typed without diacritics
    page.locator("#register-search").get_by_role("button", name="Tìm").click()
    expect(page.locator("#outgoing")).to_contain_text("01-KH/ĐU")
    page.fill("#q", "khong co van ban nay")
    page.locator("#register-search").get_by_role("button", name="Tìm").click()
    expect(page.locator("#no-outgoing")).to_be_visible()

    page.fill("#q", "")
    page.locator("#register-search").get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="01-KH/ĐU").click()
    page.fill("#void-form [name=reason]", "Ban hành nhầm nơi nhận")
    page.locator("#void-form").get_by_role("button", name="Hủy văn bản").click()
    expect(page.locator("#void-note")).to_contain_text("số 01-KH/ĐU được giữ, không dùng lại")
    page.get_by_role("link", name="← Sổ văn bản đi").click()
    fill(page, "#outgoing-form", doc_type="KH", issued_on="03/03/2026", subject="Kế hoạch thay thế")
    page.locator("#outgoing-form").get_by_role("button", name="Vào sổ và lấy số").click()
    expect(page.locator(".alert")).to_contain_text("số 02-KH/ĐU")  # the voided number is never taken again

    page.locator("#documents-tabs").get_by_role("link", name="Văn bản đến").click()
    due = (today() - dt.timedelta(days=2)).strftime("%d/%m/%Y")
    fill(page, "#incoming-form", received_on="02/03/2026", sender="Ban Tổ chức Tỉnh ủy", their_number="35-HD/BTCTU",
         doc_type="HD", subject="Hướng dẫn đánh giá chất lượng", handler="Đ/c Lan", due_on=due)  # fmt: skip
    page.locator("#incoming-form").get_by_role("button", name="Vào sổ").click()
    expect(page.locator(".alert")).to_contain_text("Đã vào sổ văn bản đến: số đến")
    expect(page.locator("h1")).to_contain_text("quá hạn xử lý")
    fill(page, "#handle-form", status="done", outcome="")
    page.locator("#handle-form").get_by_role("button", name="Ghi").click()
    expect(page.locator("#handle-form")).to_contain_text("Hãy ghi kết quả xử lý.")
    fill(page, "#handle-form", status="done", outcome="Đã triển khai tới các chi bộ")
    page.locator("#handle-form").get_by_role("button", name="Ghi").click()
    expect(page.locator("#incoming-detail")).to_contain_text("Đã triển khai tới các chi bộ")


def test_a_cell_is_told_which_type_it_may_not_issue(live_server, login, tree):
    u = get_user_model().objects.create_user("bithu.nl", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=u, organisation=tree["C1-T1"], role="secretary", by=None)
    page = login("bithu.nl", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/documents/outgoing/?org=C1-T1")
    expect(page.locator("#authority")).to_contain_text("thông báo")
    fill(page, "#outgoing-form", doc_type="TB", issued_on="02/03/2026", subject="Thông báo lịch sinh hoạt")
    page.locator("#outgoing-form").get_by_role("button", name="Vào sổ và lấy số").click()
    expect(page.locator("#outgoing-form")).to_contain_text("Chi bộ không được ban hành thông báo (theo QĐ 399-QĐ/TW")


def test_from_drafting_a_request_to_a_late_cells_answer(live_server, login, tree, tmp_path):
    from dangvu.documents.models import Dispatch

    users = get_user_model().objects
    for name, code in (("vanphong.xa", "C1"), ("bithu.naloc", "C1-T1")):
        u = users.create_user(name, password="mat-khau-rat-dai-1")
        asvc.grant_create(user=u, organisation=tree[code], role="secretary", by=None)
    page = login("vanphong.xa", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/documents/outgoing/?org=C1")
    fill(page, "#outgoing-form", doc_type="CV", issued_on=today().strftime("%d/%m/%Y"),
         subject="Về việc báo cáo kết quả học tập nghị quyết")  # fmt: skip
    page.locator("#outgoing-form").get_by_role("button", name="Vào sổ và lấy số").click()
    expect(page.locator(".alert")).to_contain_text("số 01-CV/ĐU")

    page.locator("#documents-tabs").get_by_role("link", name="Gửi xuống cấp dưới").click()
    page.locator("#dispatch-form [name=outgoing]").select_option(label="01-CV/ĐU: Về việc báo cáo kết quả học tập nghị quyết")
    fill(page, "#dispatch-form", kind="request", title="Báo cáo kết quả học tập nghị quyết",
         body="Số đảng viên tham gia, tỷ lệ.", due_on=today().strftime("%d/%m/%Y"), scope="children")  # fmt: skip
    page.locator("#dispatch-form").get_by_role("button", name="Gửi").click()
    expect(page.locator(".alert")).to_contain_text("tới 2 tổ chức")
    expect(page.locator("#dispatch-stats")).to_contain_text("2 tổ chức nhận · 0 đã đọc · 0 đã báo cáo · 0 quá hạn")

    Dispatch.objects.update(due_on=today() - dt.timedelta(days=3))  # three days pass without an answer
    page.reload()
    expect(page.locator("#dispatch-stats")).to_contain_text("2 quá hạn")

    page.context.clear_cookies()
    page = login("bithu.naloc", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/documents/inbox/?org=C1-T1")
    expect(page.locator("#inbox")).to_contain_text("quá hạn")
    page.get_by_role("link", name="Báo cáo kết quả học tập nghị quyết").click()
    page.locator("#mark-read").click()
    expect(page.locator("#read-state")).not_to_contain_text("chưa")
    report = tmp_path / "bao-cao.pdf"
    report.write_bytes(pdf_with_text(["Bao cao ket qua hoc tap: 28/30 dang vien"]))
    page.fill("#answer-form [name=answer]", "28/30 đảng viên tham gia học tập.")
    page.locator("#answer-form [name=file]").set_input_files(str(report))
    page.locator("#answer-form").get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".alert")).to_contain_text("Đã gửi báo cáo lên cấp trên.")
    expect(page.locator("#answer")).to_contain_text("28/30 đảng viên")

    page.context.clear_cookies()
    page = login("vanphong.xa", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/documents/sent/?org=C1")
    page.get_by_role("link", name="Báo cáo kết quả học tập nghị quyết").click()
    expect(page.locator("#dispatch-stats")).to_contain_text("1 đã báo cáo · 1 quá hạn")
    expect(page.locator("#deliveries")).to_contain_text("nộp muộn")
    page.locator("#state-filter").get_by_role("link", name="Quá hạn").click()
    expect(page.locator("#deliveries")).to_contain_text("Chi bộ thôn Đồng Tâm")
    expect(page.locator("#deliveries")).not_to_contain_text("Chi bộ thôn Nà Lộc")
