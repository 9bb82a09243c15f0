"""On PostgreSQL, a trigram index for the word search in dossiers (title, number, type and the text inside the
files): `search_text LIKE '%word%'` uses it instead of reading every dossier in scope."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX dossier_search_trgm_idx ON dossiers_dossier USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dossier_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_indexes_and_defaults"), ("members", "0002_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
