"""A covering index for the statistics of a subtree (stats.selectors): on PostgreSQL, the subtree's range of
`org_path` with every column the statistics count, so a branch's figures are read from the index alone (an
index-only scan of a few tens of megabytes) instead of the whole members table. Other databases: nothing (SQLite
has no INCLUDE; its installations are small)."""

from django.db import migrations

COLUMNS = ("status", "sex", "birth_date", "admitted_on", "official_on", "status_since", "qualification",
           "political_theory", "forces", "ethnicity", "religion", "general_education", "occupation", "position")  # fmt: skip


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX member_stats_idx ON members_member (org_path varchar_pattern_ops) "
            f"INCLUDE ({', '.join(COLUMNS)})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_stats_idx")


class Migration(migrations.Migration):
    dependencies = [("members", "0007_term_congress_number")]
    operations = [migrations.RunPython(create, drop)]
