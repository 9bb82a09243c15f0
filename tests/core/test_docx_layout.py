"""The layout of Party documents is dated data: a document is laid out by the version in force on its date."""

import datetime as dt

import pytest

from dangvu.core import rules
from dangvu.core.dates import day_month, party_date
from dangvu.core.docx_layout import new_document
from dangvu.core.models import RuleSet

pytestmark = pytest.mark.django_db


def cm(*lengths) -> tuple:
    return tuple(round(x.cm, 1) for x in lengths)


def test_margins_come_from_the_rules_in_force_on_the_documents_date():
    s = new_document(dt.date(2025, 1, 1)).sections[0]
    assert cm(s.top_margin, s.left_margin, s.right_margin) == (2, 3, 1.5)
    base = RuleSet.objects.get(domain="documents.format").params
    RuleSet.objects.create(domain="documents.format", valid_from=dt.date(2026, 6, 1),
                           params={**base, "margins_cm": {"top": 2.5, "bottom": 2, "left": 3, "right": 2}},
                           source="Hướng dẫn thể thức 2026 (thử)")  # fmt: skip
    rules.clear_cache()
    assert cm(new_document(dt.date(2026, 5, 31)).sections[0].top_margin) == (2,)
    s = new_document(dt.date(2026, 7, 1)).sections[0]
    assert cm(s.top_margin, s.right_margin) == (2.5, 2)


@pytest.mark.parametrize(("d", "expected"), [
    (dt.date(2026, 3, 5), ("05", "3")), (dt.date(2026, 2, 15), ("15", "02")), (dt.date(2026, 1, 9), ("09", "01")),
    (dt.date(2026, 11, 30), ("30", "11")), (dt.date(2026, 10, 1), ("01", "10")),
])  # fmt: skip
def test_days_below_10_and_months_1_and_2_take_a_leading_zero(d, expected):
    assert day_month(d) == expected
    assert party_date("Khánh Yên", dt.date(2026, 3, 5)) == "Khánh Yên, ngày 05 tháng 3 năm 2026"
