"""Hostile payroll imports."""
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangvu.dues import services as svc
from dangvu.dues.models import Basis
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 1)


def _book(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["Số thẻ đảng viên", "Đối tượng", "Lương đóng BHXH"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_a_row_of_formulas_is_skipped_silently_and_the_rest_written(admin_user, tree, people):  # noqa: F811
    src = _book([["01.000001", "Lương", 8_500_000], ['="01.000002"', '="Hưu"', "=6000000*1"]])
    r = svc.bases_import(by=admin_user, org=tree["C1"], source=src, month=NOV, name="l.xlsx")
    # all or nothing, every problem by row: Hòa's row (row 3) must be refused, nothing written
    assert r.errors and not Basis.objects.exists(), (r, list(Basis.objects.values_list("member_id", "amount")))


def test_a_formula_amount_for_a_fixed_category_is_written_as_zero(admin_user, tree, people):  # noqa: F811
    src = _book([["01.000001", "Khác", "=1+1"]])
    r = svc.bases_import(by=admin_user, org=tree["C1"], source=src, month=NOV, name="l.xlsx")
    assert r.errors, (r, list(Basis.objects.values_list("member_id", "amount")))


def test_a_formula_amount_is_reported_as_a_formula(admin_user, tree, people):  # noqa: F811
    src = _book([["01.000001", "Lương", "=1+1"]])
    r = svc.bases_import(by=admin_user, org=tree["C1"], source=src, month=NOV, name="l.xlsx")
    assert any("công thức" in why for _r, _c, why in r.errors), r.errors


def test_csv_huge_number(client, admin_user, tree, people):  # noqa: F811
    csv = "Số thẻ đảng viên,Đối tượng,Lương đóng BHXH\n01.000001,Lương,99999999999999999999\n".encode()
    client.force_login(admin_user)
    client.raise_request_exception = False
    r = client.post("/dues/organisations/C1/bases/", {"month": "01/11/2026",
                                                     "file": SimpleUploadedFile("l.csv", csv)})
    assert r.status_code == 400 and "Tiền lương" in r.content.decode() and not Basis.objects.exists(), r.status_code


def test_not_a_spreadsheet(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    r = client.post("/dues/organisations/C1/bases/", {"month": "01/11/2026",
                                                     "file": SimpleUploadedFile("l.xlsx", b"\x00\x01garbage")})
    assert "không đọc được như một bảng tính" in r.content.decode() and not Basis.objects.exists()
