import datetime as dt
import io

import pytest
from openpyxl import Workbook

from dangvu.dues import services as svc
from dangvu.dues.models import Basis
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_insured_salary_column_wins_over_other_pay_columns(admin_user, tree, people):  # noqa: F811
    wb = Workbook()
    ws = wb.active
    ws.append(["Số thẻ đảng viên", "Mức lương", "Phụ cấp chức vụ", "Lương đóng BHXH"])
    ws.append(["01.000001", 7_000_000, 1_000_000, 8_000_000])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    svc.bases_import(by=admin_user, org=tree["C1"], source=buf, month=dt.date(2026, 11, 1), name="l.xlsx")
    assert Basis.objects.get().amount == 8_000_000
