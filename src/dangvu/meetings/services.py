"""Every write to meetings: the schedule, notices, the roll call, the record, votes, numbers, reports.

Each operation checks everything first and raises DomainError (field → Vietnamese message) before writing;
then writes in one transaction with an audit entry. After any change the meeting's figures and criteria
(quality.py) are recomputed, and so are the later meetings of the same cell that year (their "absent with
reason in a row" count depends on this one).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import audit, ocr, rules
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError, NotFound
from dangvu.core.files import check_upload
from dangvu.core.locking import lock
from dangvu.core.models import Notification
from dangvu.core.text import clean
from dangvu.documents.models import Body as Issuer
from dangvu.documents.models import Origin
from dangvu.documents.services import issue
from dangvu.jobs.services import queue_ocr
from dangvu.members.models import Member
from dangvu.members.services import ERR_REQUIRED, check_may_edit
from dangvu.organizations.models import Organisation, OrgKind
from dangvu.organizations.services import Forbidden

from . import quality
from .docx_build import try_template
from .models import (
    BODY_KINDS,
    BODY_NAMES,
    EVERY_CHOICES,
    STANDARD_AGENDA,
    Attendance,
    Body,
    DocTemplate,
    DocType,
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
    VoteKind,
    WorkingRules,
)
from .selectors import (  # noqa: F401  (summoned: re-exported)
    HELD,
    bodies_of,
    excused_runs,
    lines_of,
    monitor_on,
    summoned,
)
from .signals import minutes_closed

log = logging.getLogger(__name__)

ERR_NOT_A_CELL = "«{org}» là đảng bộ; lịch sinh hoạt chi bộ đăng ký cho từng chi bộ."
ERR_BEFORE_ESTABLISHED = "«{org}» được thành lập ngày {established}; không có buổi sinh hoạt ngày {date}."
ERR_CLOSED = "«{org}» đã chấm dứt hoạt động từ {closed}; không ghi buổi sinh hoạt ngày {date}."
ERR_TWO_REGULAR = "Chi bộ đã có buổi sinh hoạt thường kỳ tháng {month} (ngày {date}); mỗi tháng một buổi."
ERR_TOPIC = "Sinh hoạt chuyên đề phải có tên chuyên đề."
ERR_COMBINED_THEMATIC = (
    "Chỉ buổi sinh hoạt thường kỳ mới kết hợp chuyên đề; buổi này đã là sinh hoạt chuyên đề."
)
ERR_LOCKED = "Biên bản đã hoàn tất ngày {date}; không sửa được nữa."
ERR_CANCELLED = "Buổi sinh hoạt đã hủy."
ERR_FUTURE_MEETING = "Buổi sinh hoạt ngày {date} chưa diễn ra; chưa ghi được điểm danh, biên bản."
ERR_NOT_MEMBER = "«{name}» không phải đảng viên của chi bộ ngày {date}."
ERR_UNKNOWN_MEMBER = "Không có đảng viên mã {id} trong chi bộ ngày {date}."
ERR_PRESENCE = "Hãy chọn: có mặt, vắng có lý do hoặc vắng không lý do."
ERR_REASON = "Vắng có lý do thì ghi lý do."
ERR_STANDING = "Chỉ có thể đánh dấu «đình chỉ sinh hoạt, bị truy tố, tạm giam» cho đảng viên của chi bộ."
ERR_END_BEFORE_START = "Giờ kết thúc phải sau giờ bắt đầu ({start})."
ERR_NO_ROLL_CALL = "Hãy điểm danh trước."
ERR_BALLOTS = (
    "Tổng số phiếu ({total}) nhiều hơn số đảng viên chính thức có mặt có quyền biểu quyết ({voters})."
)
ERR_CLOSE_MISSING = "Chưa hoàn tất được biên bản: còn thiếu {missing}."
ERR_NO_MONITOR = "Chi bộ không có cấp ủy viên cấp trên được phân công theo dõi vào ngày họp."
ERR_MONITOR_ROLE = "Chỉ cấp ủy cấp trên của «{org}» mới ghi việc dự họp và báo cáo của cấp ủy viên theo dõi."
ERR_REPORT_MONTH = "Tháng báo cáo không được sau tháng hiện tại."
ERR_TEMPLATE = "Mẫu văn bản không dùng được: {error}"
ERR_NO_BODY = "«{org}» không có {body} ngày {date} (chưa ghi ai giữ chức danh của cơ quan này ở trang Ban lãnh đạo)."
ERR_TWO_REGULAR_BODY = ("{body} đã có cuộc họp thường kỳ tháng {month} (ngày {date}); cuộc họp khác trong tháng "
                        "hãy đăng ký là họp bất thường.")
ERR_CELL_KIND = "Chi bộ sinh hoạt thường kỳ hoặc chuyên đề; họp bất thường là của cấp ủy, Ban Thường vụ, Ủy ban Kiểm tra."
ERR_BODY_KIND = "{body} họp thường kỳ hoặc bất thường; sinh hoạt chuyên đề là của chi bộ."
ERR_NOT_IN_BODY = "«{name}» không phải thành viên {body} ngày {date}."
ERR_BODY_NO_MONITOR = "Cấp ủy viên cấp trên theo dõi dự sinh hoạt chi bộ, không ghi cho cuộc họp của {body}."
ERR_NOTIFIED = "Thông báo vừa được gửi lúc {at} (có thể do bấm hai lần); không gửi lại ngay."
NOTIFY_AGAIN_AFTER = dt.timedelta(seconds=30)


@dataclass
class Schedule:
    body: str = Body.MEMBERS
    kind: str = Kind.REGULAR
    date: dt.date | None = None
    topic: str = ""
    combined: bool = False
    planned_time: dt.time | None = None
    place: str = ""
    agenda: str = ""


# --- access ----------------------------------------------------------------------------------------------


def body_name(body: str) -> str:
    return BODY_NAMES.get(body, BODY_NAMES[Body.MEMBERS])


def _check_open(org: Organisation, on: dt.date, field: str = "date", body: str = Body.MEMBERS) -> None:
    if body == Body.MEMBERS and org.type.kind != OrgKind.CELL:
        raise DomainError(ERR_NOT_A_CELL.format(org=org.name), field="org")
    if on < org.established_on:
        raise DomainError(
            ERR_BEFORE_ESTABLISHED.format(org=org.name, established=fmt(org.established_on), date=fmt(on)),
            field=field,
        )
    if org.closed_on is not None and on > org.closed_on:
        raise DomainError(
            ERR_CLOSED.format(org=org.name, closed=fmt(org.closed_on), date=fmt(on)), field=field
        )
    if body != Body.MEMBERS and body not in bodies_of(org, on):
        raise DomainError(ERR_NO_BODY.format(org=org.name, body=body_name(body), date=fmt(on)), field=field)


def _not_member(meeting: Meeting, person: Member) -> str:
    if meeting.of_body:
        return ERR_NOT_IN_BODY.format(name=person.full_name, body=body_name(meeting.body), date=fmt(meeting.date))
    return ERR_NOT_MEMBER.format(name=person.full_name, date=fmt(meeting.date))


def _check_editable(by, meeting: Meeting) -> None:
    check_may_edit(by, meeting.organisation)
    if meeting.state == State.CANCELLED:
        raise Conflict(ERR_CANCELLED)
    if meeting.state == State.CLOSED:
        raise Conflict(ERR_LOCKED.format(date=fmt(meeting.updated_at.date())))


def _relock(by, meeting: Meeting) -> None:
    """Inside the write's transaction: lock the meeting, reload it, and check again that it may change (a second
    click or tab that lost the race is refused here with Conflict)."""
    lock(meeting)
    _check_editable(by, meeting)


def check_recordable(meeting: Meeting) -> None:
    """May its roll call and minutes be written now: not cancelled, not closed, and the day has come."""
    if meeting.state == State.CANCELLED:
        raise Conflict(ERR_CANCELLED)
    if meeting.state == State.CLOSED:
        raise Conflict(ERR_LOCKED.format(date=fmt(meeting.updated_at.date())))
    _check_happened(meeting)


def _check_happened(meeting: Meeting) -> None:
    if meeting.date > today():
        raise DomainError(ERR_FUTURE_MEETING.format(date=fmt(meeting.date)))


# --- figures and criteria --------------------------------------------------------------------------------


def facts_of(meeting: Meeting, lines=None) -> quality.Facts:
    lines = lines_of(meeting) if lines is None else lines
    excused = [x.member_id for x in lines if x.presence == Presence.EXCUSED]
    monitor_notice = (
        meeting.notices.filter(is_monitor=True).order_by("sent_at").values_list("sent_at", flat=True).first()
        if meeting.monitor_id
        else None
    )
    return quality.Facts(
        date=meeting.date,
        combined=meeting.combined,
        started_at=meeting.started_at,
        ended_at=meeting.ended_at,
        lines=lines,
        has_chair=meeting.chair_id is not None,
        has_minute_taker=meeting.minute_taker_id is not None,
        has_agenda=bool(meeting.agenda.strip()),
        speakers=meeting.speakers.count(),
        has_conclusion=bool(meeting.conclusion.strip()),
        file_dates=[timezone.localdate(t) for t in meeting.files.values_list("uploaded_at", flat=True)],
        has_monitor=meeting.monitor_id is not None,
        monitor_notified_on=timezone.localdate(monitor_notice) if monitor_notice else None,
        excused_before=excused_runs(meeting, excused),
        notified_on=timezone.localdate(meeting.notified_at) if meeting.notified_at else None,
    )


def apply_checks(meeting: Meeting, facts: quality.Facts) -> None:
    """Set the meeting's figures and criteria from `facts` (not saved)."""
    f = quality.figures(facts.lines)
    meeting.duration_minutes = quality.duration(facts.started_at, facts.ended_at)
    meeting.present, meeting.excused, meeting.absent = f.present, f.excused, f.absent
    meeting.expected, meeting.vote_base = f.expected, f.vote_base
    if meeting.state in HELD and meeting.of_body:
        crit = quality.check_body(facts, meeting.body, rules.params("meetings.bodies", meeting.date))
        meeting.rules_from = rules.version("meetings.bodies", meeting.date)
    elif meeting.state in HELD:
        version = rules.version("meetings.quality", meeting.date)
        crit = quality.check(
            facts,
            rules.params("meetings.quality", meeting.date),
            rules.params("meetings.voting", meeting.date),
        )
        meeting.rules_from = version
    else:
        crit = []
        meeting.rules_from = None
    meeting.quality = crit
    failed = [c["code"] for c in crit if not c["met"]]
    meeting.failed = f",{','.join(failed)}," if failed else ""
    meeting.met_count = sum(1 for c in crit if c["met"])
    meeting.criteria_count = len(crit)


