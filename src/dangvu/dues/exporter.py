"""The dues books as Excel, set to print like the register: the cell's collection book (per member and month)
and the committee's summary book S02/ĐP (per sub-unit: members, collected, kept below, kept here, remitted; the
period and the year to date). Amounts are written as numbers, text through core.xlsx (never a formula)."""

from __future__ import annotations

import datetime as dt

from dangvu.core import xlsx
from dangvu.core.dates import fmt, party_date, today
from dangvu.members.exporter import BOLD, CENTER, FONT, _cell, _head_and_foot, _signer

from . import selectors as sel


def _money(ws, v, font=FONT):
    c = _cell(ws, v, font, CENTER)
    c.number_format = "#,##0"
    return c


def cell_book(org, year: int):
    wb = xlsx.workbook()
    ws = wb.sheet("Sổ thu đảng phí")
    ncols = 16
    ws.widths([6, 28] + [9] * 12 + [12, 12])
    superior, place = _head_and_foot(org)
    xlsx.title_block(ws, ncols, left=[(superior, False), (org.name.upper(), True), ("*", False)],
                     right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True, True), ("", False, False)],
                     title=f"SỔ THU ĐẢNG PHÍ NĂM {year}", subtitle="(số tiền đã nộp theo từng tháng, đồng)")  # fmt: skip
    first = ws.append([_cell(ws, h, BOLD, CENTER) for h in
                       ["STT", "Họ và tên"] + [f"T{i}" for i in range(1, 13)] + ["Phải nộp cả năm", "Đã nộp cả năm"]],
                      fit=True)  # fmt: skip
    last = ws.append([_cell(ws, f"({i})", FONT, CENTER) for i in range(1, ncols + 1)])
    ws.repeat_rows(first, last)
    rows = sel.cell_book(org, year)
    for i, r in enumerate(rows, 1):
        ws.append([_cell(ws, i, FONT, CENTER), _cell(ws, r["name"])] + [_money(ws, v) for v in r["paid"]]
                  + [_money(ws, sum(r["due"])), _money(ws, sum(r["paid"]))])  # fmt: skip
    ws.append([_cell(ws, "", BOLD), _cell(ws, "Cộng", BOLD)]
              + [_money(ws, sum(r["paid"][m] for r in rows), BOLD) for m in range(12)]
              + [_money(ws, sum(sum(r["due"]) for r in rows), BOLD), _money(ws, sum(sum(r["paid"]) for r in rows), BOLD)])  # fmt: skip
    lines, name = _signer(org, today())
    xlsx.signature(ws, ncols, place_date=party_date(place, today()), left_title="NGƯỜI THU", right_lines=lines,
                   right_name=name)  # fmt: skip
    return xlsx.save_temp(wb)


def summary_book(user, org, a: dt.date, b: dt.date):
    """S02/ĐP: the period and the year to date, per sub-unit."""
    period = sel.report_figures(user, org, a, b)
    ytd = sel.report_figures(user, org, dt.date(b.year, 1, 1), b)
    by_code = {r["code"]: r for r in ytd["branches"]}
    wb = xlsx.workbook()
    ws = wb.sheet("S02-ĐP")
    heads = ["STT", "Đơn vị", "Số đảng viên cuối kỳ", "Phải thu trong kỳ", "Đã thu trong kỳ", "Cấp dưới giữ lại",
             "Giữ lại ở cấp này", "Nộp cấp trên", "Đã thu lũy kế năm", "Nộp cấp trên lũy kế năm"]  # fmt: skip
    ncols = len(heads)
    ws.widths([6, 34, 11, 13, 13, 13, 13, 13, 14, 14])
    superior, place = _head_and_foot(org)
    xlsx.title_block(ws, ncols, left=[(superior, False), (org.name.upper(), True), ("*", False)],
                     right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True, True), ("Mẫu S02/ĐP", False, False)],
                     title="SỔ TỔNG HỢP THU, NỘP ĐẢNG PHÍ",
                     subtitle=f"Từ {fmt(a)} đến {fmt(b)}; tỷ lệ giữ lại ở cấp này {period['keep_here']}%")  # fmt: skip
    first = ws.append([_cell(ws, h, BOLD, CENTER) for h in heads], fit=True)
    last = ws.append([_cell(ws, f"({i})", FONT, CENTER) for i in range(1, ncols + 1)])
    ws.repeat_rows(first, last)
    for i, r in enumerate(period["branches"], 1):
        y = by_code.get(r["code"], {"collected": 0, "remitted": 0})
        ws.append([_cell(ws, i, FONT, CENTER), _cell(ws, r["name"]), _money(ws, r["members"]), _money(ws, r["due"]),
                   _money(ws, r["collected"]), _money(ws, r["kept_below"]), _money(ws, r["here"]),
                   _money(ws, r["remitted"]), _money(ws, y["collected"]), _money(ws, y["remitted"])], fit=True)  # fmt: skip
    ws.append([_cell(ws, "", BOLD), _cell(ws, "Cộng", BOLD), _money(ws, period["members"], BOLD),
               _money(ws, period["due"], BOLD), _money(ws, period["collected"], BOLD),
               _money(ws, period["kept_below"], BOLD), _money(ws, period["retained_here"], BOLD),
               _money(ws, period["remitted"], BOLD), _money(ws, ytd["collected"], BOLD),
               _money(ws, ytd["remitted"], BOLD)])  # fmt: skip
    lines, name = _signer(org, today())
    xlsx.signature(ws, ncols, place_date=party_date(place, today()), left_title="NGƯỜI LẬP SỔ", right_lines=lines,
                   right_name=name)  # fmt: skip
    return xlsx.save_temp(wb)


