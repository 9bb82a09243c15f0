"""What other apps keep *in* an organisation (members, …) and a merge, split or dissolve must carry along.

The tree does not know those apps; they register a Holding here (in their AppConfig.ready), and the lifecycle
services ask each one to check the target, to list what must be assigned in a split, and to move everything,
inside the decision's transaction and with the decision's event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol


class Holding(Protocol):
    label: str  # plural noun for confirmation lines, e.g. "đảng viên"
    field: str  # the assignment field prefix in a split, e.g. "member"

    def count(self, org) -> int: ...

    def items(self, org) -> list[tuple[int, str]]:
        """(key, label) of each thing a split must assign to one of its targets."""
        ...

    def refuse_target(self, target_type, target_label: str) -> str | None:
        """A message when the type cannot hold these things, else None."""
        ...

    def move(self, source, target_for: Callable[[int], object], when: dt.date, event, reason: str) -> int: ...

    def annotate_rows(self, rows) -> None:
        """Add this holding's figures to tree rows (e.g. member count, secretary), in a fixed number of queries."""
        ...

    def detail_context(self, user, org) -> dict:
        """Extra context for the organisation page (its template fragments read it)."""
        ...


class NothingToShow:
    """For a holding with no figures on tree rows and nothing on the organisation page."""

    def annotate_rows(self, rows) -> None:
        return None

    def detail_context(self, user, org) -> dict:
        return {}


_HOLDINGS: list[Holding] = []


def register_holding(h: Holding) -> None:
    if all(type(x) is not type(h) for x in _HOLDINGS):
        _HOLDINGS.append(h)


def holdings() -> list[Holding]:
    return list(_HOLDINGS)


def annotate_rows(rows) -> list:
    for h in _HOLDINGS:
        h.annotate_rows(rows)
    return rows


def detail_context(user, org) -> dict:
    ctx: dict = {}
    for h in _HOLDINGS:
        ctx.update(h.detail_context(user, org))
    return ctx
