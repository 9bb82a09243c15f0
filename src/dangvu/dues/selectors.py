"""Reads of the dues. Sheets, ledgers and rollups read the month's lines (`Due`, what is owed and what was paid,
kept by the services), so a month's figures for a whole branch are one grouped range scan of the
(month, org_path) index."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Q, Sum
from django.db.models.functions import Substr

from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import add_months, today
from dangvu.core.errors import NotFound
from dangvu.core.tree import STEP
from dangvu.members.models import Member
from dangvu.organizations.models import Organisation, OrgKind

from . import rules as dr
from .models import Basis, CashEntry, CashKind, Due, Payment, Relief, Report
from .services import lock_of, month_end, month_of


def parse_period(raw: str, default: dt.date) -> tuple[dt.date, dt.date, str]:
    """`2026-11` (a month) or `2026-Q4` (a quarter) → (first day, last day, label); else the previous month."""
    raw = (raw or "").strip().upper()
    try:
        if "-Q" in raw:
            y, q = (int(x) for x in raw.split("-Q"))
            if 1 <= q <= 4 and 1930 <= y <= 2200:
                a = dt.date(y, (q - 1) * 3 + 1, 1)
                return a, month_end(add_months(a, 2)), f"Quý {q}/{y}"
        elif raw:
            y, m = (int(x) for x in raw.split("-"))
            if 1930 <= y <= 2200:
                a = dt.date(y, m, 1)
                return a, month_end(a), f"Tháng {m:02d}/{y}"
    except ValueError:
        pass
    a = add_months(month_of(default), -1)
    return a, month_end(a), f"Tháng {a.month:02d}/{a.year}"


def period_key(a: dt.date, b: dt.date) -> str:
    return f"{a:%Y-%m}" if a.month == b.month and a.year == b.year else f"{a.year}-Q{(a.month - 1) // 3 + 1}"


def _lines(user, org: Organisation):
    return Due.objects.filter(scope_q(user, "org_path", within=org.path), org_path__startswith=org.path)


def month_sheet(user, org: Organisation, month: dt.date) -> dict:
    """A cell's month: each member's line (owed, paid) in Vietnamese name order, the month's payments, totals."""
    lines = list(_lines(user, org).filter(month=month).select_related("member").order_by("member__sort_key", "pk"))
    pays: dict[int, list[Payment]] = {}
    for p in Payment.objects.filter(org_path=org.path, month=month).order_by("paid_on", "pk"):
        pays.setdefault(p.member_id, []).append(p)
    for d in lines:
        d.payments = pays.get(d.member_id, [])
    return {"lines": lines, "due": sum(d.amount for d in lines), "paid": sum(d.paid for d in lines),
            "owed": sum(d.owed for d in lines), "opened": bool(lines), "locked": lock_of(org, month),
            "unbased": sum(1 for d in lines if d.base == 0 and d.category in ("insured", "benefit", "pension"))}  # fmt: skip


def member_get(user, pk) -> Member:
    m = Member.objects.filter(scope_q(user, "org_path"), pk=pk).select_related("org").first()
    if m is None:
        raise NotFound("Không có đảng viên này trong phạm vi của bạn.")
    return m


@dataclass
class LedgerMonth:
    month: dt.date
    due: int | None
    paid: int
    line: Due | None
    payments: list[Payment] = field(default_factory=list)

    @property
    def owed(self) -> int:
        return max(0, (self.due or 0) - self.paid)


