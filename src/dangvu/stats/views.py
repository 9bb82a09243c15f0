"""Pages of the statistics: a subtree's figures on a date with their charts, the form sent upward (a job), frozen
cut-offs compared with the previous one, and committee members' presence at the grassroots. Thin: parse, call a
selector or a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import charts, replica, xlsx
from dangvu.core.dates import fmt, today
from dangvu.core.errors import DomainError
from dangvu.core.forms import add_errors
from dangvu.jobs import views as jobs
from dangvu.members.models import Seat
from dangvu.members.selectors import member_choices
from dangvu.members.services import check_may_edit
from dangvu.organizations.models import Organisation, OrgKind
from dangvu.organizations.pages import flash_errors, guard, scope_org
from dangvu.organizations.selectors import org_ancestors, org_get

from . import exporter, grassroots, services
from . import selectors as sel
from .forms import FieldDayForm, FieldReportForm, QueryForm, SnapshotForm


def _query(request) -> tuple[QueryForm, dt.date, dt.date]:
    form = QueryForm(request.GET or None)
    on, date_from = today(), None
    if form.is_bound and form.is_valid():
        on = min(form.cleaned_data["on"] or today(), today())
        date_from = form.cleaned_data["date_from"]
        if on < services.EARLIEST:
            form.add_error("on", services.ERR_TOO_EARLY)
            on = today()
    date_from = date_from if date_from and date_from <= on else dt.date(on.year, 1, 1)
    return form, on, date_from


def figure_charts(f: sel.Figures, *, link=None) -> list[charts.Chart]:
    """The statistics page's charts: members per branch, the main breakdowns, levels stacked per branch."""
    out = []
    if len(f.branches) > 1:
        out.append(charts.bars("Đảng viên theo đơn vị trực thuộc",
                               [(b.name, b.total, link(b.code) if link else "") for b in f.branches],
                               head=("Đơn vị", "Đảng viên")))  # fmt: skip
    for key in ("status", "sex", "age", "party_age"):
        d = f.dimension(key)
        out.append(charts.bars(d.title, [(r.label, r.n) for r in d.rows], head=(d.title, "Đảng viên")))
    if len(f.branches) > 1:
        for key in ("theory", "qualification"):
            d = f.dimension(key)
            out.append(charts.stacked(f"{d.title} theo đơn vị", [r.label for r in d.rows],
                                      [(b.name, [b.counts.get(f"{key}:{r.key}", 0) for r in d.rows],
                                        link(b.code) if link else "") for b in f.branches]))  # fmt: skip
    return out


def branch_rows(f: sel.Figures) -> list[tuple]:
    """Each branch with its counts by status and sex (the columns of the page's branch table)."""
    keys = [f"{d.key}:{r.key}" for d in f.dimensions[:2] for r in d.rows]
    return [(b, [b.counts.get(k, 0) for k in keys]) for b in f.branches]


@replica.reads_view
@login_required
def index(request):
    org = scope_org(request)
    form, on, date_from = _query(request)
    f = sel.figures(request.user, org, on, date_from, on)
    link = lambda code: f"?org={code}&on={fmt(on)}&date_from={fmt(date_from)}"  # noqa: E731
    trend = charts.columns("Kết nạp đảng viên theo tháng (24 tháng)", sel.monthly_admissions(request.user, org, on),
                           head="Kết nạp")  # fmt: skip
    frozen = list(sel.snapshots(request.user, org)[:10])
    history = charts.columns("Tổng số đảng viên tại các ngày chốt số liệu",
                             [(fmt(s.on), s.data["total"]) for s in reversed(frozen)], head="Đảng viên") if frozen else None  # fmt: skip
    return render(request, "stats/index.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "f": f, "form": form, "on": on,
        "date_from": date_from, "charts": figure_charts(f, link=link), "trend": trend, "history": history,
        "may_edit": covers(request.user, org.path, roles=EDIT_ROLES), "is_today": on == today(),
        "member_list_on": "" if on == today() else fmt(on), "branch_rows": branch_rows(f), "link_members": True,
    })  # fmt: skip


@login_required
@require_POST
def export(request):
    """The form sent upward, as a background job (a province's figures take a while)."""
    org = scope_org(request)
    _form, on, date_from = _query(request)
    return jobs.start(request, kind="stats.export", params={"org": org.code, "on": on.isoformat(),
                                                          "date_from": date_from.isoformat()},
                      label=f"Thống kê đảng viên — {org.name} — {fmt(on)}", org_path=org.path)  # fmt: skip


@login_required
def snapshots(request, code):
    org = org_get(request.user, code)
    may_edit = covers(request.user, org.path, roles=EDIT_ROLES)
    form = SnapshotForm(request.POST or None, initial={"on": _last_cutoff(today())})
    if request.method == "POST":
        guard(check_may_edit, request.user, org)
        if form.is_valid():
            try:
                s = services.snapshot_take(by=request.user, org=org, on=form.cleaned_data["on"],
                                           date_from=form.cleaned_data["date_from"], note=form.cleaned_data["note"])  # fmt: skip
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã chốt số liệu ngày {fmt(s.on)}: {s.data['total']} đảng viên.")
                return redirect("stats:snapshot", pk=s.pk)
    return render(request, "stats/snapshots.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "snapshots": sel.snapshots(request.user, org),
        "form": form, "may_edit": may_edit,
    })  # fmt: skip


