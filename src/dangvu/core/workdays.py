"""Working days: Monday to Friday, minus Vietnamese public holidays (solar and lunar, with the substitute days
the government announces), as the `holidays` package maintains them. Deadlines of the Party rules ("within 60
working days") are counted here and nowhere else."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.Vietnam(years=year).keys())


def is_working_day(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in _holidays(d.year)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (the day of the event itself is not counted)."""
    d = start
    while n > 0:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    n, d = 0, start
    while d < end:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n += 1
    return n
