"""Writes of the dues: bases (typed or imported from a payroll), reliefs, opening a month's sheet, payments and
corrections, and the report that locks a period. Each checks the role, runs in one transaction, is audited, and
leaves nothing half-written (an import or a batch of payments is all or nothing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from dangvu.core import audit
from dangvu.core.dates import add_months, fmt, today
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.text import clean, search_key
from dangvu.core.tree import SEGMENT_WIDTH, STEP
from dangvu.members.models import IN_REGISTER, Member, Membership, MembershipKind, StatusChange
from dangvu.members.services import ERR_REQUIRED, check_may_edit
from dangvu.organizations.models import Organisation, OrgKind

from . import rules as dr
from .models import Basis, CashEntry, CashKind, Category, Due, Method, Payment, Relief, ReliefReason, Report

ERR_MONTH_AHEAD = "Chỉ nộp trước tối đa 12 tháng (đến tháng {last})."
ERR_LOCKED = ("Tháng {month} đã khóa sổ (báo cáo đảng phí của «{org}» đã duyệt ngày {on}): chỉ ghi được một khoản "
              "điều chỉnh, có lý do.")
ERR_OPEN_LOCKED = "Tháng {month} đã khóa sổ (báo cáo của «{org}» đã duyệt): không lập thêm sổ tháng này."
ERR_TOO_MUCH = "Số tiền quá lớn: một khoản nộp tối đa {n} đồng."
ERR_TWICE = "«{name}» có hai dòng trong cùng một lần ghi."
ERR_BELOW_ZERO = "Điều chỉnh làm số đã nộp tháng {month} của «{name}» nhỏ hơn 0."
ERR_NOT_OPENED = "Tháng {month} chưa lập sổ và đã khóa: không có khoản nào để điều chỉnh."
ERR_NOT_LOCKED = "Tháng {month} chưa khóa sổ: ghi khoản nộp bình thường, không cần điều chỉnh."
ERR_NOTE = "Cần ghi lý do điều chỉnh."
ERR_AMOUNT = "Số tiền phải là số nguyên dương (đồng)."
ERR_NOT_IN_CELL = "«{name}» không sinh hoạt ở «{org}» trong tháng {month}."
ERR_RELIEF_PERCENT = "Mức giảm là 30%, 50%, 70% hoặc 100% (miễn)."
ERR_RELIEF_LONG = "Giảm, miễn vì khó khăn khác tối đa {n} tháng một lần (từ {a} đến hết {b} là {m} tháng)."
ERR_RELIEF_TO = "Giảm, miễn vì khó khăn khác phải ghi đến hết tháng nào."
ERR_RELIEF_ORDER = "«Đến hết tháng» không được trước «từ tháng»."
ERR_DECISION = "Cần ghi số quyết định, nghị quyết giảm, miễn."
ERR_BASE = "Cần ghi tiền lương, trợ cấp hoặc lương hưu (đồng) cho đối tượng này."
ERR_REPORT_TAKEN = "Báo cáo đảng phí của «{org}» từ {a} đã được duyệt: các tháng này đã khóa sổ."
ERR_REPORT_FUTURE = "Chỉ duyệt báo cáo của kỳ đã kết thúc (kỳ này kết thúc ngày {end})."
ERR_NOT_A_CELL = "Sổ thu đảng phí từng tháng là của chi bộ: «{org}» không phải chi bộ."
ERR_REFERENCE_TAKEN = "Mã giao dịch «{ref}» đã được ghi cho một khoản nộp khác."
ERR_DOUBLE = "Các khoản nộp này vừa được ghi (bấm hai lần): không ghi thêm."


def month_of(d: dt.date) -> dt.date:
    return d.replace(day=1)


def month_end(m: dt.date) -> dt.date:
    return add_months(m, 1) - dt.timedelta(days=1)


def label(m: dt.date) -> str:
    return f"{m:%m/%Y}"


# --- locking ---------------------------------------------------------------------------------------------------


def _chain(path: str) -> set[int]:
    """The primary keys of a path's organisations (each segment is a pk in base 36: core.tree)."""
    return {int(path[i:i + SEGMENT_WIDTH], 36) for i in range(0, len(path), STEP)}


