import datetime as dt

from django import template

register = template.Library()


@register.filter
def add_days(value: dt.date | None, days: int):
    return value + dt.timedelta(days=int(days)) if value else value
