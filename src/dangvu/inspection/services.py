"""Every write of inspection, supervision and discipline: pages, the API and the demo all come through here.

Only inspector, officer and administrator roles on the owning organisation's subtree write (and read) these
records. Decisions, conclusions and discipline decisions take their number from the organisation's register
(`documents.services.issue`, per type and term) unless a paper number is typed. A discipline is checked
against the rules in force on its decision date (`rules`): the body's power over the form, probationary members,
the vote, the limitation period with its restarts, the deferral; once announced it writes the member's CV line and
its effects go through the member services (expulsion, removal from post). An appeal is filed within the rules'
days; its answer may change or annul the discipline, and annulment restores (QĐ 117-QĐ/TW) what the discipline
took and has the evaluations judged again. All audited, all in one transaction each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from dangvu.accounts.models import Role
from dangvu.accounts.selectors import covers
from dangvu.core import audit
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError, Forbidden
from dangvu.core.files import check_upload
from dangvu.core.locking import lock
from dangvu.core.text import clean
from dangvu.documents import models as register
from dangvu.documents.models import DocType
from dangvu.documents.services import issue, term_on
from dangvu.members import services as msvc
from dangvu.members.models import Member, Seat, Status
from dangvu.organizations.models import Organisation, OrgKind
from dangvu.organizations.services import normalise_decision_number

from . import rules as ir
from .models import (
    IN_FORCE,
    MEMBER_FORMS,
    ORG_FORMS,
    Activity,
    Appeal,
    AppealOutcome,
    Body,
    Complaint,
    ComplaintKind,
    Deferral,
    Discipline,
    DisciplineState,
    Form,
    Gravity,
    Inspection,
    Item,
    ItemState,
    Method,
    Notice,
    Programme,
    Recommendation,
    Source,
)

CONFIDENTIAL = (Role.INSPECTOR, Role.OFFICER, Role.ADMIN)

ERR_ROLE = "Chỉ kiểm tra viên, cán bộ tổ chức và quản trị của {org} được làm việc này."
ERR_REQUIRED = "Trường này là bắt buộc."
ERR_CHOICE = "Giá trị «{value}» không có trong danh sách."
ERR_FUTURE = "Ngày không được sau hôm nay ({today})."
ERR_BEFORE = "Ngày không được trước {what} ({date})."
ERR_TOO_LONG = "Tối đa {limit} ký tự."
ERR_TOO_FAR = "Ngày quá xa (hơn {years} năm tới)."
ERR_TWICE = "Đã ghi {what} này rồi (có thể do bấm hai lần)."
ERR_MOVED = (
    "{name} nay sinh hoạt ở {org}, ngoài {decider}: tổ chức đảng có thẩm quyền nơi đảng viên sinh hoạt xem xét."
)
ERR_BODY_COMMITTEE = (
    "Ở chi bộ, chi bộ (hội nghị đảng viên) quyết định: chọn «Chi bộ» (chi ủy không có thẩm quyền này)."
)
ERR_BODY_NOT_CELL = "{org} là đảng bộ: chọn cấp ủy, ban thường vụ hoặc ủy ban kiểm tra."
ERR_YEAR_OR_TERM = "Chọn năm, hoặc để trống năm cho chương trình cả nhiệm kỳ (tổ chức phải có nhiệm kỳ đang có hiệu lực)."
ERR_PROGRAMME_TWICE = "{org} đã có chương trình kiểm tra, giám sát {period} của {body}."
ERR_ONE_SUBJECT = "Chọn một tổ chức đảng hoặc một đảng viên (không cả hai)."
ERR_SUBJECT_OUTSIDE = "{name} không thuộc phạm vi của {org}."
ERR_SUBJECT_SELF = "Tổ chức đảng bị kỷ luật phải là tổ chức cấp dưới của {org}."
ERR_DUE_BEFORE_START = "Hạn hoàn thành không được trước ngày bắt đầu."
ERR_ITEM_DONE = "Nội dung này đã «{state}»."
ERR_ITEM_USED = "Nội dung này đã có cuộc kiểm tra, giám sát ({number})."
ERR_CONCLUDED = "Cuộc {activity} đã kết luận ({number}); không sửa được."
ERR_NOT_CONCLUDED = "Cuộc {activity} chưa kết luận."
ERR_REC_NONE = "Ghi ít nhất một kiến nghị, hoặc ghi rõ không có vi phạm và không có kiến nghị."
ERR_REC_DONE = "Kiến nghị này đã thực hiện xong ngày {date}."
ERR_STATE = "Vụ việc đang ở trạng thái «{state}»; không ghi «{what}» được."
ERR_DEFERRED = "Đang hoãn xem xét kỷ luật ({reason}) đến ngày {until}; chưa quyết định được."
ERR_DEFER_UNTIL = "Ghi ngày hết lý do hoãn (sau hôm nay)."
ERR_SEAT = "Chọn chức vụ bị cách (đảng viên đang giữ)."
ERR_NO_SEAT = "{name} không giữ chức vụ nào trong cấp ủy, ủy ban kiểm tra: không áp dụng cách chức."
ERR_HEARING = (
    "Ghi ngày đại diện tổ chức gặp, nghe đảng viên trình bày; nếu đảng viên nhiều lần không đến, ghi rõ ở ô ghi chú."
)
ERR_EXPEL_STATUS = "{name} đang ở trạng thái «{status}»: không thi hành kỷ luật khai trừ được."
ERR_DEFER_ORG = "Chỉ hoãn xem xét kỷ luật với đảng viên (mang thai, nuôi con dưới 12 tháng, ốm nặng)."
ERR_NO_ORG = "{name} chưa thuộc tổ chức đảng nào trong Dangvu: ghi thông báo ở tổ chức đảng của đảng viên."
ERR_ITEM_CLOSED = "Nội dung này đã «{state}»: không ra quyết định được."
ERR_ANNOUNCED_TWICE = "Quyết định đã công bố rồi."
ERR_NOT_ANNOUNCED = "Quyết định chưa công bố: chưa có hiệu lực để khiếu nại."
ERR_HEARING_AFTER = "Ngày nghe đảng viên trình bày không được sau ngày quyết định ({date})."
ERR_ANNOUNCED = "Ngày công bố không được trước ngày quyết định."
ERR_VOTES_MORE = "Số tán thành không được lớn hơn số thành viên."
ERR_APPEAL_LATE = (
    "Quá thời hạn khiếu nại: {days} ngày kể từ ngày nhận quyết định ({announced}), hết ngày {until}; không thụ lý."
)
ERR_APPEAL_OPEN = "Khiếu nại ngày {date} đang chờ giải quyết."
ERR_APPEAL_ANSWERED = "Khiếu nại này đã giải quyết ({outcome})."
ERR_NEW_FORM = "Chọn hình thức kỷ luật mới (khác hình thức cũ)."
ERR_NOTICE_DATES = "Ngày nhận thông báo không được trước ngày quyết định."
ERR_HANDLER = "Không có tài khoản «{username}» có quyền kiểm tra trên {org}."
ERR_CLOSED = "Đơn đã kết thúc ngày {date}."
ERR_NOT_HANDLER = "Chỉ người đang được giao giải quyết đơn mới giao thêm người cùng giải quyết."
ERR_SUBJECT_REQUIRED = "Chọn tổ chức đảng hoặc đảng viên là đối tượng."
ERR_DISSOLUTION = (
    "Quyết định giải tán có hiệu lực trên cây tổ chức qua «Quyết định về tổ chức» (giải thể): ghi ở đó sau khi "
    "công bố."
)

LIMITS = {"title": 255, "carried_by": 255, "note": 500, "text": 1000, "measure": 500, "source_name": 255,
          "filer": 255, "filer_contact": 255, "restored": 500, "decided_by": 255, "reference": 60, "content": 5000,
          "team": 2000, "conduct": 5000, "findings": 20000, "self_report": 20000, "result_report": 20000}  # fmt: skip


def check_may(by, org: Organisation) -> None:
    if not covers(by, org.path, CONFIDENTIAL):
        raise Forbidden(ERR_ROLE.format(org=org.name))


def _text(data: dict, key: str, errors: dict, *, required: bool = True) -> str:
    v = clean(data.get(key) or "")
    if required and not v:
        errors[key] = ERR_REQUIRED
    limit = LIMITS.get(key)
    if limit and len(v) > limit:
        errors[key] = ERR_TOO_LONG.format(limit=limit)
    return v


PARTY_FOUNDED = dt.date(1930, 2, 3)
FUTURE_YEARS = 20  # a deadline or a term's plan further ahead than this is a typing error


def _date(data: dict, key: str, errors: dict, *, required: bool = True, future: bool = False) -> dt.date | None:
    d = data.get(key)
    if d in (None, ""):
        if required:
            errors[key] = ERR_REQUIRED
        return None
    if not isinstance(d, dt.date):
        errors[key] = ERR_REQUIRED
        return None
    if d < PARTY_FOUNDED:
        errors[key] = ERR_BEFORE.format(what="ngày thành lập Đảng", date=fmt(PARTY_FOUNDED))
    elif not future and d > today():
        errors[key] = ERR_FUTURE.format(today=fmt(today()))
    elif future and d.year > today().year + FUTURE_YEARS:
        errors[key] = ERR_TOO_FAR.format(years=FUTURE_YEARS)
    return d


def _after(d: dt.date | None, floor: dt.date | None, key: str, what: str, errors: dict) -> None:
    if d and floor and d < floor and key not in errors:
        errors[key] = ERR_BEFORE.format(what=what, date=fmt(floor))


def _choice(data: dict, key: str, choices, errors: dict, *, required: bool = True) -> str:
    v = data.get(key) or ""
    if not v:
        if required:
            errors[key] = ERR_REQUIRED
        return ""
    if v not in choices:
        errors[key] = ERR_CHOICE.format(value=v)
    return v


def _raise(errors: dict) -> None:
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)


def _body(org: Organisation, body: str, errors: dict) -> None:
    if body and body in Body.values:
        if org.type.kind == OrgKind.CELL and body != Body.CELL:
            errors["body"] = ERR_BODY_COMMITTEE
        if org.type.kind != OrgKind.CELL and body == Body.CELL:
            errors["body"] = ERR_BODY_NOT_CELL.format(org=org.name)


def _subject(org: Organisation, data: dict, errors: dict, *, strict: bool = False):
    """(subject_org, subject_member, subject_path): an organisation of the subtree (strictly below with `strict`)
    or a member whose organisation is in it."""
    so, sm = data.get("subject_org"), data.get("subject_member")
    if so and sm:
        errors["subject_org"] = ERR_ONE_SUBJECT
        return None, None, ""
    if not so and not sm:
        errors["subject_org"] = ERR_SUBJECT_REQUIRED
        return None, None, ""
    if so:
        if not so.path.startswith(org.path) or (strict and so.pk == org.pk):
            errors["subject_org"] = (ERR_SUBJECT_SELF.format(org=org.name) if strict and so.pk == org.pk
                                     else ERR_SUBJECT_OUTSIDE.format(name=so.name, org=org.name))  # fmt: skip
        return so, None, so.path
    if not (sm.org_path or "").startswith(org.path):
        errors["subject_member"] = ERR_SUBJECT_OUTSIDE.format(name=sm.full_name, org=org.name)
    return None, sm, sm.org_path or ""


def _number(org: Organisation, doc_type: str, on: dt.date, typed: str, body: str = "") -> str:
    """The typed paper number (checked format), or the next number of the issuer's register: the organisation's,
    or its inspection commission's own ("01-QĐ/UBKTĐU")."""
    if typed:
        return normalise_decision_number(typed)
    issuer = {Body.COMMISSION: register.Body.COMMISSION, Body.STANDING: register.Body.STANDING}.get(
        body, register.Body.ORGANISATION)
    # the register shows the number and the type, never whom it concerns (inspection is confidential)
    return issue(org, doc_type, on, body=issuer, origin=register.Origin.INSPECTION,
                 subject=f"{DocType(doc_type).label} về kiểm tra, kỷ luật (xem tại mục Kiểm tra)").symbol


