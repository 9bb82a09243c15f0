"""/api/v1/inspection: programmes, inspections and supervisions, discipline and appeals, notices from outside and
denunciations, through the same services and selectors as the pages: confidential roles only (403 on a subtree
for the others, 404 on an object), every read audited, the same field-level messages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from dangvu.core import audit
from dangvu.core.api import MAX_LIMIT, MAX_OFFSET
from dangvu.core.errors import DomainError, Forbidden, NotFound
from dangvu.members.models import Seat
from dangvu.members.selectors import member_get
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import selectors as sel
from . import services as svc
from .models import (
    Activity,
    AppealOutcome,
    Body,
    ComplaintKind,
    Discipline,
    Form,
    Gravity,
    Inspection,
    ItemState,
    Method,
    Programme,
    Source,
)

router = Router()
BodyIn = Literal[tuple(Body.values)]  # type: ignore[valid-type]
ActivityIn = Literal[tuple(Activity.values)]  # type: ignore[valid-type]
MethodIn = Literal[tuple(Method.values)]  # type: ignore[valid-type]
FormIn = Literal[tuple(Form.values)]  # type: ignore[valid-type]
GravityIn = Literal[tuple(Gravity.values)]  # type: ignore[valid-type]


def _org(request, code: str):
    org = org_get(request.user, code)
    if not sel.may_read(request.user, org):
        raise Forbidden(svc.ERR_ROLE.format(org=org.name))
    return org


def _read(request, what: str, obj=None, org=None) -> None:
    audit.record(by=request.user, action="inspection.read", obj=obj if obj is not None else org,
                 org_path=obj.org_path if obj is not None else org.path, after={"api": what})  # fmt: skip


def _subject(request, org, subject_org: str | None, member_id: int | None) -> dict:
    data: dict = {"subject_org": None, "subject_member": None}
    if subject_org:
        data["subject_org"] = org_field(request.user, subject_org, "subject_org")
    if member_id is not None:
        try:
            data["subject_member"] = member_get(request.user, member_id)
        except NotFound:  # out of scope reads as unknown: a field error, like an organisation
            raise DomainError("Không có đảng viên này trong phạm vi được giao.", field="subject_member_id") from None
    return data


def _seat(d: Discipline, seat_id: int | None):
    """A post the disciplined member holds, named by id (anything else reads as none: the service says so)."""
    if seat_id is None or not d.subject_member_id:
        return None
    return Seat.objects.filter(pk=seat_id, member_id=d.subject_member_id, valid_to__isnull=True).first()


def _renamed(e: DomainError, mapping: dict) -> DomainError:
    e.errors = {mapping.get(k, k): v for k, v in e.errors.items()}
    return e


# --- overview ------------------------------------------------------------------------------------------------


class Scope(Schema):
    org: str = Field(description="mã tổ chức: tổ chức đó và toàn bộ cây bên dưới")
    year: int | None = Field(None, ge=2000, le=2100)


class BranchOut(Schema):
    org: str | None
    name: str
    items: int
    items_done: int
    items_late: int
    inspections: int
    supervisions: int
    violations: int
    recs_open: int
    recs_late: int
    disciplined: dict[str, int]


class OverviewOut(Schema):
    total: BranchOut
    branches: list[BranchOut]
    never_inspected_since: dt.date
    never_inspected: list[str] = Field(description="mã các tổ chức chưa được kiểm tra trong nhiệm kỳ (tối đa 50)")
    never_inspected_count: int


def _branch(b) -> dict:
    return {"org": b.org.code if b.org else None, "name": b.org.name if b.org else "", "items": b.items,
            "items_done": b.items_done, "items_late": b.items_late, "inspections": b.inspections,
            "supervisions": b.supervisions, "violations": b.violations, "recs_open": b.recs_open,
            "recs_late": b.recs_late, "disciplined": b.disciplined}  # fmt: skip


@router.get("/overview", response=OverviewOut, summary="Theo đơn vị: chương trình, kiểm tra, giám sát, kỷ luật trong năm")
def overview(request, f: Query[Scope]):
    from dangvu.core.dates import today

    org = _org(request, f.org)
    ov = sel.overview(request.user, org, f.year or today().year)
    _read(request, "overview", org=org)
    return {"total": _branch(ov.total), "branches": [_branch(b) for b in ov.branches],
            "never_inspected_since": ov.since, "never_inspected": [o.code for o in ov.never],
            "never_inspected_count": ov.never_count}  # fmt: skip


# --- programmes ------------------------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    activity: str
    method: str
    subject_org: str | None
    subject_member_id: int | None
    subject: str
    content: str
    starts_on: dt.date
    due_on: dt.date
    carried_by: str
    state: str
    done_on: dt.date | None
    inspection_id: int | None


class ProgrammeOut(Schema):
    id: int
    org: str
    body: str
    year: int | None
    term: str | None
    title: str
    adopted_on: dt.date
    number: str
    items: list[ItemOut] = []


def _item(it) -> dict:
    insp = getattr(it, "inspection", None)
    return {"id": it.pk, "activity": it.activity, "method": it.method,
            "subject_org": it.subject_org.code if it.subject_org_id else None, "subject_member_id": it.subject_member_id,
            "subject": it.subject_label, "content": it.content, "starts_on": it.starts_on, "due_on": it.due_on,
            "carried_by": it.carried_by, "state": it.state, "done_on": it.done_on,
            "inspection_id": insp.pk if insp else None}  # fmt: skip


def _programme(p: Programme, items: bool = False) -> dict:
    return {"id": p.pk, "org": p.organisation.code, "body": p.body, "year": p.year,
            "term": p.term.name if p.term_id else None, "title": p.title, "adopted_on": p.adopted_on,
            "number": p.number, "items": [_item(i) for i in sel.items_of(p)] if items else []}  # fmt: skip


@router.get("/programmes", response=list[ProgrammeOut], summary="Chương trình kiểm tra, giám sát của cây tổ chức")
def list_programmes(request, f: Query[Scope]):
    org = _org(request, f.org)
    _read(request, "programmes", org=org)
    return [_programme(p) for p in sel.programmes(request.user, org, f.year)[:MAX_LIMIT]]


class ProgrammeIn(Schema):
    org: str
    body: BodyIn  # type: ignore[valid-type]
    year: int | None = Field(None, ge=2000, le=2100, description="để trống: chương trình cả nhiệm kỳ")
    title: str = Field(max_length=255)
    adopted_on: dt.date
    number: str = Field("", max_length=40, description="để trống: lấy số tiếp theo trong sổ")


@router.post("/programmes", response={201: ProgrammeOut}, summary="Ghi chương trình kiểm tra, giám sát")
def post_programme(request, payload: ProgrammeIn):
    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    p = svc.programme_create(by=request.user, org=org, data=data)
    return Status(201, _programme(sel.programme_get(request.user, p.pk), items=True))


@router.get("/programmes/{programme_id}", response=ProgrammeOut, summary="Một chương trình và các nội dung")
def get_programme(request, programme_id: int):
    p = sel.programme_get(request.user, programme_id)
    _read(request, "programme", p)
    return _programme(p, items=True)


class ItemIn(Schema):
    activity: ActivityIn  # type: ignore[valid-type]
    method: MethodIn  # type: ignore[valid-type]
    subject_org: str | None = Field(None, description="mã tổ chức đảng được kiểm tra, giám sát")
    subject_member_id: int | None = None
    content: str = Field(max_length=5000)
    starts_on: dt.date
    due_on: dt.date
    carried_by: str = Field(max_length=255)


@router.post("/programmes/{programme_id}/items", response={201: ProgrammeOut}, summary="Thêm nội dung vào chương trình")
def post_item(request, programme_id: int, payload: ItemIn):
    p = sel.programme_get(request.user, programme_id)
    data = payload.dict()
    data.update(_subject(request, p.organisation, data.pop("subject_org"), data.pop("subject_member_id")))
    try:
        svc.item_add(by=request.user, programme=p, data=data)
    except DomainError as e:
        raise _renamed(e, {"subject_member": "subject_member_id"}) from None
    return Status(201, _programme(p, items=True))


class ProgressIn(Schema):
    state: Literal[tuple(v for v in ItemState.values if v != "planned")]  # type: ignore[valid-type]
    on: dt.date | None = None
    note: str = Field("", max_length=500)


@router.post("/programmes/{programme_id}/items/{item_id}/progress", response=ProgrammeOut,
             summary="Ghi tiến độ một nội dung")  # fmt: skip
def post_progress(request, programme_id: int, item_id: int, payload: ProgressIn):
    p = sel.programme_get(request.user, programme_id)
    item = p.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound(item_id)
    svc.item_progress(by=request.user, item=item, state=payload.state, on=payload.on, note=payload.note)
    return _programme(p, items=True)


# --- inspections -----------------------------------------------------------------------------------------------


class RecOut(Schema):
    id: int
    text: str
    due_on: dt.date
    done_on: dt.date | None


class InspectionOut(Schema):
    id: int
    org: str
    body: str
    activity: str
    method: str
    subject_org: str | None
    subject_member_id: int | None
    subject: str
    content: str
    decision_number: str
    decided_on: dt.date
    ends_on: dt.date
    concluded_on: dt.date | None
    conclusion_number: str
    violation: bool


class InspectionDetailOut(InspectionOut):
    team: str
    self_report: str
    result_report: str
    findings: str
    sent_on: dt.date | None
    recommendations: list[RecOut]


def _inspection(i: Inspection, detail: bool = False) -> dict:
    out = {"id": i.pk, "org": i.organisation.code, "body": i.body, "activity": i.activity, "method": i.method,
           "subject_org": i.subject_org.code if i.subject_org_id else None, "subject_member_id": i.subject_member_id,
           "subject": i.subject_label, "content": i.content, "decision_number": i.decision_number,
           "decided_on": i.decided_on, "ends_on": i.ends_on, "concluded_on": i.concluded_on,
           "conclusion_number": i.conclusion_number, "violation": i.violation}  # fmt: skip
    if detail:
        out.update({"team": i.team, "self_report": i.self_report, "result_report": i.result_report,
                    "findings": i.findings, "sent_on": i.sent_on,
                    "recommendations": [{"id": r.pk, "text": r.text, "due_on": r.due_on, "done_on": r.done_on}
                                        for r in i.recommendations.all()]})  # fmt: skip
    return out


class ListFilters(Schema):
    org: str
    q: str = Field("", max_length=100)
    state: str = Field("", max_length=20)
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class InspectionListOut(Schema):
    items: list[InspectionOut]
    count: int


@router.get("/inspections", response=InspectionListOut, summary="Các cuộc kiểm tra, giám sát của cây tổ chức")
def list_inspections(request, f: Query[ListFilters]):
    org = _org(request, f.org)
    qs = sel.inspections(request.user, org, sel.Filters(q=f.q, state=f.state))
    _read(request, "inspections", org=org)
    return {"items": [_inspection(i) for i in qs[f.offset : f.offset + f.limit]], "count": qs.count()}


class InspectionIn(Schema):
    org: str
    body: BodyIn  # type: ignore[valid-type]
    activity: ActivityIn | None = None  # type: ignore[valid-type]
    method: MethodIn | None = None  # type: ignore[valid-type]
    item_id: int | None = Field(None, description="nội dung của chương trình (đối tượng, nội dung lấy từ đó)")
    subject_org: str | None = None
    subject_member_id: int | None = None
    content: str = Field("", max_length=5000)
    decided_on: dt.date
    decision_number: str = Field("", max_length=40, description="để trống: lấy số tiếp theo trong sổ")
    team: str = Field(max_length=2000)
    ends_on: dt.date


@router.post("/inspections", response={201: InspectionDetailOut}, summary="Quyết định kiểm tra, giám sát")
def post_inspection(request, payload: InspectionIn):
    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    item = None
    item_id = data.pop("item_id")
    if item_id is not None:
        from .models import Item

        item = Item.objects.filter(pk=item_id, programme__in=sel.programmes(request.user, org)).first()
        if item is None:
            raise DomainError("Không có nội dung này trong chương trình của tổ chức.", field="item_id")
    data.update(_subject(request, org, data.pop("subject_org"), data.pop("subject_member_id")))
    try:
        i = svc.inspection_open(by=request.user, org=org, data=data, item=item)
    except DomainError as e:
        raise _renamed(e, {"subject_member": "subject_member_id", "item": "item_id"}) from None
    return Status(201, _inspection(sel.inspection_get(request.user, i.pk), detail=True))


@router.get("/inspections/{inspection_id}", response=InspectionDetailOut, summary="Một cuộc kiểm tra, giám sát")
def get_inspection(request, inspection_id: int):
    i = sel.inspection_get(request.user, inspection_id)
    _read(request, "inspection", i)
    return _inspection(i, detail=True)


class RecIn(Schema):
    text: str = Field(max_length=1000)
    due_on: dt.date


class ConclusionIn(Schema):
    concluded_on: dt.date
    conclusion_number: str = Field("", max_length=40)
    findings: str = Field(max_length=20000)
    violation: bool = False
    sent_on: dt.date | None = None
    recommendations: list[RecIn] = Field([], max_length=50)


@router.post("/inspections/{inspection_id}/conclusion", response=InspectionDetailOut, summary="Ghi kết luận")
def post_conclusion(request, inspection_id: int, payload: ConclusionIn):
    i = sel.inspection_get(request.user, inspection_id)
    data = payload.dict()
    recs = [svc.RecommendationIn(r["text"], r["due_on"]) for r in data.pop("recommendations")]
    svc.inspection_conclude(by=request.user, inspection=i, data=data, recommendations=recs)
    return _inspection(sel.inspection_get(request.user, i.pk), detail=True)


# --- discipline --------------------------------------------------------------------------------------------------


class AppealOut(Schema):
    id: int
    filed_on: dt.date
    received_on: dt.date
    content: str
    answer_due: dt.date
    outcome: str
    decided_on: dt.date | None
    decided_by: str
    number: str
    old_form: str
    new_form: str
    apology_on: dt.date | None
    restored: str


class DisciplineOut(Schema):
    id: int
    org: str
    body: str
    subject_org: str | None
    subject_member_id: int | None
    subject: str
    conduct: str
    conduct_from: dt.date
    conduct_to: dt.date | None
    gravity: str
    state: str
    form: str
    number: str
    decided_on: dt.date | None
    announced_on: dt.date | None
    limitation_until: dt.date | None
    votes_for: int | None
    votes_base: int | None
    hearing_on: dt.date | None
    seat_id: int | None
    deferral: str
    deferred_until: dt.date | None
    inspection_id: int | None
    notice_id: int | None
    appeals: list[AppealOut] = []


def _discipline(d: Discipline, detail: bool = False) -> dict:
    out = {"id": d.pk, "org": d.organisation.code, "body": d.body,
           "subject_org": d.subject_org.code if d.subject_org_id else None, "subject_member_id": d.subject_member_id,
           "subject": d.subject_label, "conduct": d.conduct, "conduct_from": d.conduct_from,
           "conduct_to": d.conduct_to, "gravity": d.gravity, "state": d.state, "form": d.form, "number": d.number,
           "decided_on": d.decided_on, "announced_on": d.announced_on, "limitation_until": d.limitation_until,
           "votes_for": d.votes_for, "votes_base": d.votes_base, "hearing_on": d.hearing_on, "seat_id": d.seat_id,
           "deferral": d.deferral, "deferred_until": d.deferred_until, "inspection_id": d.inspection_id,
           "notice_id": d.notice_id, "appeals": []}  # fmt: skip
    if detail:
        out["appeals"] = [{f: getattr(a, f) for f in ("filed_on", "received_on", "content", "answer_due", "outcome", "decided_on",
                                                      "decided_by", "number", "old_form", "new_form", "apology_on",
                                                      "restored")} | {"id": a.pk} for a in d.appeals.all()]  # fmt: skip
    return out


class DisciplineListOut(Schema):
    items: list[DisciplineOut]
    count: int


@router.get("/disciplines", response=DisciplineListOut, summary="Vụ việc kỷ luật của cây tổ chức")
def list_disciplines(request, f: Query[ListFilters]):
    org = _org(request, f.org)
    qs = sel.disciplines(request.user, org, sel.Filters(q=f.q, state=f.state))
    _read(request, "disciplines", org=org)
    return {"items": [_discipline(d) for d in qs[f.offset : f.offset + f.limit]], "count": qs.count()}


class DisciplineIn(Schema):
    org: str = Field(description="tổ chức có cơ quan xem xét, quyết định")
    body: BodyIn  # type: ignore[valid-type]
    subject_org: str | None = None
    subject_member_id: int | None = None
    conduct: str = Field(max_length=5000)
    conduct_from: dt.date
    conduct_to: dt.date | None = None
    gravity: GravityIn  # type: ignore[valid-type]
    inspection_id: int | None = Field(None, description="cuộc kiểm tra đã kết luận có vi phạm")
    notice_id: int | None = Field(None, description="thông báo của cơ quan ngoài Đảng")


@router.post("/disciplines", response={201: DisciplineOut}, summary="Ghi vụ việc xem xét kỷ luật")
def post_discipline(request, payload: DisciplineIn):
    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    data.update(_subject(request, org, data.pop("subject_org"), data.pop("subject_member_id")))
    for key, get in (("inspection", sel.inspection_get), ("notice", sel.notice_get)):
        pk = data.pop(f"{key}_id")
        if pk is not None:
            try:
                data[key] = get(request.user, pk)
            except NotFound:
                raise DomainError("Không có trong phạm vi được giao.", field=f"{key}_id") from None
    try:
        d = svc.discipline_open(by=request.user, org=org, data=data)
    except DomainError as e:
        raise _renamed(e, {"subject_member": "subject_member_id"}) from None
    return Status(201, _discipline(sel.discipline_get(request.user, d.pk), detail=True))


@router.get("/disciplines/{discipline_id}", response=DisciplineOut, summary="Một vụ việc kỷ luật và khiếu nại")
def get_discipline(request, discipline_id: int):
    d = sel.discipline_get(request.user, discipline_id)
    _read(request, "discipline", d)
    return _discipline(d, detail=True)


class DecisionIn(Schema):
    form: FormIn  # type: ignore[valid-type]
    decided_on: dt.date
    announced_on: dt.date | None = Field(None, description="ngày công bố (có hiệu lực); null: chưa công bố")
    votes_for: int = Field(ge=0, le=100000)
    votes_base: int = Field(ge=1, le=100000)
    hearing_on: dt.date | None = None
    seat_id: int | None = Field(None, description="chức vụ bị cách (khi cách chức)")
    number: str = Field("", max_length=40)
    note: str = Field("", max_length=500)


@router.post("/disciplines/{discipline_id}/decision", response=DisciplineOut, summary="Ghi quyết định kỷ luật")
def post_decision(request, discipline_id: int, payload: DecisionIn):
    d = sel.discipline_get(request.user, discipline_id)
    seat = _seat(d, payload.seat_id)
    x = svc.Decision(form=payload.form, decided_on=payload.decided_on, announced_on=payload.announced_on,
                     votes_for=payload.votes_for, votes_base=payload.votes_base, hearing_on=payload.hearing_on,
                     seat=seat, number=payload.number, note=payload.note)  # fmt: skip
    try:
        svc.discipline_decide(by=request.user, discipline=d, x=x)
    except DomainError as e:
        raise _renamed(e, {"seat": "seat_id"}) from None
    return _discipline(sel.discipline_get(request.user, d.pk), detail=True)


class AppealIn(Schema):
    filed_on: dt.date
    received_on: dt.date | None = Field(None, description="ngày đối tượng nhận quyết định; mặc định: ngày công bố")
    content: str = Field(max_length=5000)


@router.post("/disciplines/{discipline_id}/appeals", response={201: DisciplineOut}, summary="Ghi đơn khiếu nại")
def post_appeal(request, discipline_id: int, payload: AppealIn):
    d = sel.discipline_get(request.user, discipline_id)
    svc.appeal_file(by=request.user, discipline=d, filed_on=payload.filed_on, content=payload.content,
                    received_on=payload.received_on)
    return Status(201, _discipline(sel.discipline_get(request.user, d.pk), detail=True))


class AnswerIn(Schema):
    outcome: Literal[tuple(AppealOutcome.values)]  # type: ignore[valid-type]
    decided_on: dt.date
    decided_by: str = Field(max_length=255)
    number: str = Field("", max_length=40)
    new_form: FormIn | None = None  # type: ignore[valid-type]
    apology_on: dt.date | None = None
    note: str = Field("", max_length=500)
    seat_id: int | None = Field(None, description="chức vụ bị cách, khi hình thức mới là cách chức")


@router.post("/appeals/{appeal_id}/answer", response=DisciplineOut, summary="Ghi kết quả giải quyết khiếu nại")
def post_answer(request, appeal_id: int, payload: AnswerIn):
    a = sel.appeal_get(request.user, appeal_id)
    seat = _seat(a.discipline, payload.seat_id)
    try:
        svc.appeal_answer(by=request.user, appeal=a, x=svc.Answer(
            outcome=payload.outcome, decided_on=payload.decided_on, decided_by=payload.decided_by,
            number=payload.number, new_form=payload.new_form or "", apology_on=payload.apology_on, note=payload.note,
            seat=seat))  # fmt: skip
    except DomainError as e:
        raise _renamed(e, {"seat": "seat_id"}) from None
    return _discipline(sel.discipline_get(request.user, a.discipline_id), detail=True)


# --- notices, complaints -----------------------------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    member_id: int
    member: str
    source: str
    source_name: str
    measure: str
    decided_on: dt.date
    received_on: dt.date
    due_on: dt.date
    late: bool
    reference: str


def _notice(n) -> dict:
    return {"id": n.pk, "member_id": n.member_id, "member": n.member.full_name, "source": n.source,
            "source_name": n.source_name, "measure": n.measure, "decided_on": n.decided_on,
            "received_on": n.received_on, "due_on": n.due_on, "late": n.late, "reference": n.reference}  # fmt: skip


@router.get("/notices", response=list[NoticeOut], summary="Thông báo kỷ luật, đình chỉ từ cơ quan ngoài Đảng")
def list_notices(request, f: Query[Scope]):
    org = _org(request, f.org)
    _read(request, "notices", org=org)
    return [_notice(n) for n in sel.notices(request.user, org)[:MAX_LIMIT]]


class NoticeIn(Schema):
    member_id: int
    source: Literal[tuple(Source.values)]  # type: ignore[valid-type]
    source_name: str = Field(max_length=255)
    measure: str = Field(max_length=500)
    decided_on: dt.date
    received_on: dt.date
    reference: str = Field("", max_length=60)


@router.post("/notices", response={201: NoticeOut}, summary="Ghi thông báo nhận được")
def post_notice(request, payload: NoticeIn):
    data = payload.dict()
    member = member_get(request.user, data.pop("member_id"))
    n = svc.notice_add(by=request.user, member=member, data=data)
    return Status(201, _notice(n))


class ComplaintOut(Schema):
    id: int
    org: str
    kind: str
    received_on: dt.date
    subject: str
    content: str
    due_on: dt.date
    closed_on: dt.date | None
    outcome: str
    filer: str | None = Field(description="chỉ người được giao giải quyết thấy; null với người khác")


def _complaint(c) -> dict:
    """`c.handled`: the reader handles it (selectors.complaints annotates it): only then who filed it."""
    return {"id": c.pk, "org": c.organisation.code, "kind": c.kind, "received_on": c.received_on,
            "subject": c.subject_label, "content": c.content, "due_on": c.due_on, "closed_on": c.closed_on,
            "outcome": c.outcome, "filer": c.filer if c.handled else None}  # fmt: skip


@router.get("/complaints", response=list[ComplaintOut], summary="Sổ tiếp nhận tố cáo, khiếu nại")
def list_complaints(request, f: Query[Scope]):
    org = _org(request, f.org)
    _read(request, "complaints", org=org)
    return [_complaint(c) for c in sel.complaints(request.user, org)[:MAX_LIMIT]]


class ComplaintIn(Schema):
    org: str
    kind: Literal[tuple(ComplaintKind.values)]  # type: ignore[valid-type]
    received_on: dt.date
    filer: str = Field("", max_length=255)
    filer_contact: str = Field("", max_length=255)
    subject_org: str | None = None
    subject_member_id: int | None = None
    content: str = Field(max_length=5000)


@router.post("/complaints", response={201: ComplaintOut}, summary="Ghi đơn tố cáo, khiếu nại")
def post_complaint(request, payload: ComplaintIn):
    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    data.update(_subject(request, org, data.pop("subject_org"), data.pop("subject_member_id")))
    try:
        c = svc.complaint_add(by=request.user, org=org, data=data)
    except DomainError as e:
        raise _renamed(e, {"subject_member": "subject_member_id"}) from None
    return Status(201, _complaint(sel.complaint_get(request.user, c.pk)))


# --- the remaining steps ------------------------------------------------------------------------------------------


class DeferIn(Schema):
    deferral: Literal[tuple(v for v in ("pregnancy", "child", "hospital"))]  # type: ignore[valid-type]
    deferred_until: dt.date


@router.post("/disciplines/{discipline_id}/defer", response=DisciplineOut, summary="Chưa xem xét kỷ luật (hoãn)")
def post_defer(request, discipline_id: int, payload: DeferIn):
    d = sel.discipline_get(request.user, discipline_id)
    svc.discipline_defer(by=request.user, discipline=d, reason=payload.deferral, until=payload.deferred_until)
    return _discipline(sel.discipline_get(request.user, d.pk), detail=True)


class DropIn(Schema):
    decided_on: dt.date
    note: str = Field(max_length=500)


@router.post("/disciplines/{discipline_id}/drop", response=DisciplineOut, summary="Không kỷ luật (với lý do)")
def post_drop(request, discipline_id: int, payload: DropIn):
    d = sel.discipline_get(request.user, discipline_id)
    svc.discipline_drop(by=request.user, discipline=d, on=payload.decided_on, note=payload.note)
    return _discipline(sel.discipline_get(request.user, d.pk), detail=True)


class ReportsIn(Schema):
    self_report: str = Field("", max_length=20000)
    self_report_on: dt.date | None = None
    result_report: str = Field("", max_length=20000)
    result_on: dt.date | None = None


@router.post("/inspections/{inspection_id}/reports", response=InspectionDetailOut,
             summary="Báo cáo tự kiểm tra của đối tượng, báo cáo kết quả của đoàn (bản chụp: trên trang)")  # fmt: skip
def post_reports(request, inspection_id: int, payload: ReportsIn):
    i = sel.inspection_get(request.user, inspection_id)
    svc.inspection_reports(by=request.user, inspection=i, data=payload.dict())
    return _inspection(sel.inspection_get(request.user, i.pk), detail=True)


class DoneIn(Schema):
    done_on: dt.date
    note: str = Field("", max_length=500)


@router.post("/inspections/{inspection_id}/recommendations/{recommendation_id}/done", response=InspectionDetailOut,
             summary="Ghi một kiến nghị đã thực hiện")  # fmt: skip
def post_recommendation_done(request, inspection_id: int, recommendation_id: int, payload: DoneIn):
    i = sel.inspection_get(request.user, inspection_id)
    rec = i.recommendations.filter(pk=recommendation_id).first()
    if rec is None:
        raise NotFound(recommendation_id)
    svc.recommendation_done(by=request.user, rec=rec, on=payload.done_on, note=payload.note)
    return _inspection(sel.inspection_get(request.user, i.pk), detail=True)


class CloseIn(Schema):
    closed_on: dt.date
    outcome: str = Field(max_length=5000)


@router.post("/complaints/{complaint_id}/close", response=ComplaintOut, summary="Ghi kết quả giải quyết đơn")
def post_complaint_close(request, complaint_id: int, payload: CloseIn):
    c = sel.complaint_get(request.user, complaint_id)
    svc.complaint_close(by=request.user, complaint=c, on=payload.closed_on, outcome=payload.outcome)
    return _complaint(sel.complaint_get(request.user, c.pk))


class AnnounceIn(Schema):
    announced_on: dt.date


@router.post("/disciplines/{discipline_id}/announce", response=DisciplineOut,
             summary="Ghi ngày công bố quyết định kỷ luật (từ đó có hiệu lực)")  # fmt: skip
def post_announce(request, discipline_id: int, payload: AnnounceIn):
    d = sel.discipline_get(request.user, discipline_id)
    svc.discipline_announce(by=request.user, discipline=d, on=payload.announced_on)
    return _discipline(sel.discipline_get(request.user, d.pk), detail=True)
