import datetime as dt

import pytest
from openpyxl import load_workbook

from dangvu.dues import exporter
from dangvu.dues import services as svc
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db
MAR = dt.date(2026, 3, 1)


def test_s02_rows_add_up_to_the_total_row(admin_user, tree, people, add):  # noqa: F811
    x = add("A", full_name="Hà Văn Xa")
    svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["duc"].pk, 12_347)])
    svc.payments_record(by=admin_user, org=tree["C2-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["khe"].pk, 9_999)])
    svc.payments_record(by=admin_user, org=tree["A"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(x.pk, 3_333)])
    ws = load_workbook(exporter.summary_book(admin_user, tree["D"], MAR, dt.date(2026, 3, 31))).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == "(1)") + 1
    total = next(i for i, r in enumerate(rows) if r[1] == "Cộng")
    body = rows[start:total]
    for col in range(4, 10):  # collected … remitted, year to date
        assert sum(r[col] or 0 for r in body) == rows[total][col], (col, [r[col] for r in body], rows[total][col])
