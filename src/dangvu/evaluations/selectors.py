"""Reading evaluations: lists in the user's scope, one organisation's year, and the rollups of a subtree.

Rollups group in SQL (GROUP BY the branch's path prefix, or the grassroots organisation for the quota); Python
only folds a few dozen grouped rows into per-branch records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf, Substr

from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import today
from dangvu.core.errors import NotFound
from dangvu.core.tree import STEP
from dangvu.inspection.models import Discipline
from dangvu.inspection.selectors import member_disciplines_in
from dangvu.members.models import Membership, MembershipKind
from dangvu.organizations.models import Organisation, OrgKind

from . import rules as lv
from .models import RANK, SHORT, Commitment, Level, Period, Registration, Review, State, Subject

EFFECTIVE = Coalesce(
    NullIf("level", Value("")), NullIf("cell_level", Value("")), NullIf("self_level", Value(""))
)
LEVELS = list(Level.values)


def reviews_visible(user):
    return Review.objects.filter(scope_q(user, "org_path"))


def review_get(user, pk: int) -> Review:
    r = (
        reviews_visible(user)
        .select_related("member", "organisation__type", "organisation__parent", "grassroots")
        .filter(pk=pk)
        .first()
    )
    if r is None:
        raise NotFound(pk)
    return r


def review_list(user, org: Organisation, year: int, period: str = Period.YEAR, *, subject: str = "",
                state: str = "", level: str = ""):  # fmt: skip
    qs = (
        reviews_visible(user)
        .filter(org_path__startswith=org.path, year=year, period=period)
        .select_related("member", "organisation")
        .order_by("org_path", "subject", "member__sort_key", "pk")
    )
    if subject:
        qs = qs.filter(subject=subject)
    if state:
        qs = qs.filter(state=state)
    if level:
        qs = qs.filter(level=level)
    return qs


def open_in(start: dt.date, end: dt.date) -> Q:
    return Q(established_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))


def stays_q(start: dt.date, end: dt.date) -> Q:
    """Official stays overlapping [start, end]."""
    return Q(kind=MembershipKind.OFFICIAL, valid_from__lte=end) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )


def discipline_in(path: str, start: dt.date, end: dt.date):
    """Discipline in force, announced in [start, end], of members who belonged (any stay) to the subtree at `path`
    then (the records of the inspection app; an annulled one does not count); a member with several stays there
    may repeat: use distinct()."""
    return member_disciplines_in(start, end).filter(
        Q(subject_member__memberships__valid_to__isnull=True) | Q(subject_member__memberships__valid_to__gt=start),
        subject_member__memberships__organisation__path__startswith=path,
        subject_member__memberships__valid_from__lte=end,
    )


def disciplined_count(path: str, start: dt.date, end: dt.date) -> int:
    return discipline_in(path, start, end).values("subject_member_id").distinct().count()


# --- one organisation's year --------------------------------------------------------------------------------


@dataclass
class MemberRow:
    member: object
    commitment: Commitment | None
    review: Review | None


def members_of(org: Organisation, year: int, period: str = Period.YEAR) -> list[MemberRow]:
    """The members who belonged to `org` (a cell) during the period, with their commitment and review: three
    queries whatever the size of the cell."""
    start, end = lv.period_bounds(year, period)
    stays = (
        Membership.objects.filter(stays_q(start, end), organisation=org)
        .select_related("member")
        .order_by("member__sort_key", "member_id")
    )
    members = list(dict.fromkeys(s.member for s in stays))
    ids = [m.pk for m in members]
    commitments = {c.member_id: c for c in Commitment.objects.filter(member_id__in=ids, year=year)}
    reviews = {
        r.member_id: r
        for r in Review.objects.filter(member_id__in=ids, year=year, period=period, subject=Subject.MEMBER)
    }
    for m in members:
        if m.pk in reviews:
            reviews[m.pk].member = m  # no query per row for the name
    return [MemberRow(m, commitments.get(m.pk), reviews.get(m.pk)) for m in members]


def children_of(user, org: Organisation, year: int, period: str = Period.YEAR) -> list[dict]:
    """The organisations directly under `org` open in the period, with their registration and review."""
    start, end = lv.period_bounds(year, period)
    kids = list(
        Organisation.objects.filter(open_in(start, end), scope_q(user), parent=org)
        .select_related("type")
        .order_by("sort_key")
    )
    regs = {r.organisation_id: r for r in Registration.objects.filter(organisation__in=kids, year=year)}
    revs = {
        r.organisation_id: r
        for r in Review.objects.filter(
            organisation__in=kids, year=year, period=period, subject=Subject.ORGANISATION
        )
    }
    for k in kids:
        if k.pk in revs:
            revs[k.pk].organisation = k
    return [{"org": k, "registration": regs.get(k.pk), "review": revs.get(k.pk)} for k in kids]


def org_review(org: Organisation, year: int, period: str = Period.YEAR) -> Review | None:
    return Review.objects.filter(
        organisation=org, year=year, period=period, subject=Subject.ORGANISATION
    ).first()


def org_facts(org: Organisation, year: int, period: str = Period.YEAR) -> dict:
    """What form 01 rests on: the registered goals, the meeting record, the dossiers, the members' results."""
    from dangvu.dossiers.selectors import checklist
    from dangvu.meetings.models import Body, Kind, Meeting
    from dangvu.meetings.models import State as MeetingState

    start, end = lv.period_bounds(year, period)
    reg = Registration.objects.filter(organisation=org, year=year).first()
    cells = Organisation.objects.filter(
        open_in(start, end), path__startswith=org.path, type__kind=OrgKind.CELL
    )
    last = min(end, today())
    months = max(0, (last.year - start.year) * 12 + last.month - start.month + 1) if last >= start else 0
    held = Meeting.objects.filter(
        org_path__startswith=org.path,
        date__range=(start, end),
        kind=Kind.REGULAR,
        body=Body.MEMBERS,
        state__in=[MeetingState.HELD, MeetingState.CLOSED],
    ).aggregate(n=Count("id"), met=Sum("met_count"), criteria=Sum("criteria_count"))
    dossiers = checklist(None, org, year)
    levels = dict(
        Review.objects.filter(org_path__startswith=org.path, year=year, period=period, subject=Subject.MEMBER)
        .annotate(lvl=EFFECTIVE)
        .values_list("lvl")
        .annotate(n=Count("id"))
        .order_by()
    )
    expected = cells.count() * months
    return {
        "target_level": reg.target_level if reg else "",
        "goals": reg.goal_lines if reg else [],
        "meetings_held": held["n"],
        "meetings_expected": expected,
        "meeting_criteria_pct": round(100 * held["met"] / held["criteria"], 1) if held["criteria"] else None,
        "dossiers_present": dossiers.present,
        "dossiers_required": dossiers.required,
        "members_reviewed": sum(n for k, n in levels.items() if k),
        "member_levels": {k: levels.get(k, 0) for k in LEVELS},
        "members_disciplined": disciplined_count(org.path, start, end),
    }