def _last_cutoff(d: dt.date) -> dt.date:
    """The latest reporting cut-off (30/6 or 31/12) on or before `d`."""
    mid = dt.date(d.year, 6, 30)
    return mid if d >= mid and d < dt.date(d.year, 12, 31) else (dt.date(d.year, 12, 31) if d >= dt.date(d.year, 12, 31)
                                                                  else dt.date(d.year - 1, 12, 31))


@login_required
def snapshot(request, pk):
    s = sel.snapshot_get(request.user, pk)
    org = s.organisation
    f = sel.restore(org, s.data)
    prev = sel.previous_snapshot(s)
    before = sel.restore(org, prev.data) if prev else None
    if request.GET.get("format") == "xlsx":
        label = f"chốt ngày {fmt(prev.on)}" if prev else "không có"
        return xlsx.response(exporter.statistics_xlsx(f, before, label), f"thong-ke-{org.code}-{s.on:%Y%m%d}.xlsx")
    changes = [c for c in sel.compare(f, before) if c.delta] if before else []
    return render(request, "stats/snapshot.html", {
        "s": s, "org": org, "ancestors": org_ancestors(request.user, org), "f": f, "prev": prev,
        "changes": changes, "charts": figure_charts(f), "branch_rows": branch_rows(f),
    })  # fmt: skip


# --- committee members at the grassroots -----------------------------------------------------------------


def _committee(user, code) -> Organisation:
    org = org_get(user, code)
    if org.type.kind != OrgKind.COMMITTEE:
        from django.http import Http404

        raise Http404("not a committee")
    return org


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        return today().year
    return year if 1930 <= year <= today().year + 1 else today().year


@login_required
def grassroots_page(request, code):
    org = _committee(request.user, code)
    year = _year(request)
    data = grassroots.attendance(org, year, today())
    may_edit = covers(request.user, org.path, roles=EDIT_ROLES)
    form = None
    if may_edit:
        seated = Seat.objects.filter(organisation=org, valid_to__isnull=True).values_list("member_id", flat=True)
        orgs = Organisation.objects.filter(path__startswith=org.path, closed_on__isnull=True).exclude(pk=org.pk)
        form = FieldDayForm(request.POST or None, members=member_choices(list(seated)),
                            orgs=[(o.pk, o.name) for o in orgs.order_by("sort_key")[:2000]])  # fmt: skip
        if request.method == "POST" and form.is_valid():
            c = form.cleaned_data
            try:
                from dangvu.members.models import Member

                services.field_day_plan(by=request.user, committee=org, member=Member.objects.get(pk=c["member"]),
                                        organisation=orgs.get(pk=c["organisation"]), planned_on=c["planned_on"],
                                        purpose=c["purpose"])  # fmt: skip
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Đã đăng ký kế hoạch xuống cơ sở; chờ Ban Thường vụ duyệt.")
                return redirect(f"{request.path}?year={year}")
    elif request.method == "POST":
        guard(check_may_edit, request.user, org)
    attended = charts.bars("Số lần dự sinh hoạt chi bộ khu dân cư trong năm",
                           [(x.member.full_name, x.attended) for x in data["lines"]], head=("Cấp ủy viên", "Số lần"))  # fmt: skip
    return render(request, "stats/grassroots.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "year": year, **data, "form": form,
        "may_edit": may_edit, "days": grassroots.field_days(org, year), "chart": attended,
        "report_form": FieldReportForm(initial={"done_on": today()}),
    })  # fmt: skip


@login_required
@require_POST
def field_day_action(request, pk, action):
    if action not in ("approve", "cancel", "report"):
        from django.http import Http404

        raise Http404(action)
    fd = grassroots.field_day_get(request.user, pk)
    guard(check_may_edit, request.user, fd.committee)
    back = f"{redirect('stats:grassroots', code=fd.committee.code).url}?year={fd.planned_on.year}"
    try:
        if action == "approve":
            services.field_day_approve(by=request.user, fd=fd)
            messages.success(request, "Đã duyệt kế hoạch.")
        elif action == "cancel":
            services.field_day_cancel(by=request.user, fd=fd)
            messages.success(request, "Đã hủy kế hoạch.")
        else:
            form = FieldReportForm(request.POST)
            if not form.is_valid():
                errs = {k: f"{form.fields[k].label if k in form.fields else ''}: {v[0]}" for k, v in form.errors.items()}
                flash_errors(request, DomainError("", errors=errs))
                return redirect(back)
            c = form.cleaned_data
            services.field_day_report(by=request.user, fd=fd, done_on=c["done_on"], days=c["days"], report=c["report"])
            messages.success(request, "Đã ghi kết quả chuyến công tác.")
    except DomainError as e:
        flash_errors(request, e)
    return redirect(back)
