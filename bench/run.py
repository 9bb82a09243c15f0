"""Benchmarks on PostgreSQL: `make bench SCALE=small|province|national`.

Generates a tree with COPY (not through the services: 250,000 decisions would take long and measure nothing
of interest here), then times each operation through the real selectors against the same answer by
hand-written SQL, and prints one table plus the EXPLAIN of the subtree rollup.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from dangvu.core.text import search_key, sort_key  # noqa: E402
from dangvu.core.tree import segment  # noqa: E402
from dangvu.organizations import selectors as sel  # noqa: E402
from dangvu.organizations.models import Organisation, OrgType  # noqa: E402

# provinces, communes per province, cells per commune
SCALES = {
    "tiny": (3, 2, 4),  # `make test` runs every benchmark at this scale, so none can silently break
    "small": (3, 20, 30),
    "province": (1, 100, 75),
    "national": (34, 97, 75),
    "meetings": (25, 100, 100),
}
SYLLABLES = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đông",
    "Giang",
    "Hà",
    "Hòa",
    "Khánh",
    "Lâm",
    "Minh",
    "Nam",
    "Phú",
    "Quang",
    "Sơn",
    "Tân",
    "Thành",
    "Trung",
    "Văn",
    "Xuân",
    "Yên",
]


def generate(provinces: int, communes: int, cells: int) -> int:
    types = {t.code: t.pk for t in OrgType.objects.all()}
    founded = dt.date(2025, 7, 1)
    rows = []
    pk = 0

    def add(code, name, type_code, parent_pk, parent_path):
        nonlocal pk
        pk += 1
        path = parent_path + segment(pk)
        rows.append(
            (pk, code, name, search_key(name), sort_key(name), types[type_code], parent_pk, path, founded)
        )
        return pk, path

    root = add("TW", "Đảng bộ Trung ương", "trung-uong", None, "")
    for p in range(provinces):
        prov = add(f"T{p:02d}", f"Đảng bộ tỉnh {SYLLABLES[p % 21]} {p}", "tinh", root[0], root[1])
        for c in range(communes):
            name = f"Đảng bộ xã {SYLLABLES[c % 21]} {SYLLABLES[(c // 21) % 21]} {p}-{c}"
            com = add(f"T{p:02d}-X{c:03d}", name, "xa", prov[0], prov[1])
            for k in range(cells):
                kind = "cbtt-thon" if k % 4 else "cbcs-co-quan"
                add(
                    f"T{p:02d}-X{c:03d}-{k:03d}", f"Chi bộ thôn {SYLLABLES[k % 21]} {k}", kind, com[0], com[1]
                )
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE organizations_orgversion, organizations_orgeventlink, organizations_orgevent, "
            "accounts_rolegrant, organizations_organisation RESTART IDENTITY CASCADE"
        )
        with cur.cursor.copy(
            "COPY organizations_organisation (id, code, name, search_text, sort_key, type_id, parent_id, path, "
            "established_on) FROM STDIN"
        ) as copy:
            for r in rows:
                copy.write_row(r)
        cur.execute(
            "INSERT INTO organizations_orgversion (organisation_id, name, search_text, type_id, parent_id, "
            "path, valid_from) SELECT id, name, search_text, type_id, parent_id, path, established_on "
            "FROM organizations_organisation"
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('organizations_organisation','id'), %s)", [pk])
        cur.execute("ANALYZE")
    return pk


def timed(fn, n: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def setup(default_scale: str, target: str, repeat: int = 20) -> argparse.Namespace:
    """The common prologue: arguments, PostgreSQL only, migrations, the tree at the chosen scale."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", choices=SCALES, default=default_scale)
    ap.add_argument("--repeat", type=int, default=repeat)
    args = ap.parse_args()
    assert connection.vendor == "postgresql", f"benchmarks run on PostgreSQL ({target})"
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    total = generate(*SCALES[args.scale])
    print(f"scale={args.scale}: {total:,} organisations in {time.perf_counter() - t0:.1f} s")
    return args


