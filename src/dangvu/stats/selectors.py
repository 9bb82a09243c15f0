"""Statistics of a subtree on a date: every figure the statistics page, its API and its Excel form show.

The population is the member list's (`members.selectors.member_list` with the "current" status filter on the same
date, read with joins rather than IN subqueries), so a count here equals the count the member list shows for the
same filter (a test compares them).
Each row gets its keys once in the database (`_keys`: branch, in the register or not, status, sex, age and
Party-age bands, levels, forces and, today, the period's flows); one GROUP BY over those small keys gives every
fixed breakdown per branch, summed in Python (`_figures`). The free-text columns (ethnicity, religion, general
education, occupation, position) are counted per value, the most frequent kept with "others" (`_counted`: GROUPING
SETS on PostgreSQL, one GROUP BY per column elsewhere).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections, router, transaction
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Substr

from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import in_force, today
from dangvu.core.tree import STEP
from dangvu.members.models import (
    IN_REGISTER,
    Forces,
    Member,
    Membership,
    MembershipKind,
    Qualification,
    Sex,
    Status,
    StatusChange,
    Theory,
    Transfer,
    TransferKind,
    TransferState,
)
from dangvu.members.selectors import AGE_BANDS, PARTY_AGE_BANDS, _years_ago
from dangvu.organizations.models import Organisation, OrgKind, OrgVersion
from dangvu.organizations.selectors import path_on

TOP = 12  # values shown of a free-text column; the rest are summed as "Khác"


@dataclass
class Row:
    key: str
    label: str
    n: int
    href_filter: str = ""  # the member list's query string giving the same people, where there is one

    @property
    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "n": self.n}


@dataclass
class Dimension:
    key: str
    title: str
    rows: list[Row]
    total: int

    def share(self, row: Row) -> float | None:
        return round(100 * row.n / self.total, 1) if self.total else None


@dataclass
class Branch:
    code: str
    name: str
    total: int
    counts: dict[str, int]  # "dim:key" → n


@dataclass
class Figures:
    org: Organisation
    on: dt.date
    date_from: dt.date
    date_to: dt.date
    total: int
    dimensions: list[Dimension]
    flows: list[Row]
    transfers: list[Row]
    orgs_by_type: list[Row]
    orgs_by_kind: list[Row]
    orgs_events: list[Row]
    branches: list[Branch] = field(default_factory=list)

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)


def _band_q(field_name: str, on: dt.date, lo: int, hi: int) -> Q:
    return Q(**{f"{field_name}__lte": _years_ago(on, lo), f"{field_name}__gt": _years_ago(on, hi)})


def fixed_dimensions(on: dt.date, m: str = "") -> list[tuple[str, str, list[tuple[str, str, Q, str]]]]:
    """The fixed breakdowns: (key, title, [(value key, label, condition, member-list filter)]). The conditions
    are those `member_list` applies for the same filter, so the counts agree; `m` prefixes the member's fields
    ("member__" when the rows are stays)."""
    status = [(s, Status(s).label, Q(st=s), f"status={s}") for s in IN_REGISTER]
    sex = [(s.value, s.label, Q(**{f"{m}sex": s.value}), f"sex={s.value}") for s in Sex]
    age = [(k, lbl, _band_q(f"{m}birth_date", on, lo, hi), f"age={k}") for k, (lbl, lo, hi) in AGE_BANDS.items()]
    party = [(k, lbl, _band_q(f"{m}admitted_on", on, lo, hi), f"party_age={k}")
             for k, (lbl, lo, hi) in PARTY_AGE_BANDS.items()]  # fmt: skip
    qual = [(q.value or "none", q.label, Q(**{f"{m}qualification": q.value}), f"qualification={q.value or 'none'}")
            for q in Qualification]  # fmt: skip
    theory = [(t.value or "none", t.label, Q(**{f"{m}political_theory": t.value}), f"theory={t.value or 'none'}")
              for t in Theory]  # fmt: skip
    forces = [(f.value or "none", "Khác" if not f.value else f.label, Q(**{f"{m}forces": f.value}), "") for f in Forces]
    return [
        ("status", "Tình trạng", status),
        ("sex", "Giới tính", sex),
        ("age", "Độ tuổi", age),
        ("party_age", "Tuổi đảng", party),
        ("qualification", "Trình độ chuyên môn", qual),
        ("theory", "Lý luận chính trị", theory),
        ("forces", "Quân đội, công an, nghỉ hưu", forces),
    ]


FREE_TEXT = [
    ("ethnicity", "Dân tộc"),
    ("religion", "Tôn giáo"),
    ("general_education", "Giáo dục phổ thông"),
    ("occupation", "Nghề nghiệp"),
    ("position", "Chức vụ"),
]


@dataclass
class Population:
    rows: object  # a queryset: members (today) or their stays in force (a past date)
    m: str  # the prefix of the member's fields in `rows`
    register: Q  # the rows in the register (on a past date, every row)
    path: str  # the subtree's path on the date (branches are its children's paths then)


def population(user, org: Organisation, on: dt.date) -> Population:
    """The members of the subtree's register on `on`, as the member list counts them, annotated with `st` (the
    status on that date) and `branch` (the path of the direct child of `org` they belong to, or `org`'s own).
    `Population.register` is the condition that keeps the register (each count carries it).

    Today: every member whose home is in the subtree's range of the members table (those who left too: the same
    scan counts the period's flows); the register are those whose status is in it, as the member list reads it.
    A past date: the official stays in force that day in the organisations that were in the subtree that day,
    joined to the status in force that day — set-based joins (the member list asks the same with IN subqueries,
    which a test holds equal)."""
    width = len(org.path) + STEP
    if on >= today():
        qs = Member.objects.filter(scope_q(user, "org_path", within=org.path), org_path__startswith=org.path)
        return Population(qs.annotate(st=F("status"), branch=Substr("org_path", 1, width, output_field=CharField())),
                          "", Q(st__in=IN_REGISTER), org.path)  # fmt: skip
    path_then = path_on(org, on)
    if path_then is None:  # the organisation did not exist that day
        return Population(Membership.objects.none(), "member__", Q(), "")
    width = len(path_then) + STEP
    v = "organisation__versions__"
    tree_then = (Q(**{f"{v}valid_from__lte": on}) & (Q(**{f"{v}valid_to__isnull": True}) | Q(**{f"{v}valid_to__gt": on}))
                 & Q(**{f"{v}path__startswith": path_then}))  # fmt: skip
    status_then = (Q(member__status_history__valid_from__lte=on)
                   & (Q(member__status_history__valid_to__isnull=True) | Q(member__status_history__valid_to__gt=on))
                   & Q(member__status_history__status__in=IN_REGISTER))  # fmt: skip
    # the branch is the organisation's place in the tree as it stood that day (a cell moved since counts where it was)
    qs = (Membership.objects.filter(in_force(on), kind=MembershipKind.OFFICIAL)
          .filter(tree_then)
          .filter(scope_q(user, "member__org_path"))
          .filter(status_then)
          .annotate(st=F("member__status_history__status"),
                    branch=Substr(f"{v}path", 1, width, output_field=CharField())))  # fmt: skip
    return Population(qs, "member__", Q(), path_then)


@contextmanager
def _tuned():
    """Reporting queries on PostgreSQL: room to hash a few hundred thousand rows in memory (no sort spilled to
    disk) and no JIT compilation (its 100+ ms buy nothing on a query read once). Local to the transaction."""
    alias = router.db_for_read(Member)
    if connections[alias].vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias), connections[alias].cursor() as cur:
        cur.execute("SET LOCAL work_mem = '64MB'")
        cur.execute("SET LOCAL jit = off")
        yield


def _keys(pop: Population, on: dt.date, a: dt.date, b: dt.date, with_flows: bool) -> dict:
    """Each row's keys, computed once per row in the database: its branch, whether it is in the register, the
    value (or band) of every breakdown and, today, which flows of the period it belongs to."""
    m = pop.m
    reg = Case(When(pop.register, then=Value(1)), default=Value(0)) if pop.register else Value(1)  # Q(): every row
    keys = {"k_branch": F("branch"), "k_reg": reg}
    for dkey, _t, values in fixed_dimensions(on, m):
        if dkey == "status":
            keys["k_status"] = F("st")
        elif dkey in ("age", "party_age"):
            keys[f"k_{dkey}"] = Case(*[When(q, then=Value(v)) for v, _l, q, _f in values], default=Value(""))
        else:
            keys[f"k_{dkey}"] = F(f"{m}{FIELD[dkey]}")
    for fname, _t in FREE_TEXT:
        keys[f"k_{fname}"] = F(f"{m}{fname}")
    if with_flows:
        keys["k_admitted"] = Case(When(_period("admitted_on", a, b), then=Value(1)), default=Value(0))
        keys["k_recognised"] = Case(When(_period("official_on", a, b), then=Value(1)), default=Value(0))
        keys["k_leaving"] = Case(*[When(Q(status=st) & _period("status_since", a, b), then=Value(k))
                                   for k, st in LEAVING.items()], default=Value(""))  # fmt: skip
    return keys


FIELD = {"sex": "sex", "qualification": "qualification", "theory": "political_theory", "forces": "forces"}


def _counted(pop: Population, keys: dict) -> tuple[list[dict], dict[str, list[tuple[str, int]]]]:
    """Two scans of the subtree's rows: one GROUP BY over every small key (branch, register, status, sex, bands,
    levels, forces, flows — groups bounded by those domains, summed per breakdown in Python; PostgreSQL hashes it in
    parallel over the covering index members.0008) and, for the free-text columns, their counts per value
    (GROUPING SETS on PostgreSQL, one GROUP BY per column elsewhere)."""
    free_keys = [f"k_{f}" for f, _t in FREE_TEXT]
    fixed = [k for k in keys if k not in free_keys]
    inner = pop.rows.annotate(**keys)
    free: dict[str, list[tuple[str, int]]] = {f: [] for f, _t in FREE_TEXT}
    conn = connections[inner.db]
    if conn.vendor != "postgresql":
        combos = list(inner.values(*fixed).annotate(n=Count("*")).order_by())
        for f, _t in FREE_TEXT:
            free[f] = [(r[f"k_{f}"], r["n"]) for r in inner.filter(k_reg=1).values(f"k_{f}").annotate(n=Count("*"))
                       .order_by()]  # fmt: skip
        return combos, free
    # PostgreSQL. Today the rows are the members table's (the covering index): the small keys in a parallel GROUP
    # BY, the free text in a second scan. A past date's rows come from joining stays, statuses and members, the
    # costly part: one pass, every breakdown (per branch) and every free-text column as its own grouping set.
    one_pass = bool(pop.m)
    sets = ([("k_branch", "k_reg", f"k_{d}") for d in DIMS] if one_pass else []) + [("k_reg", k) for k in free_keys]
    names = (fixed if one_pass else ["k_reg"]) + free_keys
    combos = [] if one_pass else list(inner.values(*fixed).annotate(n=Count("*")).order_by())
    sql, params = inner.values(*names).order_by().query.sql_with_params()
    cols = ", ".join(names)
    spec = ", ".join("(" + ", ".join(st) + ")" for st in sets)
    with conn.cursor() as cur:
        cur.execute(f"SELECT {cols}, GROUPING({cols}), COUNT(*) FROM ({sql}) t "  # noqa: S608 (our SQL)
                    f"GROUP BY GROUPING SETS ({spec})", params)  # fmt: skip
        for row in cur.fetchall():
            g, n = row[-2], row[-1]
            kept = [k for i, k in enumerate(names) if not g & (1 << (len(names) - 1 - i))]
            values = dict(zip(names, row, strict=False))
            if len(kept) > 2:  # (branch, register, one breakdown): a partial combination
                combos.append({**{k: values[k] for k in kept}, "n": n})
            elif values["k_reg"]:
                f = kept[-1][2:]
                free[f].append((values[kept[-1]], n))
    return combos, free


DIMS = ("status", "sex", "age", "party_age", "qualification", "theory", "forces")


def figures(user, org: Organisation, on: dt.date, date_from: dt.date | None = None,
            date_to: dt.date | None = None) -> Figures:  # fmt: skip
    """Everything on the statistics page: the register on `on` by every breakdown and per branch, the flows and the
    organisations in [date_from, date_to] (default: the year up to `on`)."""
    date_from = date_from or dt.date(on.year, 1, 1)
    date_to = date_to or on
    with _tuned():
        return _figures(user, org, on, date_from, date_to)


def _figures(user, org: Organisation, on: dt.date, date_from: dt.date, date_to: dt.date) -> Figures:
    pop = population(user, org, on)
    dims = fixed_dimensions(on, pop.m)
    today_scan = not pop.m  # today the rows are members, and the same scan counts the period's flows
    keys = _keys(pop, on, date_from, date_to, today_scan)
    by_branch: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    combos, free = _counted(pop, keys)
    for c in combos:
        n = c["n"]
        row = by_branch.setdefault(c["k_branch"], {"branch": c["k_branch"], "n": 0})
        if today_scan:
            for flow in ("admitted", "recognised"):
                if c[f"k_{flow}"]:
                    row[f"flow:{flow}"] = row.get(f"flow:{flow}", 0) + n
            if c["k_leaving"]:
                row[f"flow:{c['k_leaving']}"] = row.get(f"flow:{c['k_leaving']}", 0) + n
        if not c["k_reg"]:
            continue
        if "k_status" in c:  # every row has a status: the register's total counts each member once
            row["n"] += n
        for dim in DIMS:
            if f"k_{dim}" in c:
                key = f"{dim}:{c[f'k_{dim}'] or 'none'}"
                row[key] = row.get(key, 0) + n
    for r in by_branch.values():
        for key, v in r.items():
            if key != "branch":
                totals[key] = totals.get(key, 0) + v
    total = totals.get("n", 0)
    dimensions = [
        Dimension(dkey, title, [Row(vkey, label, totals.get(f"{dkey}:{vkey}", 0), flt) for vkey, label, _q, flt in values],
                  total)  # fmt: skip
        for dkey, title, values in dims
    ]
    for fname, title in FREE_TEXT:
        top = sorted(free[fname], key=lambda x: (-x[1], x[0] or ""))[:TOP]
        listed = [Row(v or "-", v or "Chưa ghi", n, f"ethnicity={v}" if fname == "ethnicity" and v else "")
                  for v, n in top]  # fmt: skip
        rest = total - sum(r.n for r in listed)
        if rest > 0:
            listed.append(Row("khac", "Khác", rest))
        dimensions.append(Dimension(fname, title, listed, total))
    moves = transfers(user, org, date_from, date_to)
    if not today_scan:
        totals.update(Member.objects.filter(scope_q(user, "org_path", within=org.path), org_path__startswith=org.path)
                      .aggregate(**_flow_counts(date_from, date_to)))  # fmt: skip
    rows = [{k: v for k, v in r.items() if not k.startswith("flow:")} for r in by_branch.values() if r["n"]]
    return Figures(
        org=org, on=on, date_from=date_from, date_to=date_to, total=total, dimensions=dimensions,
        flows=_flows(totals, moves), transfers=moves,
        orgs_by_type=orgs_by_type(org, on), orgs_by_kind=orgs_by_kind(org, on),
        orgs_events=orgs_events(org, date_from, date_to), branches=_branches(org, rows, on, pop.path),
    )  # fmt: skip


def _branches(org: Organisation, by_branch: list[dict], on: dt.date, path_then: str) -> list[Branch]:
    """The branch rows named: by the organisations' paths on `on` (today's paths today)."""
    paths = [r["branch"] for r in by_branch if r["branch"]]
    if on >= today():
        orgs = {o.path: o for o in Organisation.objects.filter(path__in=paths)}
    else:
        orgs = {v.path: v.organisation for v in OrgVersion.objects.filter(in_force(on), path__in=paths)
                .select_related("organisation")}  # fmt: skip
    named = sorted(((orgs[r["branch"]], r) for r in by_branch if r["branch"] in orgs),
                   key=lambda x: (x[0].pk != org.pk, x[0].sort_key))  # the organisation itself first, then by name
    return [Branch(o.code, o.name if o.pk != org.pk else f"{o.name} (trực tiếp)", r["n"],
                   {k: v for k, v in r.items() if k not in ("branch", "n")}) for o, r in named]  # fmt: skip


def _period(field_name: str, a: dt.date, b: dt.date) -> Q:
    return Q(**{f"{field_name}__gte": a, f"{field_name}__lte": b})


FLOWS = [
    ("admitted", "Kết nạp đảng viên mới"),
    ("recognised", "Công nhận đảng viên chính thức"),
    ("transfer_in", "Chuyển sinh hoạt đến"),
    ("transfer_out", "Chuyển sinh hoạt đi"),
    ("exempt", "Miễn công tác và sinh hoạt đảng"),
    ("struck_off", "Xóa tên"),
    ("expelled", "Khai trừ"),
    ("resigned", "Xin ra khỏi Đảng"),
    ("deceased", "Từ trần"),
]


LEAVING = {"exempt": Status.EXEMPT, "struck_off": Status.STRUCK_OFF, "expelled": Status.EXPELLED,
           "resigned": Status.RESIGNED, "deceased": Status.DECEASED}  # fmt: skip


def _flow_counts(a: dt.date, b: dt.date) -> dict:
    """The period's flows as counts over the members table: admitted and recognised by their dates (what every
    member's history starts with: members.services._initial_history); the statuses that end a member's activity by
    the current status and the day it began."""
    out = {"flow:admitted": Count("id", filter=_period("admitted_on", a, b)),
           "flow:recognised": Count("id", filter=_period("official_on", a, b))}  # fmt: skip
    for k, st in LEAVING.items():
        out[f"flow:{k}"] = Count("id", filter=Q(status=st) & _period("status_since", a, b))
    return out


def _flows(totals: dict, moves: list[Row]) -> list[Row]:
    got = {k[5:]: v for k, v in totals.items() if k.startswith("flow:")}
    m = {r.key: r.n for r in moves}
    got.update(transfer_in=m["off_in"], transfer_out=m["off_out"])
    return [Row(k, label, got.get(k) or 0) for k, label in FLOWS]


def transfers(user, org: Organisation, a: dt.date, b: dt.date) -> list[Row]:
    """Biểu 7-BTCTW §IV: introductions out of the subtree and receptions into it, official and temporary."""
    base = Transfer.objects.exclude(state=TransferState.CANCELLED).filter(scope_q(user, "member__org_path"))
    out_q = Q(from_org__path__startswith=org.path) & ~Q(to_org__path__startswith=org.path) & _period("letter_on", a, b)
    in_q = (Q(to_org__path__startswith=org.path) & ~Q(from_org__path__startswith=org.path)
            & _period("received_on", a, b))  # fmt: skip
    temp = Q(kind__in=[TransferKind.TEMPORARY, TransferKind.STUDY])
    got = base.aggregate(
        temp_out=Count("id", filter=out_q & temp), temp_in=Count("id", filter=in_q & temp),
        off_out=Count("id", filter=out_q & ~temp), off_in=Count("id", filter=in_q & ~temp),
    )  # fmt: skip
    return [
        Row("temp_out", "Sinh hoạt tạm thời — giới thiệu chuyển đi", got["temp_out"]),
        Row("temp_in", "Sinh hoạt tạm thời — tiếp nhận chuyển đến", got["temp_in"]),
        Row("off_out", "Sinh hoạt chính thức — giới thiệu chuyển đi", got["off_out"]),
        Row("off_in", "Sinh hoạt chính thức — tiếp nhận chuyển đến", got["off_in"]),
    ]


def _open_on(org: Organisation, on: dt.date):
    return Organisation.objects.filter(path__startswith=org.path, established_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )


def orgs_by_type(org: Organisation, on: dt.date) -> list[Row]:
    rows = _open_on(org, on).values("type__code", "type__name", "type__position").annotate(n=Count("id")).order_by(
        "type__position", "type__code")  # fmt: skip
    return [Row(r["type__code"], r["type__name"], r["n"]) for r in rows]


def orgs_by_kind(org: Organisation, on: dt.date) -> list[Row]:
    got = _open_on(org, on).exclude(pk=org.pk).aggregate(
        committees=Count("id", filter=Q(type__kind=OrgKind.COMMITTEE)),
        cells=Count("id", filter=Q(type__kind=OrgKind.CELL)),
        grassroots=Count("id", filter=Q(type__is_grassroots=True)),
    )
    return [
        Row("committees", "Đảng bộ trực thuộc (mọi cấp)", got["committees"]),
        Row("cells", "Chi bộ (mọi cấp)", got["cells"]),
        Row("grassroots", "Trong đó: tổ chức cơ sở đảng", got["grassroots"]),
    ]


def orgs_events(org: Organisation, a: dt.date, b: dt.date) -> list[Row]:
    got = Organisation.objects.filter(path__startswith=org.path).exclude(pk=org.pk).aggregate(
        established=Count("id", filter=_period("established_on", a, b)),
        closed=Count("id", filter=_period("closed_on", a, b)),
    )
    return [Row("established", "Thành lập trong kỳ", got["established"]),
            Row("closed", "Chấm dứt (hợp nhất, giải thể…) trong kỳ", got["closed"])]  # fmt: skip


def serialise(f: Figures) -> dict:
    """The figures as JSON (what a snapshot freezes and the API returns)."""
    return {
        "org": f.org.code, "org_name": f.org.name, "on": f.on.isoformat(),
        "date_from": f.date_from.isoformat(), "date_to": f.date_to.isoformat(), "total": f.total,
        "dimensions": [{"key": d.key, "title": d.title, "total": d.total, "rows": [r.as_dict for r in d.rows]}
                       for d in f.dimensions],
        "flows": [r.as_dict for r in f.flows], "transfers": [r.as_dict for r in f.transfers],
        "orgs_by_type": [r.as_dict for r in f.orgs_by_type], "orgs_by_kind": [r.as_dict for r in f.orgs_by_kind],
        "orgs_events": [r.as_dict for r in f.orgs_events],
        "branches": [{"code": b.code, "name": b.name, "total": b.total, "counts": b.counts} for b in f.branches],
    }  # fmt: skip


def restore(org: Organisation, data: dict) -> Figures:
    """A snapshot's figures as they were frozen (nothing recomputed)."""

    def rows(items):
        return [Row(r["key"], r["label"], r["n"]) for r in items]

    return Figures(
        org=org, on=dt.date.fromisoformat(data["on"]), date_from=dt.date.fromisoformat(data["date_from"]),
        date_to=dt.date.fromisoformat(data["date_to"]), total=data["total"],
        dimensions=[Dimension(d["key"], d["title"], rows(d["rows"]), d["total"]) for d in data["dimensions"]],
        flows=rows(data["flows"]), transfers=rows(data["transfers"]), orgs_by_type=rows(data["orgs_by_type"]),
        orgs_by_kind=rows(data["orgs_by_kind"]), orgs_events=rows(data["orgs_events"]),
        branches=[Branch(b["code"], b["name"], b["total"], b["counts"]) for b in data["branches"]],
    )  # fmt: skip


