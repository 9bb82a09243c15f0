"""/api/v1/admission: the sympathisers' cases, their steps, eligibility and the pipeline of a subtree, through the
same services and selectors as the pages (the same checks, the same messages, the same scope: 404 outside)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from dangvu.accounts.selectors import scope_q
from dangvu.core import audit
from dangvu.core.api import MAX_LIMIT, MAX_OFFSET
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.meetings.models import Vote
from dangvu.members.selectors import member_get
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import selectors as sel
from . import services as svc
from .models import Case, Proposer, Stage, StepKind

router = Router()
StepIn_ = Literal[tuple(StepKind.values)]  # type: ignore[valid-type]
ProposerIn = Literal[tuple(Proposer.values)]  # type: ignore[valid-type]


class StepOut(Schema):
    kind: str
    done_on: dt.date
    received_on: dt.date | None
    number: str
    signer: str
    votes_for: int | None
    votes_base: int | None
    due_on: dt.date | None = Field(description="hạn theo quy định (ngày làm việc); null khi không có hạn")
    late: bool
    rules_from: dt.date | None = Field(description="phiên bản quy định đã dùng (ngày có hiệu lực)")


class CaseOut(Schema):
    id: int
    full_name: str
    birth_date: dt.date
    sex: str
    org: str = Field(description="mã chi bộ")
    stage: str = Field(description=", ".join(f"{s} ({label})" for s, label in Stage.choices))
    stage_since: dt.date
    next_step: str = Field(description="bước tiếp theo; rỗng khi đã kết thúc")
    next_due: dt.date | None = Field(description="hạn của bước tiếp theo")
    overdue: bool
    member_id: int | None = Field(description="đảng viên được kết nạp (sau lễ kết nạp)")


class CaseDetailOut(CaseOut):
    ethnicity: str
    religion: str
    home_town: str
    residence: str
    citizen_id: str | None
    general_education: str
    occupation: str
    proposed_by: str
    proposed_on: dt.date
    course_on: dt.date | None
    course_number: str
    ended_reason: str
    introducers: list[dict]
    steps: list[StepOut]
    eligibility: list[str] = Field(description="lý do chưa đủ điều kiện vào Đảng (xét ngày hôm nay hoặc ngày chi bộ xét)")
    papers: list[dict] = Field(description="giấy tờ các bước đã ghi cần có: mã, tên, đã có hay chưa")
    papers_missing: int


class CaseListOut(Schema):
    items: list[CaseOut]
    count: int


def case_out(c: Case) -> dict:
    return {"id": c.pk, "full_name": c.full_name, "birth_date": c.birth_date, "sex": c.sex,
            "org": c.organisation.code, "stage": c.stage, "stage_since": c.stage_since, "next_step": c.next_step,
            "next_due": c.next_due, "overdue": bool(c.next_due and c.next_due < today()),
            "member_id": c.member_id}  # fmt: skip


def step_out(s) -> dict:
    return {"kind": s.kind, "done_on": s.done_on, "received_on": s.received_on, "number": s.number,
            "signer": s.signer, "votes_for": s.votes_for, "votes_base": s.votes_base, "due_on": s.due_on,
            "late": s.late, "rules_from": s.rules_from}  # fmt: skip


def detail_out(c: Case) -> dict:
    out = case_out(c)
    steps = sel.steps_of(c)
    on = steps["cell_resolution"].done_on if "cell_resolution" in steps else None
    out.update({f: getattr(c, f) for f in ("ethnicity", "religion", "home_town", "residence", "citizen_id",
                                           "general_education", "occupation", "proposed_by", "proposed_on",
                                           "course_on", "course_number", "ended_reason")})  # fmt: skip
    out["introducers"] = [{"member_id": i.member_id, "name": i.member.full_name, "since": i.since,
                           "assigned_on": i.assigned_on} for i in c.introducers.select_related("member")]  # fmt: skip
    out["steps"] = [step_out(steps[k]) for k in svc.ORDER if k in steps]
    out["eligibility"] = svc.eligibility(c, on) if c.open and c.stage in svc.BEFORE_ADMISSION else []
    papers, out["papers_missing"] = svc.checklist(c)
    out["papers"] = [{"code": p.code, "title": p.title, "optional": p.optional, "present": p.present} for p in papers]
    return out


class CaseFilters(Schema):
    org: str = Field(description="mã tổ chức: tổ chức đó và toàn bộ cây bên dưới")
    q: str = Field("", max_length=100, description="tìm theo tên, số CCCD, không cần dấu")
    state: str = Field("", description="rỗng (đang xét), before, probation, overdue, ended, all, hoặc một bước")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/cases", response=CaseListOut, summary="Hồ sơ phát triển đảng viên của một tổ chức và cây bên dưới")
def list_cases(request, f: Query[CaseFilters]):
    org = org_get(request.user, f.org)
    qs = sel.case_list(request.user, org, sel.Filters(q=f.q, state=f.state))
    return {"items": [case_out(c) for c in qs[f.offset : f.offset + f.limit]], "count": qs.count()}


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="Một hồ sơ: lý lịch, người giới thiệu, các bước")
def get_case(request, case_id: int):
    c = sel.case_get(request.user, case_id)
    audit.record(by=request.user, action="admission.view", obj=c, org_path=c.org_path)
    return detail_out(c)


class CaseIn(Schema):
    org: str = Field(description="mã chi bộ")
    full_name: str = Field(max_length=120)
    sex: Literal["nam", "nu"]
    birth_date: dt.date
    ethnicity: str = Field("Kinh", max_length=40)
    religion: str = Field("Không", max_length=60)
    home_town: str = Field("", max_length=255)
    residence: str = Field("", max_length=255)
    citizen_id: str | None = Field(None, max_length=20)
    phone: str = Field("", max_length=20)
    general_education: str = Field("", max_length=10)
    occupation: str = Field("", max_length=120)
    proposed_by: ProposerIn  # type: ignore[valid-type]
    proposed_on: dt.date
    course_on: dt.date | None = None
    course_number: str = Field("", max_length=40)
    course_issuer: str = Field("", max_length=160)
    area_exception: bool = False


@router.post("/cases", response={201: CaseDetailOut}, summary="Đưa một người vào danh sách quần chúng ưu tú")
def post_case(request, payload: CaseIn):
    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    c = svc.case_create(by=request.user, org=org, data=data)
    return Status(201, detail_out(sel.case_get(request.user, c.pk)))


class IntroducerIn(Schema):
    member_id: int
    since: dt.date
    assigned_on: dt.date | None = None


@router.post("/cases/{case_id}/introducers", response={201: CaseDetailOut}, summary="Phân công người giới thiệu")
def post_introducer(request, case_id: int, payload: IntroducerIn):
    c = sel.case_get(request.user, case_id)
    member = member_get(request.user, payload.member_id)
    svc.introducer_add(by=request.user, case=c, member=member, since=payload.since, assigned_on=payload.assigned_on)
    return Status(201, detail_out(sel.case_get(request.user, c.pk)))


class StepIn(Schema):
    kind: StepIn_ = Field(description="phải là bước tiếp theo của hồ sơ")  # type: ignore[valid-type]
    done_on: dt.date
    number: str = Field("", max_length=40)
    signer: str = Field("", max_length=120)
    note: str = Field("", max_length=2000)
    received_on: dt.date | None = None
    vote_id: int | None = Field(None, description="biểu quyết của buổi sinh hoạt chi bộ (nghị quyết chi bộ)")
    votes_for: int | None = Field(None, ge=0, le=1000)
    votes_base: int | None = Field(None, ge=1, le=1000)


@router.post("/cases/{case_id}/steps", response={201: CaseDetailOut}, summary="Ghi bước tiếp theo của hồ sơ")
def post_step(request, case_id: int, payload: StepIn):
    c = sel.case_get(request.user, case_id)
    vote = None
    if payload.vote_id is not None:
        vote = (Vote.objects.filter(scope_q(request.user, "meeting__org_path"), pk=payload.vote_id)
                .select_related("meeting").first())  # fmt: skip
        if vote is None:
            raise DomainError(svc.ERR_VOTE, field="vote_id")
    data = svc.StepData(done_on=payload.done_on, number=payload.number, signer=payload.signer, note=payload.note,
                        received_on=payload.received_on, vote=vote, votes_for=payload.votes_for,
                        votes_base=payload.votes_base)  # fmt: skip
    try:
        svc.step_record(by=request.user, case=c, kind=payload.kind, data=data)
    except DomainError as e:
        if e.errors.get("vote"):
            e.errors = {"vote_id": e.errors["vote"]}
        raise
    return Status(201, detail_out(sel.case_get(request.user, c.pk)))


class EndIn(Schema):
    on: dt.date | None = None
    reason: str = Field(max_length=500)
    number: str = Field("", max_length=40)


@router.post("/cases/{case_id}/end", response=CaseDetailOut,
             summary="Dừng xem xét (trước khi kết nạp) hoặc không công nhận chính thức (đảng viên dự bị)")  # fmt: skip
def post_end(request, case_id: int, payload: EndIn):
    c = sel.case_get(request.user, case_id)
    if c.stage in svc.BEFORE_ADMISSION:
        svc.case_end(by=request.user, case=c, on=payload.on, reason=payload.reason)
    else:
        svc.not_recognised(by=request.user, case=c, on=payload.on, reason=payload.reason, number=payload.number)
    return detail_out(sel.case_get(request.user, c.pk))


class BranchOut(Schema):
    org: str | None
    name: str
    stages: dict[str, int]
    open: int
    overdue: int
    admitted: int
    recognised: int
    target: int | None


class PipelineOut(Schema):
    total: BranchOut
    branches: list[BranchOut]


def _branch(b) -> dict:
    return {"org": b.org.code if b.org else None, "name": b.org.name if b.org else "", "stages": b.stages,
            "open": b.open, "overdue": b.overdue, "admitted": b.admitted, "recognised": b.recognised,
            "target": b.target}  # fmt: skip


class PipelineScope(Schema):
    org: str
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/pipeline", response=PipelineOut,
            summary="Theo đơn vị trực thuộc: hồ sơ đang xét theo bước, quá hạn, kết nạp và công nhận trong năm")  # fmt: skip
def pipeline(request, f: Query[PipelineScope]):
    org = org_get(request.user, f.org)
    total, branches = sel.pipeline(request.user, org, f.year)
    return {"total": _branch(total), "branches": [_branch(b) for b in branches]}
