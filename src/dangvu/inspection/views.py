"""Pages of inspection, supervision and discipline. Thin: parse, call a selector or a service, render. Only the
confidential roles (inspector, officer, administrator) on the subtree see any of it: a subtree page answers 403
to the others, an object 404; every page read is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.core import audit, charts, replica
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.core.files import serve
from dangvu.core.forms import add_errors
from dangvu.core.text import search_key
from dangvu.jobs import views as jobs
from dangvu.members.models import IN_REGISTER, Seat
from dangvu.members.selectors import members_visible
from dangvu.organizations.decisions import org_field
from dangvu.organizations.models import OrgKind
from dangvu.organizations.pages import guard, scope_org
from dangvu.organizations.selectors import org_ancestors

from . import documents
from . import rules as ir
from . import selectors as sel
from . import services as svc
from .forms import (
    REC_SLOTS,
    AnnounceForm,
    AnswerForm,
    AppealForm,
    CloseForm,
    ComplaintForm,
    ConclusionForm,
    DecideForm,
    DeferForm,
    DisciplineForm,
    DropForm,
    HandlerForm,
    InspectionForm,
    ItemForm,
    ItemInspectionForm,
    NoticeForm,
    ProgrammeForm,
    ProgressForm,
    RecommendationDoneForm,
    ReportsForm,
)
from .models import Activity, ComplaintKind, DisciplineState, Form, Gravity, Method

PER_PAGE = 50


def _org(request):
    org = scope_org(request)
    if not sel.may_read(request.user, org):
        raise PermissionDenied(svc.ERR_ROLE.format(org=org.name))
    return org


def _read(request, what: str, obj=None, org=None) -> None:
    """Every read of these records leaves a trace."""
    audit.record(by=request.user, action="inspection.read", obj=obj if obj is not None else org,
                 org_path=(obj.org_path if obj is not None else org.path), after={"page": what})  # fmt: skip


def _year(raw) -> int:
    try:
        y = int(raw)
    except (TypeError, ValueError):
        return today().year
    return y if 2000 <= y <= today().year + 1 else today().year


def _ctx(request, org, **kw) -> dict:
    return {"org": org, "ancestors": org_ancestors(request.user, org), **kw}


def _members(request, org, form_data=None):
    """Members to choose a subject from: the cell's own, or those matching `member_q` in a committee's subtree,
    and the one already chosen."""
    qs = members_visible(request.user, org).filter(status__in=IN_REGISTER).select_related("org")
    chosen = (form_data or {}).get("subject_member") or request.GET.get("member")
    q = search_key(request.GET.get("member_q", ""))[:60]
    out = []
    if org.type.kind == OrgKind.CELL:
        out = list(qs.order_by("sort_key")[:300])
    elif q:
        for word in q.split():
            qs = qs.filter(search_text__contains=word)
        out = list(qs.order_by("sort_key")[:50])
    if chosen and str(chosen).isdigit() and all(str(m.pk) != str(chosen) for m in out):
        m = members_visible(request.user, org).filter(pk=chosen).select_related("org").first()
        if m is not None:
            out.insert(0, m)
    return out


def _subject_data(request, form, org) -> dict:
    data = dict(form.cleaned_data)
    if data.get("subject_org"):
        data["subject_org"] = org_field(request.user, data["subject_org"], "subject_org")
    else:
        data["subject_org"] = None
    pk = data.get("subject_member")
    data["subject_member"] = members_visible(request.user, org).filter(pk=pk).first() if pk else None
    return data


def _submit(request, form, call, ok, done, again):
    """The POST of a form on a record's page: the form parsed, `call(cleaned_data)` run through the service (a
    role that may not gets 403); on success `ok` (a message, or a function of the result giving one) and a
    redirect to `done`, else the page again (`again(form)`) with the errors under their fields, status 400."""
    if form.is_valid():
        try:
            result = guard(call, form.cleaned_data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, ok(result) if callable(ok) else ok)
            return redirect(*done)
    return again(form)


def _flashed(request, form, back):
    """A small form inside a list (a row's progress, a recommendation done): its errors above the page it
    returns to."""
    for errs in form.errors.values():
        for e in errs:
            messages.error(request, e)
    return redirect(*back)


# --- the overview ----------------------------------------------------------------------------------------------


@replica.reads_view
@login_required
def index(request):
    org, year = _org(request), _year(request.GET.get("year"))
    ov = sel.overview(request.user, org, year)
    late, late_count = sel.late_items(request.user, org)
    recs = sel.open_recommendations(request.user, org)
    _read(request, "overview", org=org)
    figures = [charts.stacked(f"Kiểm tra, giám sát năm {year} theo đơn vị", ["Kiểm tra", "Giám sát"],
                              [(b.org.name if b.org else org.name, [b.inspections, b.supervisions]) for b in ov.branches]),
               charts.bars(f"Đảng viên bị kỷ luật năm {year} theo đơn vị",
                           [(b.org.name if b.org else org.name, b.disciplined_total) for b in ov.branches],
                           head=("Đơn vị", "Bị kỷ luật"))] if len(ov.branches) > 1 else []  # fmt: skip
    return render(request, "inspection/index.html", _ctx(
        request, org, year=year, ov=ov, charts=figures, late=late, late_count=late_count, recs=recs, recs_count=ov.total.recs_open,
        forms=sel.FORMS_SHOWN, today=today(), uncertain=ir.uncertain(today())))  # fmt: skip


@login_required
@require_POST
def report(request):
    """The period's report (inspections, supervisions, violations, discipline by form and level) as Excel."""
    org, year = _org(request), _year(request.GET.get("year"))
    return jobs.start(request, kind="inspection.report", params={"org": org.code, "year": year},
                      label=f"Báo cáo kiểm tra, giám sát, kỷ luật năm {year} — {org.name}", org_path=org.path)  # fmt: skip


# --- programmes ------------------------------------------------------------------------------------------------


@login_required
def programmes(request):
    org, year = _org(request), _year(request.GET.get("year"))
    form = ProgrammeForm(request.POST or None, initial={"year": year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                p = guard(svc.programme_create, by=request.user, org=org, data=form.cleaned_data)
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã ghi chương trình {p.number}.")
                return redirect("inspection:programme", pk=p.pk)
        status = 400
    _read(request, "programmes", org=org)
    return render(request, "inspection/programmes.html", _ctx(
        request, org, year=year, form=form, rows=sel.programmes(request.user, org, year)), status=status)  # fmt: skip


def _programme_ctx(request, p, **kw):
    org = p.organisation
    form = kw.pop("form", None) or ItemForm(initial={"starts_on": today()})
    form.set_members(_members(request, org, form.data if form.is_bound else None))
    return _ctx(request, org, p=p, items=sel.items_of(p), form=form, progress=ProgressForm(), today=today(), **kw)


@login_required
def programme(request, pk):
    p = sel.programme_get(request.user, pk)
    if request.method == "POST":
        form = ItemForm(request.POST)
        form.set_members(_members(request, p.organisation, request.POST))
        if form.is_valid():
            try:
                guard(svc.item_add, by=request.user, programme=p, data=_subject_data(request, form, p.organisation))
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Đã thêm nội dung vào chương trình.")
                return redirect("inspection:programme", pk=p.pk)
        _read(request, "programme", p)
        return render(request, "inspection/programme.html", _programme_ctx(request, p, form=form), status=400)
    _read(request, "programme", p)
    return render(request, "inspection/programme.html", _programme_ctx(request, p))


@login_required
@require_POST
def item_progress(request, pk, ipk):
    p = sel.programme_get(request.user, pk)
    item = p.items.filter(pk=ipk).first()
    if item is None:
        raise Http404
    return _submit(request, ProgressForm(request.POST),
                   lambda cd: svc.item_progress(by=request.user, item=item, state=cd["state"], on=cd["on"],
                                                note=cd["note"]),
                   "Đã ghi tiến độ.", ("inspection:programme", p.pk),
                   lambda form: _flashed(request, form, ("inspection:programme", p.pk)))  # fmt: skip


@login_required
def item_open(request, pk, ipk):
    """Open the inspection (supervision) of a programme item: a numbered decision."""
    p = sel.programme_get(request.user, pk)
    item = p.items.select_related("subject_org", "subject_member").filter(pk=ipk).first()
    if item is None:
        raise Http404
    form = ItemInspectionForm(request.POST or None, initial={"body": p.body, "decided_on": today()})
    if request.method != "POST":
        _read(request, "item_open", p)
    if request.method == "POST" and form.is_valid():
        try:
            i = guard(svc.inspection_open, by=request.user, org=p.organisation, data=form.cleaned_data, item=item)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã ghi quyết định {i.decision_number}.")
            return redirect("inspection:inspection", pk=i.pk)
    return render(request, "inspection/form.html", _ctx(
        request, p.organisation, form=form, title=f"Quyết định {item.get_activity_display().lower()}: {item.subject_label}",
        lead=item.content, back=("inspection:programme", p.pk)), status=400 if request.method == "POST" else 200)  # fmt: skip


# --- inspections and supervisions -----------------------------------------------------------------------------


def _filters(request) -> sel.Filters:
    """The list's filters from the query string; an unknown or out-of-scope subject organisation is 404."""
    subject = None
    if request.GET.get("subject"):
        try:
            subject = org_field(request.user, request.GET["subject"], "subject", required=False)
        except DomainError:
            raise Http404 from None
    return sel.Filters(q=request.GET.get("q", "")[:100], state=request.GET.get("state", ""),
                       activity=request.GET.get("activity", ""), subject=subject)  # fmt: skip


@replica.reads_view
@login_required
def inspections(request):
    org = _org(request)
    f = _filters(request)
    page = Paginator(sel.inspections(request.user, org, f), PER_PAGE).get_page(request.GET.get("page"))
    _read(request, "inspections", org=org)
    return render(request, "inspection/inspections.html", _ctx(
        request, org, page=page, f=f, activities=Activity.choices, today=today()))  # fmt: skip


@login_required
def inspection_new(request):
    org = _org(request)
    form = InspectionForm(request.POST or None, initial={"decided_on": today(), "method": Method.SIGNS})
    form.set_members(_members(request, org, request.POST if request.method == "POST" else None))
    if request.method == "POST" and form.is_valid():
        try:
            i = guard(svc.inspection_open, by=request.user, org=org, data=_subject_data(request, form, org))
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã ghi quyết định {i.decision_number}.")
            return redirect("inspection:inspection", pk=i.pk)
    return render(request, "inspection/form.html", _ctx(
        request, org, form=form, title="Quyết định kiểm tra, giám sát", member_search=True,
        back=("inspection:inspections", None)), status=400 if request.method == "POST" else 200)  # fmt: skip


def _inspection_ctx(request, i, **kw):
    done = RecommendationDoneForm(initial={"done_on": today()})
    return _ctx(request, i.organisation, i=i, recs=list(i.recommendations.all()), today=today(),
                reports=kw.pop("reports", None) or ReportsForm(initial={
                    "self_report": i.self_report, "self_report_on": i.self_report_on,
                    "result_report": i.result_report, "result_on": i.result_on}),
                conclude=kw.pop("conclude", None) or _conclusion_form(), done_form=done,
                successor=sel.successor(i.subject_org) if i.subject_org_id else None,
                disciplines=sel.disciplines_of(request.user, i), **kw)  # fmt: skip


def _conclusion_form(data=None):
    return ConclusionForm(data, initial={"concluded_on": today()})


@login_required
def inspection(request, pk):
    i = sel.inspection_get(request.user, pk)
    _read(request, "inspection", i)
    return render(request, "inspection/inspection.html", _inspection_ctx(request, i))


@login_required
@require_POST
def inspection_reports(request, pk):
    i = sel.inspection_get(request.user, pk)
    return _submit(request, ReportsForm(request.POST, request.FILES),
                   lambda cd: svc.inspection_reports(by=request.user, inspection=i, data=cd,
                                                     upload=cd.get("self_report_file")),
                   "Đã ghi báo cáo.", ("inspection:inspection", i.pk),
                   lambda form: _inspection_page(request, i, reports=form))  # fmt: skip


@login_required
@require_POST
def inspection_conclude(request, pk):
    i = sel.inspection_get(request.user, pk)
    form = _conclusion_form(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        recs = [svc.RecommendationIn(cd.get(f"rec_{n}_text") or "", cd.get(f"rec_{n}_due")) for n in range(REC_SLOTS)]
        try:
            guard(svc.inspection_conclude, by=request.user, inspection=i, data=cd, recommendations=recs)
        except DomainError as e:
            add_errors(form, {(k.replace("recommendations.", "rec_").replace(".text", "_text")
                               .replace(".due_on", "_due")): v for k, v in e.errors.items()})  # fmt: skip
        else:
            messages.success(request, f"Đã ghi kết luận {i.conclusion_number}.")
            return redirect("inspection:inspection", pk=i.pk)
    return _inspection_page(request, i, conclude=form)


@login_required
@require_POST
def recommendation_done(request, pk, rpk):
    i = sel.inspection_get(request.user, pk)
    rec = i.recommendations.filter(pk=rpk).first()
    if rec is None:
        raise Http404
    return _submit(request, RecommendationDoneForm(request.POST),
                   lambda cd: svc.recommendation_done(by=request.user, rec=rec, on=cd["done_on"], note=cd["note"]),
                   "Đã ghi kiến nghị hoàn thành.", ("inspection:inspection", i.pk),
                   lambda form: _flashed(request, form, ("inspection:inspection", i.pk)))  # fmt: skip


@login_required
def inspection_file(request, pk):
    i = sel.inspection_get(request.user, pk)
    if not i.self_report_file:
        raise Http404
    return serve(by=request.user, stored=i.self_report_file, sha256=i.self_report_sha256, kind=i.self_report_kind,
                 filename=f"bao-cao-tu-kiem-tra-{i.pk}.{i.self_report_kind}", obj=i, org_path=i.org_path,
                 action="inspection.file", info={"inspection": i.pk})  # fmt: skip


@login_required
def inspection_doc(request, pk, kind):
    i = sel.inspection_get(request.user, pk)
    if kind not in documents.INSPECTION_DOCS:
        raise Http404
    return guard(documents.inspection_download, request.user, i, kind)


# --- discipline --------------------------------------------------------------------------------------------------


@replica.reads_view
@login_required
def disciplines(request):
    org = _org(request)
    f = _filters(request)
    page = Paginator(sel.disciplines(request.user, org, f), PER_PAGE).get_page(request.GET.get("page"))
    _read(request, "disciplines", org=org)
    return render(request, "inspection/disciplines.html", _ctx(
        request, org, page=page, f=f, states=DisciplineState.choices))  # fmt: skip


@login_required
def discipline_new(request):
    org = _org(request)
    initial = {"body": "cell" if org.type.kind == OrgKind.CELL else ""}
    for key in ("inspection", "notice"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = DisciplineForm(request.POST or None, initial=initial)
    form.set_members(_members(request, org, request.POST if request.method == "POST" else None))
    if request.method == "POST" and form.is_valid():
        data = _subject_data(request, form, org)
        if request.GET.get("inspection"):
            data["inspection"] = sel.inspection_get(request.user, request.GET["inspection"])
        if request.GET.get("notice"):
            data["notice"] = sel.notice_get(request.user, request.GET["notice"])
        try:
            d = guard(svc.discipline_open, by=request.user, org=org, data=data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Đã ghi vụ việc kỷ luật.")
            return redirect("inspection:discipline", pk=d.pk)
    return render(request, "inspection/form.html", _ctx(
        request, org, form=form, title="Xem xét kỷ luật", member_search=True, gravities=Gravity.choices,
        back=("inspection:disciplines", None)), status=400 if request.method == "POST" else 200)  # fmt: skip


def _seats(d) -> list[Seat]:
    """The posts the member holds (what a removal from post may name)."""
    if not d.subject_member_id:
        return []
    return list(Seat.objects.filter(member=d.subject_member, valid_to__isnull=True).select_related("organisation"))


def _discipline_ctx(request, d, **kw):
    seats = _seats(d)
    lim = svc.limitation_of(d, d.decided_on or today())
    linked = sel.inspection_visible(request.user, d.inspection_id)
    return _ctx(request, d.organisation, d=d, today=today(), lim=lim, linked=linked,
                allowed=[Form(f).label for f in ir.forms_allowed(d.organisation, "member" if d.subject_member_id
                                                                  else "organisation", d.decided_on or today())],
                decide=kw.pop("decide", None) or DecideForm(seats=seats, initial={"decided_on": today(),
                                                                                 "announced_on": today()}),
                defer=kw.pop("defer", None) or DeferForm(), drop=kw.pop("drop", None) or DropForm(),
                announce=kw.pop("announce", None) or AnnounceForm(initial={"announced_on": today()}),
                appeal_form=kw.pop("appeal_form", None) or AppealForm(initial={"filed_on": today()}),
                answer=kw.pop("answer", None) or AnswerForm(seats=seats, initial={"decided_on": today()}),
                appeals=list(d.appeals.all()), seats=seats,
                appeal_until=ir.appeal_due(d.announced_on) if d.announced_on else None,
                successor=sel.successor(d.subject_org) if d.subject_org_id else None, **kw)  # fmt: skip


def _discipline_page(request, d, **forms):
    _read(request, "discipline", d)  # a refused form shows the record again: a read
    return render(request, "inspection/discipline.html", _discipline_ctx(request, d, **forms), status=400)


def _complaint_page(request, c, **forms):
    _read(request, "complaint", c)
    return render(request, "inspection/complaint.html", _complaint_ctx(request, c, **forms), status=400)


def _inspection_page(request, i, **forms):
    _read(request, "inspection", i)
    return render(request, "inspection/inspection.html", _inspection_ctx(request, i, **forms), status=400)


@login_required
def discipline(request, pk):
    d = sel.discipline_get(request.user, pk)
    _read(request, "discipline", d)
    return render(request, "inspection/discipline.html", _discipline_ctx(request, d))


@login_required
@require_POST
def discipline_decide(request, pk):
    d = sel.discipline_get(request.user, pk)
    seats = _seats(d)
    form = DecideForm(request.POST, seats=seats)
    return _submit(request, form, lambda cd: svc.discipline_decide(by=request.user, discipline=d, x=svc.Decision(
        form=cd["form"], decided_on=cd["decided_on"], announced_on=cd["announced_on"], votes_for=cd["votes_for"],
        votes_base=cd["votes_base"], hearing_on=cd["hearing_on"], number=cd["number"], note=cd["note"],
        seat=next((x for x in seats if str(x.pk) == cd["seat"]), None))),
        lambda r: f"Đã ghi quyết định kỷ luật {r.number}." + (f" {svc.ERR_DISSOLUTION}" if r.form == "dissolution" else ""),
        ("inspection:discipline", d.pk),
        lambda form: _discipline_page(request, d, decide=form))  # fmt: skip


@login_required
@require_POST
def discipline_announce(request, pk):
    d = sel.discipline_get(request.user, pk)
    return _submit(request, AnnounceForm(request.POST),
                   lambda cd: svc.discipline_announce(by=request.user, discipline=d, on=cd["announced_on"]),
                   "Đã ghi ngày công bố: quyết định có hiệu lực.", ("inspection:discipline", d.pk),
                   lambda form: _discipline_page(request, d, announce=form))  # fmt: skip


@login_required
@require_POST
def discipline_defer(request, pk):
    d = sel.discipline_get(request.user, pk)
    return _submit(request, DeferForm(request.POST),
                   lambda cd: svc.discipline_defer(by=request.user, discipline=d, reason=cd["deferral"],
                                                   until=cd["deferred_until"]),
                   "Đã ghi hoãn xem xét kỷ luật.", ("inspection:discipline", d.pk),
                   lambda form: _discipline_page(request, d, defer=form))  # fmt: skip


@login_required
@require_POST
def discipline_drop(request, pk):
    d = sel.discipline_get(request.user, pk)
    return _submit(request, DropForm(request.POST),
                   lambda cd: svc.discipline_drop(by=request.user, discipline=d, on=cd["decided_on"], note=cd["note"]),
                   "Đã ghi không kỷ luật.", ("inspection:discipline", d.pk),
                   lambda form: _discipline_page(request, d, drop=form))  # fmt: skip


@login_required
def discipline_doc(request, pk):
    d = sel.discipline_get(request.user, pk)
    return guard(documents.discipline_download, request.user, d)


@login_required
@require_POST
def appeal_file(request, pk):
    d = sel.discipline_get(request.user, pk)
    return _submit(request, AppealForm(request.POST),
                   lambda cd: svc.appeal_file(by=request.user, discipline=d, filed_on=cd["filed_on"],
                                              content=cd["content"], received_on=cd["received_on"]),
                   "Đã ghi đơn khiếu nại.", ("inspection:discipline", d.pk),
                   lambda form: _discipline_page(request, d, appeal_form=form))  # fmt: skip


@login_required
@require_POST
def appeal_answer(request, pk):
    a = sel.appeal_get(request.user, pk)
    d = a.discipline
    seats = _seats(d)
    return _submit(request, AnswerForm(request.POST, seats=seats),
                   lambda cd: svc.appeal_answer(by=request.user, appeal=a, x=svc.Answer(
                       outcome=cd["outcome"], decided_on=cd["decided_on"], decided_by=cd["decided_by"],
                       number=cd["number"], new_form=cd["new_form"], apology_on=cd["apology_on"], note=cd["note"],
                       seat=next((x for x in seats if str(x.pk) == cd["seat"]), None))),
                   "Đã ghi kết quả giải quyết khiếu nại.", ("inspection:discipline", d.pk),
                   lambda form: _discipline_page(request, d, answer=form))  # fmt: skip


# --- notices from outside, denunciations and complaints ---------------------------------------------------------


@login_required
def notices(request):
    org = _org(request)
    form = NoticeForm(request.POST or None, initial={"received_on": today()})
    form.set_members(_members(request, org, request.POST if request.method == "POST" else None))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            member = members_visible(request.user, org).filter(pk=form.cleaned_data["subject_member"]).first()
            try:
                if member is None:
                    raise DomainError(svc.ERR_REQUIRED, field="subject_member")
                n = guard(svc.notice_add, by=request.user, member=member, data=form.cleaned_data)
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Đã ghi thông báo." + (" Thông báo đến muộn so với quy định." if n.late else ""))
                return redirect(f"{request.path}?org={org.code}")
        status = 400
    _read(request, "notices", org=org)
    rows = Paginator(sel.notices(request.user, org), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "inspection/notices.html", _ctx(request, org, form=form, page=rows, member_search=True),
                  status=status)  # fmt: skip


@login_required
def complaints(request):
    org = _org(request)
    form = ComplaintForm(request.POST or None, initial={"received_on": today()})
    form.set_members(_members(request, org, request.POST if request.method == "POST" else None))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                c = guard(svc.complaint_add, by=request.user, org=org, data=_subject_data(request, form, org))
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã ghi {c.get_kind_display().lower()}, hạn giải quyết {c.due_on:%d/%m/%Y}.")
                return redirect("inspection:complaint", pk=c.pk)
        status = 400
    _read(request, "complaints", org=org)
    state = request.GET.get("state", "")
    rows = Paginator(sel.complaints(request.user, org, state), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "inspection/complaints.html", _ctx(
        request, org, form=form, page=rows, state=state, kinds=ComplaintKind.choices, today=today(),
        member_search=True), status=status)  # fmt: skip


def _complaint_ctx(request, c, **kw):
    return _ctx(request, c.organisation, c=c, handles=sel.handles(request.user, c), today=today(),
                close=kw.pop("close", None) or CloseForm(initial={"closed_on": today()}),
                handler=kw.pop("handler", None) or HandlerForm(), **kw)  # fmt: skip


@login_required
def complaint(request, pk):
    c = sel.complaint_get(request.user, pk)
    _read(request, "complaint", c)
    return render(request, "inspection/complaint.html", _complaint_ctx(request, c))


@login_required
@require_POST
def complaint_close(request, pk):
    c = sel.complaint_get(request.user, pk)
    return _submit(request, CloseForm(request.POST),
                   lambda cd: svc.complaint_close(by=request.user, complaint=c, on=cd["closed_on"], outcome=cd["outcome"]),
                   "Đã ghi kết quả giải quyết.", ("inspection:complaint", c.pk),
                   lambda form: _complaint_page(request, c, close=form))  # fmt: skip


@login_required
@require_POST
def complaint_handler(request, pk):
    c = sel.complaint_get(request.user, pk)
    return _submit(request, HandlerForm(request.POST),
                   lambda cd: svc.complaint_handler_add(by=request.user, complaint=c, username=cd["username"]),
                   lambda u: f"Đã thêm {u.username} cùng giải quyết.", ("inspection:complaint", c.pk),
                   lambda form: _complaint_page(request, c, handler=form))  # fmt: skip

