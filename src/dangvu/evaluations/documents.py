"""The review forms as .docx in the Party's layout (HD 36-HD/VPTW, as the meeting documents): Mẫu 01 for a
collective, 2A/2B/2C for a member (HD 43-HD/BTCTW; the form code printed top right is the one of the rules in
force for the period: "Mẫu 2A-HD KĐ.ĐG 2025", under HD 25 "Mẫu 02A-HD KĐ.ĐG 2023", …). Built with python-docx
from the review's own data: what the member and the cell wrote, the scores, the vote, the decision; for form 01
also the registered goals, the meeting record, the dossiers and the members' results."""

from __future__ import annotations

import io
import re

from django.db.models import Q
from django.http import HttpResponse

from dangvu.core import audit
from dangvu.core.dates import fmt, party_date, today
from dangvu.core.docx_layout import header, new_document, para, signature_block
from dangvu.members.models import Seat
from dangvu.organizations.selectors import place_name as locality

from . import rules as lv
from .models import SHORT, Form, Level, Review, Subject

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLES = {
    Form.COLLECTIVE: "BÁO CÁO KIỂM ĐIỂM TẬP THỂ",
    Form.NO_POST: "BẢN KIỂM ĐIỂM CÁ NHÂN",
    Form.POST: "BẢN KIỂM ĐIỂM CÁ NHÂN",
    Form.OUTSIDE: "BẢN KIỂM ĐIỂM ĐẢNG VIÊN",
}


def _level_text(level: str, score) -> str:
    if not level:
        return "……………………"
    text = f"{Level(level).label} ({SHORT[level]})"
    return f"{text}, {score:.1f} điểm".replace(".", ",") if score is not None else text


def _lines(container, text: str, empty: str = "……………………………………………………………………") -> None:
    lines = [x.strip() for x in (text or "").splitlines() if x.strip()]
    for line in lines or [empty]:
        para(container, f"- {line}" if lines else line, align="justify", indent=True)


def _head(doc, r: Review, form_code: str) -> None:
    org = r.organisation
    on = r.submitted_on or today()
    header(doc, superior=org.parent.name.upper() if org.parent_id else "", issuer=org.name.upper(), number="",
           place_date=party_date(locality(org), on), form_code=form_code, type_name=TITLES[Form(r.form)],
           subject=f"{'Kỳ ' + r.period_label if r.period != 'Y' else 'Năm ' + str(r.year)}")  # fmt: skip


def _secretary(org, on) -> str:
    s = (Seat.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), organisation=org, role="secretary",
                             valid_from__lte=on).select_related("member").first())  # fmt: skip
    return s.member.full_name if s else ""


def _member_part(doc, r: Review) -> None:
    m = r.member
    start, end = lv.period_bounds(r.year, r.period)
    seats = Seat.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start), member=m, valid_from__lte=end
    )
    posts = ", ".join(
        f"{s.get_role_display()} {s.organisation.name}" for s in seats.select_related("organisation")
    )
    para(doc, f"Họ và tên: {m.full_name}          Ngày sinh: {fmt(m.birth_date)}")
    if r.form == Form.POST:
        para(doc, f"Chức vụ Đảng: {posts or '……………………'}")
        para(doc, f"Chức vụ chính quyền, đoàn thể: {m.position or '……………………'}")
    elif r.form == Form.NO_POST:
        para(doc, f"Chức vụ, đơn vị công tác: {m.position or m.occupation or '……………………'}")
    else:
        para(doc, f"Nghề nghiệp, nơi cư trú: {m.occupation or '……'}; {m.residence or '……'}")
    para(doc, f"Sinh hoạt tại: {r.organisation.name}")
    commitment = m.commitments.filter(year=r.year).first()
    para(doc, "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", bold=True)
    para(doc, "1. Về tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; tác phong, lề lối "
       "làm việc; kết quả thực hiện chức trách, nhiệm vụ được giao", italic=True, align="justify")  # fmt: skip
    _lines(doc, r.strengths)
    para(doc, "2. Kết quả thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu đầu năm", italic=True)
    if commitment:
        para(doc, f"Mức phấn đấu đã đăng ký: {_level_text(commitment.target_level, None)}.", indent=True)
        _lines(doc, commitment.content)
    else:
        para(doc, "Không có bản cam kết trong hệ thống.", indent=True)
    if r.tasks_total is not None:
        para(doc, f"Số nhiệm vụ được giao: {r.tasks_total}; số nhiệm vụ vượt yêu cầu: {r.tasks_exceeded or 0}.",
           indent=True)  # fmt: skip


