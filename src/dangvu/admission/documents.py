"""The cell's resolutions of an admission as .docx in the Party's layout (HD 36-HD/VPTW, as the other documents):
Mẫu 6-KNĐ, proposing admission, and Mẫu 14-KNĐ, proposing recognition as an official member. Built with
python-docx from the case's own records: the person, the meeting's vote (present, for, the base), the number the
resolution took. Printed, signed and uploaded back as the paper of the case (services.file_add)."""

from __future__ import annotations

import io

from django.http import HttpResponse

from dangvu.core import audit
from dangvu.core.dates import fmt, party_date
from dangvu.core.docx_layout import header, new_document, para, signature_block
from dangvu.meetings import quality
from dangvu.meetings.selectors import lines_of
from dangvu.organizations.selectors import place_name as locality

from .models import Case, StepKind

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMS = {
    "6-KNĐ": (StepKind.CELL_RESOLUTION, "NGHỊ QUYẾT", "Đề nghị kết nạp đảng viên",
              "Chi bộ đề nghị {superior} xem xét, kết nạp quần chúng {name} vào Đảng Cộng sản Việt Nam."),
    "14-KNĐ": (StepKind.RECOGNITION_RESOLUTION, "NGHỊ QUYẾT", "Đề nghị công nhận đảng viên chính thức",
               "Chi bộ đề nghị {superior} xem xét, công nhận đồng chí {name} là đảng viên chính thức."),
}  # fmt: skip
ERR_NOT_YET = "Hồ sơ chưa có bước «{step}»: chưa lập được mẫu {code}."


def build(case: Case, code: str) -> bytes:
    kind, type_name, subject, proposal = FORMS[code]
    step = case.steps.select_related("vote__meeting").get(kind=kind)
    org = case.organisation if kind == StepKind.CELL_RESOLUTION else (case.member.org or case.organisation)
    superior = org.parent.name if org.parent_id else "cấp ủy có thẩm quyền"
    doc = new_document(step.done_on)
    para(doc, f"Mẫu {code}", size=12, italic=True, align="right")
    header(doc, superior=superior.upper(), issuer=org.name.upper(), number=f"Số {step.number}" if step.number else "",
           place_date=party_date(locality(org), step.done_on), type_name=type_name, subject=subject)  # fmt: skip
    m = step.vote.meeting if step.vote_id else None
    f = quality.figures(lines_of(m)) if m else None
    para(doc, f"Ngày {fmt(step.done_on)}, {org.name} họp xét "
              f"{'đề nghị kết nạp quần chúng' if kind == StepKind.CELL_RESOLUTION else 'đề nghị công nhận đảng viên chính thức cho đồng chí'} "
              f"{case.full_name}, sinh ngày {fmt(case.birth_date)}, dân tộc {case.ethnicity}, "
              f"quê quán {case.home_town or '……'}, nơi ở hiện nay {case.residence or '……'}.", align="justify", indent=True)  # fmt: skip
    if f is not None:
        para(doc, f"Tổng số đảng viên của chi bộ: {f.expected}; có mặt {f.present}; vắng {f.excused + f.absent}. "
                  f"Số đảng viên chính thức có quyền biểu quyết: {step.vote.base}.", align="justify", indent=True)  # fmt: skip
        para(doc, f"Số đảng viên chính thức tán thành: {step.vote.votes_for}/{step.vote.base} "
                  f"(đạt {round(100 * step.vote.votes_for / step.vote.base)}%); không tán thành: "
                  f"{step.vote.votes_against}; cần ít nhất {step.vote.required} (hai phần ba).", align="justify",
             indent=True)  # fmt: skip
    if kind == StepKind.CELL_RESOLUTION:
        names = ", ".join(i.member.full_name for i in case.introducers.select_related("member"))
        para(doc, f"Người giới thiệu: {names or '……'}.", align="justify", indent=True)
    para(doc, "QUYẾT NGHỊ", bold=True, align="center")
    para(doc, proposal.format(superior=superior, name=case.full_name), align="justify", indent=True)
    signature_block(doc, "", "", ["T/M CHI BỘ", "BÍ THƯ"], step.signer or "", receivers=[f"- {superior},", "- Lưu chi bộ."])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def download(by, case: Case, code: str) -> HttpResponse:
    data = build(case, code)
    audit.record(by=by, action="admission.form", obj=case, org_path=case.org_path, after={"form": code})
    r = HttpResponse(data, content_type=DOCX)
    r["Content-Disposition"] = f'attachment; filename="mau-{code.replace("Đ", "D")}-ho-so-{case.pk}.docx"'
    return r
