"""Pages of the member registry. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangvu.accounts.models import DECISION_ROLES, EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import audit, legacy, replica, staging, xlsx
from dangvu.core.dates import fmt, today
from dangvu.core.errors import DomainError
from dangvu.core.forms import add_errors
from dangvu.core.models import StagedFile
from dangvu.jobs import selectors as jobs_sel
from dangvu.jobs import views as jobs
from dangvu.organizations.models import Organisation
from dangvu.organizations.pages import flash_errors, guard
from dangvu.organizations.selectors import org_ancestors, org_get, user_roots
from dangvu.organizations.services import Forbidden

from . import exporter, importer
from . import jobs as member_jobs
from . import reconcile as reconcile_mod
from . import selectors as sel
from . import services as svc
from .forms import (
    EVENT_FORMS,
    ArrivalForm,
    EntryForm,
    ImportForm,
    MemberForm,
    MonitorForm,
    ReceiveForm,
    SeatForm,
    TermForm,
    filters_from,
)
from .models import Seat, SeatRole, Status, TransferKind


def _require_edit(user, org) -> None:
    """In scope but without an editing role: a clear refusal (403) instead of a form that cannot be saved."""
    try:
        svc.check_may_edit(user, org)
    except Forbidden as e:
        raise PermissionDenied(e.message) from None


def _default_org(request) -> Organisation | None:
    code = request.GET.get("org")
    if code:
        return org_get(request.user, code)
    roots = user_roots(request.user)
    return roots[0].org if len(roots) == 1 else None


def _filters(request, org):
    return filters_from(request.GET)


@replica.reads_view  # dashboards and lists may read from a replica
@login_required
def member_list(request):
    org = _default_org(request)
    form, f = _filters(request, org)
    qs = sel.member_list(request.user, org=org, f=f)
    paginator = Paginator(qs, 50)
    defaults = sel.Filters()
    active = sum(1 for k in ("status", "sex", "ethnicity", "age", "qualification", "theory", "party_age", "as_of")
                 if getattr(f, k) != getattr(defaults, k))  # fmt: skip
    ctx = {"org": org, "form": form, "filters": f, "today": today(), "active_filters": active}
    if org is not None:
        ctx["ancestors"] = org_ancestors(request.user, org)
        ctx["counts"] = sel.counts_by_status(request.user, org)
        ctx["total"] = sum(n for s, n in ctx["counts"].items() if s in svc.IN_REGISTER)
        if f == sel.Filters():  # the unfiltered register: its size is the total just counted
            paginator.__dict__["count"] = ctx["total"]
        ctx["guests"] = list(sel.guests(request.user, org)[:200])
        ctx["pending_in"] = list(sel.pending_transfers_in(request.user, org)[:200])
        ctx["pending_out"] = list(sel.pending_transfers_out(request.user, org)[:200])
    else:
        ctx["roots"] = user_roots(request.user)
    ctx["page"] = paginator.get_page(request.GET.get("page"))
    if not request.htmx:  # the results partial has no form; exports have no page
        form.offer_ethnicities(sel.ethnicities(request.user, org))
    template = "members/partials/_results.html" if request.htmx else "members/member_list.html"
    return render(request, template, ctx)


@login_required
def member_detail(request, pk: int):
    m = sel.member_get(request.user, pk)
    audit.record(by=request.user, action="member.view", obj=m, org_path=m.org_path)
    ctx = {"m": m, **sel.member_history(m), "ancestors": org_ancestors(request.user, m.org) if m.org else []}
    ctx["events"] = EVENT_FORMS
    ctx["entry_form"] = EntryForm(prefix="entry")
    ctx["may_edit"] = covers(request.user, m.org_path, roles=EDIT_ROLES)
    ctx["may_link"] = covers(request.user, m.org_path, roles=DECISION_ROLES)
    ctx["account_suggestions"] = sel.account_suggestions(request.user, m) if ctx["may_link"] and not m.account_id else []
    return render(request, "members/member_detail.html", ctx)


@login_required
@require_POST
def member_account(request, pk: int):
    """Link the member's own login (officers), or undo it."""
    m = sel.member_get(request.user, pk)
    try:
        if request.POST.get("unlink"):
            guard(svc.account_unlink, by=request.user, member=m)
            messages.success(request, "Đã bỏ liên kết tài khoản.")
        else:
            guard(svc.account_link, by=request.user, member=m, username=request.POST.get("username", ""))
            messages.success(request, f"Đã liên kết tài khoản «{m.account.username}» với {m.full_name}.")
    except DomainError as e:
        flash_errors(request, e)
    return redirect(reverse("members:detail", args=[m.pk]) + "#account")


