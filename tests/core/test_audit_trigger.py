"""The audit log is append-only in the database itself (PostgreSQL): raw SQL cannot change or remove an entry."""

import pytest
from django.db import DatabaseError, connection, transaction

from dangvu.core import audit
from dangvu.core.models import AppendOnly, AuditEntry

pytestmark = [pytest.mark.django_db]


@pytest.mark.postgres
def test_raw_sql_cannot_update_or_delete_an_audit_entry(admin_user):
    e = audit.record(by=admin_user, action="member.update", object_type="members.member", object_id="1")
    for sql in ("UPDATE core_auditentry SET action = 'xoa-dau-vet' WHERE id = %s",
                "DELETE FROM core_auditentry WHERE id = %s"):  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [e.pk])
    e.refresh_from_db()
    assert e.action == "member.update"
    with transaction.atomic(), connection.cursor() as cur:  # adding stays possible
        cur.execute("INSERT INTO core_auditentry (at, action, object_type, object_id, object_repr, org_path) "
                    "VALUES (now(), 'x', 'y', '1', '', '')")  # fmt: skip
    assert AuditEntry.objects.count() == 2


def test_the_orm_refuses_too(admin_user):
    e = audit.record(by=admin_user, action="member.update", object_type="members.member", object_id="1")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=e.pk).update(action="x")
    with pytest.raises(AppendOnly):
        e.delete()
