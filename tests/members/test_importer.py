import datetime as dt
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from dangvu.core.models import AuditEntry
from dangvu.members.importer import import_members, parse_date
from dangvu.members.models import Member, Membership

pytestmark = pytest.mark.django_db


def xlsx(tmp_path, rows, name="ds.xlsx", title=True):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN NÀ LỘC"])
        ws.append([])
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return str(path)


HEAD = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ"]


def test_headers_in_any_order_with_variants_dates_of_every_kind(tmp_path, admin_user, tree):
    path = xlsx(
        tmp_path,
        [
            [
                "Số thẻ đảng viên",
                "Ngày kết nạp",
                "Họ tên",
                "Ngày tháng năm sinh",
                "Giới tính",
                "Số CCCD",
                "Trình độ chuyên môn",
                "Lý luận chính trị",
            ],
            [
                "01.000001",
                "02/03/2005",
                "Nguyễn Văn Đức",
                dt.datetime(1980, 5, 17),  # noqa: DTZ001 (an Excel date cell has no zone)
                "Nam",
                10080000001,
                "Đại học",
                "Trung cấp",
            ],
            [None, "1-6-15", "Đặng Thị Hòa", 32875, "Nữ", "010190000002", "", ""],
        ],
    )
    report = import_members(by=admin_user, org=tree["C1-T1"], source=path)
    assert report.ok and report.written and report.created == 2, [p.vi for p in report.problems]
    duc = Member.objects.get(card_number="01.000001")
    assert (duc.admitted_on, duc.birth_date, duc.citizen_id) == (
        dt.date(2005, 3, 2),
        dt.date(1980, 5, 17),
        "010080000001",
    )
    assert (duc.qualification, duc.political_theory, duc.status) == ("dai-hoc", "trung-cap", "probationary")
    hoa = Member.objects.get(full_name="Đặng Thị Hòa")
    assert (hoa.admitted_on, hoa.birth_date, hoa.sex) == (dt.date(2015, 6, 1), dt.date(1990, 1, 2), "nu")
    assert Membership.objects.filter(organisation=tree["C1-T1"]).count() == 2
    assert AuditEntry.objects.filter(action="member.import").count() == 2


def test_legacy_encodings_and_decomposed_unicode_are_converted(tmp_path, admin_user, tree):
    path = xlsx(
        tmp_path,
        [
            HEAD,
            [1, "NguyÔn V¨n §øc", "Nam", "17/05/1980", "Kinh", "02/03/2005", "02/03/2006", "01.000001"],
            [2, "Traàn Thò Thu Höông", "Nöõ", "01/01/1985", "Taøy", "01/01/2010", "01/01/2011", "01.000002"],
            [3, unicodedata.normalize("NFD", "Lò Văn Ánh"), "Nam", "01/01/1970", "Tày", "01/01/1995", "", ""],
        ],
    )
    report = import_members(by=admin_user, org=tree["C1-T1"], source=path)
    assert report.written, [p.vi for p in report.problems]
    names = set(Member.objects.values_list("full_name", flat=True))
    assert names == {"Nguyễn Văn Đức", "Trần Thị Thu Hương", "Lò Văn Ánh"}
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert Member.objects.get(full_name="Trần Thị Thu Hương").ethnicity == "Tày"
    # the column is read as one encoding, and the cells that plainly differ from it as their own
    col = report.columns["full_name"]
    assert col.encoding in ("tcvn3", "vni") and col.overrides == 1 and col.cells == 3