@login_required
@require_POST
def member_entry(request, pk: int):
    """Add (or, with `remove`, delete) a line of the CV: work, training, reward, discipline."""
    m = sel.member_get(request.user, pk)
    _require_edit(request.user, m.org)
    try:
        if request.POST.get("remove"):
            entry = m.entries.filter(pk=request.POST["remove"]).first()
            if entry is None:
                raise Http404
            svc.entry_remove(by=request.user, entry=entry)
            messages.success(request, "Đã xóa dòng lý lịch.")
        else:
            form = EntryForm(request.POST, prefix="entry")
            if not form.is_valid():
                for f, errs in form.errors.items():
                    messages.error(request, f"{form.fields[f].label if f in form.fields else ''}: {errs[0]}")
            else:
                svc.entry_add(by=request.user, member=m, **form.cleaned_data)
                messages.success(request, "Đã thêm vào lý lịch.")
    except DomainError as e:
        for msg in e.errors.values():
            messages.error(request, msg)
    return redirect(reverse("members:detail", args=[m.pk]) + "#entries")


@login_required
def member_create(request):
    org = org_get(request.user, request.GET.get("org") or request.POST.get("org") or "")
    _require_edit(request.user, org)
    form = MemberForm(request.POST or None, creating=True)
    arrival = ArrivalForm(request.POST or None, prefix="arrival")
    if request.method == "POST" and form.is_valid() and arrival.is_valid():
        a = arrival.cleaned_data
        try:
            if a["from_text"]:
                if not a["letter_on"]:
                    raise DomainError("Trường này là bắt buộc.", field="letter_on")
                m = svc.member_receive_external(
                    by=request.user,
                    org=org,
                    data=form.profile_data(),
                    from_text=a["from_text"],
                    letter_on=a["letter_on"],
                    letter_number=a["letter_number"],
                )
            else:
                m = svc.member_create(
                    by=request.user,
                    place=svc.Placement(org, joined_on=form.cleaned_data.get("joined_on")),
                    data=form.profile_data(),
                )
            messages.success(request, f"Đã ghi đảng viên {m.full_name} vào danh sách {org.name}.")
            return redirect("members:detail", pk=m.pk)
        except DomainError as e:
            add_errors(form, {k: v for k, v in e.errors.items() if k not in arrival.fields})
            add_errors(arrival, {k: v for k, v in e.errors.items() if k in arrival.fields})
    return render(
        request, "members/member_form.html", {"form": form, "arrival": arrival, "org": org, "creating": True}
    )


@login_required
def member_edit(request, pk: int):
    m = sel.member_get(request.user, pk)
    _require_edit(request.user, m.org)
    form = MemberForm(request.POST or None, instance=m)
    if request.method == "POST" and form.is_valid():
        try:
            svc.member_update(by=request.user, member=m, data=form.profile_data())
            messages.success(request, "Đã lưu lý lịch.")
            return redirect("members:detail", pk=m.pk)
        except DomainError as e:
            add_errors(form, e)
    return render(request, "members/member_form.html", {"form": form, "m": m, "org": m.org})


