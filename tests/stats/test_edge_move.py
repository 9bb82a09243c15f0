"""A past date's branches come from today's paths (organisation__path), not the paths of that day."""
import datetime as dt

import pytest

from dangvu.members.forms import filters_from
from dangvu.members.selectors import member_list
from dangvu.organizations import services as osvc
from dangvu.stats import selectors as sel
from tests.conftest import decision
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_past_date_branches_after_a_move(admin_user, tree, people):  # noqa: F811
    osvc.org_move(by=admin_user, org=tree["C2-T1"], new_parent=tree["C1"], decision=decision(2026, 6, 1))
    on = dt.date(2026, 1, 15)  # C2-T1 (two members) was under C2 that day
    f = sel.figures(admin_user, tree["D"], on)
    by_code = {b.code: b.total for b in f.branches}
    c2_then = member_list(admin_user, org=tree["C2"], f=filters_from({"as_of": on.strftime("%d/%m/%Y")})[1]).count()
    assert by_code.get("C2", 0) == c2_then == 2, (by_code, c2_then)
