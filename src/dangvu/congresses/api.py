"""/api/v1/congresses: congresses and their elections through the same services and selectors as the pages: any
role on the subtree reads, the secretary, officer and administrator roles write (403 otherwise), a record outside
the scope is 404, the same field-level messages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Router, Schema, Status

from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import selectors as sel
from . import services as svc
from .models import Kind, Position

router = Router()
PositionIn = Literal[tuple(Position.values)]  # type: ignore[valid-type]
KindIn = Literal[tuple(Kind.values)]  # type: ignore[valid-type]


class CandidateOut(Schema):
    member_id: int
    name: str
    votes: int | None
    elected: bool


class ElectionOut(Schema):
    id: int
    position: str
    round: int
    held_on: dt.date
    seats: int
    ballots_issued: int | None
    ballots_valid: int | None
    ballots_invalid: int | None
    need: int | None = Field(description="số phiếu tối thiểu để trúng cử (quá một nửa số phiếu hợp lệ)")
    note: str
    minutes: str | None = Field(description="số biên bản kiểm phiếu, vd 01-BB/ĐH")
    candidates: list[CandidateOut]


class CongressOut(Schema):
    id: int
    org: str
    number: int
    term_name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    state: str
    term_starts_on: dt.date | None


class CongressDetailOut(CongressOut):
    attendees: int
    present: int
    voters: int
    elections: list[ElectionOut]


def _out(c) -> dict:
    return {"id": c.pk, "org": c.organisation.code, "number": c.number, "term_name": c.term_name, "kind": c.kind,
            "starts_on": c.starts_on, "ends_on": c.ends_on, "state": c.state,
            "term_starts_on": c.term.starts_on if c.term_id else None}  # fmt: skip


def _election(e) -> dict:
    return {"id": e.pk, "position": e.position, "round": e.round, "held_on": e.held_on, "seats": e.seats,
            "ballots_issued": e.ballots_issued, "ballots_valid": e.ballots_valid, "ballots_invalid": e.ballots_invalid,
            "need": e.need, "note": e.note, "minutes": e.minutes.symbol if e.minutes_id else None,
            "candidates": [{"member_id": x.member_id, "name": x.member.full_name, "votes": x.votes,
                            "elected": x.elected} for x in e.candidates.all()]}  # fmt: skip


def _detail(c) -> dict:
    d = sel.detail(c)
    return {**_out(c), "attendees": len(d["attendees"]), "present": d["present"], "voters": d["voters"],
            "elections": [_election(e) for e in d["elections"]]}  # fmt: skip


@router.get("", response=list[CongressOut], summary="Các đại hội của một tổ chức")
def list_congresses(request, org: str):
    return [_out(c) for c in sel.of_org(request.user, org_get(request.user, org))]


class CongressIn(Schema):
    org: str
    number: int | None = Field(None, ge=1, description="để trống: tiếp số thứ tự")
    term_name: str
    kind: KindIn = "members"
    starts_on: dt.date
    ends_on: dt.date
    place: str = ""


@router.post("", response={201: CongressDetailOut}, summary="Ghi một đại hội")
def post_congress(request, payload: CongressIn):
    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    c = svc.congress_create(by=request.user, org=org, data=svc.NewCongress(**data))
    return Status(201, _detail(sel.congress_get(request.user, c.pk)))


@router.get("/{congress_id}", response=CongressDetailOut, summary="Một đại hội: người dự, các lần bầu")
def get_congress(request, congress_id: int):
    return _detail(sel.congress_get(request.user, congress_id))


@router.post("/{congress_id}/summon", response=CongressDetailOut, summary="Triệu tập toàn bộ đảng viên")
def post_summon(request, congress_id: int):
    c = sel.congress_get(request.user, congress_id)
    svc.summon_members(by=request.user, congress=c)
    return _detail(c)


class PresenceIn(Schema):
    present: list[int] = Field(description="mã đảng viên có mặt; những người khác vắng")


@router.put("/{congress_id}/presence", response=CongressDetailOut, summary="Ghi người có mặt")
def put_presence(request, congress_id: int, payload: PresenceIn):
    c = sel.congress_get(request.user, congress_id)
    svc.presence(by=request.user, congress=c, present=set(payload.present))
    return _detail(c)


class ElectionIn(Schema):
    position: PositionIn
    seats: int = Field(1, ge=1)
    held_on: dt.date
    candidates: list[int] = Field(description="mã đảng viên của các ứng cử viên")


def _people(user, ids: list[int]) -> list[Member]:
    from dangvu.accounts.selectors import scope_q

    found = {m.pk: m for m in Member.objects.filter(scope_q(user, "org_path"), pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(f"Không có đảng viên mã {missing[0]}.", field="candidates")
    return [found[i] for i in ids]


@router.post("/{congress_id}/elections", response={201: ElectionOut}, summary="Lập danh sách bầu cử một lần bầu")
def post_election(request, congress_id: int, payload: ElectionIn):
    c = sel.congress_get(request.user, congress_id)
    e = svc.election_add(by=request.user, congress=c, data=svc.NewElection(
        position=payload.position, seats=payload.seats, held_on=payload.held_on, candidates=_people(request.user, payload.candidates)))  # fmt: skip
    return Status(201, _election(e))


class VotesIn(Schema):
    member_id: int
    votes: int = Field(ge=0)


class CountIn(Schema):
    ballots_issued: int = Field(ge=0)
    ballots_valid: int = Field(ge=0)
    ballots_invalid: int = Field(0, ge=0)
    votes: list[VotesIn] = Field(description="số phiếu bầu của từng ứng cử viên")


@router.post("/elections/{election_id}/count", response=ElectionOut, summary="Ghi kết quả kiểm phiếu")
def post_count(request, election_id: int, payload: CountIn):
    e = sel.election_get(request.user, election_id)
    svc.count(by=request.user, election=e, issued=payload.ballots_issued, valid=payload.ballots_valid,
              invalid=payload.ballots_invalid, votes={v.member_id: v.votes for v in payload.votes})  # fmt: skip
    return _election(e)


@router.delete("/elections/{election_id}", response={204: None}, summary="Xóa một lần bầu chưa kiểm phiếu")
def delete_election(request, election_id: int):
    svc.election_remove(by=request.user, election=sel.election_get(request.user, election_id))
    return Status(204, None)


class ConfirmIn(Schema):
    appointed: int | None = Field(None, description="bí thư do cấp ủy cấp trên chỉ định, khi đại hội không bầu được")
    reference: str = Field("", description="số, ngày quyết định chỉ định")


@router.post("/{congress_id}/confirm", response=CongressDetailOut,
             summary="Xác nhận kết quả: nhiệm kỳ mới và cấp ủy mới vào Ban lãnh đạo")  # fmt: skip
def post_confirm(request, congress_id: int, payload: ConfirmIn):
    c = sel.congress_get(request.user, congress_id)
    appointed = None
    if payload.appointed:
        appointed = sel.member_in_scope(request.user, payload.appointed)
        if appointed is None:
            raise DomainError(f"Không có đảng viên mã {payload.appointed}.", field="appointed")
    svc.confirm(by=request.user, congress=c, appointed=appointed, reference=payload.reference)
    return _detail(sel.congress_get(request.user, congress_id))


