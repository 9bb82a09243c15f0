"""The 2025 reorganisation as one decision: `make bench-restructure` (PostgreSQL).

Builds two provinces of 10,100 organisations each (100 communes of 100 cells) with COPY and fills them with a
year of work: 250,000 members each with their stays and status, a year of meetings (with the October roll calls) and
monthly reports, two years of dossiers, commitments and reviews, registrations, and role grants at every level.
Then merges the two provinces into a new one through the real decision service (`plan_merge` → `execute`, one
transaction) and prints the time of each phase. Afterwards it checks what the decision must keep: every count
unchanged, every copied path equal to its organisation's path, the tree and the registers on the day before
still answerable, the grants still covering what they covered. With --rollback-first it first runs the same
decision with a failure injected at its very end and checks that nothing at all was written.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import time
from collections import defaultdict
from importlib import import_module
from unittest import mock

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from run import generate  # bench/run.py: sets up Django

from dangvu.accounts.models import RoleGrant
from dangvu.accounts.selectors import covers, forget_grants
from dangvu.core.dates import today
from dangvu.members import selectors as member_sel
from dangvu.organizations import paths
from dangvu.organizations import selectors as org_sel
from dangvu.organizations import services as svc
from dangvu.organizations.models import Organisation, OrgType
from dangvu.organizations.paths import _PATH_COPIES

# provinces, communes per province, cells per commune, members per cell
SCALES = {"tiny": (2, 3, 4, 5), "national": (2, 100, 100, 25)}


def load_members(per_cell: int) -> list[tuple[int, int, str]]:
    """Members in every cell, each with the stay that placed them there; returns (member, cell, path)."""
    cells = list(Organisation.objects.filter(type__kind="cell").order_by("path").values_list("id", "path"))
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE members_member RESTART IDENTITY CASCADE")
        with cur.cursor.copy(
            "COPY members_member (full_name, birth_name, sex, birth_date, ethnicity, religion, home_town, "
            "birth_place, residence, citizen_id, phone, email, general_education, qualification, specialty, "
            "political_theory, foreign_language, occupation_before, occupation, position, forces, admitted_on, "
            "official_on, card_number, cv_number, notes, status, status_since, org_id, org_path, search_text, "
            "sort_key, created_at, updated_at) FROM STDIN"
        ) as copy:
            i = 0
            for cell_id, path in cells:
                for _ in range(per_cell):
                    i += 1
                    copy.write_row((
                        "Nguyễn Văn An", "", "nam", dt.date(1980, 1, 1), "Kinh", "Không", "", "", "", f"{i:012d}",
                        "", "", "12/12", "dai-hoc", "", "trung-cap", "", "", "", "", "", dt.date(2005, 1, 1),
                        dt.date(2006, 1, 1), f"{i:08d}", "", "", "official", dt.date(2006, 1, 1), cell_id, path,
                        f"nguyen van an {i:08d} {i:012d}", "an van nguyen", now, now,
                    ))  # fmt: skip
        cur.execute("SELECT id, org_id, org_path FROM members_member ORDER BY id")
        members = cur.fetchall()
        with cur.cursor.copy(
            "COPY members_membership (member_id, organisation_id, kind, valid_from, start_reason, end_reason, note) "
            "FROM STDIN"
        ) as copy:
            for mid, oid, _ in members:
                copy.write_row((mid, oid, "official", dt.date(2025, 7, 1), "created", "", ""))
        with cur.cursor.copy(
            "COPY members_statuschange (member_id, status, valid_from, reason, decision_number, recorded_at) "
            "FROM STDIN"
        ) as copy:
            for mid, *_ in members:
                copy.write_row((mid, "official", dt.date(2006, 1, 1), "", "", now))
    return members


def load_attendance(members: list[tuple[int, int, str]], month: dt.date) -> int:
    """The roll call of every regular meeting of `month`: one line per member of the cell."""
    by_cell = defaultdict(list)
    for mid, oid, _ in members:
        by_cell[oid].append(mid)
    n = 0
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, organisation_id FROM meetings_meeting WHERE month = %s AND kind = 'regular'", [month]
        )
        meetings = cur.fetchall()
        with cur.cursor.copy(
            "COPY meetings_attendance (meeting_id, member_id, rank, standing, presence, reason) FROM STDIN"
        ) as copy:
            for meeting_id, oid in meetings:
                for k, mid in enumerate(by_cell[oid]):
                    copy.write_row((meeting_id, mid, "official", "regular", "absent" if k == 3 else "present", ""))
                    n += 1
    return n


def load_evaluations(members: list[tuple[int, int, str]]) -> None:
    """Last year's decided review and this year's commitment for every member; each organisation's registration."""
    rng = random.Random(7)  # noqa: S311
    orgs = list(Organisation.objects.order_by("path").values_list("id", "path", "parent_id", "type__is_grassroots"))
    grassroots = {o[0]: (o[0] if o[3] else o[2]) for o in orgs}
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE evaluations_registration, evaluations_commitment RESTART IDENTITY CASCADE")
        with cur.cursor.copy(
            "COPY evaluations_commitment (member_id, organisation_id, org_path, year, target_level, content, "
            "submitted_on) FROM STDIN"
        ) as copy:
            for mid, oid, path in members:
                copy.write_row((mid, oid, path, 2026, "good", "Cam kết", dt.date(2026, 1, 15)))
        with cur.cursor.copy(
            "COPY evaluations_registration (organisation_id, org_path, year, target_level, goals, registered_on) "
            "FROM STDIN"
        ) as copy:
            for oid, path, *_ in orgs:
                copy.write_row((oid, path, 2026, "good", "Chỉ tiêu 1", dt.date(2026, 2, 1)))
        cols = ("subject, member_id, organisation_id, org_path, grassroots_id, year, period, form, state, rules_from, "
                "tasks_total, tasks_exceeded, strengths, shortcomings, remedies, self_score, self_level, submitted_on, "
                "cell_score, cell_level, cell_comment, votes_for, votes_base, reviewed_on, score, level, decided_on, "
                "decision_number, facts, created_at, updated_at")  # fmt: skip
        with cur.cursor.copy(f"COPY evaluations_review ({cols}) FROM STDIN") as copy:
            for mid, oid, path in members:
                level, score = rng.choice([("good", 80)] * 8 + [("excellent", 93), ("completed", 60)])
                copy.write_row(("member", mid, oid, path, grassroots[oid], 2025, "Y", "2A", "decided",
                                dt.date(2025, 8, 30), 10, 3, "", "", "", score, level, dt.date(2025, 11, 10), score,
                                level, "", 4, 5, dt.date(2025, 11, 12), score, level, dt.date(2025, 12, 20),
                                "1-QĐ/ĐU", "{}", now, now))  # fmt: skip


