"""Links from the pages where a procedure happens (a merge, a transfer, a meeting…) to its page in the procedures
handbook, without the tree or the members knowing the handbook: the documents app registers the resolver, the
pages ask `{% procedure "slug" org %}` (core/templatetags/procedures.py). No resolver: no link."""

from __future__ import annotations

from collections.abc import Callable

_RESOLVER: list[Callable[[str, object], str]] = []


def register(resolver: Callable[[str, object], str]) -> None:
    _RESOLVER[:] = [resolver]


def link(slug: str, org=None) -> str:
    """The HTML of the link (already escaped), or ""."""
    return _RESOLVER[0](slug, org) if _RESOLVER else ""
