"""Importing a member register from a spreadsheet, whatever its shape.

- Reading (register_reader): .xlsx, .xls or .csv; title blocks, one- or two-row headers, the column-number row,
  totals and signature blocks skipped and reported; Mẫu 7-HSĐV's combined cells; TCVN3/VNI decided per column.
- A row whose card number or citizen ID is already in the registry updates that member (when they belong to
  the organisation being imported); a row without either updates the organisation's only member of that name
  (and birth date, when given); otherwise a new member is created.
- Every problem is reported as (row, column, reason) with the spreadsheet's own row number. Nothing is written
  unless the whole file is valid, or, with `only_valid`, the valid rows are written and the rejects listed.
- Writes are set-based (bulk inserts in batches, a handful of queries per thousand rows).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from dangvu.core import audit, legacy, xlsx
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.locking import lock
from dangvu.core.text import search_key
from dangvu.organizations.models import Organisation

from . import register_reader
from .models import Member, Reason, Status
from .services import (
    ERR_TAKEN,
    IN_REGISTER,
    UNIQUE_FIELDS,
    Placement,
    _check_cell,
    _snapshot,
    bulk_create_members,
    check_may_edit,
    clean_profile,
)

REQUIRED = ("full_name", "sex", "birth_date", "admitted_on")  # for a new member
DATE_COLUMNS = ("birth_date", "admitted_on", "official_on", "joined_on")
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

ERR_MISSING_COLUMN = "Thiếu cột «{label}»."
ERR_ONLY_UPDATES = "Thiếu cột «{label}»: chỉ cập nhật được đảng viên đã có."
ERR_NEW_NEEDS = "Đảng viên mới cần «{label}» (tệp không có cột này)."
SOURCES = {"sex": ("sex", "sex_ethnicity_religion", "birth_date_male", "birth_date_female"),
           "birth_date": ("birth_date", "birth_date_male", "birth_date_female")}  # fmt: skip


def missing_for_new(found: set[str]) -> list[str]:
    """Fields a new member needs that no column of the file gives."""
    return [fld for fld, sources in SOURCES.items() if not found & set(sources)]
ERR_BAD_DATE = "«{value}» không phải là ngày (dùng dd/mm/yyyy)."
ERR_BAD_VALUE = "«{value}» không hợp lệ; dùng một trong: {allowed}."
ERR_DUP_IN_FILE = "{label} «{value}» trùng với dòng {row}."
ERR_OTHER_ORG = (
    "{label} «{value}» là của «{name}», đang sinh hoạt ở «{org}»; hãy làm thủ tục chuyển sinh hoạt."
)
STAGED_KIND = "members.import"  # an uploaded register waiting for its confirmation (core.staging)
ERR_NOT_XLSX = "Tệp không đọc được như một bảng tính (.xlsx, .xls hoặc .csv)."
ERR_EMPTY = "Tệp không có dòng dữ liệu nào."
ERR_RACE = "Trong lúc nhập, một đảng viên có cùng số thẻ hoặc số CCCD vừa được ghi ở nơi khác; không có gì được ghi. Hãy kiểm tra lại tệp."

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
    unchanged: int = 0  # rows that match a member and change nothing
    rejected_rows: int = 0
    written: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    encodings: dict[str, int] = field(default_factory=dict)  # cells converted from each legacy encoding
    preview: list[dict] = field(default_factory=list)
    formula_rows: set[int] = field(default_factory=set)  # rows refused for a formula in a column read
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)  # sheets that hold a register (the user picks among several)
    columns: dict[str, legacy.Column] = field(default_factory=dict)  # each text column's encoding and samples
    headers: dict[str, str] = field(default_factory=dict)
    skipped: list = field(default_factory=list)  # rows that are not members (register_reader.Skipped)

    @property
    def skipped_summary(self) -> list[tuple[str, list[int]]]:
        out: dict[str, list[int]] = {}
        for s in self.skipped:
            out.setdefault(s.reason, []).append(s.row)
        return sorted(out.items())

    problems_total: int | None = None  # when `problems` was cut short on its way through a job's result

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        return self.problems_total if self.problems_total is not None else len(self.problems)

    # A report travels from the job that made it to the page that shows it as JSON (Job.result): what the page
    # shows, the problems cut to the first KEPT_PROBLEMS (the page lists 500; the count stays exact).
    KEPT_PROBLEMS = 1000

    def to_dict(self) -> dict:
        def day(v):
            return v.isoformat() if isinstance(v, dt.date) else v

        return {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "rejected_rows": self.rejected_rows, "written": self.written,
            "problems": [[p.row, p.column, p.reason] for p in self.problems[: self.KEPT_PROBLEMS]],
            "problems_total": self.problem_count,
            "warnings": [[p.row, p.column, p.reason] for p in self.warnings[: self.KEPT_PROBLEMS]],
            "encodings": self.encodings, "preview": [{k: day(v) for k, v in r.items()} for r in self.preview],
            "sheet": self.sheet, "sheets": self.sheets, "headers": self.headers,
            "columns": {f: [c.encoding, c.cells, c.overrides, [list(x) for x in c.samples]]
                        for f, c in self.columns.items()},
            "skipped": [[s.row, s.reason] for s in self.skipped],
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict) -> Report:
        def day(k, v):
            return dt.date.fromisoformat(v) if k in ("birth_date", "admitted_on") and v else v

        return cls(
            rows=d["rows"], created=d["created"], updated=d["updated"], unchanged=d["unchanged"],
            rejected_rows=d["rejected_rows"], written=d["written"],
            problems=[Problem(*p) for p in d["problems"]], problems_total=d["problems_total"],
            warnings=[Problem(*p) for p in d["warnings"]], encodings=d["encodings"],
            preview=[{k: day(k, v) for k, v in r.items()} for r in d["preview"]],
            sheet=d["sheet"], sheets=d["sheets"], headers=d["headers"],
            columns={f: legacy.Column(e, n, o, [tuple(x) for x in samples])
                     for f, (e, n, o, samples) in d["columns"].items()},
            skipped=[register_reader.Skipped(*s) for s in d["skipped"]],
        )  # fmt: skip


def _text(value) -> str:
    """A cell as text (already Unicode: the reader converted each column)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


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