def lock_of(org: Organisation, month: dt.date) -> Report | None:
    """The approved report covering `month` at `org` or above it — above it today, or on the month's last day
    (a cell moved since keeps the lock of its old superior): the month is locked for `org`."""
    from dangvu.organizations.selectors import path_on

    ids = _chain(org.path)
    then = path_on(org, month_end(month))
    if then:
        ids |= _chain(then)
    return (Report.objects.filter(organisation_id__in=ids, start__lte=month, end__gte=month)
            .select_related("organisation").first())  # fmt: skip


# --- what each member owes -------------------------------------------------------------------------------------


@dataclass
class Line:
    member_id: int
    org: Organisation
    category: str
    base: int
    relief: int
    exempt_reason: str
    amount: int


def _bases(member_ids, month: dt.date) -> dict[int, Basis]:
    out: dict[int, Basis] = {}
    for b in Basis.objects.filter(member_id__in=member_ids, valid_from__lte=month).order_by("member_id", "valid_from"):
        out[b.member_id] = b  # the latest on or before the month wins
    return out


def _reliefs(member_ids, month: dt.date) -> dict[int, Relief]:
    out: dict[int, Relief] = {}
    for r in Relief.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month), member_id__in=member_ids,
                                   valid_from__lte=month).order_by("member_id", "percent"):  # fmt: skip
        out[r.member_id] = r  # the largest relief in force
    return out


def compute(members: list[tuple[int, dt.date, Organisation]], month: dt.date) -> list[Line]:
    """What each (member id, admission date, cell) owes for `month` by the rules in force that month."""
    p = dr.params(month)
    ids = [m for m, _a, _o in members]
    bases, reliefs = _bases(ids, month), _reliefs(ids, month)
    out = []
    for member_id, admitted_on, org in members:
        b = bases.get(member_id)
        category, base = (b.category, b.amount) if b else (Category.OTHER, 0)
        relief, why = 0, ""
        if dr.exempt_by_age(admitted_on, month, p):
            relief, why = 100, f"Tuổi đảng từ {p['exempt_party_years']} năm"
        elif member_id in reliefs:
            r = reliefs[member_id]
            relief, why = r.percent, f"{r.get_reason_display()} ({r.decision})"
        out.append(Line(member_id, org, category, base, relief, why, dr.amount(category, base, relief, p)))
    return out


def _register(cells_q: Q, month: dt.date) -> list[tuple[int, dt.date, Organisation]]:
    """Members on a cell's official register at some time in the month, each at the cell they belonged to last in
    it, who were not out of the register the whole month."""
    end = month_end(month)
    stays = (Membership.objects.filter(cells_q, kind=MembershipKind.OFFICIAL, valid_from__lte=end)
             .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=month))
             .select_related("organisation", "member").order_by("member_id", "valid_from"))  # fmt: skip
    last: dict[int, Membership] = {}
    for s in stays:
        last[s.member_id] = s
    gone = set(StatusChange.objects.filter(member_id__in=list(last), valid_from__lte=month)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=end)).exclude(status__in=IN_REGISTER)
               .values_list("member_id", flat=True))  # fmt: skip
    return [(m, s.member.admitted_on, s.organisation) for m, s in last.items() if m not in gone]


def month_open(*, by, org: Organisation, month: dt.date) -> int:
    """Write what every member of `org`'s cells owes for `month` (those already written stay). Returns how many
    lines were added. Run by a job for a large subtree."""
    check_may_edit(by, org)
    month = month_of(month)
    if month > add_months(month_of(today()), 12):
        raise DomainError(ERR_MONTH_AHEAD.format(last=label(add_months(month_of(today()), 12))), field="month")
    locked = lock_of(org, month)
    if locked:
        raise Conflict(ERR_OPEN_LOCKED.format(month=label(month), org=locked.organisation.name))
    cells = Q(organisation__path__startswith=org.path, organisation__type__kind=OrgKind.CELL)
    members = _register(cells, month)
    taken = set(Due.objects.filter(month=month, member_id__in=[m for m, _a, _o in members])
                .values_list("member_id", flat=True))  # fmt: skip
    todo = [x for x in members if x[0] not in taken]
    version = dr.version(month)
    rows = [Due(member_id=x.member_id, month=month, org=x.org, org_path=x.org.path, category=x.category, base=x.base,
                amount=x.amount, relief=x.relief, exempt_reason=x.exempt_reason[:80], rule_from=version)
            for x in compute(todo, month)]  # fmt: skip
    with transaction.atomic():
        Due.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        audit.record(by=by, action="dues.month_open", obj=org, org_path=org.path,
                     after={"month": month.isoformat(), "lines": len(rows)})  # fmt: skip
    return len(rows)


