"""Inspection and discipline benchmark on PostgreSQL: `make bench-inspection` (SCALE=meetings: 250,000 cells,
10,000 organisations per province).

Builds the tree (bench/run.py), loads with COPY three years of the work of province T00's communes: each
commune's commission programme with an item per cell each year (a tenth of this year's late), an inspection or
supervision of most cells each year (a fifth of them with violations) with one or two recommendations (some
open, some late), and discipline of a few organisations a year; a quarter as much in the other provinces. Then
times what the superior's overview page of T00 computes through the real selectors: the figures per branch, the
late items, the open recommendations and the organisations never inspected in the term. Bar: the page under
300 ms. Prints the median and p95 and the EXPLAIN of the grouped inspections query.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.contrib.auth import get_user_model
from django.db import connection
from run import report, setup, timed  # bench/run.py: sets up Django

from dangvu.core.dates import today
from dangvu.inspection import selectors as sel
from dangvu.inspection.models import Inspection
from dangvu.organizations.models import Organisation

BAR_MS = 300


def load(years: int = 3) -> dict[str, int]:
    rng = random.Random(11)  # noqa: S311
    orgs = list(Organisation.objects.order_by("path").values_list("id", "path", "code", "type__kind"))
    communes = [(oid, path, code) for oid, path, code, kind in orgs if kind == "committee" and code.count("-") == 1]
    cells_of: dict[str, list[tuple[int, str]]] = {}
    for oid, path, _code, kind in orgs:
        if kind == "cell":
            cells_of.setdefault(path[: len(path) - sel.SEGMENT], []).append((oid, path))
    now = dt.datetime.now(dt.UTC)
    on = today()
    counts = {"programmes": 0, "items": 0, "inspections": 0, "recommendations": 0, "disciplines": 0}
    with connection.cursor() as cur:
        for t in ("inspection_recommendation", "inspection_inspection", "inspection_item", "inspection_programme",
                  "inspection_discipline"):  # fmt: skip
            cur.execute(f"TRUNCATE {t} RESTART IDENTITY CASCADE")
        prog_rows, item_rows = [], []
        with cur.cursor.copy("COPY inspection_programme (organisation_id, org_path, body, year, title, adopted_on, "
                             "number, created_at) FROM STDIN") as copy:  # fmt: skip
            pid = 0
            for oid, path, code in communes:
                big = code.startswith("T00")
                if not big and rng.random() > 0.25:
                    continue
                for y in range(on.year - years + 1, on.year + 1):
                    pid += 1
                    copy.write_row((oid, path, "commission", y, f"Chương trình {y}", dt.date(y, 1, 10), "01-CTr/ĐU",
                                    now))  # fmt: skip
                    prog_rows.append((pid, oid, path, y))
        counts["programmes"] = len(prog_rows)
        with cur.cursor.copy("COPY inspection_item (programme_id, org_path, activity, method, subject_org_id, "
                             "subject_path, content, starts_on, due_on, carried_by, state, note) FROM STDIN") as copy:  # fmt: skip
            for pid, oid, path, y in prog_rows:
                for coid, cpath in cells_of.get(path, []):
                    month = rng.randint(1, 11)
                    due = dt.date(y, month + 1, 28)
                    state = "done" if due < on and rng.random() > 0.1 else "planned"
                    copy.write_row((pid, path, rng.choice(["inspection", "supervision"]), "regular", coid, cpath,
                                    "Chấp hành Điều lệ", dt.date(y, month, 1), due, "UBKT", state, ""))  # fmt: skip
                    item_rows.append((oid, path, coid, cpath, y, month, due))
        counts["items"] = len(item_rows)
        with cur.cursor.copy("COPY inspection_inspection (organisation_id, org_path, body, activity, method, "
                             "subject_org_id, subject_path, content, decision_number, decided_on, team, ends_on, "
                             "self_report, self_report_file, self_report_sha256, self_report_kind, result_report, "
                             "conclusion_number, notice_number, concluded_on, findings, violation, created_at) "
                             "FROM STDIN") as copy:  # fmt: skip
            for oid, path, coid, cpath, y, month, due in item_rows:
                if rng.random() < 0.15:
                    continue  # never inspected this year
                start = dt.date(y, month, 2)
                concluded = due - dt.timedelta(days=3) if due < on else None
                copy.write_row((oid, path, "commission", rng.choice(["inspection", "supervision"]), "regular", coid,
                                cpath, "Chấp hành Điều lệ", "05-QĐ/ĐU", start, "Đoàn", due, "", "", "", "", "",
                                "03-KL/ĐU" if concluded else "", "04-TB/ĐU" if concluded else "", concluded,
                                "Kết luận" if concluded else "",
                                rng.random() < 0.2, now))  # fmt: skip
                counts["inspections"] += 1
        cur.execute("SELECT id, concluded_on FROM inspection_inspection WHERE concluded_on IS NOT NULL")
        concluded = cur.fetchall()
        with cur.cursor.copy("COPY inspection_recommendation (inspection_id, text, due_on, done_on, note) "
                             "FROM STDIN") as copy:  # fmt: skip
            for iid, c_on in concluded:
                for _ in range(rng.randint(1, 2)):
                    due = c_on + dt.timedelta(days=rng.randint(20, 90))
                    done = due - dt.timedelta(days=5) if due < on and rng.random() > 0.15 else None
                    copy.write_row((iid, "Khắc phục", due, done, ""))
                    counts["recommendations"] += 1
        with cur.cursor.copy("COPY inspection_discipline (organisation_id, org_path, body, subject_org_id, "
                             "subject_path, conduct, conduct_from, gravity, state, deferral, form, decided_on, "
                             "announced_on, number, legacy, outcome_note, created_at) FROM STDIN") as copy:  # fmt: skip
            for oid, path, coid, cpath, y, month, _due in item_rows:
                if rng.random() < 0.03:
                    d = dt.date(y, month, 15)
                    if d <= on:
                        copy.write_row((oid, path, "committee", coid, cpath, "Vi phạm", d - dt.timedelta(days=30),
                                        "reprimand", "decided", "", rng.choice(["reprimand", "warning"]), d, d,
                                        "07-QĐ/ĐU", False, "", now))  # fmt: skip
                        counts["disciplines"] += 1
        for t in ("inspection_programme", "inspection_item", "inspection_inspection", "inspection_recommendation",
                  "inspection_discipline"):  # fmt: skip
            cur.execute(f"ANALYZE {t}")
    return counts


def page(user, org, year):
    """What inspection.views.index computes."""
    ov = sel.overview(user, org, year)
    late = sel.late_items(user, org)
    recs = sel.open_recommendations(user, org)
    return ov, late, recs


def main():
    args = setup("meetings", "make bench-inspection")
    t0 = time.perf_counter()
    counts = load()
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" loaded in {time.perf_counter() - t0:.1f} s")
    admin, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    branch = Organisation.objects.get(code="T00")
    year = today().year
    ov, (late, n_late), recs = page(admin, branch, year)
    n_orgs = Organisation.objects.filter(path__startswith=branch.path).count()
    print(f"branch T00 ({n_orgs:,} organisations): {ov.total.items:,} items this year ({ov.total.items_late:,} late), "
          f"{ov.total.inspections:,} inspections, {ov.total.supervisions:,} supervisions, {ov.total.violations:,} "
          f"with violations, {ov.total.recs_open:,} open recommendations ({ov.total.recs_late:,} late), "
          f"{ov.total.disciplined_total:,} disciplined; never inspected since {ov.since}: {ov.never_count:,}; "
          f"{len(ov.branches)} branches")  # fmt: skip
    if args.scale == "meetings":
        assert n_orgs >= 10_000 and ov.total.inspections + ov.total.supervisions >= 5_000, ov.total
    report((
        ("overview page (branches + late items + open recommendations)", lambda: page(admin, branch, year)),
        ("  figures per branch and never inspected", lambda: sel.overview(admin, branch, year)),
        ("  late items, first 50 and count", lambda: sel.late_items(admin, branch)),
        ("  open recommendations, first 50", lambda: sel.open_recommendations(admin, branch)),
        ("  inspections list, first page", lambda: list(sel.inspections(admin, branch)[:50])),
        ("one commune's overview", lambda: page(admin, Organisation.objects.get(code="T00-X001"), year)),
    ), args.repeat)  # fmt: skip
    med = sorted(timed(lambda: page(admin, branch, year), args.repeat))[args.repeat // 2]
    qs = Inspection.objects.filter(org_path__startswith=branch.path, decided_on__year=year)
    print("\nEXPLAIN inspections of the branch this year:\n" + qs.explain(analyze=True, buffers=True))
    if args.scale == "meetings":
        print(f"\nbar: the overview page under {BAR_MS} ms — median {med:.0f} ms: {'PASS' if med < BAR_MS else 'FAIL'}")
        assert med < BAR_MS


if __name__ == "__main__":
    main()
