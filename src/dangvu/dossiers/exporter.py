"""Dossier workbooks: a subtree's completeness (what the superior committee asks for), and a catalogue in the
shape the import reads back."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font

from dangvu.core import xlsx

from .services import HEADER


def _header(ws, cells: list[str], widths: tuple[int, ...]) -> None:
    ws.append(cells)
    ws.style_last_row(font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="center"))
    ws.widths(widths)


def completeness_xlsx(org, year: int, totals, branches: list[dict], rows: list[dict]) -> xlsx.Book:
    wb = xlsx.workbook()
    ws = wb.sheet("Tổng hợp")
    ws.append([f"TÌNH HÌNH HỒ SƠ, SỔ SÁCH NĂM {year}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([org.name])
    ws.append([
        f"{totals.complete}/{totals.orgs} tổ chức đủ hồ sơ: {totals.committees_complete}/{totals.committees} "
        f"đảng bộ, {totals.cells_complete}/{totals.cells} chi bộ; {totals.present}/{totals.required} loại hồ sơ "
        f"({totals.percent if totals.percent is not None else '—'}%)"
    ])  # fmt: skip
    ws.append([])
    _header(ws, ["Đơn vị", "Tổ chức", "Đủ hồ sơ", "Chi bộ", "Chi bộ đủ", "Hồ sơ phải có", "Đã có", "Tỷ lệ (%)"],
            (40, 10, 10, 10, 10, 12, 10, 10))  # fmt: skip
    for b in branches:
        name = (b["org"].name if b["org"] else b["branch"]) + (" (chính đơn vị)" if b["is_self"] else "")
        ws.append([name, b["orgs"], b["complete"], b["cells"], b["cells_complete"], b["required"], b["present"],
                   b["percent"]])  # fmt: skip
    ws = wb.sheet("Theo tổ chức")
    _header(ws, ["STT", "Mã", "Tổ chức", "Hồ sơ phải có", "Đã có", "Tỷ lệ (%)", "Còn thiếu"],
            (6, 16, 40, 12, 10, 10, 80))  # fmt: skip
    for i, r in enumerate(rows, start=1):
        ws.append([i, r["code"], r["name"], r["required"], r["present"], r["percent"],
                   "; ".join(f"{c} {n}" for c, n in r["missing"])])  # fmt: skip
    return wb


def catalogue_xlsx(cat) -> xlsx.Book:
    wb = xlsx.workbook()
    ws = wb.sheet(f"{cat.org_type.code}-{cat.year}")
    _header(ws, HEADER, (8, 60, 30, 14, 30, 12, 40, 24, 16))
    for t in cat.types.all():
        ws.append([t.code, t.name, t.get_field_display(), t.get_keeping_display(),
                   "; ".join(_meta_label(m) for m in t.required_meta), "Có" if t.needs_file else "Không",
                   t.get_link_kind_display() if t.link_kind else "", t.form, t.retention])  # fmt: skip
    return wb


def _meta_label(m: str) -> str:
    from .models import MetaField

    return MetaField(m).label if m in MetaField.values else m
