import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh (the configured zone), never the server's UTC date."""
    return timezone.localdate()


def fmt(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""
