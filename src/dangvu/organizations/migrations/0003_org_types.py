"""The Vietnamese Party organisation types, as data (a meta-model, editable in the admin).

After 1/7/2025 (Quy định 294-QĐ/TW) there is no district level: commune/ward committees directly under the
province act, as a pilot, as the immediate superior of grassroots organisations. The district type is kept
for history and may not be established after 30/06/2025.
"""

import datetime as dt

from django.db import migrations

C, CELL = "committee", "cell"
# code, name, kind, grassroots, superior_of_grassroots, may_be_root, active_until
TYPES = [
    ("trung-uong", "Đảng bộ Trung ương (Ban Chấp hành Trung ương)", C, False, False, True, None),
    ("tinh", "Đảng bộ tỉnh, thành phố trực thuộc Trung ương", C, False, False, True, None),
    (
        "khoi-truc-thuoc-tinh",
        "Đảng bộ trực thuộc Tỉnh ủy (cơ quan Đảng, Ủy ban nhân dân, khối)",
        C,
        False,
        True,
        False,
        None,
    ),
    (
        "huyen",
        "Đảng bộ huyện, thị xã, thành phố thuộc tỉnh (đến 30/6/2025)",
        C,
        False,
        True,
        False,
        dt.date(2025, 6, 30),
    ),
    ("xa", "Đảng bộ xã, phường, đặc khu", C, False, True, False, None),
    ("dbcs-xa", "Đảng bộ cơ sở xã, thị trấn (trước 1/7/2025)", C, True, False, False, dt.date(2025, 6, 30)),
    ("dbcs-co-quan", "Đảng bộ cơ sở cơ quan", C, True, False, False, None),
    ("dbcs-su-nghiep", "Đảng bộ cơ sở đơn vị sự nghiệp", C, True, False, False, None),
    ("dbcs-doanh-nghiep", "Đảng bộ cơ sở doanh nghiệp", C, True, False, False, None),
    ("dbcs-lltvt", "Đảng bộ cơ sở lực lượng vũ trang", C, True, False, False, None),
    ("dang-uy-bo-phan", "Đảng ủy bộ phận", C, False, False, False, None),
    ("cbcs-co-quan", "Chi bộ cơ sở cơ quan", CELL, True, False, False, None),
    (
        "cbcs-su-nghiep",
        "Chi bộ cơ sở đơn vị sự nghiệp (trường học, trạm y tế…)",
        CELL,
        True,
        False,
        False,
        None,
    ),
    ("cbcs-doanh-nghiep", "Chi bộ cơ sở doanh nghiệp", CELL, True, False, False, None),
    ("cbcs-lltvt", "Chi bộ cơ sở lực lượng vũ trang", CELL, True, False, False, None),
    ("cbcs-thon", "Chi bộ cơ sở thôn, bản, tổ dân phố", CELL, True, False, False, None),
    ("cbtt-thon", "Chi bộ trực thuộc thôn, bản, tổ dân phố", CELL, False, False, False, None),
    ("cbtt-co-quan", "Chi bộ trực thuộc cơ quan", CELL, False, False, False, None),
    (
        "cbtt-su-nghiep",
        "Chi bộ trực thuộc đơn vị sự nghiệp (trường học, trạm y tế…)",
        CELL,
        False,
        False,
        False,
        None,
    ),
    ("cbtt-doanh-nghiep", "Chi bộ trực thuộc doanh nghiệp", CELL, False, False, False, None),
    ("cbtt-lltvt", "Chi bộ trực thuộc lực lượng vũ trang", CELL, False, False, False, None),
]
GRASSROOTS = [
    "dbcs-co-quan",
    "dbcs-su-nghiep",
    "dbcs-doanh-nghiep",
    "dbcs-lltvt",
    "cbcs-co-quan",
    "cbcs-su-nghiep",
    "cbcs-doanh-nghiep",
    "cbcs-lltvt",
]
SUB_CELLS = ["cbtt-thon", "cbtt-co-quan", "cbtt-su-nghiep", "cbtt-doanh-nghiep", "cbtt-lltvt"]
CHILDREN = {
    "trung-uong": ["tinh"],
    "tinh": ["khoi-truc-thuoc-tinh", "huyen", "xa", *GRASSROOTS],
    "khoi-truc-thuoc-tinh": GRASSROOTS,
    "huyen": ["dbcs-xa", "cbcs-thon", *GRASSROOTS],
    # The new commune committee holds grassroots organisations and, directly, the village cells.
    "xa": [*GRASSROOTS, "cbcs-thon", "cbtt-thon", "dang-uy-bo-phan"],
    "dbcs-xa": ["cbtt-thon", "cbtt-co-quan", "cbtt-su-nghiep", "cbtt-lltvt", "dang-uy-bo-phan"],
    "dbcs-co-quan": ["cbtt-co-quan", "cbtt-su-nghiep", "dang-uy-bo-phan"],
    "dbcs-su-nghiep": ["cbtt-su-nghiep", "cbtt-co-quan", "dang-uy-bo-phan"],
    "dbcs-doanh-nghiep": ["cbtt-doanh-nghiep", "dang-uy-bo-phan"],
    "dbcs-lltvt": ["cbtt-lltvt", "dang-uy-bo-phan"],
    "dang-uy-bo-phan": SUB_CELLS,
}


def load(apps, schema_editor):
    OrgType = apps.get_model("organizations", "OrgType")
    by_code = {}
    for pos, (code, name, kind, grassroots, superior, root, until) in enumerate(TYPES):
        by_code[code], _ = OrgType.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind=kind,
                is_grassroots=grassroots,
                superior_of_grassroots=superior,
                may_be_root=root,
                active_until=until,
                position=pos * 10,
            ),
        )
    for parent, children in CHILDREN.items():
        by_code[parent].allowed_children.set([by_code[c] for c in children])


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_subtree_type_index")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
