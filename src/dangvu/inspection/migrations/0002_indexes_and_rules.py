"""The subtree indexes (varchar_pattern_ops on PostgreSQL, for LIKE 'prefix%') and the discipline rules as dated
versions (`RuleSet` domain "inspection.discipline", read by `inspection.rules`).

Sources (../shared/domain/rules.md §4.5, rules-2026.md §2):
- Forms for members and organisations, a cell's power (reprimand, warning of its own members), effect on
  announcement, deferral, the hearing, the 30-day appeal: QĐ 296-QĐ/TW (30/5/2025) Art. 8, 9, 10.1.1, 12, 15.2,
  25.1 [verified through the quiz and news excerpts cited in rules.md].
- Limitation: 5 years (reprimand-level), 10 years (warning or removal), none (expulsion-level and the listed
  categories); a new violation restarts it: QĐ 102-QĐ/TW (2017) Art. 3, kept by QĐ 69-QĐ/TW (2022); for
  organisations counted from the act, a continuing violation from its end (QĐ 07-QĐi/TW 2018) [verified].
- Outside bodies notify the Party organisation within 5 days: QĐ 296 [verified, quanlynhanuoc.vn].
- Votes: expulsion needs at least two thirds of the members of the deciding organisation, other forms more than
  half (Điều lệ Đảng, Art. 39) [secondary].
- Uncertain, kept as parameters for an officer to correct: the days to answer an appeal and to settle a
  denunciation or a complaint; which forms a grassroots committee decides without delegation; whether a member's
  continuing violation counts from its start (the rules found say "from the act").
"""

import datetime as dt

from django.db import migrations

INDEXES = [
    ("inspection_programme_path_idx", "inspection_programme", "org_path", "year"),
    ("inspection_item_path_idx", "inspection_item", "org_path", "due_on"),
    ("inspection_item_subject_idx", "inspection_item", "subject_path", "due_on"),
    ("inspection_inspection_path_idx", "inspection_inspection", "org_path", "decided_on"),
    ("inspection_inspection_subject_idx", "inspection_inspection", "subject_path", "decided_on"),
    ("inspection_discipline_path_idx", "inspection_discipline", "org_path", "announced_on"),
    ("inspection_discipline_subject_idx", "inspection_discipline", "subject_path", "announced_on"),
    ("inspection_appeal_path_idx", "inspection_appeal", "org_path", "answer_due"),
    ("inspection_notice_path_idx", "inspection_notice", "org_path", "received_on"),
    ("inspection_complaint_path_idx", "inspection_complaint", "org_path", "received_on"),
]

ALL_MEMBER = ["reprimand", "warning", "removal", "expulsion"]
COMMON = {
    "limitation_years": {"reprimand": 5, "warning": 10, "expulsion": None, "unlimited": None},
    "continuing_from": {"member": "start", "organisation": "end"},
    "restart_on_new": True,
    "appeal_days": 30,
    "appeal_answer_days": 90,
    "notice_days": 5,
    "votes": {"expulsion": [2, 3, "at_least"], "other": [1, 2, "more_than"]},
    "powers": {
        "cell": {"member": ["reprimand", "warning"]},
        "grassroots": {"member": ["reprimand", "warning", "removal"], "organisation": ["reprimand", "warning"]},
        "superior": {"member": ALL_MEMBER, "organisation": ["reprimand", "warning", "dissolution"]},
    },
    "probationary_forms": ["reprimand", "warning"],
    "complaint_days": {"denunciation": 90, "complaint": 90},
    "uncertain": ["appeal_answer_days", "complaint_days", "powers.grassroots", "continuing_from.member"],
}
RULES = [
    (dt.date(2022, 7, 6), COMMON,
     "QĐ 69-QĐ/TW (06/7/2022) về kỷ luật tổ chức đảng, đảng viên vi phạm (thời hiệu 5/10 năm, không áp dụng; tính "
     "lại khi có vi phạm mới); QĐ 22-QĐ/TW (2021) về kiểm tra, giám sát, khiếu nại; Điều lệ Đảng Điều 39 (biểu "
     "quyết); QĐ 07-QĐi/TW (2018) (tổ chức: vi phạm kéo dài tính từ khi chấm dứt). Chưa xác minh: hạn giải quyết "
     "khiếu nại, tố cáo."),
    (dt.date(2025, 5, 30), COMMON,
     "QĐ 296-QĐ/TW (30/5/2025): Điều 8 (chưa xem xét kỷ luật), Điều 9 (hình thức), Điều 10.1.1 (chi bộ khiển "
     "trách, cảnh cáo), Điều 12 (nghe đảng viên trình bày), Điều 15.2 (hiệu lực khi công bố), Điều 25.1 (khiếu nại "
     "30 ngày); thông báo của cơ quan ngoài Đảng trong 5 ngày. Chưa xác minh: hạn giải quyết khiếu nại, tố cáo; "
     "thẩm quyền khai trừ của đảng ủy cơ sở."),
]


def load(apps, schema_editor=None):
    RuleSet = apps.get_model("core", "RuleSet")
    for valid_from, params, source in RULES:
        RuleSet.objects.update_or_create(domain="inspection.discipline", valid_from=valid_from,
                                         defaults={"params": params, "source": source[:500]})  # fmt: skip


def create(apps, schema_editor):
    ops = " varchar_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    for name, table, path, other in INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({path}{ops}, {other})")
    load(apps, schema_editor)


def drop(apps, schema_editor):
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    apps.get_model("core", "RuleSet").objects.filter(domain="inspection.discipline").delete()


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_initial"), ("core", "0009_document_format")]
    operations = [migrations.RunPython(create, drop)]
