"""The rule parameters the member registry checks, as dated versions (see core.rules)."""

import datetime as dt

from django.db import migrations

RULES = [
    (
        "members.admission",
        dt.date(1930, 2, 3),
        {"min_age_years": 18, "max_age_years": 60, "probation_months": 12},
        "Điều lệ Đảng, Điều 4–5; QĐ 29-QĐ/TW (2016), QĐ 24-QĐ/TW (2021), QĐ 294-QĐ/TW (2025)",
    ),
    (
        "members.transfer",
        dt.date(2016, 7, 25),
        {
            "start_within_working_days": 60,
            "present_within_working_days": 30,
            "temporary_min_months": 3,
            "temporary_max_months": 12,
            "study_min_months": 3,
            "study_max_months": 24,
        },
        "QĐ 29-QĐ/TW §6.3 (2016), QĐ 24-QĐ/TW §6.3 (2021), QĐ 294-QĐ/TW §6.3.1.a (2025)",
    ),
    (
        "members.committee",
        dt.date(1930, 2, 3),
        {"cell_committee_min_official": 9, "cell_committee_max": 7},
        "Điều lệ Đảng, Điều 24; QĐ 294-QĐ/TW",
    ),
]


def load(apps, schema_editor):
    RuleSet = apps.get_model("core", "RuleSet")
    for domain, valid_from, params, source in RULES:
        RuleSet.objects.update_or_create(
            domain=domain, valid_from=valid_from, defaults={"params": params, "source": source}
        )


def unload(apps, schema_editor):
    RuleSet = apps.get_model("core", "RuleSet")
    for domain, valid_from, _, _ in RULES:
        RuleSet.objects.filter(domain=domain, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_ruleset")]
    operations = [migrations.RunPython(load, unload)]
