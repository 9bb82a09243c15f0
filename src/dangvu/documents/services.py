"""Every write to the registers. The outgoing register is the one counter of document numbers: meetings'
minutes and resolutions and inspection's decisions take theirs through `issue` too. A number is never reused or
freed; a withdrawn document is voided and keeps it. Rules: rules.md §6, rules-2026.md §0 and §3."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager, suppress

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import audit, ocr
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError, Forbidden
from dangvu.core.files import check_upload
from dangvu.core.text import clean, search_key
from dangvu.jobs.services import queue_ocr
from dangvu.members.models import Term
from dangvu.organizations.models import Organisation

from . import rules as dr
from .models import (
    SERIES,
    Body,
    Classification,
    DocType,
    Incoming,
    IncomingStatus,
    Origin,
    Outgoing,
    Status,
    issuer_code,
)

ERR_ROLE = "Chỉ bí thư, cán bộ nghiệp vụ, cán bộ tổ chức và quản trị của {org} được làm việc này."
ERR_REQUIRED = "Trường này là bắt buộc."
ERR_FUTURE = "Ngày không được sau hôm nay ({today})."
ERR_TOO_OLD = "Ngày không được trước 03/02/1930."
ERR_BEFORE = "Ngày không được trước {what} ({date})."
ERR_CLOSED = "«{org}» đã chấm dứt hoạt động từ {closed}; không ban hành văn bản ngày {date}."
ERR_CHOICE = "Giá trị «{value}» không có trong danh sách."
ERR_VOIDED = "Văn bản số {symbol} đã hủy ngày {date}; số vẫn giữ, không dùng lại."
ERR_REASON = "Hãy ghi lý do hủy văn bản."
ERR_SECRET_FILE = (
    "Văn bản có độ mật «{level}»: chỉ ghi vào sổ, không lưu tệp, vì hệ thống không chạy trên mạng thông tin diện "  # noqa: S105
    "rộng của Đảng (QĐ 217-QĐ/TW năm 2020; QĐ 693-QĐ/VPTW năm 2021: văn bản mật chỉ truyền trên mạng của Đảng)."
)
ERR_DONE_OUTCOME = "Hãy ghi kết quả xử lý."
ERR_STATUS = "Văn bản đến đã xử lý xong ngày {date}; không đổi lại được."
FLOOR = dt.date(1930, 2, 3)

UPLOAD_KINDS = ("pdf", "docx", "jpeg", "png")


# --- terms and numbers ---------------------------------------------------------------------------------------


def term_on(org: Organisation, on: dt.date) -> Term | None:
    """The organisation's term in force on `on` (numbering starts anew with each term)."""
    return (
        Term.objects.filter(organisation=org, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-starts_on")
        .first()
    )


def check_authority(org: Organisation, body: str, doc_type: str, on: dt.date, field: str = "doc_type") -> None:
    msg = dr.problem(org, body, doc_type, on)
    if msg:
        raise DomainError(msg, field=field)


def issue(org: Organisation, doc_type: str, on: dt.date, *, body: str = Body.ORGANISATION, meeting=None,
          origin: str = Origin.REGISTRY, subject: str = "", by=None, check: bool = True, **fields) -> Outgoing:  # fmt: skip
    """The next number of `doc_type` for `body` of the organisation in its term in force on `on` (from 01; a
    congress's documents share one sequence across types). With `check`, a type the body may not issue on that date
    is refused with the rule cited. Call inside a transaction: the organisation row is locked, so two issues cannot
    take the same number."""
    if doc_type not in DocType.values:
        raise DomainError(ERR_CHOICE.format(value=doc_type), field="doc_type")
    if check:
        check_authority(org, body, doc_type, on)
    Organisation.objects.select_for_update().filter(pk=org.pk).first()
    term = term_on(org, on)
    series = SERIES.get(body, "")
    # the term's documents by their date, whatever term they were filed under: a term recorded late must not make
    # the numbers already given in its period start again from 01
    same = Outgoing.objects.filter(organisation=org, series=series)
    if term is None:
        same = same.filter(term__isnull=True)
    else:
        same = same.filter(issued_on__gte=term.starts_on)
        if term.ends_on:
            same = same.filter(issued_on__lte=term.ends_on)
    if body != Body.CONGRESS:
        same = same.filter(doc_type=doc_type)
    n = (same.aggregate(n=Max("number"))["n"] or 0) + 1
    issuer = "ĐH" if body == Body.CONGRESS else f"{series}{issuer_code(org)}"
    doc = Outgoing(organisation=org, org_path=org.path, term=term, doc_type=doc_type, body=body, series=series,
                   number=n, symbol=f"{n:02d}-{doc_type}/{issuer}", issued_on=on, meeting=meeting, origin=origin,
                   subject=subject[:500], created_by=by if getattr(by, "pk", None) else None, **fields)  # fmt: skip
    doc.search_text = outgoing_search_text(doc)
    doc.save()
    return doc


def outgoing_search_text(doc: Outgoing) -> str:
    return search_key(" ".join([doc.symbol, doc.subject, doc.signer, doc.recipients, doc.file_text]))


def incoming_search_text(doc: Incoming) -> str:
    return search_key(" ".join([str(doc.arrival_number), doc.their_number, doc.sender, doc.subject, doc.handler,
                                doc.file_text]))  # fmt: skip


# --- checks ----------------------------------------------------------------------------------------------------


def check_may_write(by, org: Organisation) -> None:
    if not covers(by, org.path, EDIT_ROLES):
        raise Forbidden(ERR_ROLE.format(org=org.name))


def _check_date(on: dt.date | None, field: str, org: Organisation | None = None) -> None:
    if on is None:
        raise DomainError(ERR_REQUIRED, field=field)
    if on > today():
        raise DomainError(ERR_FUTURE.format(today=fmt(today())), field=field)
    if on < FLOOR:
        raise DomainError(ERR_TOO_OLD, field=field)
    if org is not None and org.established_on and on < org.established_on:
        raise DomainError(ERR_BEFORE.format(what="ngày thành lập", date=fmt(org.established_on)), field=field)


def _text(data: dict, key: str, limit: int, required: bool = False) -> str:
    value = clean(str(data.get(key) or ""))
    if required and not value:
        raise DomainError(ERR_REQUIRED, field=key)
    if len(value) > limit:
        raise DomainError(f"Tối đa {limit} ký tự.", field=key)
    return value


def _classification(data: dict) -> str:
    value = data.get("classification") or ""
    if value not in Classification.values:
        raise DomainError(ERR_CHOICE.format(value=value), field="classification")
    return value


def _checked_file(upload, classification: str):
    """The upload checked (kind, size, active content) with its text; a classified document's file is refused
    unless the installation runs on the Party network (settings.DANGVU_PARTY_NETWORK)."""
    if upload is None:
        return None
    if classification and not settings.DANGVU_PARTY_NETWORK:
        raise DomainError(ERR_SECRET_FILE.format(level=Classification(classification).label), field="file")
    return check_upload(upload, UPLOAD_KINDS, extract=True)


def put(upload, checked, folder: str) -> str:
    """Store a checked upload before the transaction that records it (no row lock is held while a file travels to
    object storage); its stored name. Pair with `kept(name)`: the file goes again if the transaction fails."""
    upload.seek(0)
    return default_storage.save(f"{folder}/{today():%Y}/{checked.sha256[:16]}.{checked.kind}", upload)


@contextmanager
def kept(name: str | None):
    """Inside: the recording of a file stored by `put`; if it fails, the file is deleted, no orphan left."""
    try:
        yield
    except BaseException:
        if name:
            with suppress(Exception):
                default_storage.delete(name)
        raise


def _store(doc, upload, checked, name: str) -> None:
    """The stored upload named on the entry; a scan (a photo, a PDF without text) is queued for OCR once the entry
    is saved (`_after_store`)."""
    doc.file_sha256, doc.file_kind = checked.sha256, checked.kind
    doc.file_name = (getattr(upload, "name", "") or f"van-ban.{checked.kind}")[-200:]
    doc.file_text = checked.text
    doc.file.name = name
    doc._ocr_wanted = ocr.is_scan(checked.kind, checked.text)


def _after_store(doc) -> None:
    if getattr(doc, "_ocr_wanted", False):
        queue_ocr(doc)


def index_ocr_text(doc, text: str) -> None:
    """What OCR read inside an entry's scan, made searchable (core.ocr's hook)."""
    doc.file_text = text
    doc.search_text = outgoing_search_text(doc) if isinstance(doc, Outgoing) else incoming_search_text(doc)
    type(doc).objects.filter(pk=doc.pk).update(file_text=doc.file_text, search_text=doc.search_text)


def _snapshot(doc) -> dict:
    if isinstance(doc, Outgoing):
        return {"symbol": doc.symbol, "subject": doc.subject, "issued_on": fmt(doc.issued_on),
                "signer": doc.signer, "status": doc.status, "file": doc.file_sha256 or None}  # fmt: skip
    return {"arrival": f"{doc.arrival_number}/{doc.year}", "sender": doc.sender, "their_number": doc.their_number,
            "subject": doc.subject, "handler": doc.handler, "due_on": fmt(doc.due_on), "status": doc.status,
            "file": doc.file_sha256 or None}  # fmt: skip


# --- the outgoing register -------------------------------------------------------------------------------------


def outgoing_add(*, by, org: Organisation, data: dict, upload=None) -> Outgoing:
    """Register a document the organisation issues, taking its number: type, issuing body, date, subject, signer,
    recipients, and the signed file (checked, its text indexed for search)."""
    check_may_write(by, org)
    doc_type = data.get("doc_type") or ""
    if doc_type not in DocType.values:
        raise DomainError(ERR_CHOICE.format(value=doc_type) if doc_type else ERR_REQUIRED, field="doc_type")
    body = data.get("body") or Body.ORGANISATION
    if body not in dr.bodies_of(org):
        raise DomainError(ERR_CHOICE.format(value=body), field="body")
    on = data.get("issued_on")
    _check_date(on, "issued_on", org)
    if org.closed_on and on >= org.closed_on:
        raise DomainError(ERR_CLOSED.format(org=org.name, closed=fmt(org.closed_on), date=fmt(on)), field="issued_on")
    check_authority(org, body, doc_type, on)
    subject = _text(data, "subject", 500, required=True)
    signer = _text(data, "signer", 120)
    recipients = _text(data, "recipients", 1000)
    classification = _classification(data)
    checked = _checked_file(upload, classification)
    name = put(upload, checked, "documents/out") if checked is not None else None
    with kept(name), transaction.atomic():
        doc = issue(org, doc_type, on, body=body, subject=subject, by=by, check=False, signer=signer,
                    recipients=recipients, classification=classification)  # fmt: skip
        if checked is not None:
            _store(doc, upload, checked, name)
            doc.search_text = outgoing_search_text(doc)
            doc.save()
            _after_store(doc)
        audit.record(by=by, action="documents.outgoing_add", obj=doc, org_path=doc.org_path, after=_snapshot(doc))
    return doc


def outgoing_void(*, by, doc: Outgoing, reason: str) -> Outgoing:
    """Withdraw a document: it stays in the register under its number, marked voided with the reason."""
    check_may_write(by, doc.organisation)
    _check_registry_own(doc)
    reason = clean(reason or "")
    if not reason:
        raise DomainError(ERR_REASON, field="reason")
    with transaction.atomic():
        doc = Outgoing.objects.select_for_update().get(pk=doc.pk)
        if doc.voided:
            raise Conflict(ERR_VOIDED.format(symbol=doc.symbol, date=fmt(doc.voided_on)), field="reason")
        before = _snapshot(doc)
        doc.status, doc.voided_on, doc.void_reason = Status.VOIDED, today(), reason[:300]
        doc.save(update_fields=["status", "voided_on", "void_reason"])
        audit.record(by=by, action="documents.outgoing_void", obj=doc, org_path=doc.org_path, before=before,
                     after={**_snapshot(doc), "reason": doc.void_reason})  # fmt: skip
    return doc


# --- the incoming register -------------------------------------------------------------------------------------


def _next_arrival(org: Organisation, year: int) -> int:
    """The next arrival number of the organisation's year (from 01); the caller holds the organisation's lock."""
    return (Incoming.objects.filter(organisation=org, year=year).aggregate(n=Max("arrival_number"))["n"] or 0) + 1


def incoming_add(*, by, org: Organisation, data: dict, upload=None) -> Incoming:
    """Record a document received: it takes the next arrival number of the year (from 01)."""
    check_may_write(by, org)
    received = data.get("received_on")
    _check_date(received, "received_on")
    their_date = data.get("their_date")
    if their_date is not None:
        _check_date(their_date, "their_date")
        if their_date > received:
            raise DomainError(ERR_BEFORE.format(what="ngày văn bản", date=fmt(their_date)).replace(
                "không được trước", "đến không được trước"), field="received_on")  # fmt: skip
    doc_type = data.get("doc_type") or ""
    if doc_type and doc_type not in DocType.values:
        raise DomainError(ERR_CHOICE.format(value=doc_type), field="doc_type")
    due = data.get("due_on")
    if due is not None and due < received:
        raise DomainError(ERR_BEFORE.format(what="ngày đến", date=fmt(received)), field="due_on")
    classification = _classification(data)
    urgency = data.get("urgency") or ""
    fields = {"sender": _text(data, "sender", 200, required=True), "their_number": _text(data, "their_number", 60),
              "subject": _text(data, "subject", 500, required=True), "handler": _text(data, "handler", 120)}  # fmt: skip
    checked = _checked_file(upload, classification)
    name = put(upload, checked, "documents/in") if checked is not None else None
    with kept(name), transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        year = received.year
        n = _next_arrival(org, year)
        doc = Incoming(organisation=org, org_path=org.path, year=year, arrival_number=n, received_on=received,
                       their_date=their_date, doc_type=doc_type, classification=classification, urgency=urgency,
                       due_on=due, created_by=by if getattr(by, "pk", None) else None, **fields)  # fmt: skip
        if checked is not None:
            _store(doc, upload, checked, name)
        doc.search_text = incoming_search_text(doc)
        doc.save()
        _after_store(doc)
        audit.record(by=by, action="documents.incoming_add", obj=doc, org_path=doc.org_path, after=_snapshot(doc))
    return doc


def incoming_handle(*, by, doc: Incoming, data: dict) -> Incoming:
    """Assign a handler and a deadline, and follow the document to done (with its outcome)."""
    check_may_write(by, doc.organisation)
    status = data.get("status") or doc.status
    if status not in IncomingStatus.values:
        raise DomainError(ERR_CHOICE.format(value=status), field="status")
    handler = _text(data, "handler", 120)
    outcome = _text(data, "outcome", 500)
    due = data.get("due_on")
    if due is not None and due < doc.received_on:
        raise DomainError(ERR_BEFORE.format(what="ngày đến", date=fmt(doc.received_on)), field="due_on")
    if status == IncomingStatus.DONE and not outcome:
        raise DomainError(ERR_DONE_OUTCOME, field="outcome")
    with transaction.atomic():
        doc = Incoming.objects.select_for_update().get(pk=doc.pk)
        if doc.status == IncomingStatus.DONE:
            raise Conflict(ERR_STATUS.format(date=fmt(doc.done_on)), field="status")
        before = _snapshot(doc)
        doc.handler, doc.due_on, doc.outcome, doc.status = handler, due, outcome, status
        doc.done_on = today() if status == IncomingStatus.DONE else None
        doc.search_text = incoming_search_text(doc)
        doc.save()
        audit.record(by=by, action="documents.incoming_handle", obj=doc, org_path=doc.org_path, before=before,
                     after={**_snapshot(doc), "outcome": doc.outcome})  # fmt: skip
    return doc


ERR_HAS_FILE = "Văn bản đã có tệp; không thay được (tệp đã lưu là bản gốc của sổ)."
ERR_NOT_REGISTRY = "Số {symbol} thuộc {origin}; sửa, hủy ở trang đó, không ở sổ văn bản."


def _check_registry_own(doc: Outgoing) -> None:
    """A number a meeting or an inspection took is theirs: the register shows it, never voids it or files it."""
    if doc.origin != Origin.REGISTRY:
        where = "biên bản, nghị quyết của cuộc họp" if doc.origin == Origin.MEETING else "hồ sơ kiểm tra, kỷ luật"
        raise Conflict(ERR_NOT_REGISTRY.format(symbol=doc.symbol, origin=where))


def file_attach(*, by, doc: Outgoing | Incoming, upload) -> Outgoing | Incoming:
    """Attach the signed or scanned file to an entry that has none yet (the API sends the entry, then its file)."""
    check_may_write(by, doc.organisation)
    if isinstance(doc, Outgoing):
        _check_registry_own(doc)
    if upload is None:
        raise DomainError(ERR_REQUIRED, field="file")
    checked = _checked_file(upload, doc.classification)
    model = type(doc)
    name = put(upload, checked, "documents/out" if isinstance(doc, Outgoing) else "documents/in")
    with kept(name), transaction.atomic():
        doc = model.objects.select_for_update().get(pk=doc.pk)
        if doc.file:
            raise Conflict(ERR_HAS_FILE, field="file")
        if isinstance(doc, Outgoing) and doc.voided:
            raise Conflict(ERR_VOIDED.format(symbol=doc.symbol, date=fmt(doc.voided_on)), field="file")
        _store(doc, upload, checked, name)
        doc.search_text = outgoing_search_text(doc) if isinstance(doc, Outgoing) else incoming_search_text(doc)
        doc.save()
        _after_store(doc)
        audit.record(by=by, action=f"documents.{'outgoing' if isinstance(doc, Outgoing) else 'incoming'}_file_add",
                     obj=doc, org_path=doc.org_path, after=_snapshot(doc))  # fmt: skip
    return doc


# --- distribution down the tree ----------------------------------------------------------------------------------

ERR_NO_RECIPIENTS = "Chưa chọn tổ chức nhận nào."
ERR_NOT_BELOW = "«{code}» không phải tổ chức đảng trực thuộc {org} đang hoạt động."
ERR_DUE = "Yêu cầu báo cáo phải có hạn báo cáo."
ERR_DUE_BEFORE = "Hạn báo cáo không được trước ngày gửi ({date})."
ERR_MONTH = "Hãy chọn tháng báo cáo (không sau tháng này)."
ERR_NO_CELLS = "Báo cáo tháng là của chi bộ; trong các tổ chức đã chọn không có chi bộ nào."
ERR_DOC = "Văn bản gửi phải là văn bản đi còn hiệu lực của {org}."
ERR_SENT_TWICE = "Vừa gửi «{title}» rồi (có thể do bấm hai lần)."
ERR_ANSWER_KIND = "Văn bản này không yêu cầu báo cáo."
ERR_ANSWER_MONTHLY = "Báo cáo tháng được nộp ở trang Báo cáo tháng của chi bộ."
ERR_ANSWER_EMPTY = "Hãy ghi nội dung báo cáo hoặc đính kèm tệp."
ERR_RECIPIENT_ROLE = "Chỉ bí thư, cán bộ nghiệp vụ, cán bộ tổ chức và quản trị của {org} được gửi báo cáo."
TWICE_WINDOW = dt.timedelta(minutes=2)


def _recipients(org: Organisation, data: dict) -> list[Organisation]:
    """Open organisations under `org`: its direct ones ("children"), its whole subtree ("subtree"), or those named
    by code ("chosen", each checked)."""
    scope = data.get("scope") or "children"
    below = Organisation.objects.filter(path__startswith=org.path, closed_on__isnull=True).exclude(pk=org.pk)
    if scope == "children":
        return list(below.filter(parent=org).select_related("type"))
    if scope == "subtree":
        return list(below.select_related("type"))
    if scope != "chosen":
        raise DomainError(ERR_CHOICE.format(value=scope), field="scope")
    codes = [c.strip().upper() for c in (data.get("codes") or []) if c and c.strip()]
    found = {o.code: o for o in below.filter(code__in=codes).select_related("type")}
    for c in codes:
        if c not in found:
            raise DomainError(ERR_NOT_BELOW.format(code=c, org=org.name), field="codes")
    return list(dict.fromkeys(found[c] for c in codes))


def dispatch_send(*, by, org: Organisation, data: dict):
    """Send a document (registered in the outgoing register) or a request for a report down the tree. Every
    recipient gets it in its inbox; the secretaries of the recipients whose member record has an account are
    told in the app, and by e-mail when the server sends mail."""
    from dangvu.organizations.models import OrgKind

    from .models import Delivery, Dispatch, DispatchKind

    check_may_write(by, org)
    kind = data.get("kind") or ""
    if kind not in DispatchKind.values:
        raise DomainError(ERR_CHOICE.format(value=kind) if kind else ERR_REQUIRED, field="kind")
    title = _text(data, "title", 300, required=True)
    body = str(data.get("body") or "").strip()[:10000]
    sent_on = today()
    due, month = data.get("due_on"), None
    if kind != DispatchKind.DOCUMENT:
        if due is None:
            raise DomainError(ERR_DUE, field="due_on")
        if due < sent_on:
            raise DomainError(ERR_DUE_BEFORE.format(date=fmt(sent_on)), field="due_on")
    else:
        due = None
    if kind == DispatchKind.MONTHLY:
        month = data.get("month")
        if month is None or month.replace(day=1) > sent_on.replace(day=1):
            raise DomainError(ERR_MONTH, field="month")
        month = month.replace(day=1)
    doc = data.get("outgoing")
    if doc is not None and not Outgoing.objects.filter(pk=doc.pk, organisation=org, status=Status.ISSUED).exists():
        raise DomainError(ERR_DOC.format(org=org.name), field="outgoing")
    recipients = _recipients(org, data)
    if kind == DispatchKind.MONTHLY:
        recipients = [o for o in recipients if o.type.kind == OrgKind.CELL]
        if not recipients:
            raise DomainError(ERR_NO_CELLS, field="scope")
    if not recipients:
        raise DomainError(ERR_NO_RECIPIENTS, field="scope")
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        recent = Dispatch.objects.filter(organisation=org, kind=kind, title=title, outgoing=doc, due_on=due,
                                         created_at__gte=timezone.now() - TWICE_WINDOW)  # fmt: skip
        if recent.exists():
            raise Conflict(ERR_SENT_TWICE.format(title=title))
        d = Dispatch.objects.create(organisation=org, org_path=org.path, kind=kind, outgoing=doc, title=title,
                                    body=body, due_on=due, month=month, sent_on=sent_on,
                                    sent_by=by if getattr(by, "pk", None) else None,
                                    recipients_count=len(recipients))  # fmt: skip
        Delivery.objects.bulk_create([Delivery(dispatch=d, organisation=o, org_path=o.path) for o in recipients],
                                     batch_size=2000)  # fmt: skip
        told = _tell(d, recipients)
        audit.record(by=by, action="documents.dispatch_send", obj=d, org_path=org.path,
                     after={"title": title, "kind": kind, "recipients": len(recipients), "due_on": fmt(due),
                            "document": doc.symbol if doc else None, "told_in_app": told})  # fmt: skip
    return d


def _tell(d, recipients: list[Organisation]) -> int:
    """In-app notices to the accounts of the recipients' secretaries and deputies; e-mail when configured."""
    from django.urls import reverse

    from dangvu.core.models import Notification
    from dangvu.members.models import Seat, SeatRole

    from .models import Delivery

    seats = (Seat.objects.filter(organisation__in=recipients, valid_to__isnull=True,
                                 role__in=[SeatRole.SECRETARY, SeatRole.DEPUTY])
             .select_related("member__account"))  # fmt: skip
    ids = dict(Delivery.objects.filter(dispatch=d).values_list("organisation_id", "pk"))
    inbox, mail = [], []
    due = f" Hạn báo cáo: {fmt(d.due_on)}." if d.due_on else ""
    for s in seats:
        m = s.member
        url = reverse("documents:delivery", args=[ids[s.organisation_id]])
        if m.account_id and m.account.is_active:
            inbox.append(Notification(user=m.account, title=f"{d.organisation.name}: {d.title}"[:255],
                                      body=f"{d.get_kind_display()}.{due}", url=url))  # fmt: skip
        if m.email and settings.DANGVU_EMAIL_ENABLED:
            mail.append(m.email)
    Notification.objects.bulk_create(inbox)
    if mail:
        title, body = f"{d.organisation.name}: {d.title}", f"{d.get_kind_display()}.{due}\n\n{d.body}"
        transaction.on_commit(lambda: _mail(title, body, mail))
    return len(inbox)


def _mail(title: str, body: str, addresses: list[str]) -> None:
    import logging

    from django.core.mail import send_mail

    for address in addresses:
        try:
            send_mail(title, body, None, [address])
        except OSError:  # the dispatch is recorded; a mail server outage must not undo it
            logging.getLogger(__name__).exception("dispatch notice to %s failed", address)


ERR_RECIPIENT = "Chỉ người của {org} xác nhận đã nhận, đã đọc."


def recipient(user, delivery, roles=None) -> bool:
    """Whether the user answers for the recipient: a grant on the recipient or its subtree, not one that also
    covers the sender (the sending committee never reads or answers on its cells' behalf)."""
    from dangvu.accounts.selectors import active_grants

    sender = delivery.dispatch.org_path
    return any(delivery.org_path.startswith(g.org_path) and not sender.startswith(g.org_path)
               for g in active_grants(user) if roles is None or g.role in roles)  # fmt: skip


def delivery_read(*, by, delivery):
    """The recipient marks the document received and read (once: a second click changes nothing)."""
    from .models import Delivery

    if not recipient(by, delivery):
        raise Forbidden(ERR_RECIPIENT.format(org=delivery.organisation.name))
    with transaction.atomic():
        d = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if d.read_at is None:
            d.read_at, d.read_by = timezone.now(), by if getattr(by, "pk", None) else None
            d.save(update_fields=["read_at", "read_by"])
            audit.record(by=by, action="documents.delivery_read", obj=d, org_path=d.org_path,
                         after={"dispatch": d.dispatch_id})  # fmt: skip
    return d


def delivery_answer(*, by, delivery, text: str, upload=None):
    """The recipient's report for a request, with a file: sent (and read) at once; a later answer corrects it
    (the correction is audited with what it replaced)."""
    from .models import Delivery, DispatchKind

    if not recipient(by, delivery, EDIT_ROLES):
        raise Forbidden(ERR_RECIPIENT_ROLE.format(org=delivery.organisation.name))
    kind = delivery.dispatch.kind
    if kind == DispatchKind.DOCUMENT:
        raise DomainError(ERR_ANSWER_KIND, field="answer")
    if kind == DispatchKind.MONTHLY:
        raise DomainError(ERR_ANSWER_MONTHLY, field="answer")
    text = str(text or "").strip()[:20000]
    if not text and upload is None:
        raise DomainError(ERR_ANSWER_EMPTY, field="answer")
    checked = check_upload(upload, UPLOAD_KINDS) if upload is not None else None
    name = put(upload, checked, "documents/answers") if checked is not None else None
    with kept(name), transaction.atomic():
        d = Delivery.objects.select_for_update().get(pk=delivery.pk)
        before = {"answer": d.answer, "file": d.file_sha256 or None, "at": str(d.answered_at or "")}
        now = timezone.now()
        d.answer, d.answered_at, d.answered_by = text, now, by if getattr(by, "pk", None) else None
        if d.read_at is None:
            d.read_at, d.read_by = now, d.answered_by
        if checked is not None:
            d.file_sha256, d.file_kind = checked.sha256, checked.kind
            d.file_name = (getattr(upload, "name", "") or f"bao-cao.{checked.kind}")[-200:]
            d.file.name = name
        d.save()
        audit.record(by=by, action="documents.delivery_answer", obj=d, org_path=d.org_path, before=before,
                     after={"answer": d.answer[:500], "file": d.file_sha256 or None,
                            "late": bool(d.dispatch.due_on and today() > d.dispatch.due_on)})  # fmt: skip
    return d


# --- templates and drafting -----------------------------------------------------------------------------------------

ERR_TEMPLATE = "Mẫu không dùng được: {error}"
MAX_DRAFT = 30_000


def template_upload(*, by, org: Organisation, doc_type: str, name: str, upload):
    """An organisation's template for one document type, for its subtree (it replaces its own earlier one). Refused
    unless every tag only prints the documented data and it renders with a sample document (core.templating)."""
    from dangvu.core import templating

    from . import drafting
    from .models import Template

    check_may_write(by, org)
    if doc_type not in DocType.values:
        raise DomainError(ERR_CHOICE.format(value=doc_type) if doc_type else ERR_REQUIRED, field="doc_type")
    name = _text({"name": name}, "name", 200, required=True)
    if upload is None:
        raise DomainError(ERR_REQUIRED, field="file")
    checked = check_upload(upload, ("docx",))
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        templating.render_docx(data, drafting.SCHEMA, drafting.context(drafting.sample_for(org, doc_type), "…"))
    except templating.TemplateRefused as e:
        raise DomainError(ERR_TEMPLATE.format(error=e.message), field="file") from None
    except Exception as e:  # noqa: BLE001 — a broken upload is refused, whatever broke in it
        raise DomainError(ERR_TEMPLATE.format(error=e.__class__.__name__), field="file") from None
    stored = put(upload, checked, "documents/templates")
    with kept(stored), transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        Template.objects.filter(organisation=org, doc_type=doc_type, active=True).update(active=False)
        t = Template(organisation=org, org_path=org.path, doc_type=doc_type, name=name, sha256=checked.sha256,
                     uploaded_by=by if getattr(by, "pk", None) else None)  # fmt: skip
        t.file.name = stored
        t.save()
        audit.record(by=by, action="documents.template_upload", obj=t, org_path=org.path,
                     after={"doc_type": doc_type, "name": name, "sha256": checked.sha256})  # fmt: skip
    return t


def template_remove(*, by, template):
    """Stop using a template (its file is kept: documents drafted from it can be traced)."""
    from .models import Template

    check_may_write(by, template.organisation)
    with transaction.atomic():
        n = Template.objects.filter(pk=template.pk, active=True).update(active=False)
        if not n:
            raise Conflict("Mẫu này đã thôi dùng.")
        audit.record(by=by, action="documents.template_remove", obj=template, org_path=template.org_path,
                     before={"name": template.name, "doc_type": template.doc_type})  # fmt: skip
    return template


def draft(*, by, doc: Outgoing, body_text: str) -> tuple[bytes, object]:
    """The registered document as .docx, with the body typed; audited (who drafted which number, from which
    template)."""
    from . import drafting

    check_may_write(by, doc.organisation)
    if doc.voided:
        raise Conflict(ERR_VOIDED.format(symbol=doc.symbol, date=fmt(doc.voided_on)))
    if len(body_text or "") > MAX_DRAFT:
        raise DomainError(f"Tối đa {MAX_DRAFT} ký tự.", field="body")
    from dangvu.core import templating

    try:
        data, t = drafting.render(doc, body_text)
    except templating.TemplateRefused as e:  # checked again at render, or grew past the output cap
        raise DomainError(ERR_TEMPLATE.format(error=e.message), field="body") from None
    audit.record(by=by, action="documents.draft", obj=doc, org_path=doc.org_path,
                 after={"symbol": doc.symbol, "template": t.pk if t else None})  # fmt: skip
    return data, t


# --- decisions on the tree typed in ------------------------------------------------------------------------------

LINK_ORDER = {"target": 0, "subject": 1, "source": 2}


def register_decision(*, event, by) -> Incoming | None:
    """A decision on the tree is typed in from paper (the province's decision on a merge, say): it goes to the
    incoming register of the committee that holds the organisation decided on, on the day it is typed in (arrival
    numbers follow arrival), its own date kept as the decision's; once per decision number (one decision may
    establish several organisations)."""
    links = list(event.links.select_related("organisation"))
    if not links:
        return None
    first = min(links, key=lambda x: LINK_ORDER.get(x.role, 9)).organisation
    first = Organisation.objects.select_related("parent").get(pk=first.pk)  # as the decision left it
    holder = first.parent or first
    number = (event.decision_number or "").removeprefix("Số").strip()[:60]
    Organisation.objects.select_for_update().filter(pk=holder.pk).first()
    if Incoming.objects.filter(organisation=holder, their_number=number, their_date=event.effective_on,
                               doc_type=DocType.DECISION).exists():  # fmt: skip
        return None
    on = today()
    names = ", ".join(dict.fromkeys(x.organisation.name for x in links))
    n = _next_arrival(holder, on.year)
    doc = Incoming(organisation=holder, org_path=holder.path, year=on.year, arrival_number=n, received_on=on,
                   sender=(event.issuer or "Cấp ủy cấp trên")[:200], their_number=number, their_date=event.effective_on,
                   doc_type=DocType.DECISION, subject=f"{event.get_kind_display()}: {names}"[:500],
                   status=IncomingStatus.DONE, done_on=on, outcome="Đã ghi vào cây tổ chức",
                   created_by=by if getattr(by, "pk", None) else None)  # fmt: skip
    doc.search_text = incoming_search_text(doc)
    doc.save()
    audit.record(by=by, action="documents.incoming_add", obj=doc, org_path=doc.org_path,
                 after={**_snapshot(doc), "event": event.pk})  # fmt: skip
    return doc
