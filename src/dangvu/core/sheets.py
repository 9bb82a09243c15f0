"""Reading the spreadsheets committees keep: .xlsx (openpyxl, streamed), old binary .xls (xlrd) and .csv (UTF-8
or Windows-1252, comma, semicolon or tab), all into the same shape: named sheets of numbered rows, each row's
values and the formulas found in it (importers refuse those).

Every file is checked first (`files.check_zip` for .xlsx, the upload size limit for all) and read with a row
limit (`DANGVU_IMPORT_MAX_ROWS` data rows, a few title rows above them allowed).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field

from django.conf import settings

from . import xlsx
from .errors import DomainError

ERR_NOT_A_SHEET = "Tệp không đọc được như một bảng tính (.xlsx, .xls hoặc .csv)."
ERR_NO_SHEET = "Không có trang tính «{name}» trong tệp."
HEAD_ROWS = 30  # rows allowed above the data for title blocks, beyond the row limit


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, tuple, dict[int, str]]] = field(default_factory=list)  # (row number, values, formulas)


def _kind(head: bytes, name: str) -> str:
    """By content; a file named .xlsx or .xls that is not one is refused rather than read as text."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if name.lower().endswith((".xlsx", ".xls", ".xlsm")):
        return "?"
    if b"\x00" not in head:
        return "csv"
    return "?"


def _limit() -> int:
    return settings.DANGVU_IMPORT_MAX_ROWS + HEAD_ROWS


def read(source, *, name: str = "") -> list[Sheet]:
    """Every sheet of the file (a path, or an uploaded or open binary file). DomainError (field `file`) for a
    file that is no spreadsheet, too large when inflated, or longer than the row limit."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            return read(io.BytesIO(fh.read()), name=name or str(source))
    name = name or getattr(source, "name", "") or ""
    source.seek(0)
    head = source.read(8)
    source.seek(0)
    kind = _kind(head, name)
    if kind == "xlsx":
        return _xlsx(source)
    if kind == "xls":
        return _xls(source)
    if kind == "csv":
        return _csv(source)
    raise DomainError(ERR_NOT_A_SHEET, field="file")


MAX_COLUMNS = 100  # registers have a few dozen columns; nothing to the right of this is read
MAX_BLANK_ROWS = 1000  # this many empty rows in a row end the sheet (a stray cell far below is not read for)


def _capped(rows, sheet: Sheet) -> Sheet:
    blank = 0
    for n, (rownum, values, formulas) in enumerate(rows, start=1):
        if n > _limit():
            raise xlsx.too_many_rows()
        if not formulas and all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank += 1
            if blank >= MAX_BLANK_ROWS:
                break
        else:
            blank = 0
        sheet.rows.append((rownum, values, formulas))
    return sheet


def _xlsx(source) -> list[Sheet]:
    try:
        wb = xlsx.open_workbook(source)
    except DomainError:
        raise
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a damaged file
        raise DomainError(ERR_NOT_A_SHEET, field="file") from None
    try:
        return [_capped(xlsx.rows(ws, max_col=MAX_COLUMNS), Sheet(ws.title)) for ws in wb.worksheets]
    except DomainError:
        raise
    except Exception:  # noqa: BLE001
        raise DomainError(ERR_NOT_A_SHEET, field="file") from None
    finally:
        wb.close()


def _xls(source) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=source.read(), on_demand=True)
    except Exception:  # noqa: BLE001 — xlrd raises many kinds for a damaged file
        raise DomainError(ERR_NOT_A_SHEET, field="file") from None
    out = []
    try:
        for sh in book.sheets():
            def rows(sh=sh):
                for r in range(sh.nrows):
                    values = []
                    for c in range(sh.ncols):
                        cell = sh.cell(r, c)
                        if cell.ctype == xlrd.XL_CELL_DATE:
                            values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                        elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                            values.append(None)
                        else:
                            values.append(cell.value)
                    yield r + 1, tuple(values), {}

            out.append(_capped(rows(), Sheet(sh.name)))
    finally:
        book.release_resources()
    return out


def _csv(source) -> list[Sheet]:
    data = source.read()
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:  # an old file: its bytes as Windows-1252 (legacy fonts' text is decoded later)
            text = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = (
        (n, tuple(v if v != "" else None for v in row), {})
        for n, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)
    )
    return [_capped(rows, Sheet("CSV"))]