@login_required
def member_event(request, pk: int, kind: str):
    m = sel.member_get(request.user, pk)
    form_class = EVENT_FORMS.get(kind)
    if form_class is None:
        raise Http404
    _require_edit(request.user, m.org)
    initial = {"on": today()} if kind != "transfer" else {"letter_on": today(), "event_on": today()}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if kind == "recognise":
                svc.member_recognise(
                    by=request.user, member=m, on=d["on"], decision_number=d["decision_number"]
                )
                messages.success(request, f"{m.full_name} là đảng viên chính thức từ {fmt(d['on'])}.")
            elif kind == "exempt":
                svc.member_exempt(
                    by=request.user,
                    member=m,
                    on=d["on"],
                    reason=d["reason"],
                    decision_number=d["decision_number"],
                )
                messages.success(request, f"Đã ghi miễn công tác và sinh hoạt cho {m.full_name}.")
            elif kind == "resume":
                svc.member_resume(by=request.user, member=m, on=d["on"], reason=d["reason"])
                messages.success(request, f"{m.full_name} trở lại sinh hoạt từ {fmt(d['on'])}.")
            elif kind == "leave":
                svc.member_leave(
                    by=request.user,
                    member=m,
                    status=d["status"],
                    on=d["on"],
                    reason=d["reason"],
                    decision_number=d["decision_number"],
                )
                messages.success(request, f"Đã ghi: {m.full_name} — {Status(d['status']).label.lower()}.")
            else:
                to_org = sel.transfer_destination(d["to_org"])
                t = svc.transfer_out(
                    by=request.user,
                    member=m,
                    req=svc.TransferRequest(
                        kind=d["kind"],
                        reason=d["reason"],
                        event_on=d["event_on"],
                        letter_on=d["letter_on"],
                        letter_number=d["letter_number"],
                        to_org=to_org,
                        to_text=d["to_text"],
                        until=d["until"],
                    ),
                )
                if t.state == "pending":
                    messages.success(
                        request,
                        f"Đã giới thiệu {m.full_name} đến {t.to_org.name}; nơi đến cần tiếp nhận trước "
                        f"{fmt(t.present_deadline)} (30 ngày làm việc).",
                    )
                else:
                    messages.success(request, f"Đã ghi {t.get_kind_display().lower()} cho {m.full_name}.")
            return redirect("members:detail", pk=m.pk)
        except DomainError as e:
            add_errors(form, e)
    return render(
        request,
        "members/member_event.html",
        {"form": form, "m": m, "kind": kind, "TransferKind": TransferKind},
    )


@login_required
def transfer_receive(request, pk: int):
    t = sel.transfer_get(request.user, pk)
    _require_edit(request.user, t.to_org)
    form = ReceiveForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            svc.transfer_receive(by=request.user, transfer=t, on=form.cleaned_data["on"])
            late = " (quá hạn nộp giấy giới thiệu)" if t.presented_late else ""
            messages.success(request, f"Đã tiếp nhận {t.member.full_name} vào {t.to_org.name}{late}.")
            return redirect("members:detail", pk=t.member_id)
        except DomainError as e:
            add_errors(form, e)
    return render(request, "members/transfer_receive.html", {"form": form, "t": t})


@login_required
@require_POST
def transfer_cancel(request, pk: int):
    t = sel.transfer_get(request.user, pk)
    _require_edit(request.user, t.from_org)
    try:
        svc.transfer_cancel(by=request.user, transfer=t)
        messages.success(request, "Đã hủy giấy giới thiệu.")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("members:detail", pk=t.member_id)


# --- Excel ----------------------------------------------------------------------------------------------


@login_required
@require_POST
def export_register(request):
    """Mẫu 7-HSĐV of a subtree, as a background job (a province's register takes seconds): the page shows its
    progress and then the file; a second click while it runs opens the same job."""
    org = org_get(request.user, request.GET.get("org") or "")
    _, f = _filters(request, org)
    on = f.as_of or today()
    return jobs.start(request, kind="member.export_register", params={"org": org.code, "on": on.isoformat()},
                      label=f"Mẫu 7-HSĐV — {org.name} — tại ngày {fmt(on)}", org_path=org.path)  # fmt: skip