def load_grants() -> list[tuple[int, int]]:
    """A reader on each province and commune and on every tenth cell; returns (user, organisation)."""
    User = get_user_model()
    targets = list(
        Organisation.objects.exclude(parent=None).order_by("path").values_list("id", "path", "type__kind")
    )
    targets = [t for i, t in enumerate(targets) if t[2] != "cell" or i % 10 == 0]
    User.objects.bulk_create(User(username=f"bench-g{oid}") for oid, *_ in targets)
    users = dict(User.objects.filter(username__startswith="bench-g").values_list("username", "id"))
    RoleGrant.objects.bulk_create(
        RoleGrant(user_id=users[f"bench-g{oid}"], organisation_id=oid, org_path=path, role="viewer",
                  valid_from=dt.date(2025, 7, 1))  # fmt: skip
        for oid, path, _ in targets
    )
    return [(users[f"bench-g{oid}"], oid) for oid, *_ in targets]


def counts() -> dict[str, int]:
    tables = sorted({m._meta.db_table for m, _ in _PATH_COPIES}) + [
        "organizations_organisation", "organizations_orgversion", "members_membership", "members_statuschange",
        "meetings_attendance",
    ]  # fmt: skip
    with connection.cursor() as cur:
        out = {}
        for t in tables:
            cur.execute(f"SELECT count(*) FROM {t}")  # noqa: S608 (table names from the models)
            out[t] = cur.fetchone()[0]
    return out


