"""Every dashboard draws its main figures as charts, each with its table, without adding a query."""

import datetime as dt

import pytest

from dangvu.inspection import services as isvc
from tests.meetings.conftest import meet  # noqa: F401  (fixtures)
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("url", "charts"), [
    ("/meetings/?org=D&period=2026-03", 2),
    ("/dossiers/?org=D&year=2026", 1),
    ("/evaluations/?org=D&year=2026", 2),
    ("/admission/?org=D", 1),
    ("/inspection/?org=D&year=2026", 2),
])  # fmt: skip
def test_each_dashboard_shows_its_charts_with_their_tables(client, admin_user, tree, people, meet, url, charts):  # noqa: F811
    meet(dt.date(2026, 3, 10), marks={})
    meet(dt.date(2026, 3, 12), marks={}, org="C2-T1")
    for commune, cell in (("C1", "C1-T2"), ("C2", "C2-T1")):
        isvc.inspection_open(by=admin_user, org=tree[commune], data={
            "body": "commission", "activity": "inspection", "method": "regular", "subject_org": tree[cell],
            "content": "Sinh hoạt chi bộ", "decided_on": dt.date(2026, 5, 1), "ends_on": dt.date(2026, 6, 1),
            "team": "x"})  # fmt: skip
    client.force_login(admin_user)
    html = client.get(url).content.decode()
    assert html.count('<svg class="chart-svg"') == charts, url
    assert html.count("<summary>Bảng số liệu</summary>") == charts
    assert 'role="img"' in html
