"""The first page after login: what is due in the user's scope, soonest and late first; a committee sees the same as
counts per branch, each linking to the list where it is dealt with; each menu entry opens at the user's level."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.accounts import services as asvc
from dangvu.core.dates import today
from dangvu.organizations import services as osvc
from tests.conftest import decision
from tests.meetings.conftest import meet  # noqa: F401  (fixture)
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def on(monkeypatch):
    def _on(d: dt.date):
        monkeypatch.setattr("dangvu.home.views.today", lambda: d)

    return _on


@pytest.fixture
def secretary(django_user_model, tree):
    u = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=u, organisation=tree["C1-T1"], role="secretary", by=None)
    return u


def agenda(html: str) -> list[str]:
    import re

    block = html.split('id="agenda"', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", "<li" + li)).strip() for li in block.split("<li")[1:]]


def test_a_cell_secretary_sees_what_is_due_late_first(client, secretary, tree, people, meet, on):  # noqa: F811
    on(dt.date(2026, 3, 15))
    client.force_login(secretary)
    items = agenda(client.get("/").content.decode())
    assert items[0].startswith("Quá hạn")  # late things first
    assert any("Chưa đăng ký lịch sinh hoạt chi bộ thường kỳ tháng 3/2026" in i and i.startswith("Quá hạn")
               for i in items)  # fmt: skip
    assert any("Báo cáo tháng 2/2026: chưa gửi" in i for i in items)
    assert any("Hồ sơ, sổ sách năm 2026: đủ 0/" in i for i in items)
    meet(dt.date(2026, 3, 20))
    items = agenda(client.get("/").content.decode())
    assert any("đã đăng ký ngày 20/03/2026" in i and i.startswith("Cần làm") for i in items)
    assert not any("Chưa đăng ký lịch sinh hoạt" in i for i in items)


def test_probation_ending_soon_is_due_by_the_rule_in_force(client, secretary, people, on):  # noqa: F811
    on(dt.date(2026, 11, 15))  # Dung was admitted on 01/12/2025: 12 months end on 01/12/2026
    client.force_login(secretary)
    items = agenda(client.get("/").content.decode())
    assert any("Trần Thị Dung: đủ 12 tháng dự bị ngày 01/12/2026" in i for i in items)
    on(dt.date(2026, 10, 15))
    assert not any("Trần Thị Dung" in i for i in agenda(client.get("/").content.decode()))


def test_a_committee_sees_counts_per_branch_with_links(client, admin_user, tree, people, meet, on):  # noqa: F811
    on(dt.date(2026, 3, 15))
    meet(dt.date(2026, 3, 10), marks={})
    client.force_login(admin_user)
    html = client.get("/?org=C1").content.decode()
    branches = html.split('id="branches"', 1)[1].split("</table>", 1)[0]
    assert "Chi bộ thôn Nà Lộc" in branches and "Chi bộ thôn Đồng Tâm" in branches and "Khe Bàn" not in branches
    rows = {r.split("</a>")[0].rsplit(">", 1)[1]: r for r in branches.split("<tr>")[2:]}
    assert "filter=not_met" not in rows["Chi bộ thôn Nà Lộc"]  # held its March meeting
    assert "/meetings/?org=C1-T2&amp;period=2026-03&filter=not_met" in rows["Chi bộ thôn Đồng Tâm"]
    items = agenda(html)
    assert any("1/2 chi bộ chưa sinh hoạt thường kỳ tháng 3/2026" in i for i in items)
    assert any("2 chi bộ chưa gửi báo cáo tháng 2/2026" in i for i in items)


def test_the_committee_page_costs_the_same_queries_whatever_the_number_of_branches(client, admin_user, tree, on):
    on(dt.date(2026, 3, 15))
    client.force_login(admin_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get("/?org=C1").status_code == 200
        return len(q)

    before = count()
    for i in range(3, 9):
        osvc.org_establish(by=admin_user, spec=osvc.NewOrg(f"C1-T{i}", f"Chi bộ thôn {i}", tree["C1-T1"].type,
                                                          tree["C1"]), decision=decision(2010, 1, 1))  # fmt: skip
    assert count() == before


def test_the_cell_page_costs_the_same_queries_whatever_the_number_of_members(client, secretary, add, on):  # noqa: F811
    on(dt.date(2026, 3, 15))
    client.force_login(secretary)
    add(full_name="Lường Văn Một")

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get("/").status_code == 200
        return len(q)

    before = count()
    for i in range(5):
        add(full_name=f"Lường Văn Hai {i}", card_number=f"02.00000{i}")
    assert count() == before


def test_each_menu_entry_opens_at_a_cells_own_level(client, secretary, tree):
    client.force_login(secretary)
    r = client.get("/dossiers/")
    assert r.status_code == 302 and r["Location"].startswith("/dossiers/organisations/C1-T1/")
    r = client.get("/evaluations/")
    assert r.status_code == 302 and "/evaluations/organisations/C1-T1/" in r["Location"]
    r = client.get("/meetings/")
    assert r.status_code == 302 and "/meetings/cells/C1-T1/" in r["Location"]


def test_an_account_without_a_scope_is_told_what_to_do(client, django_user_model):
    u = django_user_model.objects.create_user("moi", password="mat-khau-rat-dai-1")
    client.force_login(u)
    html = client.get("/").content.decode()
    assert "chưa được phân quyền" in html


def test_login_lands_on_the_home_page(client, secretary):
    from django.test import Client

    c = Client()
    r = c.post("/login/", {"username": "bithu", "password": "mat-khau-rat-dai-1"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert "Việc cần làm" in c.get("/").content.decode()


def test_a_decision_waiting_for_its_date_is_on_the_committees_list(client, admin_user, tree, on):
    from dangvu.organizations import ahead

    on(dt.date(2026, 3, 15))
    when = today() + dt.timedelta(days=20)
    ahead.record(by=admin_user, data={"kind": "rename", "decision_number": "Số 60-QĐ/ĐU", "effective_on": when,
                                      "org": "C1-T2", "name": "Chi bộ thôn Đồng Tâm Mới"})  # fmt: skip
    client.force_login(admin_user)
    items = agenda(client.get("/?org=C1").content.decode())
    assert any(f"Đổi tên theo quyết định số 60-QĐ/ĐU sẽ có hiệu lực ngày {when:%d/%m/%Y}" in i for i in items)
    assert not any("60-QĐ/ĐU" in i for i in agenda(client.get("/?org=C2").content.decode()))
