"""/api/v1/members: the registry, with the same checks as the pages (everything goes through the services)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from dangvu.core import audit
from dangvu.core.api import MAX_LIMIT, MAX_OFFSET
from dangvu.core.errors import DomainError
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import selectors as sel
from . import services as svc
from .models import Member, TransferKind
from .models import Status as MemberStatus

router = Router()

StatusFilter = Literal["", "current", "left", *MemberStatus.values]  # type: ignore[valid-type]


class MemberOut(Schema):
    id: int
    full_name: str
    sex: str
    birth_date: dt.date
    ethnicity: str
    org: str | None = Field(description="mã tổ chức sinh hoạt chính thức (hoặc nơi đã rời đi)")
    org_name: str | None
    host_org: str | None = Field(description="mã nơi sinh hoạt tạm thời")
    status: str
    status_name: str
    status_since: dt.date
    admitted_on: dt.date
    official_on: dt.date | None
    card_number: str | None
    citizen_id: str | None


class MemberDetailOut(MemberOut):
    birth_name: str
    religion: str
    home_town: str
    birth_place: str
    residence: str
    phone: str
    general_education: str
    qualification: str
    specialty: str
    political_theory: str
    foreign_language: str
    occupation_before: str
    occupation: str
    position: str
    forces: str
    cv_number: str
    badge_number: str | None
    notes: str
    memberships: list[dict]
    status_history: list[dict]
    transfers: list[dict]
    entries: list[dict]


class MemberListOut(Schema):
    items: list[MemberOut]
    count: int


class MemberFilters(Schema):
    q: str = Field("", description="tên (không cần dấu), số thẻ hoặc số CCCD")
    org: str = Field("", description="mã tổ chức: tổ chức đó và toàn bộ cây bên dưới")
    status: StatusFilter = Field(
        "current", description="current (mặc định): đang trong danh sách; left; hoặc một trạng thái"
    )
    sex: Literal["", "nam", "nu"] = ""
    ethnicity: str = ""
    age: Literal["", *sel.AGE_BANDS] = ""  # type: ignore[valid-type]
    party_age: Literal["", *sel.PARTY_AGE_BANDS] = ""  # type: ignore[valid-type]
    qualification: str = ""
    theory: str = ""
    as_of: dt.date | None = Field(None, description="YYYY-MM-DD: danh sách tại ngày đó")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ProfileIn(Schema):
    full_name: str | None = None
    birth_name: str | None = None
    sex: Literal["nam", "nu"] | None = None
    birth_date: dt.date | None = None
    ethnicity: str | None = None
    religion: str | None = None
    home_town: str | None = None
    birth_place: str | None = None
    residence: str | None = None
    citizen_id: str | None = None
    phone: str | None = None
    general_education: str | None = None
    qualification: str | None = None
    specialty: str | None = None
    political_theory: str | None = None
    foreign_language: str | None = None
    occupation_before: str | None = None
    occupation: str | None = None
    position: str | None = None
    forces: str | None = None
    admitted_on: dt.date | None = None
    official_on: dt.date | None = None
    card_number: str | None = None
    cv_number: str | None = None
    badge_number: str | None = None
    notes: str | None = None


class CreateIn(ProfileIn):
    org: str = Field(description="mã chi bộ")
    joined_on: dt.date | None = Field(
        None, description="ngày bắt đầu sinh hoạt ở chi bộ; mặc định ngày vào Đảng"
    )


class EventIn(Schema):
    kind: Literal[
        "recognise", "exempt", "resume", "struck_off", "expelled", "resigned", "deceased", "transfer"
    ]
    on: dt.date | None = Field(None, description="ngày của sự kiện (với transfer: dùng letter_on)")
    reason: str = ""
    decision_number: str = ""
    # transfer
    transfer_kind: Literal["official", "temporary", "study"] = TransferKind.OFFICIAL
    to_org: str | None = Field(None, description="mã tổ chức đến trong hệ thống")
    to_text: str = Field("", description="nơi đến ngoài hệ thống")
    event_on: dt.date | None = None
    letter_on: dt.date | None = None
    letter_number: str = ""
    until: dt.date | None = None


class ReceiveIn(Schema):
    on: dt.date


def member_out(m: Member) -> dict:
    return {
        "id": m.pk,
        "full_name": m.full_name,
        "sex": m.sex,
        "birth_date": m.birth_date,
        "ethnicity": m.ethnicity,
        "org": m.org.code if m.org_id else None,
        "org_name": m.org.name if m.org_id else None,
        "host_org": m.host_org.code if m.host_org_id else None,
        "status": m.status,
        "status_name": m.get_status_display(),
        "status_since": m.status_since,
        "admitted_on": m.admitted_on,
        "official_on": m.official_on,
        "card_number": m.card_number,
        "citizen_id": m.citizen_id,
    }


def member_detail_out(m: Member) -> dict:
    h = sel.member_history(m)
    out = member_out(m)
    out.update({f: getattr(m, f) for f in svc.PROFILE_FIELDS if f not in out})
    out["memberships"] = [
        {
            "org": ms.organisation.code,
            "org_name": ms.organisation.name,
            "kind": ms.kind,
            "valid_from": ms.valid_from,
            "valid_to": ms.valid_to,
            "start_reason": ms.start_reason,
            "end_reason": ms.end_reason,
            "decision_number": (ms.start_event.decision_number if ms.start_event else None),
        }
        for ms in h["memberships"]
    ]
    out["status_history"] = [
        {"status": s.status, "valid_from": s.valid_from, "valid_to": s.valid_to, "reason": s.reason}
        for s in h["statuses"]
    ]
    out["transfers"] = [transfer_out(t) for t in h["transfers"]]
    out["entries"] = [
        {
            "kind": e.kind,
            "start": e.start,
            "end": e.end,
            "description": e.description,
            "decision_number": e.decision_number,
        }
        for e in h["entries"]
    ]
    return out


def transfer_out(t) -> dict:
    return {
        "id": t.pk,
        "kind": t.kind,
        "state": t.state,
        "from_org": t.from_org.code if t.from_org_id else None,
        "to_org": t.to_org.code if t.to_org_id else None,
        "to_text": t.to_text,
        "letter_on": t.letter_on,
        "start_deadline": t.start_deadline,
        "present_deadline": t.present_deadline,
        "received_on": t.received_on,
        "until": t.until,
    }


@router.get("", response=MemberListOut, summary="Danh sách đảng viên")
def list_members(request, filters: Query[MemberFilters]):
    org = org_get(request.user, filters.org) if filters.org else None  # outside the scope: 404
    f = sel.Filters(
        q=filters.q,
        status=filters.status,
        sex=filters.sex,
        ethnicity=filters.ethnicity,
        age=filters.age,
        qualification=filters.qualification,
        theory=filters.theory,
        party_age=filters.party_age,
        as_of=filters.as_of,
    )
    qs = sel.member_list(request.user, org=org, f=f).select_related("org", "host_org")
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {"items": [member_out(m) for m in page], "count": qs.count()}


@router.get("/{member_id}", response=MemberDetailOut, summary="Lý lịch và quá trình của một đảng viên")
def get_member(request, member_id: int):
    m = sel.member_get(request.user, member_id)
    audit.record(by=request.user, action="member.view", obj=m, org_path=m.org_path)
    return member_detail_out(m)


@router.post("", response={201: MemberDetailOut}, summary="Ghi một đảng viên vào danh sách một chi bộ")
def create_member(request, payload: CreateIn):
    org = org_field(request.user, payload.org, "org")
    data = payload.dict(exclude={"org", "joined_on"})
    m = svc.member_create(by=request.user, place=svc.Placement(org, joined_on=payload.joined_on), data=data)
    return Status(201, member_detail_out(sel.member_get(request.user, m.pk)))


@router.patch("/{member_id}", response=MemberDetailOut, summary="Sửa lý lịch (chỉ các trường gửi lên)")
def update_member(request, member_id: int, payload: ProfileIn):
    m = sel.member_get(request.user, member_id)
    data = payload.dict(exclude_unset=True)
    svc.member_update(by=request.user, member=m, data=data)
    return member_detail_out(sel.member_get(request.user, m.pk))


@router.post("/{member_id}/events", response=MemberDetailOut, summary="Ghi một sự kiện của đảng viên")
def record_event(request, member_id: int, payload: EventIn):
    m = sel.member_get(request.user, member_id)
    by = request.user
    if payload.kind == "recognise":
        svc.member_recognise(by=by, member=m, on=payload.on, decision_number=payload.decision_number)
    elif payload.kind == "exempt":
        svc.member_exempt(
            by=by, member=m, on=payload.on, reason=payload.reason, decision_number=payload.decision_number
        )
    elif payload.kind == "resume":
        svc.member_resume(by=by, member=m, on=payload.on, reason=payload.reason)
    elif payload.kind == "transfer":
        to_org = sel.transfer_destination(payload.to_org)
        if payload.event_on is None:
            raise DomainError("Trường này là bắt buộc.", field="event_on")
        if payload.letter_on is None:
            raise DomainError("Trường này là bắt buộc.", field="letter_on")
        svc.transfer_out(
            by=by,
            member=m,
            req=svc.TransferRequest(
                kind=payload.transfer_kind,
                reason=payload.reason,
                event_on=payload.event_on,
                letter_on=payload.letter_on,
                letter_number=payload.letter_number,
                to_org=to_org,
                to_text=payload.to_text,
                until=payload.until,
            ),
        )
    else:
        svc.member_leave(
            by=by,
            member=m,
            status=payload.kind,
            on=payload.on,
            reason=payload.reason,
            decision_number=payload.decision_number,
        )
    return member_detail_out(sel.member_get(request.user, m.pk))


@router.post(
    "/transfers/{transfer_id}/receive", response=MemberDetailOut, summary="Tiếp nhận đảng viên chuyển đến"
)
def receive(request, transfer_id: int, payload: ReceiveIn):
    t = sel.transfer_get(request.user, transfer_id)
    svc.transfer_receive(by=request.user, transfer=t, on=payload.on)
    return member_detail_out(sel.member_get(request.user, t.member_id))
