"""Reading a member register as committees keep it, into one dict per member row.

What real registers hold, and what is done with it:
- a title block above the table (merged cells, the organisation's name, "DANH SÁCH ĐẢNG VIÊN"): passed over;
- the header on one row, or on two with merged cells ("Ngày, tháng, năm sinh" over "Nam" and "Nữ"; a header
  cell merged across its columns): the two rows read together, the upper cell carried over the empty cells to
  its right;
- columns found by their Vietnamese headers in any order, with the usual variants, and the combined cells of
  Mẫu 7-HSĐV (sex, ethnicity and religion in one cell; admission and official dates; card, CV and badge
  numbers; the levels of education; occupation then and now; the name with the birth name under it);
- the row of column numbers "(1) (2) … (13)", blank rows, totals rows ("Tổng cộng", "Cộng") and the signature
  block under the table ("Người lập biểu", "T/M CHI BỘ", the place and date): skipped and reported as skipped;
- several sheets: the user picks one when more than one holds a register; one is picked when only one does;
- .xlsx, old .xls and .csv (core.sheets); text in TCVN3 or VNI decided per column (core.legacy), and the user
  may choose another encoding for a column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from openpyxl.utils.datetime import from_excel

from dangvu.core import legacy, sheets, xlsx
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.core.text import search_key

# canonical field → header variants (as search keys: no diacritics, lower case, single spaces)
HEADERS: dict[str, tuple[str, ...]] = {
    "_no": ("stt", "tt", "so tt", "so thu tu"),
    "full_name": (
        "ho va ten",
        "ho ten",
        "ho va ten dang vien",
        "ho ten dang vien",
        "ten dang vien",
        "ho va ten khai sinh",
        "ho va ten (ten khai sinh)",
    ),
    "birth_name": ("ten goi khac", "bi danh", "ten khac", "ho ten khai sinh khac"),
    "sex": ("gioi tinh", "gioi", "nam nu", "nam/nu"),
    "birth_date": ("ngay sinh", "ngay thang nam sinh", "sinh ngay", "ngay, thang, nam sinh", "nam sinh"),
    "birth_date_male": ("ngay sinh nam", "ngay thang nam sinh nam", "ngay, thang, nam sinh nam", "nam sinh nam"),
    "birth_date_female": ("ngay sinh nu", "ngay thang nam sinh nu", "ngay, thang, nam sinh nu", "nam sinh nu"),
    "sex_ethnicity_religion": ("gioi tinh, dan toc, ton giao", "gioi tinh dan toc ton giao"),
    "ethnicity": ("dan toc",),
    "religion": ("ton giao",),
    "home_town": ("que quan", "nguyen quan"),
    "birth_place": ("noi sinh",),
    "residence": ("noi o hien nay", "noi o", "cho o hien nay", "dia chi", "noi thuong tru", "thuong tru"),
    "citizen_id": (
        "so cccd",
        "cccd",
        "can cuoc cong dan",
        "so can cuoc",
        "so dinh danh",
        "so dinh danh ca nhan",
        "so cmnd/cccd",
        "cmnd/cccd",
        "so cmnd",
        "cmnd",
    ),
    "phone": ("dien thoai", "so dien thoai", "sdt", "so dt"),
    "general_education": (
        "giao duc pho thong",
        "trinh do van hoa",
        "van hoa",
        "gdpt",
        "trinh do giao duc pho thong",
    ),
    "levels": (
        "trinh do: giao duc pho thong, ly luan chinh tri, chuyen mon, ngoai ngu",
        "trinh do giao duc pho thong, ly luan chinh tri, chuyen mon, ngoai ngu",
        "trinh do",
    ),
    "qualification": ("trinh do chuyen mon", "chuyen mon", "trinh do chuyen mon nghiep vu", "hoc ham hoc vi"),
    "specialty": ("chuyen nganh", "chuyen nganh dao tao"),
    "political_theory": ("ly luan chinh tri", "llct", "trinh do ly luan chinh tri", "trinh do ly luan"),
    "foreign_language": ("ngoai ngu", "trinh do ngoai ngu"),
    "occupations": ("nghe nghiep khi vao dang, hien nay", "nghe nghiep khi vao dang va hien nay"),
    "occupation_before": ("nghe nghiep khi vao dang", "nghe nghiep truoc khi vao dang"),
    "occupation": ("nghe nghiep", "nghe nghiep hien nay", "cong viec hien nay"),
    "position": ("chuc vu", "chuc vu hien nay", "chuc vu dang, chinh quyen"),
    "forces": ("quan doi, cong an, nghi huu", "quan doi cong an nghi huu", "luc luong"),
    "party_dates": ("ngay vao dang, ngay chinh thuc", "ngay vao dang va ngay chinh thuc"),
    "admitted_on": (
        "ngay vao dang",
        "ngay ket nap",
        "ngay ket nap dang",
        "vao dang",
        "ngay vao dang du bi",
        "ngay vao dang (du bi)",
    ),
    "official_on": ("ngay chinh thuc", "chinh thuc", "ngay cong nhan chinh thuc", "ngay vao dang chinh thuc"),
    "numbers": ("so the, so ly lich, so huy hieu dang", "so the, so ly lich, so huy hieu"),
    "card_number": ("so the", "so the dang", "so the dang vien", "so the dv"),
    "cv_number": ("so ly lich", "so ll", "so ly lich dang vien"),
    "badge_number": ("so huy hieu", "so huy hieu dang", "huy hieu dang"),
    "joined_on": ("ngay chuyen den", "ngay sinh hoat tai chi bo", "ngay den chi bo"),
    "notes": ("ghi chu",),
    # columns of Mẫu 7-HSĐV that record history: recognised, not imported; a member who left during the year
    # (a date under "chuyển đi", "từ trần" or "ra khỏi Đảng") is not a current member of the register
    "_came": ("chuyen den: ngay, noi di", "chuyen den"),
    "_left": ("chuyen di: ngay, noi den", "chuyen di", "ngay tu tran", "ngay va hinh thuc ra khoi dang"),
}
STATUS_NOTES = ("du bi", "dang vien du bi")  # what Mẫu 7-HSĐV's notes column says of a probationary member
TEXT_FIELDS = ("full_name", "birth_name", "ethnicity", "religion", "home_town", "birth_place", "residence",
               "specialty", "foreign_language", "occupation_before", "occupation", "position", "notes",
               "general_education")  # fmt: skip
LABELS = {
    "full_name": "Họ và tên",
    "sex": "Giới tính",
    "birth_date": "Ngày sinh",
    "admitted_on": "Ngày vào Đảng",
    "official_on": "Ngày chính thức",
    "card_number": "Số thẻ",
    "citizen_id": "Số CCCD",
    "badge_number": "Số huy hiệu",
    "joined_on": "Ngày sinh hoạt tại chi bộ",
}

ERR_NO_HEADER = "Không tìm thấy dòng tiêu đề: cần ít nhất cột «Họ và tên» và «Ngày vào Đảng»."
ERR_UNKNOWN_COLUMN = "Cột «{header}» không nhận ra, đã bỏ qua."
ERR_CHOOSE_SHEET = "Tệp có {n} trang tính đều có danh sách đảng viên ({names}); hãy chọn trang cần nhập."
SKIP_NUMBERS = "dòng đánh số cột"
SKIP_TOTALS = "dòng tổng cộng"
SKIP_SIGNATURE = "phần ký tên dưới bảng"
SKIP_BLANK = "dòng trống"
SKIP_LEFT = "đảng viên đã chuyển đi, từ trần hoặc ra khỏi Đảng trong năm"

_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_TOTALS = ("tong cong", "cong", "tong so", "tong")
_SIGNATURE = ("nguoi lap", "t/m", "xac nhan", "bi thu", "pho bi thu", "thu truong", "ky ten", "ky, ghi ro")
_PLACE_DATE = re.compile(r"ngay\s*\S*\s*thang\s*\S*\s*nam")


@dataclass
class Skipped:
    row: int
    reason: str


@dataclass
class Register:
    """What was read: the sheet, the columns (field by position, and each field's header text), the member
    rows as {field: value} with text already converted to Unicode, what was skipped, each text column's
    encoding (legacy.Column), and the formulas found (row, field, formula)."""

    sheet: str = ""
    sheets: list[str] = field(default_factory=list)  # every sheet that holds a register
    columns: dict[int, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    encodings: dict[str, legacy.Column] = field(default_factory=dict)
    formulas: list[tuple[int, str, str]] = field(default_factory=list)


# --- headers ---------------------------------------------------------------------------------------------


def norm_header(value) -> str:
    return " ".join(search_key(legacy.to_unicode(str(value or ""))).replace("\n", " ").split()).strip(" :*.")


def match_header(value) -> str | None:
    key = norm_header(value)
    if not key:
        return None
    for fld, variants in HEADERS.items():
        if key in variants:
            return fld
    # "Ngày vào Đảng (dd/mm/yyyy)", "Họ và tên đảng viên": the longest variant the header starts with
    best, best_len = None, 0
    for fld, variants in HEADERS.items():
        for v in variants:
            if (key.startswith(v + " ") or key.startswith(v + "(")) and len(v) > best_len:
                best, best_len = fld, len(v)
    return best


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _header_cells(rows: list[tuple], i: int, two: bool) -> list[str]:
    """The header texts of row i, or of rows i and i+1 read together (the upper cell of a merge is carried
    over the empty cells to its right that have a lower cell)."""
    top = [_text(v) for v in rows[i]]
    if not two:
        return top
    low = [_text(v) for v in rows[i + 1]] if i + 1 < len(rows) else []
    width = max(len(top), len(low))
    top += [""] * (width - len(top))
    low += [""] * (width - len(low))
    out, carried = [], ""
    for t, b in zip(top, low, strict=True):
        if t:
            carried = t
        parent = t or (carried if b else "")
        out.append(f"{parent} {b}".strip() if b else parent)
    return out


def _columns(cells: list[str]) -> tuple[dict[int, str], list[str]]:
    cols: dict[int, str] = {}
    unknown = []
    for j, cell in enumerate(cells):
        fld = match_header(cell)
        if fld and (fld.startswith("_") or fld not in cols.values()):
            cols[j] = fld
        elif cell and not fld:
            unknown.append(legacy.to_unicode(cell))
    return cols, unknown


def _is_register(cols: dict[int, str]) -> bool:
    found = set(cols.values())
    return "full_name" in found and bool(found & {"admitted_on", "party_dates"})


def find_header(rows: list[tuple]) -> tuple[int, int, dict[int, str], list[str]] | None:
    """(first header row index, header height 1 or 2, columns, unknown headers), or None."""
    for i in range(min(len(rows), 25)):
        for two in (False, True):
            cols, unknown = _columns(_header_cells(rows, i, two))
            if _is_register(cols):
                if not two:  # a second header row under the first (Nam / Nữ under the birth date)?
                    cols2, unknown2 = _columns(_header_cells(rows, i, True))
                    if _is_register(cols2) and len(cols2) > len(cols):
                        return i, 2, cols2, unknown2
                return i, 2 if two else 1, cols, unknown
    return None


# --- rows that are not members ------------------------------------------------------------------------------


def _non_member(values: tuple, cols: dict[int, str]) -> str | None:
    texts = [_text(v) for v in values if _text(v)]
    if not texts:
        return SKIP_BLANK
    if all(_COLUMN_NUMBER.match(t) for t in texts) and len(texts) >= 3:
        return SKIP_NUMBERS
    first = search_key(texts[0])
    if first.rstrip(":. ") in _TOTALS or any(first.startswith(t + " ") or first.startswith(t + ":") for t in _TOTALS):
        return SKIP_TOTALS
    joined = search_key(" ".join(texts))
    name_at = next((j for j, f in cols.items() if f == "full_name"), None)
    no_at = next((j for j, f in cols.items() if f == "_no"), None)
    numbered = no_at is not None and no_at < len(values) and _text(values[no_at]).isdigit()
    has_name = name_at is not None and name_at < len(values) and bool(_text(values[name_at]))
    if not numbered and not has_name and (any(joined.startswith(s) or f" {s}" in f" {joined}" for s in _SIGNATURE)
                                          or _PLACE_DATE.search(joined)):  # fmt: skip
        return SKIP_SIGNATURE
    return None  # a member, or data without a name (reported as an error, not skipped)


# --- combined cells of Mẫu 7-HSĐV ---------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"\n|;", text) if x.strip()]


_LEVEL_LABELS = {"gdpt": "general_education", "llct": "political_theory", "cm": "qualification",
                 "nn": "foreign_language"}  # fmt: skip


def expand(values: dict) -> dict:
    """The combined cells of Mẫu 7-HSĐV spread into their fields (cells already in Unicode)."""
    out = {k: v for k, v in values.items() if k not in ("sex_ethnicity_religion", "party_dates", "numbers",
                                                          "levels", "occupations", "birth_date_male",
                                                          "birth_date_female")}  # fmt: skip
    name = out.get("full_name")
    if isinstance(name, str) and "(" in name and "\n" in name:
        main, _, rest = name.partition("\n")
        out["full_name"] = main.strip()
        out.setdefault("birth_name", rest.strip().strip("()").strip())
    v = _text(values.get("sex_ethnicity_religion"))
    if v:
        parts = [p.strip() for p in v.split(",")]
        for fld, p in zip(("sex", "ethnicity", "religion"), parts, strict=False):
            out.setdefault(fld, "" if p in ("–", "-") or (fld == "religion" and search_key(p) == "khong") else p)
    v = values.get("party_dates")
    if v not in (None, ""):
        parts = _lines(_text(v)) if not isinstance(v, dt.date | int | float) else [v]
        out.setdefault("admitted_on", parts[0] if parts else None)
        out.setdefault("official_on", parts[1] if len(parts) > 1 else None)
    v = _text(values.get("numbers"))
    if v:
        for fld, p in zip(("card_number", "cv_number", "badge_number"), v.split("\n"), strict=False):
            p = p.strip()
            if p and p not in ("–", "-"):
                out.setdefault(fld, p)
    v = _text(values.get("levels"))
    if v:
        for p in _lines(v):
            label, sep, rest = p.partition(":")
            fld = _LEVEL_LABELS.get(search_key(label)) if sep else None
            if fld == "qualification":
                known = search_key(rest.strip())
                for lv in ("dai hoc", "cao dang", "trung cap", "so cap", "thac si", "tien si"):
                    if known.startswith(lv):
                        n = len(lv.split())
                        words = rest.strip().split()
                        out.setdefault("qualification", " ".join(words[:n]))
                        if words[n:]:
                            out.setdefault("specialty", " ".join(words[n:]))
                        break
                else:
                    out.setdefault("qualification", rest.strip())
            elif fld:
                out.setdefault(fld, rest.strip())
    v = _text(values.get("occupations"))
    if v:
        parts = [p.strip() for p in re.split(r"\s/\s|\n", v)]
        parts = ["" if p in ("–", "-") else p for p in parts]
        if len(parts) == 1:
            parts = [parts[0], parts[0]]
        out.setdefault("occupation_before", parts[0])
        out.setdefault("occupation", parts[-1])
    if search_key(_text(out.get("notes"))) in STATUS_NOTES:
        out.pop("notes")
    for fld, sex in (("birth_date_male", "nam"), ("birth_date_female", "nu")):
        if values.get(fld) not in (None, ""):
            out.setdefault("birth_date", values[fld])
            out.setdefault("sex", "Nam" if sex == "nam" else "Nữ")
    return out


# --- dates ---------------------------------------------------------------------------------------------------


def parse_date(value) -> dt.date | None:
    """Excel date, serial number or text (5/3/1980, 05-03-80, 05.03.1980, 1980-03-05) → date; None for empty;
    ValueError when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        if 1 <= value < 100000:
            return from_excel(value).date()
        raise ValueError(value)
    text = str(value).strip()
    if not text:
        return None
    m = _DATE_TEXT.match(text)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
        year = int(y)
        if len(y) == 2:
            year += 2000 if year <= today().year % 100 else 1900
        return dt.date(year, mo, d)
    m = _ISO.match(text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(text)


# --- the whole file --------------------------------------------------------------------------------------


def read(source, *, sheet: str = "", encodings: dict[str, str] | None = None) -> Register:
    """Read the register in `source`. DomainError (field `file`) when the file is no spreadsheet, or holds no
    register, or holds several and `sheet` does not say which."""
    book = sheets.read(source)
    found = []
    for sh in book:
        values = [v for _, v, _ in sh.rows[:40]]
        h = find_header(values)
        if h is not None:
            found.append((sh, h))
    if not found:
        raise DomainError(ERR_NO_HEADER, field="file")
    reg = Register(sheets=[sh.name for sh, _ in found])
    if sheet:
        chosen = next(((sh, h) for sh, h in found if sh.name == sheet), None)
        if chosen is None:
            raise DomainError(sheets.ERR_NO_SHEET.format(name=sheet), field="sheet")
    elif len(found) > 1:
        raise DomainError(ERR_CHOOSE_SHEET.format(n=len(found), names=", ".join(reg.sheets)), field="sheet")
    else:
        chosen = found[0]
    sh, (start, height, cols, unknown) = chosen
    reg.sheet, reg.columns, reg.unknown = sh.name, cols, unknown
    header_cells = _header_cells([v for _, v, _ in sh.rows], start, height == 2)
    reg.headers = {fld: legacy.to_unicode(header_cells[j]) for j, fld in cols.items()}
    raw_rows: list[tuple[int, dict]] = []
    ended = False
    for rownum, values, formulas in sh.rows[start + height :]:
        if ended:
            if any(_text(v) for v in values):
                reg.skipped.append(Skipped(rownum, SKIP_SIGNATURE))
            continue
        why = _non_member(values, cols)
        if why is not None and not formulas:
            if why == SKIP_SIGNATURE:
                ended = True
            if why != SKIP_BLANK or any(_text(v) for v in values):
                reg.skipped.append(Skipped(rownum, why))
            else:
                reg.skipped.append(Skipped(rownum, SKIP_BLANK))
            continue
        if any(f == "_left" and j < len(values) and _text(values[j]) for j, f in cols.items()):
            reg.skipped.append(Skipped(rownum, SKIP_LEFT))
            continue
        for j, f in formulas.items():
            if j in cols and not cols[j].startswith("_"):
                reg.formulas.append((rownum, reg.headers[cols[j]], f))
        raw_rows.append((rownum, {f: values[j] if j < len(values) else None for j, f in cols.items()
                                  if not f.startswith("_")}))  # fmt: skip
        if len(raw_rows) > xlsx.row_limit():
            raise xlsx.too_many_rows()
    # text columns: each decided as a whole (or as the user chose)
    chosen_enc = encodings or {}
    for fld in {f for f in cols.values() if not f.startswith("_")}:
        vals = [r.get(fld) for _, r in raw_rows]
        if not any(isinstance(v, str) and not v.isascii() for v in vals):
            continue
        col, converted = legacy.convert_column(vals, chosen_enc.get(fld) or None)
        reg.encodings[fld] = col
        for (_, r), v in zip(raw_rows, converted, strict=True):
            r[fld] = v
    reg.rows = [(n, expand(r)) for n, r in raw_rows]
    return reg