def _refresh(member: Member, since: dt.date) -> int:
    """Recompute the member's unlocked lines from `since` on (after a basis or a relief changed)."""
    changed = 0
    for d in Due.objects.filter(member=member, month__gte=month_of(since)).select_related("org"):
        if lock_of(d.org, d.month):
            continue
        x = compute([(member.pk, member.admitted_on, d.org)], d.month)[0]
        if (d.category, d.base, d.relief, d.amount) != (x.category, x.base, x.relief, x.amount):
            d.category, d.base, d.relief, d.amount = x.category, x.base, x.relief, x.amount
            d.exempt_reason, d.rule_from = x.exempt_reason[:80], dr.version(d.month)
            d.save(update_fields=["category", "base", "relief", "amount", "exempt_reason", "rule_from"])
            changed += 1
    return changed


# --- bases and reliefs -----------------------------------------------------------------------------------------


def _check_basis(category: str, amount: int | None, field_prefix: str = "") -> int:
    if category not in Category.values:
        raise DomainError("Đối tượng không hợp lệ.", field=f"{field_prefix}category")
    p_cats = {"insured", "benefit", "pension"}
    if category in p_cats and not amount:
        raise DomainError(ERR_BASE, field=f"{field_prefix}amount")
    if amount is not None and (not isinstance(amount, int) or amount < 0 or amount > MAX_BASE):
        raise DomainError(ERR_AMOUNT if not isinstance(amount, int) or amount < 0 else "Số tiền quá lớn.",
                          field=f"{field_prefix}amount")  # fmt: skip
    return amount or 0


def basis_set(*, by, member: Member, valid_from: dt.date, category: str, amount: int | None) -> Basis:
    check_may_edit(by, member.org)
    if valid_from is None:
        raise DomainError(ERR_REQUIRED, field="valid_from")
    amount = _check_basis(category, amount)
    month = month_of(valid_from)
    with transaction.atomic():
        b, _ = Basis.objects.update_or_create(member=member, valid_from=month, defaults={
            "category": category, "amount": amount, "recorded_by": by if by.is_authenticated else None})  # fmt: skip
        n = _refresh(member, month)
        audit.record(by=by, action="dues.basis", obj=member, org_path=member.org_path,
                     after={"from": month.isoformat(), "category": category, "amount": amount, "lines": n})  # fmt: skip
    return b


def relief_add(*, by, member: Member, reason: str, percent: int, valid_from: dt.date, valid_to: dt.date | None,
               decision: str, decided_by: str = "") -> Relief:  # fmt: skip
    check_may_edit(by, member.org)
    p = dr.params(month_of(valid_from or today()))
    if reason not in ReliefReason.values:
        raise DomainError("Lý do không hợp lệ.", field="reason")
    if percent not in p["relief_percents"]:
        raise DomainError(ERR_RELIEF_PERCENT, field="percent")
    if valid_from is None:
        raise DomainError(ERR_REQUIRED, field="valid_from")
    if not clean(decision):
        raise DomainError(ERR_DECISION, field="decision")
    a = month_of(valid_from)
    b = month_of(valid_to) if valid_to else None
    if b and b < a:
        raise DomainError(ERR_RELIEF_ORDER, field="valid_to")
    if reason == ReliefReason.HARDSHIP:
        if b is None:
            raise DomainError(ERR_RELIEF_TO, field="valid_to")
        months = (b.year - a.year) * 12 + b.month - a.month + 1
        if months > p["relief_max_months"]:
            raise DomainError(ERR_RELIEF_LONG.format(n=p["relief_max_months"], a=label(a), b=label(b), m=months),
                              field="valid_to")  # fmt: skip
    with transaction.atomic():
        r = Relief.objects.create(member=member, reason=reason, percent=percent, valid_from=a,
                                  valid_to=month_end(b) if b else None, decision=clean(decision)[:80],
                                  decided_by=clean(decided_by)[:120], recorded_by=by if by.is_authenticated else None)  # fmt: skip
        n = _refresh(member, a)
        audit.record(by=by, action="dues.relief", obj=member, org_path=member.org_path,
                     after={"reason": reason, "percent": percent, "from": a.isoformat(),
                            "to": b.isoformat() if b else None, "decision": r.decision, "lines": n})  # fmt: skip
    return r