FIGURE_FIELDS = [
    "duration_minutes", "present", "excused", "absent", "expected", "vote_base", "quality", "failed",
    "met_count", "criteria_count", "rules_from", "updated_at",
]  # fmt: skip


def refresh(meeting: Meeting) -> None:
    """Recompute and save the figures of `meeting` and of the cell's later meetings that year."""
    apply_checks(meeting, facts_of(meeting))
    meeting.save(update_fields=FIGURE_FIELDS)
    later = Meeting.objects.filter(
        organisation_id=meeting.organisation_id,
        body=meeting.body,
        date__year=meeting.date.year,
        date__gt=meeting.date,
        state__in=HELD,
    ).select_related("organisation")
    for m in later:
        apply_checks(m, facts_of(m))
        m.save(update_fields=FIGURE_FIELDS)


# --- the schedule ----------------------------------------------------------------------------------------


def _clean_schedule(org: Organisation, s: Schedule, *, exclude: int | None = None) -> Schedule:
    errors = {}
    if s.date is None:
        errors["date"] = ERR_REQUIRED
    if s.body not in Body.values:
        errors["body"] = ERR_REQUIRED
    elif s.kind not in BODY_KINDS.get(s.body, (Kind.REGULAR, Kind.EXTRA)):
        errors["kind"] = (ERR_REQUIRED if s.kind not in Kind.values else ERR_CELL_KIND if s.body == Body.MEMBERS
                          else ERR_BODY_KIND.format(body=_cap(body_name(s.body))))  # fmt: skip
    topic = clean(s.topic)
    if s.kind == Kind.THEMATIC and not topic:
        errors["topic"] = ERR_TOPIC
    if s.kind == Kind.THEMATIC and s.combined:
        errors["combined"] = ERR_COMBINED_THEMATIC
    if s.combined and not topic:
        errors["topic"] = ERR_TOPIC
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    _check_open(org, s.date, body=s.body)
    if s.kind == Kind.REGULAR:
        other = (
            Meeting.objects.filter(organisation=org, body=s.body, kind=Kind.REGULAR, month=s.date.replace(day=1))
            .exclude(state=State.CANCELLED)
            .exclude(pk=exclude)
            .first()
        )
        if other:
            raise DomainError(_two_regular(s, fmt(other.date)), field="date")
    return Schedule(
        body=s.body,
        kind=s.kind,
        date=s.date,
        topic=topic,
        combined=s.combined,
        planned_time=s.planned_time,
        place=clean(s.place),
        agenda=(s.agenda or "").strip() or (STANDARD_AGENDA if s.body == Body.MEMBERS else ""),
    )