# --- programmes and their items ------------------------------------------------------------------------------


def programme_create(*, by, org: Organisation, data: dict) -> Programme:
    check_may(by, org)
    errors: dict = {}
    body = _choice(data, "body", Body.values, errors)
    _body(org, body, errors)
    title = _text(data, "title", errors)
    adopted_on = _date(data, "adopted_on", errors)
    year = data.get("year")
    term = None
    if year in (None, ""):
        year = None
        term = term_on(org, adopted_on or today())
        if term is None:
            errors["year"] = ERR_YEAR_OR_TERM
    elif not isinstance(year, int) or not 2000 <= year <= today().year + 1:
        errors["year"] = ERR_CHOICE.format(value=year)
    typed = clean(data.get("number") or "")
    _raise(errors)
    with transaction.atomic():
        lock(org)
        same = Programme.objects.filter(organisation=org, body=body, year=year, term=None if year else term)
        if same.exists():
            raise Conflict(ERR_PROGRAMME_TWICE.format(org=org.name, body=Body(body).label.lower(),
                                                      period=f"năm {year}" if year else "nhiệm kỳ"), field="year")  # fmt: skip
        number = _number(org, DocType.PROGRAMME, adopted_on, typed, body)
        p = Programme.objects.create(organisation=org, org_path=org.path, body=body, year=year, term=term,
                                     title=title, adopted_on=adopted_on, number=number,
                                     created_by=by if by.is_authenticated else None)  # fmt: skip
        audit.record(by=by, action="inspection.programme_create", obj=p, org_path=org.path,
                     after={"body": body, "year": year, "title": title, "number": number})  # fmt: skip
    return p