def read_rows(source, *, sheet: str = "", encodings: dict[str, str] | None = None):
    """Read the register: [(spreadsheet row number, {field: value})], the report so far, headers by field."""
    report = Report()
    try:
        reg = register_reader.read(source, sheet=sheet, encodings=encodings)
    except DomainError as e:
        if "sheet" in e.errors:
            report.sheets = [s for s in _sheet_names(source)]
        report.problems.append(Problem(0, "Trang tính" if "sheet" in e.errors else "Tệp", e.message))
        return [], report, {}
    report.sheet, report.sheets, report.columns, report.skipped = reg.sheet, reg.sheets, reg.encodings, reg.skipped
    report.headers = reg.headers
    for u in reg.unknown:
        report.warnings.append(Problem(0, u, register_reader.ERR_UNKNOWN_COLUMN.format(header=u)))
    found = set(reg.columns.values())
    for fld, alts in (("full_name", ()), ("admitted_on", ("party_dates",))):
        if fld not in found and not found & set(alts):
            label = register_reader.LABELS[fld]
            report.problems.append(Problem(0, label, ERR_MISSING_COLUMN.format(label=label)))
    for fld in missing_for_new(found):
        label = register_reader.LABELS[fld]
        report.warnings.append(Problem(0, label, ERR_ONLY_UPDATES.format(label=label)))
    for rownum, fld, formula in reg.formulas:
        report.problems.append(Problem(rownum, fld, xlsx.ERR_FORMULA.format(formula=formula)))
        report.formula_rows.add(rownum)
    for col in reg.encodings.values():
        if col.encoding != legacy.UNICODE:
            report.encodings[col.encoding] = report.encodings.get(col.encoding, 0) + col.cells
    return reg.rows, report, reg.headers


def _sheet_names(source) -> list[str]:
    """Every sheet that holds a register (to let the user choose)."""
    try:
        from dangvu.core import sheets

        book = sheets.read(source)
    except DomainError:
        return []
    return [sh.name for sh in book if register_reader.find_header([v for _, v, _ in sh.rows[:40]])]


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
                data[fld] = _text(value)
        except ValueError as e:
            msg = str(e) if fld not in DATE_COLUMNS else ERR_BAD_DATE.format(value=value)
            report.problems.append(Problem(rownum, col, msg))
            bad = True
    return None if bad else data


