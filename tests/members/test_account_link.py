"""Accounts linked to members: set by officers (suggested by card number, citizen ID, e-mail or name), audited, one
account per member; in-app notices go through the link."""

import pytest

from dangvu.accounts import services as asvc
from dangvu.core.models import AuditEntry
from dangvu.members.models import Member
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(django_user_model):
    mk = django_user_model.objects.create_user
    return {
        "card": mk("01.000001", password="mat-khau-rat-dai-1"),
        "cccd": mk("010080000001", password="mat-khau-rat-dai-1"),
        "name": mk("duc.nv", password="mat-khau-rat-dai-1", first_name="Đức", last_name="Nguyễn Văn"),
        "other": mk("hoa.dt", password="mat-khau-rat-dai-1", first_name="Hòa", last_name="Đặng Thị"),
    }


def test_the_member_page_suggests_matching_accounts_and_an_officer_links_one(client, admin_user, tree, people,  # noqa: F811
                                                                              accounts):  # fmt: skip
    duc = people["duc"]
    client.force_login(admin_user)
    html = client.get(f"/members/{duc.pk}/").content.decode()
    form = html.split('id="account-form"', 1)[1].split("</form>", 1)[0]
    assert "«01.000001»" in form and "tên đăng nhập là số thẻ đảng viên" in form
    assert "«010080000001»" in form and "tên đăng nhập là số CCCD" in form
    assert "«duc.nv» (Nguyễn Văn Đức; cùng họ tên)" in form
    assert "hoa.dt" not in form
    r = client.post(f"/members/{duc.pk}/account/", {"username": "01.000001"})
    assert r.status_code == 302 and Member.objects.get(pk=duc.pk).account == accounts["card"]
    entry = AuditEntry.objects.get(action="member.account_link")
    assert entry.before == {"account": None} and entry.after == {"account": "01.000001"}
    # one account, one member
    r = client.post(f"/members/{people['hoa'].pk}/account/", {"username": "01.000001"}, follow=True)
    assert "đã liên kết với đảng viên Nguyễn Văn Đức" in r.content.decode()
    r = client.post(f"/members/{people['hoa'].pk}/account/", {"username": "khong-co"}, follow=True)
    assert "Không có tài khoản «khong-co» đang hoạt động." in r.content.decode()
    client.post(f"/members/{duc.pk}/account/", {"unlink": "1"})
    assert Member.objects.get(pk=duc.pk).account is None
    assert AuditEntry.objects.filter(action="member.account_unlink").count() == 1


def test_a_secretary_may_not_link_accounts(client, django_user_model, tree, people, accounts):  # noqa: F811
    sec = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=sec, organisation=tree["C1-T1"], role="secretary", by=None)
    client.force_login(sec)
    assert 'id="account-form"' not in client.get(f"/members/{people['duc'].pk}/").content.decode()
    assert client.post(f"/members/{people['duc'].pk}/account/", {"username": "01.000001"}).status_code == 403
    assert Member.objects.get(pk=people["duc"].pk).account is None


def test_an_officer_links_only_accounts_of_their_own_scope(client, django_user_model, tree, people):  # noqa: F811
    from dangvu.members import services as msvc

    officer = django_user_model.objects.create_user("off1", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=officer, organisation=tree["C1"], role="officer", by=None)
    elsewhere = django_user_model.objects.create_user("nvduc.volao", first_name="Đức", last_name="Nguyễn Văn")
    asvc.grant_create(user=elsewhere, organisation=tree["C2"], role="officer", by=None)
    django_user_model.objects.create_superuser("root.duc", "r@x.vn", "p", first_name="Đức", last_name="Nguyễn Văn")
    taken = django_user_model.objects.create_user("pao.ga")
    msvc.account_link(by=django_user_model.objects.get(username="root.duc"), member=people["khe"], username="pao.ga")
    client.force_login(officer)
    html = client.get(f"/members/{people['duc'].pk}/").content.decode()
    assert "nvduc.volao" not in html and "root.duc" not in html  # no names from outside the scope
    for username in ("nvduc.volao", "root.duc"):
        r = client.post(f"/members/{people['duc'].pk}/account/", {"username": username}, follow=True)
        assert f"Không có tài khoản «{username}» đang hoạt động." in r.content.decode()
    r = client.post(f"/members/{people['duc'].pk}/account/", {"username": "pao.ga"}, follow=True)
    assert "đã liên kết với một đảng viên khác" in r.content.decode() and "Giàng A Páo" not in r.content.decode()
    assert Member.objects.get(pk=people["duc"].pk).account is None and taken.member.pk == people["khe"].pk
