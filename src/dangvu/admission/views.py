"""Pages of the admission pipeline. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers, scope_q
from dangvu.core import audit, charts, replica
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.core.files import check_upload, serve
from dangvu.core.forms import add_errors
from dangvu.jobs import views as jobs
from dangvu.meetings.models import Vote, VoteKind
from dangvu.members.models import IN_REGISTER, Status
from dangvu.members.selectors import members_visible
from dangvu.organizations.models import Organisation, OrgKind
from dangvu.organizations.pages import flash_errors, guard, scope_org
from dangvu.organizations.selectors import org_ancestors, org_get

from . import rules as ar
from . import selectors as sel
from . import services as svc
from . import villages as vl
from .forms import CaseForm, EndForm, FileForm, IntroducerForm, StepForm, UnitForm
from .models import BEFORE_ADMISSION, PAPER_CHOICES, ResidentialUnit, Stage, StepKind

PER_PAGE = 50


def _year(raw) -> int:
    try:
        y = int(raw)
    except (TypeError, ValueError):
        return today().year
    return y if 2000 <= y <= today().year + 1 else today().year


@replica.reads_view
@login_required
def index(request):
    """The pipeline of a subtree: open cases by stage and branch, overdue steps, the year's admissions and
    recognitions, and the cases themselves (filtered, searched without diacritics)."""
    org, year = scope_org(request), _year(request.GET.get("year"))
    f = sel.Filters(q=request.GET.get("q", "")[:100], state=request.GET.get("state", ""))
    total, branches = sel.pipeline(request.user, org, year)
    page = Paginator(sel.case_list(request.user, org, f), PER_PAGE).get_page(request.GET.get("page"))
    open_stages = [(s, label) for s, label in Stage.choices if s in sel.OPEN]
    figures = [charts.bars("Hồ sơ đang xét theo bước", [(label, total.stages.get(s, 0)) for s, label in open_stages],
                           head=("Bước", "Hồ sơ"))]  # fmt: skip
    if len(branches) > 1:
        figures.append(charts.bars(f"Kết nạp năm {year} theo đơn vị",
                                   [(b.org.name if b.org else "", b.admitted,
                                     f"?org={b.org.code}&year={year}" if b.org and b.org.pk != org.pk else "")
                                    for b in branches], head=("Đơn vị", "Kết nạp")))  # fmt: skip
    return render(request, "admission/index.html", {"charts": figures,
        "org": org, "ancestors": org_ancestors(request.user, org), "year": year, "total": total,
        "branches": branches, "page": page, "f": f, "filters": sel.FILTERS, "stages": Stage.choices,
        "open_stages": open_stages, "today": today(),
        "courses": sel.courses_due(request.user, org),
        "may_add": org.type.kind == OrgKind.CELL and org.closed_on is None
        and covers(request.user, org.path, EDIT_ROLES),
    })  # fmt: skip


@login_required
@require_POST
def export(request):
    """The cases of a subtree as Excel, as a background job."""
    org = scope_org(request)
    return jobs.start(request, kind="admission.export", params={"org": org.code, "on": today().isoformat()},
                      label=f"Phát triển đảng viên — {org.name}", org_path=org.path)  # fmt: skip


@login_required
def create(request):
    org = org_get(request.user, request.GET.get("org") or request.POST.get("org") or "")
    guard(svc.check_may_edit, request.user, org)
    form = CaseForm(request.POST or None, initial={"proposed_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            c = guard(svc.case_create, by=request.user, org=org, data=form.cleaned_data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã đưa {c.full_name} vào danh sách quần chúng ưu tú của {org.name}.")
            return redirect("admission:case", pk=c.pk)
    return render(request, "admission/form.html", {"org": org, "form": form, "case": None},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
def edit(request, pk):
    c = sel.case_get(request.user, pk)
    guard(svc.check_may_edit, request.user, c.organisation)
    if request.method == "GET":
        audit.record(by=request.user, action="admission.view", obj=c, org_path=c.org_path)  # the CV is on the form
    initial = {f: getattr(c, f) for f in CaseForm.base_fields}
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            guard(svc.case_update, by=request.user, case=c, data=form.cleaned_data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Đã lưu.")
            return redirect("admission:case", pk=c.pk)
    return render(request, "admission/form.html", {"org": c.organisation, "form": form, "case": c},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def _votes(user, c, kind: str):
    vote_kind = VoteKind.RECOGNITION if kind == StepKind.RECOGNITION_RESOLUTION else VoteKind.ADMISSION
    return list(svc.votes_offered(user, c, vote_kind)[:30])


def _introducer_choices(user, c):
    where = Organisation.objects.filter(path=svc.grassroots_path(c.organisation)).first() or c.organisation
    return (members_visible(user, where).filter(status=Status.OFFICIAL).exclude(pk=c.member_id or 0)
            .order_by("sort_key", "pk")[:500])  # fmt: skip


def _case_context(request, c, **extra) -> dict:
    steps = sel.steps_of(c)
    kinds = svc.steps_for(c)
    nxt = svc.next_kind(c, set(steps)) if c.open else None
    handler = svc.handling_org(c, nxt or ("" if c.stage in BEFORE_ADMISSION else "not_recognised"))
    may_edit = handler.closed_on is None and covers(request.user, handler.path, EDIT_ROLES)
    rows = [{"kind": k, "label": StepKind(k).label, "step": steps.get(k),
             "due": c.next_due if k == nxt else None,
             "rule": svc.due_rule(k, steps[k].done_on if k in steps else today())} for k in kinds]  # fmt: skip
    ctx = {
        "c": c, "org": c.organisation, "ancestors": org_ancestors(request.user, c.organisation),
        "may_edit": may_edit, "rows": rows, "next": nxt, "next_label": StepKind(nxt).label if nxt else "",
        "today": today(), "introducers": list(c.introducers.select_related("member")),
        "files": list(c.files.all()), "before_admission": c.stage in BEFORE_ADMISSION,
        "probation_ends": ar.probation_ends(steps["ceremony"].done_on) if "ceremony" in steps else None,
        "course_until": ar.course_valid_until(c.course_on) if c.course_on else None,
        "paper_choices": PAPER_CHOICES,
    }  # fmt: skip
    ctx["papers"], ctx["papers_missing"] = svc.checklist(c)
    if c.stage in BEFORE_ADMISSION and c.open:
        when = steps["cell_resolution"].done_on if "cell_resolution" in steps else today()
        ctx["eligibility_on"], ctx["eligibility"] = when, svc.eligibility(c, when)
    if may_edit and c.open:
        if nxt:
            ctx.setdefault("step_form", StepForm(kind=nxt, votes=_votes(request.user, c, nxt), initial={"done_on": today()}))
        if c.stage in BEFORE_ADMISSION:
            ctx.setdefault("introducer_form", IntroducerForm(members=_introducer_choices(request.user, c)))
        ctx.setdefault("end_form", EndForm())
        ctx.setdefault("file_form", FileForm())
    ctx.update(extra)
    return ctx


@login_required
def case(request, pk):
    c = sel.case_get(request.user, pk)
    audit.record(by=request.user, action="admission.view", obj=c, org_path=c.org_path)  # a CV was read
    return render(request, "admission/case.html", _case_context(request, c))


@login_required
@require_POST
def step(request, pk):
    c = sel.case_get(request.user, pk)
    kind = request.POST.get("kind", "")
    if kind not in StepKind.values:
        raise Http404
    guard(svc.check_may_edit, request.user, svc.handling_org(c, kind))
    form = StepForm(request.POST, kind=kind, votes=_votes(request.user, c, kind))
    if form.is_valid():
        d = form.cleaned_data
        vote = Vote.objects.filter(pk=d["vote"]).select_related("meeting").first() if d.get("vote") else None
        data = svc.StepData(done_on=d["done_on"], number=d.get("number", ""), signer=d.get("signer", ""),
                            note=d.get("note", ""), received_on=d.get("received_on"), vote=vote,
                            votes_for=d.get("votes_for"), votes_base=d.get("votes_base"))  # fmt: skip
        try:
            s = guard(svc.step_record, by=request.user, case=c, kind=kind, data=data)
        except DomainError as e:
            add_errors(form, e)
        else:
            late = f" (quá hạn {s.due_on:%d/%m/%Y})" if s.late else ""
            messages.success(request, f"Đã ghi «{s.get_kind_display()}» ngày {s.done_on:%d/%m/%Y}{late}.")
            return redirect("admission:case", pk=c.pk)
    c.refresh_from_db()
    return render(request, "admission/case.html", _case_context(request, c, step_form=form, step_open=True),
                  status=400)


@login_required
@require_POST
def introducer_add(request, pk):
    c = sel.case_get(request.user, pk)
    guard(svc.check_may_edit, request.user, c.organisation)
    members = _introducer_choices(request.user, c)
    form = IntroducerForm(request.POST, members=members)
    if form.is_valid():
        member = members_visible(request.user).filter(pk=form.cleaned_data["member"]).first()
        try:
            guard(svc.introducer_add, by=request.user, case=c, member=member, since=form.cleaned_data["since"],
                  assigned_on=form.cleaned_data["assigned_on"])  # fmt: skip
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã phân công {member.full_name} giới thiệu.")
            return redirect("admission:case", pk=c.pk)
    return render(request, "admission/case.html", _case_context(request, c, introducer_form=form), status=400)


@login_required
@require_POST
def introducer_remove(request, pk, ipk):
    c = sel.case_get(request.user, pk)
    i = c.introducers.filter(pk=ipk).select_related("member").first()
    if i is None:
        raise Http404
    try:
        guard(svc.introducer_remove, by=request.user, introducer=i)
    except DomainError as e:
        flash_errors(request, e)
    else:
        messages.success(request, f"Đã bỏ {i.member.full_name} khỏi người giới thiệu.")
    return redirect("admission:case", pk=c.pk)


@login_required
@require_POST
def end(request, pk):
    c = sel.case_get(request.user, pk)
    guard(svc.check_may_edit, request.user, svc.handling_org(c, "" if c.stage in BEFORE_ADMISSION else "not_recognised"))
    form = EndForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if c.stage in BEFORE_ADMISSION:
                guard(svc.case_end, by=request.user, case=c, on=d["on"], reason=d["reason"])
            else:
                guard(svc.not_recognised, by=request.user, case=c, on=d["on"], reason=d["reason"], number=d["number"])
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã kết thúc hồ sơ của {c.full_name}.")
            return redirect("admission:case", pk=c.pk)
    return render(request, "admission/case.html", _case_context(request, c, end_form=form, end_open=True),
                  status=400)


@login_required
@require_POST
def file_add(request, pk):
    c = sel.case_get(request.user, pk)
    guard(svc.check_may_edit, request.user, c.organisation)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            guard(svc.file_add, by=request.user, case=c, upload=form.cleaned_data["file"],
                  title=form.cleaned_data["title"], paper=request.POST.get("paper", ""))  # fmt: skip
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Đã lưu giấy tờ.")
            return redirect("admission:case", pk=c.pk)
    return render(request, "admission/case.html", _case_context(request, c, file_form=form), status=400)


@login_required
def file(request, pk, fpk):
    c = sel.case_get(request.user, pk)
    f = c.files.filter(pk=fpk).first()
    if f is None:
        raise Http404
    kind = f.file.name.rsplit(".", 1)[-1]
    return serve(by=request.user, stored=f.file, sha256=f.sha256, kind=kind, filename=f.file.name.rsplit("/", 1)[-1],
                 obj=c, org_path=c.org_path, action="admission.file",
                 info={"file": f.pk, "title": f.title})  # fmt: skip



@login_required
def form(request, pk, code):
    """Mẫu 6-KNĐ or 14-KNĐ of the case as .docx, once the cell's resolution it prints is recorded."""
    from . import documents

    c = sel.case_get(request.user, pk)
    if code not in documents.FORMS or not c.steps.filter(kind=documents.FORMS[code][0]).exists():
        raise Http404
    return documents.download(request.user, c, code)