def cash_book_xlsx(user, org, a: dt.date, b: dt.date):
    """S01-TCĐ: opening balance, income (the dues kept, others) and spending for the period and the year to date,
    closing balance."""
    book = sel.cash_book(user, org, a, b)
    wb = xlsx.workbook()
    ws = wb.sheet("S01-TCĐ", landscape=False)
    ncols = 4
    ws.widths([8, 52, 16, 16])
    superior, place = _head_and_foot(org)
    xlsx.title_block(ws, ncols, left=[(superior, False), (org.name.upper(), True), ("*", False)],
                     right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True, True), ("Mẫu S01-TCĐ", False, False)],
                     title="SỔ THU, CHI TÀI CHÍNH ĐẢNG", subtitle=f"Từ {fmt(a)} đến {fmt(b)}")  # fmt: skip
    first = ws.append([_cell(ws, h, BOLD, CENTER) for h in ("STT", "Nội dung", "Trong kỳ", "Lũy kế từ đầu năm")])
    last = ws.append([_cell(ws, f"({i})", FONT, CENTER) for i in range(1, ncols + 1)])
    ws.repeat_rows(first, last)
    ws.append([_cell(ws, "I", BOLD, CENTER), _cell(ws, "Số dư đầu kỳ", BOLD), _money(ws, book["opening"], BOLD),
               _cell(ws, "")])  # fmt: skip
    ws.append([_cell(ws, "II", BOLD, CENTER), _cell(ws, "Thu", BOLD), _money(ws, book["income_total"], BOLD),
               _money(ws, book["income_ytd"], BOLD)])  # fmt: skip
    for i, x in enumerate(book["income"], 1):
        ws.append([_cell(ws, i, FONT, CENTER), _cell(ws, x["label"]), _money(ws, x["period"]), _money(ws, x["ytd"])])
    ws.append([_cell(ws, "III", BOLD, CENTER), _cell(ws, "Chi", BOLD), _money(ws, book["spending_total"], BOLD),
               _money(ws, book["spending_ytd"], BOLD)])  # fmt: skip
    for i, x in enumerate(book["spending"], 1):
        ws.append([_cell(ws, i, FONT, CENTER), _cell(ws, x["label"]), _money(ws, x["period"]), _money(ws, x["ytd"])])
    ws.append([_cell(ws, "IV", BOLD, CENTER), _cell(ws, "Số dư cuối kỳ", BOLD), _money(ws, book["closing"], BOLD),
               _cell(ws, "")])  # fmt: skip
    lines, name = _signer(org, today())
    xlsx.signature(ws, ncols, place_date=party_date(place, today()), left_title="NGƯỜI LẬP SỔ", right_lines=lines,
                   right_name=name)  # fmt: skip
    return xlsx.save_temp(wb)
