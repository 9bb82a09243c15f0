"""/api/v1/meetings: the schedule, attendance, votes, the documents and the rollups, through the same services
and selectors as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from dangvu.core.api import MAX_LIMIT, MAX_OFFSET, LocalTime
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import documents
from . import selectors as sel
from . import services as svc
from .models import DocType, Meeting, State, VoteKind

router = Router()


class Criterion(Schema):
    code: str
    label: str
    met: bool
    reason: str


class AttendanceOut(Schema):
    present: int
    excused: int
    absent: int
    base: int = Field(
        description="cơ sở biểu quyết: đảng viên chính thức được triệu tập trừ các trường hợp loại trừ (mục 1.7)"
    )
    expected: int = Field(description="số đảng viên phải dự họp (mẫu số của tỷ lệ dự họp)")
    rate: float | None


class MeetingOut(Schema):
    id: int
    org: str
    org_name: str
    date: dt.date
    body: str = Field(description="members (chi bộ), committee (cấp ủy), standing (Ban Thường vụ), commission (UBKT)")
    kind: str
    combined: bool
    topic: str
    state: str
    duration_minutes: int | None
    attendance: AttendanceOut
    quality: list[Criterion]
    rules_from: dt.date | None
    numbers: list[str]


class LineOut(Schema):
    member_id: int
    name: str
    rank: str
    standing: str
    presence: str
    reason: str


class VoteOut(Schema):
    id: int
    kind: str
    subject: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    base: int
    required: int
    passed: bool


class MeetingDetailOut(MeetingOut):
    place: str
    agenda: str
    started_at: dt.time | None
    ended_at: dt.time | None
    chair: str | None
    minute_taker: str | None
    conclusion: str
    lines: list[LineOut]
    speakers: list[dict]
    votes: list[VoteOut]
    monitor: str | None
    monitor_attended: bool | None
    monitor_reported: bool


class MeetingListOut(Schema):
    items: list[MeetingOut]
    count: int


class MeetingFilters(Schema):
    org: str = Field("", description="mã tổ chức: tổ chức đó và toàn bộ cây bên dưới")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: Literal["", "regular", "thematic", "extra"] = ""
    body: Literal["", "members", "committee", "standing", "commission"] = ""
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def meeting_out(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "org": m.organisation.code,
        "org_name": m.organisation.name,
        "date": m.date,
        "body": m.body,
        "kind": m.kind,
        "combined": m.combined,
        "topic": m.topic,
        "state": m.state,
        "duration_minutes": m.duration_minutes,
        "attendance": {
            "present": m.present,
            "excused": m.excused,
            "absent": m.absent,
            "base": m.vote_base,
            "expected": m.expected,
            "rate": round(100 * m.present / m.expected, 1) if m.expected else None,
        },
        "quality": m.quality,
        "rules_from": m.rules_from,
        "numbers": [n.symbol for n in m.numbers.all()],
    }


def detail_out(m: Meeting) -> dict:
    out = meeting_out(m)
    out.update(
        place=m.place,
        agenda=m.agenda,
        started_at=m.started_at,
        ended_at=m.ended_at,
        chair=m.chair.full_name if m.chair else None,
        minute_taker=m.minute_taker.full_name if m.minute_taker else None,
        conclusion=m.conclusion,
        lines=[x.__dict__ for x in sel.lines_of(m)],
        speakers=[{"name": s.name, "opinion": s.opinion} for s in m.speakers.all()],
        votes=list(m.votes.all()),
        monitor=m.monitor.full_name if m.monitor else None,
        monitor_attended=m.monitor_attended,
        monitor_reported=m.monitor_reported_at is not None,
    )
    return out


@router.get("", response=MeetingListOut, summary="Danh sách buổi sinh hoạt")
def list_meetings(request, filters: Query[MeetingFilters]):
    org = org_get(request.user, filters.org) if filters.org else None
    qs = sel.meeting_list(
        request.user, org=org, date_from=filters.date_from, date_to=filters.date_to, kind=filters.kind,
        body=filters.body,
    ).prefetch_related("numbers")
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {"items": [meeting_out(m) for m in page], "count": qs.count()}


class ScheduleIn(Schema):
    org: str
    date: dt.date
    body: Literal["members", "committee", "standing", "commission"] = "members"
    kind: Literal["regular", "thematic", "extra"] = "regular"
    topic: str = ""
    combined: bool = False
    planned_time: LocalTime | None = None
    place: str = ""
    agenda: str = ""


@router.post("", response={201: MeetingDetailOut}, summary="Đăng ký lịch một buổi sinh hoạt")
def schedule(request, payload: ScheduleIn):
    org = org_field(request.user, payload.org, "org")
    data = payload.dict()
    data.pop("org")
    m = svc.schedule(by=request.user, org=org, data=svc.Schedule(**data))
    return Status(201, detail_out(sel.meeting_get(request.user, m.pk)))


class RollupFilters(Schema):
    org: str = Field(description="mã tổ chức: tổ chức đó và toàn bộ cây bên dưới")
    period: str = Field("", description="tháng (2026-03) hoặc quý (2026-Q1); mặc định: tháng này")


@router.get("/rollup", summary="Tổng hợp sinh hoạt chi bộ của một tổ chức và cây bên dưới")
def rollup(request, filters: Query[RollupFilters]):
    o = org_get(request.user, filters.org)
    p = sel.Period.parse(filters.period, today())
    return {
        "org": o.code,
        "period": p.key,
        "date_from": p.start,
        "date_to": p.end,
        "totals": sel.dashboard(request.user, o, p),
        "branches": sel.rollup(request.user, o, p.start, p.end),
        "bodies": sel.bodies_dashboard(request.user, o, p, today()),
    }


@router.get(
    "/{meeting_id}", response=MeetingDetailOut, summary="Một buổi sinh hoạt: điểm danh, ý kiến, biểu quyết"
)
def get_meeting(request, meeting_id: int):
    return detail_out(sel.meeting_get(request.user, meeting_id))


class MarkIn(Schema):
    member_id: int
    presence: Literal["present", "excused", "absent", ""]
    reason: str = ""
    suspended: bool = False


class AttendanceIn(Schema):
    lines: list[MarkIn]


@router.put("/{meeting_id}/attendance", response=MeetingDetailOut, summary="Điểm danh (toàn bộ, một lần)")
def put_attendance(request, meeting_id: int, payload: AttendanceIn):
    m = sel.meeting_get(request.user, meeting_id)
    marks = {x.member_id: svc.Mark(x.presence, x.reason, x.suspended) for x in payload.lines}
    svc.roll_call(by=request.user, meeting=m, marks=marks)
    return detail_out(sel.meeting_get(request.user, meeting_id))


class VoteIn(Schema):
    kind: Literal[tuple(VoteKind.values)] = "ordinary"  # type: ignore[valid-type]
    subject: str
    votes_for: int = Field(ge=0)
    votes_against: int = Field(0, ge=0)
    votes_abstain: int = Field(0, ge=0)


@router.post("/{meeting_id}/votes", response={201: VoteOut}, summary="Ghi một kết quả biểu quyết")
def add_vote(request, meeting_id: int, payload: VoteIn):
    m = sel.meeting_get(request.user, meeting_id)
    v = svc.vote_add(by=request.user, meeting=m, **payload.dict())
    return Status(201, v)


def _docx(request, meeting_id: int, doc_type: str) -> HttpResponse:
    m = sel.meeting_get(request.user, meeting_id)
    if m.state not in (State.HELD, State.CLOSED):
        raise DomainError("Buổi sinh hoạt chưa diễn ra; chưa có biên bản, nghị quyết.")
    return documents.download(request.user, m, doc_type)


@router.get("/{meeting_id}/minutes.docx", summary="Biên bản (.docx, thể thức văn bản của Đảng)")
def minutes_docx(request, meeting_id: int):
    return _docx(request, meeting_id, DocType.MINUTES)


@router.get("/{meeting_id}/resolution.docx", summary="Nghị quyết (.docx, thể thức văn bản của Đảng)")
def resolution_docx(request, meeting_id: int):
    return _docx(request, meeting_id, DocType.RESOLUTION)
