import datetime as dt
import unicodedata

import pytest

from dangvu.core.legacy import detect, to_unicode
from dangvu.core.workdays import add_working_days, is_working_day


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


def test_working_days_skip_weekends_and_lunar_new_year():
    assert not is_working_day(dt.date(2026, 2, 17))  # Tết
    assert not is_working_day(dt.date(2026, 2, 21))  # Saturday
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    assert add_working_days(dt.date(2026, 4, 24), 2) == dt.date(2026, 4, 29)  # 27/04 observed holiday
