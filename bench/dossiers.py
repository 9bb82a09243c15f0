"""Dossier completeness benchmark on PostgreSQL: `make bench-dossiers` (SCALE=meetings: 250,000 cells, 10,000
organisations per province).

Builds the tree (bench/run.py), loads two years of dossiers with COPY against the default catalogues (each
organisation files about 80% of its list each year, a fifth of them everything; some metadata left out), then
times what the superior committee's completeness page runs, through the real selectors, for one province (a
10,100-organisation branch): the per-branch rollup with totals, the first page of organisations with what each
lacks, the most-missing types. Prints the median and p95, and the EXPLAIN of the rollup.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from importlib import import_module

from django.apps import apps
from django.db import connection
from run import report, setup  # bench/run.py: sets up Django

from dangvu.dossiers import selectors as sel
from dangvu.organizations.models import Organisation

YEARS = (2025, 2026)


def load_dossiers() -> int:
    rng = random.Random(11)  # noqa: S311
    cats = {y: sel.catalogues_in_force(y) for y in YEARS}
    types = {y: {tid: list(c.types.all()) for tid, c in cats[y].items()} for y in YEARS}
    orgs = list(Organisation.objects.order_by("path").values_list("id", "path", "type_id"))
    now = dt.datetime.now(dt.UTC)
    n = 0
    with connection.cursor() as cur:
        cur.execute("TRUNCATE dossiers_dossier RESTART IDENTITY CASCADE")
        with cur.cursor.copy(
            "COPY dossiers_dossier (organisation_id, org_path, code, keeping, field, year_from, year_to, title, "
            "number, signer, note, search_text, complete, created_at, updated_at) FROM STDIN"
        ) as copy:
            for org_id, path, type_id in orgs:
                done: set[str] = set()
                for y in YEARS:
                    careful = rng.random() < 0.2
                    for t in types[y].get(type_id, []):
                        if t.code in done or (not careful and rng.random() > 0.8):
                            continue
                        if t.keeping != "year":
                            done.add(t.code)
                        complete = careful or rng.random() > 0.1
                        y_to = y if t.keeping == "year" else (2030 if t.keeping == "term" else None)
                        copy.write_row((org_id, path, t.code, t.keeping, t.field, y, y_to, t.name, "", "", "",
                                        t.code.lower(), complete, now, now))  # fmt: skip
                        n += 1
        cur.execute("ANALYZE")
    return n


def page(branch, year):
    """What dossiers.views.index computes."""
    totals, branches = sel.rollup(branch, year)
    count, rows = sel.org_rows(branch, year)
    return totals, branches, count, rows, sel.missing_by_type(branch, year)


def main():
    args = setup("meetings", "make bench-dossiers")
    # the tree's TRUNCATE … CASCADE empties the catalogues (they name their publisher): load the defaults again
    import_module("dangvu.dossiers.migrations.0002_indexes_and_defaults").load(apps)
    t0 = time.perf_counter()
    n = load_dossiers()
    print(f"{n:,} dossiers ({YEARS[0]}–{YEARS[1]}) loaded in {time.perf_counter() - t0:.1f} s")
    branch = Organisation.objects.get(code="T00")
    totals, branches, count, _, missing = page(branch, 2026)
    print(f"branch {branch.code}, 2026: {totals.orgs:,} organisations ({totals.cells:,} cells), {totals.complete:,} "
          f"complete ({totals.committees_complete:,} committees, {totals.cells_complete:,} cells); "
          f"{totals.present:,}/{totals.required:,} dossiers; {len(branches)} branches; "
          f"most missing: {missing[0]['code']} in {missing[0]['missing']:,}")  # fmt: skip
    report((
        ("completeness page (rollup + first page + most missing)", lambda: page(branch, 2026)),
        ("  rollup per branch with totals (one query)", lambda: sel.rollup(branch, 2026)),
        ("  first page of organisations with what each lacks", lambda: sel.org_rows(branch, 2026)),
        ("  incomplete only, first page", lambda: sel.org_rows(branch, 2026, only_incomplete=True)),
        ("  most-missing dossier types", lambda: sel.missing_by_type(branch, 2026)),
        ("last year's rollup", lambda: sel.rollup(branch, 2025)),
        ("one commune's rollup", lambda: sel.rollup(Organisation.objects.get(code="T00-X001"), 2026)),
    ), args.repeat)  # fmt: skip
    length = len(branch.path) + 7
    with connection.cursor() as cur:
        cur.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + sel._sql(sel._ROLLUP),
            [*sel._params(branch, 2026), length, length],
        )
        print("\nEXPLAIN rollup:\n" + "\n".join(r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()
