import datetime as dt

import pytest

from dangvu.dues import selectors as sel
from dangvu.dues import services as svc
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db
MAR = dt.date(2026, 3, 1)


def test_kept_plus_remitted_is_collected_at_every_level(admin_user, tree, people, add):  # noqa: F811
    x = add("A", full_name="Hà Văn Xa")
    svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["duc"].pk, 12_345), svc.Pay(people["hoa"].pk, 7)])
    svc.payments_record(by=admin_user, org=tree["C2-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["khe"].pk, 9_999)])
    svc.payments_record(by=admin_user, org=tree["A"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(x.pk, 3_333)])
    for code in ("P", "D", "C1", "C1-T1", "A"):
        f = sel.report_figures(admin_user, tree[code], MAR, dt.date(2026, 3, 31))
        assert f["kept_below"] + f["retained_here"] + f["remitted"] == f["collected"], (code, f)
        assert sum(b["collected"] for b in f["branches"]) == f["collected"]
