"""The audit log is append-only in the database too: on PostgreSQL a trigger refuses UPDATE and DELETE on the
audit table, whoever connects (raw SQL, a console, a bug). TRUNCATE is left to the database owner (the test
suite empties tables with it). SQLite, the single-machine default, keeps the application's guard only."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION dangvu_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Nhật ký chỉ được ghi thêm, không được sửa hay xóa (core_auditentry is append-only)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION dangvu_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS dangvu_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_staged_file")]

    operations = [migrations.RunPython(forwards, backwards)]
