"""Due.org_path and Payment.org_path are copies of the cell's path, but dues never registers them with
organizations.paths.register_path_copy: a move (plan_move / merge) leaves them pointing at the old place."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from dangvu.accounts.services import grant_create
from dangvu.dues import services as svc
from dangvu.organizations import services as osvc
from tests.conftest import decision
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db
MAR = dt.date(2026, 3, 1)


def _user(name, org, role):
    u = get_user_model().objects.create_user(name, f"{name}@x.vn", "mat-khau-rat-dai-1")
    grant_create(user=u, organisation=org, role=role, by=None)
    return u


def test_after_a_cell_moves_its_dues_stay_with_the_old_parent(client, admin_user, tree, people):  # noqa: F811
    khe = people["khe"]
    for m in (1, 2, 3):
        svc.month_open(by=admin_user, org=tree["C2"], month=dt.date(2026, m, 1))
    svc.payments_record(by=admin_user, org=tree["C2-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["vo"].pk, 5_000)])
    svc.report_approve(by=admin_user, org=tree["C2"], start=MAR, end=dt.date(2026, 3, 31))  # March locked
    osvc.org_move(by=admin_user, org=tree["C2-T1"], new_parent=tree["C1"], decision=decision(2026, 6, 1))
    cell = type(tree["C2-T1"]).objects.get(pk=tree["C2-T1"].pk)
    assert cell.path.startswith(tree["C1"].path)

    # 1. the old parent's secretary still reads the moved cell's members and what they owe (out of scope now:
    #    the same user gets 404 on the member himself)
    c2 = _user("c2", tree["C2"], "secretary")
    client.force_login(c2)
    assert client.get(f"/api/v1/dues/members/{khe.pk}").status_code == 404
    names = [u["name"] for u in client.get("/api/v1/dues/C2/unpaid?year=2026").json()]
    leaked = "Giàng A Páo" in names

    # 2. the new parent's secretary sees an empty, unopened sheet for the cell now in its subtree
    c1 = _user("c1", tree["C1"], "secretary")
    client.force_login(c1)
    sheet = client.get("/api/v1/dues/C2-T1/months/2026-03").json()
    assert not leaked and sheet["opened"] and sheet["paid"] == 5_000, (leaked, sheet)


def test_after_a_move_a_locked_month_takes_normal_payments(admin_user, tree, people):  # noqa: F811
    svc.month_open(by=admin_user, org=tree["C2"], month=MAR)
    svc.report_approve(by=admin_user, org=tree["C2"], start=MAR, end=dt.date(2026, 3, 31))
    with pytest.raises(Exception, match="khóa sổ"):
        svc.payments_record(by=admin_user, org=tree["C2-T1"], month=MAR, paid_on=dt.date(2026, 4, 1),
                            pays=[svc.Pay(people["khe"].pk, 5_000)])
    osvc.org_move(by=admin_user, org=tree["C2-T1"], new_parent=tree["C1"], decision=decision(2026, 6, 1))
    cell = type(tree["C2-T1"]).objects.get(pk=tree["C2-T1"].pk)
    with pytest.raises(Exception, match="khóa sổ"):
        svc.payments_record(by=admin_user, org=cell, month=MAR, paid_on=dt.date(2026, 7, 1),
                            pays=[svc.Pay(people["khe"].pk, 5_000)])