PATH_OF = {"org_path": ("org", "organisation"), "subject_path": ("subject_org",)}  # the path copy → its organisation


def stale_paths() -> dict[str, int]:
    """Rows whose copied path differs from their organisation's path (must be none)."""
    out = {}
    with connection.cursor() as cur:
        for model, field in _PATH_COPIES:
            fk = next((f for f in model._meta.concrete_fields
                       if f.related_model is Organisation and f.name in PATH_OF.get(field, ())), None)  # fmt: skip
            if fk is None:  # a copy of another record's path (an inspection item's programme): checked through it
                continue
            col = fk.column
            cur.execute(
                f"SELECT count(*) FROM {model._meta.db_table} x JOIN organizations_organisation o "  # noqa: S608
                f"ON o.id = x.{col} WHERE x.{field} <> o.path"
            )
            out[f"{model._meta.db_table}.{field}"] = cur.fetchone()[0]
    return out


class Phases:
    """Wall time of each step the decision takes, summed per label (the wrapped functions are the service's)."""

    def __init__(self):
        self.took: dict[str, float] = defaultdict(float)
        self.rows: dict[str, int] = defaultdict(int)

    def wrap(self, owner, name: str, label=None):
        real = getattr(owner, name)

        def timed(*a, **kw):
            t = time.perf_counter()
            out = real(*a, **kw)
            key = label(*a) if label else name
            self.took[key] += time.perf_counter() - t
            if isinstance(out, int):
                self.rows[key] += out
            return out

        return mock.patch.object(owner, name, timed)

    def patches(self):
        rewrite = lambda model, *_: f"rewrite paths: {model._meta.db_table}"  # noqa: E731
        return [
            self.wrap(paths, "rewrite_prefix", rewrite),
            self.wrap(svc, "rewrite_prefix", rewrite),
            self.wrap(svc, "_snapshot", lambda *_: "tree history: new versions"),
            self.wrap(svc, "_close", lambda *_: "close the sources"),
            self.wrap(svc, "_create", lambda *_: "create the new province"),
            self.wrap(svc, "_record", lambda *_: "record the decision + audit"),
            self.wrap(svc, "_move_holdings", lambda *_: "move the sources' own members"),
        ]


