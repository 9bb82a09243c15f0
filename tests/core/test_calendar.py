"""The working-day calendar is the official one: deadlines count the days off and the Saturdays worked of the
Government's announcements, administrators correct it on a page (audited), and stored deadlines follow."""

import datetime as dt

import pytest

from dangvu.core import workdays
from dangvu.core.models import AuditEntry, CalendarDay
from dangvu.core.workdays import add_working_days, is_working_day
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

# The official schedule, written from the announcements (rules-2026.md §7), independently of the seed: the
# weekdays off, and the weekend days worked in exchange.
OFF = {
    2025: ["01-01", "01-27", "01-28", "01-29", "01-30", "01-31", "04-07", "04-30", "05-01", "05-02", "09-01",
           "09-02"],
    2026: ["01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "04-27", "04-30", "05-01", "08-31",
           "09-01", "09-02", "11-24"],
    2027: ["01-01", "02-04", "02-05", "02-08", "02-09", "02-10", "04-16", "04-30", "05-03", "09-02", "09-03",
           "11-24"],  # not announced yet: the Labour Code's days
    2028: ["01-03", "01-24", "01-25", "01-26", "01-27", "01-28"],  # the deadlines of late 2027 run into 2028
}  # fmt: skip
WORKED = {2025: ["04-26"], 2026: ["01-10", "08-22"], 2027: []}


def official(d: dt.date) -> bool:
    if f"{d:%m-%d}" in WORKED.get(d.year, []):
        return True
    return d.weekday() < 5 and f"{d:%m-%d}" not in OFF.get(d.year, [])


def official_deadline(start: dt.date, n: int) -> dt.date:
    d = start
    while n:
        d += dt.timedelta(days=1)
        n -= official(d)
    return d


@pytest.fixture(autouse=True)
def fresh():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


def test_the_announced_swaps_are_in_the_calendar():
    assert not is_working_day(dt.date(2026, 1, 2))  # Friday off (12729/VPCP-KGVX)
    assert is_working_day(dt.date(2026, 1, 10))  # Saturday worked in exchange
    assert is_working_day(dt.date(2025, 4, 26)) and is_working_day(dt.date(2026, 8, 22))
    assert not is_working_day(dt.date(2026, 2, 17)) and not is_working_day(dt.date(2026, 4, 27))
    assert CalendarDay.objects.get(date=dt.date(2026, 1, 2)).source.startswith("Công văn 12729/VPCP-KGVX")


def test_every_60_working_day_deadline_from_2025_to_2027_is_the_official_one():
    starts = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(1095)]
    wrong = [(s, add_working_days(s, 60), official_deadline(s, 60)) for s in starts
             if add_working_days(s, 60) != official_deadline(s, 60)]  # fmt: skip
    assert wrong == []


def test_an_administrator_corrects_the_calendar_and_stored_deadlines_follow(client, admin_user, tree, people):  # noqa: F811
    from dangvu.members import services as msvc

    t = msvc.transfer_out(by=admin_user, member=people["an"], req=msvc.TransferRequest(
        kind="official", reason="Chuyển nơi ở", event_on=dt.date(2026, 11, 2), letter_on=dt.date(2026, 11, 3),
        to_org=tree["C2-T1"]))  # fmt: skip
    before = t.start_deadline
    client.force_login(admin_user)
    r = client.post("/calendar/", {"date": "16/11/2026", "kind": "off", "name": "Nghỉ bù thử nghiệm",
                                   "source": "Thông báo số 1/TB (thử)", "year": "2026"}, follow=True)  # fmt: skip
    assert "Đã ghi ngày 16/11/2026; tính lại 1 thời hạn đã lưu." in r.content.decode()
    t.refresh_from_db()
    assert t.start_deadline == add_working_days(dt.date(2026, 11, 2), 60) != before
    e = AuditEntry.objects.get(action="calendar.set")
    assert e.object_id == "2026-11-16" and e.after["recomputed"] == 1
    # a Saturday cannot be recorded as a day off that it already is, and the reason is said
    r = client.post("/calendar/", {"date": "21/11/2026", "kind": "off", "name": "x", "source": "y"})
    assert "đã là ngày nghỉ theo tuần làm việc thông thường" in r.content.decode()
    r = client.post("/calendar/", {"date": "16/11/2026", "remove": "1"}, follow=True)
    t.refresh_from_db()
    assert t.start_deadline == before and AuditEntry.objects.filter(action="calendar.remove").count() == 1


def test_others_read_the_calendar_but_cannot_change_it(client, tree, django_user_model):
    from dangvu.accounts import services as asvc

    u = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=u, organisation=tree["C1-T1"], role="admin", by=None)  # admin, but not at the top
    client.force_login(u)
    html = client.get("/calendar/?year=2026").content.decode()
    assert "02/01/2026" in html and "Công văn 12729/VPCP-KGVX" in html and "calendar-form" not in html
    r = client.post("/calendar/", {"date": "16/11/2026", "kind": "off", "name": "x", "source": "y"})
    assert r.status_code == 403 and not CalendarDay.objects.filter(date=dt.date(2026, 11, 16)).exists()
