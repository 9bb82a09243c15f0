import pytest
from django.db import connection

from dangvu.members import selectors as sel

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def plan_of(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")  # tiny test tables: ask whether an index is usable
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


def test_substring_search_can_use_the_trigram_index(people, admin_user):
    from dangvu.members.models import Member

    # the search part of member_list (on a tiny table the planner prefers the status index for the whole)
    plan = plan_of(sel._search(Member.objects.order_by(), "van duc"))
    assert "member_search_trgm_idx" in plan, plan


def test_subtree_counts_by_status_use_the_path_index(people, admin_user, tree):
    from django.db.models import Count

    from dangvu.members.models import Member

    qs = (
        Member.objects.filter(org_path__startswith=tree["C1"].path)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    plan = plan_of(qs)
    assert "member_path_status_idx" in plan and "Seq Scan" not in plan, plan
