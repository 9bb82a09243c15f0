import pytest

from dangvu.accounts.services import grant_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, admin_user):
    client.force_login(admin_user)
    return client


def test_list_search_filters_and_shape(api, people):
    body = api.get("/api/v1/members", {"q": "nguyen van duc"}).json()
    assert body["count"] == 1
    assert body["items"][0] == body["items"][0] | {
        "full_name": "Nguyễn Văn Đức",
        "org": "C1-T1",
        "status": "official",
        "card_number": "01.000001",
    }
    assert api.get("/api/v1/members", {"org": "C2"}).json()["count"] == 2
    assert api.get("/api/v1/members", {"org": "C1", "status": "probationary"}).json()["items"][0][
        "full_name"
    ] == ("Trần Thị Dung")
    assert api.get("/api/v1/members", {"q": "010080000001"}).json()["count"] == 1
    assert api.get("/api/v1/members", {"org": "C1", "as_of": "2009-12-31"}).json()["count"] == 0
    # on 01/01/2012: Đức, An, Ánh (Hòa joined in 2015, Dung in 2025)
    assert api.get("/api/v1/members", {"org": "C1", "as_of": "2012-01-01"}).json()["count"] == 3
    assert (
        api.get("/api/v1/members", {"org": "NOPE"}).status_code == 404
    )  # like the page: unknown or out of scope


def test_detail_create_update_and_events(api, people, tree):
    duc = people["duc"]
    body = api.get(f"/api/v1/members/{duc.pk}").json()
    assert body["memberships"][0]["org"] == "C1-T1" and body["status_history"][-1]["status"] == "official"
    r = api.post(
        "/api/v1/members",
        {
            "org": "C1-T2",
            "full_name": "Lê Văn Bình",
            "sex": "nam",
            "birth_date": "1990-01-01",
            "admitted_on": "2005-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "khi đó mới 15 tuổi" in r.json()["errors"]["admitted_on"]
    r = api.post(
        "/api/v1/members",
        {
            "org": "C1-T2",
            "full_name": "Lê Văn Bình",
            "sex": "nam",
            "birth_date": "1980-01-01",
            "admitted_on": "2005-01-01",
            "card_number": "01.000001",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "Nguyễn Văn Đức" in r.json()["errors"]["card_number"]
    r = api.post(
        "/api/v1/members",
        {
            "org": "C1-T2",
            "full_name": "Lê Văn Bình",
            "sex": "nam",
            "birth_date": "1980-01-01",
            "admitted_on": "2005-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["org"] == "C1-T2" and r.json()["status"] == "probationary"
    r = api.patch(
        f"/api/v1/members/{duc.pk}",
        {"phone": "0912", "home_town": "Văn Bàn"},
        content_type="application/json",
    )
    assert r.json()["phone"] == "0912" and r.json()["home_town"] == "Văn Bàn"
    r = api.post(
        f"/api/v1/members/{duc.pk}/events",
        {"kind": "exempt", "on": "2026-01-05"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = api.post(
        f"/api/v1/members/{duc.pk}/events",
        {
            "kind": "transfer",
            "to_org": "C2-T1",
            "reason": "Chuyển nơi ở",
            "event_on": "2026-02-02",
            "letter_on": "2026-02-10",
        },
        content_type="application/json",
    )
    transfer = r.json()["transfers"][0]
    assert transfer["state"] == "pending" and transfer["present_deadline"] == "2026-03-31"
    r = api.post(
        f"/api/v1/members/transfers/{transfer['id']}/receive",
        {"on": "2026-03-02"},
        content_type="application/json",
    )
    assert r.json()["org"] == "C2-T1"


def test_out_of_scope_is_404(client, people, tree, django_user_model, admin_user):
    sec = django_user_model.objects.create_user("bithu", password="x-very-long-pass")
    grant_create(user=sec, organisation=tree["C2-T1"], role="secretary", by=admin_user)
    client.force_login(sec)
    assert client.get(f"/api/v1/members/{people['duc'].pk}").status_code == 404
    assert client.get(f"/api/v1/members/{people['khe'].pk}").status_code == 200
    assert client.get("/api/v1/members").json()["count"] == 2
    r = client.patch(f"/api/v1/members/{people['duc'].pk}", {"phone": "1"}, content_type="application/json")
    assert r.status_code == 404
