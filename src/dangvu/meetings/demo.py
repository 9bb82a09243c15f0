"""A year of meetings for the demo province, with the gaps the seed articles complain about: some cells skip
months, some quarters have no thematic meeting, a few meetings are short or poorly attended, some monitors do
not attend or report. Rows are built in memory and judged by the same code as the services
(`services.apply_checks`), then inserted in bulk."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvu.core import audit, rules
from dangvu.core.dates import today
from dangvu.core.text import search_key
from dangvu.documents.models import DocType, Origin, Outgoing
from dangvu.members.models import Member, Membership, MonitorAssignment, Seat, SeatRole, StatusChange, Term
from dangvu.organizations.models import Organisation, OrgKind

from . import quality
from .models import (
    STANDARD_AGENDA,
    Attendance,
    Kind,
    Meeting,
    MeetingFile,
    MonthlyReport,
    Notice,
    Presence,
    Speaker,
    Standing,
    State,
    Vote,
)
from .selectors import lines_from
from .services import apply_checks

TOPICS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Chuyển đổi số trong thôn, bản",
    "Phát triển kinh tế hộ gia đình, trồng quế và chè",
    "Phòng chống thiên tai, sạt lở đất mùa mưa lũ",
    "Xây dựng nông thôn mới kiểu mẫu",
    "Bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng",
]
OPINIONS = [
    "Đề nghị chi bộ đôn đốc các hộ hoàn thành đóng góp làm đường liên thôn trước mùa mưa.",
    "Cần phân công đảng viên phụ trách từng nhóm hộ để tuyên truyền bảo hiểm y tế.",
    "Thống nhất với dự thảo nghị quyết; bổ sung chỉ tiêu trồng mới 5 ha quế.",
    "Đề nghị biểu dương các hộ đã hiến đất làm nhà văn hóa thôn.",
    "Cần chuẩn bị phương án di dời các hộ ở vùng có nguy cơ sạt lở.",
    "Đề nghị cấp ủy cấp trên hỗ trợ giống cây trồng cho các hộ nghèo.",
]
CONCLUSIONS = [
    "1. Hoàn thành thu hoạch vụ mùa, chuẩn bị sản xuất vụ đông.\n2. Vận động 100% hộ tham gia bảo hiểm y tế.",
    "1. Tổ chức tổng vệ sinh đường làng, ngõ xóm.\n2. Đôn đốc thu đảng phí đúng hạn.",
    "1. Hoàn thành làm đường bê tông liên thôn.\n2. Rà soát hộ nghèo, cận nghèo cuối năm.",
]
PDF = b"%PDF-1.4\n% Du thao nghi quyet chi bo\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _months(end: dt.date, n: int = 12) -> list[dt.date]:
    first = end.replace(day=1)
    out = []
    for _ in range(n):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


def seed_meetings(by, *, rng: random.Random) -> dict:
    """The last twelve months up to this one (meetings after today stay planned), and next month's schedule."""
    now = today()
    cells = list(
        Organisation.objects.filter(closed_on__isnull=True, type__kind=OrgKind.CELL)
        .select_related("type", "parent")
        .order_by("path")
    )
    monitors = {
        a.organisation_id: a.monitor
        for a in MonitorAssignment.objects.filter(valid_to__isnull=True).select_related("monitor")
    }
    secretaries = {
        s.organisation_id: s.member_id
        for s in Seat.objects.filter(role=SeatRole.SECRETARY, valid_to__isnull=True)
    }
    terms = {t.organisation_id: t for t in Term.objects.filter(ends_on__isnull=True)}
    pdf_name = default_storage.save("meetings/demo/du-thao-nghi-quyet.pdf", ContentFile(PDF))
    pdf_sha = hashlib.sha256(PDF).hexdigest()
    months = _months(now)
    # The registers of every cell over the year, loaded once (the same rules as selectors.summoned)
    stays_by_org: dict[int, list] = defaultdict(list)
    for s in (
        Membership.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=months[0]))
        .select_related("member")
        .order_by("member__sort_key", "member_id")
    ):
        stays_by_org[s.organisation_id].append(s)
    statuses: dict[int, list] = defaultdict(list)
    for member_id, st, start, end in StatusChange.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=months[0])
    ).values_list("member_id", "status", "valid_from", "valid_to"):
        statuses[member_id].append((st, start, end))

    def summoned(cell, day):
        stays = [
            s
            for s in stays_by_org[cell.pk]
            if s.valid_from <= day and (s.valid_to is None or s.valid_to > day)
        ]
        status = {
            s.member_id: st
            for s in stays
            for st, start, end in statuses[s.member_id]
            if start <= day and (end is None or end > day)
        }
        return lines_from(stays, status, day)

    # Who the cell is: most are regular; a few skip often, a few meet poorly
    habits = {c.pk: rng.choices(["good", "skips", "poor"], weights=[80, 12, 8])[0] for c in cells}
    meetings: list[tuple[Meeting, list[quality.Line], dict]] = []
    reports = []
    for cell in cells:
        habit = habits[cell.pk]
        thematic_quarters = set()
        for month in months:
            q = (month.year, (month.month - 1) // 3)
            skip = rng.random() < {"good": 0.04, "skips": 0.35, "poor": 0.1}[habit]
            if skip:
                continue
            day = min(month.replace(day=rng.choice([5, 8, 10, 12, 15, 18, 20, 25])), month.replace(day=28))
            combined = q not in thematic_quarters and rng.random() < (0.35 if habit != "skips" else 0.15)
            topic = rng.choice(TOPICS) if combined else ""
            meetings.append(
                _one(
                    cell, day, Kind.REGULAR, combined, topic, habit, rng, monitors, secretaries, now, summoned
                )
            )
            if combined:
                thematic_quarters.add(q)
            if month.month % 3 == 2 and q not in thematic_quarters and rng.random() < 0.7:
                tday = month.replace(day=22)
                meetings.append(_one(cell, tday, Kind.THEMATIC, False, rng.choice(TOPICS), habit, rng, monitors,
                                     secretaries, now, summoned))  # fmt: skip
                thematic_quarters.add(q)
            if day <= now and rng.random() < {"good": 0.9, "skips": 0.5, "poor": 0.7}[habit]:
                reports.append(
                    MonthlyReport(
                        organisation=cell,
                        org_path=cell.path,
                        month=month,
                        results="Chi bộ lãnh đạo hoàn thành các nhiệm vụ trọng tâm trong tháng; 100% đảng viên đóng đảng phí.",
                        directions="Tiếp tục lãnh đạo sản xuất, giữ gìn an ninh trật tự, chuẩn bị sinh hoạt tháng tới.",
                        filed_at=timezone.make_aware(
                            dt.datetime.combine(day + dt.timedelta(days=2), dt.time(16, 0))
                        ),
                    )  # fmt: skip
                )
    # Judge each meeting by the rules in force on its date, with the cell's run of excused absences
    runs: dict[tuple[int, int, int], int] = defaultdict(int)
    meetings.sort(key=lambda x: (x[0].organisation_id, x[0].date))
    for m, lines, extra in meetings:
        if m.state == State.PLANNED:
            apply_checks(
                m, quality.Facts(m.date, m.combined, None, None, lines, False, False, True, 0, False)
            )
            continue
        before = {x.member_id: runs[(m.organisation_id, m.date.year, x.member_id)] for x in lines}
        facts = quality.Facts(
            date=m.date,
            combined=m.combined,
            started_at=m.started_at,
            ended_at=m.ended_at,
            lines=lines,
            has_chair=m.chair_id is not None,
            has_minute_taker=m.minute_taker_id is not None,
            has_agenda=True,
            speakers=len(extra["speakers"]),
            has_conclusion=bool(m.conclusion),
            file_dates=[timezone.localdate(extra["file_at"])] if extra["file_at"] else [],
            has_monitor=m.monitor_id is not None,
            monitor_notified_on=timezone.localdate(extra["notified_at"]) if extra["notified_at"] else None,
            excused_before=before,
        )
        apply_checks(m, facts)
        for x in lines:
            key = (m.organisation_id, m.date.year, x.member_id)
            runs[key] = runs[key] + 1 if x.presence == Presence.EXCUSED else 0
    with transaction.atomic():
        Meeting.objects.bulk_create([m for m, _, _ in meetings], batch_size=500)
        att, speakers, votes, files, notices, numbers = [], [], [], [], [], []
        counters: dict[tuple[int, str], int] = defaultdict(int)
        for m, lines, extra in meetings:
            for x in lines:
                att.append(Attendance(meeting=m, member_id=x.member_id, rank=x.rank, standing=x.standing,
                                      presence=x.presence, reason=x.reason))  # fmt: skip
            for i, (member_id, name, text) in enumerate(extra["speakers"], start=1):
                speakers.append(Speaker(meeting=m, member_id=member_id, name=name, opinion=text, position=i))
            if extra.get("vote"):
                votes.append(Vote(meeting=m, **extra["vote"]))
            if extra["file_at"]:
                files.append(MeetingFile(meeting=m, title="Dự thảo nghị quyết", file=pdf_name, size=len(PDF),
                                         sha256=pdf_sha, uploaded_at=extra["file_at"]))  # fmt: skip
            if extra["notified_at"] and m.monitor_id:
                notices.append(
                    Notice(meeting=m, member_id=m.monitor_id, is_monitor=True, sent_at=extra["notified_at"])
                )
            if m.state == State.CLOSED:
                term = terms.get(m.organisation_id)
                for doc_type in ("BB", "NQ") if m.conclusion else ("BB",):
                    counters[(m.organisation_id, doc_type)] += 1
                    n = counters[(m.organisation_id, doc_type)]
                    numbers.append(Outgoing(organisation_id=m.organisation_id, org_path=m.org_path, term=term,
                                            doc_type=doc_type, number=n, symbol=f"{n:02d}-{doc_type}/CB",
                                            issued_on=m.date, meeting=m, origin=Origin.MEETING,
                                            subject=f"{DocType(doc_type).label} {m.get_kind_display().lower()} "
                                                    f"ngày {m.date:%d/%m/%Y}"))  # fmt: skip
                    numbers[-1].search_text = search_key(f"{numbers[-1].symbol} {numbers[-1].subject}")
        for model, rows in ((Attendance, att), (Speaker, speakers), (Vote, votes), (MeetingFile, files),
                            (Notice, notices), (Outgoing, numbers), (MonthlyReport, reports)):  # fmt: skip
            model.objects.bulk_create(rows, batch_size=2000)
        audit.record(by=by, action="seed.meetings", object_type="meetings.meeting",
                     after={"meetings": len(meetings), "attendance": len(att), "reports": len(reports)})  # fmt: skip
    return {"meetings": len(meetings), "reports": len(reports)}


def _one(cell, day, kind, combined, topic, habit, rng, monitors, secretaries, now, summoned):
    lines = summoned(cell, day)
    monitor = monitors.get(cell.pk)
    m = Meeting(
        organisation=cell, org_path=cell.path, kind=kind, combined=combined, topic=topic, date=day,
        month=day.replace(day=1), planned_time=dt.time(19, 30) if rng.random() < 0.6 else dt.time(8, 0),
        place=f"Nhà văn hóa {cell.name.removeprefix('Chi bộ ')}", agenda=STANDARD_AGENDA, monitor=monitor,
    )  # fmt: skip
    extra = {"speakers": [], "file_at": None, "notified_at": None}
    if day > now:
        m.state = State.PLANNED
        return m, lines, extra
    m.state = State.CLOSED if (now - day).days > 20 else State.HELD
    present_p = {"good": 0.95, "skips": 0.9, "poor": 0.75}[habit]
    for x in lines:
        if x.standing in (Standing.AWAY, Standing.EXEMPT):
            x.presence = Presence.PRESENT if x.standing == Standing.EXEMPT and rng.random() < 0.2 else ""
            continue
        r = rng.random()
        if r < present_p:
            x.presence = Presence.PRESENT
        elif r < present_p + (1 - present_p) * 0.75:
            x.presence, x.reason = (
                Presence.EXCUSED,
                rng.choice(["Ốm", "Đi làm ăn xa", "Việc gia đình", "Đi công tác"]),
            )
        else:
            x.presence = Presence.ABSENT
    start = m.planned_time
    minutes = rng.choice(
        [95, 100, 105, 110, 120, 125, 130] if habit == "good" else [60, 75, 90, 95, 100, 120]
    )
    if combined and habit == "good":
        minutes = max(minutes, 120)
    end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)).time()
    if end <= start:
        end = dt.time(23, 50)
    m.started_at, m.ended_at = start, end
    present = [x for x in lines if x.presence == Presence.PRESENT]
    chair = secretaries.get(cell.pk) if secretaries.get(cell.pk) in {x.member_id for x in present} else None
    if chair is None and present:
        chair = present[0].member_id
    m.chair_id = chair
    m.minute_taker_id = next((x.member_id for x in present if x.member_id != chair), None)
    m.summary = "Chi bộ đánh giá kết quả thực hiện nghị quyết tháng trước; triển khai nhiệm vụ tháng tới."
    m.conclusion = rng.choice(CONCLUSIONS) if habit != "poor" or rng.random() < 0.6 else ""
    talkers = rng.sample(
        present, k=min(len(present), rng.choice([1, 2, 3, 4] if habit != "poor" else [0, 1, 2]))
    )
    extra["speakers"] = [(x.member_id, x.name, rng.choice(OPINIONS)) for x in talkers]
    ahead = rng.choice([3, 2, 2, 1, 0]) if habit != "poor" else rng.choice([1, 0, 0])
    if rng.random() < 0.85:
        extra["file_at"] = timezone.make_aware(
            dt.datetime.combine(day - dt.timedelta(days=ahead), dt.time(9, 0))
        )
    if rng.random() < (0.9 if habit == "good" else 0.6):
        extra["notified_at"] = timezone.make_aware(
            dt.datetime.combine(day - dt.timedelta(days=3), dt.time(8, 0))
        )
    if monitor is not None:
        m.monitor_attended = rng.random() < 0.7
        if m.monitor_attended and rng.random() < 0.8:
            m.monitor_report = "Buổi sinh hoạt đúng trình tự; đảng viên phát biểu sôi nổi; đề nghị chi bộ quan tâm đảng viên trẻ."
            m.monitor_reported_at = timezone.make_aware(
                dt.datetime.combine(day + dt.timedelta(days=1), dt.time(10, 0))
            )
    if m.conclusion and present:
        f = quality.figures(lines)
        votes_for = max(f.voters_present - rng.choice([0, 0, 1]), 0)
        required, passed = quality.vote_result(
            "ordinary", votes_for, f.vote_base, rules.params("meetings.voting", day)
        )
        extra["vote"] = {
            "kind": "ordinary", "subject": f"Nghị quyết tháng {day:%m/%Y}", "votes_for": votes_for,
            "votes_against": f.voters_present - votes_for, "votes_abstain": 0, "base": f.vote_base,
            "required": required, "passed": passed,
        }  # fmt: skip
    if m.state == State.CLOSED and not (m.started_at and m.chair_id and m.minute_taker_id):
        m.state = State.HELD
    return m, lines, extra


