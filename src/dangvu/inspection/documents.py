"""The numbered documents of inspection and discipline as .docx in the Party's layout (the same header, margins and
signature block as the other documents, core.docx_layout): the decision opening an inspection or a supervision,
its conclusion, the notice of the conclusion sent to the subject, and the discipline decision. Built from the
records only; every download is audited."""

from __future__ import annotations

import io

from django.http import HttpResponse

from dangvu.core import audit
from dangvu.core.dates import fmt, party_date
from dangvu.core.docx_layout import header, new_document, para, signature_block
from dangvu.core.errors import Conflict
from dangvu.organizations.selectors import place_name

from . import rules as ir
from .models import Body, Discipline, DisciplineState, Form, Inspection

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INSPECTION_DOCS = ("decision", "conclusion", "notice")
ERR_NOT_CONCLUDED = "Chưa có kết luận: chưa lập được văn bản này."
ERR_NOT_DECIDED = "Vụ việc chưa có quyết định kỷ luật."


def _issuer(org, body: str) -> str:
    if body == Body.COMMISSION:
        return "ỦY BAN KIỂM TRA"
    if body == Body.STANDING:
        return f"BAN THƯỜNG VỤ {org.name.upper()}"
    return org.name.upper()


def _superior(org, body: str = "") -> str:
    """The line above the issuer: the committee itself for its inspection commission, else the level above."""
    if body == Body.COMMISSION:
        return org.name.upper()
    return (org.parent.name if org.parent_id else "").upper()


def _signer(body: str) -> list[str]:
    return {Body.CELL: ["T/M CHI BỘ", "BÍ THƯ"], Body.COMMISSION: ["T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM"],
            Body.STANDING: ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]}.get(body, ["T/M ĐẢNG ỦY", "BÍ THƯ"])  # fmt: skip


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def inspection_doc(i: Inspection, kind: str) -> bytes:
    org, activity = i.organisation, i.get_activity_display().lower()
    if kind != "decision" and not i.concluded_on:
        raise Conflict(ERR_NOT_CONCLUDED)
    on = i.decided_on if kind == "decision" else (i.sent_on or i.concluded_on)
    number = {"decision": i.decision_number, "conclusion": i.conclusion_number,
              "notice": i.notice_number or i.conclusion_number}[kind]  # fmt: skip
    type_name = {"decision": "QUYẾT ĐỊNH", "conclusion": "KẾT LUẬN", "notice": "THÔNG BÁO"}[kind]
    subject = {"decision": f"về việc {activity} {i.subject_label}",
               "conclusion": f"{activity} đối với {i.subject_label}",
               "notice": f"kết luận {activity} đối với {i.subject_label}"}[kind]  # fmt: skip
    doc = new_document(on)
    header(doc, superior=_superior(org, i.body), issuer=_issuer(org, i.body), number=f"Số {number}",
           place_date=party_date(place_name(org), on), type_name=type_name, subject=subject[:1].upper() + subject[1:])  # fmt: skip
    if kind == "decision":
        para(doc, "Căn cứ Điều lệ Đảng và Quy định số 296-QĐ/TW ngày 30/5/2025 của Ban Chấp hành Trung ương về "
                  "công tác kiểm tra, giám sát và kỷ luật của Đảng;", align="justify", indent=True)  # fmt: skip
        para(doc, "QUYẾT ĐỊNH", bold=True, align="center")
        para(doc, f"Điều 1. {i.get_activity_display()} ({i.get_method_display().lower()}) đối với {i.subject_label}.",
             align="justify", indent=True)  # fmt: skip
        para(doc, f"Nội dung: {i.content}", align="justify", indent=True)
        para(doc, f"Thời gian: từ ngày {fmt(i.decided_on)} đến ngày {fmt(i.ends_on)}.", align="justify", indent=True)
        para(doc, f"Điều 2. Thành lập đoàn (tổ) {activity}: {i.team}", align="justify", indent=True)
        para(doc, f"Điều 3. Đoàn (tổ) {activity}, {i.subject_label} và các tổ chức, cá nhân có liên quan thi hành "
                  f"quyết định này.", align="justify", indent=True)  # fmt: skip
        receivers = [f"- {i.subject_label},", "- Như Điều 3,", "- Lưu."]
    else:
        if kind == "notice":
            para(doc, f"Ngày {fmt(i.concluded_on)}, {i.get_body_display().lower()} {org.name} đã kết luận cuộc {activity} "
                      f"theo Quyết định số {i.decision_number} ngày {fmt(i.decided_on)}. Thông báo đến "
                      f"{i.subject_label} như sau:", align="justify", indent=True)  # fmt: skip
        else:
            para(doc, f"Thực hiện Quyết định số {i.decision_number} ngày {fmt(i.decided_on)}, đoàn (tổ) đã tiến hành "
                      f"{activity} đối với {i.subject_label} về: {i.content}", align="justify", indent=True)  # fmt: skip
            if i.result_report:
                para(doc, f"Xét báo cáo kết quả ngày {fmt(i.result_on)}, kết luận như sau:", align="justify",
                     indent=True)  # fmt: skip
        para(doc, "1. Ưu điểm, khuyết điểm, vi phạm", bold=True)
        para(doc, i.findings, align="justify", indent=True)
        para(doc, "2. Kiến nghị", bold=True)
        recs = list(i.recommendations.all())
        for n, r in enumerate(recs, start=1):
            para(doc, f"{n}. {r.text} (hạn {fmt(r.due_on)}).", align="justify", indent=True)
        if not recs:
            para(doc, "Không có.", indent=True)
        receivers = [f"- {i.subject_label},", "- Lưu."]
    signature_block(doc, "", "", _signer(i.body), "", receivers=receivers)
    return _save(doc)


