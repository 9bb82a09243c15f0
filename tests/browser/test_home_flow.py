"""The first page after login, on a phone: a cell secretary lands on what is due, follows an item to the form that
deals with it, and the menu opens the cell's own checklist; a committee officer follows a branch's count to the
filtered list."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from dangvu.accounts import services as asvc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def secretary(django_user_model, tree):
    u = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1", first_name="Tiến",
                                              last_name="Nông Văn")  # fmt: skip
    asvc.grant_create(user=u, organisation=tree["C1-T1"], role="secretary", by=None)
    return u


def test_a_secretary_on_a_phone_lands_on_what_is_due(live_server, page, login, secretary, people, monkeypatch):
    monkeypatch.setattr("dangvu.home.views.today", lambda: dt.date(2026, 3, 15))
    page.set_viewport_size(PHONE)
    login("bithu", "mat-khau-rat-dai-1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Việc cần làm · Chi bộ thôn Nà Lộc")
    first = page.locator("#agenda li").first
    expect(first).to_contain_text("Quá hạn")
    item = page.get_by_role("link", name="Chưa đăng ký lịch sinh hoạt chi bộ thường kỳ tháng 3/2026")
    expect(item).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    item.click()
    page.wait_for_url("**/meetings/cells/C1-T1/new/**")
    page.go_back()
    page.get_by_role("button", name="Mở menu").click()
    page.locator("#sidenav").get_by_role("link", name="Hồ sơ, sổ sách").click()
    page.wait_for_url("**/dossiers/organisations/C1-T1/**")
    expect(page.locator("#completeness")).to_contain_text("Đã có 0/12")


def test_a_committee_follows_a_branch_count_to_the_list(live_server, page, login, tree, people, monkeypatch):
    monkeypatch.setattr("dangvu.home.views.today", lambda: dt.date(2026, 3, 15))
    login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/?org=C1")
    row = page.locator("#branches tr", has_text="Chi bộ thôn Nà Lộc")
    expect(row).to_be_visible()
    page.get_by_role("link", name="2 chi bộ chưa gửi báo cáo tháng 2/2026").click()
    page.wait_for_url("**/meetings/?org=C1&period=2026-02&filter=no_report")
    expect(page.locator("main")).to_contain_text("Chi bộ thôn Nà Lộc")
