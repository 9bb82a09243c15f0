"""The range-scan index for subtree rollups, and the evaluation rules as dated versions (see core.rules).

Sources: ../shared/domain/rules.md §2. QĐ 132-QĐ/TW (08/3/2018) with HD 21-HD/BTCTW (2019) and QĐ 124-QĐ/TW
(04/10/2023) with HD 25-HD/BTCTW (10/11/2023) classify by the four levels without a score scale; QĐ 366-QĐ/TW
(30/8/2025) with HD 43-HD/BTCTW (31/10/2025) scores on 100 points. The cap on "excellent" (20% of those rated
good, per grassroots organisation) is documented for HD 21; for QĐ 366 it was not retrieved and is kept at 20%
as a parameter. A review is judged by the version in force on the last day of its period.
"""

import datetime as dt

from django.db import migrations

COMMON = {
    "excellent_cap_pct": 20,
    "cap_base": ["good"],
    "org_discipline_cap": "good",
    "outside_org_types": ["cbtt-thon", "cbcs-thon"],
}
RULES = [
    (
        dt.date(2018, 3, 8),
        dict(
            COMMON,
            scored=False,
            bands=[],
            excellent_min_exceeding_pct=None,
            discipline_cap="not_completed",
            member_forms=["2A", "2B"],
            form_codes={"01": "Mẫu 01-HD KĐ.ĐG", "2A": "Mẫu 02-HD KĐ.ĐG", "2B": "Mẫu 02-HD KĐ.ĐG"},
        ),
        "QĐ 132-QĐ/TW (08/3/2018); HD 21-HD/BTCTW (2019): bốn mức, không chấm điểm; HTXSNV không quá 20% số "
        "HTTNV trong mỗi tổ chức cơ sở đảng; bị thi hành kỷ luật trong năm: không hoàn thành nhiệm vụ",
    ),
    (
        dt.date(2023, 10, 4),
        dict(
            COMMON,
            scored=False,
            bands=[],
            excellent_min_exceeding_pct=None,
            discipline_cap="not_completed",
            member_forms=["2A", "2B"],
            form_codes={
                "01": "Mẫu 01-HD KĐ.ĐG 2023",
                "2A": "Mẫu 02A-HD KĐ.ĐG 2023",
                "2B": "Mẫu 02B-HD KĐ.ĐG 2023",
            },
        ),
        "QĐ 124-QĐ/TW (04/10/2023); HD 25-HD/BTCTW (10/11/2023): bốn mức, không chấm điểm",
    ),
    (
        dt.date(2025, 8, 30),
        dict(
            COMMON,
            scored=True,
            bands=[[90, "excellent"], [70, "good"], [50, "completed"]],
            excellent_min_exceeding_pct=30,
            discipline_cap="completed",
            member_forms=["2A", "2B", "2C"],
            form_codes={
                "01": "Mẫu 01-HD KĐ.ĐG 2025",
                "2A": "Mẫu 2A-HD KĐ.ĐG 2025",
                "2B": "Mẫu 2B-HD KĐ.ĐG 2025",
                "2C": "Mẫu 2C-HD KĐ.ĐG 2025",
            },
        ),
        "QĐ 366-QĐ/TW (30/8/2025), Điều 11; HD 43-HD/BTCTW (31/10/2025): thang 100 điểm; ≥ 90 HTXSNV (ít nhất "
        "30% nhiệm vụ vượt yêu cầu), 70–<90 HTTNV, 50–<70 HTNV, < 50 KHTNV; tỷ lệ HTXSNV là tham số (20%)",
    ),
]


def create(apps, schema_editor):
    ops = " varchar_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX review_path_year_idx ON evaluations_review (org_path{ops}, year, period)"
    )
    schema_editor.execute(
        f"CREATE INDEX registration_path_year_idx ON evaluations_registration (org_path{ops}, year)"
    )
    schema_editor.execute(
        f"CREATE INDEX commitment_path_year_idx ON evaluations_commitment (org_path{ops}, year)"
    )
    load(apps, schema_editor)


def load(apps, schema_editor=None):
    RuleSet = apps.get_model("core", "RuleSet")
    for valid_from, params, source in RULES:
        RuleSet.objects.update_or_create(
            domain="evaluations.levels", valid_from=valid_from, defaults={"params": params, "source": source}
        )


def drop(apps, schema_editor):
    for name in ("review_path_year_idx", "registration_path_year_idx", "commitment_path_year_idx"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    apps.get_model("core", "RuleSet").objects.filter(domain="evaluations.levels").delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial"), ("core", "0002_ruleset")]
    operations = [migrations.RunPython(create, drop)]
