"""Money paths of the dues."""
import datetime as dt
import io

import pytest
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangvu.core.errors import DomainError
from dangvu.dues import services as svc
from dangvu.dues.models import Basis, Due, Payment
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db
MAR = dt.date(2026, 3, 1)


def _xls(rows):
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Luong")
    for i, r in enumerate([["Số thẻ đảng viên", "Đối tượng", "Lương đóng BHXH"], *rows]):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_xls_payroll_amount_is_read_ten_times_too_large(admin_user, tree, people):  # noqa: F811
    """.xls numbers come back from xlrd as floats: str(8500000.0) = '8500000.0', the '.' is stripped → 85,000,000."""
    r = svc.bases_import(by=admin_user, org=tree["C1"], source=_xls([["01.000001", "Lương", 8_500_000]]),
                         month=dt.date(2026, 11, 1), name="luong.xls")
    assert r.errors == []
    assert Basis.objects.get(member=people["duc"]).amount == 8_500_000


def test_csv_payroll_decimal_amount_is_silently_multiplied(admin_user, tree, people):  # noqa: F811
    csv = "Số thẻ đảng viên,Đối tượng,Lương đóng BHXH\n01.000001,Lương,8500000.00\n".encode()
    r = svc.bases_import(by=admin_user, org=tree["C1"], source=io.BytesIO(csv), month=dt.date(2026, 11, 1),
                         name="luong.csv")
    # either a row error, or the right amount; never 100 times the salary
    assert r.errors or Basis.objects.get(member=people["duc"]).amount == 8_500_000


def test_payroll_import_with_a_huge_number_is_a_row_error_not_a_500(client, admin_user, tree, people):  # noqa: F811
    wb = Workbook()
    ws = wb.active
    ws.append(["Số thẻ đảng viên", "Đối tượng", "Lương đóng BHXH"])
    ws.append(["01.000001", "Lương", 10**20])
    buf = io.BytesIO()
    wb.save(buf)
    client.force_login(admin_user)
    client.raise_request_exception = False
    r = client.post("/dues/organisations/C1/bases/", {
        "month": "01/11/2026", "file": SimpleUploadedFile("luong.xlsx", buf.getvalue())})
    assert r.status_code == 400 and not Basis.objects.exists()


def test_huge_payment_amount_via_the_api_is_a_400_not_a_500(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    client.raise_request_exception = False
    r = client.post("/api/v1/dues/C1-T1/months/2026-03/payments", {"paid_on": "2026-03-06", "payments": [
        {"member_id": people["hoa"].pk, "amount": 10**20}]}, content_type="application/json")
    assert r.status_code == 400, r.status_code


def test_huge_payment_amount_via_the_sheet_is_a_400_not_a_500(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    client.raise_request_exception = False
    duc = people["duc"].pk
    r = client.post("/dues/organisations/C1-T1/2026-03/", {"batch": "z", "paid_on": "05/03/2026",
                                                          f"pay_{duc}": "on", f"amount_{duc}": "9" * 25})
    assert r.status_code == 400, r.status_code


def test_a_correction_below_zero_is_reported_as_a_taken_portal_reference(admin_user, tree, people):  # noqa: F811
    svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["duc"].pk, 5_000)])
    svc.report_approve(by=admin_user, org=tree["C1"], start=MAR, end=dt.date(2026, 3, 31))
    with pytest.raises(DomainError) as e:
        svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 4, 2),
                            pays=[svc.Pay(people["duc"].pk, -9_000)], correction=True, note="Sai")
    assert "Mã giao dịch" not in e.value.message, e.value.message


def test_no_upper_bound_on_a_payment_and_paid_leaves_integers(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    hoa = people["hoa"].pk
    for amount in (2**63 - 1, 2):
        client.post("/api/v1/dues/C1-T1/months/2026-03/payments", {"paid_on": "2026-03-06", "payments": [
            {"member_id": hoa, "amount": amount}]}, content_type="application/json")
    paid = Due.objects.values_list("paid", flat=True).get(member_id=hoa, month=MAR)
    # a 9.2 quintillion đồng payment is accepted; on SQLite the second overflows `paid` into a REAL
    assert isinstance(paid, int) and paid == sum(Payment.objects.filter(member_id=hoa).values_list("amount", flat=True)), paid
