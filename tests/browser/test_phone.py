"""A secretary's phone, 360 × 740: the checklist and the roll call as cards with full-width controls, a menu that
closes, filters folded behind a button that counts them, a header that leaves the screen to the page, a search that
finds members, no page that scrolls sideways, and a page number to jump to."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from dangvu.accounts import services as asvc
from dangvu.core.dates import today
from dangvu.core.text import person_sort_key, search_key
from dangvu.meetings import services as mtsvc
from dangvu.members.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(page, login, tree, django_user_model):
    """The secretary of Nà Lộc (C1-T1), logged in on a phone."""
    u = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1", first_name="Tiến",
                                              last_name="Nông Văn")  # fmt: skip
    asvc.grant_create(user=u, organisation=tree["C1-T1"], role="secretary", by=None)
    page.set_viewport_size(PHONE)
    login("bithu", "mat-khau-rat-dai-1")
    return page


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def many(tree, n: int, code="C1-T1", prefix="Lường Văn") -> None:
    """n more official members in a cell, written directly (the roll call and the pager need numbers, not events)."""
    org = tree[code]
    Member.objects.bulk_create([
        Member(full_name=f"{prefix} Số{i:03d}", sort_key=person_sort_key(f"{prefix} Số{i:03d}"),
               search_text=search_key(f"{prefix} Số{i:03d}"), sex="nam", birth_date=dt.date(1980, 1, 1),
               admitted_on=dt.date(2005, 1, 1), official_on=dt.date(2006, 1, 1), status="official",
               status_since=dt.date(2006, 1, 1), org=org,
               org_path=org.path)
        for i in range(n)
    ])  # fmt: skip


def test_the_header_is_one_line_and_the_menu_closes(live_server, phone):
    height = phone.locator("header").bounding_box()["height"]
    assert height <= 0.09 * PHONE["height"], height  # was 16% of the screen
    phone.get_by_role("button", name="Mở menu").click()
    menu = phone.locator("#sidenav")
    expect(menu).to_be_visible()
    phone.get_by_role("button", name="Đóng menu").click()
    expect(menu).to_be_hidden()


def test_the_checklist_is_cards_with_full_width_controls(live_server, phone):
    phone.goto(f"{live_server.url}/dossiers/organisations/C1-T1/{today().year}/")
    line = phone.locator("#line-VP03")
    picker = line.locator("input[type=file]").bounding_box()
    assert picker["width"] >= 0.8 * PHONE["width"], picker  # was squeezed to "Cho"
    name = line.locator(".line-name")
    assert name.bounding_box()["height"] < 60  # one or two lines, not a word per line
    badge = line.locator(".badge").bounding_box()
    assert badge["x"] + badge["width"] <= PHONE["width"]
    assert sideways(phone) == 0


def test_a_roll_call_of_22_fits_in_about_three_screens(live_server, phone, tree, people, add):
    for i in range(17):  # 5 + 17, placed through the service (the roll call reads their stays)
        add(full_name=f"Lường Văn Số{i:02d}")
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="quantri")
    m = mtsvc.schedule(by=admin, org=tree["C1-T1"], data=mtsvc.Schedule(date=today()))
    phone.goto(f"{live_server.url}/meetings/{m.pk}/roll-call/")
    rows = phone.locator("#roll-call .rc-row")
    expect(rows).to_have_count(22)
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * PHONE["height"], height  # was 5,600 px
    assert sideways(phone) == 0
    row = rows.nth(0)
    assert row.get_by_text("Có mặt", exact=True).bounding_box()["height"] >= 28  # a thumb-sized target
    row.get_by_text("Vắng có lý do", exact=True).click()
    reason = row.get_by_placeholder("Lý do vắng")
    expect(reason).to_be_visible()  # the reason box appears only when it is needed
    assert reason.bounding_box()["width"] >= 0.8 * PHONE["width"]
    expect(rows.nth(1).get_by_placeholder("Lý do vắng")).to_be_hidden()


def test_the_first_name_of_the_member_list_is_on_the_first_screen(live_server, phone, people):
    phone.goto(f"{live_server.url}/members/?org=C1-T1")
    first = phone.locator("#member-table tbody tr").first.locator("a")
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= PHONE["height"]
    expect(phone.locator("#filters-toggle")).to_have_text("Lọc")
    phone.goto(f"{live_server.url}/members/?org=C1-T1&sex=nu&age=")
    expect(phone.locator("#filters-toggle")).to_have_text("Lọc (1)")  # how many filters are on
    expect(phone.locator("#more-filters")).to_be_hidden()
    phone.locator("#filters-toggle").click()
    expect(phone.locator("#id_sex")).to_be_visible()
    assert sideways(phone) == 0


def test_the_header_search_finds_members_in_scope(live_server, phone, people):
    phone.get_by_role("link", name="Tìm kiếm").click()
    phone.fill("#search-q", "nguyen van duc")
    phone.get_by_role("button", name="Tìm", exact=True).click()
    expect(phone.locator("#found-members")).to_contain_text("Nguyễn Văn Đức")
    phone.fill("#search-q", "giang a pao")  # a member of Khe Bàn, outside this secretary's cell
    phone.get_by_role("button", name="Tìm", exact=True).click()
    expect(phone.locator("#found-members")).to_contain_text("Không có đảng viên nào")
    assert sideways(phone) == 0


def test_the_cell_year_page_does_not_scroll_sideways(live_server, phone, tree, people):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="quantri")
    for month in range(1, 13):
        mtsvc.schedule(by=admin, org=tree["C1-T1"], data=mtsvc.Schedule(date=dt.date(2026, month, 10),
                                                                        combined=month % 3 == 0,
                                                                        topic="Học tập và làm theo tư tưởng, đạo "
                                                                              "đức, phong cách Hồ Chí Minh"
                                                                        if month % 3 == 0 else ""))  # fmt: skip
    phone.goto(f"{live_server.url}/meetings/cells/C1-T1/?year=2026")
    expect(phone.locator("#year tbody tr")).to_have_count(12)
    assert sideways(phone) == 0  # was 13 px


def test_the_member_list_has_a_page_to_jump_to(live_server, phone, tree):
    many(tree, 230)
    phone.goto(f"{live_server.url}/members/?org=C1-T1")
    phone.get_by_label("Đến trang").fill("4")
    phone.get_by_role("button", name="Đi", exact=True).click()
    expect(phone.locator(".pagination")).to_contain_text("Trang 4/5")
    assert "org=C1-T1" in phone.url
