import datetime as dt

from django import template

register = template.Library()


@register.filter
def add_days(value: dt.date | None, days: int):
    return value + dt.timedelta(days=int(days)) if value else value


@register.filter
def lookup(mapping: dict, key):
    """`{{ labels|lookup:e.action }}`: the mapping's value, or the key itself."""
    return mapping.get(key, key)