def ledger(member: Member, year: int) -> dict:
    """A member's year: due, paid and owed by month, the payments, bases and reliefs (four queries)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    lines = {d.month: d for d in Due.objects.filter(member=member, month__gte=start, month__lte=end)}
    pays: dict[dt.date, list[Payment]] = {}
    for p in Payment.objects.filter(member=member, month__gte=start, month__lte=end).order_by("paid_on", "pk"):
        pays.setdefault(p.month, []).append(p)
    months = []
    for i in range(12):
        m = dt.date(year, i + 1, 1)
        line = lines.get(m)
        ps = pays.get(m, [])
        months.append(LedgerMonth(m, line.amount if line else None, sum(p.amount for p in ps), line, ps))
    return {"months": months, "due": sum(x.due or 0 for x in months), "paid": sum(x.paid for x in months),
            "owed": sum(x.owed for x in months), "unpaid_months": sum(1 for x in months if x.due and x.owed),
            "bases": list(Basis.objects.filter(member=member).order_by("-valid_from")[:24]),
            "reliefs": list(Relief.objects.filter(member=member).order_by("-valid_from"))}  # fmt: skip


def unpaid(user, org: Organisation, year: int, on: dt.date | None = None, *, limit: int | None = 200) -> list[dict]:
    """Members of the subtree with unpaid months in `year` (months ended before `on`), most first; `flag` where
    the count reaches the rule's threshold (three months in a year: a proposal to strike off)."""
    on = on or today()
    last = month_of(on)  # the current month is not yet late
    p = dr.params(min(last, dt.date(year, 12, 1)))
    rows = (_lines(user, org).filter(month__gte=dt.date(year, 1, 1), month__lt=min(last, dt.date(year + 1, 1, 1)),
                                     amount__gt=F("paid"))
            .values("member_id", "member__full_name", "member__sort_key", "org__code", "org__name")
            .annotate(months=Count("id"), owed=Sum(F("amount") - F("paid"))).order_by("-months", "member__sort_key"))  # fmt: skip
    out = [{**r, "flag": r["months"] >= p["unpaid_flag_months"]} for r in (rows[:limit] if limit else rows)]
    return out


def flags_count(user, org: Organisation, year: int, on: dt.date | None = None) -> int:
    on = on or today()
    p = dr.params(min(month_of(on), dt.date(year, 12, 1)))
    return (_lines(user, org).filter(month__gte=dt.date(year, 1, 1), month__lt=min(month_of(on), dt.date(year + 1, 1, 1)),
                                     amount__gt=F("paid"))
            .values("member_id").annotate(n=Count("id")).filter(n__gte=p["unpaid_flag_months"]).count())  # fmt: skip


def rollup(user, org: Organisation, a: dt.date, b: dt.date) -> list[dict]:
    """Per branch (child of `org`, and `org` itself): members with a line, due, paid, the collection rate. One
    grouped range scan."""
    width = len(org.path) + STEP
    rows = list(_lines(user, org).filter(month__gte=a, month__lte=b)
                .annotate(branch=Substr("org_path", 1, width, output_field=CharField())).values("branch")
                .annotate(members=Count("member_id", distinct=True), due_sum=Sum("amount"), paid_sum=Sum("paid"),
                          behind=Count("id", filter=Q(amount__gt=F("paid")))).order_by("branch"))  # fmt: skip
    names = {o.path: o for o in Organisation.objects.filter(path__in=[r["branch"] for r in rows])}
    for r in rows:
        r["org"] = names.get(r["branch"])
        r["due"], r["paid"] = r.pop("due_sum") or 0, r.pop("paid_sum") or 0
        r["rate"] = round(100 * r["paid"] / r["due"], 1) if r["due"] else None
    return rows


def report_figures(user, org: Organisation, a: dt.date, b: dt.date) -> dict:
    """The report upward for [a, b]: members at the period's end, due, collected (the payments recorded for its
    months), what the levels below kept, what `org` keeps and what it remits upward (the retention ratios of the
    rules in force at the period's end), per branch and in all. Three queries, then arithmetic per cell."""
    p = dr.params(b)
    width = len(org.path) + STEP
    paid_by_cell = dict(Payment.objects.filter(scope_q(user, "org_path", within=org.path),
                                               org_path__startswith=org.path, month__gte=a, month__lte=b)
                        .values_list("org_path").annotate(s=Sum("amount")).order_by())  # fmt: skip
    orgs = {o.path: o for o in Organisation.objects.filter(path__startswith=org.path).select_related("type")
            .only("path", "code", "name", "type__code", "type__kind", "type__is_grassroots")}  # fmt: skip
    members_end = dict(_lines(user, org).filter(month=month_of(b))
                       .annotate(branch=Substr("org_path", 1, width, output_field=CharField()))
                       .values_list("branch").annotate(n=Count("id")).order_by())  # fmt: skip
    due = dict(_lines(user, org).filter(month__gte=a, month__lte=b)
               .annotate(branch=Substr("org_path", 1, width, output_field=CharField()))
               .values_list("branch").annotate(s=Sum("amount")).order_by())  # fmt: skip

    def keep_of(path: str) -> int:
        o = orgs.get(path)
        if o is None:
            return 0
        return dr.keep(o.type.code, o.type.is_grassroots, o.type.kind == OrgKind.CELL, p)

    branches: dict[str, dict] = {}
    total = {"collected": 0, "kept_below": 0, "reached": 0}
    for cell_path, amount in paid_by_cell.items():
        branch = cell_path[:width] if len(cell_path) >= width else org.path
        row = branches.setdefault(branch, {"collected": 0, "kept_below": 0, "reached": 0})
        left = amount
        node = cell_path
        while len(node) > len(org.path):  # each level below `org` keeps its share of what reaches it
            kept = left * keep_of(node) // 100
            left -= kept
            row["kept_below"] += kept
            node = node[:-STEP]
        row["collected"] += amount
        row["reached"] += left
    for row in branches.values():
        for k in total:
            total[k] += row[k]
    keep_here = keep_of(org.path)
    out_rows = []
    for path in sorted(set(branches) | set(members_end) | set(due)):
        o = orgs.get(path)
        r = branches.get(path, {"collected": 0, "kept_below": 0, "reached": 0})
        # kept here per branch, so the book's rows add up to its total exactly
        here_b = r["reached"] * keep_here // 100
        out_rows.append({"code": o.code if o else "", "name": o.name if o else "", "members": members_end.get(path, 0),
                         "due": due.get(path, 0) or 0, **r, "here": here_b, "remitted": r["reached"] - here_b})  # fmt: skip
    here = sum(r["here"] for r in out_rows)
    return {"org": org.code, "start": a.isoformat(), "end": b.isoformat(), "rule_from": dr.version(b).isoformat(),
            "keep_here": keep_here, "members": sum(members_end.values()), "due": sum(v or 0 for v in due.values()),
            "collected": total["collected"], "kept_below": total["kept_below"], "retained_here": here,
            "remitted": total["reached"] - here, "branches": out_rows}  # fmt: skip