def flat(f: Figures) -> dict[str, tuple[str, int]]:
    """Every figure under one key ("sex:nu", "flow:admitted"…) with its label: what a comparison walks."""
    out = {"total": ("Tổng số đảng viên", f.total)}
    for d in f.dimensions:
        for r in d.rows:
            out[f"{d.key}:{r.key}"] = (f"{d.title} — {r.label}", r.n)
    for prefix, rows in (("flow", f.flows), ("transfer", f.transfers), ("type", f.orgs_by_type),
                         ("kind", f.orgs_by_kind), ("event", f.orgs_events)):  # fmt: skip
        for r in rows:
            out[f"{prefix}:{r.key}"] = (r.label, r.n)
    return out


@dataclass
class Change:
    key: str
    label: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def ratio(self) -> float | None:
        """Biểu 7's column 4: this period × 100 / the previous one."""
        return round(self.after * 100 / self.before, 1) if self.before and self.after is not None else None


def compare(now: Figures, before: Figures | None) -> list[Change]:
    a, b = flat(now), flat(before) if before else {}
    keys = list(a) + [k for k in b if k not in a]
    return [Change(k, (a.get(k) or b.get(k))[0], b[k][1] if k in b else None, a[k][1] if k in a else None)
            for k in keys]  # fmt: skip




