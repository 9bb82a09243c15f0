import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.accounts.services import grant_create
from dangvu.dues.models import Basis, Payment
from dangvu.stats.models import Snapshot
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role,inside,expected", [("viewer", True, 403), ("secretary", False, 404),
                                                  ("viewer", False, 404)])
def test_writes_not_covered_by_the_matrix(client, admin_user, tree, people, role, inside, expected):  # noqa: F811
    u = get_user_model().objects.create_user("u", "u@x.vn", "mat-khau-rat-dai-1")
    grant_create(user=u, organisation=tree["C1" if inside else "C2"], role=role, by=None)
    client.force_login(u)
    duc = people["duc"].pk
    posts = [
        ("/dues/organisations/C1-T1/2026-03/", {"batch": "q", "paid_on": "05/03/2026", f"pay_{duc}": "on",
                                                f"amount_{duc}": "5000"}),
        ("/dues/organisations/C1-T1/2026-03/", {"action": "open"}),
        (f"/dues/members/{duc}/", {"action": "basis", "b-valid_from": "01/11/2026", "b-category": "other"}),
        ("/dues/organisations/C1/bases/", {"month": "01/11/2026", "file": SimpleUploadedFile(
            "l.csv", "Số thẻ đảng viên,Lương đóng BHXH\n01.000001,8000000\n".encode())}),
        ("/stats/organisations/C1/snapshots/", {"on": "30/06/2026"}),
        ("/stats/organisations/C1/grassroots/", {"member": "1", "organisation": "1", "planned_on": "01/12/2026",
                                                 "purpose": "x"}),
    ]
    for url, body in posts:
        assert client.post(url, body).status_code == expected, url
    assert client.post("/api/v1/dues/C1-T1/months/2026-03/payments", {"paid_on": "2026-03-06", "payments": [
        {"member_id": duc, "amount": 5000}], "correction": False}, content_type="application/json").status_code == expected
    assert not Payment.objects.exists() and not Basis.objects.exists() and not Snapshot.objects.exists()
