import datetime as dt

import pytest

from dangvu.core.errors import Conflict
from dangvu.dues import selectors as sel
from dangvu.dues import services as svc
from dangvu.dues.models import Due
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_opening_a_locked_month_is_refused_and_flags_no_one(admin_user, tree, people):  # noqa: F811
    for m in (1, 2):  # January and February opened and unpaid, March not opened
        svc.month_open(by=admin_user, org=tree["C1"], month=dt.date(2026, m, 1))
    svc.report_approve(by=admin_user, org=tree["C1"], start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    before = sel.flags_count(admin_user, tree["C1"], 2026)
    with pytest.raises(Conflict, match="đã khóa sổ"):  # a month of the locked quarter
        svc.month_open(by=admin_user, org=tree["C1"], month=dt.date(2026, 3, 1))
    assert sel.flags_count(admin_user, tree["C1"], 2026) == before
    assert not Due.objects.filter(month=dt.date(2026, 3, 1)).exists()
