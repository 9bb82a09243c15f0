"""Decisions recorded ahead of their date: issued in June, in force on 1 July. Recorded and shown as pending, the tree
on a future date shows them, they take effect on their date with no further action (the first request of the day),
and cancelling one is itself recorded."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from dangvu.core.dates import today
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.models import AuditEntry, Notification
from dangvu.members.models import Member
from dangvu.organizations import ahead
from dangvu.organizations import services as svc
from dangvu.organizations.models import AheadState, Organisation, OrgEvent, PendingDecision
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

IN_10 = today() + dt.timedelta(days=10)


def rename(code="C1-T1", name="Chi bộ thôn Nà Lộc Mới", on=IN_10, number="Số 40-QĐ/ĐU") -> dict:
    return {"kind": "rename", "decision_number": number, "effective_on": on, "org": code, "name": name}


def merge(on=IN_10) -> dict:
    return {"kind": "merge", "decision_number": "Số 41-QĐ/ĐU", "effective_on": on,
            "sources": ["Chi bộ thôn Đồng Tâm (C1-T2)"], "target": "C1-T1"}  # fmt: skip


@pytest.fixture
def travel(monkeypatch):
    """Move the clock to a day (09:00 in Hà Nội), as every `today()` and the middleware will see it."""

    def _to(d: dt.date):
        moment = timezone.make_aware(dt.datetime.combine(d, dt.time(9, 0)))
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return _to


def test_a_decision_dated_ahead_is_recorded_as_pending_and_changes_nothing_yet(admin_user, tree):
    p = ahead.record(by=admin_user, data=rename())
    assert p.state == AheadState.PENDING and p.effective_on == IN_10
    assert any("Chi bộ thôn Nà Lộc Mới" in line for line in p.lines)
    assert Organisation.objects.get(code="C1-T1").name == "Chi bộ thôn Nà Lộc"
    assert not OrgEvent.objects.filter(decision_number="40-QĐ/ĐU").exists()
    assert AuditEntry.objects.filter(action="org.decision_pending", object_id=str(tree["C1-T1"].pk)).exists()
    # executing it now, by any other door, is refused
    from dangvu.organizations.decisions import build_plan

    with pytest.raises(DomainError) as e:
        build_plan(admin_user, rename(number="Số 42-QĐ/ĐU", name="Khác"))
    assert "chờ hiệu lực ngày" in e.value.message and "hãy hủy quyết định đó" in e.value.message


def test_it_takes_effect_on_its_date_at_the_first_request(client, admin_user, tree, people, add, travel):  # noqa: F811
    far = add("C1-T2", full_name="Hoàng Văn Xa")
    p = ahead.record(by=admin_user, data=merge())
    client.force_login(admin_user)
    travel(IN_10 - dt.timedelta(days=1))
    client.get("/")
    assert Organisation.objects.get(code="C1-T2").closed_on is None
    travel(IN_10)
    client.force_login(admin_user)  # (ten days on, the session has expired)
    html = client.get("/members/", {"org": "C1-T1"}).content.decode()  # the first page of the day
    assert "Hoàng Văn Xa" in html  # lists switch that day
    p.refresh_from_db()
    assert p.state == AheadState.APPLIED and p.event.effective_on == IN_10
    assert p.event.recorded_by == admin_user  # recorded by whoever entered it, not by a machine
    assert Organisation.objects.get(code="C1-T2").closed_on == IN_10 - dt.timedelta(days=1)
    assert Member.objects.get(pk=far.pk).org.code == "C1-T1"
    assert AuditEntry.objects.filter(action="org.decision_applied").exists()


def test_the_tree_on_a_future_date_shows_it_and_today_is_untouched(client, admin_user, tree):
    ahead.record(by=admin_user, data=rename())
    client.force_login(admin_user)
    html = client.get("/organisations/C1/children/", {"as_of": IN_10.isoformat()}).content.decode()
    assert "Chi bộ thôn Nà Lộc Mới" in html
    html = client.get("/organisations/C1/children/", {"as_of": (IN_10 - dt.timedelta(days=1)).isoformat()})
    assert "Chi bộ thôn Nà Lộc Mới" not in html.content.decode()
    page = client.get("/organisations/", {"as_of": IN_10.strftime("%d/%m/%Y")}).content.decode()
    assert 'id="projection"' in page and "Số 40-QĐ/ĐU" in page
    assert Organisation.objects.get(code="C1-T1").name == "Chi bộ thôn Nà Lộc"  # the projection was rolled back
    assert PendingDecision.objects.get().state == AheadState.PENDING
    assert not OrgEvent.objects.filter(decision_number="40-QĐ/ĐU").exists()
    r = client.get("/api/v1/organisations", {"parent": "C1", "as_of": IN_10.isoformat()})
    assert "Chi bộ thôn Nà Lộc Mới" in [o["name"] for o in r.json()["items"]]


def test_cancelling_is_recorded_and_the_decision_never_takes_effect(client, admin_user, tree, travel):
    p = ahead.record(by=admin_user, data=rename())
    client.force_login(admin_user)
    r = client.post(f"/organisations/decisions/pending/{p.pk}/", {"reason": "", "number": ""})
    assert "Trường này là bắt buộc" in r.content.decode() or "Hãy nhập lý do" in r.content.decode()
    r = client.post(f"/organisations/decisions/pending/{p.pk}/",
                    {"reason": "Ban Thường vụ rút lại để xem xét thêm", "number": "Số 45-QĐ/ĐU"})  # fmt: skip
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.state == AheadState.CANCELLED and p.cancelled_by == admin_user and p.cancel_number == "45-QĐ/ĐU"
    assert AuditEntry.objects.filter(action="org.decision_cancelled").count() == 1
    with pytest.raises(Conflict):
        ahead.cancel(by=admin_user, pending=p, reason="lần nữa")
    travel(IN_10 + dt.timedelta(days=1))
    client.force_login(admin_user)
    client.get("/")
    assert Organisation.objects.get(code="C1-T1").name == "Chi bộ thôn Nà Lộc"
    assert "Đã hủy" in client.get(f"/organisations/decisions/pending/{p.pk}/").content.decode()
    # and the organisation is free again for another decision
    ahead.record(by=admin_user, data=rename(on=IN_10 + dt.timedelta(days=5), number="Số 46-QĐ/ĐU"))


def test_one_pending_decision_per_organisation_and_its_new_codes_are_reserved(admin_user, tree):
    ahead.record(by=admin_user, data={
        "kind": "establish", "decision_number": "Số 50-QĐ/ĐU", "effective_on": IN_10, "code": "C1-T9",
        "name": "Chi bộ thôn Mới", "type": "cbtt-thon", "parent": "C1"})  # fmt: skip
    # a second establishment under the same commune is fine (the parent is not changed by the first)...
    ahead.record(by=admin_user, data={
        "kind": "establish", "decision_number": "Số 51-QĐ/ĐU", "effective_on": IN_10, "code": "C1-T8",
        "name": "Chi bộ thôn Mới Hai", "type": "cbtt-thon", "parent": "C1"})  # fmt: skip
    # ...but the code waiting for 'Chi bộ thôn Mới' cannot be given to anyone else meanwhile
    with pytest.raises(DomainError) as e:
        svc.org_establish(by=admin_user, spec=svc.NewOrg("C1-T9", "Khác", tree["C1-T1"].type, tree["C1"]),
                          decision=svc.Decision("Số 52-QĐ/ĐU", today()))  # fmt: skip
    assert e.value.message == svc.ERR_CODE_RESERVED.format(code="C1-T9")  # which decision is not said
    # a decision in force today about an organisation with a pending one is refused too
    ahead.record(by=admin_user, data=rename())
    with pytest.raises(DomainError) as e:
        svc.org_rename(by=admin_user, org=tree["C1-T1"], new_name="Tên khác", decision=svc.Decision("Số 53-QĐ/ĐU", today()))
    assert "Chi bộ thôn Nà Lộc" in e.value.message and "chờ hiệu lực" in e.value.message


def test_recorded_twice_is_one_decision_and_too_far_ahead_is_refused(admin_user, tree):
    ahead.record(by=admin_user, data=rename())
    with pytest.raises(DomainError):  # a double click: the organisation already has it pending
        ahead.record(by=admin_user, data=rename())
    assert PendingDecision.objects.count() == 1
    with pytest.raises(DomainError) as e:
        ahead.record(by=admin_user, data=rename(code="C1-T2", on=today() + dt.timedelta(days=400)))
    assert "quá xa" in e.value.errors["effective_on"]
    with pytest.raises(DomainError) as e:
        ahead.record(by=admin_user, data=rename(code="C1-T2", on=today()))
    assert e.value.message == ahead.ERR_NOT_AHEAD


def test_one_that_cannot_take_effect_is_marked_and_its_recorder_told(admin_user, tree, travel):
    p = ahead.record(by=admin_user, data=rename())
    # the organisation was closed behind the system's back (an import, an administrator's fix)
    Organisation.objects.filter(code="C1-T1").update(closed_on=today())
    travel(IN_10)
    out = ahead.apply_due()
    assert [(x.pk, bool(why)) for x, why in out] == [(p.pk, True)]
    p.refresh_from_db()
    assert p.state == AheadState.FAILED and "đã chấm dứt hoạt động" in p.failure
    note = Notification.objects.get(user=admin_user)
    assert "không thể có hiệu lực" in note.title and note.body == p.failure


def test_the_command_applies_what_is_due(admin_user, tree, travel, capsys):
    ahead.record(by=admin_user, data=rename())
    travel(IN_10)
    call_command("apply_decisions")
    assert "1/1 quyết định đã có hiệu lực" in capsys.readouterr().out
    assert Organisation.objects.get(code="C1-T1").name == "Chi bộ thôn Nà Lộc Mới"


def test_the_api_records_ahead_with_202_and_lists_and_cancels(client, admin_user, tree):
    client.force_login(admin_user)
    body = {**rename(), "effective_on": IN_10.isoformat()}
    r = client.post("/api/v1/organisations/decisions", body, content_type="application/json")
    assert r.status_code == 202, r.content
    pending = r.json()["pending"]
    assert pending["state"] == "pending" and pending["organisations"] == [{"code": "C1-T1", "name": "Chi bộ thôn Nà Lộc"}]
    assert client.get("/api/v1/organisations/decisions/pending?state=pending").json()["count"] == 1
    r = client.post(f"/api/v1/organisations/decisions/pending/{pending['id']}/cancel", {"reason": ""},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ahead.ERR_REASON
    r = client.post(f"/api/v1/organisations/decisions/pending/{pending['id']}/cancel", {"reason": "Rút lại"},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "cancelled"


@pytest.fixture
def officers(django_user_model, tree):
    """Officers of communes C1 and C2, and of the district above both."""
    from dangvu.accounts import services as asvc

    out = {}
    for name, code in (("off1", "C1"), ("off2", "C2"), ("offD", "D")):
        out[name] = django_user_model.objects.create_user(name, password="mat-khau-rat-dai-1")
        asvc.grant_create(user=out[name], organisation=tree[code], role="officer", by=None)
    return out


def test_the_same_number_in_two_communes_is_two_decisions(officers, tree):
    ahead.record(by=officers["off1"], data=rename("C1-T1", "Tên mới một", number="Số 40-QĐ/ĐU"))
    p = ahead.record(by=officers["off2"], data=rename("C2-T1", "Tên mới hai", number="Số 40-QĐ/ĐU"))
    assert p.state == AheadState.PENDING and PendingDecision.objects.count() == 2


def test_on_its_date_a_decision_acts_only_where_its_recorder_had_authority(officers, tree, travel):
    p = ahead.record(by=officers["off1"], data=rename("C1-T1", "Tên do xã Khánh Yên đặt"))
    assert p.authority == [tree["C1"].pk]
    # meanwhile the district merges the commune into the other one (the cell moves with it, unchanged itself)
    svc.org_merge(by=officers["offD"], sources=[tree["C1"]], target=tree["C2"], decision=svc.Decision("Số 7-QĐ/HU", today()))
    assert Organisation.objects.get(code="C1-T1").parent.code == "C2"
    travel(IN_10)
    [(done, why)] = ahead.apply_due()
    assert "không còn thuộc tổ chức mà người ghi quyết định được giao quyền" in why
    assert Organisation.objects.get(code="C1-T1").name == "Chi bộ thôn Nà Lộc"


def test_a_name_too_long_is_refused_when_recorded_not_on_its_date(admin_user, tree):
    with pytest.raises(DomainError) as e:
        ahead.record(by=admin_user, data={"kind": "establish", "decision_number": "Số 50-QĐ/ĐU", "effective_on": IN_10,
                                          "code": "C1-T9", "name": "Chi bộ " + "x" * 300, "type": "cbtt-thon",
                                          "parent": "C1"})  # fmt: skip
    assert "tối đa 255 ký tự" in e.value.errors["name"]
    with pytest.raises(DomainError) as e:  # a rename (written with update()) is checked as well
        svc.org_rename(by=admin_user, org=tree["C1-T2"], new_name="y" * 407, decision=svc.Decision("Số 51-QĐ/ĐU", today()))
    assert "tối đa 255 ký tự" in e.value.errors["name"]


def test_a_blank_optional_organisation_does_not_break_recording_ahead(client, admin_user, tree):
    client.force_login(admin_user)
    body = {"kind": "dissolve", "decision_number": "Số 52-QĐ/ĐU", "effective_on": IN_10.isoformat(), "org": "C1-T2",
            "transfer_to": " "}  # fmt: skip
    r = client.post("/api/v1/organisations/decisions", body, content_type="application/json")
    assert r.status_code == 202, r.content
