"""Granting roles, accounts, tokens, and the audit log: the rules a user meets on the access and audit pages."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from dangvu.accounts import services as asvc
from dangvu.accounts.models import ApiToken, RoleGrant
from dangvu.core.errors import DomainError, NotFound
from dangvu.core.models import AppendOnly, AuditEntry
from dangvu.organizations.services import ERR_ORG_UNKNOWN, Forbidden
from tests.conftest import VerifiedClient
from tests.jobs.helpers import export


@pytest.fixture
def staff(tree, django_user_model):
    """officer and secretary of commune C1, inspector of C1, an administrator of the district, a newcomer."""
    out = {}
    for name, org, role in (
        ("officer", "C1", "officer"),
        ("secretary", "C1", "secretary"),
        ("inspector", "C1", "inspector"),
        ("district", "D", "admin"),
    ):
        u = django_user_model.objects.create_user(name, password="mat-khau-rat-dai-1")
        asvc.grant_create(user=u, organisation=tree[org], role=role, by=None)
        out[name] = u
    out["new"] = django_user_model.objects.create_user("moi", password="mat-khau-rat-dai-1")
    return out


def web(user, verified=True):
    c = VerifiedClient()
    c.force_login(user, verified=verified)
    return c


def test_officer_grants_below_and_nowhere_else(tree, staff):
    officer, new = staff["officer"], staff["new"]
    g = asvc.grant_create(user=new, organisation=tree["C1-T1"], role="secretary", by=officer)
    assert g.org_path == tree["C1-T1"].path and g.granted_by == officer

    with pytest.raises(NotFound):  # C2 is not the officer's: as if it did not exist
        asvc.grant_create(user=new, organisation=tree["C2-T1"], role="viewer", by=officer)
    refused = AuditEntry.objects.get(action="grant.refused", user=officer)
    assert refused.after["org"] == "C2-T1" and refused.after["user"] == "moi"

    with pytest.raises(Forbidden) as e:  # administrators only
        asvc.grant_create(user=new, organisation=tree["C1-T1"], role="admin", by=officer)
    assert e.value.errors == {"role": asvc.ERR_ADMIN_ONLY}
    with pytest.raises(Forbidden):  # a secretary manages members, not access
        asvc.grant_create(user=new, organisation=tree["C1-T2"], role="viewer", by=staff["secretary"])
    with pytest.raises(Forbidden) as e:
        asvc.grant_create(user=officer, organisation=tree["C1-T1"], role="viewer", by=officer)
    assert "username" in e.value.errors
    with pytest.raises(DomainError) as e:
        asvc.grant_create(user=new, organisation=tree["C1-T1"], role="secretary", by=officer)
    assert "đã có" in e.value.errors["role"]
    assert (
        AuditEntry.objects.filter(action__endswith="refused", user__in=[officer, staff["secretary"]]).count()
        == 4
    )
    assert RoleGrant.objects.filter(user=new).count() == 1


def test_ended_grant_stops_access_at_once(tree, staff, people):
    g = asvc.grant_create(user=staff["new"], organisation=tree["C1-T1"], role="viewer", by=staff["officer"])
    c = web(staff["new"])
    assert c.get(f"/members/{people['duc'].pk}/").status_code == 200
    c.post(f"/access/grants/{g.pk}/end/", {})  # the newcomer cannot end grants: 404 for them
    assert c.get(f"/members/{people['duc'].pk}/").status_code == 200
    r = web(staff["officer"]).post(f"/access/grants/{g.pk}/end/", {})
    assert r.status_code == 302
    assert c.get(f"/members/{people['duc'].pk}/").status_code == 404
    g.refresh_from_db()
    assert g.valid_to is not None  # kept as history
    assert AuditEntry.objects.filter(action="grant.end", object_id=str(g.pk)).exists()


def test_access_page_creates_an_account_with_its_first_grant(tree, staff):
    c = web(staff["officer"])
    html = c.get("/access/").content.decode()
    assert "secretary" in html and "district" not in html  # the district grant is above the officer
    data = {
        "form": "user",
        "u-username": "bithu.t1",
        "u-full_name": "Nguyễn Thị Lan",
        "u-email": "",
        "u-password": "123456",
        "u-org": "C1-T1",
        "u-role": "secretary",
    }
    html = c.post("/access/", data).content.decode()
    assert "Mật khẩu" in html and "quá ngắn" in html  # Django's password rules, in Vietnamese
    assert not RoleGrant.objects.filter(user__username="bithu.t1").exists()
    r = c.post("/access/", data | {"u-password": "hoa-ban-no-trang-doi"})
    assert r.status_code == 302 and r["Location"] == "/access/users/bithu.t1/"
    g = RoleGrant.objects.get(user__username="bithu.t1")
    assert (g.organisation.code, g.role, g.granted_by) == ("C1-T1", "secretary", staff["officer"])
    assert g.user.first_name == "Lan" and g.user.last_name == "Nguyễn Thị"
    # another organisation's code in the form: a field error, nothing written, the attempt logged
    r = c.post(
        "/access/", data | {"u-username": "x.y.z", "u-org": "C2-T1", "u-password": "hoa-ban-no-trang-doi"}
    )
    assert ERR_ORG_UNKNOWN.format(code="C2-T1") in r.content.decode()
    assert not RoleGrant.objects.filter(user__username="x.y.z").exists()
    assert AuditEntry.objects.filter(
        action="access.denied", object_id="C2-T1", user=staff["officer"]
    ).exists()


def test_grant_command(tree, staff):
    out = io.StringIO()
    call_command("grant", "moi", "c2-t1", "viewer", stdout=out)
    assert "Đã cấp" in out.getvalue()
    assert RoleGrant.objects.filter(user=staff["new"], organisation=tree["C2-T1"], role="viewer").exists()
    with pytest.raises(CommandError, match="Không có tổ chức"):
        call_command("grant", "moi", "KHONG", "viewer")
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("grant", "ai-do", "C1", "viewer")


def test_tokens_are_shown_once_and_revoked_for_good(tree, staff, people):
    c = web(staff["secretary"])
    html = c.post("/account/", {"name": "báo cáo"}).content.decode()
    token = ApiToken.objects.get(user=staff["secretary"])
    raw = html.split('class="user-select-all">')[1].split("<")[0]
    assert raw.startswith(token.prefix) and token.key_hash != raw
    assert raw not in c.get("/account/").content.decode()  # only once
    from django.test import Client

    bot = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bot.get(f"/api/v1/members/{people['duc'].pk}").status_code == 200
    assert c.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert bot.get(f"/api/v1/members/{people['duc'].pk}").status_code == 401
    assert AuditEntry.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()


def test_a_manager_revokes_someone_elses_token_only_within_reach(tree, staff):
    t, _ = asvc.token_create(user=staff["secretary"], name="x", by=None)
    with pytest.raises(Forbidden):  # the inspector manages no access
        asvc.token_revoke(token=t, by=staff["inspector"])
    asvc.token_revoke(token=t, by=staff["officer"])
    t.refresh_from_db()
    assert t.revoked_at is not None
    t2, _ = asvc.token_create(user=staff["district"], name="y", by=None)
    with pytest.raises(Forbidden):  # the district administrator works above the commune officer
        asvc.token_revoke(token=t2, by=staff["officer"])


def test_audit_log_is_append_only(tree):
    e = AuditEntry.objects.first()
    with pytest.raises(AppendOnly):
        e.save()
    with pytest.raises(AppendOnly):
        e.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=e.pk).update(action="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


def test_audit_browse_is_scoped_filtered_and_exported(tree, staff, people, admin_user):
    c = web(staff["inspector"])
    c.get(f"/members/{people['duc'].pk}/")  # a sensitive read, by the inspector
    html = c.get("/audit/").content.decode()
    assert "Nguyễn Văn Đức" in html and "Giàng A Páo" not in html  # C2's member is not the inspector's
    html = c.get("/audit/", {"object_type": "members.member", "object_id": people["hoa"].pk}).content.decode()
    assert "Đặng Thị Hòa" in html and "Nguyễn Văn Đức" not in html
    html = c.get("/audit/", {"user": "inspector", "action": "member.view"}).content.decode()
    assert "Xem lý lịch đảng viên" in html and "Ghi đảng viên mới" not in html
    assert c.get("/audit/", {"org": "C2"}).status_code == 404
    assert web(staff["secretary"]).get("/audit/").status_code == 403

    ws = load_workbook(io.BytesIO(export(c, "/audit/export.xlsx", {"action": "member.create"}))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Thời gian", "Người thực hiện", "Địa chỉ IP", "Hành động")
    names = {row[6] for row in rows[1:]}
    assert names == {"Nguyễn Văn Đức", "Đặng Thị Hòa", "Lò Văn An", "Trần Thị Dung", "Phạm Minh Ánh"}
    assert rows[1][1] == admin_user.username and '"full_name"' in rows[1][8]
    done = AuditEntry.objects.get(action="audit.export")
    assert done.user == staff["inspector"] and done.after["rows"] == 5


def test_member_edit_is_audited_with_before_and_after(tree, people, staff):
    c = web(staff["secretary"])
    m = people["duc"]
    data = {f: getattr(m, f) for f in ("full_name", "sex", "ethnicity")}
    r = c.get(f"/members/{m.pk}/edit/")
    assert r.status_code == 200
    assert web(staff["inspector"]).get(f"/members/{m.pk}/edit/").status_code == 403
    entry_count = AuditEntry.objects.filter(action="member.update").count()
    from dangvu.members import services as msvc

    msvc.member_update(by=staff["secretary"], member=m, data={**data, "phone": "0987654321"})
    e = AuditEntry.objects.filter(action="member.update").latest("id")
    assert AuditEntry.objects.filter(action="member.update").count() == entry_count + 1
    assert (
        e.user == staff["secretary"]
        and e.after["phone"] == "0987654321"
        and e.before["phone"] != "0987654321"
    )


def test_scope_inside_one_grant_is_one_prefix_condition(tree, people, add, django_user_model):
    from dangvu.members.selectors import members_visible

    u = django_user_model.objects.create_user("hai-chi-bo")
    for code in ("C1-T1", "C2-T1"):
        asvc.grant_create(user=u, organisation=tree[code], role="viewer", by=None)
    add("C1-T2", full_name="Ma Văn Khoa")  # in C1, but not in a granted cell
    inside = members_visible(u, tree["C1-T1"])
    assert str(inside.query).count("LIKE") == 1  # the grant covers it: no condition per grant
    assert {m.full_name for m in inside} == {
        "Nguyễn Văn Đức",
        "Đặng Thị Hòa",
        "Lò Văn An",
        "Trần Thị Dung",
        "Phạm Minh Ánh",
    }
    wider = members_visible(u, tree["C1"])  # wider than the grant: the grants still apply
    assert "Ma Văn Khoa" not in {m.full_name for m in wider} and wider.count() == 5
    assert set(members_visible(u, tree["A"])) == set()
    assert {m.full_name for m in members_visible(u)} >= {"Giàng A Páo", "Nguyễn Văn Đức"}