# --- rollups ------------------------------------------------------------------------------------------------


def _counts() -> dict:
    return {"expected": 0, "started": 0, **{s: 0 for s in State.values}, "levels": {lv_: 0 for lv_ in LEVELS}}


def rollup(org: Organisation, year: int, period: str = Period.YEAR) -> tuple[dict, list[dict]]:
    """Progress and decided levels per branch (each child of `org`, and `org` itself) and for the whole subtree:
    for members (expected = official stays in the period; committed; per state) and organisations (expected =
    open in the period; registered; per state). Five grouped queries. The caller has checked access to `org`."""
    start, end = lv.period_bounds(year, period)
    n = len(org.path) + STEP
    branch = Substr("org_path", 1, n)
    rows: dict[str, dict] = {}

    def row(b):
        return rows.setdefault(b, {"branch": b, "members": {**_counts(), "committed": 0},
                                   "orgs": {**_counts(), "registered": 0}})  # fmt: skip

    for r in (
        Review.objects.filter(org_path__startswith=org.path, year=year, period=period)
        .annotate(b=branch)
        .values_list("b", "subject", "state", "level")
        .annotate(k=Count("id"))
        .order_by()
    ):
        b, subject, state, level, k = r
        c = row(b)["members" if subject == Subject.MEMBER else "orgs"]
        c[state] += k
        c["started"] += k
        if state == State.DECIDED and level:
            c["levels"][level] += k
    counted = (
        (Membership.objects.filter(stays_q(start, end), organisation__path__startswith=org.path),
         "organisation__path", "members", "expected", Count("member_id", distinct=True)),
        (Commitment.objects.filter(org_path__startswith=org.path, year=year), "org_path", "members", "committed",
         Count("id")),
        (Organisation.objects.filter(open_in(start, end), path__startswith=org.path), "path", "orgs", "expected",
         Count("id")),
        (Registration.objects.filter(org_path__startswith=org.path, year=year), "org_path", "orgs", "registered",
         Count("id")),
    )  # fmt: skip
    for qs, path, kind, key, count in counted:
        for b, k in qs.annotate(b=Substr(path, 1, n)).values_list("b").annotate(k=count).order_by():
            row(b)[kind][key] += k
    names = {o.path: o for o in Organisation.objects.filter(path__in=list(rows)).select_related("type")}
    total = {"members": {**_counts(), "committed": 0}, "orgs": {**_counts(), "registered": 0}}
    out = []
    for b in sorted(rows, key=lambda p: (p != org.path, names[p].sort_key if p in names else p)):
        r = rows[b]
        r["org"], r["is_self"] = names.get(b), b == org.path
        for kind in ("members", "orgs"):
            for k, v in r[kind].items():
                if k == "levels":
                    for lvl, x in v.items():
                        total[kind]["levels"][lvl] += x
                else:
                    total[kind][k] += v
            _percent(r[kind])
        out.append(r)
    for kind in ("members", "orgs"):
        _percent(total[kind])
    return total, out