# --- payments --------------------------------------------------------------------------------------------------


@dataclass
class Pay:
    member_id: int
    amount: int
    method: str = Method.CASH
    reference: str = ""


def _check_cell(org: Organisation) -> None:
    if org.type.kind != OrgKind.CELL:
        raise DomainError(ERR_NOT_A_CELL.format(org=org.name), field="org")


MAX_PAYMENT = 100_000_000  # one payment; a year of the highest salaries' dues is far below


def payments_record(*, by, org: Organisation, month: dt.date, paid_on: dt.date, pays: list[Pay],
                    correction: bool = False, note: str = "", batch: str = "") -> list[Payment]:  # fmt: skip
    """A cell's payments for a month, all or nothing: each member must owe there that month (the month's sheet is
    opened if it was not). A locked month takes only a correction, with its reason; `batch` (the form's token)
    makes a second click of the same form a Conflict instead of a second payment."""
    check_may_edit(by, org)
    _check_cell(org)
    month = month_of(month)
    if month > add_months(month_of(today()), 12):
        raise DomainError(ERR_MONTH_AHEAD.format(last=label(add_months(month_of(today()), 12))), field="month")
    if paid_on is None:
        raise DomainError(ERR_REQUIRED, field="paid_on")
    if paid_on > today():
        raise DomainError(f"Ngày nộp không được sau hôm nay ({fmt(today())}).", field="paid_on")
    locked = lock_of(org, month)
    if locked and not correction:
        raise Conflict(ERR_LOCKED.format(month=label(month), org=locked.organisation.name,
                                         on=fmt(locked.approved_at.date())))  # fmt: skip
    if correction and not locked:
        raise DomainError(ERR_NOT_LOCKED.format(month=label(month)), field="correction")
    if correction and not clean(note):
        raise DomainError(ERR_NOTE, field="note")
    errors = {}
    seen = set()
    for p in pays:
        if p.member_id in seen:
            m = Member.objects.filter(pk=p.member_id).first()
            errors[f"amount_{p.member_id}"] = ERR_TWICE.format(name=m.full_name if m else p.member_id)
        seen.add(p.member_id)
        if not isinstance(p.amount, int) or p.amount == 0 or (p.amount < 0 and not correction):
            errors[f"amount_{p.member_id}"] = ERR_AMOUNT
        elif abs(p.amount) > MAX_PAYMENT:
            errors[f"amount_{p.member_id}"] = ERR_TOO_MUCH.format(n=f"{MAX_PAYMENT:,}".replace(",", "."))
        if p.method not in Method.values:
            errors[f"method_{p.member_id}"] = "Hình thức nộp không hợp lệ."
        if p.method == Method.PORTAL and not clean(p.reference):
            errors[f"reference_{p.member_id}"] = "Nộp qua Cổng Dịch vụ công: cần ghi mã giao dịch."
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    if not pays:
        raise DomainError("Chưa chọn đảng viên nào nộp.", field="pays")
    if not Due.objects.filter(month=month, org=org).exists():
        if locked:
            raise DomainError(ERR_NOT_OPENED.format(month=label(month)), field="month")
        month_open(by=by, org=org, month=month)
    dues = {d.member_id: d for d in Due.objects.filter(month=month, org=org, member_id__in=[p.member_id for p in pays])}
    for p in pays:
        if p.member_id not in dues:
            m = Member.objects.filter(pk=p.member_id).first()
            raise DomainError(ERR_NOT_IN_CELL.format(name=m.full_name if m else p.member_id, org=org.name,
                                                     month=label(month)), field=f"amount_{p.member_id}")  # fmt: skip
    rows = [Payment(member_id=p.member_id, month=month, org_path=org.path, amount=p.amount, paid_on=paid_on,
                    method=p.method, reference=clean(p.reference)[:60], correction=correction,
                    note=clean(note)[:255], batch=batch[:40],
                    recorded_by=by if by.is_authenticated else None) for p in pays]  # fmt: skip
    try:
        with transaction.atomic():
            from dangvu.core.locking import lock

            # the organisations above the cell, locked: a report approved meanwhile waits for this, or this for it
            lock(*Organisation.objects.filter(pk__in=_chain(org.path)).order_by("pk"))
            if batch and Payment.objects.filter(batch=batch[:40]).exists():
                raise Conflict(ERR_DOUBLE)
            now_locked = lock_of(org, month)
            if bool(now_locked) != bool(locked):
                raise Conflict(ERR_LOCKED.format(month=label(month), org=now_locked.organisation.name,
                                                 on=fmt(now_locked.approved_at.date())) if now_locked
                               else ERR_NOT_LOCKED.format(month=label(month)))  # fmt: skip
            lock(*dues.values())
            for p in pays:
                d = Due.objects.get(pk=dues[p.member_id].pk)
                if d.paid + p.amount < 0:
                    raise DomainError(ERR_BELOW_ZERO.format(month=label(month), name=d.member.full_name),
                                      field=f"amount_{p.member_id}")  # fmt: skip
            out = Payment.objects.bulk_create(rows)
            for p in pays:
                Due.objects.filter(pk=dues[p.member_id].pk).update(paid=F("paid") + p.amount)
            audit.record(by=by, action="dues.correction" if correction else "dues.payments", obj=org,
                         org_path=org.path, after={"month": month.isoformat(), "paid_on": paid_on.isoformat(),
                                                   "payments": [[p.member_id, p.amount, p.method] for p in pays],
                                                   "note": clean(note)})  # fmt: skip
    except IntegrityError as e:
        if batch and Payment.objects.filter(batch=batch[:40]).exists():
            raise Conflict(ERR_DOUBLE) from e
        ref = next((p.reference for p in pays if p.reference), "")
        raise DomainError(ERR_REFERENCE_TAKEN.format(ref=ref), field="reference") from e
    return out


