import datetime as dt
import random

from django.core.management.base import BaseCommand

from dangvu.accounts.demo import seed_access
from dangvu.members.demo import _Ids, seed_events, seed_leadership, seed_members
from dangvu.members.models import Member
from dangvu.organizations.demo import seed_organisations
from dangvu.organizations.models import Organisation, OrgKind


class Command(BaseCommand):
    help = "Load the demo province with its members (deterministic, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="only when the database has no organisation"
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Dữ liệu đã có; không nạp dữ liệu mẫu.")
            return
        result = seed_demo()
        if result["skipped"]:
            self.stdout.write("Dữ liệu mẫu đã được nạp trước đó.")
        else:
            self.stdout.write(
                f"Đã nạp dữ liệu mẫu: {result['organisations']} tổ chức đảng, {result['members']} đảng viên, "
                f"{result['meetings']} buổi sinh hoạt chi bộ, {result['body_meetings']} cuộc họp cấp ủy, "
                f"{result['dossiers']} hồ sơ, "
                f"{result['reviews']} bản kiểm điểm, {result['admission_cases']} hồ sơ phát triển đảng viên, "
                f"{result['inspections']} cuộc kiểm tra, giám sát, "
                f"{result['outgoing']} văn bản đi, {result['incoming']} văn bản đến, "
                f"{result['accounts']} tài khoản mẫu."
            )


def _analyze() -> None:
    """After a bulk phase, PostgreSQL's planner statistics: the next phase's queries are planned on the rows just
    written (inside the seeding's transaction too), not on an empty table's (a nested loop over thousands of rows
    per query otherwise)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def seed_demo() -> dict:
    from django_tasks_db.models import DBTaskResult

    rng = random.Random(7)  # deterministic  # noqa: S311
    queued = list(DBTaskResult.objects.values_list("id", flat=True))
    ids = _Ids()

    def early(by, cells):
        # Members of the cells that the 2019–2021 history renames, merges and splits: admitted before it.
        seed_members(
            by,
            cells,
            rng=rng,
            ids=ids,
            latest_admission=dt.date(2019, 6, 30),
            named=["Nguyễn Văn Đức", "Đặng Thị Hòa"],
        )

    result = seed_organisations(before_history=early)
    if result["skipped"]:
        return result
    from dangvu.organizations.demo import system_user

    by = system_user()
    empty = list(
        Organisation.objects.filter(closed_on__isnull=True, type__kind=OrgKind.CELL)
        .exclude(members__isnull=False)
        .select_related("type")
        .order_by("path")
    )
    seed_members(by, empty, rng=rng, ids=ids)
    seed_leadership(by, rng=rng)
    seed_events(by, rng=rng)
    _analyze()
    from dangvu.meetings.demo import seed_meetings

    result.update(seed_meetings(by, rng=rng))
    from dangvu.meetings.demo import seed_bodies

    result.update(seed_bodies(by, rng=rng))
    from dangvu.congresses.demo import seed_congress

    result.update(seed_congress(by, rng=rng))
    _analyze()
    from dangvu.dossiers.demo import seed_dossiers

    result.update(seed_dossiers(by, rng=rng))
    _analyze()
    from dangvu.admission.demo import seed_admissions

    result.update(seed_admissions(by, rng=rng))  # before the evaluations: the members it admits are reviewed too
    from dangvu.admission.demo import seed_villages

    result.update(seed_villages(by, rng=rng))
    _analyze()
    from dangvu.inspection.demo import seed_inspections

    result.update(seed_inspections(by, rng=rng))  # before the evaluations: their facts count its disciplines
    from dangvu.evaluations.demo import seed_evaluations

    result.update(seed_evaluations(by, rng=rng))
    from dangvu.documents.demo import seed_documents

    result.update(seed_documents(by, rng=rng))  # last: the other capabilities' demo stays as it was
    from dangvu.dues.demo import seed_dues

    result.update(seed_dues(by, rng=rng))
    from dangvu.stats.demo import seed_stats

    result.update(seed_stats(by, rng=rng))  # the reports frozen at the cut-offs, from everything above
    result["members"] = Member.objects.count()
    result["accounts"] = len(seed_access(by))
    # Seeding a new catalogue version queued a recomputation, but every verdict was written by the rules as it was
    # seeded: nothing is stale, and the worker need not spend minutes confirming it.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.ready().filter(task_path="dangvu.jobs.tasks.recompute").exclude(id__in=queued).delete()
    return result
