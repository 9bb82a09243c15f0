import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangvu.accounts.services import grant_create
from dangvu.core.models import AuditEntry
from dangvu.members.models import Member
from tests.jobs.helpers import export
from tests.members.conftest import profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, admin_user):
    client.force_login(admin_user)
    return client


def test_list_page_searches_filters_and_keeps_query_count_flat(web, people, add):
    html = web.get("/members/", {"org": "C1", "q": "nguyen van duc"}).content.decode()
    assert "Nguyễn Văn Đức" in html and "Đặng Thị Hòa" not in html
    html = web.get("/members/", {"org": "C1", "sex": "nu", "status": "current"}).content.decode()
    assert "Đặng Thị Hòa" in html and "Nguyễn Văn Đức" not in html

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            web.get("/members/", {"org": "C1"}, HTTP_HX_REQUEST="true")
        return len(ctx.captured_queries)

    few = queries()
    for i in range(15):
        add("C1-T2", full_name=f"Hoàng Văn Sơn {i}")
    assert queries() == few


def test_profile_is_an_audited_read_and_shows_history(web, people, admin_user):
    html = web.get(f"/members/{people['duc'].pk}/").content.decode()
    assert "Chi bộ thôn Nà Lộc" in html and "01.000001" in html
    assert AuditEntry.objects.filter(
        action="member.view", object_id=str(people["duc"].pk), user=admin_user
    ).exists()


def test_create_form_shows_field_errors_in_vietnamese(web, tree):
    data = {
        k: v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v
        for k, v in profile(birth_date=__import__("datetime").date(1990, 1, 1)).items()
        if v is not None
    }
    data["org"] = "C1-T1"
    html = web.post("/members/new/?org=C1-T1", data).content.decode()
    assert "khi đó mới 15 tuổi" in html and Member.objects.count() == 0
    data["birth_date"] = "17/05/1980"
    r = web.post("/members/new/?org=C1-T1", data)
    assert r.status_code == 302 and Member.objects.get().full_name == "Nguyễn Văn Đức"


def test_export_register_is_mau_7_with_14_columns_and_audited(web, people):
    ws = load_workbook(io.BytesIO(export(web, "/members/export/register.xlsx", {"org": "C1"}))).active
    rows = list(ws.iter_rows(values_only=True))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in rows[0] and "SỔ DANH SÁCH ĐẢNG VIÊN" in rows[4]
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A1:E1", "J1:N1", "A5:N5"}  # nothing overlaps
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Số TT")
    header = rows[header_at]
    assert len([h for h in header if h]) == 14 and header[1].startswith("Họ và tên")
    assert ws.print_title_rows == f"${header_at + 1}:${header_at + 2}"  # header and column numbers on every page
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    body = [r for r in rows[header_at + 2 :] if r and isinstance(r[0], int)]
    assert [r[1] for r in body] == [
        "Lò Văn An",
        "Phạm Minh Ánh",
        "Trần Thị Dung",
        "Nguyễn Văn Đức",
        "Đặng Thị Hòa",
    ]
    assert body[3][7] == "01.000001" and body[3][2] == "Nam, Kinh, Không"
    assert any("BÍ THƯ" in r for r in rows) and any("NGƯỜI LẬP" in r for r in rows)  # the signature block
    assert AuditEntry.objects.filter(action="member.export_register").count() == 1


def test_list_export_round_trips_through_the_importer(web, people, tree, admin_user, tmp_path):
    from dangvu.members.importer import import_members

    path = tmp_path / "roundtrip.xlsx"
    with open(path, "wb") as f:
        f.write(export(web, "/members/export/list.xlsx", {"org": "C2"}))
    report = import_members(by=admin_user, org=tree["C2-T1"], source=path, dry_run=True)
    # Páo is matched by her card number, Mỷ (no card) by her name and birth date: nothing changes
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_import_page_preview_then_confirm(web, tree, tmp_path):
    from tests.members.test_importer import HEAD, xlsx

    path = xlsx(tmp_path, [HEAD, [1, "NguyÔn V¨n §øc", "Nam", "17/05/1980", "Kinh", "02/03/2005", "", ""]])
    from tests.members.imports import step, token_in

    with open(path, "rb") as f:
        html = step(web, "C1-T1", {"file": f}).content.decode()
    assert "Nguyễn Văn Đức" in html and "Xác nhận nhập 1 đảng viên" in html and Member.objects.count() == 0
    html = step(web, "C1-T1", {"token": token_in(html)}).content.decode()
    assert "Đã nhập 1 đảng viên mới" in html and Member.objects.get().full_name == "Nguyễn Văn Đức"


def test_tree_and_org_page_show_members_secretary_and_monitor(web, people, tree, admin_user):
    import datetime as dt

    from dangvu.members import services as msvc

    term = msvc.term_create(by=admin_user, org=tree["C1-T1"], name="2025–2030", starts_on=dt.date(2025, 6, 1))
    msvc.seat_assign(by=admin_user, term=term, member=people["duc"], role="secretary")
    html = web.get("/organisations/C1/children/").content.decode()
    assert "5 đảng viên" in html and 'Bí thư: <span class="secretary">Nguyễn Văn Đức' in html
    html = web.get("/organisations/C1-T1/").content.decode()
    assert 'id="member-total">5<' in html and "Nguyễn Văn Đức</a>" in html and "chưa phân công" in html


