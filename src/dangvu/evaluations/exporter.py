"""The results as superior committees ask for them: counts and percentages per level, per branch, for members
and organisations; then every decided review of the subtree, one row each."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font

from dangvu.core import xlsx

from .models import SHORT, Level, Subject
from .selectors import results
from .services import period_text

LEVELS = list(Level.values)


def _bold_row(ws) -> None:
    ws.style_last_row(font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="center"))


def _counts_row(c: dict) -> list:
    out = [c["expected"], c["decided"]]
    for lvl in LEVELS:
        out += [c["levels"][lvl], c["percent"][lvl]]
    return out


def results_xlsx(user, org, year: int, period: str, total: dict, branches: list) -> xlsx.Book:
    wb = xlsx.workbook()
    ws = wb.sheet("Tổng hợp")
    ws.append([f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {period_text(year, period).upper()}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([org.name])
    ws.append([])
    header = ["STT", "Đơn vị", "Đối tượng", "Phải đánh giá", "Đã xếp loại"]
    for lvl in LEVELS:
        header += [f"{SHORT[lvl]} (số)", f"{SHORT[lvl]} (%)"]
    ws.append(header)
    _bold_row(ws)
    rows = [*(((b["org"].name if b["org"] else b["branch"]) + (" (chính đơn vị)" if b["is_self"] else ""), b)
              for b in branches), ("Tổng cộng", total)]  # fmt: skip
    for i, (name, b) in enumerate(rows, start=1):
        for kind, label in (("members", "Đảng viên"), ("orgs", "Tổ chức đảng")):
            ws.append([i if kind == "members" and name != "Tổng cộng" else None, name, label,
                       *_counts_row(b[kind])])  # fmt: skip
        if name == "Tổng cộng":
            for r in (ws.max_row - 1, ws.max_row):
                for c in ws[r]:
                    c.font = Font(bold=True)
    ws.widths((5, 40, 14, 12, 12))
    for kind, title in ((Subject.MEMBER, "Đảng viên"), (Subject.ORGANISATION, "Tổ chức")):
        sheet = wb.sheet(title)
        sheet.append(["STT", "Họ và tên" if kind == Subject.MEMBER else "Tổ chức", "Sinh hoạt tại / trực thuộc",
                      "Mẫu", "Điểm", "Mức xếp loại", "Số quyết định", "Ngày quyết định"])  # fmt: skip
        _bold_row(sheet)
        qs = results(user, org, year, period).filter(subject=kind).select_related("organisation__parent")
        for i, r in enumerate(qs.iterator(chunk_size=2000), start=1):
            where = (
                r.organisation.name
                if kind == Subject.MEMBER
                else (r.organisation.parent.name if r.organisation.parent_id else "")
            )
            sheet.append([i, r.subject_name, where, r.form, float(r.score) if r.score is not None else None,
                          r.get_level_display(), r.decision_number, r.decided_on])  # fmt: skip
        sheet.widths((6, 30, 36, 6, 7, 30, 16, 14))
    return wb
