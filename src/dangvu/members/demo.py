"""Demo members for the demo province: realistic names, ethnicities of Văn Bàn, dates that obey the rules.

Village cells get 10–40 members, agency and unit cells 5–30. Profiles are checked by `clean_profile` and
inserted by `bulk_create_members` (the importer's path); a handful of events (exemptions, a death, a
striking-off, temporary and official transfers, recognitions) go through the ordinary services, so their
history is real history. Leadership: each cell has a secretary (and a deputy or a committee, by the size
rule); each new commune committee has a standing committee whose members monitor its cells.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from dangvu.core import audit
from dangvu.core.dates import add_months, today
from dangvu.organizations.models import Organisation, OrgKind

from . import services as svc
from .models import IN_REGISTER, Member, MonitorAssignment, Reason, Seat, SeatRole, Status, Term

KINH_FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2 + [
    "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đoàn", "Trịnh", "Đào", "Mai",
]  # fmt: skip
ETHNIC = {
    # ethnicity: (weight, family names)
    "Kinh": (40, KINH_FAMILY),
    "Tày": (25, ["Hoàng", "Nông", "Lò", "Lường", "Hà", "Vi", "Hoàng", "La"]),
    "Dao": (15, ["Triệu", "Bàn", "Lý", "Đặng", "Phùng", "Chảo"]),
    "Mông": (12, ["Giàng", "Thào", "Vàng", "Sùng", "Lý", "Hầu", "Ma"]),
    "Giáy": (5, ["Lù", "Vương", "Hoàng", "Lục"]),
    "Xa Phó": (3, ["Lò", "Vàng", "Sa"]),
}
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Xuân", "Thanh", "Ngọc", "Trung", "Đình"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Kim", "Hồng", "Minh", "Phương"]
GIVEN_MALE = [
    "An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Dương", "Đức", "Đạt", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng",
    "Huy", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn",
    "Tài", "Thắng", "Thành", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Chiến", "Sáng", "Páo", "Chính",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Ánh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hồng", "Huệ", "Hương",
    "Lan", "Liên", "Linh", "Loan", "Mai", "Ngọc", "Nhung", "Oanh", "Phượng", "Quỳnh", "Thảo", "Thu", "Thủy",
    "Trang", "Tuyết", "Vân", "Xuân", "Yến", "Mỷ", "Sua",
]  # fmt: skip
VILLAGE_JOBS = ["Nông dân", "Nông dân", "Nông dân", "Trưởng thôn", "Cán bộ hưu trí", "Buôn bán", "Giáo viên"]
AGENCY_JOBS = ["Công chức", "Công chức", "Viên chức", "Chuyên viên", "Kế toán", "Giáo viên", "Bác sĩ"]
HOME = ["Văn Bàn, Lào Cai", "Bảo Yên, Lào Cai", "Bảo Thắng, Lào Cai", "Yên Bái", "Phú Thọ", "Thái Bình",
        "Nam Định", "Hà Nội"]  # fmt: skip


def _pick_ethnicity(rng: random.Random) -> str:
    total = sum(w for w, _ in ETHNIC.values())
    r = rng.uniform(0, total)
    for name, (w, _) in ETHNIC.items():
        r -= w
        if r <= 0:
            return name
    return "Kinh"


def _rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


class _Ids:
    def __init__(self):
        self.card = 100_000
        self.cid = 0

    def card_number(self) -> str:
        self.card += 1
        return f"10.{self.card:06d}"

    def citizen_id(self, born: dt.date, sex: str) -> str:
        self.cid += 1
        century = (0 if sex == "nam" else 1) if born.year < 2000 else (2 if sex == "nam" else 3)
        return f"010{century}{born.year % 100:02d}{self.cid:06d}"


def _profile(rng: random.Random, ids: _Ids, *, village: bool, latest_admission: dt.date) -> dict:
    sex = "nam" if rng.random() < 0.62 else "nu"
    ethnicity = _pick_ethnicity(rng)
    family = rng.choice(ETHNIC[ethnicity][1])
    middle = rng.choice(MIDDLE_MALE if sex == "nam" else MIDDLE_FEMALE)
    given = rng.choice(GIVEN_MALE if sex == "nam" else GIVEN_FEMALE)
    born = _rand_date(rng, dt.date(1948, 1, 1), dt.date(2004, 12, 31))
    earliest = dt.date(born.year + 18, born.month, min(born.day, 28)) + dt.timedelta(days=31)
    latest = min(latest_admission, dt.date(born.year + 55, born.month, min(born.day, 28)))
    if earliest > latest:
        born = dt.date(1975, born.month, min(born.day, 28))
        earliest, latest = (
            dt.date(1993, born.month, 28) + dt.timedelta(days=31),
            min(latest_admission, dt.date(2020, 1, 1)),
        )
    admitted = _rand_date(rng, earliest, latest)
    recent = latest_admission - dt.timedelta(days=400)
    if rng.random() < 0.05 and earliest <= recent:
        admitted = _rand_date(rng, recent, latest_admission)  # a few recent admissions: probationary now
    official = None
    due = add_months(admitted, 12)
    if due <= today():
        official = due + dt.timedelta(days=rng.randint(0, 40))
        if official > today():
            official = None
    qualification = rng.choice(
        ["", "", "so-cap", "trung-cap"]
        if village
        else ["dai-hoc", "dai-hoc", "thac-si", "cao-dang", "trung-cap"]
    )
    theory = rng.choice(
        ["", "so-cap", "so-cap"] if village else ["so-cap", "trung-cap", "trung-cap", "cao-cap"]
    )
    return {
        "full_name": f"{family} {middle} {given}",
        "sex": sex,
        "birth_date": born,
        "ethnicity": ethnicity,
        "religion": "Không",
        "home_town": rng.choice(HOME),
        "residence": "",
        "general_education": rng.choice(["9/12", "12/12", "12/12"]) if village else "12/12",
        "qualification": qualification,
        "political_theory": theory,
        "occupation": rng.choice(VILLAGE_JOBS if village else AGENCY_JOBS),
        "occupation_before": rng.choice(VILLAGE_JOBS if village else AGENCY_JOBS),
        "admitted_on": admitted,
        "official_on": official,
        "card_number": ids.card_number() if official else None,
        "citizen_id": ids.citizen_id(born, sex),
        "forces": "",
    }


def _size(rng: random.Random, org: Organisation) -> int:
    return rng.randint(10, 40) if org.type.code in ("cbtt-thon", "cbcs-thon") else rng.randint(5, 30)


def seed_members(
    by,
    cells: list[Organisation],
    *,
    rng: random.Random,
    ids: _Ids,
    latest_admission: dt.date | None = None,
    named: list[str] = (),
) -> int:
    """Members for each cell (in one transaction); `named` full names are given to the first members made."""
    items = []
    names = list(named)
    latest_admission = latest_admission or today() - dt.timedelta(days=30)
    for cell in cells:
        village = cell.type.code in ("cbtt-thon", "cbcs-thon")
        for _ in range(_size(rng, cell)):
            p = _profile(rng, ids, village=village, latest_admission=latest_admission)
            if names:
                p["full_name"] = names.pop(0)
                p["sex"] = "nu" if " Thị " in p["full_name"] else "nam"
            values = svc.clean_profile(p, check_unique=False)
            joined = max(p["admitted_on"], cell.established_on)
            reason = Reason.ADMITTED if joined == p["admitted_on"] else Reason.CREATED
            items.append((svc.Placement(cell, joined_on=joined, reason=reason), values))
    with transaction.atomic():
        return len(svc.bulk_create_members(by, items, action="member.seed"))


def seed_leadership(by, *, rng: random.Random) -> None:
    """Cell secretaries (and deputies or committees), commune standing committees, monitors of cells."""
    cells = list(
        Organisation.objects.filter(closed_on__isnull=True, type__kind=OrgKind.CELL).select_related("type")
    )
    members_by_org: dict[int, list[Member]] = {}
    for m in Member.objects.filter(status__in=IN_REGISTER).order_by("pk"):
        members_by_org.setdefault(m.org_id, []).append(m)
    terms, seats = [], []
    start = dt.date(2025, 5, 15)
    for cell in cells:
        ms = members_by_org.get(cell.pk, [])
        official = [m for m in ms if m.status == Status.OFFICIAL]
        if not official:
            continue
        term = Term(organisation=cell, name="2025–2030", starts_on=max(start, cell.established_on))
        terms.append(term)
        picks = rng.sample(official, k=min(len(official), 5 if len(official) >= 9 else 2))
        roles = [SeatRole.SECRETARY, SeatRole.DEPUTY] + [SeatRole.MEMBER] * 3
        seats.extend((term, cell, m, r) for m, r in zip(picks, roles, strict=False))
    communes = list(Organisation.objects.filter(closed_on__isnull=True, type__code="xa").order_by("code"))
    for commune in communes:
        pool = [
            m
            for m in Member.objects.filter(
                org_path__startswith=commune.path,
                status=Status.OFFICIAL,
                political_theory__in=["trung-cap", "cao-cap", "cu-nhan"],
            ).order_by("pk")[:200]
        ]
        if len(pool) < 5:
            continue
        term = Term(organisation=commune, name="2025–2030", starts_on=dt.date(2025, 7, 1))
        terms.append(term)
        picks = rng.sample(pool, k=5)
        roles = [
            SeatRole.SECRETARY,
            SeatRole.DEPUTY,
            SeatRole.DEPUTY,
            SeatRole.STANDING,
            SeatRole.INSPECTION_CHAIR,
        ]
        seats.extend((term, commune, m, r) for m, r in zip(picks, roles, strict=True))
    with transaction.atomic():
        Term.objects.bulk_create(terms)
        Seat.objects.bulk_create(
            Seat(term=t, organisation=o, member=m, role=r, valid_from=t.starts_on) for t, o, m, r in seats
        )
        monitors = []
        by_commune = {}
        for _t, o, m, r in seats:
            if o.type.code == "xa" and r != SeatRole.SECRETARY:
                by_commune.setdefault(o.pk, []).append(m)
        for commune in communes:
            pool = by_commune.get(commune.pk)
            if not pool:
                continue
            for i, cell in enumerate(c for c in cells if c.path.startswith(commune.path)):
                others = [m for m in pool if m.org_id != cell.pk]  # never the member's own cell (QĐ 776-QĐ/TU)
                if not others:
                    continue
                monitors.append(
                    MonitorAssignment(
                        organisation=cell,
                        monitor=others[i % len(others)],
                        valid_from=dt.date(2025, 7, 15),
                        decision_number="12-QĐ/ĐU",
                    )
                )
        MonitorAssignment.objects.bulk_create(monitors)
        audit.record(
            by=by,
            action="seed.leadership",
            object_type="members.seat",
            after={"terms": len(terms), "seats": len(seats), "monitors": len(monitors)},
        )


def seed_events(by, *, rng: random.Random) -> None:
    """A few ordinary events through the services: exemptions, a death, a striking-off, transfers."""
    cells = list(
        Organisation.objects.filter(closed_on__isnull=True, type__code="cbtt-thon").order_by("code")[:12]
    )
    officials = [
        Member.objects.filter(org=c, status=Status.OFFICIAL, official_on__lt=dt.date(2025, 1, 1))
        .exclude(seats__isnull=False)
        .order_by("pk")
        .first()
        for c in cells
    ]
    officials = [m for m in officials if m is not None]
    on = dt.date(2025, 9, 10)
    if len(officials) < 8:
        return
    svc.member_exempt(
        by=by, member=officials[0], on=on, reason="Tuổi cao, sức yếu (có giấy xác nhận của trạm y tế)"
    )
    svc.member_exempt(by=by, member=officials[1], on=on, reason="Điều trị bệnh dài ngày tại Hà Nội")
    svc.member_leave(by=by, member=officials[2], status=Status.DECEASED, on=dt.date(2025, 8, 2))
    svc.member_leave(
        by=by,
        member=officials[3],
        status=Status.STRUCK_OFF,
        on=dt.date(2025, 10, 6),
        reason="Không sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng",
        decision_number="45-QĐ/ĐU",
    )
    t = svc.transfer_out(
        by=by,
        member=officials[4],
        req=svc.TransferRequest(
            kind="official",
            reason="Chuyển nơi cư trú",
            event_on=dt.date(2025, 9, 1),
            letter_on=dt.date(2025, 9, 20),
            letter_number="15-GGT/ĐU",
            to_org=cells[-1],
        ),
    )
    svc.transfer_receive(by=by, transfer=t, on=dt.date(2025, 10, 2))
    svc.transfer_out(
        by=by,
        member=officials[5],
        req=svc.TransferRequest(
            kind="temporary",
            reason="Đi làm ăn xa",
            event_on=dt.date(2025, 9, 1),
            letter_on=dt.date(2025, 9, 15),
            letter_number="16-GGT/ĐU",
            to_org=cells[-2],
            until=dt.date(2026, 6, 15),
        ),
    )
    svc.transfer_out(
        by=by,
        member=officials[6],
        req=svc.TransferRequest(
            kind="official",
            reason="Chuyển công tác",
            event_on=dt.date(2025, 10, 1),
            letter_on=dt.date(2025, 10, 10),
            letter_number="17-GGT/ĐU",
            to_text="Đảng bộ phường Cam Đường, tỉnh Lào Cai",
        ),
    )
    pending = today() - dt.timedelta(days=10)
    svc.transfer_out(
        by=by,
        member=officials[7],
        req=svc.TransferRequest(
            kind="official",
            reason="Kết hôn, chuyển về nơi ở mới",
            event_on=pending - dt.timedelta(days=20),
            letter_on=pending,
            letter_number="18-GGT/ĐU",
            to_org=cells[-3],
        ),
    )
