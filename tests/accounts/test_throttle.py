"""Login throttling that holds: per username and address, per username, per address; and the client's address
taken from X-Forwarded-For only through a trusted proxy."""

import pytest
from django.test import Client

from dangvu.core.models import AuditEntry

from .test_security import viewer  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

WRONG = "sai-mat-khau"
RIGHT = "mat-khau-rat-dai-1"


@pytest.fixture
def accounts(django_user_model, viewer):  # noqa: F811
    return [django_user_model.objects.create_user(f"nguoi{i}", password=RIGHT) for i in range(10)]


def login(client, username, password=WRONG, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_spraying_many_usernames_from_one_address_is_stopped(accounts, settings):
    """40 guesses spread over 10 usernames, 4 each (under the per-user limit of 5): the address limit holds."""
    c = Client(REMOTE_ADDR="10.0.0.9")
    codes = [login(c, f"nguoi{i % 10}").status_code for i in range(40)]
    assert codes[: settings.DANGVU_LOGIN_ADDRESS_FAILURE_LIMIT - 1] == [200] * 19
    assert set(codes[20:]) == {429}
    assert login(c, "nguoi0", RIGHT).status_code == 429  # the address is locked, whatever the account
    assert login(Client(REMOTE_ADDR="10.0.0.10"), "nguoi0", RIGHT).status_code == 302  # others are not


def test_one_username_guessed_from_many_addresses_is_locked(viewer, settings):  # noqa: F811
    for i in range(settings.DANGVU_LOGIN_USER_FAILURE_LIMIT):
        assert login(Client(REMOTE_ADDR=f"10.1.0.{i + 1}"), "xem").status_code in (200, 429)
    r = login(Client(REMOTE_ADDR="10.2.0.1"), "xem", RIGHT)
    assert r.status_code == 429 and "Tạm khóa" in r.content.decode()


def test_the_pair_limit_still_comes_first(viewer, settings):  # noqa: F811
    c = Client(REMOTE_ADDR="10.0.0.9")
    codes = [login(c, "xem").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]


def test_a_success_does_not_reset_the_address_count(accounts, settings):
    """An attacker logging into their own account between guesses does not clear the spraying count."""
    c = Client(REMOTE_ADDR="10.0.0.9")
    for i in range(15):
        login(c, f"nguoi{i % 5 + 1}")
    assert login(c, "nguoi0", RIGHT).status_code == 302
    c.logout()
    codes = [login(c, f"nguoi{i % 5 + 1}").status_code for i in range(6)]
    assert 429 in codes


def test_a_spoofed_forwarded_header_changes_nothing_without_a_trusted_proxy(viewer, settings):  # noqa: F811
    settings.DANGVU_TRUSTED_PROXIES = []
    c = Client(REMOTE_ADDR="10.0.0.9")
    codes = [login(c, "xem", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code for i in range(5)]
    assert codes[-1] == 429  # the same address all along: the forged header did not spread the count
    assert set(AuditEntry.objects.filter(action="login.failed").values_list("ip", flat=True)) == {"10.0.0.9"}


def test_behind_a_trusted_proxy_the_real_client_is_counted_and_logged(viewer, settings):  # noqa: F811
    settings.DANGVU_TRUSTED_PROXIES = ["127.0.0.1", "10.9.0.0/16"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    # the client sent its own (forged) X-Forwarded-For; nginx appended the real address; a second proxy too
    for _ in range(4):
        assert login(proxy, "xem", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.9.0.2").status_code == 200
    assert set(AuditEntry.objects.filter(action="login.failed").values_list("ip", flat=True)) == {"203.0.113.7"}
    # another client through the same proxy is not locked out by the first one's failures
    assert login(proxy, "xem", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302
    assert AuditEntry.objects.filter(action="login").latest("pk").ip == "198.51.100.4"
    # the fifth failure from the first client locks that client (the pair), not the proxy
    assert login(proxy, "xem", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert login(proxy, "xem", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 302