# --- the report upward -----------------------------------------------------------------------------------------


def report_approve(*, by, org: Organisation, start: dt.date, end: dt.date) -> Report:
    """Freeze the report of a month or a quarter and lock its months for every cell below."""
    from . import selectors as sel

    check_may_edit(by, org)
    if end >= today():
        raise DomainError(ERR_REPORT_FUTURE.format(end=fmt(end)), field="period")
    taken = Report.objects.filter(organisation=org, start=start).first()
    if taken:
        raise Conflict(ERR_REPORT_TAKEN.format(org=org.name, a=fmt(start)))
    try:
        with transaction.atomic():
            from dangvu.core.locking import lock

            lock(org)  # payments below take this lock too: none lands between the figures and the lock
            if Report.objects.filter(organisation=org, start=start).exists():
                raise Conflict(ERR_REPORT_TAKEN.format(org=org.name, a=fmt(start)))
            figures = sel.report_figures(by, org, start, end)
            r = Report.objects.create(organisation=org, start=start, end=end, figures=figures,
                                      approved_by=by if by.is_authenticated else None)  # fmt: skip
            audit.record(by=by, action="dues.report", obj=org, org_path=org.path,
                         after={"start": start.isoformat(), "end": end.isoformat(), "collected": figures["collected"],
                                "retained": figures["retained_here"], "remitted": figures["remitted"]})  # fmt: skip
    except IntegrityError as e:
        raise Conflict(ERR_REPORT_TAKEN.format(org=org.name, a=fmt(start))) from e
    return r


# --- bases from a payroll --------------------------------------------------------------------------------------

