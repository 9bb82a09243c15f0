"""The superior committee's monthly or quarterly table of its cells' meetings, as Excel."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font

from dangvu.core import xlsx


def dashboard_xlsx(org, period, totals: dict, cells: list, by_cell: dict) -> xlsx.Book:
    wb = xlsx.workbook()
    ws = wb.sheet("Sinh hoạt chi bộ")
    ws.append([f"TÌNH HÌNH SINH HOẠT CHI BỘ – {period.label.upper()}"])
    ws.append([org.name])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([
        f"{totals['cells']} chi bộ; {totals['cells_met']} đã sinh hoạt thường kỳ; {totals['cells_not_met']} chưa; "
        f"{totals['cells_without_thematic']} chưa sinh hoạt chuyên đề trong quý; "
        f"tỷ lệ dự họp {totals['attendance_rate'] if totals['attendance_rate'] is not None else '—'}%"
    ])  # fmt: skip
    ws.append([])
    header = [
        "STT", "Mã", "Chi bộ", "Trực thuộc", "Sinh hoạt thường kỳ", "Chuyên đề trong quý", "Báo cáo tháng",
        "Số buổi", "Có mặt", "Phải dự", "Tỷ lệ (%)", "Thời lượng (phút)", "Tiêu chí đạt",
    ]  # fmt: skip
    ws.append(header)
    ws.style_last_row(font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="center"))
    yes = {True: "Có", False: "Chưa"}
    for i, c in enumerate(cells, start=1):
        ms = by_cell.get(c.pk, [])
        present = sum(m.present for m in ms)
        expected = sum(m.expected for m in ms)
        ws.append([
            i, c.code, c.name, c.parent.name if c.parent else "", yes[c.met], yes[c.has_thematic], yes[c.has_report],
            len(ms), present, expected, round(100 * present / expected, 1) if expected else None,
            ", ".join(str(m.duration_minutes or "—") for m in ms),
            ", ".join(f"{m.met_count}/{m.criteria_count}" for m in ms),
        ])  # fmt: skip
    ws.widths((5, 14, 36, 30, 12, 12, 12, 8, 8, 8, 9, 14, 12))
    return wb
