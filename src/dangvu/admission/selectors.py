"""Reading the admission pipeline: always through the user's scope (a case outside it is 404), the superior's
view grouped in SQL by branch (one query for the stages, one for the year's figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import today
from dangvu.core.errors import NotFound
from dangvu.core.text import search_key
from dangvu.organizations.models import Organisation

from .models import BEFORE_ADMISSION, OPEN, Case, Stage, Step, StepKind

SEGMENT = 7  # one level of the materialised path


def cases_visible(user) -> QuerySet[Case]:
    """Cases of the user's subtrees, and those of members who now belong there (a probationary member who moved
    is recognised by the cell that has them)."""
    return Case.objects.filter(scope_q(user, "org_path") | scope_q(user, "member__org_path"))


def case_get(user, pk) -> Case:
    c = cases_visible(user).filter(pk=pk).select_related("organisation__type", "member__org").first()
    if c is None:
        raise NotFound(pk)
    return c


FILTERS = {
    "": "Đang xét (chưa kết thúc)",
    "before": "Chưa kết nạp",
    "probation": "Đang dự bị",
    "overdue": "Quá hạn",
    "ended": "Đã kết thúc",
}


@dataclass
class Filters:
    q: str = ""
    state: str = ""  # a key of FILTERS, or a Stage value


def case_list(user, org: Organisation | None, f: Filters | None = None) -> QuerySet[Case]:
    f = f or Filters()
    qs = cases_visible(user)
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    state = f.state
    if state == "":
        qs = qs.filter(stage__in=OPEN)
    elif state == "before":
        qs = qs.filter(stage__in=BEFORE_ADMISSION)
    elif state == "probation":
        qs = qs.filter(stage__in=[Stage.ADMITTED, Stage.CV_DONE, Stage.RECOGNITION_PROPOSED])
    elif state == "overdue":
        qs = qs.filter(stage__in=OPEN, next_due__lt=today())
    elif state == "ended":
        qs = qs.exclude(stage__in=OPEN)
    elif state == "all":
        pass
    elif state in Stage.values:
        qs = qs.filter(stage=state)
    for word in search_key(f.q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("organisation").order_by("sort_key", "pk")


@dataclass
class BranchRow:
    org: Organisation | None  # None: cases of the organisation itself
    stages: dict[str, int]
    open: int = 0
    overdue: int = 0
    admitted: int = 0  # ceremonies in the year
    recognised: int = 0  # recognition decisions in the year
    target: int | None = None  # the admissions the branch's organisations registered for the year


def pipeline(user, org: Organisation, year: int | None = None) -> tuple[BranchRow, list[BranchRow]]:
    """The superior's view: per branch (child of `org`), the open cases by stage, how many are overdue, and the
    year's admissions and recognitions against the admissions its organisations registered for the year. Three
    grouped queries whatever the size of the branch."""
    year = year or today().year
    width = len(org.path) + SEGMENT
    base = cases_visible(user).filter(org_path__startswith=org.path)
    rows: dict[str, BranchRow] = {}

    def row(key: str) -> BranchRow:
        return rows.setdefault(key, BranchRow(None, {}))

    now = today()
    for b, stage, n, late in (
        base.filter(stage__in=OPEN).annotate(b=Substr("org_path", 1, width)).values_list("b", "stage")
        .annotate(n=Count("id"), late=Count("id", filter=Q(next_due__lt=now))).order_by()
    ):  # fmt: skip
        r = row(b)
        r.stages[stage] = r.stages.get(stage, 0) + n
        r.open += n
        r.overdue += late
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for b, kind, n in (
        Step.objects.filter(case__in=base, kind__in=[StepKind.CEREMONY, StepKind.RECOGNITION_DECISION],
                            done_on__range=(start, end))
        .annotate(b=Substr("case__org_path", 1, width)).values_list("b", "kind").annotate(n=Count("id")).order_by()
    ):  # fmt: skip
        r = row(b)
        if kind == StepKind.CEREMONY:
            r.admitted += n
        else:
            r.recognised += n
    from django.db.models import Sum

    from dangvu.evaluations.models import Registration

    for b, n in (
        Registration.objects.filter(org_path__startswith=org.path, year=year, admissions_target__isnull=False)
        .annotate(b=Substr("org_path", 1, width)).values_list("b").annotate(n=Sum("admissions_target")).order_by()
    ):  # fmt: skip
        row(b).target = n
    children = {o.path: o for o in Organisation.objects.filter(path__in=[k for k in rows if k != org.path])}
    branches = []
    for key, r in rows.items():
        r.org = children.get(key, org if key == org.path else None)
        branches.append(r)
    branches.sort(key=lambda r: (r.org.sort_key if r.org else "", r.org.pk if r.org else 0))
    total = BranchRow(org, {})
    for r in branches:
        for s, n in r.stages.items():
            total.stages[s] = total.stages.get(s, 0) + n
        total.open += r.open
        total.overdue += r.overdue
        total.admitted += r.admitted
        total.recognised += r.recognised
        if r.target is not None:
            total.target = (total.target or 0) + r.target
    return total, branches


def steps_of(case: Case) -> dict[str, Step]:
    return {s.kind: s for s in case.steps.select_related("vote__meeting")}


@dataclass
class CoursesDue:
    new_members: list  # probationary members without the new members' course completed
    new_members_count: int
    sympathisers: list  # open cases before the cell's vote whose awareness certificate is missing or expiring
    sympathisers_count: int


def courses_due(user, org: Organisation, *, within_days: int = 90, limit: int = 20) -> CoursesDue:
    """Who is due for which course in the subtree: the probationary members who have not completed the course for
    new members, and the sympathisers whose awareness-course certificate is missing or runs out within
    `within_days` (they must have a valid one when the cell votes). Four queries."""
    from django.db.models import Exists, OuterRef

    from dangvu.core.dates import add_months
    from dangvu.members.models import Course, EntryKind, ProfileEntry, Status
    from dangvu.members.selectors import members_visible

    from . import rules as ar

    done = ProfileEntry.objects.filter(member=OuterRef("pk"), kind=EntryKind.TRAINING, course=Course.NEW_MEMBER,
                                       end__isnull=False)  # fmt: skip
    members = (members_visible(user, org).filter(status=Status.PROBATIONARY).filter(~Exists(done))
               .select_related("org").order_by("admitted_on", "sort_key"))  # fmt: skip
    horizon = today() + dt.timedelta(days=within_days)
    months = ar.params(today())["course_valid_months"]
    cases = case_list(user, org, Filters(state="before")).exclude(
        stage__in=[Stage.CELL, Stage.GRASSROOTS, Stage.DECIDED]
    ).filter(Q(course_on__isnull=True) | Q(course_on__lte=add_months(horizon, -months)))
    return CoursesDue(list(members[:limit]), members.count(), list(cases[:limit]), cases.count())