def test_secretary_cannot_open_another_cells_member_page_or_export(
    client, people, tree, django_user_model, admin_user
):
    sec = django_user_model.objects.create_user("bithu", password="x-very-long-pass")
    grant_create(user=sec, organisation=tree["C2-T1"], role="secretary", by=admin_user)
    client.force_login(sec)
    assert client.get(f"/members/{people['duc'].pk}/").status_code == 404
    assert client.get(f"/members/{people['duc'].pk}/edit/").status_code == 404
    assert client.get(f"/members/{people['duc'].pk}/transfer/").status_code == 404
    assert client.post("/members/export/register.xlsx?org=C1").status_code == 404
    assert client.get("/members/import/", {"org": "C1-T1"}).status_code == 404
    assert client.get(f"/members/{people['khe'].pk}/").status_code == 200


def test_cv_lines_are_added_checked_and_removed(web, people):
    duc = people["duc"]
    url = f"/members/{duc.pk}/entries/"
    r = web.post(
        url, {"entry-kind": "reward", "entry-start": "02/09/2020", "entry-description": ""}, follow=True
    )
    assert "Trường này là bắt buộc." in r.content.decode() and duc.entries.count() == 0
    web.post(
        url,
        {
            "entry-kind": "reward",
            "entry-start": "02/09/2020",
            "entry-description": "Giấy khen của Đảng ủy xã",
            "entry-decision_number": "05-QĐ/ĐU",
        },
    )
    web.post(
        url,
        {
            "entry-kind": "work",
            "entry-start": "01/01/2010",
            "entry-end": "31/12/2009",
            "entry-description": "Trưởng thôn",
        },
    )
    assert list(duc.entries.values_list("kind", "description")) == [("reward", "Giấy khen của Đảng ủy xã")]
    assert "Giấy khen của Đảng ủy xã" in web.get(f"/members/{duc.pk}/").content.decode()
    web.post(url, {"remove": duc.entries.get().pk})
    assert duc.entries.count() == 0
    assert AuditEntry.objects.filter(object_id=str(duc.pk), action__startswith="member.entry_").count() == 2


def test_member_arriving_from_outside_is_registered_with_the_transfer(web, tree):
    data = {
        "full_name": "Lê Văn Bình",
        "sex": "nam",
        "birth_date": "01/01/1980",
        "ethnicity": "Kinh",
        "admitted_on": "01/01/2005",
        "official_on": "01/01/2006",
        "org": "C1-T1",
        "arrival-from_text": "Đảng bộ phường Cốc Lếu, tỉnh Lào Cai",
        "arrival-letter_on": "03/11/2026",
        "arrival-letter_number": "31-GGT/ĐU",
    }
    r = web.post("/members/new/?org=C1-T1", data)
    assert r.status_code == 302
    m = Member.objects.get()
    t = m.transfers.get()
    assert (t.from_text, t.to_org.code, t.state) == (
        "Đảng bộ phường Cốc Lếu, tỉnh Lào Cai",
        "C1-T1",
        "received",
    )
    assert m.memberships.get().start_reason == "transfer_in"


def test_split_page_asks_where_each_member_goes(web, people, tree):
    url = "/organisations/decisions/split/"
    form = {
        "source": "C2-T1",
        "decision_number": "Số 7-QĐ/ĐU",
        "effective_on": "01/01/2026",
        "target_1_code": "C2-T8",
        "target_1_name": "Chi bộ thôn Khe Bàn 1",
        "target_1_type": "cbtt-thon",
        "target_2_code": "C2-T9",
        "target_2_name": "Chi bộ thôn Khe Bàn 2",
        "target_2_type": "cbtt-thon",
    }
    html = web.get(url, {"org": "C2-T1"}).content.decode()
    assert f'name="assign_member_{people["khe"].pk}"' in html and "Giàng A Páo chuyển về" in html
    html = web.post(url, form).content.decode()
    assert "Hãy chọn tổ chức đích cho đảng viên" in html and Member.objects.filter(org__code="C2-T1").count() == 2
    # the targets are named by what was typed for them, and the rest can go to one target at once
    assert "Đích 1: Chi bộ thôn Khe Bàn 1" in html and "Tất cả các mục chưa chọn chuyển về" in html
    html = web.post(url, form | {"assign_rest": "1"}).content.decode()
    assert "nhận 0 tổ chức trực thuộc; 2 đảng viên" in html
    form |= {f"assign_member_{people['khe'].pk}": "1", f"assign_member_{people['vo'].pk}": "2"}
    html = web.post(url, form).content.decode()
    assert "nhận 0 tổ chức trực thuộc; 1 đảng viên" in html
    web.post(url, form | {"confirm": "1"})
    assert Member.objects.get(pk=people["vo"].pk).org.code == "C2-T9"
