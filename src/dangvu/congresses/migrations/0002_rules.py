"""Who is elected, as dated versions (`RuleSet` domain "congresses.election").

Sources: the Party's election rules (Quy chế bầu cử trong Đảng) as the issue and rules.md §1.1 state them — a
candidate is elected with more than half of the valid ballots, the seats then filled by votes from the highest;
a tie at the last seat is left for another ballot [uncertain: article numbers not checked against the text]; a cell
with fewer than 9 official members elects only a secretary and a deputy (QĐ 294-QĐ/TW, rule set
"members.committee"); with no secretary elected after the third ballot the superior committee appoints one
(rules.md §1.1) [verified].
"""

import datetime as dt

from django.db import migrations

RULES = {"elect": [1, 2, True], "base": "valid", "max_rounds": 3}
SOURCE = ("Quy chế bầu cử trong Đảng: trúng cử khi được quá một nửa số phiếu hợp lệ, lấy theo số phiếu từ cao xuống "
          "trong số lượng cần bầu; QĐ 294-QĐ/TW: bầu bí thư tối đa ba lần")


def load(apps, schema_editor=None):
    apps.get_model("core", "RuleSet").objects.update_or_create(
        domain="congresses.election", valid_from=dt.date(1930, 2, 3), defaults={"params": RULES, "source": SOURCE}
    )


def unload(apps, schema_editor):
    apps.get_model("core", "RuleSet").objects.filter(domain="congresses.election").delete()


class Migration(migrations.Migration):
    dependencies = [("congresses", "0001_initial"), ("core", "0010_ocr_copy")]
    operations = [migrations.RunPython(load, unload)]
