"""/api/v1/dues: the dues through the same selectors and services as the pages (any role on the subtree reads;
the secretary, officer and administrator roles record and approve; out of scope is 404; amounts are integers,
VND)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Router, Schema, Status

from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.organizations.selectors import org_get

from . import selectors as sel
from . import services as svc
from .models import Method

router = Router()
MethodIn = Literal[tuple(Method.values)]  # type: ignore[valid-type]


def _month(raw: str) -> dt.date:
    try:
        y, m = (int(x) for x in raw.split("-"))
        if not 1930 <= y <= today().year + 1:
            raise ValueError
        return dt.date(y, m, 1)
    except ValueError as e:
        raise DomainError("Tháng không hợp lệ (yyyy-mm).", field="month") from e


class LineOut(Schema):
    member_id: int
    name: str
    category: str
    base: int
    relief: int
    due: int
    paid: int
    owed: int


class SheetOut(Schema):
    org: str
    month: str
    opened: bool
    locked: bool
    due: int
    paid: int
    owed: int
    lines: list[LineOut]


@router.get("/{code}/months/{month}", response=SheetOut, summary="Sổ thu đảng phí một tháng của chi bộ")
def get_month(request, code: str, month: str):
    org = org_get(request.user, code)
    m = _month(month)
    d = sel.month_sheet(request.user, org, m)
    return {"org": org.code, "month": f"{m:%Y-%m}", "opened": d["opened"], "locked": bool(d["locked"]),
            "due": d["due"], "paid": d["paid"], "owed": d["owed"],
            "lines": [{"member_id": x.member_id, "name": x.member.full_name, "category": x.category, "base": x.base,
                       "relief": x.relief, "due": x.amount, "paid": x.paid, "owed": x.owed} for x in d["lines"]]}  # fmt: skip


class PayIn(Schema):
    member_id: int
    amount: int = Field(description="đồng; âm chỉ khi điều chỉnh tháng đã khóa sổ")
    method: MethodIn = "cash"
    reference: str = Field("", max_length=60)


class PaymentsIn(Schema):
    paid_on: dt.date
    payments: list[PayIn] = Field(min_length=1, max_length=500)
    correction: bool = False
    note: str = Field("", max_length=255)
    batch: str = Field("", max_length=40, description="mã của lần gửi: gửi lại cùng mã không ghi thêm")


class PaymentOut(Schema):
    id: int
    member_id: int
    month: str
    amount: int
    paid_on: dt.date
    method: str
    reference: str
    correction: bool


@router.post("/{code}/months/{month}/payments", response={201: list[PaymentOut]}, summary="Ghi các khoản nộp")
def post_payments(request, code: str, month: str, payload: PaymentsIn):
    org = org_get(request.user, code)
    m = _month(month)
    done = svc.payments_record(by=request.user, org=org, month=m, paid_on=payload.paid_on,
                               pays=[svc.Pay(p.member_id, p.amount, p.method, p.reference) for p in payload.payments],
                               correction=payload.correction, note=payload.note, batch=payload.batch)  # fmt: skip
    return Status(201, [{"id": p.pk, "member_id": p.member_id, "month": f"{p.month:%Y-%m}", "amount": p.amount,
                         "paid_on": p.paid_on, "method": p.method, "reference": p.reference,
                         "correction": p.correction} for p in done])  # fmt: skip


class LedgerMonthOut(Schema):
    month: str
    due: int | None
    paid: int
    owed: int


class LedgerOut(Schema):
    member_id: int
    year: int
    due: int
    paid: int
    owed: int
    unpaid_months: int
    months: list[LedgerMonthOut]


@router.get("/members/{member_id}", response=LedgerOut, summary="Sổ đảng phí của một đảng viên trong năm")
def get_ledger(request, member_id: int, year: int | None = None):
    member = sel.member_get(request.user, member_id)
    year = year or today().year
    if not 1930 <= year <= today().year + 1:
        raise DomainError("Năm không hợp lệ.", field="year")
    d = sel.ledger(member, year)
    return {"member_id": member.pk, "year": year, "due": d["due"], "paid": d["paid"], "owed": d["owed"],
            "unpaid_months": d["unpaid_months"],
            "months": [{"month": f"{x.month:%Y-%m}", "due": x.due, "paid": x.paid, "owed": x.owed} for x in d["months"]]}  # fmt: skip


class BranchOut(Schema):
    code: str
    name: str
    members: int
    due: int
    paid: int
    rate: float | None


class RollupOut(Schema):
    org: str
    start: dt.date
    end: dt.date
    branches: list[BranchOut]
    flagged: int = Field(description="đảng viên chưa nộp từ 3 tháng trở lên trong năm")
    collected: int
    kept_below: int
    retained_here: int
    remitted: int


@router.get("/{code}/rollup", response=RollupOut, summary="Thu, nộp đảng phí theo đơn vị trong một kỳ (period: yyyy-mm hoặc yyyy-Qn)")
def get_rollup(request, code: str, period: str = ""):
    org = org_get(request.user, code)
    a, b, _label = sel.parse_period(period, today())
    rep = sel.report_figures(request.user, org, a, b)
    return {"org": org.code, "start": a, "end": b, "flagged": sel.flags_count(request.user, org, b.year),
            "branches": [{"code": r["org"].code if r["org"] else "", "name": r["org"].name if r["org"] else "",
                          "members": r["members"], "due": r["due"] or 0, "paid": r["paid"] or 0, "rate": r["rate"]}
                         for r in sel.rollup(request.user, org, a, b)],
            "collected": rep["collected"], "kept_below": rep["kept_below"], "retained_here": rep["retained_here"],
            "remitted": rep["remitted"]}  # fmt: skip


class UnpaidOut(Schema):
    member_id: int
    name: str
    org: str
    months: int
    owed: int
    flag: bool


@router.get("/{code}/unpaid", response=list[UnpaidOut], summary="Đảng viên chưa nộp đủ trong năm")
def get_unpaid(request, code: str, year: int | None = None):
    org = org_get(request.user, code)
    year = year or today().year
    if not 1930 <= year <= today().year + 1:
        raise DomainError("Năm không hợp lệ.", field="year")
    return [{"member_id": u["member_id"], "name": u["member__full_name"], "org": u["org__code"], "months": u["months"],
             "owed": u["owed"], "flag": u["flag"]} for u in sel.unpaid(request.user, org, year, limit=1000)]  # fmt: skip


class ReportIn(Schema):
    period: str = Field(pattern=r"^\d{4}-(\d{2}|Q[1-4])$", description="yyyy-mm hoặc yyyy-Qn")


class ReportOut(Schema):
    id: int
    org: str
    start: dt.date
    end: dt.date
    collected: int
    retained_here: int
    remitted: int


@router.post("/{code}/reports", response={201: ReportOut}, summary="Duyệt báo cáo đảng phí, khóa sổ kỳ")
def post_report(request, code: str, payload: ReportIn):
    org = org_get(request.user, code)
    a, b, _label = sel.parse_period(payload.period, today())
    r = svc.report_approve(by=request.user, org=org, start=a, end=b)
    return Status(201, {"id": r.pk, "org": org.code, "start": r.start, "end": r.end, "collected": r.figures["collected"],
                        "retained_here": r.figures["retained_here"], "remitted": r.figures["remitted"]})  # fmt: skip