def _two_regular(s: Schedule, other: str) -> str:
    if s.body == Body.MEMBERS:
        return ERR_TWO_REGULAR.format(month=f"{s.date:%m/%Y}", date=other)
    return ERR_TWO_REGULAR_BODY.format(body=_cap(body_name(s.body)), month=f"{s.date:%m/%Y}", date=other)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def schedule(*, by, org: Organisation, data: Schedule) -> Meeting:
    """Register a meeting ahead (or record one already held, which then waits for its roll call)."""
    check_may_edit(by, org)
    s = _clean_schedule(org, data)
    try:
        with transaction.atomic():
            m = Meeting.objects.create(
                organisation=org,
                org_path=org.path,
                body=s.body,
                kind=s.kind,
                combined=s.combined,
                topic=s.topic,
                date=s.date,
                month=s.date.replace(day=1),
                planned_time=s.planned_time,
                place=s.place,
                agenda=s.agenda,
                monitor=monitor_on(org, s.date) if s.body == Body.MEMBERS else None,
                created_by=by if by.is_authenticated else None,
            )
            audit.record(by=by, action="meeting.schedule", obj=m, org_path=org.path, after=_snap(m))
    except IntegrityError:
        raise DomainError(_two_regular(s, "—"), field="date") from None
    return m


def _snap(m: Meeting) -> dict:
    return {
        "org": m.organisation.code,
        "body": m.body,
        "kind": m.kind,
        "combined": m.combined,
        "topic": m.topic,
        "date": m.date.isoformat(),
        "place": m.place,
        "state": m.state,
    }