def report(ops, repeat: int) -> None:
    """Time each (label, fn) and print its median and p95."""
    rows = []
    for label, fn in ops:
        t = timed(fn, repeat)
        rows.append((label, statistics.median(t), sorted(t)[int(len(t) * 0.95) - 1]))
    print(f"\n{'operation':60} {'median ms':>10} {'p95 ms':>8}")
    for label, med, p95 in rows:
        print(f"{label:60} {med:10.1f} {p95:8.1f}")


def raw(sql: str, params: list):
    def run():
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    return run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", choices=SCALES, default="small")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    assert connection.vendor == "postgresql", "benchmarks run on PostgreSQL (make bench)"
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    total = generate(*SCALES[args.scale])
    print(f"scale={args.scale}: {total:,} organisations generated in {time.perf_counter() - t0:.1f} s")
    admin, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    branch = Organisation.objects.get(code="T00")
    commune = Organisation.objects.get(code="T00-X001")
    like = branch.path + "%"
    ops = [
        (
            "subtree of a province, counted by type",
            lambda: sel.subtree_counts_by_type(admin, branch),
            raw(
                "SELECT type_id, count(*) FROM organizations_organisation WHERE path LIKE %s AND closed_on IS NULL "
                "AND id <> %s GROUP BY type_id",
                [like, branch.pk],
            ),
        ),
        (
            "children of a commune with their child counts",
            lambda: sel.org_children(admin, commune),
            raw(
                "SELECT o.id, o.name, (SELECT count(*) FROM organizations_organisation c WHERE c.parent_id = o.id "
                "AND c.closed_on IS NULL) FROM organizations_organisation o WHERE o.parent_id = %s "
                "AND o.closed_on IS NULL ORDER BY o.sort_key",
                [commune.pk],
            ),
        ),
        (
            "subtree of a province, first page by path",
            lambda: list(sel.org_list(admin, ancestor="T00").order_by("path")[:50]),
            raw(
                "SELECT id, code, name FROM organizations_organisation WHERE path LIKE %s AND closed_on IS NULL "
                "AND id <> %s ORDER BY path LIMIT 50",
                [like, branch.pk],
            ),
        ),
        (
            "name search without diacritics, first page",
            lambda: list(sel.org_list(admin, q="khanh")[:50]),
            raw(
                "SELECT id, code, name FROM organizations_organisation WHERE search_text LIKE %s AND closed_on IS NULL "
                "ORDER BY sort_key, id LIMIT 50",
                ["%khanh%"],
            ),
        ),
        (
            "tree on a past date: one province's subtree",
            lambda: list(sel.org_list(admin, ancestor="T00", as_of=dt.date(2025, 8, 1))[:50]),
            raw(
                "SELECT v.id FROM organizations_orgversion v JOIN organizations_organisation o ON o.id = v.organisation_id "
                "WHERE v.path LIKE %s AND v.path <> %s AND v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s) "
                "ORDER BY o.sort_key, v.id LIMIT 50",
                [like, branch.path, dt.date(2025, 8, 1), dt.date(2025, 8, 1)],
            ),
        ),
    ]
    print(f"\n{'operation':48} {'median ms':>10} {'p95 ms':>8} {'raw SQL ms':>11} {'ratio':>6}")
    for name, orm_fn, raw_fn in ops:
        a = timed(orm_fn, args.repeat)
        b = timed(raw_fn, args.repeat)
        p95 = sorted(a)[int(0.95 * (len(a) - 1))]
        ratio = statistics.median(a) / statistics.median(b)
        print(f"{name:48} {statistics.median(a):10.2f} {p95:8.2f} {statistics.median(b):11.2f} {ratio:6.2f}")
    with connection.cursor() as cur:
        cur.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT type_id, count(*) FROM organizations_organisation "
            "WHERE path LIKE %s AND closed_on IS NULL AND id <> %s GROUP BY type_id",
            [like, branch.pk],
        )
        print("\nEXPLAIN subtree count by type:\n" + "\n".join(r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()