def test_every_problem_is_reported_and_nothing_is_written(tmp_path, admin_user, tree, people):
    path = xlsx(
        tmp_path,
        [
            HEAD + ["Cột lạ"],
            [1, "Lê Văn Bình", "Nam", "31/02/1980", "Kinh", "02/03/2005", "", "", "x"],
            [2, "Lê Văn Cường", "Nam", "01/01/1980", "Kinh", "01/01/2004", "", "09.000001", ""],
            [3, "Lê Văn Dũng", "Nam", "01/01/1981", "Kinh", "01/01/2005", "", "09.000001", ""],
            [4, "Lê Văn Em", "Nam", "01/01/1982", "Kinh", "01/01/2005", "01/01/2004", "", ""],
            [5, "Lê Văn Giang", "Nam", "01/01/1983", "Kinh", "01/01/2005", "", "01.000003", ""],
            [6, "Lê Văn Hải", "Nam", "01/01/1984", "Kinh", "01/01/2005", "", "", ""],
        ],
    )
    before = Member.objects.count()
    report = import_members(by=admin_user, org=tree["C1-T1"], source=path)
    assert not report.written and Member.objects.count() == before
    got = {(p.row, p.column): p.reason for p in report.problems}
    assert got[(4, "Ngày sinh")] == "«31/02/1980» không phải là ngày (dùng dd/mm/yyyy)."
    assert got[(6, "Số thẻ")] == "Số thẻ đảng viên «09.000001» trùng với dòng 5."
    assert "không được trước ngày vào Đảng" in got[(7, "Ngày chính thức")]
    assert "Giàng A Páo" in got[(8, "Số thẻ")] and "chuyển sinh hoạt" in got[(8, "Số thẻ")]
    assert [w.column for w in report.warnings] == ["Cột lạ"]
    assert report.rejected_rows == 4 and report.created == 2
    # with the explicit option, the valid rows go in and the rejects are listed
    report = import_members(by=admin_user, org=tree["C1-T1"], source=path, only_valid=True)
    assert report.written and Member.objects.count() == before + 2


def test_matching_card_number_updates_instead_of_duplicating(tmp_path, admin_user, tree, people):
    path = xlsx(
        tmp_path,
        [
            ["Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Giới tính", "Số thẻ", "Điện thoại"],
            ["Nguyễn Văn Đức", "17/05/1980", "02/03/2005", "Nam", "01.000001", "0912345678"],
        ],
    )
    report = import_members(by=admin_user, org=tree["C1-T1"], source=path)
    assert (report.created, report.updated, report.written) == (0, 1, True)
    people["duc"].refresh_from_db()
    assert people["duc"].phone == "0912345678"
    assert AuditEntry.objects.get(action="member.import_update").after == {"phone": "0912345678"}


def test_missing_required_columns_and_non_excel_files(tmp_path, admin_user, tree):
    path = xlsx(tmp_path, [["Họ và tên", "Ngày sinh", "Ngày vào Đảng"], ["Lê Văn A", "1/1/1980", "1/1/2005"]])
    report = import_members(by=admin_user, org=tree["C1-T1"], source=path)
    assert [p.vi for p in report.warnings] == ["«Giới tính»: Thiếu cột «Giới tính»: chỉ cập nhật được đảng viên đã có."]
    assert [p.vi for p in report.problems] == ["Dòng 4, cột «Giới tính»: Đảng viên mới cần «Giới tính» (tệp không có cột này)."]
    bad = tmp_path / "x.xlsx"
    bad.write_text("không phải excel")
    assert (
        "không đọc được"
        in import_members(by=admin_user, org=tree["C1-T1"], source=str(bad)).problems[0].reason
    )


def test_command_exit_status_and_output(tmp_path, admin_user, tree, capsys):
    good = xlsx(
        tmp_path, [HEAD, [1, "Lê Văn Bình", "Nam", "1/1/1980", "Kinh", "1/1/2005", "", ""]], "ok.xlsx"
    )
    bad = xlsx(
        tmp_path, [HEAD, [1, "Lê Văn Cường", "Nam", "1/1/2099", "Kinh", "1/1/2005", "", ""]], "bad.xlsx"
    )
    call_command("import_members", good, "--org", "C1-T1", "--dry-run")
    assert Member.objects.count() == 0 and "Dry run" in capsys.readouterr().out
    call_command("import_members", good, "--org", "c1-t1")
    assert Member.objects.count() == 1
    with pytest.raises(CommandError, match="Refused"):
        call_command("import_members", bad, "--org", "C1-T1")
    out = capsys.readouterr().out
    assert "row 4, column Ngày sinh: Ngày không được sau ngày hôm nay" in out
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/03/2005", dt.date(2005, 3, 5)),
        ("5-3-05", dt.date(2005, 3, 5)),
        ("5.3.1985", dt.date(1985, 3, 5)),
        ("2005-03-05", dt.date(2005, 3, 5)),
        (38416, dt.date(2005, 3, 5)),
        (None, None),
        ("", None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected
