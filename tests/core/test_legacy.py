import datetime as dt
import unicodedata

import pytest

from dangvu.core import legacy
from dangvu.core.legacy import detect, to_unicode
from dangvu.core.workdays import add_working_days, is_working_day

from .legacy_corpus import _cell, corpus, tcvn3, tcvn3_caps, vni, vni_caps


@pytest.mark.parametrize(
    ("raw", "expected", "kind"),
    [
        ("NguyÔn V¨n §øc", "Nguyễn Văn Đức", "tcvn3"),
        ("Hoµng ThÞ Thu Hµ", "Hoàng Thị Thu Hà", "tcvn3"),
        ("§¹i häc", "Đại học", "tcvn3"),
        ("Nguyeãn Vaên Ñöùc", "Nguyễn Văn Đức", "vni"),
        ("Traàn Thò Thu Höông", "Trần Thị Thu Hương", "vni"),
        ("Ñaïi hoïc", "Đại học", "vni"),
        (unicodedata.normalize("NFD", "Nguyễn Văn Đức"), "Nguyễn Văn Đức", "unicode"),
        ("Nguyễn Văn Đức", "Nguyễn Văn Đức", "unicode"),
        ("Vò Thị Hồng", "Vò Thị Hồng", "unicode"),
        ("THPT số 1", "THPT số 1", "unicode"),
    ],
)
def test_legacy_encodings_become_nfc_unicode(raw, expected, kind):
    out = to_unicode(raw)
    assert out == expected and unicodedata.is_normalized("NFC", out)
    assert detect(raw) == kind


@pytest.mark.django_db
def test_working_days_skip_weekends_and_lunar_new_year():
    from dangvu.core import workdays

    workdays.clear_cache()
    assert not is_working_day(dt.date(2026, 2, 17))  # Tết
    assert not is_working_day(dt.date(2026, 2, 21))  # Saturday
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    assert add_working_days(dt.date(2026, 4, 24), 2) == dt.date(2026, 4, 29)  # 27/04 observed holiday


LETTERS = [c for c in "àảãáạăằẳẵắặâầẩẫấậèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵđ"]
LETTERS += [c.upper() for c in LETTERS]


def test_the_tcvn3_table_is_glibc_iconvs_letter_by_letter():
    """All 134 marked letters, each encoded by glibc iconv as TCVN5712-1 and read back (as an .xls/.csv cell
    hands the bytes over), come back as themselves, capitals at 0x80–0x9F and 0x01–0x17 included."""
    assert len(LETTERS) == 134
    wrong = [(c, raw) for c in LETTERS if legacy.decode(raw := tcvn3(c), legacy.TCVN3) != c]
    assert wrong == []
    assert legacy.decode("\x83nh", legacy.TCVN3) == "Ánh" == legacy.decode(_cell(b"\x83nh"), legacy.TCVN3)


SETS = {
    "tcvn3": (tcvn3, str),
    "tcvn3 caps (.VnTimeH)": (tcvn3_caps, str.upper),
    "vni": (vni, str),
    "vni caps": (vni_caps, str.upper),
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_a_column_of_legacy_text_comes_out_right(name):
    """The bar: at least 99% of 230 realistic names, places and register words exactly right, per encoding and
    case, when read as a column (as the importer reads them)."""
    encode, expected = SETS[name]
    words = corpus()
    assert len(words) >= 200
    raw = [encode(w) for w in words]
    col, out = legacy.convert_column(raw)
    right = sum(o == expected(w) for o, w in zip(out, words, strict=True))
    assert right / len(words) >= 0.99, [(r, o) for r, o, w in zip(raw, out, words, strict=True) if o != expected(w)]
    assert col.encoding == name.split()[0]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_plain_unicode_is_never_altered(form):
    words = [unicodedata.normalize(form, w) for w in corpus() + [w.upper() for w in corpus()]]
    col, out = legacy.convert_column(words)
    assert col.encoding == "unicode" and col.overrides == 0
    assert out == [unicodedata.normalize("NFC", w) for w in words]
    assert [to_unicode(w) for w in words] == out


def test_the_examples_that_failed_cell_by_cell():
    col, out = legacy.convert_column(["B¾c Giang", "Thanh Hãa", "NguyÔn V¨n §øc", "Hµ Néi"])
    assert out == ["Bắc Giang", "Thanh Hóa", "Nguyễn Văn Đức", "Hà Nội"] and col.encoding == "tcvn3"
    col, out = legacy.convert_column(["Khoâng", "Loø Thò Ngoïc", "Nguyeãn Vaên Ñöùc"])
    assert out == ["Không", "Lò Thị Ngọc", "Nguyễn Văn Đức"] and col.encoding == "vni"
    col, out = legacy.convert_column(["HOµNG V¡N B×NH", "NGUYÔN THÞ LAN"])
    assert out == ["HOÀNG VĂN BÌNH", "NGUYỄN THỊ LAN"]


def test_a_cell_departs_from_its_column_only_on_strong_evidence():
    col, out = legacy.convert_column(["Nguyễn Văn Đức", "Trần Thị Hoa", "NguyÔn V¨n §øc", "Vò Thị Hồng"])
    assert col.encoding == "unicode" and col.overrides == 1
    assert out == ["Nguyễn Văn Đức", "Trần Thị Hoa", "Nguyễn Văn Đức", "Vò Thị Hồng"]
    assert col.samples == [("NguyÔn V¨n §øc", "Nguyễn Văn Đức")]


def test_the_user_may_choose_the_encoding_of_a_column():
    col, out = legacy.convert_column(["Thanh Hãa"], encoding="tcvn3")
    assert out == ["Thanh Hóa"] and col.label == "TCVN3 (ABC, .VnTime)"


def test_a_register_with_a_stray_cell_far_away_is_read_only_as_far_as_it_goes(tmp_path):
    """A 5 KB sheet claiming a million rows and 16,384 columns (one cell at XFD1048576) is not walked cell by cell:
    the reader stops at column 100 and after 1,000 empty rows."""
    from openpyxl import Workbook

    from dangvu.core import sheets

    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên"])
    ws.append([1, "Nguyễn Văn Đức"])
    ws.cell(row=1_048_576, column=16_384, value="x")
    path = tmp_path / "xa.xlsx"
    wb.save(path)
    [sheet] = sheets.read(str(path))
    assert [v for _, v, _ in sheet.rows][:2] == [("STT", "Họ và tên") + (None,) * 98, (1, "Nguyễn Văn Đức") + (None,) * 98]
    assert len(sheet.rows) <= 2 + sheets.MAX_BLANK_ROWS
