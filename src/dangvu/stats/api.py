"""/api/v1/stats: the statistics page's figures, the frozen cut-offs and committee members at the grassroots,
through the same selectors and services as the pages (any role on the subtree reads; the secretary, officer and
administrator roles freeze a cut-off; out of scope is 404)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema, Status

from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.organizations.selectors import org_get

from . import grassroots, services
from . import selectors as sel

router = Router()


class RowOut(Schema):
    key: str
    label: str
    n: int


class DimensionOut(Schema):
    key: str
    title: str
    total: int
    rows: list[RowOut]


class CountOut(Schema):
    key: str = Field(description="vd: sex:nu, status:official, theory:cao-cap")
    n: int


class BranchOut(Schema):
    code: str
    name: str
    total: int
    counts: list[CountOut]


class FiguresOut(Schema):
    org: str
    org_name: str
    on: dt.date
    date_from: dt.date
    date_to: dt.date
    total: int
    dimensions: list[DimensionOut]
    flows: list[RowOut]
    transfers: list[RowOut]
    orgs_by_type: list[RowOut]
    orgs_by_kind: list[RowOut]
    orgs_events: list[RowOut]
    branches: list[BranchOut]


def _figures(data: dict) -> dict:
    return {**data, "branches": [{**b, "counts": [{"key": k, "n": n} for k, n in b["counts"].items()]}
                                 for b in data["branches"]]}  # fmt: skip


def _dates(on: dt.date | None, date_from: dt.date | None) -> tuple[dt.date, dt.date]:
    on = on or today()
    if on > today():
        raise DomainError(services.ERR_FUTURE_CUTOFF.format(today=today().strftime("%d/%m/%Y")), field="on")
    if on < services.EARLIEST:
        raise DomainError(services.ERR_TOO_EARLY, field="on")
    date_from = date_from or dt.date(on.year, 1, 1)
    if date_from < services.EARLIEST:
        raise DomainError(services.ERR_TOO_EARLY, field="date_from")
    if date_from > on:
        raise DomainError(services.ERR_FROM_AFTER, field="date_from")
    return on, date_from


@router.get("/{code}", response=FiguresOut, summary="Thống kê đảng viên, tổ chức đảng của một tổ chức và cấp dưới")
def get_figures(request, code: str, on: dt.date | None = None, date_from: dt.date | None = None):
    org = org_get(request.user, code)
    on, date_from = _dates(on, date_from)
    return _figures(sel.serialise(sel.figures(request.user, org, on, date_from, on)))


class SnapshotOut(Schema):
    id: int
    org: str
    on: dt.date
    date_from: dt.date
    note: str
    taken_at: dt.datetime
    total: int


def _snap(s) -> dict:
    return {"id": s.pk, "org": s.organisation.code, "on": s.on, "date_from": s.date_from, "note": s.note,
            "taken_at": s.taken_at, "total": s.data["total"]}  # fmt: skip


@router.get("/{code}/snapshots", response=list[SnapshotOut], summary="Các lần chốt số liệu")
def list_snapshots(request, code: str):
    org = org_get(request.user, code)
    return [_snap(s) for s in sel.snapshots(request.user, org).select_related("organisation")]


class SnapshotIn(Schema):
    on: dt.date
    date_from: dt.date | None = None
    note: str = Field("", max_length=255)


@router.post("/{code}/snapshots", response={201: SnapshotOut}, summary="Chốt số liệu tại một ngày")
def post_snapshot(request, code: str, payload: SnapshotIn):
    org = org_get(request.user, code)
    s = services.snapshot_take(by=request.user, org=org, on=payload.on, date_from=payload.date_from, note=payload.note)
    return Status(201, _snap(s))


class SnapshotDetailOut(SnapshotOut):
    figures: FiguresOut
    previous: SnapshotOut | None


@router.get("/snapshots/{snapshot_id}", response=SnapshotDetailOut, summary="Một lần chốt: số liệu như khi chốt")
def get_snapshot(request, snapshot_id: int):
    s = sel.snapshot_get(request.user, snapshot_id)
    prev = sel.previous_snapshot(s)
    return {**_snap(s), "figures": _figures(s.data), "previous": _snap(prev) if prev else None}


class LineOut(Schema):
    member_id: int
    name: str
    role: str
    cells: list[str] = Field(description="mã các chi bộ khu dân cư được phân công theo dõi")
    attended: int
    due_now: int
    minimum: int | None
    behind: bool
    field_days_done: int
    field_days_planned: int
    days: int


@router.get("/{code}/grassroots", response=list[LineOut], summary="Cấp ủy viên dự sinh hoạt chi bộ khu dân cư")
def get_grassroots(request, code: str, year: int | None = None):
    org = org_get(request.user, code)
    year = year or today().year
    if not 1930 <= year <= today().year + 1:
        raise DomainError("Năm không hợp lệ.", field="year")
    data = grassroots.attendance(org, year, today())
    return [{"member_id": x.member.pk, "name": x.member.full_name, "role": x.role, "cells": [c.code for c in x.cells],
             "attended": x.attended, "due_now": x.due_now, "minimum": x.minimum, "behind": x.behind,
             "field_days_done": x.done, "field_days_planned": x.planned, "days": x.days} for x in data["lines"]]  # fmt: skip