def item_add(*, by, programme: Programme, data: dict) -> Item:
    org = programme.organisation
    check_may(by, org)
    errors: dict = {}
    activity = _choice(data, "activity", Activity.values, errors)
    method = _choice(data, "method", Method.values, errors)
    so, sm, path = _subject(org, data, errors)
    content = _text(data, "content", errors)
    carried_by = _text(data, "carried_by", errors)
    starts_on = _date(data, "starts_on", errors, future=True)
    due_on = _date(data, "due_on", errors, future=True)
    if starts_on and due_on and due_on < starts_on:
        errors["due_on"] = ERR_DUE_BEFORE_START
    _raise(errors)
    with transaction.atomic():
        it = Item.objects.create(programme=programme, org_path=programme.org_path, activity=activity, method=method,
                                 subject_org=so, subject_member=sm, subject_path=path, content=content,
                                 starts_on=starts_on, due_on=due_on, carried_by=carried_by)  # fmt: skip
        audit.record(by=by, action="inspection.item_add", obj=programme, org_path=programme.org_path,
                     after={"item": it.pk, "activity": activity, "subject": it.subject_label, "due_on": due_on.isoformat()})  # fmt: skip
    return it


def item_progress(*, by, item: Item, state: str, on: dt.date | None = None, note: str = "") -> Item:
    """Progress of a programme line: under way, done (with its date) or dropped (with a reason)."""
    check_may(by, item.programme.organisation)
    errors: dict = {}
    _choice({"state": state}, "state", ItemState.values, errors)
    if state in (ItemState.DONE, ItemState.DROPPED):
        on = _date({"on": on}, "on", errors)
    if state == ItemState.DROPPED and not clean(note):
        errors["note"] = ERR_REQUIRED
    _raise(errors)
    with transaction.atomic():
        lock(item)
        item.refresh_from_db()
        if item.state in (ItemState.DONE, ItemState.DROPPED):
            raise Conflict(ERR_ITEM_DONE.format(state=item.get_state_display().lower()), field="state")
        before = {"state": item.state}
        item.state, item.note = state, clean(note)[:500] or item.note
        item.done_on = on if state in (ItemState.DONE, ItemState.DROPPED) else None
        item.save(update_fields=["state", "note", "done_on"])
        audit.record(by=by, action="inspection.item_progress", obj=item.programme, org_path=item.org_path,
                     before=before, after={"item": item.pk, "state": state, "note": item.note})  # fmt: skip
    return item


# --- inspections and supervisions ---------------------------------------------------------------------------


def inspection_open(*, by, org: Organisation, data: dict, item: Item | None = None) -> Inspection:
    """A numbered decision opens an inspection or a supervision (of a programme item, or on its own: signs of a
    violation)."""
    check_may(by, org)
    if item is not None:
        org = item.programme.organisation
        data = {**data, "activity": item.activity, "method": item.method, "subject_org": item.subject_org,
                "subject_member": item.subject_member, "content": item.content}  # the item's, whatever was sent
    errors: dict = {}
    body = _choice(data, "body", Body.values, errors)
    _body(org, body, errors)
    activity = _choice(data, "activity", Activity.values, errors)
    method = _choice(data, "method", Method.values, errors)
    so, sm, path = _subject(org, data, errors)
    content = _text(data, "content", errors)
    team = _text(data, "team", errors)
    decided_on = _date(data, "decided_on", errors)
    ends_on = _date(data, "ends_on", errors, future=True)
    _after(ends_on, decided_on, "ends_on", "ngày quyết định", errors)
    typed = clean(data.get("decision_number") or "")
    _raise(errors)
    with transaction.atomic():
        if item is not None:
            lock(item)
            item.refresh_from_db()
            used = Inspection.objects.filter(item=item).first()
            if used is not None:
                raise Conflict(ERR_ITEM_USED.format(number=used.decision_number), field="item")
            if item.state in (ItemState.DONE, ItemState.DROPPED):
                raise Conflict(ERR_ITEM_CLOSED.format(state=item.get_state_display().lower()), field="item")
        else:  # on its own: the same decision twice is a double click (an item's has its own guard above)
            lock(org)
            if Inspection.objects.filter(organisation=org, body=body, subject_org=so, subject_member=sm,
                                         decided_on=decided_on, content=content).exists():
                raise Conflict(ERR_TWICE.format(what="quyết định kiểm tra, giám sát"), field="decided_on")
        number = _number(org, DocType.DECISION, decided_on, typed, body)
        i = Inspection.objects.create(organisation=org, org_path=org.path, body=body, activity=activity,
                                      method=method, item=item, subject_org=so, subject_member=sm, subject_path=path,
                                      content=content, decision_number=number, decided_on=decided_on, team=team,
                                      ends_on=ends_on, created_by=by if by.is_authenticated else None)  # fmt: skip
        if item is not None and item.state == ItemState.PLANNED:
            Item.objects.filter(pk=item.pk).update(state=ItemState.UNDER_WAY)
        audit.record(by=by, action="inspection.open", obj=i, org_path=org.path,
                     after={"activity": activity, "subject": i.subject_label, "number": number,
                            "item": item.pk if item else None})  # fmt: skip
    return i


def _check_open(i: Inspection) -> None:
    if i.concluded_on:
        raise Conflict(ERR_CONCLUDED.format(activity=i.get_activity_display().lower(), number=i.conclusion_number))


