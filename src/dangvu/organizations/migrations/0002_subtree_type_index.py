"""(path, type) index on open organisations, for subtree rollups by type in one range scan.

On PostgreSQL, `path LIKE 'prefix%'` uses a btree only with varchar_pattern_ops (the database collation is not C);
the ORM cannot express an operator class portably, hence raw SQL per vendor.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX org_open_path_type_idx ON organizations_organisation "
            "(path varchar_pattern_ops, type_id) WHERE closed_on IS NULL"
        )
    else:
        schema_editor.execute(
            "CREATE INDEX org_open_path_type_idx ON organizations_organisation (path, type_id) "
            "WHERE closed_on IS NULL"
        )


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS org_open_path_type_idx")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
