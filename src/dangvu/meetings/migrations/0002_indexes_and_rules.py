"""Range-scan indexes for subtree rollups, and the meeting rules as dated versions (see core.rules).

On PostgreSQL a LIKE 'prefix%' uses a btree only with varchar_pattern_ops (the database collation is not C).
"""

import datetime as dt

from django.db import migrations

INDEXES = [
    ("meeting_path_date_idx", "meetings_meeting", "org_path", "date"),
    ("report_path_month_idx", "meetings_monthlyreport", "org_path", "month"),
]

QUALITY_2018 = {
    "min_minutes": 90,
    "min_minutes_combined": 90,
    "attendance_above_pct": 85,
    "max_unexcused": 0,
    "max_excused_in_row": 3,
    "minutes_complete": True,
    "docs_days_ahead": None,
    "monitor_notified": False,
    "thematic_per_quarter": 1,
}
QUALITY_2025 = dict(QUALITY_2018, min_minutes_combined=120, docs_days_ahead=1, monitor_notified=True)
RULES = [
    (
        "meetings.quality",
        dt.date(2018, 7, 6),
        QUALITY_2018,
        "HD 12-HD/BTCTW (06/7/2018), tiêu chí khung đánh giá chất lượng sinh hoạt chi bộ",
    ),
    (
        "meetings.quality",
        dt.date(2025, 10, 28),
        QUALITY_2025,
        "Chỉ thị 50-CT/TW (23/7/2025); HD 42-HD/BTCTW (28/10/2025): tối thiểu 90 phút, 120 phút khi kết hợp "
        "chuyên đề; tài liệu trước ít nhất 1 ngày; thông báo cấp ủy viên cấp trên theo dõi",
    ),
    (
        "meetings.voting",
        dt.date(1930, 2, 3),
        {
            # [numerator, denominator, strict]: passes when for > n/d × base (strict) or for ≥ n/d × base
            "ordinary": [1, 2, True],
            "admission": [2, 3, False],
            "recognition": [2, 3, False],
            "quorum": [1, 2, True],
        },
        "Điều lệ Đảng, Điều 9(5); QĐ 294-QĐ/TW §9.3.2; HD 06-HD/TW (2025) §3.6.b; tỷ lệ có mặt tối thiểu "
        "(quorum) là tham số, chưa có văn bản gốc",
    ),
]


def create(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for name, table, path, other in INDEXES:
        ops = " varchar_pattern_ops" if pg else ""
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({path}{ops}, {other})")
    load(apps, schema_editor)


def load(apps, schema_editor=None):
    RuleSet = apps.get_model("core", "RuleSet")
    for domain, valid_from, params, source in RULES:
        RuleSet.objects.update_or_create(
            domain=domain, valid_from=valid_from, defaults={"params": params, "source": source}
        )


def drop(apps, schema_editor):
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    RuleSet = apps.get_model("core", "RuleSet")
    for domain, valid_from, _, _ in RULES:
        RuleSet.objects.filter(domain=domain, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial"), ("core", "0005_notification")]
    operations = [migrations.RunPython(create, drop)]
