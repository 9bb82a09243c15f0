"""/api/v1/organisations: the tree, its history, and lifecycle decisions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from dangvu.core.api import MAX_LIMIT, MAX_OFFSET
from dangvu.core.dates import today
from dangvu.core.errors import DomainError

from . import ahead
from . import selectors as sel
from .decisions import build_plan
from .models import OrgEvent, PendingDecision

router = Router()



class OrgOut(Schema):
    code: str
    name: str
    type: str
    type_name: str
    kind: Literal["committee", "cell"]
    parent: str | None
    path: str
    established_on: dt.date
    closed_on: dt.date | None


class OrgListOut(Schema):
    items: list[OrgOut]
    count: int


class OrgTypeOut(Schema):
    code: str
    name: str
    kind: str
    is_grassroots: bool
    superior_of_grassroots: bool
    allowed_children: list[str]
    active_until: dt.date | None


class OrgTypeListOut(Schema):
    items: list[OrgTypeOut]
    count: int


class EventLinkOut(Schema):
    code: str
    name: str
    role: Literal["subject", "source", "target"]


class EventOut(Schema):
    id: int
    kind: str
    kind_name: str
    effective_on: dt.date
    decision_number: str
    issuer: str
    note: str
    organisations: list[EventLinkOut]
    details: dict


class EventListOut(Schema):
    items: list[EventOut]
    count: int


class HistoryOut(Schema):
    organisation: OrgOut
    events: list[EventOut]
    predecessors: list[OrgOut]
    successors: list[OrgOut]


class OrgFilters(Schema):
    q: str = Field("", description="tên, không cần dấu")
    parent: str = Field("", description="mã tổ chức cấp trên: chỉ các tổ chức trực thuộc trực tiếp")
    ancestor: str = Field("", description="mã tổ chức: toàn bộ cây bên dưới")
    type: str = Field("", description="mã loại tổ chức")
    kind: Literal["", "committee", "cell"] = ""
    as_of: dt.date | None = Field(None, description="YYYY-MM-DD; mặc định hôm nay")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class NewOrgIn(Schema):
    code: str
    name: str
    type: str
    parent: str | None = None


class SplitTargetIn(Schema):
    existing: str | None = Field(None, description="mã tổ chức có sẵn; hoặc để trống và nhập tổ chức mới")
    code: str | None = None
    name: str | None = None
    type: str | None = None
    parent: str | None = None


class OrgDecisionIn(Schema):
    kind: Literal["establish", "rename", "move", "merge", "split", "dissolve"]
    decision_number: str = Field(..., description="«Số 123-QĐ/TU» hoặc «123-QĐ/TU»")
    effective_on: dt.date
    issuer: str = ""
    note: str = ""
    dry_run: bool = Field(False, description="chỉ kiểm tra và mô tả thay đổi, không ghi")
    # establish
    code: str | None = None
    name: str | None = Field(None, description="establish: tên tổ chức mới; rename: tên mới")
    type: str | None = None
    parent: str | None = None
    # rename, move, dissolve
    org: str | None = None
    new_parent: str | None = None
    transfer_to: str | None = None
    # merge
    sources: list[str] = []
    target: str | None = None
    new_target: NewOrgIn | None = None
    # split
    source: str | None = None
    targets: list[SplitTargetIn] = []
    assignment: dict[str, int] = Field({}, description="mã tổ chức trực thuộc → chỉ số trong targets")
    member_assignment: dict[str, int] = Field(
        {}, description="split: id đảng viên của tổ chức nguồn → chỉ số trong targets"
    )


class PendingOrgOut(Schema):
    code: str
    name: str


class PendingOut(Schema):
    id: int
    kind: str
    kind_name: str
    effective_on: dt.date
    decision_number: str
    issuer: str
    state: Literal["pending", "applied", "cancelled", "failed"]
    state_name: str
    changes: list[str]
    organisations: list[PendingOrgOut]
    event_id: int | None
    cancel_reason: str
    cancel_number: str
    failure: str


class PendingListOut(Schema):
    items: list[PendingOut]
    count: int


class CancelIn(Schema):
    reason: str = Field(..., description="lý do hủy (bắt buộc)")
    number: str = Field("", description="số quyết định hủy, nếu có: «Số 130-QĐ/TU»")


class PlanOut(Schema):
    kind: str
    dry_run: bool
    changes: list[str]
    event: EventOut | None = None
    pending: PendingOut | None = Field(None, description="quyết định có hiệu lực sau hôm nay: đã ghi, chờ đến ngày")


def org_out(row) -> dict:
    row = sel.as_row(row) if not isinstance(row, sel.OrgRow) else row
    o = row.org
    return {
        "code": o.code,
        "name": row.name,
        "type": row.type.code,
        "type_name": row.type.name,
        "kind": row.type.kind,
        "parent": row.parent.code if row.parent else None,
        "path": row.path,
        "established_on": o.established_on,
        "closed_on": o.closed_on,
    }


def event_out(e: OrgEvent) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_name": e.get_kind_display(),
        "effective_on": e.effective_on,
        "decision_number": e.decision_number,
        "issuer": e.issuer,
        "note": e.note,
        "details": e.details,
        "organisations": [
            {"code": link.organisation.code, "name": link.organisation.name, "role": link.role}
            for link in e.links.all()
        ],
    }


def pending_out(p: PendingDecision) -> dict:
    return {
        "id": p.pk, "kind": p.kind, "kind_name": p.get_kind_display(), "effective_on": p.effective_on,
        "decision_number": p.decision_number, "issuer": p.issuer, "state": p.state,
        "state_name": p.get_state_display(), "changes": p.lines,
        "organisations": [{"code": o.code, "name": o.name} for o in p.orgs.all()], "event_id": p.event_id,
        "cancel_reason": p.cancel_reason, "cancel_number": p.cancel_number, "failure": p.failure,
    }  # fmt: skip


@router.get("", response=OrgListOut, summary="Danh sách tổ chức đảng")
def list_organisations(request, filters: Query[OrgFilters]):
    """A past `as_of` reads the history; a future one, the tree as the decisions recorded ahead will leave it."""

    def read(as_of):
        qs = sel.org_list(request.user, q=filters.q, parent=filters.parent, ancestor=filters.ancestor,
                          type=filters.type, kind=filters.kind, as_of=as_of)  # fmt: skip
        page = list(qs[filters.offset : filters.offset + filters.limit])
        return {"items": [org_out(o) for o in page], "count": qs.count()}

    if filters.as_of is not None and filters.as_of > today():
        with ahead.projected(request.user, filters.as_of):
            return read(None)
    return read(filters.as_of if filters.as_of != today() else None)


@router.get("/types", response=OrgTypeListOut, summary="Các loại tổ chức đảng")
def list_types(request):
    items = [
        {
            "code": t.code,
            "name": t.name,
            "kind": t.kind,
            "is_grassroots": t.is_grassroots,
            "superior_of_grassroots": t.superior_of_grassroots,
            "active_until": t.active_until,
            "allowed_children": [c.code for c in t.allowed_children.all()],
        }
        for t in sel.org_types()
    ]
    return {"items": items, "count": len(items)}


@router.get("/decisions", response=EventListOut, summary="Các quyết định về tổ chức")
def list_decisions(request, limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    qs = sel.events_visible(request.user)
    page = list(qs[offset : offset + limit])
    return {"items": [event_out(e) for e in page], "count": qs.count()}


def _member_ids(assignment: dict[str, int]) -> dict[int, int]:
    bad = [k for k in assignment if not str(k).isdigit()]
    if bad:
        raise DomainError(f"«{bad[0]}» không phải là mã đảng viên (số).", field="member_assignment")
    return {int(k): v for k, v in assignment.items()}


@router.get("/decisions/pending", response=PendingListOut, summary="Các quyết định đã ghi trước ngày hiệu lực")
def list_pending(request, state: Literal["", "pending", "applied", "cancelled", "failed"] = "",
                 limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):  # fmt: skip
    qs = ahead.visible(request.user).order_by("effective_on", "pk")
    if state:
        qs = qs.filter(state=state)
    return {"items": [pending_out(p) for p in qs[offset : offset + limit]], "count": qs.count()}


@router.post("/decisions/pending/{pending_id}/cancel", response=PendingOut,
             summary="Hủy một quyết định trước ngày hiệu lực")  # fmt: skip
def cancel_pending(request, pending_id: int, payload: CancelIn):
    p = ahead.cancel(by=request.user, pending=ahead.get(request.user, pending_id), reason=payload.reason,
                     number=payload.number)  # fmt: skip
    return pending_out(ahead.get(request.user, p.pk))


@router.post("/decisions", response={200: PlanOut, 201: PlanOut, 202: PlanOut},
             summary="Ghi một quyết định về tổ chức (sau hôm nay: ghi trước, tự có hiệu lực vào ngày đó, 202)")
def record_decision(request, payload: OrgDecisionIn):
    data = payload.dict()
    if payload.new_target is not None:
        data["new_target"] = payload.new_target.dict()
    data["targets"] = [t.dict() for t in payload.targets]
    data["held_assignment"] = {"member": _member_ids(data.pop("member_assignment") or {})}
    plan = build_plan(request.user, data)
    if payload.dry_run:
        return Status(200, {"kind": plan.kind, "dry_run": True, "changes": plan.lines})
    if plan.ahead:
        p = ahead.record(by=request.user, data=data)
        return Status(202, {"kind": plan.kind, "dry_run": False, "changes": plan.lines,
                            "pending": pending_out(ahead.get(request.user, p.pk))})  # fmt: skip
    event = plan.execute()  # one transaction
    event = OrgEvent.objects.prefetch_related("links__organisation").get(pk=event.pk)
    return Status(
        201, {"kind": plan.kind, "dry_run": False, "changes": plan.lines, "event": event_out(event)}
    )


@router.get("/{code}", response=OrgOut, summary="Một tổ chức (kể cả đã chấm dứt hoạt động)")
def get_organisation(request, code: str):
    return org_out(sel.org_get(request.user, code))


@router.get("/{code}/subtree", response=OrgListOut, summary="Toàn bộ cây bên dưới một tổ chức")
def subtree(
    request,
    code: str,
    as_of: dt.date | None = None,
    limit: int = Query(500, ge=1, le=5000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = sel.org_list(request.user, ancestor=code, as_of=as_of)
    qs = qs.order_by("path")
    page = list(qs[offset : offset + limit])
    return {"items": [org_out(o) for o in page], "count": qs.count()}


@router.get(
    "/{code}/history", response=HistoryOut, summary="Lịch sử: quyết định, tổ chức tiền thân và kế tục"
)
def history(request, code: str):
    org = sel.org_get(request.user, code)
    h = sel.org_history(request.user, org)
    return {
        "organisation": org_out(org),
        "events": [event_out(e) for e in h.events],
        "predecessors": [org_out(o) for o in h.predecessors],
        "successors": [org_out(o) for o in h.successors],
    }