def inspection_reports(*, by, inspection: Inspection, data: dict, upload=None) -> Inspection:
    """The subject's self-report (written, or its scan uploaded) and the team's result report."""
    check_may(by, inspection.organisation)
    errors: dict = {}
    self_report = _text(data, "self_report", errors, required=False)
    self_on = _date(data, "self_report_on", errors, required=bool(self_report or upload))
    result = _text(data, "result_report", errors, required=False)
    result_on = _date(data, "result_on", errors, required=bool(result))
    _after(self_on, inspection.decided_on, "self_report_on", "ngày quyết định", errors)
    _after(result_on, inspection.decided_on, "result_on", "ngày quyết định", errors)
    checked = check_upload(upload, ("pdf", "docx", "jpeg", "png")) if upload is not None else None
    _raise(errors)
    with transaction.atomic():
        lock(inspection)
        inspection.refresh_from_db()
        _check_open(inspection)
        if self_report or checked:
            inspection.self_report, inspection.self_report_on = self_report or inspection.self_report, self_on
        if checked:
            inspection.self_report_sha256, inspection.self_report_kind = checked.sha256, checked.kind
            inspection.self_report_file.save(f"{checked.sha256[:16]}.{checked.kind}", upload, save=False)
        if result:
            inspection.result_report, inspection.result_on = result, result_on
        inspection.save()
        audit.record(by=by, action="inspection.reports", obj=inspection, org_path=inspection.org_path,
                     after={"self_report_on": self_on.isoformat() if self_on else None,
                            "file": checked.sha256 if checked else None,
                            "result_on": result_on.isoformat() if result_on else None})  # fmt: skip
    return inspection


@dataclass
class RecommendationIn:
    text: str
    due_on: dt.date | None


def inspection_conclude(*, by, inspection: Inspection, data: dict,
                        recommendations: list[RecommendationIn]) -> Inspection:  # fmt: skip
    """The conclusion: numbered, dated, its findings and recommendations (each with a deadline), sent to the
    subject. Closes the programme item it carried out."""
    check_may(by, inspection.organisation)
    errors: dict = {}
    concluded_on = _date(data, "concluded_on", errors)
    _after(concluded_on, inspection.decided_on, "concluded_on", "ngày quyết định", errors)
    findings = _text(data, "findings", errors)
    violation = bool(data.get("violation"))
    sent_on = _date(data, "sent_on", errors, required=False)
    _after(sent_on, concluded_on, "sent_on", "ngày kết luận", errors)
    recs = []
    for n, r in enumerate(recommendations):
        text = clean(r.text)
        if not text and not r.due_on:
            continue
        if not text:
            errors[f"recommendations.{n}.text"] = ERR_REQUIRED
        elif len(text) > LIMITS["text"]:
            errors[f"recommendations.{n}.text"] = ERR_TOO_LONG.format(limit=LIMITS["text"])
        if not r.due_on:
            errors[f"recommendations.{n}.due_on"] = ERR_REQUIRED
        else:
            _after(r.due_on, concluded_on, f"recommendations.{n}.due_on", "ngày kết luận", errors)
        recs.append((text, r.due_on))
    if violation and not recs:
        errors["recommendations"] = ERR_REC_NONE
    typed = clean(data.get("conclusion_number") or "")
    _raise(errors)
    with transaction.atomic():
        lock(inspection)
        inspection.refresh_from_db()
        _check_open(inspection)
        org = inspection.organisation
        inspection.conclusion_number = _number(org, DocType.CONCLUSION, concluded_on, typed, inspection.body)
        # the notice that sends the conclusion to the subject takes its own number (TB)
        inspection.notice_number = _number(org, DocType.NOTICE, sent_on or concluded_on, "", inspection.body)
        inspection.concluded_on, inspection.findings = concluded_on, findings
        inspection.violation, inspection.sent_on = violation, sent_on
        inspection.save()
        Recommendation.objects.bulk_create(
            [Recommendation(inspection=inspection, text=t, due_on=d) for t, d in recs]
        )
        if inspection.item_id:
            Item.objects.filter(pk=inspection.item_id).exclude(state=ItemState.DROPPED).update(
                state=ItemState.DONE, done_on=concluded_on
            )
        audit.record(by=by, action="inspection.conclude", obj=inspection, org_path=inspection.org_path,
                     after={"number": inspection.conclusion_number, "notice": inspection.notice_number,
                            "violation": violation,
                            "recommendations": len(recs)})  # fmt: skip
    return inspection


def recommendation_done(*, by, rec: Recommendation, on: dt.date | None, note: str = "") -> Recommendation:
    check_may(by, rec.inspection.organisation)
    errors: dict = {}
    on = _date({"done_on": on}, "done_on", errors)
    _after(on, rec.inspection.concluded_on, "done_on", "ngày kết luận", errors)
    if len(clean(note)) > 500:
        errors["note"] = ERR_TOO_LONG.format(limit=500)
    _raise(errors)
    with transaction.atomic():
        lock(rec)
        rec.refresh_from_db()
        if rec.done_on:
            raise Conflict(ERR_REC_DONE.format(date=fmt(rec.done_on)), field="done_on")
        rec.done_on, rec.note = on, clean(note)
        rec.save(update_fields=["done_on", "note"])
        audit.record(by=by, action="inspection.recommendation_done", obj=rec.inspection,
                     org_path=rec.inspection.org_path, after={"recommendation": rec.pk, "done_on": on.isoformat()})  # fmt: skip
    return rec


# --- discipline ---------------------------------------------------------------------------------------------


def discipline_open(*, by, org: Organisation, data: dict) -> Discipline:
    """A discipline case before the deciding body: the subject, the conduct and its dates, its gravity."""
    check_may(by, org)
    errors: dict = {}
    body = _choice(data, "body", Body.values, errors)
    _body(org, body, errors)
    so, sm, path = _subject(org, data, errors, strict=bool(data.get("subject_org")))
    conduct = _text(data, "conduct", errors)
    conduct_from = _date(data, "conduct_from", errors)
    conduct_to = _date(data, "conduct_to", errors, required=False)
    _after(conduct_to, conduct_from, "conduct_to", "ngày bắt đầu vi phạm", errors)
    gravity = _choice(data, "gravity", Gravity.values, errors)
    inspection, notice = data.get("inspection"), data.get("notice")
    _raise(errors)
    with transaction.atomic():
        lock(org)
        if Discipline.objects.filter(organisation=org, subject_member=sm, subject_org=so, conduct_from=conduct_from,
                                     conduct=conduct, state__in=[DisciplineState.OPEN, DisciplineState.DEFERRED]).exists():
            raise Conflict(ERR_TWICE.format(what="vụ việc"), field="conduct")
        d = Discipline.objects.create(organisation=org, org_path=org.path, body=body, subject_member=sm,
                                      subject_org=so, subject_path=path, conduct=conduct, conduct_from=conduct_from,
                                      conduct_to=conduct_to, gravity=gravity, inspection=inspection, notice=notice,
                                      created_by=by if by.is_authenticated else None)  # fmt: skip
        audit.record(by=by, action="inspection.discipline_open", obj=d, org_path=org.path,
                     after={"subject": d.subject_label, "gravity": gravity, "conduct_from": conduct_from.isoformat()})  # fmt: skip
    return d


