"""The subtree range-scan index for dossiers, and the default catalogues (dossiers.defaults) as data.

On PostgreSQL a LIKE 'prefix%' uses a btree only with varchar_pattern_ops (the database collation is not C).
"""

from django.db import migrations


def create(apps, schema_editor):
    ops = " varchar_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX dossier_path_year_idx ON dossiers_dossier (org_path{ops}, year_from)"
    )
    load(apps, schema_editor)


def load(apps, schema_editor=None):
    from dangvu.dossiers import defaults as d

    OrgType = apps.get_model("organizations", "OrgType")
    Catalogue = apps.get_model("dossiers", "Catalogue")
    DossierType = apps.get_model("dossiers", "DossierType")
    for org_type in OrgType.objects.filter(code__in=d.FAMILIES):
        cat, created = Catalogue.objects.get_or_create(
            org_type=org_type, year=d.YEAR, defaults={"note": d.NOTE}
        )
        if not created:
            continue
        DossierType.objects.bulk_create(
            DossierType(catalogue=cat, code=code, name=name, field=field, keeping=keeping, required_meta=meta,
                        link_kind=link, form=form, retention=keep, position=i * 10)
            for i, (code, name, field, keeping, meta, link, form, keep, _) in enumerate(
                d.types_of(d.FAMILIES[org_type.code])
            )
        )  # fmt: skip


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS dossier_path_year_idx")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial"), ("organizations", "0003_org_types")]
    operations = [migrations.RunPython(create, drop)]
