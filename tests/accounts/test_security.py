"""Login security: the second factor, throttling, sessions, headers."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import services as asvc
from dangvu.core.models import AuditEntry
from tests.conftest import VerifiedClient


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def officer(tree, django_user_model):
    u = django_user_model.objects.create_user("canbo", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=u, organisation=tree["C1"], role="officer", by=None)
    return u


@pytest.fixture
def viewer(tree, django_user_model):
    u = django_user_model.objects.create_user("xem", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=u, organisation=tree["C1"], role="viewer", by=None)
    return u


def test_officer_must_enrol_a_second_factor_before_anything_else(officer):
    c = VerifiedClient()
    c.force_login(officer, verified=False)
    r = c.get("/members/?org=C1")
    assert r.status_code == 302 and r["Location"] == "/account/2fa/?next=/members/%3Forg%3DC1"
    r = c.get("/api/v1/members", HTTP_ACCEPT="application/json")
    assert r.status_code == 403 and "xác thực hai bước" in r.json()["detail"]
    assert c.get("/organisations/", HTTP_HX_REQUEST="true")["HX-Redirect"].startswith("/account/2fa/")

    html = c.get("/account/2fa/").content.decode()
    assert "<svg" in html and "Khóa bí mật" in html  # the QR code, drawn on the server, and the key as text
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert c.get("/account/2fa/").status_code == 200  # reloading keeps the same key
    assert TOTPDevice.objects.filter(user=officer).count() == 1

    r = c.post("/account/2fa/", {"token": "000000", "next": "/members/?org=C1"})
    assert "Mã không đúng" in r.content.decode()
    assert AuditEntry.objects.filter(action="otp.failed", user=officer).exists()
    device.refresh_from_db()
    device.throttling_failure_timestamp = timezone.now()  # just failed: even the right code must wait
    device.save()
    r = c.post("/account/2fa/", {"token": code(device), "next": "/members/?org=C1"})
    assert "chờ 1 giây" in r.content.decode()
    device.throttling_failure_timestamp = timezone.now() - dt.timedelta(seconds=2)
    device.save()
    r = c.post("/account/2fa/", {"token": code(device), "next": "/members/?org=C1"})
    assert r.status_code == 302 and r["Location"] == "/members/?org=C1"
    device.refresh_from_db()
    assert device.confirmed
    assert c.get("/members/?org=C1").status_code == 200
    assert AuditEntry.objects.filter(action="otp.enrol", user=officer).exists()


def test_next_login_asks_for_the_code_and_refuses_foreign_redirects(officer):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    c = Client()
    r = c.post("/login/", {"username": "canbo", "password": "mat-khau-rat-dai-1"})
    assert r.status_code == 302
    assert c.get("/organisations/")["Location"].startswith("/account/2fa/")
    html = c.get("/account/2fa/").content.decode()
    assert "Nhập mã xác thực" in html and 'class="qr' not in html  # verify, not enrol again (no QR code)
    r = c.post("/account/2fa/", {"token": code(device), "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_viewer_needs_no_second_factor_unless_enrolled(viewer):
    c = Client()
    c.post("/login/", {"username": "xem", "password": "mat-khau-rat-dai-1"})
    assert c.get("/organisations/").status_code == 200
    TOTPDevice.objects.create(user=viewer, name="phone", confirmed=True)  # enrolled by choice
    c = Client()
    c.post("/login/", {"username": "xem", "password": "mat-khau-rat-dai-1"})
    assert c.get("/organisations/")["Location"].startswith("/account/2fa/")


def test_failed_logins_are_throttled_per_user_and_address(viewer):
    c = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = c.post("/login/", {"username": "xem", "password": "sai"})
        assert r.status_code == 200 and "không đúng" in r.content.decode()
    assert c.post("/login/", {"username": "xem", "password": "sai"}).status_code == 429  # the last allowed
    r = c.post("/login/", {"username": "xem", "password": "mat-khau-rat-dai-1"})  # even the right password
    assert r.status_code == 429 and "Tạm khóa" in r.content.decode() and "15 phút" in r.content.decode()
    assert (
        AuditEntry.objects.filter(action="login.failed", object_id="xem").count()
        >= settings.AXES_FAILURE_LIMIT
    )
    other = Client(REMOTE_ADDR="10.0.0.10")  # the real user, elsewhere, is not locked out by the attacker
    assert other.post("/login/", {"username": "xem", "password": "mat-khau-rat-dai-1"}).status_code == 302


def test_security_headers_and_csp_without_inline_script(viewer):
    c = VerifiedClient()
    c.force_login(viewer)
    r = c.get("/organisations/")
    csp = r["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and "unsafe" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"
    html = r.content.decode()
    assert "<script>" not in html and " on" + "click=" not in html and "style=" not in html
    assert "Strict-Transport-Security" not in r  # plain HTTP (the default, embedded use)


def test_sessions_expire_after_inactivity_and_csrf_is_enforced(viewer):
    c = Client(enforce_csrf_checks=True)
    r = c.post("/login/", {"username": "xem", "password": "mat-khau-rat-dai-1"})
    assert r.status_code == 403  # no CSRF token
    c.get("/login/")
    token = c.cookies["csrftoken"].value
    c.post("/login/", {"username": "xem", "password": "mat-khau-rat-dai-1", "csrfmiddlewaretoken": token})
    r = c.get("/organisations/")
    cookie = r.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_COOKIE_AGE == 60 * 60  # 60 idle minutes by default
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert c.session.get_expiry_age() == 3600  # pushed forward by every request


def test_https_deployment_turns_on_hsts_and_secure_cookies():
    env = {**os.environ, "DANGVU_HTTPS": "1"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dangvu.settings'; django.setup();"
            "from django.conf import settings as s;"
            "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["31536000", "True", "True"]


def test_reset_2fa_command_for_a_lost_phone(officer):
    import io

    from django.core.management import call_command

    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    out = io.StringIO()
    call_command("reset_2fa", "canbo", stdout=out)
    assert "Đã hủy 1 thiết bị" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert AuditEntry.objects.filter(action="otp.reset", object_id=str(officer.pk)).exists()


def test_any_enrolled_device_passes(officer):
    TOTPDevice.objects.create(user=officer, name="old phone", confirmed=True)
    spare = TOTPDevice.objects.create(user=officer, name="new phone", confirmed=True)
    c = VerifiedClient()
    c.force_login(officer, verified=False)
    r = c.post("/account/2fa/", {"token": code(spare), "next": "/organisations/"})
    assert r.status_code == 302 and r["Location"] == "/organisations/"
    assert c.get("/organisations/").status_code == 200
