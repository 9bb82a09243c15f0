"""Every read of meetings. Each takes the acting user first and filters by their granted paths."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum

from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import in_force
from dangvu.core.errors import NotFound
from dangvu.members.models import (
    Member,
    Membership,
    MembershipKind,
    MonitorAssignment,
    Seat,
    SeatRole,
    Status,
    StatusChange,
)
from dangvu.organizations.models import Organisation, OrgKind

from .models import Body, Kind, Meeting, MonthlyReport, Rank, Standing, State, WorkingRules
from .quality import Line

HELD = (State.HELD, State.CLOSED)


def meetings_visible(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(scope_q(user, "org_path"))


def meeting_get(user, pk) -> Meeting:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(pk) from None
    m = (
        meetings_visible(user)
        .filter(pk=pk)
        .select_related(
            "organisation", "organisation__type", "organisation__parent", "chair", "minute_taker", "monitor"
        )
        .first()
    )
    if m is None:
        raise NotFound(pk)
    return m


def meeting_list(
    user,
    *,
    org: Organisation | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str = "",
    body: str = "",
) -> QuerySet[Meeting]:
    qs = (
        meetings_visible(user)
        if org is None
        else Meeting.objects.filter(scope_q(user, "org_path", within=org.path), org_path__startswith=org.path)
    )
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if kind:
        qs = qs.filter(kind=kind)
    if body:
        qs = qs.filter(body=body)
    return qs.select_related("organisation").order_by("-date", "-pk")


def monitor_on(org: Organisation, on: dt.date) -> Member | None:
    a = (
        MonitorAssignment.objects.filter(in_force(on), organisation=org)
        .select_related("monitor")
        .order_by("-valid_from")
        .first()
    )
    return a.monitor if a else None


# the seats whose holders make up each collective body (a secretary and deputies sit in the standing committee)
BODY_SEATS = {
    Body.COMMITTEE: (SeatRole.SECRETARY, SeatRole.DEPUTY, SeatRole.STANDING, SeatRole.MEMBER),
    Body.STANDING: (SeatRole.SECRETARY, SeatRole.DEPUTY, SeatRole.STANDING),
    Body.COMMISSION: (SeatRole.INSPECTION_CHAIR, SeatRole.INSPECTION_MEMBER),
}


def body_members(org: Organisation, body: str, on: dt.date) -> list[Member]:
    """The members of one of the organisation's collective bodies on `on`, from the leadership seats in force that
    day, in Vietnamese name order (one query)."""
    seats = Seat.objects.filter(in_force(on), organisation=org, role__in=BODY_SEATS[body]).select_related("member")
    people = {s.member_id: s.member for s in seats}
    return sorted(people.values(), key=lambda m: (m.sort_key, m.pk))


def bodies_of(org: Organisation, on: dt.date) -> list[str]:
    """The collective bodies the organisation has on `on` (those with at least one seat held), in a fixed order.
    A cell's committee (chi ủy) exists only where it was elected; a secretary alone is not a body."""
    roles = set(Seat.objects.filter(in_force(on), organisation=org).values_list("role", flat=True))
    return bodies_from(org.type.kind, roles)


def bodies_from(kind: str, roles: set[str]) -> list[str]:
    """The bodies an organisation of `kind` has when these seat roles are held."""
    out = []
    committee = roles & set(BODY_SEATS[Body.COMMITTEE])
    if committee - {SeatRole.SECRETARY, SeatRole.DEPUTY} or (kind != OrgKind.CELL and committee):
        out.append(Body.COMMITTEE)
    if SeatRole.STANDING in roles and kind != OrgKind.CELL:
        out.append(Body.STANDING)
    if roles & set(BODY_SEATS[Body.COMMISSION]):
        out.append(Body.COMMISSION)
    return out


def summoned(org: Organisation, on: dt.date, body: str = Body.MEMBERS) -> list[Line]:
    """Who the cell summons on `on`, in Vietnamese name order: its register that day (official and probationary
    members, exempt and temporarily-away members shown apart) and the members temporarily with it (guests).
    Two queries, whatever the size of the cell. For a collective body: the holders of its seats that day."""
    if body != Body.MEMBERS:
        return [Line(m.pk, m.full_name, Rank.OFFICIAL, Standing.REGULAR) for m in body_members(org, body, on)]
    stays = list(
        Membership.objects.filter(in_force(on), organisation=org)
        .select_related("member")
        .order_by("member__sort_key", "member_id")
    )
    status = dict(
        StatusChange.objects.filter(in_force(on), member_id__in=[s.member_id for s in stays])
        .order_by("member_id", "valid_from")
        .values_list("member_id", "status")
    )
    return lines_from(stays, status, on)


