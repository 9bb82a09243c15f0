"""The layout of Party documents as dated rules (`documents.format`), so each document is printed by the layout
in force on its date: HD 36-HD/VPTW (2018) today; the 2026 guidance is added as a new version once its text is
confirmed. The margins are the values in common use [uncertain: HD 36's own table was not retrieved]."""

import datetime as dt

from django.db import migrations

FORMAT_2018 = {
    "paper": "A4",
    "margins_cm": {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5},
    "font": "Times New Roman",
    "body_pt": 14,
    "superior_pt": 14,
    "issuer_pt": 14,
    "party_pt": 15,
    "type_pt": 16,
    "subject_pt": 14,
    "place_date_pt": 14,
    "header_columns_cm": [6.5, 10.0],  # the issuer's column, then the Party's and the place-and-date line's
    "uncertain": ["margins_cm"],
}


def load(apps, schema_editor):
    RuleSet = apps.get_model("core", "RuleSet")
    RuleSet.objects.update_or_create(
        domain="documents.format", valid_from=dt.date(2018, 4, 3),
        defaults={"params": FORMAT_2018,
                  "source": "HD 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương Đảng (thể thức, kỹ thuật trình "
                            "bày văn bản); lề trang theo giá trị thường dùng, chưa đối chiếu bảng của HD 36"},
    )  # fmt: skip


def unload(apps, schema_editor):
    apps.get_model("core", "RuleSet").objects.filter(domain="documents.format").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0008_calendar_day")]

    operations = [migrations.RunPython(load, unload)]