@login_required
@require_POST
def export_list(request):
    """The filtered list as Excel, as a background job (the filters are the query of the list page)."""
    org = _default_org(request)
    form, f = _filters(request, org)
    params = {k: v for k, v in request.GET.items() if v and k in form.fields}  # only what the list understands
    if org is not None:
        params["org"] = org.code
    params["on"] = (f.as_of or today()).isoformat()
    return jobs.start(request, kind="member.export_list", params=params,
                      label=f"Danh sách đảng viên — {org.name if org else 'toàn phạm vi'} — {fmt(f.as_of or today())}",
                      org_path=org.path if org else "")  # fmt: skip


def _import_job(request, org, staged, kind: str, label: str):
    """Queue a step of the import and come back to the import page, which follows it and shows its report."""
    from dangvu.jobs import services as jobs_svc

    params = {"org": org.code, "token": staged.token}
    if kind == member_jobs.IMPORT_CHECK:  # a new reading (another sheet, other encodings) is another job
        params["options"] = jobs_svc.fingerprint(kind, staged.options)[:16]
    try:
        job = jobs_svc.submit(by=request.user, kind=kind, params=params, label=f"{label} — {org.name}",
                              org_path=org.path)  # fmt: skip
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(reverse("members:import") + f"?org={org.code}")
    return redirect(member_jobs.import_page(org.code, staged.token, job.pk))


@login_required
def import_page(request):
    """Upload → check (a job: nothing written; every problem listed; the sheet, each column's encoding and the
    rows skipped shown, and the sheet and encodings may be changed and the file read again) → confirm (a job:
    written in one transaction, once) or abandon. The page follows each job's progress and shows its report;
    the uploaded file is kept only until then (core.staging)."""
    org = org_get(request.user, request.GET.get("org") or request.POST.get("org") or "")
    _require_edit(request.user, org)
    form = ImportForm(request.POST or None, request.FILES or None)
    token = request.POST.get("token") or request.GET.get("token")
    staged = staging.get(user=request.user, kind=importer.STAGED_KIND, token=token, scope=org.code) if token else None
    if request.method == "POST" and staged is not None:
        if request.POST.get("abandon"):
            staging.abandon(staged)
            messages.info(request, "Đã hủy; tệp tải lên đã được xóa, không có gì được ghi.")
            return redirect(reverse("members:import") + f"?org={org.code}")
        if staged.state != StagedFile.State.PENDING:  # confirmed already (a double click after the import ended)
            messages.error(request, staging.ERR_USED if staged.state == StagedFile.State.DONE else staging.ERR_GONE)
            return redirect(reverse("members:import") + f"?org={org.code}")
        if request.POST.get("reread"):
            options = {**staged.options, "sheet": request.POST.get("sheet", ""),
                       "encodings": {k[4:]: v for k, v in request.POST.items()
                                     if k.startswith("enc_") and v in legacy.ENCODINGS}}  # fmt: skip
            StagedFile.objects.filter(pk=staged.pk).update(options=options)
            staged.options = options
            return _import_job(request, org, staged, member_jobs.IMPORT_CHECK, "Kiểm tra tệp nhập đảng viên")
        return _import_job(request, org, staged, member_jobs.IMPORT_WRITE, "Nhập danh sách đảng viên")
    if request.method == "POST" and form.is_valid():
        staged = staging.stage(user=request.user, kind=importer.STAGED_KIND, scope=org.code,
                               upload=form.cleaned_data["file"],
                               options={"only_valid": form.cleaned_data["only_valid"]})  # fmt: skip
        return _import_job(request, org, staged, member_jobs.IMPORT_CHECK, "Kiểm tra tệp nhập đảng viên")
    job, report = None, None
    if staged is not None and request.GET.get("job", "").isdigit():
        job = jobs_sel.job_get(request.user, int(request.GET["job"]))
        if job.kind not in (member_jobs.IMPORT_CHECK, member_jobs.IMPORT_WRITE) or job.params.get("token") != token:
            raise Http404
        if job.state == job.State.DONE and "report" in job.result:
            report = importer.Report.from_dict(job.result["report"])
        elif job.state == job.State.FAILED:
            messages.error(request, job.error)
    pending = staged is not None and staged.state == StagedFile.State.PENDING
    only_valid = bool(staged and staged.options.get("only_valid"))
    can_write = pending and bool(report and (report.created or report.updated) and (report.ok or only_valid))
    readable = bool(report and (report.rows or report.sheets))  # worth reading again with other choices
    if report is not None and pending and not can_write and not readable:
        staging.abandon(staged)
        pending = False
    return render(request, "members/import.html", {
        "org": org, "form": form, "report": report, "token": staged.token if pending else None,
        "job": job if job is not None and not job.finished else None, "can_write": can_write,
        "encodings": [(e, legacy.LABELS[e]) for e in legacy.ENCODINGS],
        "options": staged.options if staged else {},
    })  # fmt: skip


