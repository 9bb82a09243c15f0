"""Every read of the tree. Each takes the acting user first, so scoping is never forgotten."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import in_force, today
from dangvu.core.errors import NotFound
from dangvu.core.text import search_key
from dangvu.core.tree import ancestor_paths

from .models import LinkRole, Organisation, OrgEvent, OrgEventLink, OrgType, OrgVersion


def orgs_visible(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(scope_q(user)).select_related("type", "parent")


def org_get(user, code: str) -> Organisation:
    """An organisation by code (open or closed); NotFound when absent or out of the user's scope."""
    org = orgs_visible(user).filter(code=(code or "").strip().upper()).first()
    if org is None:
        raise NotFound(code)
    return org


def org_types() -> QuerySet[OrgType]:
    return OrgType.objects.prefetch_related("allowed_children")


@dataclass
class OrgRow:
    """One organisation as it stood on a date: what lists and the API show."""

    org: Organisation
    name: str
    type: OrgType
    parent: Organisation | None
    path: str
    n_children: int = 0
    n_members: int | None = None  # filled by holdings.annotate_rows (today only)
    secretary: object = None

    @property
    def code(self) -> str:
        return self.org.code


def path_on(org: Organisation, d: dt.date) -> str | None:
    """Where the organisation stood in the tree on `d` (None if it did not exist then)."""
    return OrgVersion.objects.filter(in_force(d), organisation=org).values_list("path", flat=True).first()


def org_list(
    user,
    *,
    q: str = "",
    parent: str = "",
    ancestor: str = "",
    type: str = "",
    kind: str = "",
    as_of: dt.date | None = None,
) -> QuerySet:
    """Organisations open on `as_of` (default today), placed where they stood that day.

    Returns a queryset of Organisation (today) or OrgVersion (a past date); `as_row` turns either into OrgRow.
    """
    d = as_of or today()
    current = d >= today()
    if current:
        qs = orgs_visible(user).filter(closed_on__isnull=True)
    else:
        qs = (
            OrgVersion.objects.filter(in_force(d))
            .filter(scope_q(user, "organisation__path"))
            .select_related("organisation", "type", "parent")
        )
    if q:
        for word in search_key(q).split():
            qs = qs.filter(search_text__contains=word)
    if parent:
        p = org_get(user, parent)
        qs = qs.filter(parent=p)
    if ancestor:
        a = org_get(user, ancestor)
        a_path = a.path if current else path_on(a, d)
        if a_path is None:
            return qs.none()
        qs = qs.filter(path__startswith=a_path).exclude(path=a_path)
    if type:
        qs = qs.filter(type__code=type)
    if kind:
        qs = qs.filter(type__kind=kind)
    return qs.order_by("sort_key" if current else "organisation__sort_key", "pk")


def as_row(obj) -> OrgRow:
    if isinstance(obj, OrgVersion):
        return OrgRow(org=obj.organisation, name=obj.name, type=obj.type, parent=obj.parent, path=obj.path)
    return OrgRow(org=obj, name=obj.name, type=obj.type, parent=obj.parent, path=obj.path)