def reschedule(*, by, meeting: Meeting, data: Schedule) -> Meeting:
    _check_editable(by, meeting)
    data.body = meeting.body  # who meets is fixed when the meeting is registered
    s = _clean_schedule(meeting.organisation, data, exclude=meeting.pk)
    before = _snap(meeting)
    with transaction.atomic():
        _relock(by, meeting)
        meeting.kind, meeting.combined, meeting.topic = s.kind, s.combined, s.topic
        meeting.date, meeting.month = s.date, s.date.replace(day=1)
        meeting.planned_time, meeting.place, meeting.agenda = s.planned_time, s.place, s.agenda
        if meeting.state == State.PLANNED and not meeting.of_body:
            meeting.monitor = monitor_on(meeting.organisation, s.date)
        meeting.save()
        refresh(meeting)
        audit.record(by=by, action="meeting.update", obj=meeting, org_path=meeting.org_path, before=before,
                     after=_snap(meeting))  # fmt: skip
    return meeting


def cancel(*, by, meeting: Meeting, reason: str) -> Meeting:
    _check_editable(by, meeting)
    if not clean(reason):
        raise DomainError(ERR_REQUIRED, field="reason")
    with transaction.atomic():
        _relock(by, meeting)
        meeting.state = State.CANCELLED
        meeting.save(update_fields=["state", "updated_at"])
        audit.record(by=by, action="meeting.cancel", obj=meeting, org_path=meeting.org_path,
                     after={"reason": clean(reason)})  # fmt: skip
    return meeting


def attach(*, by, meeting: Meeting, title: str, upload) -> MeetingFile:
    """A document for the meeting, stored through the storage API (never a public URL), with its SHA-256."""
    _check_editable(by, meeting)
    if upload is None:
        raise DomainError(ERR_REQUIRED, field="file")
    checked = check_upload(upload, ("pdf", "docx", "xlsx", "jpeg", "png"), extract=True)
    title = clean(title) or upload.name
    with transaction.atomic():
        _relock(by, meeting)
        f = MeetingFile(
            meeting=meeting,
            title=title[:255],
            size=checked.size,
            sha256=checked.sha256,
            uploaded_at=timezone.now(),
            uploaded_by=by if by.is_authenticated else None,
        )
        f.file.save(f"{checked.sha256[:16]}.{checked.kind}", upload, save=False)
        f.save()
        if ocr.is_scan(checked.kind, checked.text):
            queue_ocr(f)  # its searchable copy and text kept beside it (core.OcrCopy)
        refresh(meeting)
        audit.record(by=by, action="meeting.file", obj=meeting, org_path=meeting.org_path,
                     after={"title": f.title, "sha256": f.sha256, "size": f.size})  # fmt: skip
    return f


@dataclass
class Delivery:
    """Who a notice reached, and how: told to the sender by name, never as one round number."""

    in_app: list[str] = dc_field(default_factory=list)  # through the member's linked account
    by_email: list[str] = dc_field(default_factory=list)  # to the member's address (when e-mail is configured)
    neither: list[str] = dc_field(default_factory=list)  # no linked account, no e-mail: to be told in person

    total: int = 0  # everyone the notice was for

    def sentence(self) -> str:
        def names(xs):
            return ", ".join(xs[:8]) + (f" và {len(xs) - 8} người khác" if len(xs) > 8 else "")

        parts = []
        if self.in_app:
            parts.append(f"{len(self.in_app)} người nhận trong Đảng vụ ({names(self.in_app)})")
        if self.by_email:
            parts.append(f"{len(self.by_email)} người nhận qua thư điện tử ({names(self.by_email)})")
        text = "Đã ghi thông báo họp: " + ("; ".join(parts) if parts else "không ai nhận được qua Đảng vụ hay thư "
                                                                         "điện tử")  # fmt: skip
        if self.neither:
            text += (f". {len(self.neither)} người chưa có tài khoản liên kết hay địa chỉ thư điện tử, cần báo "
                     f"trực tiếp: {names(self.neither)}")  # fmt: skip
        return text + "."


