"""Admission pipeline benchmark on PostgreSQL: `make bench-admission` (SCALE=meetings: 250,000 cells, 10,000
organisations per province).

Builds the tree (bench/run.py), loads with COPY 20,000 open cases in province T00 (about two per cell, at every
stage, a tenth of them overdue) and 40,000 more elsewhere, with this year's ceremonies and recognitions as steps,
then times what the superior committee's pipeline page runs for T00 through the real selectors: the stages and
overdue counts per branch, the year's admissions and recognitions per branch, the first page of open cases and
its count, the overdue filter. Bar: the page under 300 ms. Prints the median and p95 and the EXPLAIN of the
grouped query.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from run import report, setup, timed  # bench/run.py: sets up Django

from dangvu.admission import selectors as sel
from dangvu.admission.models import OPEN, Case
from dangvu.core.dates import today
from dangvu.core.text import person_sort_key, search_key
from dangvu.organizations.models import Organisation

STAGES = [s for s in OPEN]
BAR_MS = 300


def load(per_big_cell: int = 2, elsewhere_every: int = 6) -> tuple[int, int]:
    rng = random.Random(9)  # noqa: S311
    cells = list(Organisation.objects.filter(type__kind="cell").order_by("path").values_list("id", "path", "code"))
    now = dt.datetime.now(dt.UTC)
    on = today()
    n = 0
    with connection.cursor() as cur:
        cur.execute("TRUNCATE admission_case RESTART IDENTITY CASCADE")
        with cur.cursor.copy(
            "COPY admission_case (organisation_id, org_path, full_name, birth_name, sex, birth_date, ethnicity, "
            "religion, home_town, birth_place, residence, phone, general_education, qualification, specialty, "
            "occupation, proposed_by, proposed_on, course_number, course_issuer, area_exception, over60_consent, "
            "stage, stage_since, ended_reason, next_step, next_due, search_text, sort_key, created_at, updated_at) "
            "FROM STDIN"
        ) as copy:
            for i, (oid, path, code) in enumerate(cells):
                k = per_big_cell if code.startswith("T00-") else (1 if i % elsewhere_every == 0 else 0)
                for _ in range(k):
                    n += 1
                    name = f"Nguyễn Thị {rng.choice(['Mai', 'Lan', 'Hoa', 'Thảo'])} {n}"
                    stage = rng.choice(STAGES)
                    due = on + dt.timedelta(days=rng.randint(-20, 180)) if rng.random() < 0.9 else None
                    if due and rng.random() < 0.1:
                        due = on - dt.timedelta(days=rng.randint(1, 60))
                    copy.write_row((oid, path, name, "", "nu", dt.date(1998, 1, 1), "Kinh", "Không", "", "", "", "",
                                    "12/12", "", "", "", "doan-tn", dt.date(2026, 1, 10), "", "", False, "", stage,
                                    dt.date(2026, 3, 1), "", "decision", due, search_key(name), person_sort_key(name),
                                    now, now))  # fmt: skip
        cur.execute("SELECT id FROM admission_case ORDER BY id")
        ids = [r[0] for r in cur.fetchall()]
        steps = 0
        with cur.cursor.copy(
            "COPY admission_step (case_id, kind, done_on, number, signer, note, recorded_at) FROM STDIN"
        ) as copy:
            for cid in ids:
                if rng.random() < 0.25:
                    copy.write_row((cid, "ceremony", dt.date(on.year, rng.randint(1, on.month), 5), "", "", "", now))
                    steps += 1
                if rng.random() < 0.2:
                    copy.write_row((cid, "recognition_decision", dt.date(on.year, rng.randint(1, on.month), 20),
                                    "1-QĐ/ĐU", "", "", now))  # fmt: skip
                    steps += 1
        cur.execute("ANALYZE admission_case")
        cur.execute("ANALYZE admission_step")
    return n, steps


def page(user, org, state=""):
    """What admission.views.index computes."""
    total, branches = sel.pipeline(user, org)
    p = Paginator(sel.case_list(user, org, sel.Filters(state=state)), 50).get_page(1)
    return total, branches, list(p.object_list), p.paginator.count


def main():
    args = setup("meetings", "make bench-admission")
    t0 = time.perf_counter()
    n, steps = load()
    print(f"{n:,} cases and {steps:,} steps loaded in {time.perf_counter() - t0:.1f} s")
    admin, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    branch = Organisation.objects.get(code="T00")
    total, branches, rows, count = page(admin, branch)
    print(f"branch T00: {total.open:,} open cases, {total.overdue:,} overdue, {total.admitted:,} admitted and "
          f"{total.recognised:,} recognised this year; {len(branches)} branches; first page {len(rows)} of {count:,}")  # fmt: skip
    assert total.open >= 20_000 or args.scale != "meetings", total.open
    report((
        ("pipeline page (per branch + year + first page + count)", lambda: page(admin, branch)),
        ("  stages and overdue per branch, the year's figures", lambda: sel.pipeline(admin, branch)),
        ("  first page of open cases", lambda: list(sel.case_list(admin, branch)[:50])),
        ("  overdue only, first page", lambda: list(sel.case_list(admin, branch, sel.Filters(state="overdue"))[:50])),
        ("  search 'nguyen thi mai', first page", lambda: list(sel.case_list(admin, branch, sel.Filters(q="nguyen thi mai"))[:50])),
        ("one commune's page", lambda: page(admin, Organisation.objects.get(code="T00-X001"))),
    ), args.repeat)  # fmt: skip
    med = sorted(timed(lambda: page(admin, branch), args.repeat))[args.repeat // 2]
    qs = Case.objects.filter(org_path__startswith=branch.path, stage__in=OPEN)
    print("\nEXPLAIN open cases of the branch:\n" + qs.explain(analyze=True, buffers=True))
    if args.scale == "meetings":
        print(f"\nbar: the pipeline page under {BAR_MS} ms — median {med:.0f} ms: {'PASS' if med < BAR_MS else 'FAIL'}")
        assert med < BAR_MS


if __name__ == "__main__":
    main()
