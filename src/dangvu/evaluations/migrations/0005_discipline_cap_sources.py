"""What discipline in the period caps a member at, with the text each version rests on (issue #20): a source for
each dated version of "evaluations.levels", and whether a verified text gives it.

- 2018–2023 (QĐ 132-QĐ/TW, HD 21-HD/BTCTW 2019): a member disciplined within the year is classed "not completing
  tasks" (KHTNV), one violation counted once. Quoted by the guides of HD 21 [secondary: the guide's text was not
  retrieved here].
- 2023–2025 (QĐ 124-QĐ/TW, HD 25-HD/BTCTW 2023): the same criterion in the KHTNV frame ("bị thi hành kỷ luật trong
  năm, một vi phạm chỉ xem xét một lần") [secondary].
- From 30/8/2025 (QĐ 366-QĐ/TW, HD 43-HD/BTCTW): the rule set caps such a member at "completing tasks" (HTNV);
  **no text was found for it** — marked uncertain, for an officer to correct in the rule set.
"""

from django.db import migrations

SOURCES = {
    "2018-03-08": (True, "HD 21-HD/BTCTW (2019) hướng dẫn QĐ 132-QĐ/TW: đảng viên bị thi hành kỷ luật trong năm xếp "
                         "loại không hoàn thành nhiệm vụ (một vi phạm chỉ tính một lần) [nguồn thứ cấp]"),
    "2023-10-04": (True, "QĐ 124-QĐ/TW (2023), HD 25-HD/BTCTW (2023): khung tiêu chí mức không hoàn thành nhiệm vụ — "
                         "bị thi hành kỷ luật trong năm (một vi phạm chỉ xem xét một lần) [nguồn thứ cấp]"),
    "2025-08-30": (False, "Chưa tìm thấy văn bản: QĐ 366-QĐ/TW, HD 43-HD/BTCTW không được đối chiếu; mức trần "
                          "«hoàn thành nhiệm vụ» là tham số cần cán bộ kiểm tra lại"),
}


def forward(apps, schema_editor):
    RuleSet = apps.get_model("core", "RuleSet")
    for rs in RuleSet.objects.filter(domain="evaluations.levels"):
        certain, text = SOURCES.get(rs.valid_from.isoformat(), (False, "Chưa có căn cứ cho mức trần do kỷ luật"))
        rs.params = {**rs.params, "discipline_cap_source": text, "discipline_cap_certain": certain,
                     "discipline_counts_once": True}
        rs.save()


def backward(apps, schema_editor):
    RuleSet = apps.get_model("core", "RuleSet")
    for rs in RuleSet.objects.filter(domain="evaluations.levels"):
        for k in ("discipline_cap_source", "discipline_cap_certain", "discipline_counts_once"):
            rs.params.pop(k, None)
        rs.save()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0004_admissions_target"), ("core", "0009_document_format")]
    operations = [migrations.RunPython(forward, backward)]
