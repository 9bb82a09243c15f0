"""What a score and the records allow, under the evaluation rules in force on the last day of the period.

The rules are the dated versions of the domain "evaluations.levels" (migration 0002): whether the framework
scores on 100 points and its bands, the share of tasks exceeding requirements "excellent" needs, the cap on
"excellent" and what discipline in the period caps a member (or, in its subtree, an organisation) at.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from dangvu.core import rules
from dangvu.core.dates import fmt
from dangvu.core.errors import DomainError

from .models import RANK, SHORT, Level, Period, Subject

DOMAIN = "evaluations.levels"

ERR_SCORE_RANGE = "Điểm phải từ 0 đến 100."
ERR_SCORE_DIGITS = "Điểm chỉ có một chữ số thập phân (vd: 89,5)."
ERR_SCORE_NUMBER = "Điểm phải là một số từ 0 đến 100."
ERR_SCORE_REQUIRED = "Quy định áp dụng từ {since} chấm theo thang 100 điểm: phải nhập điểm."
ERR_SCORE_UNSCORED = "Quy định áp dụng từ {since} không chấm điểm: để trống ô điểm."
ERR_LEVEL_REQUIRED = "Chọn mức xếp loại."
ERR_LEVEL = "Mức «{level}» không khớp với {what} theo quy định áp dụng từ {since}: {expected}."
ERR_TASKS = "Số nhiệm vụ vượt yêu cầu không thể lớn hơn số nhiệm vụ được giao."


def period_bounds(year: int, period: str) -> tuple[dt.date, dt.date]:
    if period == Period.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    q = int(period[1])
    last = 3 * q
    return dt.date(year, last - 2, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def in_force(year: int, period: str) -> tuple[dt.date, dict]:
    """(valid_from, params) of the rules judging a review of the period: those in force on its last day."""
    end = period_bounds(year, period)[1]
    return rules.version(DOMAIN, end), rules.params(DOMAIN, end)


def parse_score(raw, field: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(ERR_SCORE_NUMBER, field=field) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise DomainError(ERR_SCORE_RANGE, field=field)
    if value != value.quantize(Decimal("0.1")):
        raise DomainError(ERR_SCORE_DIGITS, field=field)
    return value.quantize(Decimal("0.1"))


def lower(a: str, b: str) -> str:
    return a if RANK[a] <= RANK[b] else b


def label(level: str) -> str:
    return f"{Level(level).label} ({SHORT[level]})"


@dataclass
class Judgement:
    since: dt.date
    scored: bool
    band: str | None = None  # the level the score alone earns (scored frameworks)
    ceiling: str = Level.EXCELLENT  # the highest level the score and the conditions allow
    reasons: list[str] = field(default_factory=list)  # why the ceiling is below the band

    @property
    def allowed(self) -> list[str]:
        if not self.scored:
            return [lv for lv in Level.values if RANK[lv] <= RANK[self.ceiling]]
        # the cap on "excellent" may move an excellent score down to good; nothing else departs from the score
        return [self.ceiling, Level.GOOD] if self.ceiling == Level.EXCELLENT else [self.ceiling]


def judge(
    since: dt.date,
    p: dict,
    *,
    subject: str,
    score: Decimal | None,
    tasks_total: int | None,
    tasks_exceeded: int | None,
    disciplined: int,
) -> Judgement:
    """The ceiling for a score and the conditions; `disciplined`: how many disciplined in the period (the member:
    0 or 1; an organisation: members of its subtree)."""
    j = Judgement(since=since, scored=bool(p.get("scored")))
    if j.scored and score is not None:
        j.band = Level.NOT_COMPLETED
        for threshold, level in p["bands"]:
            if score >= Decimal(str(threshold)):
                j.band = level
                break
        j.ceiling = j.band
    pct = p.get("excellent_min_exceeding_pct")
    if pct and j.ceiling == Level.EXCELLENT:
        total, exceeded = tasks_total or 0, tasks_exceeded or 0
        if not total or exceeded * 100 < pct * total:
            j.ceiling = Level.GOOD
            share = f"{exceeded}/{total}" if total else "chưa khai số nhiệm vụ"
            j.reasons.append(f"chưa đạt {pct}% nhiệm vụ vượt yêu cầu ({share})")
    if disciplined:
        cap = p["discipline_cap"] if subject == Subject.MEMBER else p["org_discipline_cap"]
        if RANK[cap] < RANK[j.ceiling]:
            j.ceiling = cap
            j.reasons.append(
                "bị thi hành kỷ luật trong kỳ"
                if subject == Subject.MEMBER
                else f"có {disciplined} đảng viên bị thi hành kỷ luật trong kỳ"
            )
    return j


def check(
    since: dt.date,
    p: dict,
    *,
    subject: str,
    score: Decimal | None,
    level: str,
    tasks_total: int | None,
    tasks_exceeded: int | None,
    disciplined: int,
    score_field: str,
    level_field: str,
) -> Judgement:
    """Refuses a score or a level the rules do not allow, naming the field and the rule's date."""
    since_s = fmt(since)
    scored = bool(p.get("scored"))
    if scored and score is None:
        raise DomainError(ERR_SCORE_REQUIRED.format(since=since_s), field=score_field)
    if not scored and score is not None:
        raise DomainError(ERR_SCORE_UNSCORED.format(since=since_s), field=score_field)
    if tasks_total is not None and tasks_exceeded is not None and tasks_exceeded > tasks_total:
        raise DomainError(ERR_TASKS, field="tasks_exceeded")
    if not level:
        raise DomainError(ERR_LEVEL_REQUIRED, field=level_field)
    if level not in Level.values:
        raise DomainError(ERR_LEVEL_REQUIRED, field=level_field)
    j = judge(since, p, subject=subject, score=score, tasks_total=tasks_total,
              tasks_exceeded=tasks_exceeded, disciplined=disciplined)  # fmt: skip
    if level not in j.allowed:
        what = f"{score:g} điểm".replace(".", ",") if scored else "hồ sơ"
        if scored:
            expected = f"mức đúng là «{label(j.ceiling)}»"
            if j.ceiling == Level.EXCELLENT:
                expected += " (hoặc HTTNV khi vượt tỷ lệ)"
        else:
            expected = f"mức cao nhất được xếp là «{label(j.ceiling)}»"
        if j.reasons:
            expected += " vì " + "; ".join(j.reasons)
        raise DomainError(
            ERR_LEVEL.format(level=SHORT[level], what=what, since=since_s, expected=expected),
            field=level_field,
        )
    return j
