"""/api/v1/congresses: the same rules and messages as the pages."""

import pytest

from dangvu.members.models import Seat, SeatRole
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_a_cell_congress_through_the_api(admin_user, client, tree, people):  # noqa: F811
    client.force_login(admin_user)
    r = client.post("/api/v1/congresses", {"org": "C1-T1", "term_name": "2026–2031", "starts_on": "2026-03-20",
                                           "ends_on": "2026-03-20"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    assert r.json()["number"] == 1
    assert client.post(f"/api/v1/congresses/{cid}/summon").json()["attendees"] == 5
    r = client.post(f"/api/v1/congresses/{cid}/elections", {"position": "committee", "seats": 3, "held_on": "2026-03-20",
                    "candidates": [people["duc"].pk, people["hoa"].pk, people["an"].pk]}, content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "dưới 9" in r.json()["errors"]["position"]
    r = client.post(f"/api/v1/congresses/{cid}/elections", {"position": "secretary", "held_on": "2026-03-20",
                    "candidates": [people["duc"].pk]}, content_type="application/json")  # fmt: skip
    eid = r.json()["id"]
    r = client.post(f"/api/v1/congresses/elections/{eid}/count", {"ballots_issued": 4, "ballots_valid": 4,
                    "votes": [{"member_id": people["duc"].pk, "votes": 4}]}, content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["minutes"] == "01-BB/ĐH"
    assert r.json()["candidates"] == [{"member_id": people["duc"].pk, "name": "Nguyễn Văn Đức", "votes": 4, "elected": True}]
    r = client.post(f"/api/v1/congresses/{cid}/confirm", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "confirmed" and r.json()["term_starts_on"] == "2026-03-21"
    assert Seat.objects.get(role=SeatRole.SECRETARY).member_id == people["duc"].pk
    assert client.get("/api/v1/congresses?org=C2-T1").json() == []
    assert client.get("/api/v1/congresses/999999").status_code == 404
