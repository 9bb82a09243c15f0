"""Meeting benchmarks on PostgreSQL: `make bench-meetings` (SCALE=meetings: 250,000 cells, 10,000 per province).

Builds the tree (bench/run.py), loads a year of meetings with COPY (one regular meeting per cell per month, a
thematic one per quarter in most cells, some months skipped: about 3 million rows) and the monthly reports, then
times what the superior committee's dashboard page runs, through the real selectors, for one province (a
10,000-cell branch) and one month: the totals, the first page of cells with their flags, those cells' meetings
and the per-branch rollup. Prints the median and p95, and the EXPLAIN of the two heaviest queries.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from run import report, setup  # bench/run.py: sets up Django

from dangvu.meetings import selectors as sel
from dangvu.organizations.models import Organisation

MONTHS = [dt.date(2025, 12, 1)] + [dt.date(2026, m, 1) for m in range(1, 12)]


def load_meetings() -> int:
    rng = random.Random(5)  # noqa: S311
    cells = list(Organisation.objects.filter(type__kind="cell").order_by("path").values_list("id", "path"))
    committees = list(Organisation.objects.exclude(type__kind="cell").order_by("path").values_list("id", "path"))
    n = 0
    with connection.cursor() as cur:
        cur.execute("TRUNCATE meetings_meeting, meetings_monthlyreport RESTART IDENTITY CASCADE")
        with cur.cursor.copy(
            "COPY meetings_meeting (organisation_id, org_path, body, kind, combined, topic, date, month, place, agenda, "
            "state, started_at, ended_at, guests, summary, conclusion, monitor_report, duration_minutes, present, "
            "excused, absent, expected, vote_base, quality, failed, met_count, criteria_count, rules_from, "
            "created_at, updated_at) FROM STDIN"
        ) as copy:
            now = dt.datetime.now(dt.UTC)
            for org_id, path in cells:
                skipper = rng.random() < 0.1
                for month in MONTHS:
                    if rng.random() < (0.3 if skipper else 0.03):
                        continue
                    for kind in (
                        ("regular", "thematic")
                        if month.month % 3 == 2 and rng.random() < 0.7
                        else ("regular",)
                    ):
                        expected = rng.randint(8, 40)
                        present = expected - rng.choice([0, 0, 1, 1, 2, 3, 6])
                        minutes = rng.choice([60, 90, 95, 100, 120, 130])
                        failed = ",".join(
                            c
                            for c, bad in (
                                ("duration", minutes < 90),
                                ("attendance", present * 100 <= expected * 85),
                            )
                            if bad
                        )
                        day = month.replace(day=rng.randint(1, 25) if kind == "regular" else 27)
                        copy.write_row((
                            org_id, path, "members", kind, False, "", day, month, "", "", "closed", dt.time(8, 0),
                            dt.time(8 + minutes // 60, minutes % 60), "", "", "", "",
                            minutes, present, expected - present, 0, expected, expected, "[]",
                            f",{failed}," if failed else "", 8 - failed.count(",") - bool(failed), 8,
                            dt.date(2025, 10, 28), now, now,
                        ))  # fmt: skip
                        n += 1
            # every committee's standing committee meets monthly (a few months skipped): the bodies' table
            for org_id, path in committees:
                for month in MONTHS:
                    if rng.random() < 0.05:
                        continue
                    copy.write_row((
                        org_id, path, "standing", "regular", False, "", month.replace(day=5), month, "", "",
                        "closed", dt.time(8, 0), dt.time(10, 0), "", "", "", "", 120, 5, 0, 0, 5, 5, "[]", "", 2, 2,
                        dt.date(1930, 2, 3), now, now,
                    ))  # fmt: skip
                    n += 1
        with cur.cursor.copy(
            "COPY meetings_monthlyreport (organisation_id, org_path, month, results, directions, filed_at) FROM STDIN"
        ) as copy:
            for org_id, path in cells:
                for month in MONTHS:
                    if rng.random() < 0.85:
                        copy.write_row((org_id, path, month, "Kết quả", "Phương hướng", now))
        cur.execute("ANALYZE")
    return n


def dashboard_page(user, org, period):
    """What meetings.views.dashboard computes for its first page."""
    totals = sel.dashboard(user, org, period)
    page = Paginator(sel.dashboard_cells(user, org, period), 50).get_page(1)
    cells = list(page.object_list)
    sel.cell_meetings(cells, period)
    branches = sel.rollup(user, org, period.start, period.end)
    sel.bodies_dashboard(user, org, period, period.end)
    return totals, page.paginator.count, branches


def main():
    args = setup("meetings", "make bench-meetings")
    t0 = time.perf_counter()
    n = load_meetings()
    print(f"{n:,} meetings and their monthly reports loaded in {time.perf_counter() - t0:.1f} s")
    admin, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    branch = Organisation.objects.get(code="T00")
    period = sel.Period.month(2026, 10)
    n_cells = sel.cells_in(admin, branch, period).count()
    totals, _, branches = dashboard_page(admin, branch, period)
    print(f"branch {branch.code}: {n_cells:,} cells; {period.label}: {totals['cells_met']:,} met, "
          f"{totals['cells_without_thematic']:,} without a thematic meeting this quarter, "
          f"{totals['reports_missing']:,} reports missing; {len(branches)} branches")  # fmt: skip
    report((
        ("monthly dashboard page (totals + first page + rollup + bodies)", lambda: dashboard_page(admin, branch, period)),
        ("  totals only", lambda: sel.dashboard(admin, branch, period)),
        ("  first page of cells with flags", lambda: list(sel.dashboard_cells(admin, branch, period)[:50])),
        ("  cells that did not meet (filter), first page", lambda: list(sel.dashboard_cells(admin, branch, period, "not_met")[:50])),
        ("  per-branch rollup", lambda: sel.rollup(admin, branch, period.start, period.end)),
        ("  collective bodies (who met, who is behind)", lambda: sel.bodies_dashboard(admin, branch, period, period.end)),
        ("quarterly dashboard page", lambda: dashboard_page(admin, branch, sel.Period.quarter(2026, 3))),
    ), args.repeat)  # fmt: skip
    like = branch.path + "%"
    for title, sql, params in (
        (
            "totals: meetings of the branch in the month",
            "EXPLAIN (ANALYZE, BUFFERS) SELECT count(*), count(DISTINCT organisation_id), sum(present), "
            "sum(expected) FROM meetings_meeting WHERE org_path LIKE %s AND date BETWEEN %s AND %s "
            "AND state IN ('held','closed')",
            [like, period.start, period.end],
        ),
    ):
        with connection.cursor() as cur:
            cur.execute(sql, params)
            print(f"\nEXPLAIN {title}:\n" + "\n".join(r[0] for r in cur.fetchall()))
    qs = sel.dashboard_cells(admin, branch, period)[:50]
    print("\nEXPLAIN first page of cells:\n" + qs.explain(analyze=True))


if __name__ == "__main__":
    main()
