"""Statistics of a subtree on a date: the figures agree with the member list, flows, snapshots frozen and compared,
the form sent upward, the charts, and committee members at the grassroots."""

import datetime as dt
import io
from urllib.parse import parse_qsl

import pytest
from openpyxl import load_workbook

from dangvu.core import charts
from dangvu.core.dates import today
from dangvu.core.errors import Conflict, DomainError
from dangvu.meetings import services as mtsvc
from dangvu.members import services as msvc
from dangvu.members.forms import filters_from
from dangvu.members.models import Member
from dangvu.members.selectors import member_list
from dangvu.stats import exporter, grassroots
from dangvu.stats import selectors as sel
from dangvu.stats import services as svc
from dangvu.stats.models import FieldDayState, Snapshot
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_every_figure_equals_the_member_list_with_the_same_filter(admin_user, tree, people):  # noqa: F811
    """What the statistics page links to is what the member list shows: each fixed breakdown's count is the count
    of the member list under the filter the row links to, today and on a past date."""
    for on in (today(), dt.date(2025, 6, 1)):
        f = sel.figures(admin_user, tree["P"], on)
        assert f.total == member_list(admin_user, org=tree["P"], f=filters_from({"as_of": on.strftime("%d/%m/%Y")})[1]).count()
        checked = 0
        for d in f.dimensions:
            for r in d.rows:
                if not r.href_filter:
                    continue
                query = dict(parse_qsl(r.href_filter), as_of=on.strftime("%d/%m/%Y"))
                assert r.n == member_list(admin_user, org=tree["P"], f=filters_from(query)[1]).count(), (on, d.key, r)
                checked += 1
        assert checked > 30
        for b in f.branches:  # each branch's total is its own subtree's
            org = next(o for o in tree.values() if o.code == b.code)
            if org.pk != tree["P"].pk:
                assert b.total == sel.figures(admin_user, org, on).total
        assert sum(b.total for b in f.branches) == f.total


