"""Party dues as dated data (`RuleSet` domain "dues.rates").

Sources (../shared/domain/rules.md §5, rules-2026.md §5):
- QĐ 01-QĐ/TW (03/02/2026), replacing QĐ 342-QĐ/TW (2010): 1% of the salary used for the social-insurance
  contribution of the previous month; 1% of the sick-leave or maternity benefit; 0.5% of a pension; pupils and
  students 5,000 VND a month; exempt: 50 years of Party age or more, social pension, poor or near-poor household,
  critical illness; a reduction of 30, 50 or 70% (or exemption) for up to 12 months; three unpaid months in a year
  without good reason leads to a proposal to strike off [verified].
- Under QĐ 342 a cell under a grassroots committee remitted 70% and kept 30% [QUIZ Q37]; the other ratios (a
  commune grassroots organisation about 90%, others about 50%) are from memory [uncertain]; the ratios under
  QĐ 01 were not found: configuration.
- The fixed sum of other non-insured domestic members was not retrieved [uncertain]; the rounding step is a
  parameter [uncertain]. The QĐ 342 version keeps the same arithmetic with the student and other fixed sums
  marked uncertain.
Each uncertain parameter is listed in "uncertain" and the pages say so.
"""

import datetime as dt

from django.db import migrations

KEEP = {"cell_under_grassroots": 30, "grassroots": 50, "above": 50,
        "by_type": {"dbcs-xa": 90, "trung-uong": 100}}  # fmt: skip
COMMON = {
    "percent": {"insured": [1, 100], "benefit": [1, 100], "pension": [5, 1000]},
    "round_to": 100,
    "exempt_party_years": 50,
    "unpaid_flag_months": 3,
    "relief_percents": [30, 50, 70, 100],
    "relief_max_months": 12,
    "keep": KEEP,
}
V342 = {**COMMON, "fixed": {"student": 2000, "other": 2000},
        "uncertain": ["fixed", "round_to", "exempt_party_years", "keep"]}  # fmt: skip
V01 = {**COMMON, "fixed": {"student": 5000, "other": 5000},
       "uncertain": ["fixed.other", "round_to", "keep"]}  # fmt: skip
S342 = "QĐ 342-QĐ/TW (28/12/2010) về chế độ đảng phí; mức cố định, tỷ lệ trích giữ lại ngoài chi bộ trực thuộc chưa xác minh"
S01 = ("QĐ 01-QĐ/TW (03/02/2026) của Bộ Chính trị về chế độ đảng phí: 1% tiền lương đóng BHXH, 0,5% lương hưu, "
       "học sinh, sinh viên 5.000 đồng; mức của đảng viên khác và tỷ lệ trích giữ lại chưa xác minh")


def load(apps, schema_editor=None):
    RuleSet = apps.get_model("core", "RuleSet")
    for valid_from, params, source in ((dt.date(2011, 1, 1), V342, S342), (dt.date(2026, 2, 3), V01, S01)):
        RuleSet.objects.update_or_create(domain="dues.rates", valid_from=valid_from,
                                         defaults={"params": params, "source": source[:500]})  # fmt: skip


def unload(apps, schema_editor):
    apps.get_model("core", "RuleSet").objects.filter(domain="dues.rates").delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial"), ("core", "0010_ocr_copy")]
    operations = [migrations.RunPython(load, unload)]
