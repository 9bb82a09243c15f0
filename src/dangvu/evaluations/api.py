"""/api/v1/reviews: registrations, commitments, the review workflow, results and the summary of a subtree, through
the same services and selectors as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from dangvu.core.api import MAX_LIMIT, MAX_OFFSET
from dangvu.members.selectors import member_get
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import documents
from . import selectors as sel
from . import services as svc
from .models import Level, Period, Review

router = Router()
LevelIn = Literal[tuple(Level.values)]  # type: ignore[valid-type]
PeriodIn = Literal[tuple(Period.values)]  # type: ignore[valid-type]


class ReviewOut(Schema):
    id: int
    subject: str = Field(description="member (đảng viên) hoặc organisation (tổ chức đảng)")
    member_id: int | None
    name: str
    org: str = Field(
        description="mã tổ chức: nơi đảng viên sinh hoạt trong kỳ, hoặc chính tổ chức được kiểm điểm"
    )
    year: int
    period: str = Field(description="Y (cả năm) hoặc Q1–Q4")
    form: str = Field(description="01, 2A, 2B, 2C")
    state: str = Field(description="draft, submitted, reviewed, decided")
    score: Decimal | None = Field(
        description="điểm đã quyết định (thang 100; null với khung không chấm điểm)"
    )
    level: str = Field(description="mức đã quyết định; rỗng khi chưa quyết định")
    self_score: Decimal | None
    self_level: str
    cell_score: Decimal | None
    cell_level: str
    votes_for: int | None
    votes_base: int | None
    decision_number: str
    decided_on: dt.date | None
    rules_from: dt.date | None


class ReviewDetailOut(ReviewOut):
    tasks_total: int | None
    tasks_exceeded: int | None
    strengths: str
    shortcomings: str
    remedies: str
    cell_comment: str
    facts: dict
    decisions: list[dict]


class ReviewListOut(Schema):
    items: list[ReviewOut]
    count: int


def review_out(r: Review) -> dict:
    return {
        "id": r.pk, "subject": r.subject, "member_id": r.member_id, "name": r.subject_name,
        "org": r.organisation.code, "year": r.year, "period": r.period, "form": r.form, "state": r.state,
        "score": r.score, "level": r.level, "self_score": r.self_score, "self_level": r.self_level,
        "cell_score": r.cell_score, "cell_level": r.cell_level, "votes_for": r.votes_for,
        "votes_base": r.votes_base, "decision_number": r.decision_number, "decided_on": r.decided_on,
        "rules_from": r.rules_from,
    }  # fmt: skip


def detail_out(r: Review) -> dict:
    out = review_out(r)
    out.update(
        tasks_total=r.tasks_total, tasks_exceeded=r.tasks_exceeded, strengths=r.strengths,
        shortcomings=r.shortcomings, remedies=r.remedies, cell_comment=r.cell_comment, facts=r.facts,
        decisions=[{"number": d.number, "decided_on": d.decided_on, "level": d.level, "score": d.score,
                    "reason": d.reason} for d in r.decisions.all()],
    )  # fmt: skip
    return out


class Scope(Schema):
    org: str = Field(description="mã tổ chức: tổ chức đó và toàn bộ cây bên dưới")
    year: int = Field(ge=2000, le=2100)
    period: PeriodIn = "Y"  # type: ignore[valid-type]


class ReviewFilters(Scope):
    subject: Literal["", "member", "organisation"] = ""
    state: Literal["", "draft", "submitted", "reviewed", "decided"] = ""
    level: Literal["", "excellent", "good", "completed", "not_completed"] = ""
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _page(qs, limit: int, offset: int) -> dict:
    return {"items": [review_out(r) for r in qs[offset : offset + limit]], "count": qs.count()}


@router.get("", response=ReviewListOut, summary="Các bản kiểm điểm của một tổ chức và cây bên dưới")
def list_reviews(request, f: Query[ReviewFilters]):
    org = org_get(request.user, f.org)
    qs = sel.review_list(request.user, org, f.year, f.period, subject=f.subject, state=f.state, level=f.level)
    return _page(qs, f.limit, f.offset)


class LevelCount(Schema):
    count: int
    percent: float | None = Field(description="phần trăm trên số đã xếp loại")


class Counts(Schema):
    expected: int = Field(description="đảng viên sinh hoạt trong kỳ / tổ chức hoạt động trong kỳ")
    decided: int
    draft: int
    submitted: int
    reviewed: int
    levels: dict[str, LevelCount]


class MemberCounts(Counts):
    committed: int


class OrgCounts(Counts):
    registered: int


class QuotaOut(Schema):
    org: str
    name: str
    excellent: int
    base: int
    cap: int


class SummaryOut(Schema):
    org: str
    year: int
    period: str
    members: MemberCounts
    organisations: OrgCounts
    quota_breaches: list[QuotaOut]
    disciplined: int = Field(description="đảng viên bị thi hành kỷ luật trong kỳ")


def _counts(c: dict) -> dict:
    out = {k: v for k, v in c.items() if k not in ("levels", "percent", "dist", "started")}
    out["levels"] = {k: {"count": c["levels"][k], "percent": c["percent"][k]} for k in Level.values}
    return out


@router.get(
    "/summary", response=SummaryOut, summary="Số lượng, tỷ lệ từng mức xếp loại và tiến độ của một cây"
)
def summary(request, f: Query[Scope]):
    org = org_get(request.user, f.org)
    total, _ = sel.rollup(org, f.year, f.period)
    return {
        "org": org.code, "year": f.year, "period": f.period, "members": _counts(total["members"]),
        "organisations": _counts(total["orgs"]),
        "quota_breaches": [{"org": q.org.code, "name": q.org.name, "excellent": q.excellent, "base": q.base,
                            "cap": q.cap} for q in sel.quota_rows(org, f.year, f.period)],
        "disciplined": len({d.entry.member_id for d in sel.disciplined_rows(org, f.year, f.period)}),
    }  # fmt: skip


@router.get("/results", response=ReviewListOut, summary="Kết quả xếp loại đã quyết định")
def list_results(request, f: Query[ReviewFilters]):
    org = org_get(request.user, f.org)
    qs = sel.results(request.user, org, f.year, f.period)
    if f.subject:
        qs = qs.filter(subject=f.subject)
    return _page(qs, f.limit, f.offset)


# --- registrations and commitments --------------------------------------------------------------------------


class RegistrationOut(Schema):
    org: str
    name: str
    year: int
    target_level: str
    goals: list[str]
    admissions_target: int | None
    registered_on: dt.date


class RegistrationIn(Schema):
    org: str
    year: int
    target_level: LevelIn  # type: ignore[valid-type]
    goals: str = Field(description="mỗi dòng một chỉ tiêu")
    admissions_target: int | None = Field(None, ge=0, le=1000, description="chỉ tiêu kết nạp đảng viên mới")
    registered_on: dt.date | None = None


class YearScope(Schema):
    org: str
    year: int = Field(ge=2000, le=2100)


def _registration(r) -> dict:
    return {"org": r.organisation.code, "name": r.organisation.name, "year": r.year,
            "target_level": r.target_level, "goals": r.goal_lines, "admissions_target": r.admissions_target,
            "registered_on": r.registered_on}  # fmt: skip


@router.get("/registrations", response=list[RegistrationOut], summary="Đăng ký phấn đấu của các tổ chức")
def list_registrations(request, f: Query[YearScope]):
    org = org_get(request.user, f.org)
    qs = sel.Registration.objects.filter(org_path__startswith=org.path, year=f.year).select_related(
        "organisation"
    )
    return [_registration(r) for r in qs.order_by("org_path")]


@router.post(
    "/registrations", response={201: RegistrationOut}, summary="Ghi đăng ký phấn đấu của một tổ chức"
)
def post_registration(request, payload: RegistrationIn):
    org = org_field(request.user, payload.org, "org")
    data = payload.dict(exclude={"org"})
    return Status(201, _registration(svc.registration_save(by=request.user, org=org, **data)))


class CommitmentOut(Schema):
    member_id: int
    name: str
    org: str
    year: int
    target_level: str
    content: str
    submitted_on: dt.date


class CommitmentIn(Schema):
    member_id: int
    year: int
    target_level: LevelIn  # type: ignore[valid-type]
    content: str
    submitted_on: dt.date | None = None


def _commitment(c) -> dict:
    return {"member_id": c.member_id, "name": c.member.full_name, "org": c.organisation.code, "year": c.year,
            "target_level": c.target_level, "content": c.content, "submitted_on": c.submitted_on}  # fmt: skip


@router.get("/commitments", response=list[CommitmentOut], summary="Bản cam kết của đảng viên")
def list_commitments(request, f: Query[YearScope]):
    org = org_get(request.user, f.org)
    qs = sel.Commitment.objects.filter(org_path__startswith=org.path, year=f.year)
    return [_commitment(c) for c in qs.select_related("member", "organisation").order_by("org_path",
                                                                                        "member__sort_key")]  # fmt: skip


@router.post("/commitments", response={201: CommitmentOut}, summary="Ghi bản cam kết của một đảng viên")
def post_commitment(request, payload: CommitmentIn):
    member = member_get(request.user, payload.member_id)
    data = payload.dict(exclude={"member_id"})
    return Status(201, _commitment(svc.commitment_save(by=request.user, member=member, **data)))


# --- the workflow -------------------------------------------------------------------------------------------


class ReviewOpenIn(Schema):
    year: int
    period: PeriodIn = "Y"  # type: ignore[valid-type]
    member_id: int | None = Field(None, description="đảng viên được kiểm điểm; hoặc")
    org: str = Field("", description="mã tổ chức được kiểm điểm tập thể (Mẫu 01)")
    form: Literal["", "01", "2A", "2B", "2C"] = ""


@router.post(
    "", response={201: ReviewDetailOut}, summary="Mở bản kiểm điểm của một đảng viên hoặc một tổ chức"
)
def open_review(request, payload: ReviewOpenIn):
    member = member_get(request.user, payload.member_id) if payload.member_id else None
    org = None if member else org_field(request.user, payload.org, "org")
    r = svc.review_open(by=request.user, year=payload.year, period=payload.period, member=member, org=org,
                        form=payload.form)  # fmt: skip
    return Status(201, detail_out(sel.review_get(request.user, r.pk)))


@router.get("/{review_id}", response=ReviewDetailOut, summary="Một bản kiểm điểm")
def get_review(request, review_id: int):
    return detail_out(sel.review_get(request.user, review_id))


class SelfIn(Schema):
    form: Literal["", "01", "2A", "2B", "2C"] = ""
    tasks_total: int | None = Field(None, ge=0, le=1000)
    tasks_exceeded: int | None = Field(None, ge=0, le=1000)
    strengths: str = ""
    shortcomings: str = ""
    remedies: str = ""
    self_score: float | None = Field(None, ge=0, le=100, description="0–100, một chữ số thập phân")
    self_level: Literal["", "excellent", "good", "completed", "not_completed"] = ""
    submit: bool = Field(False, description="nộp luôn sau khi lưu")


@router.put("/{review_id}/self", response=ReviewDetailOut, summary="Ghi bản tự kiểm điểm (và nộp)")
def put_self(request, review_id: int, payload: SelfIn):
    r = sel.review_get(request.user, review_id)
    data = payload.dict()
    submit = data.pop("submit")
    r = svc.review_self(by=request.user, review=r, data=svc.SelfReview(**data))
    if submit:
        svc.review_submit(by=request.user, review=r)
    return detail_out(sel.review_get(request.user, review_id))


class AssessIn(Schema):
    cell_score: float | None = Field(None, ge=0, le=100, description="0–100, một chữ số thập phân")
    cell_level: LevelIn  # type: ignore[valid-type]
    cell_comment: str = ""
    votes_for: int = Field(ge=0)
    votes_base: int = Field(ge=1)
    reviewed_on: dt.date | None = None


@router.post("/{review_id}/assessment", response=ReviewDetailOut,
             summary="Kết quả kiểm điểm, mức đề xuất và biểu quyết của chi bộ (tập thể)")  # fmt: skip
def post_assessment(request, review_id: int, payload: AssessIn):
    r = sel.review_get(request.user, review_id)
    svc.review_assess(by=request.user, review=r, data=svc.Assessment(**payload.dict()))
    return detail_out(sel.review_get(request.user, review_id))


class ReviewDecisionIn(Schema):
    level: LevelIn  # type: ignore[valid-type]
    score: float | None = Field(None, ge=0, le=100, description="mặc định: điểm chi bộ chấm")
    number: str = Field(description="số quyết định, vd: 125-QĐ/ĐU")
    decided_on: dt.date | None = None
    reason: str = Field("", description="bắt buộc khi thay đổi kết quả đã quyết định")


@router.post(
    "/{review_id}/decision", response=ReviewDetailOut, summary="Quyết định xếp loại (cấp có thẩm quyền)"
)
def post_decision(request, review_id: int, payload: ReviewDecisionIn):
    r = sel.review_get(request.user, review_id)
    svc.review_decide(by=request.user, verdicts=[svc.Verdict(r, payload.level, payload.score)],
                      number=payload.number, decided_on=payload.decided_on, reason=payload.reason)  # fmt: skip
    return detail_out(sel.review_get(request.user, review_id))


@router.get("/{review_id}/form.docx", summary="Bản kiểm điểm theo mẫu (01, 2A, 2B, 2C) dạng .docx")
def form_docx(request, review_id: int):
    return documents.download(request.user, sel.review_get(request.user, review_id))
