"""Personal data is not cached: pages, the API and downloads carry Cache-Control: no-store; static files may be."""

import pytest

from tests.jobs.helpers import run_worker
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_pages_api_and_downloads_are_not_stored(client, admin_user, people):  # noqa: F811
    client.force_login(admin_user)
    duc = people["duc"]
    job = client.post("/members/export/list.xlsx?org=C1")["Location"]
    run_worker()
    for url in ("/organisations/", f"/members/{duc.pk}/", "/api/v1/members?org=C1", f"/api/v1/members/{duc.pk}",
                job, f"{job}download/", "/jobs/", "/login/"):
        r = client.get(url)
        assert r.status_code in (200, 302), url
        cache = r.get("Cache-Control", "")
        assert "no-store" in cache and "private" in cache, (url, cache)


def test_static_files_keep_their_cache_headers(client):
    r = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    if r.status_code == 404:  # the npm assets are not installed on this machine
        r = client.get("/static/css/dangvu.css")
    assert r.status_code == 200
    assert "no-store" not in r.get("Cache-Control", "")
