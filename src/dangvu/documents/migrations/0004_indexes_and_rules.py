"""The registers' indexes (subtree and date; on PostgreSQL a trigram index for the word search) and who may issue
which document type as dated versions (`RuleSet` domain "documents.authority", read by `documents.rules`).

Sources (../shared/domain/rules.md §6.1, rules-2026.md §0):
- QĐ 66-QĐ/TW (06/02/2017) Art. 9(4)(c): cells may not issue Quy chế, Thông báo or Kết luận [secondary: quiz Q36].
- QĐ 399-QĐ/TW (09/01/2026), as public tools cite it [secondary]: Quy định (abbreviated QĐ like Quyết định, so not
  told apart here) by the grassroots committee and its standing committee, not a cell; Hướng dẫn by the standing
  committee only; Quy chế by the grassroots committee and the cell, not the standing committee; Chỉ thị and
  Thông tri by none of the three; a cell congress issues nghị quyết, quy chế, chương trình, công văn, biên bản.
- Uncertain, kept as data for an officer to correct: whether a cell may issue Thông báo and Kết luận under
  QĐ 399 (kept refused as under QĐ 66).
"""

import datetime as dt

from django.db import migrations

SOURCE_66 = "QĐ 66-QĐ/TW ngày 06/02/2017, Điều 9"
SOURCE_399 = "QĐ 399-QĐ/TW ngày 09/01/2026"
RULES = [
    (dt.date(2017, 2, 6), {"source": SOURCE_66, "refuse": {"cell": {"org": ["QC", "TB", "KL"]}},
                           "uncertain": []}, SOURCE_66 + " (cell: not QC, TB, KL) [secondary]"),
    (dt.date(2026, 1, 9), {
        "source": SOURCE_399,
        "refuse": {
            "cell": {"org": ["HD", "CT", "TT", "TB", "KL"]},
            "grassroots": {"org": ["HD", "CT", "TT"], "standing": ["QC", "CT", "TT"]},
        },
        "congress_allowed": {"cell": ["NQ", "QC", "CTr", "CV", "BB"]},
        "uncertain": ["cell TB, KL: kept refused as under QĐ 66"],
    }, SOURCE_399 + " as tools cite it [secondary]"),
]

INDEXES = [
    ("documents_outgoing_path_idx", "documents_outgoing", "org_path", "issued_on"),
    ("documents_incoming_path_idx", "documents_incoming", "org_path", "received_on"),
]


def load(apps, schema_editor=None):
    RuleSet = apps.get_model("core", "RuleSet")
    for valid_from, params, source in RULES:
        RuleSet.objects.update_or_create(domain="documents.authority", valid_from=valid_from,
                                         defaults={"params": params, "source": source[:500]})  # fmt: skip


def create(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    ops = " varchar_pattern_ops" if pg else ""
    for name, table, path, date in INDEXES:
        schema_editor.execute(f'CREATE INDEX {name} ON {table} ({path}{ops}, {date})')
    if pg:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in ("documents_outgoing", "documents_incoming"):
            schema_editor.execute(f"CREATE INDEX {table}_trgm_idx ON {table} USING gin (search_text gin_trgm_ops)")
    load(apps, schema_editor)


def drop(apps, schema_editor):
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if schema_editor.connection.vendor == "postgresql":
        for table in ("documents_outgoing", "documents_incoming"):
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_trgm_idx")
    apps.get_model("core", "RuleSet").objects.filter(domain="documents.authority").delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_fill_register"), ("core", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
