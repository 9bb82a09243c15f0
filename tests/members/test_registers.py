"""Registers as committees keep them come in right: title blocks, two-row headers with merged cells, the
column-number row, blank, totals and signature rows, several sheets, .xls and .csv, the combined cells of
Mẫu 7-HSĐV, every date shape; and Dangvu's own exports import back unchanged."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangvu.members.importer import import_members
from dangvu.members.models import Member
from tests.jobs.helpers import export
from tests.members.imports import step, token_in

from .conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

MEMBERS = [
    # name, birth (male column), birth (female column), ethnicity, admitted, official, card
    ("Nguyễn Văn Đức", "5/3/1980", None, "Kinh", "02/03/2005", "02/03/2006", "01.000101"),
    ("Đặng Thị Hòa", None, "05-03-80", "Kinh", "01.06.2015", "01.06.2016", "01.000102"),
    ("Lò Văn An", "05.03.1960", None, "Tày", dt.date(1985, 1, 1), dt.date(1986, 1, 1), ""),
    ("Giàng A Páo", 29285, None, "Mông", "15/7/1999", "15/7/2000", "01.000104"),  # 29285 = 5/3/1980, a serial
    ("Vàng Thị Mỷ", None, "1/12/1990", "Mông", "3/2/2020", "3/2/2021", ""),
    ("Lầu Mí Chứ", "12/12/1975", None, "Mông", "19/5/2001", "", "01.000106"),
]


def realistic_register(second_register=False) -> bytes:
    """The shape of a cell's register kept in Excel: a title block of merged cells, the header on rows 6–7
    with "Ngày, tháng, năm sinh" merged over "Nam" and "Nữ", the column numbers, a blank row in the middle, the
    totals, the signature block under the table, and a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws["A1"], ws["H1"] = "ĐẢNG BỘ XÃ KHÁNH YÊN", "ĐẢNG CỘNG SẢN VIỆT NAM"
    ws.merge_cells("A1:D1")
    ws.merge_cells("H1:K1")
    ws["A2"] = "CHI BỘ THÔN NÀ LỘC"
    ws.merge_cells("A2:D2")
    ws["A4"] = "DANH SÁCH ĐẢNG VIÊN"
    ws.merge_cells("A4:K4")
    ws["A5"] = "(đến ngày 30/11/2026)"
    ws.merge_cells("A5:K5")
    head = ["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Dân tộc", "Quê quán", "Ngày vào Đảng",
            "Ngày chính thức", "Số thẻ đảng viên", "Ghi chú"]  # fmt: skip
    for j, h in enumerate(head, start=1):
        if h:
            ws.cell(6, j, h)
    ws.merge_cells("C6:D6")
    for col in "ABEFGHIJ":
        ws.merge_cells(f"{col}6:{col}7")
    ws["C7"], ws["D7"] = "Nam", "Nữ"
    for j in range(1, 11):
        ws.cell(8, j, f"({j})")
    r = 9
    for i, (name, male, female, eth, adm, off, card) in enumerate(MEMBERS, start=1):
        if i == 4:
            r += 1  # a blank row in the middle
        for j, v in enumerate([i, name, male, female, eth, "Văn Bàn, Lào Cai", adm, off, card, ""], start=1):
            if v not in (None, ""):
                ws.cell(r, j, v)
        r += 1
    ws.cell(r, 1, "Tổng cộng: 6 đảng viên")
    ws.cell(r + 2, 7, "Khánh Yên, ngày 30 tháng 11 năm 2026")
    ws.cell(r + 3, 2, "Người lập biểu")
    ws.cell(r + 3, 7, "T/M CHI BỘ")
    ws.cell(r + 4, 7, "BÍ THƯ")
    ws.cell(r + 7, 2, "Đặng Thị Hòa")
    ws.cell(r + 7, 7, "Nguyễn Văn Đức")
    notes = wb.create_sheet("Ghi chú")
    notes["A1"] = "Danh sách lập theo Mẫu 7-HSĐV; đối chiếu với hồ sơ đảng viên."
    if second_register:
        other = wb.create_sheet("Chi bộ 2")
        other.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng"])
        other.append([1, "Trần Văn Ba", "Nam", "1/1/1970", "1/1/1995"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data: bytes, name="ds.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_realistic_register_comes_in_whole(admin_user, tree):
    report = import_members(by=admin_user, org=tree["C1-T1"], source=upload(realistic_register()))
    assert report.problems == [] and report.written, [p.vi for p in report.problems]
    assert report.created == 6 and report.sheet == "Danh sách"
    skipped = dict(report.skipped_summary)
    assert skipped["dòng đánh số cột"] == [8]
    assert skipped["dòng trống"] == [12, 17]
    assert skipped["dòng tổng cộng"] == [16]
    assert skipped["phần ký tên dưới bảng"] == [18, 19, 20, 23]
    hoa = Member.objects.get(full_name="Đặng Thị Hòa")
    assert (hoa.sex, hoa.birth_date, hoa.admitted_on) == ("nu", dt.date(1980, 3, 5), dt.date(2015, 6, 1))
    duc = Member.objects.get(full_name="Nguyễn Văn Đức")
    assert (duc.sex, duc.birth_date, duc.card_number) == ("nam", dt.date(1980, 3, 5), "01.000101")
    assert Member.objects.get(full_name="Giàng A Páo").birth_date == dt.date(1980, 3, 5)
    assert Member.objects.get(full_name="Lò Văn An").official_on == dt.date(1986, 1, 1)
    assert Member.objects.get(full_name="Lầu Mí Chứ").status == "probationary"


def test_the_sheet_is_chosen_when_several_hold_a_register(admin_user, tree):
    data = realistic_register(second_register=True)
    report = import_members(by=admin_user, org=tree["C1-T1"], source=upload(data), dry_run=True)
    assert report.sheets == ["Danh sách", "Chi bộ 2"]
    assert [p.vi for p in report.problems] == [
        "«Trang tính»: Tệp có 2 trang tính đều có danh sách đảng viên (Danh sách, Chi bộ 2); hãy chọn trang cần nhập."
    ]
    report = import_members(by=admin_user, org=tree["C1-T1"], source=upload(data), dry_run=True, sheet="Chi bộ 2")
    assert report.ok and report.created == 1 and report.preview[0]["full_name"] == "Trần Văn Ba"


def test_an_old_xls_in_tcvn3_and_a_csv_are_read(admin_user, tree):
    import xlwt

    from tests.core.legacy_corpus import tcvn3

    book = xlwt.Workbook()
    sh = book.add_sheet("DS")
    sh.write(0, 0, tcvn3("DANH SÁCH ĐẢNG VIÊN"))
    for j, h in enumerate(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Ngày vào Đảng"]):
        sh.write(2, j, tcvn3(h))
    rows = [("Hoàng Thị Thu Hà", "Nữ", "12/3/1985", "Tày", "3/2/2010"),
            ("Bùi Quang Trường", "Nam", "1/1/1979", "Mường", "19/5/2004")]  # fmt: skip
    for i, row in enumerate(rows, start=1):
        sh.write(2 + i, 0, i)
        for j, v in enumerate(row, start=1):
            sh.write(2 + i, j, tcvn3(v))
    buf = io.BytesIO()
    book.save(buf)
    report = import_members(by=admin_user, org=tree["C1-T1"], source=upload(buf.getvalue(), "cu.xls"), dry_run=True)
    assert report.ok and [p["full_name"] for p in report.preview] == ["Hoàng Thị Thu Hà", "Bùi Quang Trường"]
    assert report.columns["full_name"].encoding == "tcvn3"

    csv_text = "STT;Họ và tên;Giới tính;Ngày sinh;Ngày vào Đảng\r\n1;Lò Thị Mai;Nữ;05-03-80;1/2/2010\r\n"
    report = import_members(by=admin_user, org=tree["C1-T1"], source=upload(csv_text.encode("utf-8-sig"), "ds.csv"),
                            dry_run=True)  # fmt: skip
    assert report.ok and report.preview[0]["full_name"] == "Lò Thị Mai"
    assert report.preview[0]["birth_date"] == dt.date(1980, 3, 5)


def test_the_mau_7_register_exported_imports_back_unchanged(client, admin_user, tree, people):  # noqa: F811
    from dangvu.members import services as msvc

    msvc.member_update(by=admin_user, member=people["duc"], data={
        "birth_name": "Đức Em", "religion": "Phật giáo", "occupation_before": "Nông dân", "occupation": "Giáo viên",
        "general_education": "12/12", "qualification": "dai-hoc", "specialty": "Sư phạm Toán",
        "political_theory": "trung-cap", "foreign_language": "Tiếng Anh B", "cv_number": "LL-123",
        "badge_number": "", "notes": "Chi ủy viên",
    })  # fmt: skip
    before = {m.pk: msvc._snapshot(m) for m in Member.objects.filter(org=tree["C1-T1"])}
    client.force_login(admin_user)
    data = export(client, "/members/export/register.xlsx", {"org": "C1-T1"})
    report = import_members(by=admin_user, org=tree["C1-T1"], source=upload(data))
    assert report.ok, [p.vi for p in report.problems]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert {m.pk: msvc._snapshot(m) for m in Member.objects.filter(org=tree["C1-T1"])} == before


def test_the_preview_shows_each_columns_encoding_and_reads_again_with_the_users_choice(client, admin_user, tree):
    """The user sees each text column's encoding with samples before → after, may choose another for a column,
    and the file is read again with that choice before anything is written."""
    wb = Workbook()
    wb.active.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Quê quán"])
    wb.active.append([1, "Lª Thµnh", "Nam", "1/1/1980", "1/1/2005", "Thanh Hãa"])
    buf = io.BytesIO()
    wb.save(buf)
    client.force_login(admin_user)
    html = step(client, "C1-T1", {"file": upload(buf.getvalue())}).content.decode()
    assert 'id="import-encodings"' in html and "Lª Thµnh</code> → Lê Thành" in html
    token = token_in(html)
    html = step(client, "C1-T1", {"token": token, "reread": "1", "enc_full_name": "tcvn3",
                                  "enc_home_town": "tcvn3"}).content.decode()  # fmt: skip
    assert "Thanh Hãa</code> → Thanh Hóa" in html
    assert "Đã nhập 1 đảng viên mới" in step(client, "C1-T1", {"token": token}).content.decode()
    m = Member.objects.get()
    assert (m.full_name, m.home_town) == ("Lê Thành", "Thanh Hóa")
