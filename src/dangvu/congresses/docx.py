"""The vote-count minutes (biên bản kiểm phiếu) of one ballot, built with python-docx in the Party layout
(core.docx_layout). Every value is written as text into the document: nothing a user typed is rendered as a
template."""

from __future__ import annotations

import io

from docx.shared import Pt

from dangvu.core.docx_layout import header, new_document, para, signature_block
from dangvu.organizations.selectors import place_name

from .models import Election


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%".replace(".", ",") if whole else "—"


def vote_count_minutes(election: Election) -> bytes:
    congress = election.congress
    org = congress.organisation
    on = election.held_on
    doc = new_document(on)
    number = f"Số {election.minutes.symbol}" if election.minutes_id else ""
    header(doc, superior=org.name.upper(), issuer=f"ĐẠI HỘI LẦN THỨ {congress.number}", number=number,
           place_date=f"{place_name(org)}, ngày {on.day:02d} tháng {on.month:02d} năm {on.year}",
           type_name="BIÊN BẢN KIỂM PHIẾU",
           subject=f"Bầu {election.get_position_display().lower()} {org.name}, nhiệm kỳ {congress.term_name} "
                   f"(lần bầu thứ {election.round})")  # fmt: skip
    para(doc, f"Số lượng cần bầu: {election.seats}. Số ứng cử viên: {election.candidates.count()}.", indent=True)
    para(doc, f"Số phiếu phát ra: {election.ballots_issued}; số phiếu thu về hợp lệ: {election.ballots_valid}; "
              f"số phiếu không hợp lệ: {election.ballots_invalid}.", indent=True, align="justify")  # fmt: skip
    para(doc, f"Người trúng cử phải được quá một nửa số phiếu hợp lệ: ít nhất {election.need} phiếu.", indent=True)
    para(doc, "KẾT QUẢ BẦU CỬ (theo số phiếu từ cao xuống):", bold=True)
    candidates = sorted(election.candidates.select_related("member"), key=lambda c: (-(c.votes or 0), c.member.sort_key))
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("TT", "Họ và tên", "Số phiếu", "Tỷ lệ / phiếu hợp lệ"), strict=True):
        para(cell, text, bold=True, align="center")
    for i, c in enumerate(candidates, start=1):
        row = t.add_row().cells
        for cell, text in zip(row, (str(i), c.member.full_name, str(c.votes), _pct(c.votes or 0,
                                                                                     election.ballots_valid or 0)),
                              strict=True):  # fmt: skip
            para(cell, text, align="center" if cell is not row[1] else None)
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(12)
    para(doc, "")
    elected = [c.member.full_name for c in candidates if c.elected]
    para(doc, "Các đồng chí trúng cử: " + (", ".join(elected) if elected else "không có") + ".", bold=True,
         indent=True)  # fmt: skip
    if election.note:
        para(doc, election.note, italic=True, indent=True)
    para(doc, "Biên bản lập xong và được công bố trước đại hội.", indent=True)
    signature_block(doc, "", "", ["T/M BAN KIỂM PHIẾU", "TRƯỞNG BAN"], "")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
