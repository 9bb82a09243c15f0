"""Pages of evaluations. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangvu.accounts.models import DECISION_ROLES, EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import charts, replica
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.core.forms import add_errors
from dangvu.jobs import views as jobs
from dangvu.members.selectors import member_get
from dangvu.members.services import check_may_edit
from dangvu.organizations.models import OrgKind
from dangvu.organizations.pages import flash_errors, guard, scope_org
from dangvu.organizations.selectors import org_ancestors, org_get

from . import documents
from . import rules as lv
from . import selectors as sel
from . import services as svc
from .forms import AssessForm, BatchForm, CommitmentForm, DecideForm, RegistrationForm, ReturnForm, SelfForm
from .models import Level, Period, State, Subject


def _year(raw) -> int:
    try:
        return svc.check_year(raw or today().year)
    except DomainError:
        return today().year


def _period(request) -> str:
    p = request.GET.get("period") or request.POST.get("period") or Period.YEAR
    return p if p in Period.values else Period.YEAR


# --- a subtree: progress, distribution, quota, discipline ---------------------------------------------------


@replica.reads_view  # dashboards and lists may read from a replica
@login_required
def index(request):
    org, year, period = scope_org(request), _year(request.GET.get("year")), _period(request)
    if org.type.kind == OrgKind.CELL:  # a cell has no branches: its own members' reviews are the page
        url = reverse("evaluations:organisation", args=[org.code, year])
        return redirect(f"{url}?period={period}" if period != Period.YEAR else url)
    total, branches = sel.rollup(org, year, period)
    dist = total["members"]["dist"]
    figures = [charts.bars("Xếp loại đảng viên", [(f"{d['label']} ({d['short']})", d["n"]) for d in dist],
                           head=("Mức", "Đảng viên"))]  # fmt: skip
    if len(branches) > 1:
        figures.append(charts.stacked(
            "Xếp loại đảng viên theo đơn vị", [d["short"] for d in dist],
            [(b["org"].name if b["org"] else "", [d["n"] for d in b["members"]["dist"]],
              "" if b["is_self"] or not b["org"] else f"?org={b['org'].code}&year={year}&period={period}")
             for b in branches]))  # fmt: skip
    return render(request, "evaluations/index.html", {"charts": figures,
        "org": org, "ancestors": org_ancestors(request.user, org), "year": year, "period": period,
        "periods": Period.choices, "total": total, "branches": branches, "levels": Level.choices,
        "quota": sel.quota_rows(org, year, period), "discipline": sel.disciplined_rows(org, year, period),
        "cap_rule": lv.in_force(year, period)[1],
    })  # fmt: skip


@login_required
@require_POST
def export(request):
    """Results of a subtree as Excel, as a background job."""
    org, year, period = scope_org(request), _year(request.GET.get("year")), _period(request)
    return jobs.start(request, kind="evaluations.export",
                      params={"org": org.code, "year": year, "period": str(period)},
                      label=f"Đánh giá, xếp loại — {org.name} — năm {year}"
                            + ("" if period == Period.YEAR else f" ({Period(period).label})"),
                      org_path=org.path)  # fmt: skip


# --- one organisation's year --------------------------------------------------------------------------------


def _org_context(request, org, year, period, **extra) -> dict:
    may_edit = org.closed_on is None and covers(request.user, org.path, EDIT_ROLES)
    rows = sel.members_of(org, year, period)
    reg = sel.Registration.objects.filter(organisation=org, year=year).first()
    own = sel.org_review(org, year, period)
    to_decide = [r.review for r in rows if r.review and r.review.state == State.REVIEWED]
    children = sel.children_of(request.user, org, year, period)
    kids_to_decide = [c["review"] for c in children if c["review"] and c["review"].state == State.REVIEWED]
    ctx = {
        "org": org, "ancestors": org_ancestors(request.user, org), "year": year, "period": period,
        "periods": Period.choices, "rows": rows, "registration": reg, "own": own, "children": children,
        "may_edit": may_edit, "levels": Level.choices,
        "may_decide_members": bool(to_decide) and svc.may_decide(request.user, to_decide[0]),
        "to_decide": to_decide, "kids_to_decide": kids_to_decide,
        "may_decide_children": bool(kids_to_decide) and covers(request.user, org.path, DECISION_ROLES),
        "reg_form": RegistrationForm(initial={"target_level": reg.target_level, "goals": reg.goals,
                                              "admissions_target": reg.admissions_target}
                                     if reg else {"target_level": Level.GOOD}),
        "batch": BatchForm(auto_id="batch_%s"),
    }  # fmt: skip
    ctx.update(extra)
    return ctx


@login_required
def organisation(request, code, year):
    org = org_get(request.user, code)
    year, period = _year(year), _period(request)
    return render(request, "evaluations/organisation.html", _org_context(request, org, year, period))


@login_required
@require_POST
def register(request, code, year):
    org = org_get(request.user, code)
    year = _year(year)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            guard(svc.registration_save, by=request.user, org=org, year=year, **form.cleaned_data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã ghi đăng ký phấn đấu năm {year}.")
            return redirect("evaluations:organisation", code=org.code, year=year)
    ctx = _org_context(request, org, year, Period.YEAR, reg_form=form, reg_open=True)
    return render(request, "evaluations/organisation.html", ctx, status=400)


@login_required
def commitment(request, pk, year):
    member = member_get(request.user, pk)
    year = _year(year)
    if member.org is not None:  # the form is for those who may record it
        guard(check_may_edit, request.user, member.org)
    c = member.commitments.filter(year=year).first()
    form = CommitmentForm(request.POST or None, initial={"target_level": c.target_level, "content": c.content,
                                                         "submitted_on": c.submitted_on} if c else {})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            c = guard(svc.commitment_save, by=request.user, member=member, year=year, **form.cleaned_data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã ghi bản cam kết năm {year} của {member.full_name}.")
            return redirect("evaluations:organisation", code=c.organisation.code, year=year)
    return render(request, "evaluations/commitment.html", {"member": member, "year": year, "form": form,
                                                           "commitment": c},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_POST
def open_review(request, code, year):
    org = org_get(request.user, code)
    year, period = _year(year), _period(request)
    member = member_get(request.user, request.POST["member"]) if request.POST.get("member") else None
    try:
        r = guard(svc.review_open, by=request.user, year=year, period=period, member=member,
                   org=None if member else org)  # fmt: skip
    except DomainError as e:
        flash_errors(request, e)
        url = reverse("evaluations:organisation", args=[org.code, year])
        return redirect(f"{url}?period={period}")
    return redirect("evaluations:review", pk=r.pk)


@login_required
@require_POST
def decide_many(request, code, year):
    """The decision on several reviews at once: every reviewed member of the organisation, or every reviewed
    organisation directly under it; one decision number, the cap checked on the outcome."""
    org = org_get(request.user, code)
    year, period = _year(year), _period(request)
    form = BatchForm(request.POST)
    ids = [int(x) for x in request.POST.getlist("review") if x.isdigit()]
    reviews = {
        r.pk: r for r in sel.reviews_visible(request.user).filter(pk__in=ids, org_path__startswith=org.path)
    }
    verdicts = [svc.Verdict(reviews[i], request.POST.get(f"level_{i}", "")) for i in ids if i in reviews]
    url = reverse("evaluations:organisation", args=[org.code, year]) + f"?period={period}"
    if not form.is_valid() or not verdicts:
        for msg in [e for errs in form.errors.values() for e in errs] or ["Chưa chọn bản kiểm điểm nào."]:
            messages.error(request, msg)
        return redirect(url)
    try:
        done = guard(svc.review_decide, by=request.user, verdicts=verdicts, **form.cleaned_data)
    except DomainError as e:
        flash_errors(request, e)
    else:
        messages.success(
            request, f"Đã quyết định xếp loại {len(done)} bản kiểm điểm ({form.cleaned_data['number']})."
        )
    return redirect(url)


# --- one review ---------------------------------------------------------------------------------------------


def _review_context(request, r, **forms) -> dict:
    may_edit = r.organisation.closed_on is None and covers(request.user, r.org_path, EDIT_ROLES)
    since, p = svc.lv.in_force(r.year, r.period)
    ctx = {
        "r": r, "may_edit": may_edit, "may_decide": svc.may_decide(request.user, r), "since": since,
        "scored": p["scored"], "decider": svc.decider(r), "decisions": list(r.decisions.all()),
        "form_code": p["form_codes"].get(r.form, r.form), "disciplined": svc.disciplined(r),
        "facts": r.facts or (sel.org_facts(r.organisation, r.year, r.period)
                             if r.subject == Subject.ORGANISATION else None),
        "self_form": SelfForm(form_choices=svc.review_forms(r), initial={
            "form": r.form, "tasks_total": r.tasks_total, "tasks_exceeded": r.tasks_exceeded,
            "strengths": r.strengths, "shortcomings": r.shortcomings, "remedies": r.remedies,
            "self_score": _num(r.self_score), "self_level": r.self_level}),
        "assess_form": AssessForm(initial={"cell_score": _num(r.self_score), "cell_level": r.self_level}),
        "decide_form": DecideForm(initial={"level": r.level or r.cell_level}),
        "return_form": ReturnForm(),
    }  # fmt: skip
    if r.member_id:
        ctx["commitment"] = r.member.commitments.filter(year=r.year).first()
    ctx.update(forms)
    return ctx


def _num(d) -> str:
    return "" if d is None else f"{d:.1f}".replace(".", ",")


@login_required
def review(request, pk):
    r = sel.review_get(request.user, pk)
    return render(request, "evaluations/review.html", _review_context(request, r))


def _step(request, pk, form_class, key, run, done_msg):
    r = sel.review_get(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            guard(run, r, form.cleaned_data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, done_msg)
            return redirect("evaluations:review", pk=r.pk)
    r.refresh_from_db()
    return render(request, "evaluations/review.html", _review_context(request, r, **{key: form}), status=400)


@login_required
@require_POST
def review_self(request, pk):
    r = sel.review_get(request.user, pk)
    form = SelfForm(request.POST, form_choices=svc.review_forms(r))
    if form.is_valid():
        try:
            guard(svc.review_self, by=request.user, review=r, data=svc.SelfReview(**form.cleaned_data))
            if request.POST.get("submit"):
                guard(svc.review_submit, by=request.user, review=r)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Đã nộp bản tự kiểm điểm." if request.POST.get("submit") else "Đã lưu.")
            return redirect("evaluations:review", pk=r.pk)
    r.refresh_from_db()
    return render(request, "evaluations/review.html", _review_context(request, r, self_form=form), status=400)


@login_required
@require_POST
def review_return(request, pk):
    return _step(request, pk, ReturnForm, "return_form",
                 lambda r, d: svc.review_return(by=request.user, review=r, reason=d["reason"]),
                 "Đã trả lại bản kiểm điểm để sửa.")  # fmt: skip


@login_required
@require_POST
def review_assess(request, pk):
    return _step(request, pk, AssessForm, "assess_form",
                 lambda r, d: svc.review_assess(by=request.user, review=r, data=svc.Assessment(**d)),
                 "Đã ghi kết quả kiểm điểm và biểu quyết.")  # fmt: skip


@login_required
@require_POST
def review_decide(request, pk):
    def run(r, d):
        svc.review_decide(by=request.user, verdicts=[svc.Verdict(r, d["level"], d["score"])], number=d["number"],
                          decided_on=d["decided_on"], reason=d["reason"])  # fmt: skip

    return _step(request, pk, DecideForm, "decide_form", run, "Đã ghi quyết định xếp loại.")


@login_required
def review_form(request, pk):
    """The review's form (01, 2A, 2B, 2C) as .docx in the official layout."""
    r = sel.review_get(request.user, pk)
    return documents.download(request.user, r)
