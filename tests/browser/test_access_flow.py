import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from dangvu.accounts import services as asvc
from dangvu.accounts.models import RoleGrant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_cannot_reach_another_cells_member_by_url(
    live_server, login, people, tree, django_user_model
):
    sec = django_user_model.objects.create_user("bithu.t1", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=sec, organisation=tree["C1-T1"], role="secretary", by=None)
    page = login("bithu.t1", "mat-khau-rat-dai-1")
    page.get_by_role("link", name="Đảng viên", exact=True).click()
    expect(page.get_by_role("link", name="Nguyễn Văn Đức")).to_be_visible()
    expect(page.get_by_role("link", name="Giàng A Páo")).to_have_count(0)

    page.goto(f"{live_server.url}/members/{people['duc'].pk}/")
    expect(page.locator("#member-name")).to_have_text("Nguyễn Văn Đức")
    response = page.goto(f"{live_server.url}/members/{people['khe'].pk}/")  # C2's member, typed by hand
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy")).to_be_visible()
    assert "Giàng A Páo" not in page.content()
    response = page.goto(f"{live_server.url}/members/?org=C2-T1")
    assert response.status == 404


def test_administrator_enrols_totp_then_grants_and_withdraws_a_role(
    live_server, page, tree, admin_user, django_user_model
):
    django_user_model.objects.create_user("xem.c1", password="mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", "mat-khau-rat-dai-1")
    page.click("button[type=submit]")

    # First login of an administrator: enrolment, with the key the phone app would scan.
    page.wait_for_url("**/account/2fa/**")
    expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    key = page.inner_text("#otp-key").replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    page.fill("#id_token", "123456" if f"{totp(secret):06d}" != "123456" else "654321")
    page.click("#otp-form button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_contain_text("Mã không đúng")
    page.wait_for_timeout(1100)  # after a wrong code, django-otp accepts the next one only after 1 s
    page.fill("#id_token", f"{totp(secret):06d}")
    page.click("#otp-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("status")).to_contain_text("Đã bật xác thực hai bước")

    # Grant a role from the access page.
    page.get_by_role("link", name="Phân quyền").click()
    page.fill("#id_g-username", "xem.c1")
    page.fill("#id_g-org", "C1")
    page.select_option("#id_g-role", "viewer")
    page.click("#grant-form button[type=submit]")
    expect(page.get_by_role("status")).to_contain_text("Đã cấp vai trò «Xem»")
    row = page.locator("#grants tbody tr", has_text="xem.c1")
    expect(row).to_contain_text("Đảng bộ xã Khánh Yên")
    assert RoleGrant.objects.filter(user__username="xem.c1", organisation__code="C1", role="viewer").exists()

    # Withdraw it: gone from the list of grants in force, kept as history.
    row.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thu hồi")
    expect(page.locator("#grants tbody tr", has_text="xem.c1")).to_have_count(0)
    assert RoleGrant.objects.get(user__username="xem.c1").valid_to is not None

    # And the log shows both changes.
    page.get_by_role("link", name="Nhật ký").click()
    expect(page.locator("#audit tbody")).to_contain_text("Cấp quyền")
    expect(page.locator("#audit tbody")).to_contain_text("Thu hồi quyền")


def test_api_docs_render_under_the_content_security_policy(live_server, login, tree):
    page = login("quantri", "mat-khau-rat-dai-1")
    page.get_by_role("link", name="API", exact=True).click()
    expect(page.locator(".swagger-ui .title")).to_contain_text("Dangvu API")
    expect(page.get_by_text("/api/v1/members/{member_id}", exact=True).first).to_be_visible()
    # the page fixture fails the test if the browser reported any Content-Security-Policy violation
