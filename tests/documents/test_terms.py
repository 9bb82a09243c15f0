"""Terms drive the numbering, and each term records the congress that opened it: the next congress follows the
organisation's own last; an organisation formed by a merge continues the highest sequence of those merged into
it; one established or split off starts at the first (2025 guidance)."""

import datetime as dt

import pytest

from dangvu.documents import services as dsvc
from dangvu.members import services as msvc
from dangvu.organizations import services as osvc
from tests.conftest import decision

from .conftest import out

pytestmark = pytest.mark.django_db


def test_the_congress_sequence_continues_through_a_merge_and_starts_anew_after_a_split(admin_user, tree):
    by = admin_user
    t1, t2 = tree["C1-T1"], tree["C1-T2"]
    assert msvc.next_congress_number(t1) == 1
    msvc.term_create(by=by, org=t1, name="2020–2025", starts_on=dt.date(2020, 6, 1), congress_number=14)
    msvc.term_create(by=by, org=t2, name="2020–2025", starts_on=dt.date(2020, 6, 1), congress_number=9)
    later = msvc.term_create(by=by, org=t2, name="2022–2025", starts_on=dt.date(2022, 6, 1))
    assert later.congress_number == 10  # the next after its own
    event = osvc.org_merge(by=by, sources=[t1, t2], decision=decision(2025, 8, 1),
                           new_target=osvc.NewOrg("C1-T9", "Chi bộ thôn Nà Lộc – Đồng Tâm", t1.type, tree["C1"]))  # fmt: skip
    merged = event.links.get(role="target").organisation
    first = msvc.term_create(by=by, org=merged, name="2025–2030", starts_on=dt.date(2025, 9, 1))
    assert first.congress_number == 15  # continues the highest historical sequence (14)
    split = osvc.org_split(by=by, source=tree["C2-T1"], decision=decision(2025, 8, 1), assignment={},
                           targets=[osvc.NewOrg("C2-T8", "Chi bộ thôn Khe Bàn 1", t1.type, tree["C2"]),
                                    osvc.NewOrg("C2-T9", "Chi bộ thôn Khe Bàn 2", t1.type, tree["C2"])])  # fmt: skip
    part = split.links.filter(role="target").first().organisation
    assert msvc.term_create(by=by, org=part, name="2025–2030", starts_on=dt.date(2025, 9, 1)).congress_number == 1


def test_a_new_term_numbers_every_type_from_01_again(admin_user, tree):
    c1 = tree["C1"]
    msvc.term_create(by=admin_user, org=c1, name="2020–2025", starts_on=dt.date(2020, 10, 1))
    assert dsvc.outgoing_add(by=admin_user, org=c1, data=out(on=dt.date(2025, 6, 1))).symbol == "01-KH/ĐU"
    assert dsvc.outgoing_add(by=admin_user, org=c1, data=out(on=dt.date(2025, 6, 2))).symbol == "02-KH/ĐU"
    msvc.term_create(by=admin_user, org=c1, name="2025–2030", starts_on=dt.date(2025, 7, 1))
    doc = dsvc.outgoing_add(by=admin_user, org=c1, data=out(on=dt.date(2025, 7, 2)))
    assert doc.symbol == "01-KH/ĐU" and doc.term.name == "2025–2030"
    late_entry = dsvc.outgoing_add(by=admin_user, org=c1, data=out(on=dt.date(2025, 6, 30)))  # the old term's
    assert late_entry.symbol == "03-KH/ĐU" and late_entry.term.name == "2020–2025"


def test_a_term_recorded_late_never_makes_a_number_start_again(admin_user, tree):
    c1 = tree["C1"]
    first = dsvc.outgoing_add(by=admin_user, org=c1, data=out(on=dt.date(2026, 3, 2)))
    assert first.symbol == "01-KH/ĐU" and first.term is None
    msvc.term_create(by=admin_user, org=c1, name="2025–2030", starts_on=dt.date(2025, 10, 1))
    later = dsvc.outgoing_add(by=admin_user, org=c1, data=out(on=dt.date(2026, 3, 3)))
    assert later.symbol == "02-KH/ĐU" and later.term.name == "2025–2030"  # the term's period already had 01
