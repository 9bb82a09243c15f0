import datetime as dt

from django.db.models import Q
from django.utils import timezone


def today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh (the configured zone), never the server's UTC date."""
    return timezone.localdate()


def in_force(d: dt.date) -> Q:
    """Rows whose [valid_from, valid_to) interval contains `d` (valid_to null: still in force)."""
    return Q(valid_from__lte=d) & (Q(valid_to__isnull=True) | Q(valid_to__gt=d))


def fmt(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def parse(text: str) -> dt.date:
    """dd/mm/yyyy (or yyyy-mm-dd, as a date input sends it) → date; ValueError otherwise."""
    text = (text or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a calendar date, no time
        except ValueError:
            continue
    raise ValueError(text)


def day_month(d: dt.date) -> tuple[str, str]:
    """Day and month as Party documents write them: days below 10 and the months 1 and 2 with a leading zero
    (so that "1" cannot become "11" or "12" by hand), the other months without."""
    return f"{d.day:02d}", (f"{d.month:02d}" if d.month <= 2 else str(d.month))


def party_date(place: str, d: dt.date) -> str:
    """The place-and-date line of a Party document: "Khánh Yên, ngày 05 tháng 3 năm 2026"."""
    day, month = day_month(d)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day (31/1 + 1 → 28 or 29/2)."""
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue
    raise AssertionError