def discipline_doc(d: Discipline) -> bytes:
    if d.state not in (DisciplineState.DECIDED, DisciplineState.ANNULLED) or not d.decided_on:
        raise Conflict(ERR_NOT_DECIDED)
    org = d.organisation
    doc = new_document(d.decided_on)
    header(doc, superior=_superior(org, d.body), issuer=_issuer(org, d.body), number=f"Số {d.number}",
           place_date=party_date(place_name(org), d.decided_on), type_name="QUYẾT ĐỊNH",
           subject=f"Thi hành kỷ luật {'đảng viên' if d.subject_member_id else 'tổ chức đảng'}")  # fmt: skip
    para(doc, "Căn cứ Điều lệ Đảng và Quy định số 296-QĐ/TW ngày 30/5/2025 của Ban Chấp hành Trung ương về công tác "
              "kiểm tra, giám sát và kỷ luật của Đảng;", align="justify", indent=True)  # fmt: skip
    if d.votes_for is not None:
        para(doc, f"Xét nội dung vi phạm và kết quả biểu quyết: {d.votes_for}/{d.votes_base} thành viên tán thành,",
             align="justify", indent=True)  # fmt: skip
    changed = d.appeals.filter(outcome="changed").order_by("decided_on", "pk")
    first = changed.first()
    form = Form(first.old_form).label if first else d.get_form_display()  # the decision as it was issued
    para(doc, "QUYẾT ĐỊNH", bold=True, align="center")
    who = (f"đồng chí {d.subject_member.full_name}, sinh ngày {fmt(d.subject_member.birth_date)}"
           if d.subject_member_id else d.subject_org.name)  # fmt: skip
    para(doc, f"Điều 1. Thi hành kỷ luật bằng hình thức {form.upper()} đối với {who}.",
         align="justify", indent=True)  # fmt: skip
    para(doc, f"Nội dung vi phạm: {d.conduct} (từ ngày {fmt(d.conduct_from)}"
              f"{f' đến ngày {fmt(d.conduct_to)}' if d.conduct_to else ''}).", align="justify", indent=True)  # fmt: skip
    days = ir.params(d.announced_on or d.decided_on)["appeal_days"]
    para(doc, "Điều 2. Quyết định có hiệu lực kể từ ngày công bố"
              f"{f' ({fmt(d.announced_on)})' if d.announced_on else ''}. Trong thời hạn {days} ngày kể từ ngày nhận "
              "quyết định, nếu không đồng ý, có quyền khiếu nại lên cấp trên.", align="justify", indent=True)  # fmt: skip
    signature_block(doc, "", "", _signer(d.body), "", receivers=[f"- {d.subject_label},", "- Lưu."])
    for a in list(changed) + list(d.appeals.filter(outcome="annulled")):  # what became of it, as a note below
        what = (f"thay đổi thành {a.get_new_form_display().lower()}" if a.outcome == "changed"
                else "hủy quyết định")  # fmt: skip
        para(doc, f"Ghi chú: giải quyết khiếu nại — {what} theo quyết định {a.number or ''} ngày {fmt(a.decided_on)} "
                  f"của {a.decided_by}.", size=11, italic=True)  # fmt: skip
    return _save(doc)


def _response(data: bytes, name: str) -> HttpResponse:
    r = HttpResponse(data, content_type=DOCX)
    r["Content-Disposition"] = f'attachment; filename="{name}"'
    return r


def inspection_download(by, i: Inspection, kind: str) -> HttpResponse:
    data = inspection_doc(i, kind)
    audit.record(by=by, action="inspection.document", obj=i, org_path=i.org_path, after={"document": kind})
    return _response(data, f"{kind}-{i.pk}.docx")


def discipline_download(by, d: Discipline) -> HttpResponse:
    data = discipline_doc(d)
    audit.record(by=by, action="inspection.document", obj=d, org_path=d.org_path, after={"document": "discipline"})
    return _response(data, f"quyet-dinh-ky-luat-{d.pk}.docx")