HEADERS = {
    "card": ("so the", "so the dang vien", "the dang vien"),
    "citizen": ("so cccd", "cccd", "can cuoc", "so dinh danh"),
    "name": ("ho va ten", "ho ten"),
    "category": ("doi tuong",),
    "amount": ("luong dong bhxh", "tien luong", "so tien", "muc luong", "luong huu", "tro cap", "can cu"),
}
# the most specific first: "lương hưu" is a pension, "trợ cấp ốm đau … BHXH" a benefit, before "lương"/"BHXH"
CATEGORY_WORDS = [("huu", Category.PENSION), ("pension", Category.PENSION), ("om dau", Category.BENEFIT),
                  ("thai san", Category.BENEFIT), ("tro cap", Category.BENEFIT), ("benefit", Category.BENEFIT),
                  ("hoc sinh", Category.STUDENT), ("sinh vien", Category.STUDENT), ("student", Category.STUDENT),
                  ("khac", Category.OTHER), ("other", Category.OTHER), ("bhxh", Category.INSURED),
                  ("luong", Category.INSURED), ("insured", Category.INSURED)]  # fmt: skip
MAX_BASE = 10_000_000_000  # ten billion đồng a month: anything above is a typing error


@dataclass
class ImportResult:
    rows: int
    errors: list[tuple[int, str, str]]  # (row, column, reason)
    written: int = 0


def _header(values) -> dict[str, int] | None:
    """Each column by the most specific heading found: «Lương đóng BHXH» wins over «Mức lương» wherever they stand."""
    cols: dict[str, tuple[int, int]] = {}  # name → (rank of the word that matched, column)
    for i, v in enumerate(values):
        key = search_key(str(v or ""))
        for name, words in HEADERS.items():
            rank = next((r for r, w in enumerate(words) if key == w or key.startswith(w)), None)
            if rank is not None and (name not in cols or rank < cols[name][0]):
                cols[name] = (rank, i)
    found = {name: i for name, (_r, i) in cols.items()}
    return found if "amount" in found and ("card" in found or "citizen" in found) else None


