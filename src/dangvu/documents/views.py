"""Pages of the registers. Thin: parse, call a selector or a service, render. Any role on a subtree reads its
registers; the secretary, officer and administrator roles write them (403 otherwise); a record outside the scope
is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.core import ocr
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.core.files import serve
from dangvu.core.forms import add_errors
from dangvu.jobs import views as jobs
from dangvu.organizations.pages import guard, scope_org
from dangvu.organizations.selectors import org_ancestors

from . import downloads
from . import rules as dr
from . import selectors as sel
from . import services as svc
from .forms import (
    AnswerForm,
    DispatchForm,
    DraftForm,
    HandbookFileForm,
    HandbookForm,
    HandleForm,
    IncomingForm,
    OutgoingForm,
    SearchForm,
    TemplateForm,
    VoidForm,
)
from .models import DocType, IncomingStatus, Status

PER_PAGE = 50


def _ctx(request, org, **kw) -> dict:
    return {"org": org, "ancestors": org_ancestors(request.user, org), "may_write": sel.may_write(request.user, org),
            **kw}  # fmt: skip


def _filters(request) -> dict:
    f = SearchForm(request.GET)
    cd = f.cleaned_data if f.is_valid() else {}
    return {"q": cd.get("q") or "", "year": cd.get("year"), "doc_type": cd.get("doc_type") or "",
            "status": cd.get("status") or "", "subtree": bool(cd.get("all")), "late": bool(cd.get("late"))}  # fmt: skip


def _query(org, f: dict, **extra) -> str:
    parts = [f"org={org.code}"] + [f"{k}={v}" for k, v in extra.items()]
    for key, name in (("q", "q"), ("year", "year"), ("doc_type", "doc_type"), ("status", "status")):
        if f.get(key):
            parts.append(f"{name}={f[key]}")
    if f.get("subtree"):
        parts.append("all=1")
    return "&".join(parts)


@login_required
def index(request):
    org = scope_org(request)
    return redirect(f"/documents/outgoing/?org={org.code}")


# --- the outgoing register ---------------------------------------------------------------------------------------


@login_required
def outgoing(request):
    org = scope_org(request)
    f = _filters(request)
    form = OutgoingForm(request.POST or None, request.FILES or None,
                        initial={"issued_on": today(), "body": "org"})  # fmt: skip
    form.set_bodies(dr.bodies_of(org))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                doc = guard(svc.outgoing_add, by=request.user, org=org, data=form.cleaned_data,
                            upload=form.cleaned_data.get("file"))  # fmt: skip
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã vào sổ văn bản đi: số {doc.symbol}.")
                return redirect("documents:outgoing_doc", pk=doc.pk)
        status = 400
    qs = sel.outgoing(request.user, org, q=f["q"], year=f["year"], doc_type=f["doc_type"], status=f["status"],
                      subtree=f["subtree"])  # fmt: skip
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    allowed = dr.allowed(org, "org", today())
    refused = [DocType(t).label for t in DocType.values if t not in allowed]
    return render(request, "documents/outgoing.html", _ctx(
        request, org, form=form, page=page, f=f, query=_query(org, f), types=DocType.choices, statuses=Status.choices,
        refused=refused, rule=dr.params(today())["source"], years=sel.years(request.user, org)), status=status)  # fmt: skip


@login_required
def outgoing_doc(request, pk):
    doc = sel.outgoing_get(request.user, pk)
    form = VoidForm()
    return render(request, "documents/outgoing_doc.html",
                  _ctx(request, doc.organisation, doc=doc, form=form, ocr=ocr.copy_of(doc)))  # fmt: skip


def _ocr_file(request, doc, name: str):
    return downloads.searchable_copy(request.user, doc, name)


@login_required
def outgoing_ocr(request, pk):
    return _ocr_file(request, sel.outgoing_get(request.user, pk), "van-ban-di")


@login_required
def incoming_ocr(request, pk):
    return _ocr_file(request, sel.incoming_get(request.user, pk), "van-ban-den")


@login_required
@require_POST
def outgoing_void(request, pk):
    doc = sel.outgoing_get(request.user, pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            guard(svc.outgoing_void, by=request.user, doc=doc, reason=form.cleaned_data["reason"])
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã hủy văn bản số {doc.symbol}; số được giữ, không dùng lại.")
            return redirect("documents:outgoing_doc", pk=doc.pk)
    return render(request, "documents/outgoing_doc.html", _ctx(request, doc.organisation, doc=doc, form=form,
                                                               ocr=ocr.copy_of(doc)), status=400)  # fmt: skip


@login_required
def outgoing_file(request, pk):
    return downloads.outgoing(request.user, sel.outgoing_get(request.user, pk))


# --- the incoming register ---------------------------------------------------------------------------------------


@login_required
def incoming(request):
    org = scope_org(request)
    f = _filters(request)
    form = IncomingForm(request.POST or None, request.FILES or None, initial={"received_on": today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                doc = guard(svc.incoming_add, by=request.user, org=org, data=form.cleaned_data,
                            upload=form.cleaned_data.get("file"))  # fmt: skip
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã vào sổ văn bản đến: số đến {doc.arrival_number}/{doc.year}.")
                return redirect("documents:incoming_doc", pk=doc.pk)
        status = 400
    qs = sel.incoming(request.user, org, q=f["q"], year=f["year"], status=f["status"], late=f["late"],
                      subtree=f["subtree"], on=today())  # fmt: skip
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "documents/incoming.html", _ctx(
        request, org, form=form, page=page, f=f, query=_query(org, f, late=int(f["late"])),
        statuses=IncomingStatus.choices, years=sel.years(request.user, org)), status=status)  # fmt: skip


@login_required
def incoming_doc(request, pk):
    doc = sel.incoming_get(request.user, pk)
    form = HandleForm(request.POST or None, initial={"handler": doc.handler, "due_on": doc.due_on,
                                                     "status": doc.status, "outcome": doc.outcome})  # fmt: skip
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                guard(svc.incoming_handle, by=request.user, doc=doc, data=form.cleaned_data)
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Đã ghi việc xử lý văn bản đến.")
                return redirect("documents:incoming_doc", pk=doc.pk)
        status = 400
    return render(request, "documents/incoming_doc.html", _ctx(request, doc.organisation, doc=doc, form=form,
                                                               ocr=ocr.copy_of(doc)), status=status)  # fmt: skip


@login_required
def incoming_file(request, pk):
    return downloads.incoming(request.user, sel.incoming_get(request.user, pk))


# --- the books -------------------------------------------------------------------------------------------------


@login_required
@require_POST
def book(request, kind):
    """The register of a year as its book (Excel), as a background job."""
    if kind not in ("outgoing", "incoming"):
        raise Http404
    org = scope_org(request)
    f = _filters(request)
    year = f["year"] or today().year
    label = "Sổ đăng ký văn bản đi" if kind == "outgoing" else "Sổ đăng ký văn bản đến"
    return jobs.start(request, kind="documents.book", params={"org": org.code, "year": year, "kind": kind},
                      label=f"{label} năm {year} — {org.name}", org_path=org.path)  # fmt: skip


# --- distribution down the tree ------------------------------------------------------------------------------


def _months(n: int = 12) -> list:
    from dangvu.core.dates import add_months

    first = today().replace(day=1)
    return [add_months(first, -i) for i in range(n)]


@login_required
def sent(request):
    org = scope_org(request)
    docs = sel.outgoing(request.user, org).filter(status=Status.ISSUED)[:100]
    form = DispatchForm(request.POST or None, initial={"scope": "children", "kind": "document"})
    form.set_choices(docs, _months())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            pk = data.pop("outgoing") or None
            data["outgoing"] = sel.outgoing(request.user, org).filter(pk=pk).first() if pk else None
            try:
                d = guard(svc.dispatch_send, by=request.user, org=org, data=data)
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã gửi «{d.title}» tới {d.recipients_count} tổ chức.")
                return redirect("documents:dispatch", pk=d.pk)
        status = 400
    page = Paginator(sel.sent(request.user, org), PER_PAGE).get_page(request.GET.get("page"))
    stats = sel.progress([d.pk for d in page.object_list], today())
    rows = [(d, stats[d.pk]) for d in page.object_list]
    return render(request, "documents/sent.html", _ctx(request, org, form=form, page=page, rows=rows),
                  status=status)  # fmt: skip


@login_required
def dispatch(request, pk):
    d = sel.dispatch_get(request.user, pk)
    state = request.GET.get("state", "")
    state = state if state in ("unread", "unanswered", "late") else ""
    rows = Paginator(sel.deliveries(d, state=state, on=today()), 200).get_page(request.GET.get("page"))
    return render(request, "documents/dispatch.html", _ctx(
        request, d.organisation, d=d, page=rows, state=state, stats=sel.progress([d.pk], today())[d.pk],
        today=today()))  # fmt: skip


@login_required
def inbox(request):
    org = scope_org(request)
    page = Paginator(sel.inbox(request.user, org), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "documents/inbox.html", _ctx(request, org, page=page, today=today()))


@login_required
def delivery(request, pk):
    x = sel.delivery_get(request.user, pk)
    form = AnswerForm(request.POST or None, request.FILES or None, initial={"answer": x.answer})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                guard(svc.delivery_answer, by=request.user, delivery=x, text=form.cleaned_data["answer"],
                      upload=form.cleaned_data.get("file"))  # fmt: skip
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Đã gửi báo cáo lên cấp trên.")
                return redirect("documents:delivery", pk=x.pk)
        status = 400
    recipient_side = sel.on_recipient_side(request.user, x)
    return render(request, "documents/delivery.html", _ctx(
        request, x.organisation, x=x, form=form, recipient_side=recipient_side,
        may_answer=sel.may_write(request.user, x.organisation), today=today()), status=status)  # fmt: skip


@login_required
@require_POST
def delivery_read(request, pk):
    x = sel.delivery_get(request.user, pk)
    guard(svc.delivery_read, by=request.user, delivery=x)
    messages.success(request, "Đã xác nhận nhận và đọc.")
    return redirect("documents:delivery", pk=x.pk)


@login_required
def delivery_document(request, pk):
    return downloads.delivered(request.user, sel.delivery_get(request.user, pk))


@login_required
def delivery_file(request, pk):
    return downloads.answer(request.user, sel.delivery_get(request.user, pk))


# --- templates and drafting ---------------------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(data: bytes, name: str) -> HttpResponse:
    r = HttpResponse(data, content_type=DOCX)
    r["Content-Disposition"] = f'attachment; filename="{name}"'
    return r


@login_required
def templates(request):
    org = scope_org(request)
    form = TemplateForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            cd = form.cleaned_data
            try:
                t = guard(svc.template_upload, by=request.user, org=org, doc_type=cd["doc_type"], name=cd["name"],
                          upload=cd["file"])  # fmt: skip
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã lưu mẫu «{t.name}» cho {t.get_doc_type_display().lower()}.")
                return redirect(f"{request.path}?org={org.code}")
        status = 400
    rows = sel.templates(request.user, org)
    from . import drafting

    return render(request, "documents/templates.html", _ctx(
        request, org, form=form, rows=rows, fields=drafting.FIELDS_HELP), status=status)  # fmt: skip


@login_required
def template_preview(request, pk):
    from . import drafting

    t = sel.template_get(request.user, pk)
    return _docx(drafting.preview(t), f"xem-thu-{t.doc_type}-{t.pk}.docx")


@login_required
@require_POST
def template_remove(request, pk):
    t = sel.template_get(request.user, pk)
    try:
        guard(svc.template_remove, by=request.user, template=t)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"Đã thôi dùng mẫu «{t.name}».")
    return redirect(f"/documents/templates/?org={t.organisation.code}")


@login_required
def outgoing_draft(request, pk):
    """The registered document drafted as .docx: header, number, place and date, signature block filled."""
    from . import drafting

    doc = sel.outgoing_get(request.user, pk)
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data, _t = guard(svc.draft, by=request.user, doc=doc, body_text=form.cleaned_data["body"])
        except DomainError as e:
            add_errors(form, e)
        else:
            return _docx(data, f"{doc.doc_type}-{doc.number:02d}-{doc.issued_on:%Y%m%d}.docx")
    t = drafting.template_for(doc.organisation, doc.doc_type)
    return render(request, "documents/draft.html", _ctx(request, doc.organisation, doc=doc, form=form, template=t),
                  status=400 if request.method == "POST" else 200)  # fmt: skip


# --- the procedures handbook ----------------------------------------------------------------------------------------


@login_required
def handbook_index(request):
    from . import handbook as hb

    org = scope_org(request)
    q = (request.GET.get("q") or "")[:200]
    return render(request, "documents/handbook.html", _ctx(request, org, rows=hb.pages(org, q), q=q))


@login_required
def handbook_page(request, slug):
    from . import handbook as hb

    org = scope_org(request)
    p = hb.page(org, slug)
    versions = list(p.versions.select_related("edited_by")[:50])
    shown = p
    v = request.GET.get("v", "")
    if v.isdigit() and int(v) != p.version:
        shown = next((x for x in versions if x.version == int(v)), None)
        if shown is None:
            raise Http404
    return render(request, "documents/handbook_page.html", _ctx(
        request, org, p=p, shown=shown, html=hb.render(shown.body), versions=versions,
        files=list(p.files.all()), file_form=HandbookFileForm()))  # fmt: skip


@login_required
def handbook_edit(request, slug):
    from . import handbook as hb

    org = scope_org(request)
    new = slug == "new"
    current = None if new else hb.page(org, slug)
    initial = {"title": current.title, "body": current.body,
               "base_version": current.version if current.organisation_id == org.pk else None} if current else {}  # fmt: skip
    form = HandbookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            p = guard(hb.save, by=request.user, org=org, slug=None if new else slug, title=cd["title"], body=cd["body"],
                      base_version=cd.get("base_version"), note=cd.get("note", ""))  # fmt: skip
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã lưu «{p.title}» (phiên bản {p.version}).")
            return redirect(f"/documents/handbook/{p.slug}/?org={org.code}")
    if request.method != "POST" and not sel.may_write(request.user, org):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(svc.ERR_ROLE.format(org=org.name))
    return render(request, "documents/handbook_edit.html", _ctx(request, org, form=form, current=current, new=new),
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_POST
def handbook_attach(request, slug):
    from django.shortcuts import redirect as go

    from . import handbook as hb

    org = scope_org(request)
    form = HandbookFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            guard(hb.attach, by=request.user, org=org, slug=slug, title=form.cleaned_data["title"],
                  upload=form.cleaned_data["file"])  # fmt: skip
        except DomainError as e:
            for msg in e.errors.values():
                messages.error(request, msg)
        else:
            messages.success(request, "Đã đính kèm biểu mẫu.")
    else:
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
    return go(f"/documents/handbook/{slug}/?org={org.code}")


@login_required
def handbook_file(request, pk):
    from . import handbook as hb

    f = hb.file_get(request.user, pk)
    return serve(by=request.user, stored=f.file, sha256=f.sha256, kind=f.kind, filename=f"bieu-mau-{f.pk}.{f.kind}",
                 obj=f.page, org_path=f.page.org_path, action="documents.handbook_file", info={"file": f.pk})  # fmt: skip


@login_required
def search(request):
    """One search box over both registers of the organisation and its whole branch (number, subject, sender,
    signer, the text inside the files), the newest first of each."""
    org = scope_org(request)
    q = (request.GET.get("q") or "").strip()[:200]
    out_rows, in_rows, n_out, n_in = [], [], 0, 0
    if q:
        out_qs = sel.outgoing(request.user, org, q=q, subtree=True)
        in_qs = sel.incoming(request.user, org, q=q, subtree=True, on=today())
        out_rows, in_rows = list(out_qs[:PER_PAGE]), list(in_qs[:PER_PAGE])
        n_out, n_in = out_qs.count(), in_qs.count()
    return render(request, "documents/search.html", _ctx(request, org, q=q, out_rows=out_rows, in_rows=in_rows,
                                                         n_out=n_out, n_in=n_in, shown=PER_PAGE))  # fmt: skip
