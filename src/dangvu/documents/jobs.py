"""A register of one year as its book (sổ đăng ký văn bản đi / đến), printable: the Party head, the columns of
the register books kept in Party offices (QĐ 693-QĐ/VPTW 2021, as the books are ruled in practice), numbered
columns repeated on every page, and the signature block. Text is written as text, never as a formula."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font

from dangvu.core import xlsx
from dangvu.core.dates import fmt, today
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get, place_name

from . import selectors as sel

FONT = Font(name="Times New Roman", size=11)
BOLD = Font(name="Times New Roman", size=11, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)

OUT_COLUMNS = [("Số, ký hiệu văn bản", 16), ("Ngày tháng văn bản", 12), ("Tên loại và trích yếu nội dung", 46),
               ("Người ký", 18), ("Nơi nhận văn bản", 30), ("Độ mật", 9), ("Ghi chú", 18)]  # fmt: skip
IN_COLUMNS = [("Ngày đến", 11), ("Số đến", 8), ("Tác giả (nơi gửi)", 24), ("Số, ký hiệu", 14),
              ("Ngày tháng văn bản", 12), ("Tên loại và trích yếu nội dung", 40), ("Người nhận, xử lý", 18),
              ("Hạn xử lý", 11), ("Ghi chú", 20)]  # fmt: skip


def _c(ws, value, font=FONT, alignment=WRAP):
    return xlsx.cell(ws, value, font=font, alignment=alignment)


def book_xlsx(user, org, year: int, kind: str, progress=None) -> tuple[xlsx.Book, int]:
    out = kind == "outgoing"
    columns = OUT_COLUMNS if out else IN_COLUMNS
    wb = xlsx.workbook(write_only=True)
    ws = wb.sheet("Văn bản đi" if out else "Văn bản đến")
    ws.widths([w for _, w in columns])
    ncols = len(columns)
    superior = org.parent.name.upper() if org.parent_id else ""
    xlsx.title_block(ws, ncols, left=[(superior, False), (org.name.upper(), True), ("*", False)],
                     right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True, True)],
                     title="SỔ ĐĂNG KÝ VĂN BẢN ĐI" if out else "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", subtitle=f"Năm {year}")  # fmt: skip
    first = ws.append([_c(ws, h, BOLD, CENTER) for h, _ in columns], fit=True)
    last = ws.append([_c(ws, f"({i})", FONT, CENTER) for i in range(1, ncols + 1)])
    ws.repeat_rows(first, last)
    n = 0
    if out:
        rows = sel.outgoing(user, org, year=year).order_by("issued_on", "pk")  # the order they were entered
        for d in rows.iterator(chunk_size=2000):
            n += 1
            note = f"Đã hủy ngày {fmt(d.voided_on)}: {d.void_reason}" if d.voided else ""
            ws.append([_c(ws, d.symbol), _c(ws, d.issued_on), _c(ws, f"{d.get_doc_type_display()}: {d.subject}"),
                       _c(ws, d.signer), _c(ws, d.recipients), _c(ws, d.get_classification_display() if
                       d.classification else ""), _c(ws, note)], fit=True)  # fmt: skip
    else:
        rows = sel.incoming(user, org, year=year).order_by("arrival_number")
        for d in rows.iterator(chunk_size=2000):
            n += 1
            what = f"{d.get_doc_type_display()}: {d.subject}" if d.doc_type else d.subject
            note = d.outcome if d.status == "done" else d.get_status_display()
            ws.append([_c(ws, d.received_on), _c(ws, d.arrival_number), _c(ws, d.sender), _c(ws, d.their_number),
                       _c(ws, d.their_date), _c(ws, what), _c(ws, d.handler), _c(ws, d.due_on), _c(ws, note)],
                      fit=True)  # fmt: skip
    xlsx.signature(ws, ncols, place_date=f"{place_name(org)}, ngày {today():%d} tháng {today():%m} năm {today():%Y}",
                   left_title="NGƯỜI VÀO SỔ", right_lines=["T/M " + ("CHI BỘ" if org.type.kind == "cell" else
                   "ĐẢNG ỦY"), "BÍ THƯ"])  # fmt: skip
    return wb, n


@register("documents.book")
def book(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    year, kind = int(job.params["year"]), job.params["kind"]
    wb, n = book_xlsx(job.owner, org, year, kind, progress)
    name = "so-van-ban-di" if kind == "outgoing" else "so-van-ban-den"
    return Output.from_temp(xlsx.save_temp(wb), f"{name}-{org.code}-{year}.xlsx", xlsx.XLSX, n)