def lines_from(stays, status: dict[int, str], on: dt.date) -> list[Line]:
    """The roll-call lines from the stays in force on `on` (sorted by name) and each member's status that day."""
    lines: dict[int, Line] = {}
    for s in stays:
        m = s.member
        rank = Rank.OFFICIAL if m.official_on and m.official_on <= on else Rank.PROBATIONARY
        if s.kind == MembershipKind.TEMPORARY:
            standing = Standing.GUEST
        else:
            st = status.get(m.pk)
            standing = {Status.EXEMPT: Standing.EXEMPT, Status.TEMP_AWAY: Standing.AWAY}.get(
                st, Standing.REGULAR
            )
        if m.pk not in lines or standing != Standing.GUEST:
            lines[m.pk] = Line(m.pk, m.full_name, rank, standing)
    return list(lines.values())


def lines_of(meeting: Meeting) -> list[Line]:
    return [
        Line(a.member_id, a.member.full_name, a.rank, a.standing, a.presence, a.reason)
        for a in meeting.attendance.select_related("member").order_by("member__sort_key", "member_id")
    ]


def excused_runs(meeting: Meeting, member_ids: list[int]) -> dict[int, int]:
    """For each member, how many of the cell's meetings in a row they missed with a reason this year, before
    this meeting (one query)."""
    if not member_ids:
        return {}
    from .models import Attendance, Presence

    rows = (
        Attendance.objects.filter(
            member_id__in=member_ids,
            meeting__organisation_id=meeting.organisation_id,
            meeting__body=meeting.body,
            meeting__state__in=HELD,
            meeting__date__year=meeting.date.year,
            meeting__date__lt=meeting.date,
        )
        .order_by("member_id", "-meeting__date")
        .values_list("member_id", "presence")
    )
    runs: dict[int, int] = {}
    done: set[int] = set()
    for member_id, presence in rows:
        if member_id in done:
            continue
        if presence == Presence.EXCUSED:
            runs[member_id] = runs.get(member_id, 0) + 1
        else:
            done.add(member_id)
    return runs


