import os

import pytest

from tests.members.conftest import add, people  # noqa: F401 (fixtures)

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Debian chromium is missing: run `make test` (it installs it) or apt-get install chromium"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    violations = []
    pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    # An irreversible step asks the browser to confirm (data-confirm): the user says yes; tests read what was asked.
    pg.dialogs = []

    def answer(d):
        pg.dialogs.append(d.message)
        d.accept()

    pg.on("dialog", answer)
    yield pg
    context.close()
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


def totp_now(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def login(page, live_server):
    """Password, then (for officers and administrators) the TOTP code of a device enrolled beforehand."""

    def _login(username, password):
        from django.contrib.auth import get_user_model
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from dangvu.accounts.selectors import needs_two_factor

        user = get_user_model().objects.get(username=username)
        device = None
        if needs_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        if device is not None:
            page.wait_for_url("**/account/2fa/**")
            page.fill("#id_token", totp_now(device))
            page.click("#otp-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Browser tests run in transactional databases, which are flushed after each test, taking the rows the
    data migrations loaded (organisation types, rule sets) with them: load them again when missing."""
    from tests.conftest import load_reference_data

    load_reference_data()
