"""Pages of the dues: a subtree's collection (rates per branch, who has not paid, the report upward), a cell's
month (collect, record, correct), a member's ledger (bases, reliefs), a payroll import and the books. Thin: parse,
call a selector or a service, render."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import charts, replica, xlsx
from dangvu.core.dates import add_months, parse, today
from dangvu.core.errors import DomainError
from dangvu.core.forms import add_errors
from dangvu.jobs import views as jobs
from dangvu.members.services import check_may_edit
from dangvu.organizations.models import OrgKind
from dangvu.organizations.pages import flash_errors, guard, scope_org
from dangvu.organizations.selectors import org_ancestors, org_get

from . import exporter, services
from . import rules as dr
from . import selectors as sel
from .forms import BasisForm, CashForm, ImportForm, ReliefForm
from .models import Method


def vnd(n: int) -> str:
    """1234567 → "1.234.567"."""
    return f"{n:,}".replace(",", ".")


def _period(request):
    return sel.parse_period(request.GET.get("period") or request.POST.get("period", ""), today())


@replica.reads_view
@login_required
def index(request):
    org = scope_org(request)
    a, b, label = _period(request)
    if org.type.kind == OrgKind.CELL:
        return redirect("dues:sheet", code=org.code, month=f"{a:%Y-%m}")
    rows = sel.rollup(request.user, org, a, b)
    year = b.year
    figure = charts.bars(f"Tỷ lệ thu đảng phí theo đơn vị — {label} (%)",
                         [(r["org"].name if r["org"] else "", r["rate"],
                           f"?org={r['org'].code}&period={sel.period_key(a, b)}" if r["org"] and r["org"].pk != org.pk
                           else "") for r in rows], unit="%", max_value=100, head=("Đơn vị", "Đã thu"))  # fmt: skip
    return render(request, "dues/index.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "a": a, "b": b, "label": label,
        "key": sel.period_key(a, b), "prev": sel.period_key(add_months(a, -1), add_months(a, -1)),
        "next": sel.period_key(add_months(a, 1), add_months(a, 1)), "quarter": f"{a.year}-Q{(a.month - 1) // 3 + 1}",
        "rows": rows, "chart": figure if len(rows) > 1 else None, "due": sum(r["due"] or 0 for r in rows),
        "paid": sum(r["paid"] or 0 for r in rows), "unpaid": sel.unpaid(request.user, org, year, limit=50),
        "flags": sel.flags_count(request.user, org, year), "year": year, "report": sel.report_figures(request.user, org, a, b),
        "reports": sel.reports(request.user, org)[:12], "may_edit": covers(request.user, org.path, roles=EDIT_ROLES),
        "approved": sel.reports(request.user, org).filter(start=a).first(), "ended": b < today(),
        "uncertain": dr.params(b).get("uncertain", []),
    })  # fmt: skip


@login_required
@require_POST
def open_month(request):
    org = scope_org(request)
    guard(check_may_edit, request.user, org)
    a, _b, _label = _period(request)
    return jobs.start(request, kind="dues.open", params={"org": org.code, "month": a.isoformat()},
                      label=f"Lập sổ đảng phí tháng {a:%m/%Y} — {org.name}", org_path=org.path)  # fmt: skip


@login_required
@require_POST
def report(request, code):
    org = org_get(request.user, code)
    guard(check_may_edit, request.user, org)
    a, b, label = _period(request)
    try:
        r = services.report_approve(by=request.user, org=org, start=a, end=b)
    except DomainError as e:
        flash_errors(request, e)
    else:
        messages.success(request, f"Đã duyệt báo cáo đảng phí {label.lower()}: nộp cấp trên {vnd(r.figures['remitted'])} "
                                  "đồng; các tháng của kỳ đã khóa sổ.")  # fmt: skip
    return redirect(f"/dues/?org={org.code}&period={sel.period_key(a, b)}")


def _month(raw: str) -> dt.date:
    try:
        y, m = (int(x) for x in raw.split("-"))
        return dt.date(y, m, 1)
    except ValueError as e:
        raise Http404("month") from e


def _int(raw: str) -> int | None:
    try:
        return int(str(raw).replace(".", "").replace(",", "").replace(" ", ""))
    except ValueError:
        return None


@login_required
def sheet(request, code, month):
    org = org_get(request.user, code)
    if org.type.kind != OrgKind.CELL:
        return redirect(f"/dues/?org={org.code}&period={month}")
    m = _month(month)
    if not 1930 <= m.year <= today().year + 1:
        raise Http404("month")
    may_edit = covers(request.user, org.path, roles=EDIT_ROLES)
    errors, posted = {}, {}
    if request.method == "POST":
        guard(check_may_edit, request.user, org)
        if request.POST.get("action") == "open":
            try:
                n = services.month_open(by=request.user, org=org, month=m)
                messages.success(request, f"Đã lập sổ tháng {m:%m/%Y}: {n} đảng viên.")
            except DomainError as e:
                flash_errors(request, e)
            return redirect(request.path)
        posted = request.POST
        pays = []
        for key in request.POST:
            if key.startswith("pay_"):
                member_id = _int(key[4:])
                amount = _int(request.POST.get(f"amount_{member_id}", ""))
                if member_id is None:
                    continue
                if amount is None:
                    errors[f"amount_{member_id}"] = services.ERR_AMOUNT
                    continue
                pays.append(services.Pay(member_id, amount, request.POST.get(f"method_{member_id}", Method.CASH),
                                         request.POST.get(f"reference_{member_id}", "")))  # fmt: skip
        try:
            paid_on = parse(request.POST.get("paid_on", ""))
        except ValueError:
            errors["paid_on"] = "Ngày nộp không hợp lệ (dd/mm/yyyy)."
            paid_on = None
        if not errors:
            try:
                done = services.payments_record(by=request.user, org=org, month=m, paid_on=paid_on, pays=pays,
                                                correction=bool(request.POST.get("correction")),
                                                note=request.POST.get("note", ""), batch=request.POST.get("batch", ""))  # fmt: skip
            except DomainError as e:
                errors = e.errors
            else:
                total = sum(p.amount for p in done)
                messages.success(request, f"Đã ghi {len(done)} khoản nộp, {vnd(total)} đồng.")
                return redirect(request.path)
    data = sel.month_sheet(request.user, org, m)
    return render(request, "dues/sheet.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "month": m, **data, "may_edit": may_edit,
        "errors": errors, "posted": posted, "batch": uuid.uuid4().hex, "today": today(), "methods": Method.choices,
        "prev": f"{add_months(m, -1):%Y-%m}", "next": f"{add_months(m, 1):%Y-%m}",
        "unpaid": sel.unpaid(request.user, org, m.year, limit=None),
    }, status=400 if errors else 200)  # fmt: skip


@login_required
def ledger(request, pk):
    member = sel.member_get(request.user, pk)
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        year = today().year
    year = year if 1930 <= year <= today().year + 1 else today().year
    may_edit = covers(request.user, member.org_path, roles=EDIT_ROLES)
    basis_form = BasisForm(request.POST if request.POST.get("action") == "basis" else None,
                           initial={"valid_from": today().replace(day=1)}, prefix="b")  # fmt: skip
    relief_form = ReliefForm(request.POST if request.POST.get("action") == "relief" else None, prefix="r")
    if request.method == "POST":
        guard(check_may_edit, request.user, member.org)
        form = basis_form if request.POST.get("action") == "basis" else relief_form
        if form.is_valid():
            c = form.cleaned_data
            try:
                if form is basis_form:
                    services.basis_set(by=request.user, member=member, valid_from=c["valid_from"],
                                       category=c["category"], amount=c["amount"])  # fmt: skip
                    messages.success(request, "Đã ghi căn cứ đóng đảng phí; các tháng chưa khóa sổ đã tính lại.")
                else:
                    services.relief_add(by=request.user, member=member, reason=c["reason"], percent=c["percent"],
                                        valid_from=c["valid_from"], valid_to=c["valid_to"], decision=c["decision"],
                                        decided_by=c["decided_by"])  # fmt: skip
                    messages.success(request, "Đã ghi quyết định giảm, miễn đảng phí.")
            except DomainError as e:
                add_errors(form, e)
            else:
                return redirect(f"{request.path}?year={year}")
    return render(request, "dues/ledger.html", {
        "member": member, "year": year, **sel.ledger(member, year), "may_edit": may_edit,
        "basis_form": basis_form, "relief_form": relief_form,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
def bases_import(request, code):
    org = org_get(request.user, code)
    guard(check_may_edit, request.user, org)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"month": today().replace(day=1)})
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.bases_import(by=request.user, org=org, source=form.cleaned_data["file"],
                                           month=form.cleaned_data["month"], name=form.cleaned_data["file"].name)  # fmt: skip
        except DomainError as e:
            add_errors(form, e)
        else:
            if result.written:
                messages.success(request, f"Đã ghi căn cứ đóng đảng phí của {result.written} đảng viên.")
                return redirect(f"/dues/?org={org.code}")
    return render(request, "dues/import.html", {"org": org, "ancestors": org_ancestors(request.user, org),
                                                "form": form, "result": result},
                  status=400 if result and result.errors else 200)  # fmt: skip


@login_required
def books(request, code):
    org = org_get(request.user, code)
    a, b, _label = _period(request)
    if org.type.kind == OrgKind.CELL:
        return xlsx.response(exporter.cell_book(org, b.year), f"so-thu-dang-phi-{org.code}-{b.year}.xlsx")
    return xlsx.response(exporter.summary_book(request.user, org, a, b),
                         f"s02-dp-{org.code}-{sel.period_key(a, b)}.xlsx")  # fmt: skip




@login_required
def cash(request, code):
    """The committee's income and spending (S01-TCĐ) for a period: the book, its entries, a new entry, Excel."""
    org = org_get(request.user, code)
    if org.type.kind != OrgKind.COMMITTEE:
        raise Http404("not a committee")
    a, b, label = _period(request)
    if request.GET.get("format") == "xlsx":
        return xlsx.response(exporter.cash_book_xlsx(request.user, org, a, b),
                             f"s01-tcd-{org.code}-{sel.period_key(a, b)}.xlsx")  # fmt: skip
    may_edit = covers(request.user, org.path, roles=EDIT_ROLES)
    form = CashForm(request.POST or None, initial={"on": today()})
    if request.method == "POST":
        guard(check_may_edit, request.user, org)
        if form.is_valid():
            try:
                services.cash_add(by=request.user, org=org, **form.cleaned_data)
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Đã ghi vào sổ thu, chi.")
                return redirect(f"{request.path}?period={sel.period_key(a, b)}")
    return render(request, "dues/cash.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "a": a, "b": b, "label": label,
        "key": sel.period_key(a, b), "book": sel.cash_book(request.user, org, a, b), "form": form, "may_edit": may_edit,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip
