"""Evaluation rollup benchmark on PostgreSQL: `make bench-evaluations` (SCALE=meetings: 250,000 cells, 10,000
organisations per province).

Builds the tree (bench/run.py), then loads with COPY 20 members per cell in province T00 (about 200,000) and
as many spread over the other provinces, their official stays, two years of commitments and registrations, and
reviews: last year every member and organisation decided, this year half of the cells under way. Times what the
superior committee's page runs, through the real selectors, for the province T00 (a 10,100-organisation branch)
and for one commune: the rollup per branch with totals, the organisations above the cap, the disciplined
members, and one cell's members with their commitment and review. Prints the median and p95, and the EXPLAIN of
the grouped review query.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection
from run import report, setup  # bench/run.py: sets up Django

from dangvu.evaluations import selectors as sel
from dangvu.organizations.models import Organisation

LEVELS = ["excellent"] * 12 + ["good"] * 75 + ["completed"] * 11 + ["not_completed"] * 2
YEARS = (2025, 2026)


def load() -> dict:
    rng = random.Random(5)  # noqa: S311
    orgs = list(Organisation.objects.order_by("path").values_list("id", "path", "code", "parent_id", "type__kind",
                                                                 "type__is_grassroots"))  # fmt: skip
    cells = [o for o in orgs if o[4] == "cell"]
    big = [c for c in cells if c[2].startswith("T00-")]
    chosen = big + [c for i, c in enumerate(cells) if not c[2].startswith("T00-") and i % 24 == 0]
    now = dt.datetime.now(dt.UTC)
    counts = dict.fromkeys(("members", "reviews"), 0)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE members_member RESTART IDENTITY CASCADE")
        cur.execute("TRUNCATE evaluations_registration, evaluations_commitment RESTART IDENTITY CASCADE")
        with cur.cursor.copy(
            "COPY members_member (full_name, birth_name, sex, birth_date, ethnicity, religion, home_town, "
            "birth_place, residence, phone, email, general_education, qualification, specialty, "
            "political_theory, foreign_language, occupation_before, occupation, position, forces, admitted_on, "
            "cv_number, notes, status, status_since, org_id, org_path, search_text, sort_key, created_at, "
            "updated_at) FROM STDIN"
        ) as copy:
            for cell_id, path, *_ in chosen:
                for _ in range(20):
                    copy.write_row(("Nguyễn Văn An", "", "nam", dt.date(1980, 1, 1), "Kinh", "Không", "", "", "", "",
                                    "", "", "", "", "", "", "", "", "", "", dt.date(2005, 1, 1), "", "", "official",
                                    dt.date(2006, 1, 1), cell_id, path, "nguyen van an", "an van nguyen", now,
                                    now))  # fmt: skip
        cur.execute("SELECT id, org_id, org_path FROM members_member ORDER BY id")
        members = cur.fetchall()
        counts["members"] = len(members)
        with cur.cursor.copy(
            "COPY members_membership (member_id, organisation_id, kind, valid_from, start_reason, end_reason, note) "
            "FROM STDIN"
        ) as copy:
            for mid, oid, _ in members:
                copy.write_row((mid, oid, "official", dt.date(2010, 1, 1), "created", "", ""))
        by_id = {o[0]: o for o in orgs}
        started = {c[0] for c in chosen if rng.random() < 0.5}
        with cur.cursor.copy(
            "COPY evaluations_commitment (member_id, organisation_id, org_path, year, target_level, content, "
            "submitted_on) FROM STDIN"
        ) as copy:
            for y in YEARS:
                for mid, oid, path in members:
                    if y == YEARS[0] or rng.random() < 0.88:
                        copy.write_row((mid, oid, path, y, "good", "Cam kết", dt.date(y, 1, 15)))
        with cur.cursor.copy(
            "COPY evaluations_registration (organisation_id, org_path, year, target_level, goals, registered_on) "
            "FROM STDIN"
        ) as copy:
            for y in YEARS:
                for o in orgs:
                    copy.write_row((o[0], o[1], y, "good", "Chỉ tiêu 1\nChỉ tiêu 2", dt.date(y, 2, 1)))
        cols = ("subject, member_id, organisation_id, org_path, grassroots_id, year, period, form, state, rules_from, "
                "tasks_total, tasks_exceeded, strengths, shortcomings, remedies, self_score, self_level, submitted_on, "
                "cell_score, cell_level, cell_comment, votes_for, votes_base, reviewed_on, score, level, decided_on, "
                "decision_number, facts, created_at, updated_at")  # fmt: skip
        with cur.cursor.copy(f"COPY evaluations_review ({cols}) FROM STDIN") as copy:

            def row(subject, mid, o, y, state, level):
                g = o[0] if o[5] else o[3]  # a grassroots cell, else (in this generated tree) its commune
                score = {"excellent": 93, "good": 80, "completed": 60, "not_completed": 40}[level]
                decided = state == "decided"
                copy.write_row((subject, mid, o[0], o[1], g, y, "Y", "01" if mid is None else "2A", state,
                                dt.date(2025, 8, 30), 10, 3, "", "", "", score, level, dt.date(y, 11, 10),
                                score if state != "draft" else None, level if state != "draft" else "", "", 4, 5,
                                dt.date(y, 11, 12), score if decided else None, level if decided else "",
                                dt.date(y, 12, 20) if decided else None, "1-QĐ/ĐU" if decided else "", "{}", now,
                                now))  # fmt: skip
                counts["reviews"] += 1

            for y in YEARS:
                for mid, oid, _ in members:
                    if y == YEARS[0]:
                        row("member", mid, by_id[oid], y, "decided", rng.choice(LEVELS))
                    elif oid in started:
                        row("member", mid, by_id[oid], y, rng.choice(["draft", "submitted", "reviewed"]),
                            rng.choice(LEVELS))  # fmt: skip
                for o in orgs:
                    if o[2].startswith("T00") and (y == YEARS[0] or o[0] in started):
                        row(
                            "organisation",
                            None,
                            o,
                            y,
                            "decided" if y == YEARS[0] else "reviewed",
                            rng.choice(LEVELS),
                        )
        cur.execute("ANALYZE")
    return counts


def main():
    args = setup("meetings", "make bench-evaluations")
    t0 = time.perf_counter()
    counts = load()
    print(f"{counts['members']:,} members, {counts['reviews']:,} reviews ({YEARS[0]}–{YEARS[1]}) loaded in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
    branch = Organisation.objects.get(code="T00")
    commune = Organisation.objects.get(code="T00-X001")
    cell = Organisation.objects.get(code="T00-X001-001")
    total, branches = sel.rollup(branch, YEARS[0])
    m = total["members"]
    dist = ", ".join(f"{d['n']:,} {d['short']}" for d in m["dist"])
    print(f"branch {branch.code}, {YEARS[0]}: {m['expected']:,} members, {m['decided']:,} decided "
          f"({dist}); {len(branches)} branches; "
          f"{len(sel.quota_rows(branch, YEARS[1]))} grassroots organisations above the cap in {YEARS[1]}")  # fmt: skip

    def page(org, year):
        """What evaluations.views.index computes."""
        return sel.rollup(org, year), sel.quota_rows(org, year), sel.disciplined_rows(org, year)

    report((
        (f"province page {YEARS[1]} (rollup + cap + discipline)", lambda: page(branch, YEARS[1])),
        ("  rollup per branch with totals (five grouped queries)", lambda: sel.rollup(branch, YEARS[1])),
        ("  grassroots organisations above the cap", lambda: sel.quota_rows(branch, YEARS[1])),
        ("  members disciplined in the year", lambda: sel.disciplined_rows(branch, YEARS[1])),
        (f"province rollup {YEARS[0]} (all decided)", lambda: sel.rollup(branch, YEARS[0])),
        ("one commune's page", lambda: page(commune, YEARS[1])),
        ("one cell's members with commitment and review", lambda: sel.members_of(cell, YEARS[1])),
    ), args.repeat)  # fmt: skip
    from django.db.models import Count
    from django.db.models.functions import Substr

    from dangvu.evaluations.models import Review

    qs = (
        Review.objects.filter(org_path__startswith=branch.path, year=YEARS[1], period="Y")
        .annotate(b=Substr("org_path", 1, len(branch.path) + 7))
        .values_list("b", "subject", "state", "level")
        .annotate(k=Count("id"))
        .order_by()
    )
    print("\nEXPLAIN reviews by branch:\n" + qs.explain(analyze=True, buffers=True))


if __name__ == "__main__":
    main()