BODY_AGENDA = {
    "committee": "Đánh giá kết quả lãnh đạo tháng; nhiệm vụ trọng tâm tháng tới; công tác xây dựng Đảng.",
    "standing": "Cho ý kiến về công tác cán bộ, kết nạp đảng viên; chuẩn bị nội dung hội nghị Ban Chấp hành.",
}


def seed_bodies(by, *, rng: random.Random) -> dict:
    """A year of committee (BCH) and standing-committee meetings for the demo communes, written through the
    services (roll call, minutes, a vote, numbers), a few months skipped so the dashboards show who is behind."""
    from . import services as svc
    from .models import Body
    from .selectors import bodies_of

    now = today()
    communes = list(Organisation.objects.filter(closed_on__isnull=True, type__code="xa").select_related("type")
                    .order_by("code"))  # fmt: skip
    count = 0
    for commune in communes:
        for month in _months(now):
            for body, day in ((Body.STANDING, 3), (Body.COMMITTEE, 6)):
                on = month.replace(day=day)
                if on > now or body not in bodies_of(commune, on) or rng.random() < 0.08:
                    continue
                m = svc.schedule(by=by, org=commune, data=svc.Schedule(
                    body=body, date=on, planned_time=dt.time(8, 0), place="Hội trường Đảng ủy",
                    agenda=BODY_AGENDA[body]))  # fmt: skip
                lines = svc.summoned(commune, on, body)
                marks = {x.member_id: svc.Mark("present") for x in lines}
                if len(lines) > 2 and rng.random() < 0.3:
                    marks[rng.choice(lines).member_id] = svc.Mark("excused", "Đi công tác")
                svc.roll_call(by=by, meeting=m, marks=marks)
                present = [x.member_id for x in lines if marks[x.member_id].presence == "present"]
                people = {p.pk: p for p in Member.objects.filter(pk__in=present)}
                svc.record(by=by, meeting=m, data=svc.Record(
                    started_at=dt.time(8, 0), ended_at=dt.time(10, 30), chair=people[present[0]],
                    minute_taker=people[present[-1]], conclusion=rng.choice(CONCLUSIONS)))  # fmt: skip
                svc.vote_add(by=by, meeting=m, kind="ordinary", subject="Thông qua kết luận cuộc họp",
                             votes_for=len(present))  # fmt: skip
                if on < now - dt.timedelta(days=3):
                    svc.close(by=by, meeting=m)
                count += 1
    return {"body_meetings": count}
