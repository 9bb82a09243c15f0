"""Dues benchmark on PostgreSQL: `make bench-dues MEMBERS=1000000` (issue #23: a month's books for a 200,000-member
branch under 1 s).

Builds the national tree and loads MEMBERS members (bench/members.py: a fifth in province T00) with their stays
(bench/stats.py), opens a month's dues for T00 through the service (what the "dues.open" job runs), records nine
payments in ten with SQL, then times through the real selectors and exporter:
- the branch's month: collection per branch (the page's table) and the report upward (kept, remitted);
- the summary book S02/ĐP of the month and the year to date, written to Excel (what the book button serves);
- the members with unpaid months in the year.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.db import connection
from run import timed  # bench/run.py: sets up Django

from dangvu.dues import exporter, services
from dangvu.dues import selectors as sel
from dangvu.organizations.models import Organisation
from members import setup  # bench/members.py


def main() -> None:
    args, admin = setup(repeat=10, history=True)
    branch = Organisation.objects.get(code="T00")
    month = dt.date(2026, 10, 1)
    t = time.perf_counter()
    n = services.month_open(by=admin, org=branch, month=month)
    print(f"month opened for T00: {n:,} lines in {time.perf_counter() - t:.1f} s (the dues.open job)")
    with connection.cursor() as cur:
        cur.execute("UPDATE dues_due SET paid = amount WHERE month = %s AND id %% 10 <> 0", [month])
        cur.execute(
            "INSERT INTO dues_payment (member_id, month, org_path, amount, paid_on, method, reference, correction, "
            "note, batch, recorded_at) SELECT member_id, month, org_path, paid, %s, 'cash', '', false, '', '', now() "
            "FROM dues_due WHERE month = %s AND paid > 0", [month + dt.timedelta(days=9), month],
        )
        cur.execute("ANALYZE dues_due")
        cur.execute("ANALYZE dues_payment")
    end = services.month_end(month)
    rows = []

    def book():
        tmp = exporter.summary_book(admin, branch, month, end)
        tmp.close()

    for label, fn in (
        ("collection per branch (the page's table)", lambda: sel.rollup(admin, branch, month, end)),
        ("report upward: collected, kept, remitted", lambda: sel.report_figures(admin, branch, month, end)),
        ("S02/ĐP book, month and year to date, Excel", book),
        ("members with unpaid months in the year", lambda: sel.unpaid(admin, branch, 2026, dt.date(2026, 11, 15))),
    ):
        ts = timed(fn, args.repeat)
        rows.append((label, statistics.median(ts), sorted(ts)[int(0.95 * (len(ts) - 1))]))
    print(f"\n{'operation (branch T00, one month)':60} {'median ms':>10} {'p95 ms':>8}")
    for label, med, p95 in rows:
        print(f"{label:60} {med:10.1f} {p95:8.1f}")
    f = sel.report_figures(admin, branch, month, end)
    print(f"\ncollected {f['collected']:,} đ; kept below {f['kept_below']:,}; kept at T00 {f['retained_here']:,}; "
          f"remitted {f['remitted']:,}; {f['members']:,} members")  # fmt: skip


if __name__ == "__main__":
    main()
