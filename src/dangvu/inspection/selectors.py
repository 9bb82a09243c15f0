"""Reading inspection, supervision and discipline: only through a confidential role's scope (inspector, officer,
administrator on the subtree; anything else is 404, like a record outside the scope). The superior's view is
grouped in SQL by branch, a fixed number of queries whatever the size of the branch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from dangvu.accounts.selectors import covers, scope_q
from dangvu.core.dates import today
from dangvu.core.errors import NotFound
from dangvu.core.text import search_key
from dangvu.documents.services import term_on
from dangvu.organizations.models import LinkRole, Organisation, OrgEventLink

from .models import (
    IN_FORCE,
    Activity,
    Appeal,
    Complaint,
    Discipline,
    DisciplineState,
    Form,
    Inspection,
    Item,
    ItemState,
    Notice,
    Programme,
    Recommendation,
)
from .services import CONFIDENTIAL

SEGMENT = 7  # one level of the materialised path


def may_read(user, org: Organisation) -> bool:
    return covers(user, org.path, CONFIDENTIAL)


def _own(user, within: str | None = None) -> Q:
    return scope_q(user, "org_path", CONFIDENTIAL, within=within)


INSPECTION_PUBLISHED = Q(concluded_on__isnull=False)
DISCIPLINE_PUBLISHED = ~Q(state__in=[DisciplineState.OPEN, DisciplineState.DEFERRED]) & ~Q(
    state=DisciplineState.DECIDED, announced_on__isnull=True
)  # decided and announced, or closed: what the subject's side may know


def _not_self(user) -> Q:
    """Nobody reads a case about themselves (a member whose account holds a confidential role)."""
    from dangvu.members.models import Member

    mine = getattr(user, "_dv_members", None)  # once per request: the user object lives as long
    if mine is None:
        mine = list(Member.objects.filter(account_id=user.pk).values_list("pk", flat=True)) if user.pk else []
        user._dv_members = mine
    return ~Q(subject_member_id__in=mine) if mine else Q()


def _either(user, within: str | None = None, published: Q | None = None, *, member_now: bool = False) -> Q:
    """Owned by a body of the scope, or about a subject in it once `published` (a member disciplined by a higher
    body: the subject's side sees the decision, not the case while it is being considered); with `member_now`,
    also about a member who belongs to the scope now (their history follows them after a transfer); never about
    the reader."""
    own = scope_q(user, "org_path", CONFIDENTIAL, within=within)
    subj = scope_q(user, "subject_path", CONFIDENTIAL, within=within)
    if member_now and subj:
        subj = subj | scope_q(user, "subject_member__org_path", CONFIDENTIAL, within=within)
    if published is not None:
        subj = subj & published if subj else published
    if not own:  # an empty Q is "everything": it must not vanish from the OR
        return _not_self(user)
    return (own | subj) & _not_self(user)


def _get(qs, pk, related=()):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(pk) from None
    obj = qs.filter(pk=pk).select_related(*related).first()
    if obj is None:
        raise NotFound(pk)
    return obj


def lineage(org: Organisation) -> list[Organisation]:
    """The organisation and every one it succeeded through merges and splits (their subjects show under it)."""
    seen, todo, out = {org.pk}, [org.pk], [org]
    while todo:
        targets = OrgEventLink.objects.filter(organisation_id__in=todo, role=LinkRole.TARGET).values("event_id")
        prev = list(Organisation.objects.filter(
            pk__in=OrgEventLink.objects.filter(event_id__in=targets, role=LinkRole.SOURCE).values("organisation_id")
        ).exclude(pk__in=seen))  # fmt: skip
        todo = [o.pk for o in prev]
        seen |= set(todo)
        out += prev
    return out


def successor(org: Organisation) -> Organisation | None:
    """Where a closed organisation went (its merge or split target; the first one for a split)."""
    if org.closed_on is None:
        return None
    link = (OrgEventLink.objects.filter(event__links__organisation=org, event__links__role=LinkRole.SOURCE,
                                        role=LinkRole.TARGET).select_related("organisation").order_by("pk").first())  # fmt: skip
    return link.organisation if link else None


# --- lists and objects ---------------------------------------------------------------------------------------


def programmes(user, org: Organisation, year: int | None = None) -> QuerySet[Programme]:
    qs = Programme.objects.filter(_own(user, org.path), org_path__startswith=org.path)
    if year:
        qs = qs.filter(Q(year=year) | Q(year__isnull=True))
    return qs.select_related("organisation", "term").annotate(
        n_items=Count("items"), n_done=Count("items", filter=Q(items__state=ItemState.DONE)),
        n_late=Count("items", filter=Q(items__due_on__lt=today()) & ~Q(items__state__in=[ItemState.DONE,
                                                                                       ItemState.DROPPED])),
    ).order_by("-year", "org_path", "body")  # fmt: skip


def programme_get(user, pk) -> Programme:
    return _get(Programme.objects.filter(_own(user)), pk, ("organisation__type", "term"))


def items_of(p: Programme) -> list[Item]:
    return list(p.items.select_related("subject_org", "subject_member", "inspection"))


def late_items(user, org: Organisation, *, limit: int = 50) -> tuple[list[Item], int]:
    qs = Item.objects.filter(_own(user, org.path), org_path__startswith=org.path, due_on__lt=today()).exclude(
        state__in=[ItemState.DONE, ItemState.DROPPED]
    )
    return list(qs.select_related("programme__organisation", "subject_org", "subject_member")
                .order_by("due_on", "pk")[:limit]), qs.count()  # fmt: skip


@dataclass
class Filters:
    q: str = ""
    state: str = ""
    activity: str = ""
    subject: Organisation | None = None  # records about it and its predecessors


def inspections(user, org: Organisation, f: Filters | None = None) -> QuerySet[Inspection]:
    f = f or Filters()
    qs = Inspection.objects.filter(_either(user, published=INSPECTION_PUBLISHED)).filter(
        Q(org_path__startswith=org.path) |
                                                         Q(subject_path__startswith=org.path))  # fmt: skip
    if f.activity in Activity.values:
        qs = qs.filter(activity=f.activity)
    if f.state == "open":
        qs = qs.filter(concluded_on__isnull=True)
    elif f.state == "concluded":
        qs = qs.filter(concluded_on__isnull=False)
    elif f.state == "violation":
        qs = qs.filter(violation=True)
    if f.subject is not None:
        qs = qs.filter(subject_org__in=lineage(f.subject))
    for word in search_key(f.q).split():
        qs = qs.filter(Q(subject_member__search_text__contains=word) | Q(subject_org__search_text__contains=word))
    return qs.select_related("organisation", "subject_org", "subject_member").order_by("-decided_on", "-pk")


def inspection_get(user, pk) -> Inspection:
    return _get(Inspection.objects.filter(_either(user, published=INSPECTION_PUBLISHED)), pk,
                ("organisation__type", "subject_org", "subject_member__org", "item__programme"))  # fmt: skip


def inspection_visible(user, pk) -> Inspection | None:
    """An inspection the reader may see, else None (a case's link to it shows only then)."""
    if pk is None:
        return None
    return Inspection.objects.filter(_either(user, published=INSPECTION_PUBLISHED), pk=pk).first()


def open_recommendations(user, org: Organisation, *, limit: int = 50) -> list[Recommendation]:
    """The first open recommendations to subjects of the subtree, the earliest deadline first (their count is the
    overview's `recs_open`)."""
    about = Inspection.objects.filter(_either(user, org.path, INSPECTION_PUBLISHED), subject_path__startswith=org.path)
    qs = Recommendation.objects.filter(inspection__in=about, done_on__isnull=True)
    return list(qs.select_related("inspection__subject_org", "inspection__subject_member")
                .order_by("due_on", "pk")[:limit])  # fmt: skip


def disciplines(user, org: Organisation, f: Filters | None = None) -> QuerySet[Discipline]:
    f = f or Filters()
    qs = Discipline.objects.filter(_either(user, published=DISCIPLINE_PUBLISHED, member_now=True)).filter(
        Q(subject_member__org_path__startswith=org.path) | Q(org_path__startswith=org.path) |
                                                         Q(subject_path__startswith=org.path))  # fmt: skip
    if f.state in DisciplineState.values:
        qs = qs.filter(state=f.state)
    elif f.state == "appeal":
        qs = qs.filter(appeals__outcome="").distinct()
    if f.subject is not None:
        qs = qs.filter(subject_org__in=lineage(f.subject))
    for word in search_key(f.q).split():
        qs = qs.filter(Q(subject_member__search_text__contains=word) | Q(subject_org__search_text__contains=word))
    return qs.select_related("organisation", "subject_org", "subject_member").order_by("-conduct_from", "-pk")


def discipline_get(user, pk) -> Discipline:
    return _get(Discipline.objects.filter(_either(user, published=DISCIPLINE_PUBLISHED, member_now=True)), pk,
                ("organisation__type", "subject_org", "subject_member__org", "seat", "inspection", "notice"))  # fmt: skip


def disciplines_of(user, i: Inspection) -> list[Discipline]:
    """The cases that followed an inspection, as far as the reader may see them."""
    return list(Discipline.objects.filter(_either(user, published=DISCIPLINE_PUBLISHED), inspection=i)
                .select_related("subject_member", "subject_org"))  # fmt: skip


def appeal_get(user, pk) -> Appeal:
    return _get(Appeal.objects.filter(discipline__in=Discipline.objects.filter(
        _either(user, published=DISCIPLINE_PUBLISHED))), pk,
                ("discipline__organisation__type", "discipline__subject_member"))  # fmt: skip


def notices(user, org: Organisation) -> QuerySet[Notice]:
    handled = Discipline.objects.filter(notice=OuterRef("pk"))
    return (Notice.objects.filter(_own(user, org.path), org_path__startswith=org.path).annotate(handled=Exists(handled))
            .select_related("member").order_by("-received_on", "-pk"))  # fmt: skip


def notice_get(user, pk) -> Notice:
    return _get(Notice.objects.filter(_own(user)), pk, ("member__org",))


def complaints(user, org: Organisation, state: str = "") -> QuerySet[Complaint]:
    qs = Complaint.objects.filter(_own(user, org.path), org_path__startswith=org.path)
    if state == "open":
        qs = qs.filter(closed_on__isnull=True)
    elif state == "late":
        qs = qs.filter(closed_on__isnull=True, due_on__lt=today())
    return (_handled(qs, user).select_related("organisation", "subject_member", "subject_org")
            .order_by("-received_on", "-pk"))  # fmt: skip


def _handled(qs, user):
    """`handled`: the reader is one of the complaint's handlers (the only ones who see who filed it)."""
    return qs.annotate(handled=Exists(Complaint.handlers.through.objects.filter(complaint_id=OuterRef("pk"),
                                                                                user_id=user.pk)))  # fmt: skip


def complaint_get(user, pk) -> Complaint:
    return _get(_handled(Complaint.objects.filter(_own(user)), user), pk,
                ("organisation__type", "subject_member", "subject_org"))


def handles(user, c: Complaint) -> bool:
    """Who filed it is shown only to its handlers."""
    handled = getattr(c, "handled", None)
    return handled if handled is not None else c.handlers.filter(pk=user.pk).exists()


# --- the superior's view -------------------------------------------------------------------------------------


@dataclass
class BranchRow:
    org: Organisation | None
    items: int = 0
    items_done: int = 0
    items_late: int = 0
    inspections: int = 0
    supervisions: int = 0
    violations: int = 0
    recs_open: int = 0
    recs_late: int = 0
    disciplined: dict[str, int] = field(default_factory=dict)

    @property
    def disciplined_total(self) -> int:
        return sum(self.disciplined.values())


@dataclass
class Overview:
    total: BranchRow
    branches: list[BranchRow]
    since: dt.date  # the term (or year) "never inspected" looks back to
    since_label: str
    never: list[Organisation]
    never_count: int


def overview(user, org: Organisation, year: int) -> Overview:
    """Per branch (child of `org`): the year's programme items (done, late), inspections and supervisions opened,
    those concluded with violations, recommendations open and late, disciplines in force by form; and the
    organisations of the subtree never inspected in the current term (or, without a term, in five years)."""
    width = len(org.path) + SEGMENT
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    now = today()
    rows: dict[str, BranchRow] = {}

    def row(key: str) -> BranchRow:
        return rows.setdefault(key, BranchRow(None))

    def branch(qs, path="org_path"):
        return qs.annotate(b=Substr(path, 1, width))

    items = Item.objects.filter(_own(user, org.path), org_path__startswith=org.path, due_on__range=(start, end))
    for b, n, done, late in branch(items).values_list("b").annotate(
        n=Count("id"), done=Count("id", filter=Q(state=ItemState.DONE)),
        late=Count("id", filter=Q(due_on__lt=now) & ~Q(state__in=[ItemState.DONE, ItemState.DROPPED])),
    ).order_by():  # fmt: skip
        r = row(b)
        r.items, r.items_done, r.items_late = n, done, late
    about = Inspection.objects.filter(_either(user, org.path, INSPECTION_PUBLISHED), subject_path__startswith=org.path)
    insp = about.filter(decided_on__range=(start, end))
    for b, activity, n, v in branch(insp, "subject_path").values_list("b", "activity").annotate(
        n=Count("id"), v=Count("id", filter=Q(violation=True))
    ).order_by():  # fmt: skip
        r = row(b)
        if activity == Activity.INSPECTION:
            r.inspections += n
        else:
            r.supervisions += n
        r.violations += v
    recs = Recommendation.objects.filter(inspection__in=about, done_on__isnull=True)
    for b, n, late in branch(recs, "inspection__subject_path").values_list("b").annotate(
        n=Count("id"), late=Count("id", filter=Q(due_on__lt=now))
    ).order_by():  # fmt: skip
        r = row(b)
        r.recs_open, r.recs_late = n, late
    disc = Discipline.objects.filter(_either(user, org.path, DISCIPLINE_PUBLISHED), subject_path__startswith=org.path,
                                     state__in=IN_FORCE,
                                     announced_on__range=(start, end))  # fmt: skip
    for b, form, n in branch(disc, "subject_path").values_list("b", "form").annotate(n=Count("id")).order_by():
        row(b).disciplined[form] = n
    keys = [k for k in rows if k != org.path and len(k) == width]
    children = {o.path: o for o in Organisation.objects.filter(path__in=keys)}
    branches = []
    for key, r in rows.items():
        r.org = children.get(key, org if key == org.path else None)
        if r.org is None and len(key) < width:  # a record about the organisation itself
            r.org = org
        branches.append(r)
    merged: dict[int, BranchRow] = {}
    for r in branches:  # rows whose key was shorter than a child's path are the organisation's own
        k = r.org.pk if r.org else 0
        if k in merged:
            _add(merged[k], r)
        else:
            merged[k] = r
    branches = sorted(merged.values(), key=lambda r: (r.org.sort_key if r.org else "", r.org.pk if r.org else 0))
    total = BranchRow(org)
    for r in branches:
        _add(total, r)
    term = term_on(org, now)
    since = term.starts_on if term else dt.date(now.year - 5, now.month, 1)
    label = f"nhiệm kỳ {term.name}" if term else "5 năm qua"
    inspected = Inspection.objects.filter(subject_org=OuterRef("pk"), decided_on__gte=since,
                                          subject_path__startswith=org.path)  # the branch's only: a smaller anti-join
    never = (Organisation.objects.filter(path__startswith=org.path, closed_on__isnull=True)
             .exclude(pk=org.pk).filter(~Exists(inspected)))  # fmt: skip
    return Overview(total, branches, since, label, list(never.select_related("type").order_by("sort_key")[:50]),
                    never.count())  # fmt: skip


def _add(into: BranchRow, r: BranchRow) -> None:
    for f in ("items", "items_done", "items_late", "inspections", "supervisions", "violations", "recs_open",
              "recs_late"):  # fmt: skip
        setattr(into, f, getattr(into, f) + getattr(r, f))
    for form, n in r.disciplined.items():
        into.disciplined[form] = into.disciplined.get(form, 0) + n


FORMS_SHOWN = [Form.REPRIMAND, Form.WARNING, Form.REMOVAL, Form.EXPULSION, Form.DISSOLUTION]


# --- what the evaluations read -------------------------------------------------------------------------------


def member_disciplines_in(start: dt.date, end: dt.date) -> QuerySet[Discipline]:
    """Discipline of members in force and announced in [start, end] (no scope: the evaluations' own rules)."""
    return Discipline.objects.filter(subject_member__isnull=False, state__in=IN_FORCE,
                                     announced_on__range=(start, end))  # fmt: skip
