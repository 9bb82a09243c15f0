"""Importing a member register from Excel, whatever its shape.

- The header row is found among the first rows; columns are matched by their Vietnamese headers in any order,
  accepting the usual variants ("Họ và tên", "Họ tên", "Ngày vào Đảng", "Ngày kết nạp", "Số thẻ", …).
- Each text cell may be Unicode (composed or decomposed), TCVN3 or VNI: converted to NFC Unicode.
- Dates may be Excel dates, serial numbers, or text (dd/mm/yyyy, d-m-yy, yyyy-mm-dd, …).
- A row whose card number or citizen ID is already in the registry updates that member (when they belong to
  the organisation being imported); otherwise a new member is created.
- Every problem is reported as (row, column, reason) with the spreadsheet's own row number. Nothing is written
  unless the whole file is valid, or, with `only_valid`, the valid rows are written and the rejects listed.
- Writes are set-based (bulk inserts in batches, a handful of queries per thousand rows).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from openpyxl.utils.datetime import from_excel

from dangvu.core import audit, xlsx
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.legacy import to_unicode
from dangvu.core.locking import lock
from dangvu.core.text import search_key
from dangvu.organizations.models import Organisation

from .models import Member, Reason, Status
from .services import (
    ERR_TAKEN,
    UNIQUE_FIELDS,
    Placement,
    _check_cell,
    _snapshot,
    bulk_create_members,
    check_may_edit,
    clean_profile,
)

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
    ),
    "birth_name": ("ten goi khac", "bi danh", "ten khac", "ho ten khai sinh khac"),
    "sex": ("gioi tinh", "gioi", "nam nu", "nam/nu"),
    "birth_date": ("ngay sinh", "ngay thang nam sinh", "sinh ngay", "ngay, thang, nam sinh"),
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
    "qualification": ("trinh do chuyen mon", "chuyen mon", "trinh do chuyen mon nghiep vu", "hoc ham hoc vi"),
    "specialty": ("chuyen nganh", "chuyen nganh dao tao"),
    "political_theory": ("ly luan chinh tri", "llct", "trinh do ly luan chinh tri", "trinh do ly luan"),
    "foreign_language": ("ngoai ngu", "trinh do ngoai ngu"),
    "occupation_before": ("nghe nghiep khi vao dang", "nghe nghiep truoc khi vao dang"),
    "occupation": ("nghe nghiep", "nghe nghiep hien nay", "cong viec hien nay"),
    "position": ("chuc vu", "chuc vu hien nay", "chuc vu dang, chinh quyen"),
    "forces": ("quan doi, cong an, nghi huu", "quan doi cong an nghi huu", "luc luong"),
    "admitted_on": (
        "ngay vao dang",
        "ngay ket nap",
        "ngay ket nap dang",
        "vao dang",
        "ngay vao dang du bi",
        "ngay vao dang (du bi)",
    ),
    "official_on": ("ngay chinh thuc", "chinh thuc", "ngay cong nhan chinh thuc", "ngay vao dang chinh thuc"),
    "card_number": ("so the", "so the dang", "so the dang vien", "so the dv"),
    "cv_number": ("so ly lich", "so ll", "so ly lich dang vien"),
    "badge_number": ("so huy hieu", "so huy hieu dang", "huy hieu dang"),
    "joined_on": ("ngay chuyen den", "ngay sinh hoat tai chi bo", "ngay den chi bo"),
    "notes": ("ghi chu",),
}
REQUIRED = ("full_name", "sex", "birth_date", "admitted_on")
DATE_COLUMNS = ("birth_date", "admitted_on", "official_on", "joined_on")
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
SEX = {"nam": "nam", "nu": "nu", "male": "nam", "female": "nu", "m": "nam", "f": "nu"}
QUALIFICATION = {
    "": "", "khong": "", "chua": "", "chua qua dao tao": "",
    "so cap": "so-cap", "trung cap": "trung-cap", "cao dang": "cao-dang",
    "dai hoc": "dai-hoc", "cu nhan": "dai-hoc", "ky su": "dai-hoc", "bac si": "dai-hoc",
    "thac si": "thac-si", "tien si": "tien-si", "pho giao su": "tien-si", "giao su": "tien-si",
}  # fmt: skip
THEORY = {
    "": "",
    "khong": "",
    "so cap": "so-cap",
    "trung cap": "trung-cap",
    "cao cap": "cao-cap",
    "cu nhan": "cu-nhan",
    "cu nhan chinh tri": "cu-nhan",
    "cao cap ly luan": "cao-cap",
}
FORCES = {
    "": "",
    "khong": "",
    "quan doi": "quan-doi",
    "cong an": "cong-an",
    "nghi huu": "nghi-huu",
    "huu": "nghi-huu",
}

ERR_NO_HEADER = "Không tìm thấy dòng tiêu đề: cần ít nhất các cột «Họ và tên», «Ngày sinh», «Ngày vào Đảng»."
ERR_MISSING_COLUMN = "Thiếu cột «{label}»."
ERR_UNKNOWN_COLUMN = "Cột «{header}» không nhận ra, đã bỏ qua."
ERR_BAD_DATE = "«{value}» không phải là ngày (dùng dd/mm/yyyy)."
ERR_BAD_VALUE = "«{value}» không hợp lệ; dùng một trong: {allowed}."
ERR_DUP_IN_FILE = "{label} «{value}» trùng với dòng {row}."
ERR_OTHER_ORG = (
    "{label} «{value}» là của «{name}», đang sinh hoạt ở «{org}»; hãy làm thủ tục chuyển sinh hoạt."
)
ERR_NOT_XLSX = "Tệp không đọc được như một bảng Excel .xlsx."
ERR_EMPTY = "Tệp không có dòng dữ liệu nào."
ERR_RACE = "Trong lúc nhập, một đảng viên có cùng số thẻ hoặc số CCCD vừa được ghi ở nơi khác; không có gì được ghi. Hãy kiểm tra lại tệp."

_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass
class Problem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return (
            f"row {self.row}, column {self.column}: {self.reason}"
            if self.row
            else f"{self.column}: {self.reason}"
        )

    @property
    def vi(self) -> str:
        return (
            f"Dòng {self.row}, cột «{self.column}»: {self.reason}"
            if self.row
            else f"«{self.column}»: {self.reason}"
        )


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    rejected_rows: int = 0
    written: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    encodings: dict[str, int] = field(default_factory=dict)
    preview: list[dict] = field(default_factory=list)
    formula_rows: set[int] = field(default_factory=set)  # rows refused for a formula in a column read

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm_header(value) -> str:
    return " ".join(search_key(to_unicode(str(value or ""))).replace("\n", " ").split()).strip(" :*.")


def match_header(value) -> str | None:
    key = _norm_header(value)
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


def parse_date(value) -> dt.date | None:
    """Excel date, serial number or text → date; None for empty; ValueError when unreadable."""
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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_unicode(str(value)).strip()


def _mapped(value: str, table: dict[str, str], allowed: str):
    key = search_key(value)
    if key in table:
        return table[key]
    for k, v in table.items():
        if k and key.startswith(k):
            return v
    raise ValueError(ERR_BAD_VALUE.format(value=value, allowed=allowed))


def _identifier(value, fld: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace(" ", "")
    if fld == "citizen_id" and isinstance(value, int) and len(text) < 12:
        text = text.zfill(12)  # Excel dropped the leading zeros of a number cell
    return text


def _find_header(rows: list[tuple]) -> tuple[int, dict[int, str], list[str]] | None:
    for i, row in enumerate(rows):
        cols: dict[int, str] = {}
        unknown: list[str] = []
        for j, cell in enumerate(row):
            fld = match_header(cell)
            if fld and fld not in cols.values():
                cols[j] = fld
            elif cell not in (None, "") and not fld:
                unknown.append(str(cell))
        if {"full_name", "birth_date", "admitted_on"} <= set(cols.values()):
            return i, cols, unknown
    return None


def read_rows(path_or_file) -> tuple[list[tuple[int, dict]], Report, dict[str, str]]:
    """Parse the sheet: [(spreadsheet row number, {field: raw value})], the report so far, headers by field.
    A file that would inflate past the limits, has more data rows than DANGVU_IMPORT_MAX_ROWS, or has formulas
    in the columns read, is refused (the formulas each with its row and column)."""
    report = Report()
    try:
        wb = xlsx.open_workbook(path_or_file)
    except DomainError as e:
        report.problems.append(Problem(0, "Tệp", e.message))
        return [], report, {}
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a non-xlsx file)
        report.problems.append(Problem(0, "Tệp", ERR_NOT_XLSX))
        return [], report, {}
    try:
        return _read(wb, report)
    except DomainError as e:
        report.problems.append(Problem(0, "Tệp", e.message))
        return [], report, {}
    finally:
        wb.close()


def _read(wb, report: Report) -> tuple[list[tuple[int, dict]], Report, dict[str, str]]:
    it = xlsx.rows(wb.worksheets[0])
    head: list[tuple[int, tuple, dict]] = []
    for _ in range(15):
        try:
            head.append(next(it))
        except StopIteration:
            break
    found = _find_header([values for _, values, _ in head])
    if found is None:
        report.problems.append(Problem(0, "Tiêu đề", ERR_NO_HEADER))
        return [], report, {}
    header_idx, cols, unknown = found
    headers = {fld: str(head[header_idx][1][j]).strip() for j, fld in cols.items()}
    for u in unknown:
        report.warnings.append(Problem(0, u, ERR_UNKNOWN_COLUMN.format(header=u)))
    for fld in REQUIRED:
        if fld not in cols.values():
            report.problems.append(Problem(0, LABELS[fld], ERR_MISSING_COLUMN.format(label=LABELS[fld])))
    out: list[tuple[int, dict]] = []
    limit = xlsx.row_limit()

    def take(rownum: int, row: tuple, formulas: dict) -> None:
        if row is None or (all(c in (None, "") for c in row) and not formulas):
            return
        values = {fld: row[j] if j < len(row) else None for j, fld in cols.items() if fld != "_no"}
        bad = {j: f for j, f in formulas.items() if j in cols and cols[j] != "_no"}
        for j, formula in bad.items():
            report.problems.append(Problem(rownum, headers[cols[j]], xlsx.ERR_FORMULA.format(formula=formula)))
            report.formula_rows.add(rownum)
        if all(v in (None, "") for v in values.values()) and not bad:
            return
        if len(out) >= limit:
            raise xlsx.too_many_rows()
        out.append((rownum, values))

    for rownum, values, formulas in head[header_idx + 1 :]:
        take(rownum, values, formulas)
    for rownum, values, formulas in it:
        take(rownum, values, formulas)
    return out, report, headers


def _convert(rownum: int, raw: dict, headers: dict[str, str], report: Report) -> dict | None:
    """Raw cells → typed values, recording each unreadable cell."""
    data: dict = {}
    bad = False
    for fld, value in raw.items():
        col = headers.get(fld, fld)
        try:
            if fld in DATE_COLUMNS:
                data[fld] = parse_date(value)
            elif fld in UNIQUE_FIELDS:
                data[fld] = _identifier(value, fld)
            elif fld == "sex":
                data[fld] = _mapped(_text(value), SEX, "Nam, Nữ") if _text(value) else ""
            elif fld == "qualification":
                data[fld] = _mapped(
                    _text(value), QUALIFICATION, "sơ cấp, trung cấp, cao đẳng, đại học, thạc sĩ, tiến sĩ"
                )
            elif fld == "political_theory":
                data[fld] = _mapped(_text(value), THEORY, "sơ cấp, trung cấp, cao cấp, cử nhân")
            elif fld == "forces":
                data[fld] = _mapped(_text(value), FORCES, "quân đội, công an, nghỉ hưu")
            else:
                text = _text(value)
                if text and not text.isascii():
                    kind = _encoding_of(str(value), text)
                    report.encodings[kind] = report.encodings.get(kind, 0) + 1
                data[fld] = text
        except ValueError as e:
            msg = str(e) if fld not in DATE_COLUMNS else ERR_BAD_DATE.format(value=value)
            report.problems.append(Problem(rownum, col, msg))
            bad = True
    return None if bad else data


def _encoding_of(raw: str, converted: str) -> str:
    import unicodedata

    if unicodedata.normalize("NFC", raw) == converted:
        return "unicode" if unicodedata.is_normalized("NFC", raw) else "unicode-decomposed"
    from dangvu.core.legacy import decode_tcvn3

    return "tcvn3" if decode_tcvn3(unicodedata.normalize("NFC", raw)) == converted else "vni"


def import_members(
    *, by, org: Organisation, source, dry_run: bool = False, only_valid: bool = False
) -> Report:
    """Check (and unless `dry_run`, write) a register file for `org`. See the module docstring. Writing checks
    the file again with the organisation locked, so two imports into one organisation run one after the other
    (the second finds the first's members and updates them instead of creating them twice)."""
    if dry_run:
        return _import(by=by, org=org, source=source, dry_run=True, only_valid=only_valid)
    with transaction.atomic():
        lock(org)
        try:
            with transaction.atomic():
                return _import(by=by, org=org, source=source, dry_run=False, only_valid=only_valid)
        except IntegrityError:  # a member with one of these identifiers was written elsewhere meanwhile
            raise Conflict(ERR_RACE) from None


def _import(*, by, org: Organisation, source, dry_run: bool, only_valid: bool) -> Report:
    check_may_edit(by, org)
    _check_cell(org, "org")
    rows, report, headers = read_rows(source)
    report.rows = len(rows)
    if any(p.row == 0 for p in report.problems):  # the file itself is unusable: missing columns, not an .xlsx
        return report
    if not rows and not report.problems:
        report.problems.append(Problem(0, "Tệp", ERR_EMPTY))
        return report
    col_of = {fld: headers.get(fld, LABELS.get(fld, fld)) for fld in HEADERS}

    # Existing members for the identifiers in the file: one query per identifier kind and 1,000 values.
    wanted: dict[str, set[str]] = {f: set() for f in UNIQUE_FIELDS}
    for _, raw in rows:
        for f in UNIQUE_FIELDS:
            v = _identifier(raw.get(f), f)
            if v:
                wanted[f].add(v)
    existing: dict[str, dict[str, Member]] = {f: {} for f in UNIQUE_FIELDS}
    for f, values in wanted.items():
        values = list(values)
        for i in range(0, len(values), 1000):
            for m in Member.objects.filter(**{f"{f}__in": values[i : i + 1000]}).select_related("org"):
                existing[f][getattr(m, f)] = m

    seen: dict[str, dict[str, int]] = {f: {} for f in UNIQUE_FIELDS}
    creates: list[tuple[int, dict, dt.date | None]] = []
    updates: list[tuple[int, Member, dict]] = []
    failed_rows: set[int] = set()
    problems_before = len(report.problems)
    for rownum, raw in rows:
        if rownum in report.formula_rows:
            failed_rows.add(rownum)
            continue
        n_before = len(report.problems)
        data = _convert(rownum, raw, headers, report)
        if data is None:
            failed_rows.add(rownum)
            continue
        target: Member | None = None
        for f, label in UNIQUE_FIELDS.items():
            v = data.get(f)
            if not v:
                continue
            if v in seen[f]:
                report.problems.append(
                    Problem(rownum, col_of[f], ERR_DUP_IN_FILE.format(label=label, value=v, row=seen[f][v]))
                )
                continue
            seen[f][v] = rownum
            m = existing[f].get(v)
            if m is not None:
                if target is not None and target.pk != m.pk:
                    report.problems.append(
                        Problem(rownum, col_of[f], ERR_TAKEN.format(label=label, value=v, other=m.full_name))
                    )
                elif m.org_id != org.pk:
                    report.problems.append(
                        Problem(
                            rownum,
                            col_of[f],
                            ERR_OTHER_ORG.format(
                                label=label, value=v, name=m.full_name, org=m.org.name if m.org else "—"
                            ),
                        )
                    )
                else:
                    target = m
        if len(report.problems) > n_before:
            failed_rows.add(rownum)
            continue
        joined_on = data.pop("joined_on", None)
        try:
            if target is not None:
                changes = {k: v for k, v in data.items() if k in raw and v not in ("", None)}
                values = clean_profile(changes, instance=target, partial=True, check_unique=False)
                updates.append((rownum, target, values))
            else:
                for fld in REQUIRED:
                    data.setdefault(fld, None)
                values = clean_profile(data, check_unique=False)
                if joined_on and joined_on > today():
                    raise DomainError(
                        "", errors={"joined_on": f"Ngày không được sau hôm nay ({fmt(today())})."}
                    )
                creates.append((rownum, values, joined_on))
        except DomainError as e:
            for key, msg in e.errors.items():
                report.problems.append(Problem(rownum, col_of.get(key, LABELS.get(key, key)), msg))
            failed_rows.add(rownum)
    report.rejected_rows = len(failed_rows)
    report.created, report.updated = len(creates), len(updates)
    report.preview = [
        {
            "row": r,
            "action": "create",
            **{
                k: v
                for k, v in vals.items()
                if k in ("full_name", "birth_date", "admitted_on", "card_number")
            },
        }
        for r, vals, _ in creates[:50]
    ] + [
        {
            "row": r,
            "action": "update",
            "full_name": m.full_name,
            "card_number": m.card_number,
            "birth_date": m.birth_date,
            "admitted_on": m.admitted_on,
        }
        for r, m, _ in updates[:50]
    ]
    has_errors = len(report.problems) > problems_before or bool(report.problems)
    if dry_run or (has_errors and not only_valid) or not (creates or updates):
        return report
    _write(by, org, creates, updates)
    report.written = True
    return report


def _write(by, org: Organisation, creates, updates) -> None:
    with transaction.atomic():
        bulk_create_members(
            by,
            [
                (Placement(org, joined_on=joined, reason=Reason.IMPORTED), values)
                for _, values, joined in creates
            ],
            action="member.import",
        )
        for _, member, values in updates:
            before = _snapshot(member)
            for k, v in values.items():
                setattr(member, k, v)
            member.save()
            after = _snapshot(member)
            keys = [k for k in after if before.get(k) != after.get(k)]
            if keys:
                audit.record(
                    by=by,
                    action="member.import_update",
                    obj=member,
                    org_path=member.org_path,
                    before={k: before[k] for k in keys},
                    after={k: after[k] for k in keys},
                )


__all__ = ["import_members", "read_rows", "parse_date", "match_header", "Report", "Problem", "Status"]