def _rows(
    user, as_of: dt.date | None, *, parent: Organisation | None = None, ids: list[int] | None = None
) -> list[OrgRow]:
    """Organisations under `parent` (or with pk in `ids`, or the roots when neither is given) as they stood on
    the date, each with its number of open sub-organisations: two queries whatever the number of rows."""
    d = as_of or today()
    where = (
        {"parent": parent}
        if parent is not None
        else ({"pk__in": ids} if ids is not None else {"parent__isnull": True})
    )
    if d >= today():
        qs = (
            orgs_visible(user)
            .filter(closed_on__isnull=True, **where)
            .annotate(n_children=Count("children", filter=Q(children__closed_on__isnull=True)))
            .order_by("sort_key")
        )
        rows = [as_row(o) for o in qs]
        for row in rows:
            row.n_children = row.org.n_children
        return rows
    if "pk__in" in where:
        where = {"organisation_id__in": where["pk__in"]}
    versions = list(
        OrgVersion.objects.filter(in_force(d), scope_q(user, "organisation__path"), **where)
        .select_related("organisation", "type", "parent")
        .order_by("organisation__sort_key")
    )
    ids_on = [v.organisation_id for v in versions]
    counts = dict(
        OrgVersion.objects.filter(in_force(d), parent_id__in=ids_on)
        .values_list("parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [as_row(v) for v in versions]
    for row in rows:
        row.n_children = counts.get(row.org.pk, 0)
    return rows


def org_children(user, org: Organisation, *, as_of: dt.date | None = None) -> list[OrgRow]:
    """The sub-organisations open on the date, each with its number of open sub-organisations."""
    return _rows(user, as_of, parent=org)


def user_roots(user, *, as_of: dt.date | None = None) -> list[OrgRow]:
    """Where the user's tree starts: the roots for a superuser, else the organisations granted to them."""
    if user.is_superuser:
        return _rows(user, as_of)
    from dangvu.accounts.selectors import user_scope_roots

    return _rows(user, as_of, ids=[o.pk for o in user_scope_roots(user)])


def org_ancestors(user, org: Organisation) -> list[Organisation]:
    """Breadcrumbs, root first; ancestors outside the user's scope are left out."""
    return list(orgs_visible(user).filter(path__in=ancestor_paths(org.path)).order_by("path"))


def subtree_counts_by_type(user, org: Organisation) -> list[dict]:
    """Open organisations below `org`, counted by type: one range scan on the (path, type) index."""
    rows = (
        Organisation.objects.filter(scope_q(user), path__startswith=org.path, closed_on__isnull=True)
        .exclude(pk=org.pk)
        .values("type")
        .annotate(n=Count("id"))
        .order_by()
    )
    types = {t.pk: t for t in OrgType.objects.all()}
    out = [{"type": types[r["type"]], "n": r["n"]} for r in rows]
    return sorted(out, key=lambda r: (r["type"].position, r["type"].code))


def _counterparts(user, org: Organisation, *, own_role: str, their_role: str) -> list[Organisation]:
    """Organisations on the other side of the merges, splits and dissolutions that `org` took part in."""
    links = (
        OrgEventLink.objects.filter(
            scope_q(user, "organisation__path"),
            role=their_role,
            event__links__organisation=org,
            event__links__role=own_role,
            event__kind__in=["merge", "split", "dissolve"],
        )
        .exclude(organisation=org)
        .select_related("organisation")
    )
    return list(dict.fromkeys(link.organisation for link in links))


@dataclass
class History:
    events: list[OrgEvent]
    predecessors: list[Organisation]
    successors: list[Organisation]
    versions: list[OrgVersion]


def org_history(user, org: Organisation) -> History:
    """Decisions that touched the organisation, what it came from and what took its place."""
    events = list(
        OrgEvent.objects.filter(links__organisation=org)
        .distinct()
        .prefetch_related("links__organisation")
        .order_by("-effective_on", "-id")
    )
    versions = list(org.versions.select_related("type", "parent").order_by("valid_from", "id"))
    return History(
        events=events,
        predecessors=_counterparts(user, org, own_role=LinkRole.TARGET, their_role=LinkRole.SOURCE),
        successors=_counterparts(user, org, own_role=LinkRole.SOURCE, their_role=LinkRole.TARGET),
        versions=versions,
    )


_PICKED = re.compile(r"\(([A-Za-z0-9_-]{1,32})\)\s*$")


def code_of(text: str | None) -> str:
    """The code in what an organisation picker sends: "Chi bộ thôn Nà Lộc (LCA-NALOC)", or a bare code."""
    text = (text or "").strip()
    m = _PICKED.search(text)
    return (m.group(1) if m else text).upper()


def by_name(user, name: str) -> Organisation | None:
    """The one open organisation in scope whose name is `name` (without diacritics or case), else None."""
    key = search_key(name or "")
    if not key:
        return None
    found = list(orgs_visible(user).filter(closed_on__isnull=True, search_text=key)[:2])
    return found[0] if len(found) == 1 else None


def org_suggest(user, q: str, *, limit: int = 10, cells_anywhere: bool = False) -> list[Organisation]:
    """Autocomplete: open organisations whose name (without diacritics) or code matches, in scope only; or, for
    a transfer's destination, open cells anywhere (the sender rarely sees the receiver)."""
    key = search_key(code_of(q) if _PICKED.search(q or "") else q)
    if not key:
        return []
    qs = Organisation.objects.filter(type__kind="cell") if cells_anywhere else orgs_visible(user)
    qs = qs.filter(closed_on__isnull=True)
    qs = qs.filter(Q(code__startswith=code_of(q)) | Q(search_text__contains=key))
    return list(qs.select_related("parent").order_by("sort_key")[:limit])


def events_visible(user) -> QuerySet[OrgEvent]:
    """Decisions touching at least one organisation in the user's scope, newest first."""
    ids = OrgEventLink.objects.filter(scope_q(user, "organisation__path")).values("event_id")
    return (
        OrgEvent.objects.filter(pk__in=ids)
        .prefetch_related("links__organisation")
        .order_by("-effective_on", "-id")
    )


_TERRITORY = re.compile(r"^(xã|phường|thị trấn|đặc khu|thị xã|quận|huyện|tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)
_PARTY = re.compile(r"^(Đảng bộ|Đảng ủy|Chi bộ)\s+", re.IGNORECASE)


def place_name(org: Organisation) -> str:
    """The place in a document's place-and-date line: the nearest territorial committee above (or at) the
    organisation, without "Đảng bộ" and "xã", "phường", "tỉnh"… ("Khánh Yên", "Lào Cai"). An agency's cell
    dates its documents from the territory it sits in, never from its office's name."""

    chain = [org, *Organisation.objects.filter(path__in=ancestor_paths(org.path)).order_by("-path")]
    for o in chain:
        m = _TERRITORY.match(_PARTY.sub("", o.name))
        if m:
            return m.group(2)
    return _PARTY.sub("", chain[-1].name)