# --- villages and residential groups --------------------------------------------------------------------------


def _on(raw) -> dt.date:
    from dangvu.core.dates import parse as parse_vi

    try:
        return min(parse_vi(raw), today()) if raw else today()
    except ValueError:
        return today()


@replica.reads_view
@login_required
def villages(request):
    """Villages without a Party member and without a cell, per commune of the subtree, on a date; and, for a
    commune, its register of villages and groups."""
    org, on = scope_org(request), _on(request.GET.get("on"))
    total, rows = vl.report(request.user, org, on)
    may_edit = (org.type.kind == OrgKind.COMMITTEE and org.closed_on is None
                and covers(request.user, org.path, EDIT_ROLES))  # fmt: skip
    own = list(vl.units_on(request.user, org, on).filter(commune=org)) if org.type.kind == OrgKind.COMMITTEE else []
    return render(request, "admission/villages.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "on": on, "total": total, "rows": rows,
        "own": own, "may_edit": may_edit, "unit_form": UnitForm(initial={"valid_from": today()}),
    })  # fmt: skip


@login_required
@require_POST
def village_add(request):
    org = org_get(request.user, request.GET.get("org") or "")
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            u = guard(vl.unit_create, by=request.user, commune=org, **form.cleaned_data)
        except DomainError as e:
            flash_errors(request, e)
        else:
            messages.success(request, f"Đã ghi «{u.name}».")
            return redirect("admission:unit", pk=u.pk)
    else:
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
    return redirect(f"{reverse('admission:villages')}?org={org.code}")