def _amount(raw) -> int | None:
    """An amount in đồng: a whole number (a spreadsheet's 8500000 or 8500000.0), or text written the Vietnamese
    way (8.500.000) or plainly; None when it is not a whole number of đồng."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if text.isdigit():
        return int(text)
    import re

    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text) and len(set(re.findall(r"[.,]", text))) == 1:
        return int(re.sub(r"[.,]", "", text))  # thousands separated by dots (or commas), never decimals
    return None


def _category(text: str) -> str | None:
    key = search_key(text or "")
    if not key:
        return None
    if key in Category.values:
        return key
    return next((c for w, c in CATEGORY_WORDS if w in key), None)


def bases_import(*, by, org: Organisation, source, month: dt.date, name: str = "") -> ImportResult:
    """Bases from a payroll sheet (the reader the member import uses: .xlsx, .xls, .csv): one row per member
    found by card number or citizen ID within `org`'s subtree, the category (default: insured) and the amount.
    Every problem is reported by row and column; nothing is written unless every row is right."""
    from dangvu.core import sheets

    check_may_edit(by, org)
    if month is None:
        raise DomainError(ERR_REQUIRED, field="month")
    month = month_of(month)
    header, cols, rows = None, None, []
    for sheet in sheets.read(source, name=name):
        for rownum, values, formulas in sheet.rows:
            if cols is None:
                cols = _header(values)
                header = rownum if cols else None
                continue
            if any(v not in (None, "") for v in values) or formulas:
                rows.append((rownum, values, formulas))
        if cols:
            break
    if not cols:
        raise DomainError("Không thấy dòng tiêu đề có cột «Số thẻ đảng viên» hoặc «Số CCCD» và cột tiền lương.",
                          field="file")  # fmt: skip
    del header
    members = Member.objects.filter(org_path__startswith=org.path)
    fields = ("pk", "card_number", "citizen_id", "org_path", "org_id", "admitted_on")
    by_card = {m.card_number: m for m in members.exclude(card_number__isnull=True).only(*fields)}
    by_cid = {m.citizen_id: m for m in members.exclude(citizen_id__isnull=True).only(*fields)}
    errors, todo, seen = [], [], set()

    def cell(values, key):
        i = cols.get(key)
        return values[i] if i is not None and i < len(values) else None

    from dangvu.core import xlsx

    for rownum, values, formulas in rows:
        if formulas:
            errors.append((rownum, "Công thức", xlsx.ERR_FORMULA.format(formula=next(iter(formulas.values())))))
            continue
        card, cid = str(cell(values, "card") or "").strip(), str(cell(values, "citizen") or "").strip()
        m = by_card.get(card) if card else None
        m = m or (by_cid.get(cid) if cid else None)
        if m is None:
            errors.append((rownum, "Số thẻ / CCCD", f"không có đảng viên «{card or cid}» trong {org.name}"))
            continue
        if m.pk in seen:
            errors.append((rownum, "Số thẻ / CCCD", "đảng viên này đã có ở một dòng trên"))
            continue
        seen.add(m.pk)
        category = _category(str(cell(values, "category") or "")) if "category" in cols else Category.INSURED
        if category is None:
            errors.append((rownum, "Đối tượng", f"không rõ «{cell(values, 'category')}»"))
            continue
        raw = cell(values, "amount")
        amount = _amount(raw) if raw not in (None, "") else 0
        if amount is None:
            errors.append((rownum, "Tiền lương", f"«{raw}» không phải số tiền (đồng, số nguyên)"))
            continue
        if amount > MAX_BASE:
            errors.append((rownum, "Tiền lương", f"«{raw}» quá lớn"))
            continue
        if amount < 0 or (category in ("insured", "benefit", "pension") and amount == 0):
            errors.append((rownum, "Tiền lương", ERR_BASE))
            continue
        todo.append((m, category, amount))
    result = ImportResult(len(rows), errors)
    if errors or not todo:
        return result
    with transaction.atomic():
        for m, category, amount in todo:
            Basis.objects.update_or_create(member=m, valid_from=month, defaults={
                "category": category, "amount": amount, "source": "import",
                "recorded_by": by if by.is_authenticated else None})  # fmt: skip
        for m, _c, _a in todo:  # the unlocked months already opened, computed again from the new basis
            _refresh(m, month)
        audit.record(by=by, action="dues.bases_import", obj=org, org_path=org.path,
                     after={"month": month.isoformat(), "rows": len(todo)})  # fmt: skip
    result.written = len(todo)
    return result



# --- the committee's income and spending (S01-TCĐ) ---------------------------------------------------------------

ERR_CASH_NOT_COMMITTEE = "Sổ thu, chi (S01-TCĐ) là của đảng bộ: «{org}» là chi bộ."


def cash_add(*, by, org: Organisation, on: dt.date, kind: str, amount: int, note: str) -> CashEntry:
    """Record an income (other than the dues kept, which come from the dues themselves) or a spending."""
    check_may_edit(by, org)
    if org.type.kind != OrgKind.COMMITTEE:
        raise DomainError(ERR_CASH_NOT_COMMITTEE.format(org=org.name), field="org")
    if on is None:
        raise DomainError(ERR_REQUIRED, field="on")
    if on > today():
        raise DomainError(f"Ngày không được sau hôm nay ({fmt(today())}).", field="on")
    if kind not in CashKind.values:
        raise DomainError("Khoản thu, chi không hợp lệ.", field="kind")
    if not isinstance(amount, int) or amount <= 0:
        raise DomainError(ERR_AMOUNT, field="amount")
    if amount > MAX_BASE:
        raise DomainError("Số tiền quá lớn.", field="amount")
    if not clean(note):
        raise DomainError(ERR_REQUIRED, field="note")
    with transaction.atomic():
        e = CashEntry.objects.create(organisation=org, on=on, kind=kind, amount=amount, note=clean(note)[:255],
                                     recorded_by=by if by.is_authenticated else None)  # fmt: skip
        audit.record(by=by, action="dues.cash", obj=org, org_path=org.path,
                     after={"on": on.isoformat(), "kind": kind, "amount": amount, "note": e.note})  # fmt: skip
    return e
