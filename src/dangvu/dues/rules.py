"""The dues arithmetic: pure functions of the rule set in force (`RuleSet` "dues.rates") and integers (VND).

`amount`: a percentage of the basis (1% of the salary subject to social insurance, 0.5% of a pension) or a fixed
sum, less a relief, rounded to the rule's step (half up). `keep`: the share of what reaches an organisation that
it keeps, by its type; the rest goes up.
"""

from __future__ import annotations

import datetime as dt

from dangvu.core import rules

DOMAIN = "dues.rates"


def params(month: dt.date) -> dict:
    return rules.params(DOMAIN, month)


def version(month: dt.date) -> dt.date:
    return rules.version(DOMAIN, month)


def _round(x: int, step: int) -> int:
    return (x + step // 2) // step * step if step > 1 else x


def amount(category: str, base: int, relief: int, p: dict) -> int:
    """What a member owes for a month: integers only."""
    if relief >= 100:
        return 0
    if category in p["percent"]:
        num, den = p["percent"][category]
        raw = base * num // den
    else:
        raw = p["fixed"][category]
    return _round(raw * (100 - relief) // 100, p["round_to"])


def keep(org_type_code: str, is_grassroots: bool, is_cell: bool, p: dict) -> int:
    """The percent of the dues reaching an organisation that it keeps."""
    k = p["keep"]
    if org_type_code in k.get("by_type", {}):
        return k["by_type"][org_type_code]
    if is_cell and not is_grassroots:
        return k["cell_under_grassroots"]
    if is_grassroots:
        return k["grassroots"]
    return k["above"]


def exempt_by_age(admitted_on: dt.date, month: dt.date, p: dict) -> bool:
    """Fifty years of Party age or more on the month's first day."""
    years = p.get("exempt_party_years")
    if not years:
        return False
    try:
        since = admitted_on.replace(year=admitted_on.year + years)
    except ValueError:
        since = admitted_on.replace(year=admitted_on.year + years, day=28)
    return since <= month
