"""The demo province, built only through the lifecycle services, so its history is real history.

Modelled on the seed articles: the Văn Bàn district committee (58 organisations directly under it, 342 cells
under its grassroots committees) existed until 30/06/2025 and was restructured on 01/07/2025 into new commune
committees directly under the province; the provincial People's Committee office committee has 7 cells.
Place names are real communes of Văn Bàn; village names and the grouping into new communes are illustrative.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth import get_user_model

from dangvu.core.text import search_key

from .holdings import holdings
from .models import Organisation, OrgType
from .services import (
    Decision,
    NewOrg,
    org_dissolve,
    org_establish,
    org_merge,
    org_move,
    org_rename,
    org_split,
)

PROVINCE = "LCA"
DISTRICT = "LCA-VB"
FOUNDED = dt.date(1991, 10, 1)
RESTRUCTURED = dt.date(2025, 7, 1)
ISSUER = "Ban Thường vụ Tỉnh ủy Lào Cai"

# Old communes (đảng bộ cơ sở xã) of Văn Bàn, grouped into the new communes of 01/07/2025.
NEW_COMMUNES = {
    "Khánh Yên": ["Thị trấn Khánh Yên", "Khánh Yên Hạ", "Khánh Yên Trung"],
    "Văn Bàn": ["Làng Giàng", "Hòa Mạc", "Khánh Yên Thượng"],
    "Võ Lao": ["Võ Lao", "Sơn Thủy", "Văn Sơn"],
    "Dương Quỳ": ["Dương Quỳ", "Thẩm Dương"],
    "Chiềng Ken": ["Chiềng Ken", "Liêm Phú", "Nậm Tha"],
    "Minh Lương": ["Minh Lương", "Nậm Xây"],
    "Nậm Chày": ["Nậm Chày", "Nậm Mả"],
    "Nậm Xé": ["Nậm Xé", "Dần Thàng"],
    "Tân An": ["Tân An", "Tân Thượng", "Nậm Dạng"],
}
VILLAGE_PARTS_A = [
    "Nà",
    "Khe",
    "Bản",
    "Làng",
    "Nậm",
    "Tồng",
    "Pá",
    "Mường",
    "Tân",
    "Minh",
    "Phú",
    "Đồng",
    "Hợp",
]
VILLAGE_PARTS_B = [
    "Lộc",
    "Bàn",
    "Tằng",
    "Chưng",
    "Hải",
    "Văn",
    "Bó",
    "Đét",
    "Cóc",
    "Thành",
    "Tiến",
    "Xuân",
    "Hòa",
    "Mới",
    "Lếch",
    "Pồng",
    "Kháo",
    "Dền",
    "Ún",
    "Sài",
]
# Grassroots committees of agencies and units under the district, with their subordinate cells (66 in all).
DISTRICT_COMMITTEES = [
    (
        "CQ-UBND",
        "Đảng bộ Cơ quan Ủy ban nhân dân huyện Văn Bàn",
        "dbcs-co-quan",
        "cbtt-co-quan",
        [
            "Văn phòng HĐND và UBND",
            "Phòng Tài chính – Kế hoạch",
            "Phòng Nội vụ",
            "Phòng Nông nghiệp",
            "Phòng Tư pháp",
            "Phòng Văn hóa – Thông tin",
            "Phòng Tài nguyên và Môi trường",
            "Phòng Kinh tế – Hạ tầng",
            "Phòng Lao động – Thương binh và Xã hội",
            "Thanh tra huyện",
            "Phòng Dân tộc",
            "Ban Quản lý dự án",
        ],
    ),
    (
        "CQ-DANG",
        "Đảng bộ Cơ quan Huyện ủy Văn Bàn",
        "dbcs-co-quan",
        "cbtt-co-quan",
        [
            "Văn phòng Huyện ủy",
            "Ban Tổ chức",
            "Ban Tuyên giáo",
            "Ủy ban Kiểm tra",
            "Ban Dân vận",
            "Trung tâm Chính trị",
            "Khối Mặt trận và đoàn thể",
            "Hội Nông dân",
            "Hội Liên hiệp Phụ nữ",
            "Huyện đoàn",
        ],
    ),
    (
        "CA",
        "Đảng bộ Công an huyện Văn Bàn",
        "dbcs-lltvt",
        "cbtt-lltvt",
        [
            "Đội Tổng hợp",
            "Đội Cảnh sát hình sự",
            "Đội Cảnh sát giao thông",
            "Đội An ninh",
            "Đội Cảnh sát quản lý hành chính",
            "Đội Điều tra",
            "Công an thị trấn Khánh Yên",
            "Công an xã Võ Lao",
            "Công an xã Dương Quỳ",
            "Công an xã Chiềng Ken",
            "Công an xã Minh Lương",
            "Công an xã Nậm Chày",
        ],
    ),
    (
        "QS",
        "Đảng bộ Quân sự huyện Văn Bàn",
        "dbcs-lltvt",
        "cbtt-lltvt",
        [
            "Ban Tham mưu",
            "Ban Chính trị",
            "Ban Hậu cần – Kỹ thuật",
            "Trung đội Cơ động",
            "Ban Chỉ huy quân sự cụm xã",
        ],
    ),
    (
        "YTE",
        "Đảng bộ Trung tâm Y tế huyện Văn Bàn",
        "dbcs-su-nghiep",
        "cbtt-su-nghiep",
        [
            "Khoa Khám bệnh",
            "Khoa Nội",
            "Khoa Ngoại – Sản",
            "Khoa Y tế công cộng",
            "Khoa Dược",
            "Phòng Tổ chức – Hành chính",
            "Trạm Y tế Khánh Yên",
            "Trạm Y tế Võ Lao",
            "Trạm Y tế Dương Quỳ",
            "Trạm Y tế Minh Lương",
            "Trạm Y tế Nậm Chày",
            "Trạm Y tế Chiềng Ken",
            "Trạm Y tế Nậm Xé",
        ],
    ),
    (
        "THPT1",
        "Đảng bộ Trường THPT số 1 Văn Bàn",
        "dbcs-su-nghiep",
        "cbtt-su-nghiep",
        [
            "Tổ Toán – Tin",
            "Tổ Ngữ văn",
            "Tổ Khoa học tự nhiên",
            "Tổ Khoa học xã hội",
            "Tổ Ngoại ngữ",
            "Tổ Văn phòng",
            "Tổ Thể dục – Quốc phòng",
            "Tổ Hóa – Sinh",
            "Tổ Lý – Công nghệ",
            "Tổ Sử – Địa – GDCD",
            "Tổ Chủ nhiệm",
            "Tổ Nội trú",
            "Tổ Chuyên môn tổng hợp",
            "Tổ Kỹ năng",
        ],
    ),
]
DISTRICT_CELLS = [  # grassroots cells (chi bộ cơ sở) directly under the district: 29
    ("cbcs-su-nghiep", f"Chi bộ Trường {school}")
    for school in [
        "THPT số 2 Văn Bàn",
        "THPT số 3 Văn Bàn",
        "THPT số 4 Văn Bàn",
        "PTDTNT THCS và THPT Văn Bàn",
        "THCS Khánh Yên",
        "THCS Võ Lao",
        "THCS Dương Quỳ",
        "THCS Chiềng Ken",
        "THCS Minh Lương",
        "THCS Nậm Chày",
        "TH số 1 Khánh Yên",
        "TH Võ Lao",
        "TH Sơn Thủy",
        "TH Nậm Xé",
        "Mầm non Hoa Hồng",
        "Mầm non Võ Lao",
    ]
] + [
    ("cbcs-co-quan", "Chi bộ Tòa án nhân dân huyện"),
    ("cbcs-co-quan", "Chi bộ Viện Kiểm sát nhân dân huyện"),
    ("cbcs-co-quan", "Chi bộ Chi cục Thi hành án dân sự"),
    ("cbcs-co-quan", "Chi bộ Chi cục Thuế khu vực"),
    ("cbcs-co-quan", "Chi bộ Kho bạc Nhà nước huyện"),
    ("cbcs-co-quan", "Chi bộ Bảo hiểm xã hội huyện"),
    ("cbcs-co-quan", "Chi bộ Ngân hàng Chính sách xã hội huyện"),
    ("cbcs-co-quan", "Chi bộ Hạt Kiểm lâm"),
    ("cbcs-su-nghiep", "Chi bộ Trung tâm Văn hóa, Thể thao và Truyền thông"),
    ("cbcs-su-nghiep", "Chi bộ Trung tâm Giáo dục nghề nghiệp – GDTX"),
    ("cbcs-doanh-nghiep", "Chi bộ Công ty Điện lực Văn Bàn"),
    ("cbcs-doanh-nghiep", "Chi bộ Bưu điện huyện"),
    ("cbcs-doanh-nghiep", "Chi bộ Công ty TNHH MTV Lâm nghiệp Văn Bàn"),
]
UBND_OFFICE_CELLS = [
    "Phòng Tổng hợp",
    "Phòng Kinh tế ngành",
    "Phòng Khoa giáo – Văn xã",
    "Phòng Nội chính",
    "Phòng Hành chính – Tổ chức",
    "Phòng Quản trị – Tài vụ",
    "Trung tâm Phục vụ hành chính công",
]


def _code(*parts: str) -> str:
    return "-".join(p if p.isupper() else search_key(p).replace(" ", "").upper() for p in parts)[:32]


def _village_pool(rng: random.Random) -> list[str]:
    """Every village name once, in a deterministic shuffled order (communes merge, names must stay distinct)."""
    pool = [f"{a} {b}" for a in VILLAGE_PARTS_A for b in VILLAGE_PARTS_B]
    rng.shuffle(pool)
    pool += [f"{name} {n}" for n in range(2, 10) for name in pool]  # "Nà Lộc 2": more than enough
    return pool


def system_user():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="he-thong", defaults={"is_superuser": True, "is_staff": False, "first_name": "Hệ thống"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def seed_organisations(
    *, villages_per_commune: tuple[int, int] | None = None, before_history: Callable | None = None
) -> dict:
    """Build the demo tree (idempotent: does nothing if the province exists). Returns what it built.

    `before_history(by, cells)` is called once the tree of 1991 stands, with the cells the later history
    changes, so what they hold (members) is carried through the merge and split by the lifecycle services."""
    if Organisation.objects.filter(code=PROVINCE).exists():
        return {"skipped": True}
    by = system_user()
    rng = random.Random(2025)  # deterministic  # noqa: S311
    T = {t.code: t for t in OrgType.objects.all()}
    n_decision = iter(range(100, 10_000))

    def decision(on: dt.date, issuer: str = ISSUER, kind: str = "QĐ", issuer_code: str = "TU") -> Decision:
        return Decision(f"{next(n_decision)}-{kind}/{issuer_code}", on, issuer)

    def establish(code, name, type_code, parent, on=FOUNDED, issuer_code="TU"):
        return org_establish(
            by=by,
            spec=NewOrg(code, name, T[type_code], parent),
            decision=decision(on, issuer_code=issuer_code),
        )

    province = establish(PROVINCE, "Đảng bộ tỉnh Lào Cai", "tinh", None)
    district = establish(DISTRICT, "Đảng bộ huyện Văn Bàn", "huyen", province)

    # 23 commune grassroots committees with their village cells: 276 cells.
    old_communes: dict[str, Organisation] = {}
    all_old = [c for group in NEW_COMMUNES.values() for c in group]
    village_counts = [12] * len(all_old)
    villages = iter(_village_pool(rng))
    for name, count in zip(all_old, village_counts, strict=True):
        label = name if name.startswith("Thị trấn") else f"xã {name}"
        commune = establish(_code(DISTRICT, name), f"Đảng bộ {label}", "dbcs-xa", district, issuer_code="HU")
        old_communes[name] = commune
        for i in range(1, count + 1):
            village = next(villages)
            establish(
                _code(commune.code, f"{i:02d}"),
                f"Chi bộ thôn {village}",
                "cbtt-thon",
                commune,
                issuer_code="HU",
            )
    # Agency and unit committees with their subordinate cells: 66 cells.
    for short, name, type_code, cell_type, cells in DISTRICT_COMMITTEES:
        committee = establish(_code(DISTRICT, short), name, type_code, district, issuer_code="HU")
        for i, cell in enumerate(cells, start=1):
            establish(
                _code(committee.code, f"{i:02d}"), f"Chi bộ {cell}", cell_type, committee, issuer_code="HU"
            )
    # Grassroots cells directly under the district: 29. 23 + 6 + 29 = 58 organisations directly under it.
    for i, (type_code, name) in enumerate(DISTRICT_CELLS, start=1):
        establish(_code(DISTRICT, f"CB{i:02d}"), name, type_code, district, issuer_code="HU")

    # A little history before the reform: a village cell renamed, two merged, one split.
    ky = old_communes["Thị trấn Khánh Yên"]
    v1, v2, v3, v4 = list(ky.children.order_by("code"))[:4]
    if before_history is not None:
        before_history(by, [v1, v2, v3, v4])
    org_rename(
        by=by,
        org=v1,
        new_name="Chi bộ tổ dân phố số 1",
        decision=decision(dt.date(2019, 3, 15), issuer_code="HU"),
    )
    org_merge(
        by=by,
        sources=[v2, v3],
        new_target=NewOrg(_code(ky.code, "13"), "Chi bộ tổ dân phố số 2", T["cbtt-thon"], ky),
        decision=decision(dt.date(2020, 1, 1), issuer_code="HU"),
    )
    org_split(
        by=by,
        source=v4,
        targets=[
            NewOrg(_code(ky.code, "14"), f"{v4.name} 1", T["cbtt-thon"]),
            NewOrg(_code(ky.code, "15"), f"{v4.name} 2", T["cbtt-thon"]),
        ],
        assignment={},
        held_assignment={h.field: {k: i % 2 for i, (k, _) in enumerate(h.items(v4))} for h in holdings()},
        decision=decision(dt.date(2021, 6, 1), issuer_code="HU"),
    )

    # Provincial agency committee: the People's Committee office, 7 cells.
    bloc = establish(
        _code(PROVINCE, "UBND"), "Đảng bộ Ủy ban nhân dân tỉnh Lào Cai", "khoi-truc-thuoc-tinh", province
    )
    office = establish(
        _code(PROVINCE, "VPUBND"), "Đảng bộ Văn phòng Ủy ban nhân dân tỉnh", "dbcs-co-quan", bloc
    )
    for i, cell in enumerate(UBND_OFFICE_CELLS, start=1):
        establish(_code(office.code, f"{i:02d}"), f"Chi bộ {cell}", "cbtt-co-quan", office)

    # 01/07/2025: the district is abolished. Old communes merge into new commune committees under the province;
    # the district's agency organisations move to the commune where they sit; the district is dissolved.
    reform = decision(RESTRUCTURED)
    new_communes: dict[str, Organisation] = {}
    for new_name, olds in NEW_COMMUNES.items():
        event = org_merge(
            by=by,
            sources=[old_communes[o] for o in olds],
            decision=reform,
            new_target=NewOrg(_code(PROVINCE, new_name), f"Đảng bộ xã {new_name}", T["xa"], province),
        )
        new_communes[new_name] = Organisation.objects.get(code=event.details["target"])
    seat = new_communes["Khánh Yên"]
    for org in list(district.children.filter(closed_on__isnull=True).order_by("code")):
        org_move(by=by, org=org, new_parent=seat, decision=reform)
    district.refresh_from_db()
    org_dissolve(by=by, org=district, decision=reform)
    return {"skipped": False, "organisations": Organisation.objects.count()}
