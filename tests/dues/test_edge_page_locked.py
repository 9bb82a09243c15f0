import datetime as dt

import pytest

from dangvu.dues import services as svc
from dangvu.dues.models import Due, Payment
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_sheet_page_refuses_locked_and_double(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    duc = people["duc"].pk
    body = {"batch": "b1", "paid_on": "05/03/2026", f"pay_{duc}": "on", f"amount_{duc}": "5000"}
    assert client.post("/dues/organisations/C1-T1/2026-03/", body).status_code == 302
    r = client.post("/dues/organisations/C1-T1/2026-03/", body)
    assert r.status_code == 409 or "bấm hai lần" in r.content.decode()
    assert Payment.objects.count() == 1 and Due.objects.get(member_id=duc, month=dt.date(2026, 3, 1)).paid == 5000
    svc.report_approve(by=admin_user, org=tree["C1"], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    body["batch"] = "b2"
    r = client.post("/dues/organisations/C1-T1/2026-03/", body)
    assert r.status_code == 400 and "đã khóa sổ" in r.content.decode()
    r = client.post("/api/v1/dues/C1-T1/months/2026-03/payments", {"paid_on": "2026-03-06", "payments": [
        {"member_id": duc, "amount": 5000}]}, content_type="application/json")
    assert r.status_code == 409
    assert Payment.objects.count() == 1