def notify(*, by, meeting: Meeting) -> Delivery:
    """Send the notice (time, place, agenda) to every member summoned and to the assigned monitor: in the app to
    the account linked to the member (members.Member.account), and by e-mail when the server has e-mail
    configured and the member has an address. Returns who got it and how."""
    _check_editable(by, meeting)
    org = meeting.organisation
    lines = summoned(org, meeting.date, meeting.body)
    people = {
        m.pk: m
        for m in Member.objects.filter(pk__in=[x.member_id for x in lines if x.standing != Standing.AWAY])
        .select_related("account").order_by("sort_key", "pk")
    }  # fmt: skip
    monitor = None if meeting.of_body else monitor_on(org, meeting.date)
    now = timezone.now()
    title = f"Thông báo {meeting.title.lower()} {org.name} ngày {fmt(meeting.date)}"
    when = f"{meeting.planned_time:%H:%M} " if meeting.planned_time else ""
    body = f"Thời gian: {when}ngày {fmt(meeting.date)}. Địa điểm: {meeting.place or '—'}.\n\n{meeting.agenda}"
    if meeting.topic:
        body = f"Chuyên đề: {meeting.topic}.\n{body}"
    url = reverse("meetings:detail", args=[meeting.pk])
    recipients = [(m, False) for m in people.values()]
    if monitor is not None:
        recipients.append((monitor, True))
    delivery = Delivery(total=len(recipients))
    with transaction.atomic():
        _relock(by, meeting)
        if meeting.notified_at and now - meeting.notified_at < NOTIFY_AGAIN_AFTER:
            raise Conflict(ERR_NOTIFIED.format(at=timezone.localtime(meeting.notified_at).strftime("%H:%M:%S")))
        meeting.monitor = monitor
        meeting.notified_at = now
        meeting.save(update_fields=["monitor", "notified_at", "updated_at"])
        notices, inbox = [], []
        for m, is_monitor in recipients:
            user = m.account if m.account_id and m.account.is_active else None
            address = m.email if (m.email and settings.DANGVU_EMAIL_ENABLED) else ""
            label = m.full_name + (" (cấp ủy viên theo dõi)" if is_monitor else "")
            if user is not None:
                inbox.append(Notification(user=user, title=title, body=body, url=url))
                delivery.in_app.append(label)
            if address:
                delivery.by_email.append(label)
            if user is None and not address:
                delivery.neither.append(label)
            notices.append(Notice(meeting=meeting, member=m, is_monitor=is_monitor, sent_at=now,
                                  in_app=user is not None, email=address))  # fmt: skip
        Notice.objects.bulk_create(notices)
        Notification.objects.bulk_create(inbox)
        refresh(meeting)
        audit.record(by=by, action="meeting.notify", obj=meeting, org_path=meeting.org_path,
                     after={"notified": len(notices), "in_app": len(delivery.in_app),
                            "email": len(delivery.by_email), "neither": len(delivery.neither),
                            "monitor": monitor.full_name if monitor else None})  # fmt: skip
    if settings.DANGVU_EMAIL_ENABLED:
        addresses = [n.email for n in notices if n.email]
        transaction.on_commit(lambda: _send(title, body, addresses))
    return delivery


def _send(title: str, body: str, addresses: list[str]) -> None:
    for address in addresses:
        try:
            send_mail(title, body, None, [address])
        except OSError:  # the notice is recorded; a mail server outage must not undo it
            log.exception("meeting notice to %s failed", address)


# --- at the meeting -------------------------------------------------------------------------------------


@dataclass
class Mark:
    presence: str
    reason: str = ""
    suspended: bool = False


def roll_call(*, by, meeting: Meeting, marks: dict[int, Mark]) -> Meeting:
    """Record who came. `marks` maps member id → presence (and reason); every member summoned on the meeting's
    date must be marked, except those exempt or temporarily away (they may be marked present if they came).
    All or nothing."""
    _check_editable(by, meeting)
    _check_happened(meeting)
    org, on = meeting.organisation, meeting.date
    lines = {x.member_id: x for x in summoned(org, on, meeting.body)}
    errors: dict[str, str] = {}
    for member_id in marks:
        if member_id not in lines:
            m = Member.objects.filter(pk=member_id).first()
            msg = (
                _not_member(meeting, m)
                if m
                else ERR_UNKNOWN_MEMBER.format(id=member_id, date=fmt(on))
            )
            errors[f"m{member_id}"] = msg
    for member_id, line in lines.items():
        mark = marks.get(member_id)
        key = f"m{member_id}"
        if mark is None or not mark.presence:
            if line.standing in (Standing.REGULAR, Standing.GUEST):
                errors[key] = ERR_PRESENCE
            continue
        if mark.presence not in Presence.values:
            errors[key] = ERR_PRESENCE
        elif mark.presence == Presence.EXCUSED and not clean(mark.reason):
            errors[key] = ERR_REASON
        if mark.suspended and line.standing == Standing.GUEST:
            errors[key] = ERR_STANDING
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        _relock(by, meeting)
        meeting.attendance.all().delete()
        rows = []
        for member_id, line in lines.items():
            mark = marks.get(member_id) or Mark("")
            standing = Standing.SUSPENDED if mark.suspended else line.standing
            rows.append(
                Attendance(
                    meeting=meeting,
                    member_id=member_id,
                    rank=line.rank,
                    standing=standing,
                    presence=mark.presence,
                    reason=clean(mark.reason) if mark.presence != Presence.PRESENT else "",
                )
            )
        Attendance.objects.bulk_create(rows)
        if meeting.state == State.PLANNED:
            meeting.state = State.HELD
            meeting.save(update_fields=["state", "updated_at"])
        _refresh_votes(meeting)
        refresh(meeting)
        audit.record(by=by, action="meeting.roll_call", obj=meeting, org_path=meeting.org_path,
                     after={"present": meeting.present, "excused": meeting.excused, "absent": meeting.absent,
                            "expected": meeting.expected})  # fmt: skip
    return meeting


@dataclass
class Record:
    started_at: dt.time | None = None
    ended_at: dt.time | None = None
    chair: Member | None = None
    minute_taker: Member | None = None
    guests: str = ""
    summary: str = ""
    conclusion: str = ""


