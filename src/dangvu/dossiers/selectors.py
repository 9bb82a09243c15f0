"""Every read of dossiers, always for an acting user: checklists, search, completeness up the tree.

Completeness of a subtree for a year is one SQL statement per level shown: the catalogue in force for each
type (the latest version not after the year), the organisations open during the year, the complete dossiers
covering the year whose code is in their organisation's catalogue, grouped per organisation and then per
branch. Nothing loops over organisations in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from dangvu.accounts.selectors import _grant_paths, scope_q
from dangvu.core.errors import NotFound
from dangvu.core.text import search_key
from dangvu.core.tree import STEP
from dangvu.organizations.models import LinkRole, Organisation, OrgEventLink

from .models import Catalogue, Dossier, DossierFile, DossierType, Field


def predecessor_ids(user) -> set[int]:
    """Closed organisations whose successors (through merges, splits, dissolutions, transitively) are in the
    user's scope: their dossiers stay reachable from there."""
    paths = _grant_paths(user)
    if paths is None:
        return set()
    found: set[int] = set()
    frontier = Q(scope_q(user, "organisation__path"))
    for _ in range(10):  # chains of decisions are short; 10 levels is far beyond any real history
        events = OrgEventLink.objects.filter(frontier, role=LinkRole.TARGET).values("event_id")
        new = (
            set(
                OrgEventLink.objects.filter(
                    event_id__in=events, role=LinkRole.SOURCE, organisation__closed_on__isnull=False
                ).values_list("organisation_id", flat=True)
            )
            - found
        )
        if not new:
            break
        found |= new
        frontier = Q(organisation_id__in=new)
    return found


def dossiers_visible(user) -> QuerySet[Dossier]:
    q = scope_q(user, "org_path")
    extra = predecessor_ids(user)
    if extra:
        q |= Q(organisation_id__in=extra)
    return Dossier.objects.filter(q)


def dossier_get(user, pk: int) -> Dossier:
    d = (
        dossiers_visible(user)
        .select_related("organisation__type")
        .prefetch_related(
            "links", Prefetch("files", queryset=DossierFile.objects.select_related("uploaded_by"))
        )
        .filter(pk=pk)
        .first()
    )
    if d is None:
        raise NotFound(pk)
    return d


def file_get(user, pk: int, fid: int) -> tuple[Dossier, DossierFile]:
    """A dossier in scope and one of its files (any version)."""
    d = dossier_get(user, pk)
    f = next((x for x in d.files.all() if x.pk == fid), None)
    if f is None:
        raise NotFound(fid)
    return d, f


def org_reachable(user, code: str) -> Organisation:
    """An organisation in scope, or a closed predecessor of one (for its dossiers only)."""
    org = Organisation.objects.select_related("type").filter(code=(code or "").strip().upper()).first()
    if org is None:
        raise NotFound(code)
    from dangvu.accounts.selectors import covers

    if not covers(user, org.path) and org.pk not in predecessor_ids(user):
        raise NotFound(code)
    return org


def catalogues_in_force(year: int) -> dict[int, Catalogue]:
    """org_type_id → the catalogue judging `year` (the latest version not after it). One query."""
    out: dict[int, Catalogue] = {}
    for c in (
        Catalogue.objects.filter(year__lte=year).select_related("org_type").order_by("org_type", "-year")
    ):
        out.setdefault(c.org_type_id, c)
    return out


# --- one organisation's checklist ---------------------------------------------------------------------------


@dataclass
class Line:
    type: DossierType
    dossier: Dossier | None
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.dossier is not None and self.dossier.complete


@dataclass
class Checklist:
    org: Organisation
    year: int
    catalogue: Catalogue | None
    groups: list[tuple[str, list[Line]]]
    present: int
    required: int
    others: list[Dossier]  # dossiers of codes no longer in this year's catalogue
    predecessors: list[Organisation]

    @property
    def percent(self) -> float:
        return round(100 * self.present / self.required, 1) if self.required else 100.0


def covering(year: int) -> Q:
    return Q(year_from__lte=year) & (Q(year_to__isnull=True) | Q(year_to__gte=year))


def checklist(user, org: Organisation, year: int) -> Checklist:
    cat = Catalogue.objects.filter(org_type_id=org.type_id, year__lte=year).order_by("-year").first()
    types = list(cat.types.all()) if cat else []
    dossiers = list(
        Dossier.objects.filter(covering(year), organisation=org)
        .order_by("code", "-year_from")
        .prefetch_related(Prefetch("files", queryset=DossierFile.objects.filter(current=True)), "links")
    )
    by_code: dict[str, Dossier] = {}
    for d in dossiers:
        by_code.setdefault(d.code, d)
    lines = []
    for t in types:
        d = by_code.pop(t.code, None)
        # files are prefetched current ones only: no query per line
        lines.append(Line(t, d, t.lacks(d, bool(d.files.all() or d.links.all())) if d else []))
    groups = [(label, [ln for ln in lines if ln.type.field == value]) for value, label in Field.choices]
    return Checklist(
        org=org,
        year=year,
        catalogue=cat,
        groups=[g for g in groups if g[1]],
        present=sum(1 for ln in lines if ln.complete),
        required=len(lines),
        others=list(by_code.values()),
        predecessors=_predecessors(org),
    )