def merge_plan(admin, when):
    p0, p1 = Organisation.objects.get(code="T00"), Organisation.objects.get(code="T01")
    return svc.plan_merge(
        by=admin,
        sources=[p0, p1],
        new_target=svc.NewOrg("T99", "Đảng bộ tỉnh Hợp Nhất", OrgType.objects.get(code="tinh"), p0.parent),
        decision=svc.Decision(number="Số 1-QĐ/TW", effective_on=when, issuer="Trung ương"),
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", choices=SCALES, default="national")
    ap.add_argument("--rollback-first", action="store_true", help="first check that a failed decision writes nothing")
    args = ap.parse_args()
    assert connection.vendor == "postgresql", "benchmarks run on PostgreSQL (make bench-restructure)"
    provinces, communes, cells, per_cell = SCALES[args.scale]
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    generate(provinces, communes, cells)
    import_module("dangvu.dossiers.migrations.0002_indexes_and_defaults").load(apps)  # emptied by the TRUNCATE
    members = load_members(per_cell)
    from dossiers import load_dossiers
    from meetings import load_meetings

    n_meetings = load_meetings()
    n_attendance = load_attendance(members, dt.date(2026, 10, 1))
    load_dossiers()
    load_evaluations(members)
    grants = load_grants()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    before = counts()
    print(f"scale={args.scale}: loaded in {time.perf_counter() - t0:.0f} s")
    for table, n in before.items():
        print(f"  {table:34} {n:>10,}")
    assert n_meetings and n_attendance

    admin, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    when = today()
    eve = when - dt.timedelta(days=1)
    old_paths = dict(Organisation.objects.filter(code__in=["T00", "T01"]).values_list("code", "path"))

    if args.rollback_first:

        class Injected(Exception):
            pass

        with mock.patch.object(svc, "_move_holdings", side_effect=Injected), contextlib.suppress(Injected):
            merge_plan(admin, when).execute()
            raise AssertionError("the injected failure did not stop the decision")
        assert counts() == before, "a failed decision wrote rows"
        assert not Organisation.objects.filter(code="T99").exists()
        assert dict(Organisation.objects.filter(code__in=["T00", "T01"]).values_list("code", "path")) == old_paths
        assert not any(stale_paths().values())
        print("\na failed decision (failure injected after every write) left nothing behind")

    phases = Phases()
    with contextlib.ExitStack() as stack:
        for p in phases.patches():
            stack.enter_context(p)
        t_all = time.perf_counter()
        t = time.perf_counter()
        plan = merge_plan(admin, when)
        t_plan = time.perf_counter() - t
        t = time.perf_counter()
        event = plan.execute()
        t_exec = time.perf_counter() - t
        total = time.perf_counter() - t_all
    print(f"\nmerge of T00 and T01 into T99 (decision {event.decision_number}, effective {when:%d/%m/%Y})")
    print(f"{'phase':52} {'seconds':>8} {'rows':>10}")
    print(f"{'plan: checks and the confirmation lines':52} {t_plan:8.2f}")
    for key, took in sorted(phases.took.items(), key=lambda kv: -kv[1]):
        print(f"  {key:50} {took:8.2f} {phases.rows.get(key, 0) or '':>10}")
    print(f"{'execute (one transaction: locks, checks again, writes)':52} {t_exec:8.2f}")
    print(f"{'TOTAL':52} {total:8.2f}")

    # What must hold afterwards
    after = counts()
    grew = {t: after[t] - before[t] for t in after if after[t] != before[t]}
    # besides the tree, only the decision itself, typed into the incoming register of the committee above
    assert set(grew) <= {"organizations_organisation", "organizations_orgversion", "documents_incoming"}, grew
    assert grew.get("organizations_organisation") == 1 and grew.get("documents_incoming", 0) <= 1, grew
    assert not any(stale_paths().values()), stale_paths()
    new = Organisation.objects.get(code="T99")
    per_province = communes * (cells + 1)
    per_province_members = communes * cells * per_cell
    assert Organisation.objects.filter(path__startswith=new.path, closed_on=None).count() == 2 * per_province + 1
    assert Organisation.objects.filter(code__in=["T00", "T01"], closed_on=eve).count() == 2
    for code in ("T00", "T01"):  # the day before: each province whole, where it stood
        old = org_sel.path_on(Organisation.objects.get(code=code), eve)
        assert old == old_paths[code]
        assert org_sel.org_list(admin, ancestor=code, as_of=eve).count() == per_province
        assert org_sel.org_list(admin, ancestor=code, as_of=when).count() == 0
    assert org_sel.org_list(admin, ancestor="T99", as_of=when).count() == 2 * per_province
    registers = {  # the members' registers: each province's on the day before, the new one's from the day
        code: member_sel.member_list(admin, org=Organisation.objects.get(code=code), f=member_sel.Filters(as_of=d))
        .count() for code, d in (("T00", eve), ("T01", eve), ("T99", when))
    }  # fmt: skip
    assert registers["T00"] == registers["T01"] == per_province_members, registers
    assert registers["T99"] == 2 * per_province_members, registers
    with connection.cursor() as cur:  # memberships: nobody moved, no stay ended or started
        cur.execute("SELECT count(*) FROM members_membership WHERE valid_to IS NOT NULL OR valid_from = %s", [when])
        assert cur.fetchone()[0] == 0
    User = get_user_model()
    paths_now = dict(Organisation.objects.values_list("id", "path"))
    for uid, oid in grants[:: max(1, len(grants) // 200)]:  # a sample of grants: each still covers its subtree
        u = User.objects.get(pk=uid)
        forget_grants(u)
        assert covers(u, paths_now[oid]), (uid, oid)
        assert not covers(u, new.path) or oid == new.pk
    print(f"\nchecked: counts kept ({', '.join(f'{t} +{n}' for t, n in grew.items())}), 0 stale paths, "
          f"the tree and the registers on {eve:%d/%m/%Y} whole, memberships untouched, grants cover what they covered")  # fmt: skip


if __name__ == "__main__":
    main()
