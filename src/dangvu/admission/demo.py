"""The demo province's year of growing the Party: about two hundred people on the cells' lists of sympathisers,
at every stage (a few steps overdue, a few cases ended), a year of admissions through the ceremony and the
members they made, and last year's admissions recognised. Every case and step goes through the services (the
same checks as a user's); the cells' votes are put in their meetings of that month (recorded through the
meeting services where the demo has no meeting that month)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from dangvu.core import rules
from dangvu.core.dates import add_months, in_force, today
from dangvu.core.errors import DomainError
from dangvu.core.workdays import add_working_days
from dangvu.meetings import quality
from dangvu.meetings import services as msvc
from dangvu.meetings.models import Body, Kind, Meeting, Vote
from dangvu.meetings.selectors import lines_of, summoned
from dangvu.members.models import Membership, MembershipKind, Status, StatusChange
from dangvu.organizations.models import Organisation, OrgKind

from . import services as svc
from .models import Case

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Lường", "Hà", "Vàng", "Giàng", "Đặng", "Bùi"]
MIDDLE_M, MIDDLE_F = ["Văn", "Đức", "Minh", "Quang", "A"], ["Thị", "Thu", "Ngọc", "Thị Thu"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Sáng", "Phong", "Pao", "Chiến", "Long", "Thắng", "Khải"]
GIVEN_F = ["Mai", "Lan", "Hoa", "Thảo", "Dung", "Mỷ", "Hương", "Linh", "Sua", "Nga"]
PROPOSERS = ["doan-tn"] * 5 + ["phu-nu", "nong-dan", "cuu-chien-binh", "cong-doan", "chi-bo"]
# how far each case gets (weights): sympathiser only … recognised, or ended
TARGETS = [("source", 30), ("application", 8), ("verification", 6), ("introduction", 6), ("cell_resolution", 5),
           ("decision", 5), ("ceremony", 5), ("member_cv", 19), ("recognition_decision", 12), ("ended", 4)]  # fmt: skip


def _officials(org: Organisation, on: dt.date, months: int) -> list[int]:
    """Official members of the cell on `on` who have been in it at least `months` months."""
    since = add_months(on, -months)
    ids = set(Membership.objects.filter(in_force(on), organisation=org, kind=MembershipKind.OFFICIAL,
                                        valid_from__lte=since).values_list("member_id", flat=True))  # fmt: skip
    return sorted(set(StatusChange.objects.filter(in_force(on), member_id__in=ids, status=Status.OFFICIAL)
                      .values_list("member_id", flat=True)))  # fmt: skip


def _vote(by, org: Organisation, on: dt.date, kind: str, subject: str) -> Vote | None:
    """A passed vote of `kind` in the cell's meeting of that month: added to the demo's meeting (closed, so
    written as the meeting services would compute it), or in a meeting recorded through them."""
    m = Meeting.objects.filter(organisation=org, body=Body.MEMBERS, month=on.replace(day=1), kind=Kind.REGULAR).first()
    if m is None:
        try:
            m = msvc.schedule(by=by, org=org, data=msvc.Schedule(date=on))
            marks = {x.member_id: msvc.Mark("present") for x in summoned(org, on)}
            msvc.roll_call(by=by, meeting=m, marks=marks)
            f = quality.figures(lines_of(m))
            return msvc.vote_add(by=by, meeting=m, kind=kind, subject=subject, votes_for=f.voters_present)
        except DomainError:  # a demo cell whose register does not allow it: that case stops earlier
            return None
    f = quality.figures(lines_of(m))
    required, passed = quality.vote_result(kind, f.voters_present, f.vote_base, rules.params("meetings.voting", m.date))
    if not passed:
        return None
    return Vote.objects.create(meeting=m, kind=kind, subject=subject, votes_for=f.voters_present,
                               base=f.vote_base, required=required, passed=True)  # fmt: skip


def _person(rng: random.Random, n: int, cell: Organisation, proposed: dt.date) -> dict:
    female = rng.random() < 0.45
    name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                     rng.choice(GIVEN_F if female else GIVEN_M)])  # fmt: skip
    born = dt.date(rng.randint(1986, 2005), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "full_name": name, "sex": "nu" if female else "nam", "birth_date": born,
        "ethnicity": rng.choice(["Kinh", "Tày", "Thái", "Mông", "Dao"]), "religion": "Không",
        "residence": cell.name.replace("Chi bộ ", ""), "citizen_id": f"0{rng.randint(10, 99)}{born.year % 100:02d}{n:07d}",
        "general_education": rng.choice(["12/12", "12/12", "9/12"]),
        "occupation": rng.choice(["Nông dân", "Giáo viên", "Bí thư chi đoàn", "Công chức xã", "Công nhân"]),
        "proposed_by": rng.choice(PROPOSERS), "proposed_on": proposed,
        "course_on": min(today(), proposed + dt.timedelta(days=rng.randint(20, 60))),
        "course_number": f"{rng.randint(100, 999)}/CN-TTCT", "course_issuer": "Trung tâm Chính trị",
    }  # fmt: skip


def seed_admissions(by, *, rng: random.Random) -> dict:
    now = today()
    cells = list(Organisation.objects.filter(closed_on__isnull=True, type__kind=OrgKind.CELL)
                 .select_related("type").order_by("path"))  # fmt: skip
    chosen = [c for c in cells if rng.random() < 0.45]
    kinds, weights = zip(*TARGETS, strict=True)
    n = admitted = 0
    with transaction.atomic():
        for i, cell in enumerate(chosen):
            for _ in range(rng.choice([1, 1, 2])):
                target = rng.choices(kinds, weights)[0]
                recognised = target == "recognition_decision"
                # the cell's resolution: about 15 months ago for those recognised by now, else this year
                if recognised:
                    cell_on = now - dt.timedelta(days=rng.randint(440, 520))
                else:
                    cell_on = now - dt.timedelta(days=rng.randint(90, 300))
                proposed = cell_on - dt.timedelta(days=rng.randint(150, 240))
                if target in ("source", "ended"):
                    proposed = now - dt.timedelta(days=rng.randint(20, 300))
                n += 1
                case = svc.case_create(by=by, org=cell, data=_person(rng, i * 10 + n, cell, proposed))
                admitted += _walk(by, rng, case, target, proposed, cell_on, now)
    return {"admission_cases": Case.objects.count(), "admitted": admitted}


def _walk(by, rng, case: Case, target: str, proposed: dt.date, cell_on: dt.date, now: dt.date) -> int:
    """Take the case as far as `target` (stopping earlier where the demo's cell cannot: no two official members
    long enough with the person, a vote that would not pass). 1 when it made a member."""
    from dangvu.members.models import Member

    assigned = min(now, proposed + dt.timedelta(days=45))
    for mid in _officials(case.organisation, assigned, 13)[:2]:
        svc.introducer_add(by=by, case=case, member=Member.objects.get(pk=mid),
                           since=proposed - dt.timedelta(days=rng.randint(400, 900)), assigned_on=assigned)  # fmt: skip
    if target == "ended":
        svc.case_end(by=by, case=case, on=min(now, proposed + dt.timedelta(days=90)),
                     reason=rng.choice(["Xin rút để đi làm ăn xa", "Chưa đủ tiêu chuẩn về lịch sử chính trị"]))  # fmt: skip
        return 0
    if target == "source":
        return 0
    dates = {"application": cell_on - dt.timedelta(days=70), "verification": cell_on - dt.timedelta(days=40),
             "introduction": cell_on - dt.timedelta(days=15)}  # fmt: skip
    made = 0
    for kind in svc.steps_for(case):
        data = svc.StepData()
        if kind in dates:
            data.done_on = dates[kind]
        elif kind == "cell_resolution":
            data.vote = _vote(by, case.organisation, cell_on, "admission", f"Đề nghị kết nạp quần chúng {case.full_name}")
            if data.vote is None:
                return made
            data.done_on = data.vote.meeting.date
        elif kind == "grassroots_resolution":
            data.done_on = add_working_days(case.stage_since, rng.randint(5, 15))
            data.votes_for, data.votes_base, data.number = 9, 11, f"{rng.randint(10, 90)}-NQ/ĐU"
        elif kind == "decision":
            # most within the 60 working days; a few late, a few still waiting (overdue by now)
            data.done_on = add_working_days(cell_on, rng.choice([25, 35, 45, 55, 58, 64]))
            data.number, data.signer = f"Số {rng.randint(100, 900)}-QĐ/ĐU", "Hoàng Văn Bình"
            data.received_on = add_working_days(data.done_on, 3)
        elif kind == "ceremony":
            data.done_on = add_working_days(case.steps.get(kind="decision").received_on, rng.choice([8, 15, 22, 27, 33]))
        elif kind == "member_cv":
            data.done_on = add_working_days(case.stage_since, rng.choice([10, 20, 28, 35]))
        elif kind == "recognition_resolution":
            ceremony = case.steps.get(kind="ceremony").done_on
            from dangvu.members import services as members

            members.entry_add(by=by, member=case.member, kind="training", start=add_months(ceremony, 3),
                              end=add_months(ceremony, 3) + dt.timedelta(days=10), course="dang-vien-moi",
                              issuer="Trung tâm Chính trị")  # fmt: skip
            on = add_working_days(add_months(ceremony, 12), rng.randint(3, 20))
            data.vote = _vote(by, case.member.org, on, "recognition",
                              f"Đề nghị công nhận đảng viên chính thức {case.full_name}")  # fmt: skip
            if data.vote is None or data.vote.meeting.date < add_months(ceremony, 12):
                return made
            data.done_on = data.vote.meeting.date
        elif kind == "recognition_decision":
            data.done_on = add_working_days(case.stage_since, rng.randint(5, 15))
            data.number, data.signer = f"Số {rng.randint(100, 900)}-QĐ/ĐU", "Hoàng Văn Bình"
        if data.done_on is None or data.done_on > now:
            return made  # not yet: the next step is still ahead (and maybe overdue)
        try:
            svc.step_record(by=by, case=case, kind=kind, data=data)
        except DomainError:  # the demo's register does not allow this one (e.g. too few officials that day)
            return made
        case.refresh_from_db()
        made += kind == "ceremony"
        if kind == target:
            return made
    return made


def seed_villages(by, *, rng: random.Random) -> dict:
    """Each commune's villages and residential groups: one for each of its village cells (named after it, covered
    by it, its members living there since they joined), a few hamlets with no cell and no member (the "bản trắng"
    the indicators find), and one merger of late 2025 in the first commune that has two villages."""
    from dangvu.members.models import IN_REGISTER, Member

    from . import villages as vl
    from .models import Residence, UnitKind

    communes = list(Organisation.objects.filter(closed_on__isnull=True, type__code__in=["xa", "dbcs-xa"])
                    .select_related("type").order_by("path"))  # fmt: skip
    n = 0
    merged = False
    with transaction.atomic():
        for i, commune in enumerate(communes):
            since = max(commune.established_on, dt.date(2025, 7, 1))
            cells = list(Organisation.objects.filter(parent=commune, closed_on__isnull=True, type__kind=OrgKind.CELL,
                                                     type__code__in=["cbtt-thon", "cbcs-thon"]).order_by("path"))  # fmt: skip
            made = []
            for cell in cells:
                name = cell.name.replace("Chi bộ ", "").strip() or cell.name
                kind = UnitKind.GROUP if "tổ" in name.lower() else UnitKind.HAMLET if "bản" in name.lower() else (
                    UnitKind.VILLAGE)  # fmt: skip
                try:
                    u = vl.unit_create(by=by, commune=commune, name=name[:120], kind=kind, valid_from=since)
                except DomainError:
                    continue
                vl.coverage_set(by=by, unit=u, cells=[cell], on=since)
                members = Member.objects.filter(org=cell, status__in=IN_REGISTER).values_list("pk", "admitted_on")
                Residence.objects.bulk_create(Residence(member_id=pk, unit=u, valid_from=since) for pk, _ in members)
                made.append(u)
                n += 1
            if cells and i % 3 == 0:  # a hamlet where no member lives and no cell works yet
                vl.unit_create(by=by, commune=commune, name=f"Bản {rng.choice(['Mới', 'Khe Hồ', 'Nậm Dạng', 'Phìn Hồ'])}",
                               kind=UnitKind.HAMLET, valid_from=since)  # fmt: skip
                n += 1
            if cells and i % 4 == 1:  # a new residential group a cell looks after, where no member lives yet
                g = vl.unit_create(by=by, commune=commune, name="Tổ dân phố mới", kind=UnitKind.GROUP, valid_from=since)
                vl.coverage_set(by=by, unit=g, cells=[cells[0]], on=since)
                n += 1
            if not merged and len(made) >= 2 and since < dt.date(2025, 12, 1) <= today():
                vl.unit_merge(by=by, units=made[:2], name=f"{made[0].name} – {made[1].name}"[:120],
                              on=dt.date(2025, 12, 1), decision="Nghị quyết sáp nhập thôn, tổ dân phố (HĐND tỉnh)")  # fmt: skip
                merged = True
    return {"villages": n}