def record(*, by, meeting: Meeting, data: Record) -> Meeting:
    """The minutes' facts: times, chair, minute-taker, guests, the month's results and the conclusion."""
    _check_editable(by, meeting)
    _check_happened(meeting)
    errors = {}
    if data.started_at and data.ended_at and data.ended_at <= data.started_at:
        errors["ended_at"] = ERR_END_BEFORE_START.format(start=f"{data.started_at:%H:%M}")
    ids = {x.member_id for x in summoned(meeting.organisation, meeting.date, meeting.body)}
    for field in ("chair", "minute_taker"):
        person = getattr(data, field)
        if person is not None and person.pk not in ids:
            errors[field] = _not_member(meeting, person)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        _relock(by, meeting)
        meeting.started_at, meeting.ended_at = data.started_at, data.ended_at
        meeting.chair, meeting.minute_taker = data.chair, data.minute_taker
        meeting.guests, meeting.summary = clean(data.guests), data.summary.strip()
        meeting.conclusion = data.conclusion.strip()
        if meeting.state == State.PLANNED:
            meeting.state = State.HELD
        meeting.save()
        refresh(meeting)
        audit.record(by=by, action="meeting.record", obj=meeting, org_path=meeting.org_path,
                     after={"start": str(data.started_at or ""), "end": str(data.ended_at or ""),
                            "chair": data.chair.full_name if data.chair else None})  # fmt: skip
    return meeting


def speaker_add(*, by, meeting: Meeting, member: Member | None, name: str, opinion: str) -> Speaker:
    _check_editable(by, meeting)
    _check_happened(meeting)
    errors = {}
    if member is not None:
        ids = {x.member_id for x in summoned(meeting.organisation, meeting.date, meeting.body)}
        if member.pk not in ids:
            errors["member"] = _not_member(meeting, member)
        name = member.full_name
    if not clean(name):
        errors["name"] = ERR_REQUIRED
    if not opinion.strip():
        errors["opinion"] = ERR_REQUIRED
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        _relock(by, meeting)
        position = (meeting.speakers.aggregate(p=Max("position"))["p"] or 0) + 1
        s = Speaker.objects.create(
            meeting=meeting, member=member, name=clean(name), opinion=opinion.strip(), position=position
        )
        if meeting.state == State.PLANNED:
            meeting.state = State.HELD
            meeting.save(update_fields=["state", "updated_at"])
        refresh(meeting)
        audit.record(by=by, action="meeting.speaker", obj=meeting, org_path=meeting.org_path,
                     after={"name": s.name})  # fmt: skip
    return s


def speaker_remove(*, by, speaker: Speaker) -> None:
    meeting = speaker.meeting
    _check_editable(by, meeting)
    with transaction.atomic():
        _relock(by, meeting)
        audit.record(by=by, action="meeting.speaker_remove", obj=meeting, org_path=meeting.org_path,
                     before={"name": speaker.name})  # fmt: skip
        speaker.delete()
        refresh(meeting)


def vote_add(*, by, meeting: Meeting, kind: str, subject: str, votes_for: int, votes_against: int = 0,
             votes_abstain: int = 0) -> Vote:  # fmt: skip
    """An item put to the vote. Ballots are counted among official members present (probationary members and
    guests do not vote); the item passes against the base of section 1.7 by the rule for its kind."""
    _check_editable(by, meeting)
    _check_happened(meeting)
    errors = {}
    if kind not in VoteKind.values:
        errors["kind"] = ERR_REQUIRED
    if not clean(subject):
        errors["subject"] = ERR_REQUIRED
    counts = (votes_for, votes_against, votes_abstain)
    if any(c is None or c < 0 for c in counts):
        errors["votes_for"] = "Số phiếu là số nguyên không âm."
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    lines = lines_of(meeting)
    if not lines:
        raise DomainError(ERR_NO_ROLL_CALL, field="votes_for")
    f = quality.figures(lines)
    total = sum(counts)
    if total > f.voters_present:
        raise DomainError(ERR_BALLOTS.format(total=total, voters=f.voters_present), field="votes_for")
    required, passed = quality.vote_result(kind, votes_for, f.vote_base, _voting(meeting))
    with transaction.atomic():
        _relock(by, meeting)
        v = Vote.objects.create(
            meeting=meeting,
            kind=kind,
            subject=clean(subject),
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
            base=f.vote_base,
            required=required,
            passed=passed,
        )
        audit.record(by=by, action="meeting.vote", obj=meeting, org_path=meeting.org_path,
                     after={"subject": v.subject, "for": votes_for, "against": votes_against,
                            "abstain": votes_abstain, "base": v.base, "passed": passed})  # fmt: skip
    return v


def _voting(meeting: Meeting) -> dict:
    """The voting rules in force on the meeting's date: a cell's (section 1.7), or a collective body's, whose base
    is all its members (an authorised committee deciding an admission needs two thirds of all of them)."""
    if meeting.of_body:
        return rules.params("meetings.bodies", meeting.date)["voting"]
    return rules.params("meetings.voting", meeting.date)


def _refresh_votes(meeting: Meeting) -> None:
    """A corrected roll call changes the base: re-judge the votes already recorded."""
    votes = list(meeting.votes.all())
    if not votes:
        return
    lines = lines_of(meeting)
    f = quality.figures(lines)
    voting = _voting(meeting)
    for v in votes:
        v.base = f.vote_base
        v.required, v.passed = quality.vote_result(v.kind, v.votes_for, f.vote_base, voting)
    Vote.objects.bulk_update(votes, ["base", "required", "passed"])