# --- reconciliation with another register ---------------------------------------------------------------

RECONCILE_KIND = "members.reconcile"
TABS = {"differing": "Khác nhau", "only_in_file": "Chỉ có trong tệp", "only_in_dangvu": "Chỉ có trong Đảng vụ",
        "matched": "Trùng khớp", "unreadable": "Dòng không đọc được"}  # fmt: skip


def _reconcile_date(raw: str | None):
    from dangvu.core.dates import parse as parse_vi

    try:
        return parse_vi(raw) if raw else today()
    except ValueError:
        return today()


@login_required
def reconcile(request):
    """Compare the organisation's register on a date with another register file: nothing is written until the
    user chooses differences and applies them (each through the profile's own checks, all or nothing)."""
    org = org_get(request.user, request.GET.get("org") or request.POST.get("org") or "")
    token = request.POST.get("token") or request.GET.get("token")
    if request.method == "POST" and request.FILES.get("file"):
        staged = staging.stage(user=request.user, kind=RECONCILE_KIND, scope=org.code, upload=request.FILES["file"],
                               options={"on": request.POST.get("on", ""), "sheet": ""})  # fmt: skip
        return redirect(reverse("members:reconcile") + f"?org={org.code}&token={staged.token}")
    if not token:
        return render(request, "members/reconcile.html", {"org": org, "on": today()})
    staged = staging.get(user=request.user, kind=RECONCILE_KIND, token=token, scope=org.code)
    if request.method == "POST" and request.POST.get("sheet"):
        staged.options = {**staged.options, "sheet": request.POST["sheet"]}
        StagedFile.objects.filter(pk=staged.pk).update(options=staged.options)
    on = _reconcile_date(staged.options.get("on"))
    cmp = reconcile_mod.compare(by=request.user, org=org, source=str(staging.path_of(staged)), on=on,
                                sheet=staged.options.get("sheet", ""))  # fmt: skip
    if request.method == "POST" and request.POST.get("apply"):
        _require_edit(request.user, org)
        chosen = set()
        for key in request.POST.getlist("chosen"):
            pk, _, fld = key.partition(":")
            if pk.isdigit() and fld in reconcile_mod.FIELDS:
                chosen.add((int(pk), fld))
        try:
            n = reconcile_mod.apply(by=request.user, org=org, comparison=cmp, chosen=chosen)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"Đã cập nhật {n} đảng viên theo tệp đối chiếu.")
        return redirect(reverse("members:reconcile") + f"?org={org.code}&token={staged.token}&tab=differing")
    if request.GET.get("export"):
        audit.record(by=request.user, action="member.export_reconcile", object_type="members.member",
                     org_path=org.path, after={"file": staged.name, "on": on.isoformat(), **cmp.counts})  # fmt: skip
        tmp = exporter.reconcile_xlsx(org, cmp, staged.name)
        return xlsx.response(tmp, f"doi-chieu-{org.code}-{on:%Y%m%d}.xlsx")
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "differing"
    return render(request, "members/reconcile.html", {
        "org": org, "on": on, "cmp": cmp, "token": staged.token, "file_name": staged.name, "tab": tab,
        "tabs": [(k, v, cmp.counts[k if k != "differing" else "differing"]) for k, v in TABS.items()],
        "may_edit": covers(request.user, org.path, roles=EDIT_ROLES), "display": reconcile_mod.display,
    })  # fmt: skip


