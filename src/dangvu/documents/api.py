"""/api/v1/documents: the outgoing and incoming registers through the same services and selectors as the pages:
any role on the subtree reads, the secretary, officer and administrator roles write (403 otherwise), a record
outside the scope is 404, the same field-level messages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from dangvu.core.api import MAX_LIMIT, MAX_OFFSET
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import downloads
from . import selectors as sel
from . import services as svc
from .models import Body, Classification, DocType, IncomingStatus, Urgency

router = Router()
TypeIn = Literal[tuple(DocType.values)]  # type: ignore[valid-type]
BodyIn = Literal[tuple(Body.values)]  # type: ignore[valid-type]
ClassIn = Literal[tuple(Classification.values)]  # type: ignore[valid-type]
UrgencyIn = Literal[tuple(Urgency.values)]  # type: ignore[valid-type]
StateIn = Literal[tuple(IncomingStatus.values)]  # type: ignore[valid-type]


class Filters(Schema):
    org: str = Field(description="mã tổ chức")
    q: str = Field("", description="từ khóa, không cần dấu: số, trích yếu, nơi gửi, người ký, nội dung tệp")
    year: int | None = Field(None, ge=1930, le=2100)
    status: str = ""
    subtree: bool = Field(False, description="cả các tổ chức trực thuộc")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OutFilters(Filters):
    doc_type: str = ""


class InFilters(Filters):
    late: bool = Field(False, description="chỉ văn bản chưa xử lý xong đã quá hạn")


class OutgoingOut(Schema):
    id: int
    organisation: str
    symbol: str
    doc_type: str
    body: str
    number: int
    issued_on: dt.date
    term: str | None
    subject: str
    signer: str
    recipients: str
    classification: str
    origin: str
    status: str
    voided_on: dt.date | None
    void_reason: str
    has_file: bool


class IncomingOut(Schema):
    id: int
    organisation: str
    year: int
    arrival_number: int
    received_on: dt.date
    sender: str
    their_number: str
    their_date: dt.date | None
    doc_type: str
    subject: str
    classification: str
    urgency: str
    handler: str
    due_on: dt.date | None
    status: str
    done_on: dt.date | None
    outcome: str
    late: bool
    has_file: bool


def _out(d) -> dict:
    return {"id": d.pk, "organisation": d.organisation.code, "symbol": d.symbol, "doc_type": d.doc_type,
            "body": d.body, "number": d.number, "issued_on": d.issued_on, "term": d.term.name if d.term_id else None,
            "subject": d.subject, "signer": d.signer, "recipients": d.recipients, "classification": d.classification,
            "origin": d.origin, "status": d.status, "voided_on": d.voided_on, "void_reason": d.void_reason,
            "has_file": bool(d.file)}  # fmt: skip


def _in(d) -> dict:
    return {"id": d.pk, "organisation": d.organisation.code, "year": d.year, "arrival_number": d.arrival_number,
            "received_on": d.received_on, "sender": d.sender, "their_number": d.their_number,
            "their_date": d.their_date, "doc_type": d.doc_type, "subject": d.subject,
            "classification": d.classification, "urgency": d.urgency, "handler": d.handler, "due_on": d.due_on,
            "status": d.status, "done_on": d.done_on, "outcome": d.outcome, "late": d.late,
            "has_file": bool(d.file)}  # fmt: skip


class OutgoingList(Schema):
    items: list[OutgoingOut]
    count: int


class IncomingList(Schema):
    items: list[IncomingOut]
    count: int


@router.get("/outgoing", response=OutgoingList, summary="Sổ văn bản đi: tra cứu")
def list_outgoing(request, f: Query[OutFilters]):
    org = org_get(request.user, f.org)
    qs = sel.outgoing(request.user, org, q=f.q, year=f.year, doc_type=f.doc_type, status=f.status,
                      subtree=f.subtree).select_related("term")  # fmt: skip
    return {"items": [_out(d) for d in qs[f.offset: f.offset + f.limit]], "count": qs.count()}


class OutgoingIn(Schema):
    org: str
    doc_type: TypeIn  # type: ignore[valid-type]
    body: BodyIn = "org"  # type: ignore[valid-type]
    issued_on: dt.date
    subject: str = Field(max_length=500)
    signer: str = Field("", max_length=120)
    recipients: str = Field("", max_length=1000)
    classification: ClassIn = ""  # type: ignore[valid-type]


@router.post("/outgoing", response={201: OutgoingOut}, summary="Vào sổ văn bản đi và lấy số")
def post_outgoing(request, payload: OutgoingIn):
    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    doc = svc.outgoing_add(by=request.user, org=org, data=data)
    return Status(201, _out(sel.outgoing_get(request.user, doc.pk)))


@router.get("/outgoing/{doc_id}", response=OutgoingOut, summary="Một văn bản đi")
def get_outgoing(request, doc_id: int):
    return _out(sel.outgoing_get(request.user, doc_id))


class VoidIn(Schema):
    reason: str = Field(max_length=300)


@router.post("/outgoing/{doc_id}/void", response=OutgoingOut, summary="Hủy văn bản đi (giữ số, không dùng lại)")
def void_outgoing(request, doc_id: int, payload: VoidIn):
    doc = svc.outgoing_void(by=request.user, doc=sel.outgoing_get(request.user, doc_id), reason=payload.reason)
    return _out(sel.outgoing_get(request.user, doc.pk))


@router.post("/outgoing/{doc_id}/file", response={201: OutgoingOut}, summary="Đưa lên bản đã ký (một lần)")
def outgoing_file_add(request, doc_id: int, file: File[UploadedFile | None] = None):
    doc = svc.file_attach(by=request.user, doc=sel.outgoing_get(request.user, doc_id), upload=file)
    return Status(201, _out(sel.outgoing_get(request.user, doc.pk)))


@router.get("/outgoing/{doc_id}/file", summary="Tải bản đã ký (kiểm tra SHA-256; 409 nếu tệp đã bị thay đổi)")
def outgoing_file(request, doc_id: int):
    return downloads.outgoing(request.user, sel.outgoing_get(request.user, doc_id))


@router.get("/incoming", response=IncomingList, summary="Sổ văn bản đến: tra cứu")
def list_incoming(request, f: Query[InFilters]):
    from dangvu.core.dates import today

    org = org_get(request.user, f.org)
    qs = sel.incoming(request.user, org, q=f.q, year=f.year, status=f.status, late=f.late, subtree=f.subtree,
                      on=today())  # fmt: skip
    return {"items": [_in(d) for d in qs[f.offset: f.offset + f.limit]], "count": qs.count()}


class IncomingIn(Schema):
    org: str
    received_on: dt.date
    sender: str = Field(max_length=200)
    their_number: str = Field("", max_length=60)
    their_date: dt.date | None = None
    doc_type: TypeIn | Literal[""] = ""  # type: ignore[valid-type]
    subject: str = Field(max_length=500)
    classification: ClassIn = ""  # type: ignore[valid-type]
    urgency: UrgencyIn = ""  # type: ignore[valid-type]
    handler: str = Field("", max_length=120)
    due_on: dt.date | None = None


@router.post("/incoming", response={201: IncomingOut}, summary="Vào sổ văn bản đến")
def post_incoming(request, payload: IncomingIn):
    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    doc = svc.incoming_add(by=request.user, org=org, data=data)
    return Status(201, _in(sel.incoming_get(request.user, doc.pk)))


@router.get("/incoming/{doc_id}", response=IncomingOut, summary="Một văn bản đến")
def get_incoming(request, doc_id: int):
    return _in(sel.incoming_get(request.user, doc_id))


class HandleIn(Schema):
    handler: str = Field("", max_length=120)
    due_on: dt.date | None = None
    status: StateIn  # type: ignore[valid-type]
    outcome: str = Field("", max_length=500)


@router.post("/incoming/{doc_id}/handle", response=IncomingOut, summary="Giao xử lý, ghi kết quả xử lý")
def handle_incoming(request, doc_id: int, payload: HandleIn):
    doc = svc.incoming_handle(by=request.user, doc=sel.incoming_get(request.user, doc_id), data=payload.dict())
    return _in(sel.incoming_get(request.user, doc.pk))


@router.post("/incoming/{doc_id}/file", response={201: IncomingOut}, summary="Đưa lên bản quét (một lần)")
def incoming_file_add(request, doc_id: int, file: File[UploadedFile | None] = None):
    doc = svc.file_attach(by=request.user, doc=sel.incoming_get(request.user, doc_id), upload=file)
    return Status(201, _in(sel.incoming_get(request.user, doc.pk)))


@router.get("/incoming/{doc_id}/file", summary="Tải bản quét (kiểm tra SHA-256; 409 nếu tệp đã bị thay đổi)")
def incoming_file(request, doc_id: int):
    return downloads.incoming(request.user, sel.incoming_get(request.user, doc_id))



# --- distribution down the tree ----------------------------------------------------------------------------------


class Progress(Schema):
    n: int
    read: int
    answered: int
    late: int


class DispatchOut(Schema):
    id: int
    organisation: str
    kind: str
    title: str
    body: str
    document: str | None
    due_on: dt.date | None
    month: dt.date | None
    sent_on: dt.date
    progress: Progress


class DeliveryOut(Schema):
    id: int
    dispatch_id: int
    sender: str
    recipient: str
    title: str
    kind: str
    due_on: dt.date | None
    read_at: dt.datetime | None
    answered: bool
    answered_at: dt.datetime | None
    answer: str
    late: bool
    has_answer_file: bool


class DispatchDetailOut(DispatchOut):
    deliveries: list[DeliveryOut]


def _dispatch(d, progress: dict) -> dict:
    return {"id": d.pk, "organisation": d.organisation.code, "kind": d.kind, "title": d.title, "body": d.body,
            "document": d.outgoing.symbol if d.outgoing_id else None, "due_on": d.due_on, "month": d.month,
            "sent_on": d.sent_on, "progress": progress}  # fmt: skip


def _delivery(x, d=None) -> dict:
    from dangvu.core.dates import today

    d = d or x.dispatch
    answered = bool(x.filed) if d.kind == "monthly" else x.answered_at is not None
    return {"id": x.pk, "dispatch_id": d.pk, "sender": d.organisation.code, "recipient": x.organisation.code,
            "title": d.title, "kind": d.kind, "due_on": d.due_on, "read_at": x.read_at, "answered": answered,
            "answered_at": x.answered_at, "answer": x.answer,
            "late": bool(d.due_on and not answered and d.due_on < today()), "has_answer_file": bool(x.file)}  # fmt: skip


class SentFilters(Schema):
    org: str
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/dispatches", response=list[DispatchOut], summary="Văn bản, yêu cầu báo cáo đã gửi xuống")
def list_dispatches(request, f: Query[SentFilters]):
    from dangvu.core.dates import today

    org = org_get(request.user, f.org)
    rows = list(sel.sent(request.user, org).select_related("organisation")[f.offset: f.offset + f.limit])
    stats = sel.progress([d.pk for d in rows], today())
    return [_dispatch(d, stats[d.pk]) for d in rows]


class DispatchIn(Schema):
    org: str
    kind: Literal["document", "request", "monthly"]
    title: str = Field(max_length=300)
    body: str = Field("", max_length=10000)
    outgoing_id: int | None = Field(None, description="văn bản gửi kèm, trong sổ văn bản đi của tổ chức gửi")
    due_on: dt.date | None = None
    month: dt.date | None = Field(None, description="tháng báo cáo (báo cáo tháng của chi bộ)")
    scope: Literal["children", "subtree", "chosen"] = "children"
    codes: list[str] = Field(default_factory=list, max_length=5000)


@router.post("/dispatches", response={201: DispatchOut}, summary="Gửi văn bản hoặc yêu cầu báo cáo xuống cấp dưới")
def post_dispatch(request, payload: DispatchIn):
    from dangvu.core.dates import today
    from dangvu.core.errors import DomainError

    data = payload.dict()
    org = org_field(request.user, data.pop("org"), "org")
    pk = data.pop("outgoing_id")
    data["outgoing"] = sel.outgoing(request.user, org).filter(pk=pk).first() if pk else None
    if pk and data["outgoing"] is None:
        raise DomainError(svc.ERR_DOC.format(org=org.name), field="outgoing_id")
    try:
        d = svc.dispatch_send(by=request.user, org=org, data=data)
    except DomainError as e:
        e.errors = {("outgoing_id" if k == "outgoing" else k): v for k, v in e.errors.items()}
        raise
    return Status(201, _dispatch(d, sel.progress([d.pk], today())[d.pk]))


@router.get("/dispatches/{dispatch_id}", response=DispatchDetailOut, summary="Tình hình nhận, đọc, báo cáo")
def get_dispatch(request, dispatch_id: int, state: Literal["", "unread", "unanswered", "late"] = ""):
    from dangvu.core.dates import today

    d = sel.dispatch_get(request.user, dispatch_id)
    rows = sel.deliveries(d, state=state, on=today())[:MAX_LIMIT]
    return {**_dispatch(d, sel.progress([d.pk], today())[d.pk]), "deliveries": [_delivery(x, d) for x in rows]}


@router.get("/inbox", response=list[DeliveryOut], summary="Văn bản, yêu cầu nhận từ cấp trên")
def list_inbox(request, f: Query[SentFilters]):
    org = org_get(request.user, f.org)
    return [_delivery(x) for x in sel.inbox(request.user, org).select_related("organisation")[f.offset: f.offset + f.limit]]


@router.get("/deliveries/{delivery_id}", response=DeliveryOut, summary="Một văn bản nhận được")
def get_delivery(request, delivery_id: int):
    return _delivery(sel.delivery_get(request.user, delivery_id))


@router.post("/deliveries/{delivery_id}/read", response=DeliveryOut, summary="Xác nhận đã nhận và đọc")
def read_delivery(request, delivery_id: int):
    x = svc.delivery_read(by=request.user, delivery=sel.delivery_get(request.user, delivery_id))
    return _delivery(sel.delivery_get(request.user, x.pk))


@router.post("/deliveries/{delivery_id}/answer", response=DeliveryOut, summary="Gửi báo cáo (nội dung và một tệp)")
def answer_delivery(request, delivery_id: int, answer: Form[str] = "", file: File[UploadedFile | None] = None):
    x = svc.delivery_answer(by=request.user, delivery=sel.delivery_get(request.user, delivery_id), text=answer,
                            upload=file)  # fmt: skip
    return _delivery(sel.delivery_get(request.user, x.pk))


@router.get("/deliveries/{delivery_id}/document", summary="Tải văn bản gửi kèm")
def delivery_document(request, delivery_id: int):
    return downloads.delivered(request.user, sel.delivery_get(request.user, delivery_id))


@router.get("/deliveries/{delivery_id}/answer-file", summary="Tải tệp báo cáo")
def delivery_answer_file(request, delivery_id: int):
    return downloads.answer(request.user, sel.delivery_get(request.user, delivery_id))


# --- the procedures handbook ------------------------------------------------------------------------------------


class PageOut(Schema):
    slug: str
    title: str
    owner: str | None = Field(description="mã tổ chức viết trang; null: trang khởi đầu của Đảng vụ")
    version: int
    body: str
    html: str


def _page(p, body: bool = True) -> dict:
    from . import handbook as hb

    return {"slug": p.slug, "title": p.title, "owner": p.organisation.code if p.organisation_id else None,
            "version": p.version, "body": p.body if body else "", "html": str(hb.render(p.body)) if body else ""}  # fmt: skip


@router.get("/handbook", response=list[PageOut], summary="Sổ tay quy trình mà tổ chức áp dụng (tìm không cần dấu)")
def list_handbook(request, org: str, q: str = ""):
    from . import handbook as hb

    return [_page(p, body=False) for p in hb.pages(org_get(request.user, org), q[:200])]


@router.get("/handbook/{slug}", response=PageOut, summary="Một trang sổ tay")
def get_handbook(request, slug: str, org: str):
    from . import handbook as hb

    return _page(hb.page(org_get(request.user, org), slug))


class PageIn(Schema):
    org: str
    title: str = Field(max_length=200)
    body: str = Field(max_length=100_000)
    base_version: int | None = Field(None, description="phiên bản đã mở để sửa; bị từ chối nếu có người sửa sau đó")
    note: str = Field("", max_length=300)


@router.put("/handbook/{slug}", response=PageOut, summary="Viết, sửa trang sổ tay của tổ chức (tạo phiên bản mới)")
def put_handbook(request, slug: str, payload: PageIn):
    from . import handbook as hb

    org = org_field(request.user, payload.org, "org")
    p = hb.save(by=request.user, org=org, slug=slug, title=payload.title, body=payload.body,
                base_version=payload.base_version, note=payload.note)  # fmt: skip
    return _page(p)