def _check_state(d: Discipline, allowed, what: str) -> None:
    if d.state not in allowed:
        raise Conflict(ERR_STATE.format(state=d.get_state_display().lower(), what=what), field="__all__")


def discipline_defer(*, by, discipline: Discipline, reason: str, until: dt.date | None) -> Discipline:
    """Not considered yet (pregnancy, a child under 12 months, serious illness in hospital) until a date."""
    check_may(by, discipline.organisation)
    errors: dict = {}
    _choice({"deferral": reason}, "deferral", Deferral.values, errors)
    if until is None or until <= today():
        errors["deferred_until"] = ERR_DEFER_UNTIL
    if discipline.subject_member_id is None:
        errors["deferral"] = ERR_DEFER_ORG
    _raise(errors)
    with transaction.atomic():
        lock(discipline)
        discipline.refresh_from_db()
        _check_state(discipline, (DisciplineState.OPEN, DisciplineState.DEFERRED), "hoãn")
        discipline.state, discipline.deferral, discipline.deferred_until = DisciplineState.DEFERRED, reason, until
        discipline.save(update_fields=["state", "deferral", "deferred_until"])
        audit.record(by=by, action="inspection.discipline_defer", obj=discipline, org_path=discipline.org_path,
                     after={"deferral": reason, "until": until.isoformat()})  # fmt: skip
    return discipline


def _later_violations(d: Discipline, on: dt.date) -> list[dt.date]:
    """Dates of the subject's other established violations (disciplined by a decision in force, the act before
    `on`): each may restart the limitation. A case closed without discipline or still open proves nothing."""
    qs = Discipline.objects.exclude(pk=d.pk).filter(state__in=IN_FORCE, conduct_from__lte=on)
    qs = qs.filter(subject_member_id=d.subject_member_id) if d.subject_member_id else qs.filter(
        subject_org_id=d.subject_org_id)
    return list(qs.values_list("conduct_from", flat=True))


FORM_GRAVITY = {Form.REPRIMAND: Gravity.REPRIMAND, Form.WARNING: Gravity.WARNING, Form.REMOVAL: Gravity.WARNING,
                Form.EXPULSION: Gravity.EXPULSION, Form.DISSOLUTION: Gravity.EXPULSION}  # fmt: skip


def limitation_of(d: Discipline, on: dt.date | None = None, form: str = "") -> ir.Limitation:
    """The limitation of the case's conduct: by the level of the form decided (`form`, else the case's), or the
    gravity the case was opened with before a decision; the listed categories (UNLIMITED) have none."""
    form = form or d.form
    gravity = d.gravity if d.gravity == Gravity.UNLIMITED or not form else FORM_GRAVITY[form]
    on = on or today()
    return ir.limitation(subject="member" if d.subject_member_id else "organisation", gravity=gravity,
                         conduct_from=d.conduct_from, conduct_to=d.conduct_to, later=_later_violations(d, on),
                         on=on)  # fmt: skip


@dataclass
class Decision:
    form: str
    decided_on: dt.date | None
    announced_on: dt.date | None
    votes_for: int | None
    votes_base: int | None
    hearing_on: dt.date | None = None
    seat: Seat | None = None
    number: str = ""
    note: str = ""


def _check_decision(d: Discipline, x: Decision) -> dict:
    errors: dict = {}
    subject = "member" if d.subject_member_id else "organisation"
    forms = MEMBER_FORMS if subject == "member" else ORG_FORMS
    _choice({"form": x.form}, "form", [f.value for f in forms], errors)
    decided_on = _date({"decided_on": x.decided_on}, "decided_on", errors)
    announced_on = _date({"announced_on": x.announced_on}, "announced_on", errors, required=False)
    if decided_on and announced_on and announced_on < decided_on:
        errors["announced_on"] = ERR_ANNOUNCED
    _after(decided_on, d.conduct_from, "decided_on", "ngày vi phạm", errors)
    if x.votes_base in (None, 0) or x.votes_for is None:
        errors["votes_for"] = ERR_REQUIRED
    elif x.votes_for > x.votes_base:
        errors["votes_for"] = ERR_VOTES_MORE
    m = d.subject_member
    if m is not None and x.hearing_on is None and not clean(x.note):
        errors["hearing_on"] = ERR_HEARING
    if "form" in errors or "decided_on" in errors:
        return errors
    on = decided_on
    problem = ir.power_problem(d.organisation, Body(d.body).label, subject, x.form, on)
    if problem:
        errors["form"] = problem
    if m is not None and not (m.org_path or "").startswith(d.organisation.path):
        errors["form"] = ERR_MOVED.format(name=m.full_name, org=m.org.name if m.org_id else "nơi khác",
                                          decider=d.organisation.name)  # fmt: skip
        return errors
    if m is not None:
        if m.status == Status.PROBATIONARY and x.form not in ir.params(on)["probationary_forms"]:
            errors["form"] = ir.ERR_FORM_PROBATIONARY
        elif x.form == Form.REMOVAL:
            held = Seat.objects.filter(member=m, valid_to__isnull=True)
            if not held.exists():
                errors["form"] = ERR_NO_SEAT.format(name=m.full_name)
            elif x.seat is None or not held.filter(pk=x.seat.pk).exists():
                errors["seat"] = ERR_SEAT
        if x.hearing_on and x.hearing_on > decided_on:
            errors["hearing_on"] = ERR_HEARING_AFTER.format(date=fmt(decided_on))
    problem = ir.limitation_problem(limitation_of(d, on, x.form), decided_on)
    if problem:
        errors["decided_on"] = problem
    problem = "votes_for" not in errors and ir.votes_problem(x.form, x.votes_for, x.votes_base, on)
    if problem:
        errors["votes_for"] = problem
    return errors


def _effects(by, d: Discipline, on: dt.date, number: str = "") -> None:
    """What a discipline in force does elsewhere: the CV's line (the form, the body, the number: the conduct stays
    in these confidential records), the expulsion, the removal from post."""
    m = d.subject_member
    if m is None:
        return
    number = number or d.number
    line = f"{Form(d.form).label} ({Body(d.body).label.lower()} {d.organisation.name})"
    d.cv_entry = msvc.discipline_line(by=by, member=m, on=on, description=line, decision_number=number)
    if d.form == Form.EXPULSION:
        msvc.expel_decided(by=by, member=m, on=on, reason=f"Khai trừ theo quyết định {number}", decision_number=number)
    elif d.form == Form.REMOVAL and d.seat_id:
        msvc.seat_removed(by=by, seat=d.seat, on=on, decision_number=number)


