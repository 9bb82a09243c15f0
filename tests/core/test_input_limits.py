"""Input the databases cannot hold is refused with a clear 400, on pages and in the API alike, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_character_is_refused_everywhere(client, admin_user, tree):
    client.force_login(admin_user)
    r = client.get("/api/v1/members?org=C1&q=a%00b")
    assert r.status_code == 400 and "ký tự NUL" in r.json()["detail"]
    r = client.post("/api/v1/meetings", '{"org": "C1-T1", "date": "2026-03-01", "place": "a\\u0000"}',
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "ký tự NUL" in r.json()["errors"]["__all__"]
    r = client.get("/members/?org=C1&q=nguy%00en")
    assert r.status_code == 400 and "ký tự NUL" in r.content.decode()


def test_numbers_past_the_databases_range_are_a_400(client, admin_user, tree):
    client.force_login(admin_user)
    assert client.get("/api/v1/members?org=C1&offset=99999999999999999999").status_code == 422
    r = client.get(f"/api/v1/meetings/{2**70}")
    assert r.status_code == 404  # no such meeting: not a server error


def test_a_time_with_a_utc_offset_is_read_as_vietnam_time(client, admin_user, tree):
    client.force_login(admin_user)
    r = client.post("/api/v1/meetings", {"org": "C1-T1", "date": "2026-03-10", "planned_time": "12:30:00+00:00"},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    from dangvu.meetings.models import Meeting

    assert Meeting.objects.get().planned_time.strftime("%H:%M") == "19:30"


def test_pages_answer_an_uncaught_refusal_with_its_reason(client, admin_user, tree):
    client.force_login(admin_user)
    r = client.get(f"/meetings/{2**70}/")
    assert r.status_code == 404  # no such meeting: not a server error
