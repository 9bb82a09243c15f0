import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from dangvu.organizations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_subtree_count_by_type_is_an_index_range_scan(tree):
    qs = (
        Organisation.objects.filter(path__startswith=tree["D"].path, closed_on__isnull=True)
        .values("type")
        .annotate(n=Count("id"))
        .order_by()
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")  # tiny test tables: ask whether the index is usable
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "Index" in plan and "path" in plan and "Seq Scan" not in plan, plan


def test_grant_command_scopes_the_user(tree, django_user_model, client):
    user = django_user_model.objects.create_user("bt", password="mat-khau-rat-dai-1")
    call_command("grant", "bt", "c2", "secretary")
    client.force_login(user)
    assert client.get("/api/v1/organisations/C2-T1").status_code == 200
    assert client.get("/api/v1/organisations/C1").status_code == 404
