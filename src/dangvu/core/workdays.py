"""Working days: Monday to Friday, except the days off of the official calendar, plus the weekend days worked
in exchange — both read from the dated calendar table (`CalendarDay`), which the `holidays` package and the
Government's announcements seeded and which administrators correct each year. Deadlines of the Party rules
("within 60 working days") are counted here and nowhere else.

Each process keeps the table in memory for a minute at most (and drops it at once when this process changes
it); a change also recomputes the deadlines already stored that it touches (`on_change` hooks: the apps that
store deadlines register theirs)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

_TTL = 60.0
_cache: dict[str, object] = {"at": 0.0, "off": frozenset(), "work": frozenset()}
_hooks: list[Callable[[set[dt.date]], int]] = []


def clear_cache() -> None:
    _cache["at"] = 0.0


def _days() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    if time.monotonic() - float(_cache["at"]) > _TTL:
        from .models import CalendarDay

        rows = list(CalendarDay.objects.values_list("date", "kind"))
        _cache["off"] = frozenset(d for d, k in rows if k == CalendarDay.Kind.OFF)
        _cache["work"] = frozenset(d for d, k in rows if k == CalendarDay.Kind.WORK)
        _cache["at"] = time.monotonic()
    return _cache["off"], _cache["work"]  # type: ignore[return-value]


def is_working_day(d: dt.date) -> bool:
    off, work = _days()
    if d in work:
        return True
    return d.weekday() < 5 and d not in off


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


def on_change(hook: Callable[[set[dt.date]], int]) -> None:
    """Register a function that recomputes what it stores when these calendar days changed (returns how many
    records it changed). Called inside the calendar change's transaction."""
    if hook not in _hooks:
        _hooks.append(hook)


def changed(dates: set[dt.date]) -> int:
    """The calendar changed on these days: drop the cache and let every hook recompute."""
    clear_cache()
    return sum(hook(dates) for hook in _hooks)
