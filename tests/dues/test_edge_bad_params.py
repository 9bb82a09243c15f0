"""Bad query parameters that give a 500 instead of a refusal or a default."""
import pytest

from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "-1", "10000", "99999999999999999999"])
def test_dues_ledger_year_out_of_range_is_not_a_500(client, admin_user, tree, people, year):  # noqa: F811
    client.force_login(admin_user)
    client.raise_request_exception = False
    r = client.get(f"/dues/members/{people['duc'].pk}/?year={year}")
    assert r.status_code != 500, year


@pytest.mark.parametrize("year", ["0", "10000"])
def test_grassroots_year_out_of_range_is_not_a_500(client, admin_user, tree, year):
    client.force_login(admin_user)
    client.raise_request_exception = False
    r = client.get(f"/stats/organisations/C1/grassroots/?year={year}")
    assert r.status_code != 500, year


@pytest.mark.parametrize("on", ["01/01/0001", "31/12/0099"])
def test_stats_page_very_old_date_is_not_a_500(client, admin_user, tree, people, on):  # noqa: F811
    client.force_login(admin_user)
    client.raise_request_exception = False
    r = client.get(f"/stats/?org=P&on={on}")
    assert r.status_code != 500, on


def test_stats_api_very_old_date_is_not_a_500(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    client.raise_request_exception = False
    r = client.get("/api/v1/stats/P?on=0001-01-01")
    assert r.status_code != 500