ERR_VOTE_IN_USE = "Biểu quyết «{subject}» là căn cứ của một việc đã ghi (nghị quyết trong hồ sơ kết nạp…); không xóa được."


def vote_remove(*, by, vote: Vote) -> None:
    from django.db.models import ProtectedError

    meeting = vote.meeting
    _check_editable(by, meeting)
    try:
        with transaction.atomic():
            _relock(by, meeting)
            audit.record(by=by, action="meeting.vote_remove", obj=meeting, org_path=meeting.org_path,
                         before={"subject": vote.subject})  # fmt: skip
            vote.delete()
    except ProtectedError:  # another capability rests a record on it (an admission step): it stays
        raise Conflict(ERR_VOTE_IN_USE.format(subject=vote.subject), field="vote") from None


# --- after: numbers, the monthly report, the monitor's report ----------------------------------------------


# whose register a body's minutes and resolutions are numbered in: the standing committee issues under the
# committee's «ĐU», the inspection commission in its own («…/UBKTĐU»)
ISSUERS = {Body.STANDING: Issuer.STANDING, Body.COMMISSION: Issuer.COMMISSION}


def close(*, by, meeting: Meeting) -> Meeting:
    """Finish the minutes: they take their number (and the resolution its own, when there is a conclusion) and
    can no longer be edited. Needs the times, the chair, the minute-taker and the roll call. Checked on the
    locked meeting, so a double click or a second tab gets Conflict, never a second number."""
    _check_editable(by, meeting)
    _check_happened(meeting)
    with transaction.atomic():
        _relock(by, meeting)
        missing = [
            label
            for ok, label in (
                (meeting.started_at and meeting.ended_at, "giờ bắt đầu, kết thúc"),
                (meeting.chair_id, "người chủ trì"),
                (meeting.minute_taker_id, "thư ký"),
                (meeting.attendance.exists(), "điểm danh"),
            )
            if not ok
        ]
        if missing:
            raise DomainError(ERR_CLOSE_MISSING.format(missing=", ".join(missing)))
        what = f"{meeting.title.lower()} ngày {fmt(meeting.date)}"
        issuer = ISSUERS.get(meeting.body, Issuer.ORGANISATION)
        issue(meeting.organisation, DocType.MINUTES, meeting.date, body=issuer, meeting=meeting,
              origin=Origin.MEETING, subject=f"Biên bản {what}", by=by, check=False)  # fmt: skip
        if meeting.conclusion.strip():
            issue(meeting.organisation, DocType.RESOLUTION, meeting.date, body=issuer, meeting=meeting,
                  origin=Origin.MEETING, subject=f"Nghị quyết {what}", by=by, check=False)  # fmt: skip
        meeting.state = State.CLOSED
        meeting.save(update_fields=["state", "updated_at"])
        refresh(meeting)
        audit.record(by=by, action="meeting.close", obj=meeting, org_path=meeting.org_path,
                     after={"numbers": [n.symbol for n in meeting.numbers.all()]})  # fmt: skip
        minutes_closed.send(sender=Meeting, meeting=meeting, by=by)  # same transaction: all or nothing
    return meeting


def report_file(*, by, org: Organisation, month: dt.date, results: str, directions: str) -> MonthlyReport:
    """File (or correct) the cell's monthly report."""
    check_may_edit(by, org)
    month = month.replace(day=1)
    errors = {}
    if month > today().replace(day=1):
        errors["month"] = ERR_REPORT_MONTH
    if not results.strip():
        errors["results"] = ERR_REQUIRED
    if not directions.strip():
        errors["directions"] = ERR_REQUIRED
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    _check_open(org, month + dt.timedelta(days=27) if org.established_on > month else month, field="month")
    with transaction.atomic():
        r, created = MonthlyReport.objects.update_or_create(
            organisation=org,
            month=month,
            defaults={
                "org_path": org.path,
                "results": results.strip(),
                "directions": directions.strip(),
                "filed_at": timezone.now(),
                "filed_by": by if by.is_authenticated else None,
            },
        )
        audit.record(by=by, action="meeting.report" if created else "meeting.report_update", obj=r,
                     org_path=org.path, after={"month": month.isoformat()})  # fmt: skip
    return r


def check_may_monitor(by, org: Organisation) -> None:
    """The monitor's attendance and report are recorded on the superior committee's side."""
    if not covers(by, org.path):
        raise NotFound(org.code)
    parent = org.parent
    if parent is None or not covers(by, parent.path, roles=EDIT_ROLES):
        raise Forbidden(ERR_MONITOR_ROLE.format(org=org.name))