def _unit_get(user, pk) -> ResidentialUnit:
    u = ResidentialUnit.objects.filter(scope_q(user, "org_path"), pk=pk).select_related("commune__type").first()
    if u is None:
        raise Http404
    return u


@login_required
def unit(request, pk):
    u = _unit_get(request.user, pk)
    commune = u.commune
    cells = list(Organisation.objects.filter(path__startswith=commune.path, type__kind=OrgKind.CELL,
                                             closed_on__isnull=True).order_by("sort_key"))  # fmt: skip
    covering = set(u.coverages.filter(valid_to__isnull=True).values_list("cell_id", flat=True))
    residents = list(u.residents.filter(valid_to__isnull=True).select_related("member__org"))
    here = {r.member_id for r in residents}
    members = [m for m in members_visible(request.user, commune).filter(status__in=IN_REGISTER)
               .select_related("org").order_by("sort_key", "pk")[:800] if m.pk not in here]  # fmt: skip
    others = list(ResidentialUnit.objects.filter(commune=commune, valid_to__isnull=True).exclude(pk=u.pk))
    return render(request, "admission/unit.html", {
        "u": u, "org": commune, "ancestors": org_ancestors(request.user, commune), "cells": cells,
        "covering": covering, "residents": residents, "members": members, "others": others, "today": today(),
        "may_edit": u.valid_to is None and covers(request.user, commune.path, EDIT_ROLES),
        "history": list(u.coverages.select_related("cell").order_by("valid_from")),
        "merged_from": list(u.merged_from.all()),
    })  # fmt: skip


