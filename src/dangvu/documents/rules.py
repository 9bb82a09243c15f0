"""Who may issue which document type, as dated data (`RuleSet` domain "documents.authority", migration 0002):
QĐ 66-QĐ/TW (2017) until 08/01/2026, QĐ 399-QĐ/TW from 09/01/2026. A document is judged by the version in force
on its date."""

from __future__ import annotations

import datetime as dt

from dangvu.core import rules
from dangvu.organizations.models import OrgKind

from .models import Body, DocType

DOMAIN = "documents.authority"

ERR_AUTHORITY = "{issuer} không được ban hành {type} (theo {source})."
ISSUERS = {
    ("cell", Body.ORGANISATION): "Chi bộ",
    ("cell", Body.CONGRESS): "Đại hội chi bộ",
    ("grassroots", Body.ORGANISATION): "Đảng ủy cơ sở",
    ("grassroots", Body.STANDING): "Ban Thường vụ đảng ủy cơ sở",
    ("grassroots", Body.CONGRESS): "Đại hội đảng bộ cơ sở",
    ("grassroots", Body.COMMISSION): "Ủy ban Kiểm tra đảng ủy cơ sở",
}


def params(on: dt.date) -> dict:
    return rules.params(DOMAIN, on)


def level_of(org) -> str:
    """A cell, a grassroots committee, or a committee above the grassroots (no tier named by its depth)."""
    if org.type.kind == OrgKind.CELL:
        return "cell"
    return "grassroots" if org.type.is_grassroots else "superior"


def bodies_of(org) -> list[str]:
    """The bodies that issue in the organisation's name: a cell and its congress; a committee, its standing
    committee, its inspection commission and its congress."""
    if org.type.kind == OrgKind.CELL:
        return [Body.ORGANISATION, Body.CONGRESS]
    return [Body.ORGANISATION, Body.STANDING, Body.COMMISSION, Body.CONGRESS]


def allowed(org, body: str, on: dt.date) -> list[str]:
    p = params(on)
    level = level_of(org)
    if body == Body.CONGRESS and level in p.get("congress_allowed", {}):
        return list(p["congress_allowed"][level])
    refused = set(p.get("refuse", {}).get(level, {}).get(body, []))
    return [t for t in DocType.values if t not in refused]


def problem(org, body: str, doc_type: str, on: dt.date) -> str | None:
    """Why the body may not issue `doc_type` on `on`, with the rule cited; None when it may."""
    if body not in bodies_of(org):
        return f"{Body(body).label} không phải cơ quan ban hành của «{org.name}»."
    if doc_type in allowed(org, body, on):
        return None
    level = level_of(org)
    issuer = ISSUERS.get((level, body), f"{Body(body).label} của {org.name}")
    return ERR_AUTHORITY.format(issuer=issuer, type=DocType(doc_type).label.lower(), source=params(on)["source"])