def monitor_record(*, by, meeting: Meeting, attended: bool, report: str) -> Meeting:
    check_may_monitor(by, meeting.organisation)
    if meeting.of_body:
        raise DomainError(ERR_BODY_NO_MONITOR.format(body=body_name(meeting.body)))
    _check_happened(meeting)
    if meeting.state == State.CANCELLED:
        raise DomainError(ERR_CANCELLED)
    if meeting.monitor_id is None:
        meeting.monitor = monitor_on(meeting.organisation, meeting.date)
    if meeting.monitor_id is None:
        raise DomainError(ERR_NO_MONITOR)
    if attended and not report.strip():
        raise DomainError(ERR_REQUIRED, field="report")
    with transaction.atomic():
        lock(meeting)
        if meeting.state == State.CANCELLED:
            raise Conflict(ERR_CANCELLED)
        meeting.monitor_attended = attended
        meeting.monitor_report = report.strip()
        meeting.monitor_reported_at = timezone.now() if report.strip() else None
        meeting.save(update_fields=["monitor", "monitor_attended", "monitor_report", "monitor_reported_at",
                                    "updated_at"])  # fmt: skip
        audit.record(by=by, action="meeting.monitor", obj=meeting, org_path=meeting.org_path,
                     after={"attended": attended, "reported": bool(report.strip())})  # fmt: skip
    return meeting


def template_upload(*, by, org: Organisation, doc_type: str, upload) -> DocTemplate:
    """An organisation's own template for its subtree's minutes or resolutions. Refused unless every tag only
    prints the documented data (core.templating) and it renders with a sample meeting."""
    check_may_edit(by, org)
    if doc_type not in (DocType.MINUTES, DocType.RESOLUTION):
        raise DomainError(ERR_REQUIRED, field="doc_type")
    if upload is None:
        raise DomainError(ERR_REQUIRED, field="file")
    checked = check_upload(upload, ("docx",))
    upload.seek(0)
    problem = try_template(upload.read())
    upload.seek(0)
    if problem:
        raise DomainError(ERR_TEMPLATE.format(error=problem), field="file")
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=org.pk).first()  # one upload at a time per organisation
        old = DocTemplate.objects.filter(organisation=org, doc_type=doc_type).first()
        if old:
            old.delete()  # the file stays in storage: documents generated from it can be traced
        t = DocTemplate(organisation=org, doc_type=doc_type, sha256=checked.sha256,
                        uploaded_by=by if by.is_authenticated else None)  # fmt: skip
        t.file.save(f"{org.code}-{doc_type}.docx", upload, save=False)
        t.save()
        audit.record(by=by, action="meeting.template", obj=t, org_path=org.path,
                     after={"doc_type": doc_type, "sha256": checked.sha256})  # fmt: skip
    return t


# --- working regulations ---------------------------------------------------------------------------------

ERR_RULES_DAY = "«{org}» đã ghi quy chế làm việc ban hành ngày {date}; sửa ngày hoặc ghi quy chế khác."
ERR_RULES_DOC = "Văn bản quy chế phải là một quy chế (QC) trong sổ văn bản đi của «{org}»."
ERR_RULES_BEFORE = "«{org}» được thành lập ngày {established}; quy chế không thể ban hành trước ngày đó."
ERR_EVERY = "Hãy chọn mỗi tháng, hai tháng, mỗi quý hoặc sáu tháng một lần."


@dataclass
class Rules:
    adopted_on: dt.date | None = None
    committee_every: int = 1
    standing_every: int = 1
    commission_every: int = 1
    document: object = None  # documents.Outgoing
    reference: str = ""
    note: str = ""


def rules_adopt(*, by, org: Organisation, data: Rules) -> WorkingRules:
    """Record the organisation's working regulations as adopted on a date, with how often each body meets. Later
    regulations replace earlier ones from their date; meetings are judged by those in force on their date."""
    from dangvu.documents.models import DocType as DT

    check_may_edit(by, org)
    errors = {}
    if data.adopted_on is None:
        errors["adopted_on"] = ERR_REQUIRED
    elif data.adopted_on > today():
        errors["adopted_on"] = "Ngày ban hành không được sau hôm nay."
    elif data.adopted_on < org.established_on:
        errors["adopted_on"] = ERR_RULES_BEFORE.format(org=org.name, established=fmt(org.established_on))
    for f in ("committee_every", "standing_every", "commission_every"):
        if getattr(data, f) not in dict(EVERY_CHOICES):
            errors[f] = ERR_EVERY
    doc = data.document
    if doc is not None and (doc.organisation_id != org.pk or doc.doc_type != DT.RULES):
        errors["document"] = ERR_RULES_DOC.format(org=org.name)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    if WorkingRules.objects.filter(organisation=org, adopted_on=data.adopted_on).exists():
        raise DomainError(ERR_RULES_DAY.format(org=org.name, date=fmt(data.adopted_on)), field="adopted_on")
    try:
        with transaction.atomic():
            r = WorkingRules.objects.create(
                organisation=org, org_path=org.path, adopted_on=data.adopted_on, document=doc,
                reference=doc.symbol if doc else clean(data.reference)[:60], committee_every=data.committee_every,
                standing_every=data.standing_every, commission_every=data.commission_every,
                note=clean(data.note)[:500], created_by=by if by.is_authenticated else None,
            )  # fmt: skip
            audit.record(by=by, action="meeting.working_rules", obj=r, org_path=org.path,
                         after={"adopted_on": r.adopted_on.isoformat(), "reference": r.reference,
                                "every": [r.committee_every, r.standing_every, r.commission_every]})  # fmt: skip
    except IntegrityError:  # the same day recorded by a second click
        raise DomainError(ERR_RULES_DAY.format(org=org.name, date=fmt(data.adopted_on)), field="adopted_on") from None
    return r
