"""A cell's list of sympathisers from Excel (the committees' own sheets): the header row found by its column
names (any order, without diacritics), every row checked by the same rules as the form (`services.clean_case`),
every problem listed with its row and column; written all or nothing, each case through `services.case_create`
(audited). Formulas are refused, never evaluated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from dangvu.core import xlsx
from dangvu.core.dates import parse
from dangvu.core.errors import DomainError
from dangvu.core.text import search_key

from . import services as svc
from .models import Proposer

STAGED_KIND = "admission.import"
MAX_ROWS = 5000
HEADERS = {
    "ho va ten": "full_name", "ho ten": "full_name", "gioi tinh": "sex", "ngay sinh": "birth_date",
    "dan toc": "ethnicity", "ton giao": "religion", "que quan": "home_town", "noi o hien nay": "residence",
    "noi o": "residence", "so cccd": "citizen_id", "cccd": "citizen_id", "so can cuoc cong dan": "citizen_id",
    "dien thoai": "phone", "giao duc pho thong": "general_education", "trinh do hoc van": "general_education",
    "hoc van": "general_education", "nghe nghiep": "occupation", "doan the gioi thieu": "proposed_by",
    "to chuc gioi thieu": "proposed_by", "gioi thieu": "proposed_by", "ngay dua vao danh sach": "proposed_on",
    "ngay vao danh sach": "proposed_on", "ngay cap giay chung nhan": "course_on",
    "ngay hoc lop nhan thuc ve dang": "course_on", "so giay chung nhan": "course_number",
}  # fmt: skip
LABELS = {"full_name": "Họ và tên", "sex": "Giới tính", "birth_date": "Ngày sinh", "ethnicity": "Dân tộc",
          "religion": "Tôn giáo", "home_town": "Quê quán", "residence": "Nơi ở hiện nay", "citizen_id": "Số CCCD",
          "phone": "Điện thoại", "general_education": "Giáo dục phổ thông", "occupation": "Nghề nghiệp",
          "proposed_by": "Đoàn thể giới thiệu", "proposed_on": "Ngày đưa vào danh sách",
          "course_on": "Ngày cấp giấy chứng nhận", "course_number": "Số giấy chứng nhận"}  # fmt: skip
DATES = ("birth_date", "proposed_on", "course_on")
PROPOSERS = {search_key(label): value for value, label in Proposer.choices} | {
    "doan": Proposer.YOUTH, "doan tncs ho chi minh": Proposer.YOUTH, "hoi phu nu": Proposer.WOMEN,
    "hoi nong dan": Proposer.FARMERS, "hoi cuu chien binh": Proposer.VETERANS, "mat tran": Proposer.FRONT,
}  # fmt: skip
ERR_NO_HEADER = "Không tìm thấy dòng tiêu đề có cột «Họ và tên» trong 10 dòng đầu."
ERR_EMPTY = "Tệp không có dòng dữ liệu nào."
ERR_DATE = "«{value}» không phải ngày (dd/mm/yyyy)."
ERR_SEX = "Ghi «Nam» hoặc «Nữ»."
ERR_PROPOSER = "«{value}» không phải đoàn thể, tổ chức giới thiệu (Đoàn Thanh niên, Công đoàn, Hội Phụ nữ…)."
ERR_TWICE = "Số CCCD {value} đã có ở dòng {row}."


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _date(v):
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return parse(_cell(v))


MAX_COLUMNS = 40  # a cell's list has about fifteen; nothing to the right of this is read
MAX_BLANK_ROWS = 200  # after this many empty rows the list has ended (a stray cell far below is not a reason to read on)
ERR_NOT_XLSX = "Tệp không đọc được như một bảng tính Excel (.xlsx)."


def read(source) -> tuple[list[tuple[int, dict]], Report]:
    from zipfile import BadZipFile

    report = Report()
    try:
        ws = xlsx.open_workbook(source).worksheets[0]
    except (BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError):
        raise DomainError(ERR_NOT_XLSX, field="file") from None
    columns: dict[int, str] = {}
    out = []
    blank = 0
    for n, values, formulas in xlsx.rows(ws, max_col=MAX_COLUMNS):
        if not columns:
            found = {j: HEADERS[search_key(_cell(v))] for j, v in enumerate(values) if search_key(_cell(v)) in HEADERS}
            if "full_name" in found.values():
                columns = found
            elif n >= 10:
                raise DomainError(ERR_NO_HEADER, field="file")
            continue
        if not any(_cell(values[j]) for j in columns if j < len(values)) and not formulas:
            blank += 1
            if blank >= MAX_BLANK_ROWS:
                break
            continue
        blank = 0
        if len(out) >= MAX_ROWS:
            raise DomainError(xlsx.ERR_TOO_MANY_ROWS.format(limit=MAX_ROWS), field="file")
        for j, text in formulas.items():
            if j in columns:
                report.problems.append((n, LABELS[columns[j]], xlsx.ERR_FORMULA.format(formula=text)))
        out.append((n, {f: values[j] if j < len(values) else None for j, f in columns.items()}))
    if not columns:
        raise DomainError(ERR_NO_HEADER, field="file")
    if not out:
        raise DomainError(ERR_EMPTY, field="file")
    report.rows = len(out)
    return out, report


def _convert(n: int, raw: dict, report: Report) -> dict | None:
    data, bad = {}, False
    for f, v in raw.items():
        if f in DATES:
            if _cell(v) == "":
                data[f] = None
                continue
            try:
                data[f] = _date(v)
            except ValueError:
                report.problems.append((n, LABELS[f], ERR_DATE.format(value=_cell(v))))
                bad = True
        elif f == "sex":
            key = search_key(_cell(v))
            data[f] = {"nam": "nam", "nu": "nu"}.get(key, "")
            if not data[f]:
                report.problems.append((n, LABELS[f], ERR_SEX))
                bad = True
        elif f == "proposed_by":
            key = search_key(_cell(v))
            data[f] = PROPOSERS.get(key) or next((p for k, p in PROPOSERS.items() if k and key.startswith(k)), "")
            if not data[f]:
                report.problems.append((n, LABELS[f], ERR_PROPOSER.format(value=_cell(v))))
                bad = True
        else:
            data[f] = _cell(v)
    return None if bad else data


def import_cases(*, by, org, source, dry_run: bool = False) -> Report:
    svc.check_may_edit(by, org)
    svc.check_cell(org)
    rows, report = read(source)
    checked: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for n, raw in rows:
        data = _convert(n, raw, report)
        if data is None:
            continue
        cid = (data.get("citizen_id") or "").replace(" ", "")
        if cid and cid in seen:
            report.problems.append((n, LABELS["citizen_id"], ERR_TWICE.format(value=cid, row=seen[cid])))
            continue
        if cid:
            seen[cid] = n
        try:
            svc.clean_case(data)
        except DomainError as e:
            for key, msg in (e.errors or {"__all__": e.message}).items():
                report.problems.append((n, LABELS.get(key, key), msg))
            continue
        checked.append((n, data))
    report.preview = [{"row": n, **{k: d.get(k) for k in ("full_name", "birth_date", "proposed_by")}}
                      for n, d in checked[:50]]  # fmt: skip
    if dry_run or not report.ok:
        report.created = len(checked) if report.ok else 0
        return report
    with transaction.atomic():  # all or nothing
        for _, data in checked:
            svc.case_create(by=by, org=org, data=data)
    report.created = len(checked)
    return report