def reports(user, org: Organisation):
    return Report.objects.filter(organisation=org).select_related("approved_by").order_by("-start")


def cell_book(org: Organisation, year: int) -> list[dict]:
    """The cell's collection book for a year: each member, the amount paid for each month, the year's total."""
    rows: dict[int, dict] = {}
    for d in (Due.objects.filter(org=org, month__year=year).select_related("member")
              .order_by("member__sort_key", "month")):  # fmt: skip
        r = rows.setdefault(d.member_id, {"name": d.member.full_name, "due": [0] * 12, "paid": [0] * 12})
        r["due"][d.month.month - 1] = d.amount
        r["paid"][d.month.month - 1] = d.paid
    return list(rows.values())


def cash_book(user, org: Organisation, a: dt.date, b: dt.date) -> dict:
    """S01-TCĐ for [a, b]: the opening balance, each income (the dues kept here, then the others) and spending for
    the period and the year to date, the closing balance. The dues kept come from the payments (report_figures)."""
    from django.db.models import Case, Value, When

    year_start = dt.date(b.year, 1, 1)
    kept = {"before": report_figures(user, org, dt.date(1930, 1, 1), a - dt.timedelta(days=1))["retained_here"],
            "period": report_figures(user, org, a, b)["retained_here"],
            "ytd": report_figures(user, org, year_start, b)["retained_here"]}  # fmt: skip
    sums = CashEntry.objects.filter(organisation=org, on__lte=b).values("kind").annotate(
        before=Sum(Case(When(on__lt=a, then="amount"), default=Value(0))),
        period=Sum(Case(When(on__gte=a, then="amount"), default=Value(0))),
        ytd=Sum(Case(When(on__gte=year_start, then="amount"), default=Value(0))),
    ).order_by()  # fmt: skip
    by_kind = {r["kind"]: r for r in sums}

    def line(kind, label):
        r = by_kind.get(kind, {})
        return {"kind": kind, "label": label, "period": r.get("period") or 0, "ytd": r.get("ytd") or 0,
                "before": r.get("before") or 0}  # fmt: skip

    income = [{"kind": "dues", "label": "Đảng phí được trích giữ lại", **kept}]
    income += [line(k, lbl) for k, lbl in CashKind.choices if k.startswith("in_")]
    spending = [line(k, lbl) for k, lbl in CashKind.choices if k.startswith("out_")]
    opening = sum(x["before"] for x in income) - sum(x["before"] for x in spending)
    period_in, period_out = sum(x["period"] for x in income), sum(x["period"] for x in spending)
    return {"opening": opening, "income": income, "spending": spending, "income_total": period_in,
            "spending_total": period_out, "closing": opening + period_in - period_out,
            "income_ytd": sum(x["ytd"] for x in income), "spending_ytd": sum(x["ytd"] for x in spending),
            "entries": list(CashEntry.objects.filter(organisation=org, on__gte=a, on__lte=b).order_by("on", "pk"))}
