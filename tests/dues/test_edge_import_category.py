import datetime as dt
import io

import pytest
from openpyxl import Workbook

from dangvu.dues import services as svc
from dangvu.dues.models import Basis, Category
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("word,expected", [("Lương hưu", "pension"), (Category.PENSION.label, "pension"),
                                           (Category.BENEFIT.label, "benefit"), ("Hưu", "pension")])
def test_category_words_of_a_payroll(admin_user, tree, people, word, expected):  # noqa: F811
    wb = Workbook()
    ws = wb.active
    ws.append(["Số thẻ đảng viên", "Đối tượng", "Lương đóng BHXH"])
    ws.append(["01.000002", word, 6_000_000])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    r = svc.bases_import(by=admin_user, org=tree["C1"], source=buf, month=dt.date(2026, 11, 1), name="l.xlsx")
    assert r.written == 1

    assert Basis.objects.get().category == expected, (word, Basis.objects.get().category)