def import_members(
    *, by, org: Organisation, source, dry_run: bool = False, only_valid: bool = False, sheet: str = "",
    encodings: dict[str, str] | None = None, progress=None,
) -> Report:
    """Check (and unless `dry_run`, write) a register file for `org`. See the module docstring. Writing checks
    the file again with the organisation locked, so two imports into one organisation run one after the other
    (the second finds the first's members and updates them instead of creating them twice)."""
    opts = {"sheet": sheet, "encodings": encodings, "progress": progress or (lambda *a, **k: None)}
    if dry_run:
        return _import(by=by, org=org, source=source, dry_run=True, only_valid=only_valid, **opts)
    with transaction.atomic():
        lock(org)
        try:
            with transaction.atomic():
                return _import(by=by, org=org, source=source, dry_run=False, only_valid=only_valid, **opts)
        except IntegrityError:  # a member with one of these identifiers was written elsewhere meanwhile
            raise Conflict(ERR_RACE) from None


# the combined columns of Mẫu 7-HSĐV a field may come from, to name the column in a problem
COMBINED = {"card_number": "numbers", "cv_number": "numbers", "badge_number": "numbers",
            "admitted_on": "party_dates", "official_on": "party_dates", "sex": "sex_ethnicity_religion",
            "ethnicity": "sex_ethnicity_religion", "religion": "sex_ethnicity_religion",
            "general_education": "levels", "political_theory": "levels", "qualification": "levels",
            "specialty": "levels", "foreign_language": "levels", "occupation": "occupations",
            "occupation_before": "occupations", "birth_name": "full_name"}  # fmt: skip


def _column_names(headers: dict[str, str]) -> dict[str, str]:
    out = {}
    for fld in register_reader.HEADERS:
        out[fld] = headers.get(fld) or headers.get(COMBINED.get(fld, ""), "") or LABELS.get(fld, fld)
    if "birth_date" not in headers:
        out["birth_date"] = headers.get("birth_date_male") or headers.get("birth_date_female") or out["birth_date"]
    return out


def _by_name(org: Organisation) -> dict[str, list[Member]]:
    """The organisation's current members by name (search key), to match rows that carry no identifier."""
    out: dict[str, list[Member]] = {}
    for m in Member.objects.filter(org=org, status__in=IN_REGISTER).only("pk", "full_name", "birth_date", "org_id", "card_number",
                                                 "citizen_id"):  # fmt: skip
        out.setdefault(search_key(m.full_name), []).append(m)
    return out


def _import(*, by, org: Organisation, source, dry_run: bool, only_valid: bool, sheet: str = "",
            encodings: dict[str, str] | None = None, progress) -> Report:  # fmt: skip
    check_may_edit(by, org)
    _check_cell(org, "org")
    progress(0, phase="Đọc tệp")
    rows, report, headers = read_rows(source, sheet=sheet, encodings=encodings)
    report.rows = len(rows)
    progress(0, len(rows), phase="Kiểm tra từng dòng")
    if any(p.row == 0 for p in report.problems):  # the file itself is unusable: missing columns, not an .xlsx
        return report
    if not rows and not report.problems:
        report.problems.append(Problem(0, "Tệp", ERR_EMPTY))
        return report
    col_of = _column_names(headers)
    by_name = _by_name(org)
    columns_found = {f for f in register_reader.HEADERS if f in headers}

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
    for i, (rownum, raw) in enumerate(rows):
        if i % 500 == 0:
            progress(i)
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
        if target is None and not any(data.get(f) for f in UNIQUE_FIELDS) and data.get("full_name"):
            same = [m for m in by_name.get(search_key(data["full_name"]), [])
                    if not data.get("birth_date") or m.birth_date == data["birth_date"]]  # fmt: skip
            if len(same) == 1:
                target = same[0]
        if len(report.problems) > n_before:
            failed_rows.add(rownum)
            continue
        joined_on = data.pop("joined_on", None)
        try:
            if target is not None:
                changes = {k: v for k, v in data.items() if k in raw and v not in ("", None)}
                values = clean_profile(changes, instance=target, partial=True, check_unique=False)
                if any(getattr(target, k) != v for k, v in values.items()):
                    updates.append((rownum, target, values))
                else:
                    report.unchanged += 1
            else:
                absent = missing_for_new(columns_found)
                if absent:
                    raise DomainError("", errors={f: ERR_NEW_NEEDS.format(label=LABELS[f]) for f in absent})
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
    progress(len(rows))
    if dry_run or (has_errors and not only_valid) or not (creates or updates):
        return report
    progress(len(rows), phase="Ghi vào danh sách")
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


convert_row = _convert
parse_date = register_reader.parse_date
match_header = register_reader.match_header
LABELS = register_reader.LABELS

__all__ = ["import_members", "read_rows", "parse_date", "match_header", "Report", "Problem", "Status"]
