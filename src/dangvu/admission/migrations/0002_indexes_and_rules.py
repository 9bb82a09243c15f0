"""The subtree index of the cases (varchar_pattern_ops on PostgreSQL, for LIKE 'prefix%'), and the admission
pipeline's parameters added to every version of the "members.admission" rules (they have not changed since the
guides below: the same figures are read for any date)."""

from django.db import migrations

INDEX = ("admission_case_path_idx", "admission_case", "org_path", "stage")

PIPELINE = {
    "introducers": 2,  # official members who introduce the person (Điều lệ, Điều 4)
    "introducer_months": 12,  # worked, studied or lived together at least this long
    "min_general_education": 9,  # lower-secondary diploma (9/12); QĐ 24 dropped "or equivalent"
    "education_area_exception": True,  # mountain, border, island, ethnic-minority areas: Secretariat guidance
    "course_valid_months": 60,  # the awareness-course certificate (CN-NTVĐ)
    "decision_within_working_days": 60,  # the competent committee decides, from the cell's resolution
    "ceremony_within_working_days": 30,  # the ceremony, from receiving the decision
    "member_cv_within_working_days": 30,  # the Party member's CV and slip, from the ceremony
    "recognition_within_working_days": 30,  # the cell's recognition vote, after the 12 months of probation
    "new_member_course": True,  # the course for new members, completed during probation, before recognition
}
SOURCE = (
    "; HD 06-HD/TW (2025) §3.6–3.7, §5.4 (giấy chứng nhận 60 tháng); QĐ 232-QĐ/TW §4.3.1 (60 ngày làm việc); "
    "QĐ 294-QĐ/TW Điều 5 điểm 4 (lễ kết nạp 30 ngày làm việc); HD 12-HD/BTCTW (2022) §2.2 (lý lịch đảng viên "
    "30 ngày làm việc); Điều lệ Đảng, Điều 5 (xét công nhận trong 30 ngày làm việc sau 12 tháng dự bị; học lớp bồi dưỡng đảng viên mới trong thời gian dự bị)"
)


def load(apps, schema_editor=None):
    RuleSet = apps.get_model("core", "RuleSet")
    for rs in RuleSet.objects.filter(domain="members.admission"):
        rs.params = {**PIPELINE, **rs.params}
        if SOURCE not in rs.source:
            rs.source = (rs.source + SOURCE)[:500]
        rs.save()


def create(apps, schema_editor):
    ops = " varchar_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    name, table, path, other = INDEX
    schema_editor.execute(f"CREATE INDEX {name} ON {table} ({path}{ops}, {other})")
    load(apps, schema_editor)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX[0]}")
    RuleSet = apps.get_model("core", "RuleSet")
    for rs in RuleSet.objects.filter(domain="members.admission"):
        rs.params = {k: v for k, v in rs.params.items() if k not in PIPELINE}
        rs.save()


class Migration(migrations.Migration):
    dependencies = [("admission", "0001_initial"), ("core", "0009_document_format")]
    operations = [migrations.RunPython(create, drop)]
