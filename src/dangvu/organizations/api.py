"""/api/v1/organisations: the tree, its history, and lifecycle decisions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from dangvu.core.api import MAX_OFFSET
from dangvu.core.errors import DomainError

from . import selectors as sel
from .decisions import build_plan
from .models import OrgEvent

router = Router()

MAX_LIMIT = 500


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


class PlanOut(Schema):
    kind: str
    dry_run: bool
    changes: list[str]
    event: EventOut | None = None


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


@router.get("", response=OrgListOut, summary="Danh sách tổ chức đảng")
def list_organisations(request, filters: Query[OrgFilters]):
    qs = sel.org_list(
        request.user,
        q=filters.q,
        parent=filters.parent,
        ancestor=filters.ancestor,
        type=filters.type,
        kind=filters.kind,
        as_of=filters.as_of,
    )
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {"items": [org_out(o) for o in page], "count": qs.count()}


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


@router.post("/decisions", response={200: PlanOut, 201: PlanOut}, summary="Ghi một quyết định về tổ chức")
def record_decision(request, payload: OrgDecisionIn):
    data = payload.dict()
    if payload.new_target is not None:
        data["new_target"] = payload.new_target.dict()
    data["targets"] = [t.dict() for t in payload.targets]
    data["held_assignment"] = {"member": _member_ids(data.pop("member_assignment") or {})}
    plan = build_plan(request.user, data)
    if payload.dry_run:
        return Status(200, {"kind": plan.kind, "dry_run": True, "changes": plan.lines})
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
