"""Statistics benchmarks on PostgreSQL: `make bench-stats MEMBERS=1000000` (issue #22).

Builds the national tree (bench/run.py) and loads MEMBERS members with COPY (bench/members.py: a fifth of them in
province T00, the "200,000-member branch"), each with an official stay from the day the tree was founded and a
status history (probationary, then official), so the statistics of a past date have what they read. Then times,
through the real selectors:
- the statistics of the big branch today and on 31/12/2025 (the bar: under 500 ms);
- the whole form sent upward for the whole country as the worker runs it (this period and the same date a year
  earlier, and the Excel file) — `--members 5500000` is the national register (the bar: under 2 minutes);
- the charts of the statistics page drawn from those figures (the bar: under 20 ms a chart).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.template.loader import render_to_string
from django.utils import timezone
from run import timed  # bench/run.py: sets up Django

from dangvu.organizations.models import Organisation
from dangvu.stats import selectors as sel
from dangvu.stats.jobs import statistics_export
from dangvu.stats.views import figure_charts
from members import setup  # bench/members.py


class _Job:
    def __init__(self, owner, org, on):
        self.owner, self.created_at = owner, dt.datetime.now(dt.UTC)
        self.params = {"org": org.code, "on": on.isoformat(), "date_from": dt.date(on.year, 1, 1).isoformat()}


def main() -> None:
    args, admin = setup(repeat=10, history=True)
    branch, root = Organisation.objects.get(code="T00"), Organisation.objects.get(code="TW")
    today, past = timezone.localdate(), dt.date(2025, 12, 31)
    f = sel.figures(admin, branch, today)
    print(f"branch T00: {f.total:,} members today, {sel.figures(admin, branch, past).total:,} on {past:%d/%m/%Y}")

    rows = []
    for label, fn in (
        ("statistics of branch T00, today", lambda: sel.figures(admin, branch, today)),
        (f"statistics of branch T00 on {past:%d/%m/%Y}", lambda: sel.figures(admin, branch, past)),
    ):
        t = timed(fn, args.repeat)
        rows.append((label, statistics.median(t), sorted(t)[int(0.95 * (len(t) - 1))]))
    drawn = figure_charts(f, link=lambda code: f"?org={code}")

    def draw():
        for c in drawn:
            render_to_string("core/chart.html", {"c": c})

    t = timed(draw, args.repeat)
    per = [x / len(drawn) for x in t]
    rows.append((f"one chart of the statistics page ({len(drawn)} drawn)", statistics.median(per),
                 sorted(per)[int(0.95 * (len(per) - 1))]))  # fmt: skip
    biggest = max(len(render_to_string("core/chart.html", {"c": c}).encode()) for c in drawn)
    print(f"\n{'operation':60} {'median ms':>10} {'p95 ms':>8}")
    for label, med, p95 in rows:
        print(f"{label:60} {med:10.1f} {p95:8.1f}")
    print(f"largest chart with its table: {biggest:,} bytes")

    t = time.perf_counter()
    out = statistics_export(_Job(admin, root, today), lambda *a: None)
    took = time.perf_counter() - t
    import os

    os.unlink(out.path)
    print(f"\nnational form sent upward (job, {out.rows:,} members, this period and a year earlier, Excel): {took:.1f} s")


if __name__ == "__main__":
    main()