def _collective_part(doc, r: Review, facts: dict) -> None:
    para(doc, "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", bold=True)
    para(doc, "1. Thực hiện các chỉ tiêu, nhiệm vụ đã đăng ký", italic=True)
    if facts.get("goals"):
        para(
            doc, f"Mức phấn đấu đã đăng ký: {_level_text(facts.get('target_level', ''), None)}.", indent=True
        )
        _lines(doc, "\n".join(facts["goals"]))
    else:
        para(doc, "Chưa đăng ký chỉ tiêu, nhiệm vụ đầu năm.", indent=True)
    para(doc, "2. Sinh hoạt chi bộ, hồ sơ, sổ sách", italic=True)
    crit = facts.get("meeting_criteria_pct")
    para(doc, f"Số buổi sinh hoạt thường kỳ đã tổ chức: {facts.get('meetings_held', 0)}/"
       f"{facts.get('meetings_expected', 0)}; tỷ lệ tiêu chí chất lượng đạt: "
       f"{'—' if crit is None else str(crit).replace('.', ',') + '%'}.", indent=True)  # fmt: skip
    para(doc, f"Hồ sơ, sổ sách theo danh mục: {facts.get('dossiers_present', 0)}/{facts.get('dossiers_required', 0)}"
       " loại đã đủ.", indent=True)  # fmt: skip
    para(doc, "3. Kết quả xếp loại đảng viên", italic=True)
    levels = facts.get("member_levels", {})
    total = facts.get("members_reviewed", 0)
    for key, label in Level.choices:
        n = levels.get(key, 0)
        pct = f"{100 * n / total:.1f}".replace(".", ",") if total else "0"
        para(doc, f"- {label}: {n} đảng viên ({pct}%).", indent=True)
    para(
        doc, f"Số đảng viên bị thi hành kỷ luật trong kỳ: {facts.get('members_disciplined', 0)}.", indent=True
    )
    para(doc, "4. Ưu điểm khác", italic=True)
    _lines(doc, r.strengths)


def build(r: Review) -> bytes:
    since, p = lv.in_force(r.year, r.period)
    doc = new_document(r.submitted_on or today())
    _head(doc, r, p["form_codes"].get(r.form, f"Mẫu {r.form}"))
    if r.subject == Subject.MEMBER:
        _member_part(doc, r)
    else:
        from .selectors import org_facts

        _collective_part(doc, r, r.facts or org_facts(r.organisation, r.year, r.period))
    para(doc, "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", bold=True)
    _lines(doc, r.shortcomings)
    para(doc, "III. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC", bold=True)
    _lines(doc, r.remedies)
    para(doc, "IV. TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", bold=True)
    if p["scored"]:
        para(doc, f"Tự chấm điểm: {'……' if r.self_score is None else f'{r.self_score:.1f}'.replace('.', ',')}/100 "
           "điểm.", indent=True)  # fmt: skip
    para(doc, f"Tự nhận mức xếp loại: {_level_text(r.self_level, None)}.", indent=True)
    if r.subject == Subject.MEMBER:
        signature_block(doc, "", "", ["NGƯỜI TỰ KIỂM ĐIỂM"], r.member.full_name)
    else:
        cell = r.organisation.type.kind == "cell"
        signature_block(doc, "", "", [f"T/M {'CHI BỘ' if cell else 'BAN THƯỜNG VỤ'}", "BÍ THƯ"],
                        _secretary(r.organisation, r.submitted_on or today()))  # fmt: skip
    para(doc, "")
    who = "CHI BỘ" if r.subject == Subject.MEMBER else "TẬP THỂ"
    para(doc, f"NHẬN XÉT, ĐÁNH GIÁ CỦA {who}", bold=True, align="center")
    _lines(doc, r.cell_comment)
    if r.cell_level:
        votes = f" ({r.votes_for}/{r.votes_base} đảng viên tán thành)" if r.votes_base else ""
        para(doc, f"Đề xuất xếp loại: {_level_text(r.cell_level, r.cell_score)}{votes}; ngày {fmt(r.reviewed_on)}.",
           indent=True)  # fmt: skip
    para(doc, "KẾT QUẢ XẾP LOẠI CỦA CẤP CÓ THẨM QUYỀN", bold=True, align="center")
    if r.level:
        para(doc, f"Xếp loại: {_level_text(r.level, r.score)}; theo Quyết định số {r.decision_number} ngày "
           f"{fmt(r.decided_on)}.", indent=True)  # fmt: skip
    else:
        para(doc, "Chưa quyết định.", indent=True)
    para(doc, f"(Đánh giá theo quy định áp dụng từ ngày {fmt(since)}.)", size=12, italic=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(r: Review) -> str:
    who = (r.member.card_number or f"dv{r.member_id}") if r.member_id else r.organisation.code
    slug = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{who}")
    return f"mau-{r.form}-{slug}-{r.year}{'' if r.period == 'Y' else '-' + r.period}.docx"


def download(by, r: Review) -> HttpResponse:
    data = build(r)
    audit.record(by=by, action="evaluations.form", obj=r, org_path=r.org_path, after={"form": r.form})
    resp = HttpResponse(data, content_type=DOCX)
    resp["Content-Disposition"] = f'attachment; filename="{filename(r)}"'
    return resp
