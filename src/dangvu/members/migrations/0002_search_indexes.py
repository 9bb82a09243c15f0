"""Indexes the ORM cannot express portably.

- (org_path, status): subtree lists and counts by status in one range scan. On PostgreSQL a LIKE 'prefix%'
  uses a btree only with varchar_pattern_ops (the database collation is not C).
- PostgreSQL only: a trigram GIN index on search_text, so substring search without diacritics ("van duc")
  does not scan the table. SQLite has no equivalent; there the (small) table is scanned.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX member_path_status_idx ON members_member (org_path varchar_pattern_ops, status)"
        )
        schema_editor.execute(
            "CREATE INDEX member_search_trgm_idx ON members_member USING gin (search_text gin_trgm_ops)"
        )
    else:
        schema_editor.execute("CREATE INDEX member_path_status_idx ON members_member (org_path, status)")


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS member_path_status_idx")
    schema_editor.execute("DROP INDEX IF EXISTS member_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("core", "0003_rules")]
    operations = [migrations.RunPython(create, drop)]
