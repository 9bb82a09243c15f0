import pytest
from django.core.management import call_command

from dangvu.accounts.services import grant_create, token_create
from dangvu.organizations.models import Organisation, OrgEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, admin_user):
    client.force_login(admin_user)
    return client


def test_list_filters_and_shape(api, tree):
    body = api.get("/api/v1/organisations", {"q": "khanh yen"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == item | {
        "code": "C1",
        "name": "Đảng bộ xã Khánh Yên",
        "type": "dbcs-xa",
        "kind": "committee",
        "parent": "D",
        "established_on": "2010-01-01",
        "closed_on": None,
    }
    assert {i["code"] for i in api.get("/api/v1/organisations", {"parent": "C1"}).json()["items"]} == {
        "C1-T1",
        "C1-T2",
    }
    assert api.get("/api/v1/organisations", {"ancestor": "D"}).json()["count"] == 6
    assert api.get("/api/v1/organisations", {"ancestor": "D", "kind": "cell"}).json()["count"] == 4
    assert api.get("/api/v1/organisations", {"type": "cbtt-thon"}).json()["count"] == 3
    page = api.get("/api/v1/organisations", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 8 and len(page["items"]) == 2


def test_non_ascii_is_not_escaped(api, tree):
    raw = api.get("/api/v1/organisations/C1").content.decode()
    assert "Đảng bộ xã Khánh Yên" in raw


def test_merge_through_the_api_then_as_of_and_history(api, tree):
    body = {
        "kind": "merge",
        "decision_number": "Số 1258-QĐ/TU",
        "effective_on": "2025-07-01",
        "issuer": "Ban Thường vụ Tỉnh ủy",
        "sources": ["C1", "C2"],
        "new_target": {"code": "X", "name": "Đảng bộ xã Văn Bàn", "type": "xa", "parent": "P"},
    }
    preview = api.post("/api/v1/organisations/decisions", body, content_type="application/json")
    assert preview.status_code == 201  # not a dry run
    r = preview.json()
    assert r["event"]["decision_number"] == "1258-QĐ/TU"
    assert any("Hợp nhất 2 tổ chức" in line for line in r["changes"])
    before = api.get("/api/v1/organisations", {"ancestor": "D", "as_of": "2025-06-30"}).json()
    assert {"C1", "C2"} <= {i["code"] for i in before["items"]}
    assert api.get("/api/v1/organisations", {"parent": "X"}).json()["count"] == 3
    hist = api.get("/api/v1/organisations/C1/history").json()
    assert [s["code"] for s in hist["successors"]] == ["X"]
    assert hist["organisation"]["closed_on"] == "2025-06-30"


def test_dry_run_writes_nothing(api, tree):
    n = OrgEvent.objects.count()
    r = api.post(
        "/api/v1/organisations/decisions",
        {
            "kind": "dissolve",
            "decision_number": "5-QĐ/HU",
            "effective_on": "2024-01-01",
            "org": "C2-T1",
            "dry_run": True,
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["dry_run"] is True
    assert OrgEvent.objects.count() == n and Organisation.objects.get(code="C2-T1").closed_on is None


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "establish", "parent": "NOPE", "type": "cbtt-thon", "code": "N1", "name": "x"}, "parent"),
        ({"kind": "establish", "parent": "C1", "type": "cbtt-thon", "code": "C1-T1", "name": "x"}, "code"),
        ({"kind": "establish", "parent": "P", "type": "cbtt-thon", "code": "N1", "name": "x"}, "type"),
        ({"kind": "move", "org": "D", "new_parent": "C1"}, "new_parent"),
        ({"kind": "merge", "sources": ["C1", "C2"], "target": "C1"}, "target"),
        ({"kind": "rename", "org": "C1", "name": "x", "decision_number": "12/QĐ-UBND"}, "decision_number"),
        ({"kind": "rename", "org": "C1", "name": "x", "effective_on": "2000-01-01"}, "effective_on"),
    ],
)
def test_bad_input_is_a_400_with_a_field_message_and_nothing_written(api, tree, body, field):
    payload = {"decision_number": "Số 3-QĐ/TU", "effective_on": "2024-01-01", **body}
    n = OrgEvent.objects.count()
    r = api.post("/api/v1/organisations/decisions", payload, content_type="application/json")
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"] and r.json()["detail"]
    assert OrgEvent.objects.count() == n


def test_schema_errors_are_422_in_the_same_shape(api, tree):
    r = api.post("/api/v1/organisations/decisions", {"kind": "merge"}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"]["decision_number"] == "Trường này là bắt buộc."


def test_token_auth_and_scope(client, tree, django_user_model):
    user = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1")
    grant_create(user=user, organisation=tree["C1"], role="viewer", by=None)
    _, raw = token_create(user=user, name="script", by=None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = client.get("/api/v1/organisations", **auth).json()
    assert {i["code"] for i in body["items"]} == {"C1", "C1-T1", "C1-T2"}
    assert client.get("/api/v1/organisations/C2", **auth).status_code == 404
    assert client.get("/api/v1/organisations/C2/history", **auth).status_code == 404
    assert client.get("/api/v1/organisations", {"ancestor": "D"}, **auth).status_code == 404
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_create_token_command_prints_the_token_last(tree, admin_user, client, capsys):
    call_command("create_token", admin_user.username)
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert client.get("/api/v1/organisations/P", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_openapi_schema_lists_the_contract(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/organisations",
        "/api/v1/organisations/{code}",
        "/api/v1/organisations/{code}/history",
        "/api/v1/organisations/{code}/subtree",
        "/api/v1/organisations/decisions",
    ):
        assert p in paths
