"""Daily use on a desktop: an English browser still gets one language, an organisation is picked by its name typed
without diacritics, and a pasted name longer than the register allows is a field error, not a silent cut."""

import pytest
from playwright.sync_api import expect

from dangvu.members.models import Member
from dangvu.organizations.models import OrgEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_english_browser_gets_the_vietnamese_interface(live_server, browser, tree):
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "quantri")
        page.fill("#id_password", "mat-khau-rat-dai-1")
        from django.contrib.auth import get_user_model
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.browser.conftest import totp_now

        device = TOTPDevice.objects.create(user=get_user_model().objects.get(username="quantri"), name="p",
                                           confirmed=True)  # fmt: skip
        page.click("button[type=submit]")
        page.wait_for_url("**/account/2fa/**")
        page.fill("#id_token", totp_now(device))
        page.click("#otp-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == "vi"
        nav = page.locator("#sidenav").inner_text()
        assert "Tổng quan" in nav and "Đảng viên" in nav and "Members" not in nav
        expect(page.locator("h1")).to_contain_text("Việc cần làm")
        page.goto(f"{live_server.url}/admin/")
        expect(page.locator("#site-name")).to_contain_text("Đảng vụ — quản trị")
    finally:
        context.close()


def test_an_organisation_is_picked_by_its_name_without_diacritics(live_server, login, tree):
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/organisations/decisions/rename/")
    field = page.locator("#id_org")
    field.press_sequentially("na loc", delay=30)
    expect(page.locator("#org-suggestions option[value='Chi bộ thôn Nà Lộc (C1-T1)']")).to_have_count(1)
    field.fill("Chi bộ thôn Nà Lộc (C1-T1)")  # what choosing the suggestion puts in the field
    page.fill("#id_name", "Chi bộ thôn Nà Lộc Mới")
    page.fill("#id_decision_number", "Số 80-QĐ/ĐU")
    page.fill("#id_effective_on", "01/01/2025")
    page.click("text=Xem trước thay đổi")
    expect(page.locator("#changes")).to_contain_text("Chi bộ thôn Nà Lộc")
    expect(page.locator("#irreversible")).to_contain_text("không sửa trực tiếp được")
    page.get_by_role("button", name="Ghi quyết định").click()
    page.wait_for_url("**/history/")
    assert OrgEvent.objects.filter(decision_number="80-QĐ/ĐU").exists()


def test_a_pasted_name_longer_than_the_register_allows_is_a_field_error(live_server, login, tree):
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/members/new/?org=C1-T1")
    expect(page.locator(".required-legend")).to_contain_text("là bắt buộc")
    page.fill("#id_full_name", "Nguyễn Văn " + "A" * 9989)  # the browser keeps all of it: no maxlength
    assert len(page.input_value("#id_full_name")) == 10000
    page.fill("#id_birth_date", "01/01/1980")
    page.fill("#id_admitted_on", "01/01/2005")
    page.select_option("#id_sex", "nam")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#member-form")).to_contain_text("Tối đa 120 ký tự; nội dung đã nhập dài 10000 ký tự")
    assert not Member.objects.exists()