def cell_year(user, org: Organisation, year: int) -> dict:
    """A cell's year: its meetings by month, its reports, and the quarters without a thematic meeting."""
    meetings = list(
        meeting_list(user, org=org, date_from=dt.date(year, 1, 1), date_to=dt.date(year, 12, 31))
        .filter(organisation=org, body=Body.MEMBERS)
        .order_by("date", "pk")
    )
    reports = {
        r.month.month: r
        for r in MonthlyReport.objects.filter(organisation=org, month__year=year).filter(
            scope_q(user, "org_path")
        )
    }
    months = []
    for m in range(1, 13):
        items = [x for x in meetings if x.date.month == m]
        months.append({"month": m, "meetings": items, "report": reports.get(m)})
    quarters = []
    for q in range(4):
        ms = [x for x in meetings if (x.date.month - 1) // 3 == q and x.state in HELD]
        quarters.append({"quarter": q + 1, "thematic": any(x.is_thematic for x in ms)})
    return {"months": months, "quarters": quarters, "meetings": meetings}


# --- the superior committee's view ---------------------------------------------------------------------------


@dataclass
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str
    quarter_start: dt.date
    quarter_end: dt.date
    months: list[dt.date]  # first days of the months it covers

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = dt.date(year, month, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        qs = dt.date(year, (month - 1) // 3 * 3 + 1, 1)
        qe = (qs + dt.timedelta(days=93)).replace(day=1) - dt.timedelta(days=1)
        return cls(start, end, f"Tháng {month:02d}/{year}", qs, qe, [start])

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        start = dt.date(year, (q - 1) * 3 + 1, 1)
        end = (start + dt.timedelta(days=93)).replace(day=1) - dt.timedelta(days=1)
        months = [dt.date(year, (q - 1) * 3 + i, 1) for i in range(1, 4)]
        return cls(start, end, f"Quý {q}/{year}", start, end, months)

    @classmethod
    def parse(cls, raw: str, default: dt.date) -> Period:
        """`2026-03` (a month) or `2026-Q1` (a quarter); anything else: the month of `default`."""
        raw = (raw or "").strip().upper()
        try:
            if "-Q" in raw:
                y, q = raw.split("-Q")
                if 1 <= int(q) <= 4:
                    return cls.quarter(int(y), int(q))
            elif raw:
                y, m = raw.split("-")
                return cls.month(int(y), int(m))
        except ValueError:
            pass
        return cls.month(default.year, default.month)

    @property
    def key(self) -> str:
        if len(self.months) == 1:
            return f"{self.start:%Y-%m}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"


def cells_in(user, org: Organisation, period: Period) -> QuerySet[Organisation]:
    """The cells of `org`'s subtree open at some time in the period (and in the user's scope)."""
    return Organisation.objects.filter(
        scope_q(user, "path", within=org.path),
        path__startswith=org.path,
        type__kind=OrgKind.CELL,
        established_on__lte=period.end,
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))


FILTERS = {
    "not_met": "Chưa sinh hoạt thường kỳ",
    "no_thematic": "Chưa sinh hoạt chuyên đề trong quý",
    "no_report": "Chưa gửi báo cáo tháng",
    "short": "Họp dưới thời lượng tối thiểu",
    "low_attendance": "Tỷ lệ dự họp không đạt",
    "monitor": "Cấp ủy viên theo dõi chưa dự hoặc chưa báo cáo",
}


def _held(org_path: str, period: Period, within: Q) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        within, org_path__startswith=org_path, date__gte=period.start, date__lte=period.end, state__in=HELD,
        body=Body.MEMBERS,
    )  # fmt: skip


def dashboard(user, org: Organisation, period: Period) -> dict:
    """Totals for the subtree and period, in four queries whatever its size (each an indexed range scan of the
    meetings or reports of the subtree, or of its cells)."""
    within = scope_q(user, "org_path", within=org.path)
    cells = cells_in(user, org, period)
    n_cells = cells.count()
    regular = Q(kind=Kind.REGULAR)
    thematic = Q(kind=Kind.THEMATIC) | Q(combined=True)
    agg = _held(org.path, period, within).aggregate(
        meetings=Count("id"),
        cells_met=Count("organisation", filter=regular, distinct=True),
        regular=Count("id", filter=regular),
        thematic=Count("id", filter=thematic),
        present=Sum("present"),
        expected=Sum("expected"),
        short=Count("id", filter=Q(failed__contains=",duration,", duration_minutes__isnull=False)),
        no_times=Count("id", filter=Q(duration_minutes__isnull=True)),
        low_attendance=Count("id", filter=Q(failed__contains=",attendance,")),
        unexcused=Count("id", filter=Q(failed__contains=",no_unexcused,")),
        full_score=Count("id", filter=Q(met_count=F("criteria_count"))),
        monitored=Count("id", filter=Q(monitor__isnull=False)),
        monitor_absent=Count("id", filter=Q(monitor__isnull=False) & ~Q(monitor_attended=True)),
        monitor_no_report=Count("id", filter=Q(monitor__isnull=False, monitor_reported_at__isnull=True)),
    )
    thematic_cells = (
        Meeting.objects.filter(
            within,
            thematic,
            body=Body.MEMBERS,
            org_path__startswith=org.path,
            date__gte=period.quarter_start,
            date__lte=period.quarter_end,
            state__in=HELD,
        )
        .values("organisation")
        .distinct()
        .count()
    )
    reports = MonthlyReport.objects.filter(
        scope_q(user, "org_path", within=org.path), org_path__startswith=org.path, month__in=period.months
    ).count()
    expected = agg["expected"] or 0
    return {
        "cells": n_cells,
        "cells_met": agg["cells_met"],
        "cells_not_met": max(n_cells - agg["cells_met"], 0),
        "meetings": agg["meetings"],
        "regular": agg["regular"],
        "thematic": agg["thematic"],
        "cells_with_thematic": thematic_cells,
        "cells_without_thematic": max(n_cells - thematic_cells, 0),
        "attendance_rate": round(100 * (agg["present"] or 0) / expected, 1) if expected else None,
        "short": agg["short"],
        "no_times": agg["no_times"],
        "low_attendance": agg["low_attendance"],
        "unexcused": agg["unexcused"],
        "full_score": agg["full_score"],
        "reports": reports,
        "reports_missing": max(n_cells * len(period.months) - reports, 0),
        "monitored": agg["monitored"],
        "monitor_absent": agg["monitor_absent"],
        "monitor_no_report": agg["monitor_no_report"],
    }


def dashboard_cells(user, org: Organisation, period: Period, flt: str = "") -> QuerySet[Organisation]:
    """The cells of the subtree with, for the period, whether each met, held a thematic meeting in the quarter,
    filed its reports, and its meetings' figures; optionally only those failing `flt` (see FILTERS)."""
    held = Meeting.objects.filter(
        organisation=OuterRef("pk"), date__gte=period.start, date__lte=period.end, state__in=HELD,
        body=Body.MEMBERS,
    )  # fmt: skip
    thematic = Meeting.objects.filter(
        Q(kind=Kind.THEMATIC) | Q(combined=True),
        body=Body.MEMBERS,
        organisation=OuterRef("pk"),
        date__gte=period.quarter_start,
        date__lte=period.quarter_end,
        state__in=HELD,
    )
    reports = MonthlyReport.objects.filter(organisation=OuterRef("pk"), month__in=period.months)
    qs = cells_in(user, org, period).annotate(
        met=Exists(held.filter(kind=Kind.REGULAR)),
        has_thematic=Exists(thematic),
        has_report=Exists(reports),
        is_short=Exists(held.filter(failed__contains=",duration,", duration_minutes__isnull=False)),
        is_low=Exists(held.filter(failed__contains=",attendance,")),
        monitor_missing=Exists(
            held.filter(monitor__isnull=False).filter(
                ~Q(monitor_attended=True) | Q(monitor_reported_at__isnull=True)
            )
        ),
    )
    conditions = {
        "not_met": Q(met=False),
        "no_thematic": Q(has_thematic=False),
        "no_report": Q(has_report=False),
        "short": Q(is_short=True),
        "low_attendance": Q(is_low=True),
        "monitor": Q(monitor_missing=True),
    }
    if flt in conditions:
        qs = qs.filter(conditions[flt])
    return qs.select_related("parent").order_by("path")


def cell_meetings(cells: list[Organisation], period: Period) -> dict[int, list[Meeting]]:
    """The held meetings of a page of cells in the period (one query)."""
    out: dict[int, list[Meeting]] = {c.pk: [] for c in cells}
    for m in Meeting.objects.filter(
        organisation__in=cells, date__gte=period.start, date__lte=period.end, state__in=HELD, body=Body.MEMBERS
    ).order_by("date"):
        out[m.organisation_id].append(m)
    return out


def rollup(user, org: Organisation, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Held meetings of the subtree in [date_from, date_to], grouped per child of `org` (per branch): counts,
    attendance and the share of criteria met. One grouped range scan."""
    from django.db.models.functions import Substr

    from dangvu.core.tree import STEP

    length = len(org.path) + STEP
    rows = (
        Meeting.objects.filter(
            scope_q(user, "org_path", within=org.path),
            org_path__startswith=org.path,
            date__gte=date_from,
            date__lte=date_to,
            state__in=HELD,
            body=Body.MEMBERS,
        )
        .annotate(branch=Substr("org_path", 1, length))
        .values("branch")
        .annotate(
            meetings=Count("id"),
            thematic=Count("id", filter=Q(kind=Kind.THEMATIC) | Q(combined=True)),
            cells=Count("organisation", distinct=True),
            present=Sum("present"),
            expected=Sum("expected"),
            full_score=Count("id", filter=Q(met_count=F("criteria_count"))),
            met=Sum("met_count"),
            criteria=Sum("criteria_count"),
        )
        .order_by("branch")
    )
    names = {
        path: (code, name)
        for path, code, name in Organisation.objects.filter(path__in=[r["branch"] for r in rows]).values_list(
            "path", "code", "name"
        )
    }
    out = []
    for r in rows:
        r["org"], r["name"] = names.get(r["branch"], ("", ""))
        r["attendance_rate"] = round(100 * (r["present"] or 0) / r["expected"], 1) if r["expected"] else None
        r["score"] = round(100 * (r["met"] or 0) / r["criteria"], 1) if r["criteria"] else None
        out.append(r)
    return out


def duties_by_branch(user, org: Organisation, on: dt.date) -> dict[str, dict]:
    """Per branch of `org` (each child, and `org` itself when it is a cell): its open cells, how many held this
    month's regular meeting, filed last month's report, held a thematic meeting this quarter. Four grouped range
    scans whatever the size."""
    from django.db.models.functions import Substr

    from dangvu.core.tree import STEP

    n = len(org.path) + STEP
    this_month = Period.month(on.year, on.month)
    last = (this_month.start - dt.timedelta(days=1)).replace(day=1)
    within = scope_q(user, "org_path", within=org.path)
    out: dict[str, dict] = {}

    def row(b: str) -> dict:
        return out.setdefault(b, {"cells": 0, "met": 0, "reported": 0, "thematic": 0})

    cells = cells_in(user, org, this_month)
    for b, k in cells.annotate(b=Substr("path", 1, n)).values_list("b").annotate(k=Count("id")).order_by():
        row(b)["cells"] += k
    held = Meeting.objects.filter(within, org_path__startswith=org.path, state__in=HELD, body=Body.MEMBERS)
    for b, k in (held.filter(kind=Kind.REGULAR, month=this_month.start).annotate(b=Substr("org_path", 1, n))
                 .values_list("b").annotate(k=Count("organisation", distinct=True)).order_by()):  # fmt: skip
        row(b)["met"] += k
    for b, k in (held.filter(Q(kind=Kind.THEMATIC) | Q(combined=True), date__gte=this_month.quarter_start,
                             date__lte=this_month.quarter_end)
                 .annotate(b=Substr("org_path", 1, n)).values_list("b")
                 .annotate(k=Count("organisation", distinct=True)).order_by()):  # fmt: skip
        row(b)["thematic"] += k
    for b, k in (MonthlyReport.objects.filter(within, org_path__startswith=org.path, month=last)
                 .annotate(b=Substr("org_path", 1, n)).values_list("b").annotate(k=Count("id")).order_by()):  # fmt: skip
        row(b)["reported"] += k
    return out


# --- collective bodies ---------------------------------------------------------------------------------------


def working_rules(org_ids, on: dt.date) -> dict[int, WorkingRules]:
    """The working regulations in force on `on` for each of the organisations (one query)."""
    out: dict[int, WorkingRules] = {}
    for r in WorkingRules.objects.filter(organisation_id__in=org_ids, adopted_on__lte=on).order_by("adopted_on"):
        out[r.organisation_id] = r
    return out


def every(body: str, on: dt.date, wr: WorkingRules | None) -> int:
    """Months between two regular meetings of the body: its organisation's working regulations, else the rule set."""
    if wr is not None:
        return wr.every(body)
    from dangvu.core import rules

    return rules.params("meetings.bodies", on)["every_months"].get(body, 1)


def _windows(year: int, n: int) -> list[list[int]]:
    """The calendar windows of `n` months in a year (n = 1: each month; 3: the quarters)."""
    return [list(range(m, min(m + n, 13))) for m in range(1, 13, n)]


def body_since(org: Organisation, body: str, on: dt.date) -> dt.date | None:
    """Since when the body has sat, as its seats in force on `on` say (the earliest of them), or None."""
    seats = Seat.objects.filter(in_force(on), organisation=org, role__in=BODY_SEATS[body])
    return min(seats.values_list("valid_from", flat=True), default=None)


def body_year(user, org: Organisation, year: int, on: dt.date) -> dict:
    """An organisation's collective bodies in `year`: each body's meetings by month, and the windows already over
    (a month, or a quarter… as the working regulations in force at the window's end say) in which it held no
    regular meeting; windows that began before the body sat are not held against it."""
    meetings = list(
        meeting_list(user, org=org, date_from=dt.date(year, 1, 1), date_to=dt.date(year, 12, 31))
        .filter(organisation=org)
        .exclude(body=Body.MEMBERS)
        .prefetch_related("numbers")
        .order_by("date", "pk")
    )
    last_day = min(dt.date(year, 12, 31), on)
    present = bodies_of(org, last_day) if last_day >= dt.date(year, 1, 1) else []
    adopted = list(WorkingRules.objects.filter(organisation=org, adopted_on__lte=last_day).order_by("adopted_on"))

    def rules_on(d: dt.date) -> WorkingRules | None:
        return next((r for r in reversed(adopted) if r.adopted_on <= d), None)

    wr = rules_on(last_day)
    out = []
    for body in [b for b in Body.values if b != Body.MEMBERS]:
        mine = [m for m in meetings if m.body == body]
        if body not in present and not mine:
            continue
        since = body_since(org, body, last_day) if body in present else None
        held = {m.date.month for m in mine if m.kind == Kind.REGULAR and m.state in HELD}
        short_months = set()
        for month in range(1, 13):  # each window, judged by the regulations in force at its end
            window_end = (dt.date(year, month, 1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            n = every(body, window_end, rules_on(window_end))
            window = next(w for w in _windows(year, n) if month in w)
            if month != window[-1] or window_end >= on or since is None or dt.date(year, window[0], 1) < since.replace(day=1):
                continue
            if not held & set(window):
                short_months.add(month)
        months = [{"month": month, "meetings": [m for m in mine if m.date.month == month],
                   "short": month in short_months} for month in range(1, 13)]  # fmt: skip
        out.append({"body": body, "label": Body(body).label, "months": months, "missed": len(short_months),
                    "exists": body in present, "every": every(body, last_day, wr)})  # fmt: skip
    return {"bodies": out, "may_have": present, "rules": wr}


def bodies_dashboard(user, org: Organisation, period: Period, on: dt.date) -> list[dict]:
    """Per kind of collective body in the subtree: how many organisations have it at the end of the period, how
    many held a regular meeting in the period, and those behind their working regulations (the first twenty named);
    four queries whatever the size of the subtree."""
    end = min(period.end, on) if period.start <= on else period.end
    seats = (
        Seat.objects.filter(in_force(end), organisation__path__startswith=org.path)
        .filter(scope_q(user, "organisation__path", within=org.path))
        .values_list("organisation_id", "organisation__type__kind", "role")
        .annotate(since=Min("valid_from"))
        .order_by()
    )
    roles: dict[int, set] = {}
    kinds: dict[int, str] = {}
    first: dict[tuple[int, str], dt.date] = {}  # since when each organisation's seats of a role have sat
    for org_id, kind, role, since in seats:
        roles.setdefault(org_id, set()).add(role)
        kinds[org_id] = kind
        first[(org_id, role)] = since
    has: dict[str, set[int]] = {b: set() for b in BODY_SEATS}
    sat: dict[tuple[int, str], dt.date] = {}
    for org_id, rs in roles.items():
        for b in bodies_from(kinds[org_id], rs):
            has[b].add(org_id)
            sat[(org_id, b)] = min(first[(org_id, r)] for r in rs if r in BODY_SEATS[b])
    held: dict[tuple[int, str], set] = {}
    since = (period.start.replace(day=1) - dt.timedelta(days=150)).replace(day=1)  # a window may start before it
    until = period.end + dt.timedelta(days=186)  # … and end after it
    for org_id, body, month in (
        Meeting.objects.filter(scope_q(user, "org_path", within=org.path), org_path__startswith=org.path,
                               date__gte=since, date__lte=until, state__in=HELD, kind=Kind.REGULAR)
        .exclude(body=Body.MEMBERS).values_list("organisation_id", "body", "month").distinct()
    ):  # fmt: skip
        held.setdefault((org_id, body), set()).add(month)
    wrs = working_rules(list(roles), end)

    def behind(org_id: int, body: str) -> bool:
        """A window of its regulations' length, overlapping the period and begun after the body sat, that has ended
        without a regular meeting; when none has ended and the body meets monthly, this month so far."""
        n = every(body, end, wrs.get(org_id))
        got = held.get((org_id, body), set())
        windows = {tuple(dt.date(m.year, x, 1) for x in w) for m in period.months for w in _windows(m.year, n)
                   if m.month in w and dt.date(m.year, w[0], 1) >= sat[(org_id, body)].replace(day=1)}  # fmt: skip
        due = [w for w in windows if (w[-1] + dt.timedelta(days=32)).replace(day=1) <= on]
        if not due and n == 1:
            due = [w for w in windows if w[0] == on.replace(day=1)]
        return any(not set(w) & got for w in due)

    behind_ids = {b: sorted(i for i in has[b] if behind(i, b)) for b in has}
    names = {
        pk: (code, name)
        for pk, code, name in Organisation.objects.filter(
            pk__in={i for ids in behind_ids.values() for i in ids[:20]}
        ).values_list("pk", "code", "name")
    }
    out = []
    for b in BODY_SEATS:
        met = sum(1 for i in has[b] if held.get((i, b), set()) & set(period.months))
        out.append({"body": b, "label": Body(b).label, "count": len(has[b]), "met": met,
                    "behind": len(behind_ids[b]),
                    "behind_orgs": [names[i] for i in behind_ids[b][:20] if i in names]})  # fmt: skip
    return out