def _predecessors(org: Organisation) -> list[Organisation]:
    events = OrgEventLink.objects.filter(organisation=org, role=LinkRole.TARGET).values("event_id")
    return list(
        Organisation.objects.filter(
            event_links__event_id__in=events, event_links__role=LinkRole.SOURCE, closed_on__isnull=False
        )
        .exclude(pk=org.pk)
        .distinct()
        .order_by("sort_key")
    )


# --- search -------------------------------------------------------------------------------------------------


def search(user, *, q: str = "", org: Organisation | None = None, year: int | None = None, code: str = "",
           field_: str = "") -> QuerySet[Dossier]:  # fmt: skip
    """Dossiers in scope by words (title, number, type, and the text inside PDF and DOCX files, without
    diacritics), organisation (its subtree), year, type code and field."""
    qs = dossiers_visible(user).select_related("organisation")
    if org is not None:
        qs = qs.filter(
            Q(org_path__startswith=org.path) | Q(organisation_id__in=[p.pk for p in _predecessors(org)])
        )
    if year:
        qs = qs.filter(covering(year))
    if code:
        qs = qs.filter(code=code.strip().upper())
    if field_:
        qs = qs.filter(field=field_)
    for word in search_key(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-year_from", "org_path", "code")


# --- completeness up the tree -------------------------------------------------------------------------------

_T = {
    "cat": Catalogue._meta.db_table,
    "dtype": DossierType._meta.db_table,
    "org": Organisation._meta.db_table,
    "otype": Organisation._meta.get_field("type").related_model._meta.db_table,
    "dossier": Dossier._meta.db_table,
}

_BASE = """
WITH cat AS (
    SELECT c.id, c.org_type_id FROM {cat} c
    WHERE c.year = (SELECT MAX(c2.year) FROM {cat} c2 WHERE c2.org_type_id = c.org_type_id AND c2.year <= %s)
),
req AS (SELECT cat.org_type_id AS type_id, t.code FROM {dtype} t JOIN cat ON t.catalogue_id = cat.id),
reqn AS (SELECT type_id, COUNT(*) AS n FROM req GROUP BY type_id),
orgs AS (
    SELECT o.id, o.code, o.name, o.path, o.sort_key, o.type_id, ot.kind
    FROM {org} o JOIN {otype} ot ON ot.id = o.type_id
    WHERE o.path LIKE %s AND o.established_on <= %s AND (o.closed_on IS NULL OR o.closed_on >= %s)
)"""
_PER_ORG = (
    _BASE
    + """,
have AS (
    SELECT id, COUNT(*) AS n FROM (
        SELECT DISTINCT d.organisation_id AS id, d.code
        FROM {dossier} d
        JOIN {org} o2 ON o2.id = d.organisation_id AND o2.path LIKE %s
        JOIN req ON req.type_id = o2.type_id AND req.code = d.code
        WHERE d.org_path LIKE %s AND d.complete = %s AND d.year_from <= %s
          AND (d.year_to IS NULL OR d.year_to >= %s)
    ) filed GROUP BY id
),
per_org AS (
    SELECT orgs.id, orgs.code, orgs.name, orgs.path, orgs.sort_key, orgs.kind, orgs.type_id,
           COALESCE(reqn.n, 0) AS required, COALESCE(have.n, 0) AS present
    FROM orgs LEFT JOIN reqn ON reqn.type_id = orgs.type_id LEFT JOIN have ON have.id = orgs.id
)
"""
)


def _base_params(org: Organisation, year: int) -> list:
    return [year, org.path + "%", dt.date(year, 12, 31), dt.date(year, 1, 1)]


def _params(org: Organisation, year: int) -> list:
    like = org.path + "%"
    return [*_base_params(org, year), like, like, True, year, year]


def _sql(tail: str) -> str:
    return _PER_ORG.format(**_T) + tail


def _fetch(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


_ROLLUP = """
SELECT SUBSTR(path, 1, %s) AS branch,
       SUM(CASE WHEN required > 0 THEN 1 ELSE 0 END) AS orgs,
       SUM(CASE WHEN required > 0 AND present >= required THEN 1 ELSE 0 END) AS complete,
       SUM(CASE WHEN required > 0 AND kind = 'cell' THEN 1 ELSE 0 END) AS cells,
       SUM(CASE WHEN required > 0 AND kind = 'cell' AND present >= required THEN 1 ELSE 0 END) AS cells_complete,
       SUM(required) AS required, SUM(present) AS present
FROM per_org GROUP BY SUBSTR(path, 1, %s) ORDER BY 1
"""


@dataclass
class Totals:
    orgs: int = 0
    complete: int = 0
    cells: int = 0
    cells_complete: int = 0
    required: int = 0
    present: int = 0

    @property
    def committees(self) -> int:
        return self.orgs - self.cells

    @property
    def committees_complete(self) -> int:
        return self.complete - self.cells_complete

    @property
    def percent(self) -> float | None:
        return round(100 * self.present / self.required, 1) if self.required else None


def rollup(org: Organisation, year: int) -> tuple[Totals, list[dict]]:
    """Totals for the subtree and one row per branch (each child of `org`, and `org` itself). One query.
    The caller has checked that the user may see `org` (its whole subtree is then in scope)."""
    length = len(org.path) + STEP
    rows = _fetch(_sql(_ROLLUP), [*_params(org, year), length, length])
    names = {
        o.path: o
        for o in Organisation.objects.filter(path__in=[r["branch"] for r in rows]).select_related("type")
    }
    totals = Totals()
    for r in rows:
        for k in ("orgs", "complete", "cells", "cells_complete", "required", "present"):
            r[k] = int(r[k] or 0)
            setattr(totals, k, getattr(totals, k) + r[k])
        r["org"] = names.get(r["branch"])
        r["is_self"] = r["branch"] == org.path
        r["percent"] = round(100 * r["present"] / r["required"], 1) if r["required"] else None
    return totals, [r for r in rows if r["orgs"]]


def org_rows(org: Organisation, year: int, *, only_incomplete: bool = False, limit: int = 50,
             offset: int = 0) -> tuple[int, list[dict]]:  # fmt: skip
    """One page of the subtree's organisations with their completeness, and how many there are in all."""
    where = "required > 0" + (" AND present < required" if only_incomplete else "")
    rows = _fetch(
        _sql(
            f"SELECT *, COUNT(*) OVER () AS total FROM per_org WHERE {where} ORDER BY sort_key LIMIT %s OFFSET %s"
        ),
        [*_params(org, year), limit, offset],
    )
    if rows:
        count = rows[0]["total"]
    else:
        count = (
            _fetch(_sql(f"SELECT COUNT(*) AS n FROM per_org WHERE {where}"), _params(org, year))[0]["n"]
            if offset
            else 0
        )
    for r in rows:
        r["percent"] = round(100 * r["present"] / r["required"], 1) if r["required"] else None
    _add_missing(rows, year)
    return count, rows


def _add_missing(rows: list[dict], year: int) -> None:
    """The codes each row's organisation still lacks: two queries for the page, not one per organisation."""
    if not rows:
        return
    cats = catalogues_in_force(year)
    type_of = {r["id"]: r["type_id"] for r in rows}
    names: dict[int, list[tuple[str, str]]] = {}
    for t in DossierType.objects.filter(catalogue__in=[c.pk for c in cats.values()]).values(
        "catalogue__org_type_id", "code", "name"
    ):
        names.setdefault(t["catalogue__org_type_id"], []).append((t["code"], t["name"]))
    done: dict[int, set[str]] = {}
    for oid, code in Dossier.objects.filter(
        covering(year), organisation_id__in=type_of, complete=True
    ).values_list("organisation_id", "code"):
        done.setdefault(oid, set()).add(code)
    for r in rows:
        r["missing"] = [
            (c, n) for c, n in names.get(type_of[r["id"]], []) if c not in done.get(r["id"], set())
        ]


_BY_TYPE = """,
kept AS (
    SELECT req.code, SUM(per_type.n) AS n
    FROM (SELECT type_id, COUNT(*) AS n FROM orgs GROUP BY type_id) per_type
    JOIN req ON req.type_id = per_type.type_id
    GROUP BY req.code
),
filed AS (
    SELECT code, COUNT(*) AS n FROM (
        SELECT DISTINCT d.organisation_id, d.code
        FROM {dossier} d
        JOIN {org} o2 ON o2.id = d.organisation_id AND o2.path LIKE %s AND o2.established_on <= %s
             AND (o2.closed_on IS NULL OR o2.closed_on >= %s)
        JOIN req ON req.type_id = o2.type_id AND req.code = d.code
        WHERE d.org_path LIKE %s AND d.complete = %s AND d.year_from <= %s
          AND (d.year_to IS NULL OR d.year_to >= %s)
    ) one_per_org GROUP BY code
)
SELECT kept.code, kept.n AS orgs, kept.n - COALESCE(filed.n, 0) AS missing
FROM kept LEFT JOIN filed ON filed.code = kept.code
ORDER BY 3 DESC, 1
"""


def missing_by_type(org: Organisation, year: int, limit: int = 15) -> list[dict]:
    """The dossier types most often missing in the subtree: how many organisations keep each, how many lack it."""
    like, end, start = org.path + "%", dt.date(year, 12, 31), dt.date(year, 1, 1)
    params = [*_base_params(org, year), like, end, start, like, True, year, year]
    rows = _fetch((_BASE + _BY_TYPE).format(**_T), params)
    names = dict(
        DossierType.objects.filter(
            catalogue__in=[c.pk for c in catalogues_in_force(year).values()]
        ).values_list("code", "name")
    )
    out = []
    for r in rows:
        if r["missing"]:
            out.append({"code": r["code"], "name": names.get(r["code"], ""), "orgs": int(r["orgs"]),
                        "missing": int(r["missing"])})  # fmt: skip
    return out[:limit]
