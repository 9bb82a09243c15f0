"""Writing the working-day calendar: one day at a time, audited, and every stored deadline that counted across
that day recomputed in the same transaction (core.workdays hooks)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from . import audit, workdays
from .errors import DomainError
from .models import CalendarDay
from .text import clean

ERR_KIND = "Chọn «nghỉ» hoặc «làm việc (làm bù)»."
ERR_NAME = "Ghi tên ngày (ví dụ: Tết Dương lịch, Làm bù cho ngày 02/01)."
ERR_SOURCE = "Ghi căn cứ (số, ngày văn bản thông báo)."
ERR_USUAL = "Ngày {date} đã là ngày {what} theo tuần làm việc thông thường; không cần ghi."


def _snap(d: CalendarDay | None) -> dict | None:
    return None if d is None else {"kind": d.kind, "name": d.name, "source": d.source}


def day_set(*, by, date: dt.date, kind: str, name: str, source: str) -> int:
    """Record (or correct) a day off or a day worked. Returns how many stored deadlines were recomputed."""
    errors = {}
    if kind not in CalendarDay.Kind.values:
        errors["kind"] = ERR_KIND
    if not clean(name):
        errors["name"] = ERR_NAME
    if not clean(source):
        errors["source"] = ERR_SOURCE
    if not errors and (kind == CalendarDay.Kind.WORK) == (date.weekday() < 5):
        what = "làm việc" if date.weekday() < 5 else "nghỉ"
        errors["kind"] = ERR_USUAL.format(date=f"{date:%d/%m/%Y}", what=what)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        old = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = _snap(old)
        day, _ = CalendarDay.objects.update_or_create(
            date=date, defaults={"kind": kind, "name": clean(name)[:200], "source": clean(source)[:500]}
        )
        n = workdays.changed({date})
        audit.record(by=by, action="calendar.set", object_type="core.calendarday", object_id=date.isoformat(),
                     before=before, after={**_snap(day), "recomputed": n})  # fmt: skip
    return n


def day_remove(*, by, date: dt.date) -> int:
    """Back to the usual week on that day. Returns how many stored deadlines were recomputed."""
    with transaction.atomic():
        old = CalendarDay.objects.select_for_update().filter(date=date).first()
        if old is None:
            return 0
        before = _snap(old)
        old.delete()
        n = workdays.changed({date})
        audit.record(by=by, action="calendar.remove", object_type="core.calendarday", object_id=date.isoformat(),
                     before=before, after={"recomputed": n})  # fmt: skip
    return n


def year(y: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=y).order_by("date"))
