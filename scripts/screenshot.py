"""Screenshots of the running app for README/docs (needs `make run` serving on 127.0.0.1:8000).

The administrator must pass the second factor: the script (run on the server, with its database) adds a
temporary TOTP device for the session and removes it afterwards."""

import os
import sys
from pathlib import Path

import django
from playwright.sync_api import sync_playwright

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop in this thread
django.setup()

from django_otp.oath import totp  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

BASE = "http://127.0.0.1:8000"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def main() -> None:
    creds = (Path(__file__).resolve().parents[1] / "var" / "admin-login.txt").read_text().split()
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="vi-VN")
        page.goto(f"{BASE}/login/")
        page.fill("#id_username", creds[0])
        page.fill("#id_password", creds[1])
        device = TOTPDevice.objects.create(user_id=_user_id(creds[0]), name="screenshot", confirmed=True)
        page.click("button[type=submit]")
        try:  # the device lives as long as the session needs it (django-otp checks it on every request)
            page.wait_for_url("**/account/2fa/**")
            page.fill("#id_token", f"{totp(device.bin_key):06d}")
            page.click("#otp-form button[type=submit]")
            page.wait_for_url(f"{BASE}/")
            shoot(page, browser, out)
        finally:
            device.delete()
        browser.close()


def shoot(page, browser, out: Path) -> None:
    """Desktop pages as the administrator, then the phone as a cell secretary."""
    page.goto(f"{BASE}/?org=LCA-KHANHYEN")
    page.screenshot(path=str(out / "screenshot-home.png"))
    page.goto(f"{BASE}/organisations/")
    page.click("li[data-code=LCA] > button.toggle")
    page.click("li[data-code=LCA-KHANHYEN] > button.toggle")
    page.wait_for_selector("li[data-code=LCA-VB-CQ-UBND]")
    page.screenshot(path=str(out / "screenshot-tree.png"))
    page.goto(f"{BASE}/members/?org=LCA-KHANHYEN")
    page.screenshot(path=str(out / "screenshot-members.png"))
    page.goto(f"{BASE}/organisations/LCA-VB/history/")
    page.screenshot(path=str(out / "screenshot-history.png"))
    phone(browser, out)


def phone(browser, out: Path) -> None:
    """A cell secretary's phone (360 × 740): the home page, the roll call, the dossier checklist."""
    from dangvu.core.dates import today
    from dangvu.meetings.models import Meeting, State

    logins = (Path(__file__).resolve().parents[1] / "var" / "demo-logins.txt").read_text().splitlines()
    username, password = next(line.split("\t")[:2] for line in logins if line.startswith("bithu."))
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="vi-VN", device_scale_factor=1)
    page.goto(f"{BASE}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{BASE}/")
    page.screenshot(path=str(out / "screenshot-phone-home.png"))
    cell = page.locator("#working-scope a").first.get_attribute("href").strip("/").split("/")[-1]
    m = (Meeting.objects.filter(organisation__code=cell, date__lte=today(), state__in=[State.PLANNED, State.HELD])
         .order_by("-date").first())  # fmt: skip
    if m is not None:
        page.goto(f"{BASE}/meetings/{m.pk}/roll-call/")
        page.screenshot(path=str(out / "screenshot-phone-roll-call.png"))
    page.goto(f"{BASE}/dossiers/organisations/{cell}/{today().year}/")
    page.screenshot(path=str(out / "screenshot-phone-checklist.png"))
    page.close()


def _user_id(username: str) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk


if __name__ == "__main__":
    main()