def test_the_figures_of_today_and_of_a_past_date(admin_user, tree, people):  # noqa: F811
    f = sel.figures(admin_user, tree["P"], today())
    assert f.total == 7
    assert {r.key: r.n for r in f.dimension("sex").rows} == {"nam": 4, "nu": 3}
    assert {r.key: r.n for r in f.dimension("status").rows}["probationary"] == 1  # Dung, admitted 01/12/2025
    assert {r.key: r.n for r in f.dimension("ethnicity").rows} == {"Kinh": 4, "Mông": 2, "Tày": 1}
    assert {r.key: r.n for r in f.dimension("theory").rows}["trung-cap"] == 1
    before = sel.figures(admin_user, tree["P"], dt.date(2025, 6, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    assert before.total == 6  # Dung was not yet a member
    flows = {r.key: r.n for r in sel.figures(admin_user, tree["P"], dt.date(2025, 12, 31)).flows}
    assert flows["admitted"] == 1 and flows["recognised"] == 0
    c1 = sel.figures(admin_user, tree["C1"], today())
    assert (c1.total, [b.total for b in c1.branches]) == (5, [5])


def test_a_move_between_two_cells_of_the_subtree_is_not_a_flow_but_one_across_its_edge_is(admin_user, tree, people):  # noqa: F811
    on = today()
    for member, to in ((people["an"], "C1-T2"), (people["vo"], "C1-T2")):
        t = msvc.transfer_out(by=admin_user, member=member, req=msvc.TransferRequest(
            kind="official", reason="Chuyển nơi ở", event_on=on, letter_on=on, to_org=tree[to]))  # fmt: skip
        msvc.transfer_receive(by=admin_user, transfer=t, on=on)
    c1 = {r.key: r.n for r in sel.figures(admin_user, tree["C1"], on).flows}
    c2 = {r.key: r.n for r in sel.figures(admin_user, tree["C2"], on).flows}
    assert (c1["transfer_in"], c1["transfer_out"]) == (1, 0)  # Vo came from C2; An moved inside C1
    assert (c2["transfer_in"], c2["transfer_out"]) == (0, 1)


def test_statistics_are_a_fixed_number_of_queries(admin_user, tree, people, add, django_assert_max_num_queries):  # noqa: F811
    with django_assert_max_num_queries(20) as few:
        sel.figures(admin_user, tree["P"], today())
    for i in range(30):
        add("C2-T1", full_name=f"Hoàng Văn Sơn {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        sel.figures(admin_user, tree["P"], today())


def test_a_snapshot_is_frozen_once_and_compared_with_the_previous(client, admin_user, tree, people, add):  # noqa: F811
    first = svc.snapshot_take(by=admin_user, org=tree["P"], on=dt.date(2025, 12, 31), note="Báo cáo năm 2025")
    with pytest.raises(Conflict, match="đã được chốt"):
        svc.snapshot_take(by=admin_user, org=tree["P"], on=dt.date(2025, 12, 31))
    with pytest.raises(DomainError, match="không được sau hôm nay"):
        svc.snapshot_take(by=admin_user, org=tree["P"], on=today() + dt.timedelta(days=1))
    add("C2-T1", full_name="Hoàng Văn Sơn", admitted_on=dt.date(2026, 2, 1), official_on=None)
    second = svc.snapshot_take(by=admin_user, org=tree["P"], on=today())
    assert (first.data["total"], second.data["total"]) == (7, 8)
    Member.objects.filter(full_name="Hoàng Văn Sơn").update(sex="nu")  # a later correction leaves a sent report alone
    client.force_login(admin_user)
    html = client.get(f"/stats/snapshots/{second.pk}/").content.decode()
    assert "So với lần chốt trước (31/12/2025)" in html
    assert ">7</td><td class=\"text-end\">8</td><td class=\"text-end\">+1</td>" in html
    assert Snapshot.objects.get(pk=second.pk).data["dimensions"][1]["rows"][1]["n"] == 3  # women when frozen
    r = client.get(f"/stats/snapshots/{second.pk}/?format=xlsx")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content)))["Biểu thống kê"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert any(row[1] == "Tổng số đảng viên" and row[2:5] == [8, 7, 114.3] for row in rows)


def test_the_form_sent_upward_prints_as_biểu_7_and_writes_text_never_formulas(admin_user, tree, people, add):  # noqa: F811
    add("C2-T1", full_name="Hoàng Văn Sơn", ethnicity='=HYPERLINK("http://x","y")')
    f = sel.figures(admin_user, tree["P"], today())
    ws_book = load_workbook(exporter.statistics_xlsx(f, None, "không có"))
    ws = ws_book["Biểu thống kê"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    texts = [str(c.value) for c in cells]
    assert "Biểu số 7-BTCTW" in texts and "ĐẢNG CỘNG SẢN VIỆT NAM" in texts and "(5) = (3)×100/(4)" in texts
    assert "NGƯỜI LẬP BIỂU" in texts and "T/M ĐẢNG ỦY" in texts
    assert not [c for c in cells if c.data_type == "f"]
    assert any('HYPERLINK' in t for t in texts)  # the hostile name is there, as text
    assert ws.print_title_rows and ws.page_setup.paperSize == 9
    branch = ws_book["Chia theo đơn vị"]
    names = [r[1].value for r in branch.iter_rows() if r[1].value]
    assert "Đảng bộ huyện Đồi Núi" in names and "Cộng" in names


def test_a_chart_is_small_escaped_and_carries_its_figures(admin_user, tree):
    items = [(f"<script>alert(1)</script> Chi bộ thôn số {i}", i * 7) for i in range(300)]
    c = charts.bars("Đảng viên theo đơn vị", items)
    from django.template.loader import render_to_string

    html = render_to_string("core/chart.html", {"c": c})
    svg = html[html.index("<svg class"): html.index("</svg>")]
    assert len(svg.encode()) < 20_000 and svg.count("<rect") == charts.LIMIT
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert f"{300 - charts.LIMIT} dòng còn lại ở bảng số liệu" in html
    assert 'role="img"' in svg and "Chi bộ thôn số 1: 7" in svg
    # a stacked chart of a hundred branches, its table included, stays under 20 KB
    big = charts.stacked("Lý luận chính trị theo đơn vị", ["Chưa qua đào tạo", "Sơ cấp", "Trung cấp", "Cao cấp",
                                                              "Cử nhân"],
                         [(f"Đảng bộ xã Tân Phú Hòa Bình Thượng {i}", [100, 200, 300, 400, 500], f"?org=T00-X{i:03d}")
                          for i in range(100)])  # fmt: skip
    assert len(render_to_string("core/chart.html", {"c": big}).encode()) < 20_000


def test_the_statistics_page_shows_charts_and_links_each_figure_to_the_member_list(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    html = client.get("/stats/?org=D").content.decode()
    assert html.count('<svg class="chart-svg"') == 8 and "Bảng số liệu" in html  # trend, branches, 4 bars, 2 stacked
    assert 'href="/members/?org=D&sex=nu"' in html
    assert 'data-key="sex:nu">3<' in html
    html = client.get("/stats/?org=D&on=01/06/2025").content.decode()
    assert 'id="t-total"><a href="/members/?org=D&as_of=01/06/2025">6</a>' in html
    html = client.get("/stats/?org=D&on=32/13/2025").content.decode()
    assert "is-invalid" in html  # a date that is not one: the field says so, today's figures are shown


def test_committee_members_at_the_grassroots(client, admin_user, tree, people, add):  # noqa: F811
    commune, by = tree["C1"], admin_user
    term = msvc.term_create(by=by, org=commune, name="2025–2030", starts_on=dt.date(2025, 7, 1))
    tam = add("C1-T2", full_name="Lương Văn Tâm")
    msvc.seat_assign(by=by, term=term, member=tam, role="standing")
    msvc.seat_assign(by=by, term=term, member=people["hoa"], role="member")
    with pytest.raises(DomainError, match="chi bộ khác chi bộ mình"):
        msvc.monitor_assign(by=by, org=tree["C1-T2"], monitor=tam, valid_from=dt.date(2026, 1, 1))
    msvc.monitor_assign(by=by, org=tree["C1-T1"], monitor=tam, valid_from=dt.date(2026, 1, 1))
    for day in (dt.date(2026, 2, 10), dt.date(2026, 3, 10)):
        m = mtsvc.schedule(by=by, org=tree["C1-T1"], data=mtsvc.Schedule(date=day))
        m.monitor_attended = True
        m.save(update_fields=["monitor_attended"])
    data = grassroots.attendance(commune, 2026, dt.date(2026, 7, 15))
    lines = {x.member.full_name: x for x in data["lines"]}
    assert data["minimum"] == 6  # a commune committee member: 6 times a year (QĐ 776-QĐ/TU)
    assert (lines["Lương Văn Tâm"].attended, lines["Lương Văn Tâm"].due_now) == (2, 3)
    assert [c.code for c in lines["Lương Văn Tâm"].cells] == ["C1-T1"]
    assert {x.member.full_name for x in data["behind"]} == {"Lương Văn Tâm", "Đặng Thị Hòa"}
    # a field day: registered, approved once, reported
    with pytest.raises(DomainError, match="không phải cấp ủy viên"):
        svc.field_day_plan(by=by, committee=commune, member=people["duc"], organisation=tree["C1-T1"],
                           planned_on=dt.date(2026, 4, 2), purpose="Dự sinh hoạt")  # fmt: skip
    fd = svc.field_day_plan(by=by, committee=commune, member=tam, organisation=tree["C1-T1"],
                            planned_on=dt.date(2026, 4, 2), purpose="Nắm tình hình thôn")  # fmt: skip
    svc.field_day_approve(by=by, fd=fd)
    with pytest.raises(Conflict):
        svc.field_day_approve(by=by, fd=fd)
    with pytest.raises(DomainError, match="báo cáo"):
        svc.field_day_report(by=by, fd=fd, done_on=dt.date(2026, 4, 2), days=1, report="  ")
    svc.field_day_report(by=by, fd=fd, done_on=dt.date(2026, 4, 2), days=2, report="Thôn ổn định.\nĐề nghị làm đường.")
    fd.refresh_from_db()
    assert fd.state == FieldDayState.DONE and "\n" in fd.report
    line = {x.member.pk: x for x in grassroots.attendance(commune, 2026, dt.date(2026, 7, 15))["lines"]}[tam.pk]
    assert (line.done, line.planned, line.days) == (1, 1, 2)
    client.force_login(by)
    html = client.get("/stats/organisations/C1/grassroots/?year=2026").content.decode()
    assert "ít nhất <strong>6 lần/năm</strong>" in html and "Chi bộ thôn Nà Lộc" in html


def test_the_api_gives_the_same_figures_and_freezes_a_cut_off(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    r = client.get("/api/v1/stats/P")
    assert r.status_code == 200 and r.json()["total"] == 7
    assert {c["key"]: c["n"] for c in r.json()["branches"][0]["counts"]}["sex:nu"] == 3
    r = client.get("/api/v1/stats/P?on=2999-01-01")
    assert r.status_code == 400 and "không được sau hôm nay" in r.json()["errors"]["on"]
    r = client.post("/api/v1/stats/P/snapshots", {"on": "2025-12-31"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["total"] == 7
    r = client.post("/api/v1/stats/P/snapshots", {"on": "2025-12-31"}, content_type="application/json")
    assert r.status_code == 409
    assert client.get("/api/v1/stats/NOPE").status_code == 404
