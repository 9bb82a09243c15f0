"""Reconciling an organisation's register with another register file (the national member database's export,
a cell's own Excel): who is in both, who only in the file, who only in Dangvu, and field by field what differs.
Nothing is written by the comparison; the user may then apply chosen differences through `member_update`
(audited, all or nothing).

Matching, in this order: the Party card number, the citizen ID, then the name with the birth date (names
compared without diacritics or case). The file is read by the importer's reader (any layout it reads).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from dangvu.core.errors import DomainError
from dangvu.core.text import search_key
from dangvu.organizations.models import Organisation

from . import importer, register_reader
from . import selectors as sel
from .models import Member

# the fields compared, with their labels, in the order shown
FIELDS = {
    "full_name": "Họ và tên",
    "sex": "Giới tính",
    "birth_date": "Ngày sinh",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "home_town": "Quê quán",
    "admitted_on": "Ngày vào Đảng",
    "official_on": "Ngày chính thức",
    "card_number": "Số thẻ",
    "citizen_id": "Số CCCD",
    "general_education": "Giáo dục phổ thông",
    "qualification": "Trình độ chuyên môn",
    "political_theory": "Lý luận chính trị",
    "occupation": "Nghề nghiệp",
}
MATCHED_BY = {"card_number": "số thẻ", "citizen_id": "số CCCD", "name": "họ tên và ngày sinh"}
ERR_NOTHING_CHOSEN = "Chưa chọn khác biệt nào để cập nhật."
ERR_STALE = "Dữ liệu đã thay đổi từ lúc so sánh; hãy so sánh lại."


@dataclass
class Difference:
    field: str
    label: str
    ours: object
    theirs: object

    @property
    def ours_text(self) -> str:
        return _display(self.field, self.ours)

    @property
    def theirs_text(self) -> str:
        return _display(self.field, self.theirs)


@dataclass
class Pair:
    member: Member
    row: int
    matched_by: str
    differences: list[Difference] = field(default_factory=list)


@dataclass
class Comparison:
    on: dt.date
    pairs: list[Pair] = field(default_factory=list)
    only_in_file: list[tuple[int, dict]] = field(default_factory=list)
    only_in_dangvu: list[Member] = field(default_factory=list)
    unreadable: list[importer.Problem] = field(default_factory=list)
    report: importer.Report | None = None

    @property
    def differing(self) -> list[Pair]:
        return [p for p in self.pairs if p.differences]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "matched": len(self.pairs),
            "differing": len(self.differing),
            "differences": sum(len(p.differences) for p in self.pairs),
            "only_in_file": len(self.only_in_file),
            "only_in_dangvu": len(self.only_in_dangvu),
            "unreadable": len(self.unreadable),
        }


def _value(member: Member, fld: str):
    return getattr(member, fld) or ("" if fld not in ("birth_date", "admitted_on", "official_on") else None)


def _display(fld: str, value) -> str:
    from dangvu.core.dates import fmt

    if value in (None, ""):
        return "—"
    if isinstance(value, dt.date):
        return fmt(value)
    choices = {f.name: dict(f.choices) for f in Member._meta.fields if f.choices}
    return str(choices.get(fld, {}).get(value, value))


def compare(*, by, org: Organisation, source, on: dt.date | None = None, sheet: str = "",
            encodings: dict[str, str] | None = None) -> Comparison:  # fmt: skip
    """Compare the file with `org`'s register (its subtree) on `on`. Reads only."""
    from dangvu.core.dates import today

    on = on or today()
    rows, report, headers = importer.read_rows(source, sheet=sheet, encodings=encodings)
    cmp = Comparison(on=on, report=report)
    if any(p.row == 0 for p in report.problems):
        return cmp
    ours = list(sel.register_on(by, org, on))
    by_card = {m.card_number: m for m in ours if m.card_number}
    by_cid = {m.citizen_id: m for m in ours if m.citizen_id}
    by_name: dict[tuple[str, dt.date | None], list[Member]] = {}
    for m in ours:
        by_name.setdefault((search_key(m.full_name), m.birth_date), []).append(m)
    seen: set[int] = set()
    for rownum, raw in rows:
        if rownum in report.formula_rows:
            continue
        n = len(report.problems)
        data = importer.convert_row(rownum, raw, headers, report)
        if data is None:
            cmp.unreadable += report.problems[n:]
            continue
        m, how = None, ""
        if data.get("card_number") and data["card_number"] in by_card:
            m, how = by_card[data["card_number"]], "card_number"
        elif data.get("citizen_id") and data["citizen_id"] in by_cid:
            m, how = by_cid[data["citizen_id"]], "citizen_id"
        else:
            same = by_name.get((search_key(data.get("full_name", "")), data.get("birth_date")), [])
            if len(same) == 1:
                m, how = same[0], "name"
        if m is None or m.pk in seen:
            cmp.only_in_file.append((rownum, data))
            continue
        seen.add(m.pk)
        pair = Pair(m, rownum, MATCHED_BY[how])
        for fld, label in FIELDS.items():
            if fld not in data or data[fld] in ("", None):
                continue  # the file says nothing of it
            if data[fld] != _value(m, fld):
                pair.differences.append(Difference(fld, label, _value(m, fld), data[fld]))
        cmp.pairs.append(pair)
    cmp.only_in_dangvu = [m for m in ours if m.pk not in seen]
    return cmp


def apply(*, by, org: Organisation, comparison: Comparison, chosen: set[tuple[int, str]]) -> int:
    """Write the chosen differences ((member id, field) pairs) to Dangvu through member_update, all in one
    transaction: one refused change and nothing is written. The number of members changed."""
    if not chosen:
        raise DomainError(ERR_NOTHING_CHOSEN, field="chosen")
    changes: dict[int, dict] = {}
    members = {}
    for pair in comparison.pairs:
        for d in pair.differences:
            if (pair.member.pk, d.field) in chosen:
                changes.setdefault(pair.member.pk, {})[d.field] = d.theirs
                members[pair.member.pk] = pair.member
    if not changes:
        raise DomainError(ERR_NOTHING_CHOSEN, field="chosen")
    from .services import member_update

    with transaction.atomic():
        for pk, data in changes.items():
            m = Member.objects.get(pk=pk)
            try:
                member_update(by=by, member=m, data=data)
            except DomainError as e:
                raise DomainError(f"«{m.full_name}»: {e.message}", errors={f"{pk}": e.message}) from None
    return len(changes)


def display(fld: str, value) -> str:
    return _display(fld, value)


__all__ = ["compare", "apply", "Comparison", "FIELDS", "register_reader"]
