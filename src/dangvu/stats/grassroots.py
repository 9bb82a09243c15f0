"""Committee members at the grassroots: who follows which residential cell, how often they attended its meetings
in a year against the dated minimum for their committee (`RuleSet` "stats.grassroots"), and their field days.

One query each for the seats, the assignments, the meetings attended and the field days: a committee's page is
four queries whatever its size (a test counts them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from dangvu.core import rules
from dangvu.meetings.models import Body, Meeting
from dangvu.members.models import Member, MonitorAssignment, Seat
from dangvu.organizations.models import Organisation

from .models import FieldDay, FieldDayState

DOMAIN = "stats.grassroots"


@dataclass
class Line:
    member: Member
    role: str
    cells: list[Organisation] = field(default_factory=list)
    attended: int = 0
    minimum: int | None = None
    due_now: int = 0  # the share of the minimum due by the date the page is read
    planned: int = 0
    done: int = 0
    days: int = 0

    @property
    def behind(self) -> bool:
        return self.minimum is not None and self.attended < self.due_now

    @property
    def short(self) -> int:
        return max(0, (self.due_now or 0) - self.attended)


def minimum_for(committee: Organisation, on: dt.date) -> tuple[int | None, dict]:
    p = rules.params(DOMAIN, on)
    return p["minimums"].get(committee.type.code), p


def _due(minimum: int | None, year: int, on: dt.date) -> int:
    """The part of a yearly minimum due by `on`: all of it once the year is over, else pro rata by whole months."""
    if minimum is None:
        return 0
    if on.year > year:
        return minimum
    if on.year < year:
        return 0
    return minimum * (on.month - 1) // 12


def attendance(committee: Organisation, year: int, on: dt.date) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    minimum, p = minimum_for(committee, min(on, end))
    residential = p["residential_types"]
    during = Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    lines: dict[int, Line] = {}
    for s in Seat.objects.filter(during, organisation=committee).select_related("member").order_by(
            "member__sort_key", "valid_from"):  # fmt: skip
        if s.member_id not in lines:
            lines[s.member_id] = Line(s.member, s.get_role_display(), minimum=minimum,
                                      due_now=_due(minimum, year, on))  # fmt: skip
    ids = list(lines)
    for a in MonitorAssignment.objects.filter(during, monitor_id__in=ids,
                                              organisation__type__code__in=residential).select_related("organisation"):  # fmt: skip
        if a.organisation not in lines[a.monitor_id].cells:
            lines[a.monitor_id].cells.append(a.organisation)
    met = (Meeting.objects.filter(monitor_id__in=ids, monitor_attended=True, body=Body.MEMBERS,
                                  date__gte=start, date__lte=min(end, on),
                                  organisation__type__code__in=residential)
           .values("monitor_id").annotate(n=Count("id")).order_by())  # fmt: skip
    for r in met:
        lines[r["monitor_id"]].attended = r["n"]
    days = (FieldDay.objects.filter(committee=committee, member_id__in=ids, planned_on__gte=start, planned_on__lte=end)
            .exclude(state=FieldDayState.CANCELLED).values("member_id")
            .annotate(planned=Count("id"), done=Count("id", filter=Q(state=FieldDayState.DONE)),
                      days=Sum("days", filter=Q(state=FieldDayState.DONE))).order_by())  # fmt: skip
    for r in days:
        line = lines[r["member_id"]]
        line.planned, line.done, line.days = r["planned"], r["done"], r["days"] or 0
    rows = list(lines.values())
    return {"lines": rows, "minimum": minimum, "behind": [x for x in rows if x.behind], "params": p,
            "source": rules.version(DOMAIN, min(on, end))}  # fmt: skip


def field_days(committee: Organisation, year: int):
    return (FieldDay.objects.filter(committee=committee, planned_on__year=year)
            .select_related("member", "organisation").order_by("planned_on", "pk"))  # fmt: skip


def field_day_get(user, pk) -> FieldDay:
    from dangvu.accounts.selectors import scope_q
    from dangvu.core.errors import NotFound

    fd = FieldDay.objects.filter(scope_q(user, "committee__path"), pk=pk).select_related("committee", "member").first()
    if fd is None:
        raise NotFound("Không có kế hoạch này trong phạm vi của bạn.")
    return fd