def _give_back(by, seat: Seat, on: dt.date, reason: str) -> str | None:
    """A post given back (QĐ 117), unless its term has ended or the member holds it again already."""
    if seat.term.ends_on and seat.term.ends_on < on:
        return f"chức vụ {seat.get_role_display().lower()}: nhiệm kỳ đã kết thúc"
    if Seat.objects.filter(member=seat.member, term=seat.term, role=seat.role, valid_to__isnull=True).exists():
        return None
    msvc.seat_restored(by=by, seat=seat, on=on, reason=reason)
    return f"khôi phục chức vụ {seat.get_role_display().lower()}"


def _undo_effects(by, d: Discipline, on: dt.date, reason: str) -> list[str]:
    """Restoration after annulment (QĐ 117), or before a changed form: the CV line goes; an expulsion gives back
    the membership (in the organisation left; if it has closed, the member is received where they now belong,
    on application) and the posts it ended; a removal gives back its post. What was restored, in words."""
    done: list[str] = []
    m = d.subject_member
    if m is None:
        return done
    if d.cv_entry_id:
        msvc.discipline_line_remove(by=by, entry=d.cv_entry)
        d.cv_entry = None
        done.append("bỏ dòng kỷ luật trong lý lịch")
    if d.form == Form.EXPULSION:
        m.refresh_from_db()
        if m.status == Status.EXPELLED:
            try:
                with transaction.atomic():
                    msvc.reinstate(by=by, member=m, on=on, reason=reason, decision_number="")
                done.append("khôi phục đảng tịch")
            except Conflict as e:
                done.append(f"chưa khôi phục đảng tịch ({e.message})")
        ended = Seat.objects.filter(member=m, valid_to=d.announced_on) if d.announced_on else Seat.objects.none()
        for seat in ended.select_related("term"):
            said = _give_back(by, seat, on, reason)
            if said:
                done.append(said)
    elif d.form == Form.REMOVAL and d.seat_id:
        said = _give_back(by, d.seat, on, reason)
        if said:
            done.append(said)
    years = _decided_review_years(m, d.announced_on)
    if years:
        done.append(f"xếp loại năm {', '.join(map(str, years))} đã quyết định khi còn kỷ luật: cần xem xét lại")
    return done


def _decided_review_years(m: Member, announced_on: dt.date | None) -> list[int]:
    """The member's decided reviews of the year the discipline took effect (their level was judged with it)."""
    from dangvu.evaluations.models import Review, State, Subject

    if announced_on is None:
        return []
    return sorted(set(Review.objects.filter(member=m, subject=Subject.MEMBER, state=State.DECIDED,
                                            year=announced_on.year).values_list("year", flat=True)))  # fmt: skip


def discipline_decide(*, by, discipline: Discipline, x: Decision) -> Discipline:
    """The deciding body's decision, numbered; in force from its announcement (then its effects)."""
    check_may(by, discipline.organisation)
    with transaction.atomic():
        lock(discipline)
        discipline.refresh_from_db()
        _check_state(discipline, (DisciplineState.OPEN, DisciplineState.DEFERRED), "quyết định kỷ luật")
        if discipline.state == DisciplineState.DEFERRED and x.decided_on and x.decided_on <= discipline.deferred_until:
            raise DomainError(ERR_DEFERRED.format(reason=discipline.get_deferral_display().lower(),
                                                  until=fmt(discipline.deferred_until)), field="decided_on")  # fmt: skip
        if discipline.subject_member_id:
            lock(discipline.subject_member)
            discipline.subject_member.refresh_from_db()
        errors = _check_decision(discipline, x)
        if x.form == Form.EXPULSION and discipline.subject_member and discipline.subject_member.status not in (
            Status.OFFICIAL, Status.EXEMPT, Status.TEMP_AWAY
        ):
            errors.setdefault("form", ERR_EXPEL_STATUS.format(
                name=discipline.subject_member.full_name,
                status=discipline.subject_member.get_status_display().lower()))  # fmt: skip
        _raise(errors)
        lim = limitation_of(discipline, x.decided_on, x.form)
        discipline.form, discipline.decided_on, discipline.announced_on = x.form, x.decided_on, x.announced_on
        discipline.votes_for, discipline.votes_base, discipline.hearing_on = x.votes_for, x.votes_base, x.hearing_on
        discipline.seat = x.seat if x.form == Form.REMOVAL else None
        discipline.outcome_note = clean(x.note)[:500]
        discipline.limitation_until, discipline.rules_from = lim.until, ir.version(x.decided_on)
        discipline.number = _number(discipline.organisation, DocType.DECISION, x.decided_on, clean(x.number),
                                    discipline.body)
        discipline.state = DisciplineState.DECIDED
        if x.announced_on:  # in force from its announcement: the effects then, or when it is announced later
            _effects(by, discipline, x.announced_on)
        discipline.save()
        audit.record(by=by, action="inspection.discipline_decide", obj=discipline, org_path=discipline.org_path,
                     after={"form": x.form, "number": discipline.number,
                            "announced_on": x.announced_on.isoformat() if x.announced_on else None,
                            "votes": f"{x.votes_for}/{x.votes_base}"})  # fmt: skip
        if discipline.subject_member_id and x.announced_on:
            transaction.on_commit(_rejudge_evaluations)
    return discipline


def discipline_announce(*, by, discipline: Discipline, on: dt.date | None) -> Discipline:
    """The decision announced: in force from `on` (QĐ 296 Art. 15.2), with its effects."""
    check_may(by, discipline.organisation)
    errors: dict = {}
    on = _date({"announced_on": on}, "announced_on", errors)
    _raise(errors)
    with transaction.atomic():
        lock(discipline)
        discipline.refresh_from_db()
        if discipline.state != DisciplineState.DECIDED or discipline.announced_on:
            raise Conflict(ERR_ANNOUNCED_TWICE if discipline.announced_on else
                           ERR_STATE.format(state=discipline.get_state_display().lower(), what="công bố"),
                           field="announced_on")  # fmt: skip
        _after(on, discipline.decided_on, "announced_on", "ngày quyết định", errors)
        _raise(errors)
        m = discipline.subject_member
        if m is not None:
            lock(m)
            m.refresh_from_db()
            if discipline.form == Form.EXPULSION and m.status not in (Status.OFFICIAL, Status.EXEMPT, Status.TEMP_AWAY):
                raise Conflict(ERR_EXPEL_STATUS.format(name=m.full_name, status=m.get_status_display().lower()),
                               field="announced_on")  # fmt: skip
        discipline.announced_on = on
        _effects(by, discipline, on)
        discipline.save()
        audit.record(by=by, action="inspection.discipline_announce", obj=discipline, org_path=discipline.org_path,
                     after={"announced_on": on.isoformat()})
        if m is not None:
            transaction.on_commit(_rejudge_evaluations)
    return discipline


