"""The statistics as the form sent upward (Excel, set to print like the member register).

Sheet 1 follows the layout of Biểu số 7-BTCTW (HD 11-HD/BTCTW 2021, as far as our sources give it, rules.md §7):
the issuer's block and "ĐẢNG CỘNG SẢN VIỆT NAM" with the form's code, then criteria down the side and the columns
"Kỳ này", the comparison period and "(%) kỳ này so với kỳ trước", numbered (1)…(5) with the ratio column's formula
in words (=3*100/4) as the form prints it; the figures are written as numbers, never as formulas. Sheet 2 gives
the same figures per branch. The signature block closes each sheet.
"""

from __future__ import annotations

from dangvu.core import xlsx
from dangvu.core.dates import fmt, party_date, today
from dangvu.members.exporter import BOLD, CENTER, FONT, _cell, _head_and_foot, _signer

from . import selectors as sel

FORM = "Biểu số 7-BTCTW"
SECTIONS = [
    ("I", "SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN", None),
    ("II", "BIẾN ĐỘNG ĐẢNG VIÊN TRONG KỲ", "flows"),
    ("III", "GIỚI THIỆU SINH HOẠT ĐẢNG TRONG KỲ", "transfers"),
    ("IV", "TỔ CHỨC ĐẢNG", "orgs"),
]


def _lines(f: sel.Figures) -> list[tuple[str, str, str, bool]]:
    """(number, label, key in `sel.flat`, bold) in the form's order."""
    out = [("I", "SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN", "", True), ("", "Tổng số đảng viên", "total", True)]
    for i, d in enumerate(f.dimensions, 1):
        out.append((str(i), f"Chia theo {d.title.lower()}", "", True))
        out += [("", f"- {r.label}", f"{d.key}:{r.key}", False) for r in d.rows]
    out.append(("II", "BIẾN ĐỘNG ĐẢNG VIÊN TRONG KỲ", "", True))
    out += [(str(i), r.label, f"flow:{r.key}", False) for i, r in enumerate(f.flows, 1)]
    out.append(("III", "GIỚI THIỆU SINH HOẠT ĐẢNG TRONG KỲ", "", True))
    out += [(str(i), r.label, f"transfer:{r.key}", False) for i, r in enumerate(f.transfers, 1)]
    out.append(("IV", "TỔ CHỨC ĐẢNG", "", True))
    out += [("", r.label, f"kind:{r.key}", False) for r in f.orgs_by_kind]
    out += [("", f"- {r.label}", f"type:{r.key}", False) for r in f.orgs_by_type]
    out += [("", r.label, f"event:{r.key}", False) for r in f.orgs_events]
    return out


def statistics_xlsx(f: sel.Figures, before: sel.Figures | None, before_label: str):
    """The workbook for figures `f`, compared with `before` (the previous cut-off, or the same date a year
    earlier). Returns an open temporary file."""
    org = f.org
    wb = xlsx.workbook()
    superior, place = _head_and_foot(org)
    lines, name = _signer(org, f.on)
    now, then = sel.flat(f), sel.flat(before) if before else {}

    ws = wb.sheet("Biểu thống kê", landscape=False)
    ncols = 5
    ws.widths([7, 58, 13, 13, 14])
    xlsx.title_block(ws, ncols, left=[(superior, False), (org.name.upper(), True), ("*", False)],
                     right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True, True), (FORM, False, False)],
                     title="THỐNG KÊ SỐ LƯỢNG, CHẤT LƯỢNG VÀ NGHIỆP VỤ CÔNG TÁC ĐẢNG VIÊN",
                     subtitle=f"Số liệu đến ngày {fmt(f.on)}; biến động từ {fmt(f.date_from)} đến {fmt(f.date_to)}")  # fmt: skip
    first = ws.append([_cell(ws, h, BOLD, CENTER) for h in
                       ("STT", "Tiêu chí", "Kỳ này", f"Kỳ so sánh ({before_label})", "(%) kỳ này so với kỳ so sánh")],
                      fit=True)  # fmt: skip
    last = ws.append([_cell(ws, h, FONT, CENTER) for h in ("(1)", "(2)", "(3)", "(4)", "(5) = (3)×100/(4)")])
    ws.repeat_rows(first, last)
    for number, label, key, bold in _lines(f):
        font = BOLD if bold else FONT
        if not key:
            ws.append([_cell(ws, number, font, CENTER), _cell(ws, label, font)] + [_cell(ws, "") for _ in range(3)])
            continue
        a = now[key][1]
        b = then[key][1] if key in then else None
        ratio = round(a * 100 / b, 1) if b else None
        ws.append([_cell(ws, number, font, CENTER), _cell(ws, label, font), _cell(ws, a, font, CENTER),
                   _cell(ws, b, font, CENTER), _cell(ws, ratio, font, CENTER)], fit=True)  # fmt: skip
    xlsx.signature(ws, ncols, place_date=party_date(place, today()), left_title="NGƯỜI LẬP BIỂU",
                   right_lines=lines, right_name=name)  # fmt: skip

    ws = wb.sheet("Chia theo đơn vị")
    fixed = [d for d in f.dimensions if d.key in {k for k, _t, _v in sel.fixed_dimensions(f.on)}]
    heads = [(f"{d.title}: {r.label}", f"{d.key}:{r.key}") for d in fixed for r in d.rows]
    ncols = 3 + len(heads)
    ws.widths([6, 36, 10] + [11] * len(heads))
    xlsx.title_block(ws, ncols, left=[(superior, False), (org.name.upper(), True), ("*", False)],
                     right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True, True), (FORM, False, False)],
                     title="SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN CHIA THEO ĐƠN VỊ TRỰC THUỘC",
                     subtitle=f"Số liệu đến ngày {fmt(f.on)}")  # fmt: skip
    first = ws.append([_cell(ws, h, BOLD, CENTER) for h in ["STT", "Đơn vị", "Tổng số"] + [h for h, _ in heads]],
                      fit=True)  # fmt: skip
    last = ws.append([_cell(ws, f"({i})", FONT, CENTER) for i in range(1, ncols + 1)])
    ws.repeat_rows(first, last)
    for i, b in enumerate(f.branches, 1):
        ws.append([_cell(ws, i, FONT, CENTER), _cell(ws, b.name), _cell(ws, b.total, FONT, CENTER)]
                  + [_cell(ws, b.counts.get(k, 0), FONT, CENTER) for _, k in heads], fit=True)  # fmt: skip
    ws.append([_cell(ws, "", BOLD), _cell(ws, "Cộng", BOLD), _cell(ws, f.total, BOLD, CENTER)]
              + [_cell(ws, now[k][1], BOLD, CENTER) for _, k in heads])  # fmt: skip
    xlsx.signature(ws, ncols, place_date=party_date(place, today()), left_title="NGƯỜI LẬP BIỂU",
                   right_lines=lines, right_name=name)  # fmt: skip
    return xlsx.save_temp(wb)
