import datetime as dt

import pytest

from dangvu.members import services as msvc


def profile(**kw) -> dict:
    data = {
        "full_name": "Nguyễn Văn Đức",
        "sex": "nam",
        "birth_date": dt.date(1980, 5, 17),
        "ethnicity": "Kinh",
        "admitted_on": dt.date(2005, 3, 2),
        "official_on": dt.date(2006, 3, 2),
    }
    data.update(kw)
    return data


@pytest.fixture
def add(admin_user, tree):
    """add(cell_code, **profile) → a member created through the service."""

    def _add(code="C1-T1", joined_on=None, **kw):
        return msvc.member_create(
            by=admin_user, place=msvc.Placement(tree[code], joined_on=joined_on), data=profile(**kw)
        )

    return _add


@pytest.fixture
def people(add):
    """Five members in C1-T1 (Khánh Yên's first village), two in C2-T1."""
    return {
        "duc": add(card_number="01.000001", citizen_id="010080000001"),
        "hoa": add(
            full_name="Đặng Thị Hòa",
            sex="nu",
            birth_date=dt.date(1990, 1, 2),
            admitted_on=dt.date(2015, 6, 1),
            official_on=dt.date(2016, 6, 1),
            card_number="01.000002",
        ),
        "an": add(
            full_name="Lò Văn An",
            ethnicity="Tày",
            birth_date=dt.date(1960, 7, 1),
            admitted_on=dt.date(1985, 1, 1),
            official_on=dt.date(1986, 1, 1),
        ),
        "dung": add(
            full_name="Trần Thị Dung",
            sex="nu",
            birth_date=dt.date(2000, 2, 2),
            admitted_on=dt.date(2025, 12, 1),
            official_on=None,
        ),
        "anh": add(
            full_name="Phạm Minh Ánh",
            birth_date=dt.date(1975, 3, 3),
            political_theory="trung-cap",
            qualification="dai-hoc",
        ),
        "khe": add("C2-T1", full_name="Giàng A Páo", ethnicity="Mông", card_number="01.000003"),
        "vo": add("C2-T1", full_name="Vàng Thị Mỷ", sex="nu", ethnicity="Mông"),
    }