def discipline_drop(*, by, discipline: Discipline, on: dt.date | None, note: str) -> Discipline:
    """The body decided not to discipline (or the limitation ran out): closed with its reason."""
    check_may(by, discipline.organisation)
    errors: dict = {}
    on = _date({"decided_on": on}, "decided_on", errors)
    if not clean(note):
        errors["note"] = ERR_REQUIRED
    _raise(errors)
    with transaction.atomic():
        lock(discipline)
        discipline.refresh_from_db()
        _check_state(discipline, (DisciplineState.OPEN, DisciplineState.DEFERRED), "không kỷ luật")
        discipline.state, discipline.decided_on = DisciplineState.NOT_DISCIPLINED, on
        discipline.outcome_note = clean(note)[:500]
        discipline.save(update_fields=["state", "decided_on", "outcome_note"])
        audit.record(by=by, action="inspection.discipline_drop", obj=discipline, org_path=discipline.org_path,
                     after={"note": discipline.outcome_note})  # fmt: skip
    return discipline


# --- appeals and restoration ---------------------------------------------------------------------------------


def appeal_file(*, by, discipline: Discipline, filed_on: dt.date | None, content: str,
                received_on: dt.date | None = None) -> Appeal:  # fmt: skip
    """An appeal, within the rules' days of the day the subject received the decision (`received_on`: by default
    its announcement; a decision of a higher body may reach the member later)."""
    check_may(by, discipline.organisation)
    errors: dict = {}
    filed_on = _date({"filed_on": filed_on}, "filed_on", errors)
    received_on = _date({"received_on": received_on}, "received_on", errors, required=False)
    if not clean(content):
        errors["content"] = ERR_REQUIRED
    _raise(errors)
    with transaction.atomic():
        lock(discipline)
        discipline.refresh_from_db()
        _check_state(discipline, IN_FORCE, "khiếu nại")
        if discipline.announced_on is None:
            raise Conflict(ERR_NOT_ANNOUNCED, field="filed_on")
        received_on = received_on or discipline.announced_on
        _after(received_on, discipline.announced_on, "received_on", "ngày công bố", errors)
        _after(filed_on, received_on, "filed_on", "ngày nhận quyết định", errors)
        _raise(errors)
        until = ir.appeal_due(received_on)
        if filed_on > until:
            raise DomainError(ERR_APPEAL_LATE.format(days=ir.params(received_on)["appeal_days"],
                                                     announced=fmt(received_on), until=fmt(until)),
                              field="filed_on")  # fmt: skip
        pending = discipline.appeals.filter(outcome="").first()
        if pending is not None:
            raise Conflict(ERR_APPEAL_OPEN.format(date=fmt(pending.filed_on)), field="filed_on")
        a = Appeal.objects.create(discipline=discipline, org_path=discipline.org_path, filed_on=filed_on,
                                  received_on=received_on,
                                  content=clean(content), answer_due=ir.answer_due(filed_on),
                                  rules_from=ir.version(filed_on), created_by=by if by.is_authenticated else None)  # fmt: skip
        audit.record(by=by, action="inspection.appeal_file", obj=discipline, org_path=discipline.org_path,
                     after={"appeal": a.pk, "filed_on": filed_on.isoformat(), "answer_due": a.answer_due.isoformat()})  # fmt: skip
    return a


@dataclass
class Answer:
    outcome: str
    decided_on: dt.date | None
    decided_by: str
    number: str = ""
    new_form: str = ""
    apology_on: dt.date | None = None
    note: str = ""
    seat: Seat | None = None  # the post removed, when the new form is removal


def appeal_answer(*, by, appeal: Appeal, x: Answer) -> Appeal:
    """Upheld, changed (a new form, with its effects) or annulled (QĐ 117: the apology, and what the discipline
    took restored; the evaluations of the period judged again)."""
    d = appeal.discipline
    check_may(by, d.organisation.parent or d.organisation)  # the appeal goes to a body above the one that decided
    errors: dict = {}
    _choice({"outcome": x.outcome}, "outcome", AppealOutcome.values, errors)
    decided_on = _date({"decided_on": x.decided_on}, "decided_on", errors)
    _after(decided_on, appeal.filed_on, "decided_on", "ngày nhận đơn", errors)
    if not clean(x.decided_by):
        errors["decided_by"] = ERR_REQUIRED
    if x.outcome == AppealOutcome.CHANGED:
        forms = MEMBER_FORMS if d.subject_member_id else ORG_FORMS
        if x.new_form not in [f.value for f in forms] or x.new_form == d.form:
            errors["new_form"] = ERR_NEW_FORM
    apology_on = _date({"apology_on": x.apology_on}, "apology_on", errors, required=False)
    _after(apology_on, decided_on, "apology_on", "ngày quyết định giải quyết", errors)
    _raise(errors)
    with transaction.atomic():
        lock(appeal, d)
        appeal.refresh_from_db()
        d.refresh_from_db()
        if appeal.outcome:
            raise Conflict(ERR_APPEAL_ANSWERED.format(outcome=appeal.get_outcome_display().lower()), field="outcome")
        if d.subject_member_id:
            lock(d.subject_member)
            d.subject_member.refresh_from_db()
        restored: list[str] = []
        appeal.old_form = d.form
        reason = f"Quyết định {clean(x.number) or ''} ngày {fmt(decided_on)} của {clean(x.decided_by)}".replace("  ", " ")
        if x.outcome == AppealOutcome.ANNULLED:
            restored = _undo_effects(by, d, decided_on, f"Hủy quyết định kỷ luật: {reason}")
            d.state = DisciplineState.ANNULLED
        elif x.outcome == AppealOutcome.CHANGED:
            restored = _undo_effects(by, d, decided_on, f"Thay đổi hình thức kỷ luật: {reason}")
            _raise(_check_new_form(d, x.new_form, x.seat, decided_on))  # all of it rolls back on a refusal
            d.form = x.new_form
            d.seat = x.seat if x.new_form == Form.REMOVAL else None
            _effects(by, d, decided_on, clean(x.number) and normalise_decision_number(clean(x.number)))
            appeal.new_form = x.new_form
        d.save()
        appeal.outcome, appeal.decided_on, appeal.decided_by = x.outcome, decided_on, clean(x.decided_by)[:255]
        appeal.number = normalise_decision_number(clean(x.number)) if clean(x.number) else ""
        appeal.apology_on, appeal.note = apology_on, clean(x.note)[:500]
        appeal.restored = "; ".join(restored)[:500]
        appeal.save()
        audit.record(by=by, action="inspection.appeal_answer", obj=d, org_path=d.org_path,
                     after={"appeal": appeal.pk, "outcome": x.outcome, "new_form": appeal.new_form,
                            "restored": appeal.restored})  # fmt: skip
        if x.outcome != AppealOutcome.UPHELD:
            transaction.on_commit(_rejudge_evaluations)
    return appeal


