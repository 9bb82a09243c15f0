"""The discipline rules as dated data (`RuleSet` domain "inspection.discipline", migration 0002): who may decide
which form, the votes, the limitation periods and how they count, the days to appeal and to answer, the days an
outside body has to notify, the deadlines for denunciations. Every judgment takes the date it is about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dangvu.core import rules
from dangvu.core.dates import add_months, fmt
from dangvu.organizations.models import OrgKind

from .models import Form, Gravity

DOMAIN = "inspection.discipline"

ERR_FORM_POWER = "{body} của {org} không có thẩm quyền quyết định hình thức «{form}» (chỉ: {allowed})."
ERR_FORM_PROBATIONARY = "Đảng viên dự bị chỉ bị khiển trách hoặc cảnh cáo."
ERR_LIMITATION = (
    "Đã hết thời hiệu xử lý kỷ luật ngày {until} ({years} năm tính từ {start}); không thi hành kỷ luật được."
)
ERR_VOTES = "Cần {need} trên {base} thành viên tán thành ({share}); mới có {votes_for}."


def params(on: dt.date) -> dict:
    return rules.params(DOMAIN, on)


def version(on: dt.date) -> dt.date:
    return rules.version(DOMAIN, on)


def level_of(org) -> str:
    """The deciding organisation's level as the rules name it: a cell, a grassroots committee, or a committee
    above the grassroots (no tier is named by its place in the tree)."""
    if org.type.kind == OrgKind.CELL:
        return "cell"
    return "grassroots" if org.type.is_grassroots else "superior"


def forms_allowed(org, subject: str, on: dt.date) -> list[str]:
    """`subject`: "member" or "organisation"."""
    return list(params(on)["powers"].get(level_of(org), {}).get(subject, []))


def power_problem(org, body_label: str, subject: str, form: str, on: dt.date) -> str | None:
    allowed = forms_allowed(org, subject, on)
    if form in allowed:
        return None
    return ERR_FORM_POWER.format(body=body_label, org=org.name, form=Form(form).label,
                                 allowed=", ".join(Form(f).label.lower() for f in allowed) or "không có")  # fmt: skip


@dataclass
class Limitation:
    start: dt.date  # the date the period counts from
    years: int | None  # None: no limitation
    until: dt.date | None
    restarted_by: dt.date | None = None  # a later violation that restarted the count


def limitation(*, subject: str, gravity: str, conduct_from: dt.date, conduct_to: dt.date | None,
               later: list[dt.date], on: dt.date) -> Limitation:  # fmt: skip
    """The limitation period of conduct of `gravity` (rules in force on `on`, the decision's date). A continuing
    violation counts from its start or its end as the rules say for members and organisations; each later
    violation of the same subject within the period restarts it (`later`: their dates)."""
    p = params(on)
    years = p["limitation_years"].get(gravity)
    start = conduct_to if conduct_to and p["continuing_from"][subject] == "end" else conduct_from
    if years is None or gravity == Gravity.UNLIMITED:
        return Limitation(start, None, None)
    until = add_months(start, 12 * years)
    restarted = None
    if p.get("restart_on_new"):
        for d in sorted(x for x in later if x > start):
            if d <= until:
                start, until, restarted = d, add_months(d, 12 * years), d
    return Limitation(start, years, until, restarted)


def limitation_problem(lim: Limitation, decided_on: dt.date) -> str | None:
    if lim.until is None or decided_on <= lim.until:
        return None
    return ERR_LIMITATION.format(until=fmt(lim.until), years=lim.years, start=fmt(lim.start))


def votes_needed(form: str, base: int, on: dt.date) -> tuple[int, str]:
    """(the least number of votes for, how the share reads) the rules set for `form` out of `base`."""
    num, den, how = params(on)["votes"]["expulsion" if form in (Form.EXPULSION, Form.DISSOLUTION) else "other"]
    if how == "at_least":
        need = -(-base * num // den)
        return need, f"ít nhất {num}/{den}"
    return base * num // den + 1, f"quá {num}/{den}"


def votes_problem(form: str, votes_for: int, base: int, on: dt.date) -> str | None:
    need, share = votes_needed(form, base, on)
    if votes_for >= need:
        return None
    return ERR_VOTES.format(need=need, base=base, share=share, votes_for=votes_for)


def appeal_due(announced_on: dt.date) -> dt.date:
    return announced_on + dt.timedelta(days=params(announced_on)["appeal_days"])


def answer_due(filed_on: dt.date) -> dt.date:
    return filed_on + dt.timedelta(days=params(filed_on)["appeal_answer_days"])


def notice_due(decided_on: dt.date) -> dt.date:
    return decided_on + dt.timedelta(days=params(decided_on)["notice_days"])


def complaint_due(kind: str, received_on: dt.date) -> dt.date:
    return received_on + dt.timedelta(days=params(received_on)["complaint_days"][kind])


def uncertain(on: dt.date) -> list[str]:
    """The parameters of the version in force that no verified text confirms (shown beside the figures)."""
    return list(params(on).get("uncertain", []))
