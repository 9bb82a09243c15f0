"""Paper that prints: every generated .docx and .xlsx converted with LibreOffice (headless) to PDF and read back
with poppler, as a committee office would print it. `make test` installs LibreOffice when missing
(scripts/ensure-libreoffice.sh)."""

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from dangvu.evaluations import services as esvc
from dangvu.meetings import documents
from dangvu.members import services as msvc
from tests.evaluations.conftest import cycle  # noqa: F401  (fixture)
from tests.jobs.helpers import export
from tests.meetings.conftest import meet  # noqa: F401  (fixture)
from tests.meetings.test_documents_api import closed  # noqa: F401  (fixture)
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def soffice():
    path = shutil.which("soffice")
    if not path or not shutil.which("pdftotext"):
        pytest.fail("LibreOffice or poppler is missing: run `make test` (it installs them) or "
                    "scripts/ensure-libreoffice.sh")  # fmt: skip
    return path


def to_pdf(soffice, tmp_path: Path, files: dict[str, bytes]) -> dict[str, list[str]]:
    """Convert the files in one LibreOffice run; each PDF's pages as text (layout kept)."""
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",  # noqa: S603
                    "--outdir", str(tmp_path), *[str(tmp_path / n) for n in files]],
                   check=True, capture_output=True, timeout=240)  # fmt: skip
    out = {}
    for name in files:
        pdf = tmp_path / (Path(name).stem + ".pdf")
        text = subprocess.run(["/usr/bin/pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,  # noqa: S603
                              text=True).stdout  # fmt: skip
        out[name] = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    return out


def squash(s: str) -> str:
    return " ".join(s.split())


def test_the_registers_print_on_a4_landscape_across_one_page(soffice, tmp_path, client, admin_user, tree, people):  # noqa: F811
    term = msvc.term_create(by=admin_user, org=tree["C1-T1"], name="2025–2030", starts_on=dt.date(2025, 6, 1))
    msvc.seat_assign(by=admin_user, term=term, member=people["duc"], role="secretary")
    for i in range(55):  # enough rows for a second page
        msvc.member_create(by=admin_user, place=msvc.Placement(tree["C1-T1"]), data={
            "full_name": f"Lò Văn Thêm {i}", "sex": "nam", "birth_date": dt.date(1980, 1, 1), "ethnicity": "Tày",
            "admitted_on": dt.date(2005, 3, 2), "official_on": dt.date(2006, 3, 2), "card_number": f"01.1{i:05d}",
            "cv_number": f"LL{i}", "badge_number": f"HH{i}"})  # fmt: skip
    client.force_login(admin_user)
    files = {
        "register.xlsx": export(client, "/members/export/register.xlsx", {"org": "C1-T1"}),
        "list.xlsx": export(client, "/members/export/list.xlsx", {"org": "C1-T1"}),
    }
    pages = to_pdf(soffice, tmp_path, files)
    reg = pages["register.xlsx"]
    assert len(reg) == 3, [squash(p)[:200] for p in reg]  # 60 members, top to bottom: no pages side by side
    for i, page in enumerate(reg):
        text = squash(page)
        assert "(1)" in text and "(14)" in text, i  # every column on every page, the header repeated
        assert f"Trang {i + 1}/{len(reg)}" in text
    first = squash(reg[0])
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "SỔ DANH SÁCH ĐẢNG VIÊN" in first
    assert "02/03/2006" in first  # the official date, the second line of its cell, reached paper
    assert "HH0" in first  # and the badge number, the third line
    last = squash(reg[-1])
    assert "NGƯỜI LẬP" in last and "T/M CHI BỘ" in last and "Nguyễn Văn Đức" in last
    lst = pages["list.xlsx"]
    assert len(lst) == 2 and all("Trạng thái" in squash(p) and "Họ và tên" in squash(p) for p in lst)


def test_documents_print_with_a_one_line_place_and_date_and_whole_signatures(soffice, tmp_path, closed, cycle,  # noqa: F811
                                                                             people, admin_user, tree):  # noqa: F811
    from dangvu.evaluations import documents as edocs

    r = cycle(people["duc"], score="92", level="excellent", exceeded=4)
    esvc.review_decide(by=admin_user, verdicts=[esvc.Verdict(r, "good")], number="7-QĐ/ĐU")
    r.refresh_from_db()
    esvc.registration_save(by=admin_user, org=tree["C1-T1"], year=2025, target_level="good", goals="Chỉ tiêu A")
    o = esvc.review_open(by=admin_user, year=2025, org=tree["C1-T1"])
    agency = msvc.member_create(by=admin_user, place=msvc.Placement(tree["A"]), data={
        "full_name": "Vũ Thị Giáo", "sex": "nu", "birth_date": dt.date(1985, 1, 1), "ethnicity": "Kinh",
        "admitted_on": dt.date(2010, 1, 1), "official_on": dt.date(2011, 1, 1)})  # fmt: skip
    ra = esvc.review_open(by=admin_user, year=2025, member=agency)
    files = {
        "minutes.docx": documents.render(closed, "BB"),
        "resolution.docx": documents.render(closed, "NQ"),
        "form-2c.docx": edocs.build(r),
        "form-01.docx": edocs.build(o),
        "form-agency.docx": edocs.build(ra),
    }
    pages = to_pdf(soffice, tmp_path, files)
    assert {n: len(p) for n, p in pages.items()} == {"minutes.docx": 2, "resolution.docx": 1, "form-2c.docx": 2,
                                                     "form-01.docx": 2, "form-agency.docx": 2}  # fmt: skip
    date_line = re.compile(r"^\s*(.+), ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})\s*$", re.M)
    for name, doc_pages in pages.items():
        first = doc_pages[0]
        m = date_line.search(first)
        assert m, (name, first[:800])  # the whole place-and-date line on one line
        assert not m.group(3).startswith("0") or m.group(3) in ("01", "02"), name  # "tháng 3", "tháng 02"
    assert "Khánh Yên, ngày 12 tháng 3 năm 2026" in squash(pages["minutes.docx"][0])
    assert "Đồi Núi, ngày" in squash(pages["form-agency.docx"][0])  # the territory, not the school's name
    # each signature block is whole on one page: its title and the signer's name on the same page
    signers = {"minutes.docx": ("T/M CHI BỘ", "Nguyễn Văn Đức"), "resolution.docx": ("T/M CHI BỘ", "Nguyễn Văn Đức"),
               "form-2c.docx": ("NGƯỜI TỰ KIỂM ĐIỂM", "Nguyễn Văn Đức"), "form-01.docx": ("T/M CHI BỘ", "Nguyễn Văn Đức"),
               "form-agency.docx": ("NGƯỜI TỰ KIỂM ĐIỂM", "Vũ Thị Giáo")}  # fmt: skip
    for name, (title, signer) in signers.items():
        page = next((p for p in pages[name] if title in p), "")
        assert signer in page.split(title, 1)[-1], name
    # in the minutes both names (the minute-taker's and the chair's) stand on one line
    names = [line for p in pages["minutes.docx"] for line in p.splitlines() if "Đặng Thị Hòa" in line]
    assert names and "Nguyễn Văn Đức" in names[-1]
    assert "BÍ THƯ" in pages["form-01.docx"][-1] or "BÍ THƯ" in " ".join(pages["form-01.docx"])
    # the evaluation forms' header is 14 pt like every Party document
    runs = [r for p in Document(io.BytesIO(files["form-2c.docx"])).tables[0].rows[0].cells[0].paragraphs for r in p.runs]
    assert {r.font.size.pt for r in runs} == {14.0}