def monthly_admissions(user, org: Organisation, until: dt.date, months: int = 24) -> list[tuple[str, int]]:
    """Admissions in the subtree per month over the `months` months up to `until` (one query), oldest first."""
    from django.db.models.functions import TruncMonth

    first = dt.date(until.year - (months - 1 + 12 - until.month) // 12, (until.month - months) % 12 + 1, 1)
    rows = (StatusChange.objects.filter(scope_q(user, "member__org_path", within=org.path),
                                        member__org_path__startswith=org.path, status=Status.PROBATIONARY)
            .filter(_period("valid_from", first, until)).annotate(m=TruncMonth("valid_from"))
            .values("m").annotate(n=Count("id")).order_by())  # fmt: skip
    by_month = {(r["m"].year, r["m"].month): r["n"] for r in rows}
    out, y, m = [], first.year, first.month
    for _ in range(months):
        out.append((f"{m:02d}/{y % 100:02d}", by_month.get((y, m), 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def snapshots(user, org: Organisation):
    from .models import Snapshot

    return Snapshot.objects.filter(organisation=org).select_related("taken_by").order_by("-on")


def snapshot_get(user, pk):
    from dangvu.core.errors import NotFound

    from .models import Snapshot

    s = Snapshot.objects.filter(scope_q(user, "organisation__path"), pk=pk).select_related("organisation").first()
    if s is None:
        raise NotFound("Không có bản chốt số liệu này trong phạm vi của bạn.")
    return s


def previous_snapshot(s):
    from .models import Snapshot

    return Snapshot.objects.filter(organisation_id=s.organisation_id, on__lt=s.on).order_by("-on").first()