def _ids(raw: list[str]) -> list[int]:
    out = []
    for x in raw:
        try:
            n = int(x)
        except ValueError:
            continue
        if 0 < n < 2**62:
            out.append(n)
    return out


def _back(u) -> object:
    return redirect("admission:unit", pk=u.pk)


@login_required
@require_POST
def unit_cover(request, pk):
    u = _unit_get(request.user, pk)
    cells = list(Organisation.objects.filter(pk__in=_ids(request.POST.getlist("cell")),
                                             path__startswith=u.commune.path).select_related("type"))  # fmt: skip
    try:
        guard(vl.coverage_set, by=request.user, unit=u, cells=cells, on=_on(request.POST.get("on")))
    except DomainError as e:
        flash_errors(request, e)
    else:
        messages.success(request, "Đã ghi chi bộ phụ trách.")
    return _back(u)


@login_required
@require_POST
def unit_resident(request, pk):
    u = _unit_get(request.user, pk)
    member = members_visible(request.user).filter(pk=request.POST.get("member") or 0).select_related("org").first()
    if member is None:
        messages.error(request, "Chọn đảng viên.")
        return _back(u)
    try:
        guard(vl.residence_set, by=request.user, member=member, unit=u, on=_on(request.POST.get("on")))
    except DomainError as e:
        flash_errors(request, e)
    else:
        messages.success(request, f"Đã ghi {member.full_name} cư trú tại «{u.name}».")
    return _back(u)


