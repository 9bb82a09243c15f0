import pytest
from playwright.sync_api import expect

from dangvu.members.models import Member, Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_open_profile_transfer_and_receive(live_server, login, people, tree):
    page = login("quantri", "mat-khau-rat-dai-1")
    page.get_by_role("link", name="Đảng viên", exact=True).click()

    # Search without diacritics; the list updates in place (htmx).
    page.fill("#id_q", "nguyen van duc")
    expect(page.locator("#member-table tbody tr")).to_have_count(1)  # (no eval: the CSP forbids it)
    page.get_by_role("link", name="Nguyễn Văn Đức").click()
    assert page.inner_text("#member-name") == "Nguyễn Văn Đức"

    # Record an official transfer to another cell in the system.
    page.get_by_role("link", name="Chuyển sinh hoạt").click()
    page.fill("#id_to_org", "C2-T1")
    page.fill("#id_reason", "Chuyển nơi cư trú")
    page.fill("#id_letter_number", "21-GGT/ĐU")
    page.get_by_role("button", name="Ghi nhận").click()
    assert "nơi đến cần tiếp nhận trước" in page.inner_text("main")
    assert "Đã giới thiệu, chờ nơi đến tiếp nhận" in page.inner_text("#transfers")

    # The receiving cell sees the letter and records receipt.
    page.goto(f"{live_server.url}/members/?org=C2-T1")
    assert "Nguyễn Văn Đức" in page.inner_text("#pending-in")
    page.get_by_role("link", name="Tiếp nhận").click()
    page.get_by_role("button", name="Tiếp nhận").click()
    assert "Đã tiếp nhận Nguyễn Văn Đức" in page.inner_text("main")
    history = page.inner_text("#membership-history")
    assert "Chi bộ thôn Nà Lộc" in history and "Chi bộ thôn Khe Bàn" in history

    # Both organisations' member history show him: one with an end, one current.
    page.goto(f"{live_server.url}/members/organisations/C1-T1/history/")
    assert (
        "Chuyển sinh hoạt đi"
        in page.locator("#org-member-history tr", has_text="Nguyễn Văn Đức").inner_text()
    )
    page.goto(f"{live_server.url}/members/organisations/C2-T1/history/")
    assert (
        "Chuyển sinh hoạt đến"
        in page.locator("#org-member-history tr", has_text="Nguyễn Văn Đức").inner_text()
    )
    duc = Member.objects.get(pk=people["duc"].pk)
    assert duc.org.code == "C2-T1"
    assert Membership.objects.filter(member=duc, valid_to__isnull=True).count() == 1


def test_an_officer_links_a_members_account_and_the_notice_reaches_it(live_server, login, tree, people,
                                                                       django_user_model):  # fmt: skip
    import datetime as dt

    from dangvu.core.dates import today
    from dangvu.core.models import Notification
    from dangvu.meetings import services as mtsvc

    hoa = django_user_model.objects.create_user("01.000002", password="mat-khau-rat-dai-1")
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/members/{people['hoa'].pk}/")
    expect(page.locator("#account-state")).to_contain_text("Chưa liên kết")
    page.get_by_role("button", name="Liên kết «01.000002»").click()
    expect(page.get_by_role("status")).to_contain_text("Đã liên kết tài khoản «01.000002» với Đặng Thị Hòa")
    expect(page.locator("#account-state")).to_contain_text("01.000002")

    m = mtsvc.schedule(by=get_admin(), org=tree["C1-T1"], data=mtsvc.Schedule(date=today() + dt.timedelta(days=3)))
    page.goto(f"{live_server.url}/meetings/{m.pk}/")
    page.get_by_role("button", name="Gửi thông báo họp").click()
    expect(page.get_by_role("status")).to_contain_text("1 người nhận trong Đảng vụ (Đặng Thị Hòa)")
    expect(page.get_by_role("status")).to_contain_text("4 người chưa có tài khoản liên kết")
    assert Notification.objects.filter(user=hoa).count() == 1


def get_admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="quantri")