# --- leadership ---------------------------------------------------------------------------------------


@login_required
def leadership(request, code: str):
    org = org_get(request.user, code)
    info = sel.leadership(org)
    term_form = TermForm(prefix="term")
    candidates = list(sel.seat_candidates(request.user, org)[:500])
    seat_form = SeatForm(prefix="seat", candidates=candidates)
    above = [o.path for o in org_ancestors(request.user, org)]
    monitors = list(
        Seat.objects.filter(organisation__path__in=above, valid_to__isnull=True)
        .exclude(role__in=[SeatRole.INSPECTION_MEMBER])
        .select_related("member", "organisation")
    )
    monitor_form = MonitorForm(prefix="mon", candidates=monitors)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "term":
                term_form = TermForm(request.POST, prefix="term")
                if term_form.is_valid():
                    svc.term_create(by=request.user, org=org, **term_form.cleaned_data)
                    messages.success(request, "Đã ghi nhiệm kỳ.")
                    return redirect("members:leadership", code=org.code)
            elif action == "seat":
                seat_form = SeatForm(request.POST, prefix="seat", candidates=candidates)
                if seat_form.is_valid():
                    if info["term"] is None:
                        raise DomainError("Hãy ghi nhiệm kỳ trước.", field="role")
                    member = next(m for m in candidates if m.pk == seat_form.cleaned_data["member"])
                    svc.seat_assign(
                        by=request.user,
                        term=info["term"],
                        member=member,
                        role=seat_form.cleaned_data["role"],
                        valid_from=seat_form.cleaned_data["valid_from"],
                    )
                    messages.success(
                        request,
                        f"Đã ghi {SeatRole(seat_form.cleaned_data['role']).label}: {member.full_name}.",
                    )
                    return redirect("members:leadership", code=org.code)
            elif action == "monitor":
                monitor_form = MonitorForm(request.POST, prefix="mon", candidates=monitors)
                if monitor_form.is_valid():
                    mon = next(
                        s.member for s in monitors if s.member.pk == monitor_form.cleaned_data["monitor"]
                    )
                    svc.monitor_assign(
                        by=request.user,
                        org=org,
                        monitor=mon,
                        valid_from=monitor_form.cleaned_data["valid_from"],
                        decision_number=monitor_form.cleaned_data["decision_number"],
                    )
                    messages.success(request, f"Đã phân công {mon.full_name} theo dõi {org.name}.")
                    return redirect("members:leadership", code=org.code)
        except DomainError as e:
            target = {"term": term_form, "seat": seat_form, "monitor": monitor_form}.get(action)
            if target is not None:
                add_errors(target, e)
    return render(
        request,
        "members/leadership.html",
        {
            "org": org,
            "info": info,
            "term_form": term_form,
            "seat_form": seat_form,
            "monitor_form": monitor_form,
            "terms": list(org.terms.all()),
            "ancestors": org_ancestors(request.user, org),
        },
    )


@login_required
def org_members_history(request, code: str):
    """Everyone who belonged to an organisation (open or closed), with dates and reasons."""
    org = org_get(request.user, code)
    page = Paginator(sel.org_member_history(request.user, org), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "members/org_history.html",
        {"org": org, "page": page, "ancestors": org_ancestors(request.user, org)},
    )
