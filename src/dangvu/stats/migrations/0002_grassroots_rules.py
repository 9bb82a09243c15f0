"""Committee members at the grassroots as dated data (`RuleSet` domain "stats.grassroots").

Source (../shared/domain/rules-2026.md §6): no national count was found. Kon Tum QĐ 776-QĐ/TU (2023): provincial
committee members attend residential cells' meetings at least 2 times a year, commune committee members at least
6; a commune committee member who belongs to a residential cell is assigned to another one [verified]. Modelled as
the committee's organisation type × yearly minimum × the residential cells' types; a province adopting its own
rule adds a version (or edits the minimums) in the admin.
"""

import datetime as dt

from django.db import migrations

SOURCE = "QĐ 776-QĐ/TU (2023) của Tỉnh ủy Kon Tum: tỉnh ủy viên ít nhất 2 lần/năm, cấp ủy viên xã ít nhất 6 lần/năm"
RULES = {
    "minimums": {"tinh": 2, "xa": 6, "dbcs-xa": 6},
    "residential_types": ["cbcs-thon", "cbtt-thon"],
    "source": SOURCE,
}


def load(apps, schema_editor=None):
    apps.get_model("core", "RuleSet").objects.update_or_create(
        domain="stats.grassroots", valid_from=dt.date(2023, 1, 1), defaults={"params": RULES, "source": SOURCE})


def unload(apps, schema_editor):
    apps.get_model("core", "RuleSet").objects.filter(domain="stats.grassroots").delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial"), ("core", "0010_ocr_copy")]
    operations = [migrations.RunPython(load, unload)]
