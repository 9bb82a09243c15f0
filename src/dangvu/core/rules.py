"""Rules as dated data: the parameters of a domain in force on a date.

Versions are read once per process and domain, and the cache is dropped whenever a RuleSet is saved or
deleted (signals below), so bulk checks (an import of 100,000 rows) do not query per row.
"""

from __future__ import annotations

import datetime as dt

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import RuleSet

_CACHE: dict[str, list[tuple[dt.date, dict]]] = {}


class NoRule(LookupError):
    pass


def _versions(domain: str) -> list[tuple[dt.date, dict]]:
    if domain not in _CACHE:
        _CACHE[domain] = list(
            RuleSet.objects.filter(domain=domain).order_by("-valid_from").values_list("valid_from", "params")
        )
    return _CACHE[domain]


def _in_force(domain: str, on: dt.date) -> tuple[dt.date, dict]:
    """The version of `domain` in force on `on` (the latest starting on or before it; the earliest version for
    dates before any)."""
    versions = _versions(domain)
    if not versions:
        raise NoRule(domain)
    for v in versions:
        if v[0] <= on:
            return v
    return versions[-1]


def params(domain: str, on: dt.date) -> dict:
    """The parameters of `domain` in force on `on`."""
    return _in_force(domain, on)[1]


def version(domain: str, on: dt.date) -> dt.date:
    """The `valid_from` of the version `params(domain, on)` returns."""
    return _in_force(domain, on)[0]


def clear_cache() -> None:
    _CACHE.clear()


@receiver([post_save, post_delete], sender=RuleSet)
def _drop_cache(**kwargs) -> None:
    clear_cache()
