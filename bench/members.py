"""Member-registry benchmarks on PostgreSQL: `make bench-members MEMBERS=1000000 IMPORT_ROWS=100000`.

Builds the national tree (bench/run.py), loads MEMBERS members with COPY (a fifth of them in province T00, the
"200,000-member branch" of issue #3), then times, through the real selectors:
- name search without diacritics, first page (whole scope);
- the member list of the big branch, first page, and its count (what the list page shows);
- counting the branch's members by status;
each as an administrator and as a reader with three grants (issue #4: scoping costs a prefix condition, so
the ratio should stay near 1), and prints the EXPLAIN of each. With IMPORT_ROWS, also writes an .xlsx of that many rows and times
`import_members` on it (the issue asks for 100,000 rows in under a minute).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook
from run import SCALES, generate, timed  # bench/run.py: sets up Django

from dangvu.accounts.models import RoleGrant
from dangvu.accounts.selectors import forget_grants
from dangvu.accounts.services import grant_create
from dangvu.core.text import person_sort_key, search_key
from dangvu.members import selectors as sel
from dangvu.members.importer import import_members
from dangvu.organizations.models import Organisation

FAMILY = ["Nguyễn"] * 8 + [
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Lò",
    "Giàng",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quốc", "Thu", "Ngọc", "Hữu", "Xuân", "Thanh"]
GIVEN = ["An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đức", "Giang", "Hà", "Hải", "Hiếu", "Hòa", "Hùng", "Huy",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Quang", "Sơn", "Tâm", "Thảo", "Thủy",
         "Trang", "Tuấn", "Vân", "Việt", "Yến"]  # fmt: skip
STATUSES = ["official"] * 90 + ["probationary"] * 6 + ["exempt"] * 2 + ["temp_away", "deceased"]


def load_members(n: int) -> None:
    rng = random.Random(1)  # noqa: S311
    cells = list(
        Organisation.objects.filter(type__kind="cell").order_by("path").values_list("id", "path", "code")
    )
    big = [c for c in cells if c[2].startswith("T00-")]
    rest = [c for c in cells if not c[2].startswith("T00-")]
    keys: dict[str, tuple[str, str]] = {}
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
            for i in range(n):
                cell = big[i % len(big)] if i % 5 == 0 else rest[i % len(rest)]
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                if name not in keys:
                    keys[name] = (search_key(name), person_sort_key(name))
                skey, sortk = keys[name]
                born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 18000))
                admitted = born + dt.timedelta(days=365 * 18 + rng.randint(30, 9000))
                admitted = min(admitted, dt.date(2025, 6, 1))
                official = admitted + dt.timedelta(days=366)
                card = f"{i:08d}"
                status = rng.choice(STATUSES)
                copy.write_row((
                    name, "", "nam" if i % 3 else "nu", born, "Kinh", "Không", "", "", "", f"{i:012d}", "", "",
                    "12/12", "dai-hoc", "", "trung-cap", "", "", "", "", "", admitted, official, card, "", "",
                    status, official, cell[0], cell[1], f"{skey} {card} {i:012d}", sortk, now, now,
                ))  # fmt: skip
        cur.execute("ANALYZE members_member")


def explain(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


def bench_import(rows: int, org: Organisation, by) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(
        [
            "STT",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Dân tộc",
            "Ngày vào Đảng",
            "Ngày chính thức",
            "Số thẻ",
            "Số CCCD",
            "Quê quán",
            "Trình độ chuyên môn",
            "Lý luận chính trị",
            "Nghề nghiệp",
        ]
    )
    rng = random.Random(2)  # noqa: S311
    for i in range(rows):
        ws.append([i + 1, f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", "Nam" if i % 2 else "Nữ",
                   f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}", "Kinh", f"01/06/{2000 + i % 20}",
                   f"01/06/{2001 + i % 20}", f"9{i:07d}", f"099{i:09d}", "Văn Bàn, Lào Cai", "Đại học",
                   "Trung cấp", "Nông dân"])  # fmt: skip
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        wb.save(f.name)
        t = time.perf_counter()
        report = import_members(by=by, org=org, source=f.name)
        took = time.perf_counter() - t
    print(
        f"\nimport_members: {rows:,} rows, {report.created:,} created, written={report.written}, "
        f"problems={len(report.problems)}: {took:.1f} s"
    )


def load_history() -> None:
    """One official stay per member in their cell from the tree's founding, and the status history (what the
    statistics of a past date and a month's dues read)."""
    with connection.cursor() as cur:
        cur.execute("TRUNCATE members_membership, members_statuschange RESTART IDENTITY")
        cur.execute(
            "INSERT INTO members_membership (member_id, organisation_id, kind, valid_from, start_reason, end_reason, "
            "note) SELECT id, org_id, 'official', GREATEST(admitted_on, DATE '2025-07-01'), 'imported', '', '' "
            "FROM members_member"
        )
        for status, start, end, reason, where in (
            ("probationary", "admitted_on", "official_on", "Kết nạp", ""),
            ("official", "official_on", "NULL", "Công nhận chính thức", "WHERE official_on IS NOT NULL"),
        ):
            cur.execute(
                "INSERT INTO members_statuschange (member_id, status, valid_from, valid_to, reason, decision_number, "
                f"recorded_at) SELECT id, '{status}', {start}, {end}, '{reason}', '', now() FROM members_member {where}"  # noqa: S608
            )
        # what autovacuum does in production: the visibility map lets the statistics read the covering index alone
        cur.execute("VACUUM ANALYZE members_member")
        cur.execute("ANALYZE members_membership")
        cur.execute("ANALYZE members_statuschange")