def _percent(c: dict) -> None:
    decided = c[State.DECIDED]
    c["percent"] = {k: (round(100 * v / decided, 1) if decided else None) for k, v in c["levels"].items()}
    c["dist"] = [
        {"key": k, "label": label, "short": SHORT[k], "n": c["levels"][k], "pct": c["percent"][k]}
        for k, label in Level.choices
    ]


@dataclass
class Quota:
    org: Organisation
    excellent: int
    base: int  # those rated in the levels the cap is a share of (by default: good)
    pct: int
    levels: dict = field(default_factory=dict)

    @property
    def cap(self) -> int:
        return self.base * self.pct // 100

    @property
    def breaks(self) -> bool:
        return self.excellent > self.cap


def _quota(org, counts: dict, year: int, period: str) -> Quota:
    _, p = lv.in_force(year, period)
    base = sum(counts.get(k, 0) for k in p["cap_base"])
    return Quota(org, counts.get(Level.EXCELLENT, 0), base, p["excellent_cap_pct"], counts)


def quota(grassroots: Organisation, year: int, period: str, *, decided_only: bool) -> Quota:
    qs = Review.objects.filter(grassroots=grassroots, year=year, period=period, subject=Subject.MEMBER)
    if decided_only:
        counts = dict(qs.filter(state=State.DECIDED).values_list("level").annotate(n=Count("id")).order_by())
    else:
        counts = dict(qs.annotate(lvl=EFFECTIVE).values_list("lvl").annotate(n=Count("id")).order_by())
    return _quota(grassroots, counts, year, period)


def quota_rows(
    org: Organisation, year: int, period: str = Period.YEAR, *, only_breaking: bool = True
) -> list:
    """The grassroots organisations of the subtree with their count of "excellent" against the cap, on the
    decided level or, not yet decided, the proposed one. One grouped query."""
    counts: dict[int, dict] = {}
    for gid, lvl, n in (
        Review.objects.filter(
            org_path__startswith=org.path,
            year=year,
            period=period,
            subject=Subject.MEMBER,
            grassroots__path__startswith=org.path,
        )  # fmt: skip
        .annotate(lvl=EFFECTIVE)
        .values_list("grassroots_id", "lvl")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if lvl:
            counts.setdefault(gid, {})[lvl] = n
    orgs = Organisation.objects.in_bulk(list(counts))
    rows = [_quota(orgs[g], c, year, period) for g, c in counts.items()]
    rows = [q for q in rows if q.breaks or not only_breaking]
    return sorted(rows, key=lambda q: orgs[q.org.pk].sort_key)


@dataclass
class DisciplineRow:
    case: Discipline
    review: Review | None
    cap: str

    @property
    def level_label(self) -> str:
        lvl = self.review.effective_level if self.review else ""
        return Level(lvl).label if lvl else ""

    @property
    def cap_label(self) -> str:
        return Level(self.cap).label

    @property
    def above_cap(self) -> bool:
        lvl = self.review.effective_level if self.review else ""
        return bool(lvl) and RANK[lvl] > RANK[self.cap]


def disciplined_rows(org: Organisation, year: int, period: str = Period.YEAR) -> list[DisciplineRow]:
    """Members of the subtree disciplined in the period, the level their review carries and the cap."""
    start, end = lv.period_bounds(year, period)
    _, p = lv.in_force(year, period)
    cases = list(
        discipline_in(org.path, start, end)
        .select_related("subject_member")
        .distinct()
        .order_by("subject_member__sort_key", "announced_on")
    )
    reviews = {
        r.member_id: r
        for r in Review.objects.filter(
            member_id__in=[d.subject_member_id for d in cases], year=year, period=period, subject=Subject.MEMBER
        )
    }
    return [DisciplineRow(d, reviews.get(d.subject_member_id), p["discipline_cap"]) for d in cases]


def results(user, org: Organisation, year: int, period: str = Period.YEAR):
    """Decided reviews of the subtree with the decision in force."""
    return review_list(user, org, year, period, state=State.DECIDED)