@login_required
@require_POST
def unit_merge(request, pk):
    u = _unit_get(request.user, pk)
    others = ResidentialUnit.objects.filter(pk__in=_ids(request.POST.getlist("other")), commune=u.commune)
    units = [u, *others.exclude(pk=u.pk).select_related("commune__type")]
    from dangvu.core.dates import parse as parse_vi

    try:
        on = parse_vi(request.POST.get("on", "")) if request.POST.get("on") else None
    except ValueError:
        on = None
    try:
        new = guard(vl.unit_merge, by=request.user, units=units, name=request.POST.get("name", ""), on=on,
                    kind=request.POST.get("kind") or u.kind, decision=request.POST.get("decision", ""))  # fmt: skip
    except DomainError as e:
        flash_errors(request, e)
        return _back(u)
    messages.success(request, f"Đã sáp nhập thành «{new.name}» từ {new.valid_from:%d/%m/%Y}.")
    return _back(new)


@login_required
def import_page(request):
    """A cell's list of sympathisers from Excel: upload → check (every problem with its row and column, nothing
    written) → confirm (all rows, once, all or nothing) or abandon. The file waits only until then."""
    from dangvu.core import staging

    from . import importer

    org = org_get(request.user, request.GET.get("org") or request.POST.get("org") or "")
    guard(svc.check_may_edit, request.user, org)
    try:
        svc.check_cell(org)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(f"{reverse('admission:index')}?org={org.code}")
    report, token = None, None
    if request.method == "POST" and request.POST.get("token"):
        staged = staging.get(user=request.user, kind=importer.STAGED_KIND, token=request.POST["token"], scope=org.code)
        if request.POST.get("abandon"):
            staging.abandon(staged)
            messages.info(request, "Đã hủy; tệp tải lên đã được xóa, không có gì được ghi.")
            return redirect(f"{reverse('admission:import')}?org={org.code}")
        try:
            with transaction.atomic():
                staged = staging.claim(staged)
                report = importer.import_cases(by=request.user, org=org, source=str(staging.path_of(staged)))
                if report.ok:
                    staging.finish(staged)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect(f"{reverse('admission:import')}?org={org.code}")
        if report.ok:
            messages.success(request, f"Đã nhập {report.created} quần chúng ưu tú vào danh sách của {org.name}.")
            return redirect(f"{reverse('admission:index')}?org={org.code}")
    elif request.method == "POST" and request.FILES.get("file"):
        try:  # by its content, before anything is kept (size, a real workbook, no zip bomb, no macros)
            check_upload(request.FILES["file"], ("xlsx",))
        except DomainError as e:
            messages.error(request, e.message)
            return render(request, "admission/import.html", {"org": org, "report": None, "token": None,
                                                             "columns": list(dict.fromkeys(importer.LABELS.values()))},
                          status=400)  # fmt: skip
        staged = staging.stage(user=request.user, kind=importer.STAGED_KIND, scope=org.code, upload=request.FILES["file"])
        try:
            report = importer.import_cases(by=request.user, org=org, source=str(staging.path_of(staged)), dry_run=True)
        except DomainError as e:
            messages.error(request, e.message)
            report = None
        if report is not None and report.ok:
            token = staged.token
        else:
            staging.abandon(staged)
    elif request.method == "POST":
        messages.error(request, "Hãy chọn tệp Excel.")
    return render(request, "admission/import.html", {"org": org, "report": report, "token": token,
                                                     "columns": list(dict.fromkeys(importer.LABELS.values()))},
                  status=400 if request.method == "POST" and report is None else 200)  # fmt: skip