def setup(*, repeat: int = 20, history: bool = False, extra=None):
    """The members benchmarks' prologue: arguments (--members, --repeat, --scale and `extra`'s), PostgreSQL only,
    migrations, the tree, the members (and their history). Returns (arguments, an administrator)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=repeat)
    ap.add_argument("--scale", choices=SCALES, default="national", help="the tree (tiny: CI's check that it runs)")
    if extra:
        extra(ap)
    args = ap.parse_args()
    assert connection.vendor == "postgresql", "benchmarks run on PostgreSQL"
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    generate(*SCALES[args.scale])
    load_members(args.members)
    if history:
        load_history()
    print(
        f"{args.members:,} members in {Organisation.objects.count():,} organisations, loaded in "
        f"{time.perf_counter() - t0:.0f} s"
    )
    admin, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    return args, admin


def main() -> None:
    args, admin = setup(extra=lambda ap: ap.add_argument("--import-rows", type=int, default=0))
    branch = Organisation.objects.get(code="T00")
    n_branch = sel.member_list(admin, org=branch, f=sel.Filters(status="")).count()
    print(f"branch T00: {n_branch:,} members")
    search = sel.Filters(q="nguyen van duc")
    # The scoped reader of issue #4: three grants (the big branch and two other provinces). Its grants are
    # forgotten before every call, so each timing includes the query that loads them, as a request does.
    scoped, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    if not RoleGrant.objects.filter(user=scoped).exists():
        for code in ("T00", "T01", "T02"):
            grant_create(
                user=scoped, organisation=Organisation.objects.get(code=code), role="viewer", by=None
            )

    def as_(user, fn):
        def run():
            forget_grants(user)
            return fn(user)

        return run

    def operations(user):
        return [
            (
                "name search 'nguyen van duc', first page",
                as_(user, lambda u: list(sel.member_list(u, f=search)[:50])),
                lambda: sel.member_list(user, f=search)[:50],
            ),
            (
                "branch list, first page",
                as_(user, lambda u: list(sel.member_list(u, org=branch)[:50])),
                lambda: sel.member_list(user, org=branch)[:50],
            ),
            ("branch list, count (pager)", as_(user, lambda u: sel.member_list(u, org=branch).count()), None),
            ("branch counts by status", as_(user, lambda u: sel.counts_by_status(u, branch)), None),
        ]

    ops = operations(admin)
    print(f"\n{'operation':44} {'admin ms':>9} {'p95':>7} {'3 grants ms':>12} {'p95':>7} {'ratio':>6}")
    for (name, fn, _), (_, scoped_fn, _) in zip(ops, operations(scoped), strict=True):
        a, b = timed(fn, args.repeat), timed(scoped_fn, args.repeat)
        ma, mb = statistics.median(a), statistics.median(b)
        pa, pb = sorted(a)[int(0.95 * (len(a) - 1))], sorted(b)[int(0.95 * (len(b) - 1))]
        print(f"{name:44} {ma:9.2f} {pa:7.2f} {mb:12.2f} {pb:7.2f} {mb / ma:6.2f}")
    for name, _, qs in ops + [(f"{n} (3 grants)", f, q) for n, f, q in operations(scoped)]:
        if qs is not None:
            print(f"\nEXPLAIN {name}:\n{explain(qs())}")
    from django.db.models import Count

    from dangvu.members.models import Member

    print(
        "\nEXPLAIN branch counts by status:\n"
        + explain(
            Member.objects.filter(org_path__startswith=branch.path)
            .values("status")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    if args.import_rows:
        cell = Organisation.objects.filter(code="T01-X000-001").select_related("type").get()
        bench_import(args.import_rows, cell, admin)


if __name__ == "__main__":
    main()
