import pytest
from django.urls import reverse

from dangvu.accounts.services import grant_create
from dangvu.organizations.models import Organisation

pytestmark = pytest.mark.django_db


def test_login_required(client, tree):
    r = client.get(reverse("organizations:tree"))
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_search_without_diacritics(client, admin_user, tree):
    client.force_login(admin_user)
    html = client.get(reverse("organizations:tree"), {"q": "dong tam"}).content.decode()
    assert "Chi bộ thôn Đồng Tâm" in html and "Nà Lộc" not in html


def test_children_partial_queries_do_not_grow_with_rows(client, admin_user, tree, types):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangvu.organizations import services as svc
    from tests.conftest import decision

    client.force_login(admin_user)
    url = reverse("organizations:children", args=["C1"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        return len(ctx.captured_queries), html.count('class="org-node"')

    few = count()
    for i in range(20):
        svc.org_establish(
            by=admin_user,
            spec=svc.NewOrg(f"C1-N{i}", f"Chi bộ thôn số {i}", types["cbtt-thon"], tree["C1"]),
            decision=decision(),
        )
    many = count()
    assert (few[1], many[1]) == (2, 22)
    assert (
        many[0] == few[0] <= 11
    )  # session, user, 2FA device, grants, rows, counts, members per row, secretaries…


def test_out_of_scope_pages_are_404(client, tree, django_user_model):
    user = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1")
    grant_create(user=user, organisation=tree["C1"], role="secretary", by=None)
    client.force_login(user)
    assert client.get(reverse("organizations:detail", args=["C1-T1"])).status_code == 200
    for name in ("detail", "history", "children"):
        assert client.get(reverse(f"organizations:{name}", args=["C2"])).status_code == 404
    html = client.get(reverse("organizations:tree"), {"q": "chi bo"}).content.decode()
    assert "Nà Lộc" in html and "Khe Bàn" not in html


def test_merge_through_the_pages_with_confirmation(client, admin_user, tree):
    client.force_login(admin_user)
    url = reverse("organizations:decision", args=["merge"])
    form = {
        "decision_number": "Số 77-QĐ/HU",
        "effective_on": "01/03/2024",
        "issuer": "BTV Huyện ủy",
        "sources": "C2",
        "target": "C1",
    }
    r = client.post(url, form)
    assert "Xác nhận" in r.content.decode() and "chấm dứt hoạt động ngày 29/02/2024" in r.content.decode()
    assert Organisation.objects.get(code="C2").closed_on is None  # the preview wrote nothing
    r = client.post(url, {**form, "confirm": "1"})
    assert r.status_code == 302
    assert str(Organisation.objects.get(code="C2").closed_on) == "2024-02-29"


def test_page_errors_are_next_to_the_field_and_keep_the_input(client, admin_user, tree):
    client.force_login(admin_user)
    r = client.post(
        reverse("organizations:decision", args=["move"]),
        {"decision_number": "Số 1-QĐ/HU", "effective_on": "01/03/2024", "org": "D", "new_parent": "C1"},
    )
    html = r.content.decode()
    assert "Không thể chuyển «Đảng bộ huyện Đồi Núi» vào chính nó" in html
    assert 'value="Số 1-QĐ/HU"' in html