def _check_new_form(d: Discipline, form: str, seat: Seat | None, on: dt.date) -> dict:
    """What a form given on appeal must meet for its subject, as a first decision would (the deciding body is the
    one answering the appeal, above the first)."""
    errors: dict = {}
    m = d.subject_member
    if m is None:
        return errors
    m.refresh_from_db()
    if m.status == Status.PROBATIONARY and form not in ir.params(on)["probationary_forms"]:
        errors["new_form"] = ir.ERR_FORM_PROBATIONARY
    elif form == Form.REMOVAL:
        held = Seat.objects.filter(member=m, valid_to__isnull=True)
        if seat is None or not held.filter(pk=seat.pk).exists():
            errors["seat"] = ERR_SEAT if held.exists() else ERR_NO_SEAT.format(name=m.full_name)
    elif form == Form.EXPULSION and m.status not in (Status.OFFICIAL, Status.EXEMPT, Status.TEMP_AWAY):
        errors["new_form"] = ERR_EXPEL_STATUS.format(name=m.full_name, status=m.get_status_display().lower())
    return errors


def _rejudge_evaluations() -> None:
    """The stored facts of the reviews (members disciplined in the period) judged again by the job worker."""
    from dangvu.jobs.apps import enqueue_recompute

    enqueue_recompute(["evaluations"])


# --- notices from outside, denunciations and complaints -----------------------------------------------------


def notice_add(*, by, member: Member, data: dict) -> Notice:
    """A state body, the Front, a mass organisation or a court disciplined or suspended a member: when it was
    decided, when the Party organisation was told (late past the rules' days)."""
    org = member.org
    if org is None:
        raise DomainError(ERR_NO_ORG.format(name=member.full_name), field="member_id")
    check_may(by, org)
    errors: dict = {}
    source = _choice(data, "source", Source.values, errors)
    source_name = _text(data, "source_name", errors)
    measure = _text(data, "measure", errors)
    decided_on = _date(data, "decided_on", errors)
    received_on = _date(data, "received_on", errors)
    if decided_on and received_on and received_on < decided_on:
        errors["received_on"] = ERR_NOTICE_DATES
    reference = _text(data, "reference", errors, required=False)
    _raise(errors)
    due = ir.notice_due(decided_on)
    with transaction.atomic():
        n = Notice.objects.create(member=member, org_path=member.org_path, source=source, source_name=source_name,
                                  measure=measure, decided_on=decided_on, received_on=received_on, due_on=due,
                                  late=received_on > due, rules_from=ir.version(decided_on), reference=reference,
                                  created_by=by if by.is_authenticated else None)  # fmt: skip
        audit.record(by=by, action="inspection.notice_add", obj=member, org_path=member.org_path,
                     after={"notice": n.pk, "source": source_name, "late": n.late})  # fmt: skip
    return n


def complaint_add(*, by, org: Organisation, data: dict) -> Complaint:
    check_may(by, org)
    errors: dict = {}
    kind = _choice(data, "kind", ComplaintKind.values, errors)
    received_on = _date(data, "received_on", errors)
    content = _text(data, "content", errors)
    filer = _text(data, "filer", errors, required=False)
    filer_contact = _text(data, "filer_contact", errors, required=False)
    so, sm, _path = (None, None, "")
    if data.get("subject_org") or data.get("subject_member"):
        so, sm, _path = _subject(org, data, errors)
    _raise(errors)
    with transaction.atomic():
        lock(org)
        if Complaint.objects.filter(organisation=org, kind=kind, received_on=received_on, content=content).exists():
            raise Conflict(ERR_TWICE.format(what="đơn"), field="content")
        c = Complaint.objects.create(organisation=org, org_path=org.path, kind=kind, received_on=received_on,
                                     filer=filer, filer_contact=filer_contact, subject_member=sm, subject_org=so,
                                     content=content, due_on=ir.complaint_due(kind, received_on),
                                     rules_from=ir.version(received_on),
                                     created_by=by if by.is_authenticated else None)  # fmt: skip
        if by.is_authenticated:
            c.handlers.add(by)
        audit.record(by=by, action="inspection.complaint_add", obj=c, org_path=org.path,
                     after={"kind": kind, "subject": c.subject_label, "due_on": c.due_on.isoformat()})  # fmt: skip
    return c


def complaint_handler_add(*, by, complaint: Complaint, username: str):
    """Another user handling it (sees who filed it): one with a confidential role on the receiving body."""
    from django.contrib.auth import get_user_model

    org = complaint.organisation
    check_may(by, org)
    if not by.is_superuser and not complaint.handlers.filter(pk=by.pk).exists():
        raise Forbidden(ERR_NOT_HANDLER)
    u = get_user_model().objects.filter(username=clean(username), is_active=True).first()
    if u is None or not covers(u, org.path, CONFIDENTIAL):
        raise DomainError(ERR_HANDLER.format(username=clean(username), org=org.name), field="username")
    with transaction.atomic():
        complaint.handlers.add(u)
        audit.record(by=by, action="inspection.complaint_handler", obj=complaint, org_path=complaint.org_path,
                     after={"handler": u.username})  # fmt: skip
    return u


def complaint_close(*, by, complaint: Complaint, on: dt.date | None, outcome: str) -> Complaint:
    check_may(by, complaint.organisation)
    errors: dict = {}
    on = _date({"closed_on": on}, "closed_on", errors)
    _after(on, complaint.received_on, "closed_on", "ngày nhận", errors)
    if not clean(outcome):
        errors["outcome"] = ERR_REQUIRED
    _raise(errors)
    with transaction.atomic():
        lock(complaint)
        complaint.refresh_from_db()
        if complaint.closed_on:
            raise Conflict(ERR_CLOSED.format(date=fmt(complaint.closed_on)), field="closed_on")
        complaint.closed_on, complaint.outcome = on, clean(outcome)
        complaint.save(update_fields=["closed_on", "outcome"])
        audit.record(by=by, action="inspection.complaint_close", obj=complaint, org_path=complaint.org_path,
                     after={"closed_on": on.isoformat()})  # fmt: skip
    return complaint

