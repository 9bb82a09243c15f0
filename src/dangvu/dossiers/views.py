"""Pages of dossiers. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import charts, replica, xlsx
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.core.files import serve
from dangvu.core.forms import add_errors
from dangvu.jobs import views as jobs
from dangvu.organizations.models import OrgKind
from dangvu.organizations.pages import flash_errors, guard, scope_org
from dangvu.organizations.selectors import org_ancestors, org_get

from . import exporter
from . import selectors as sel
from . import services as svc
from .forms import ImportForm, LinkForm, MetaForm, NewVersionForm, SearchForm, TypeForm, UploadForm
from .models import Catalogue, DossierType, LinkKind

ERR_CHOOSE_FILE = "Chưa chọn tệp cho «{name}»: hãy chọn tệp (PDF, Word, Excel, ảnh) rồi bấm «Lập hồ sơ»."


def _year(request) -> int:
    try:
        return svc.check_year(request.GET.get("year") or today().year)
    except DomainError:
        return today().year


# --- completeness of a subtree ------------------------------------------------------------------------------


@replica.reads_view  # dashboards and lists may read from a replica
@login_required
def index(request):
    org, year = scope_org(request), _year(request)
    if org.type.kind == OrgKind.CELL:  # a cell has no branches: its own checklist is the page
        return redirect("dossiers:checklist", code=org.code, year=year)
    only_incomplete = request.GET.get("filter") == "incomplete"
    totals, branches = sel.rollup(org, year)
    raw = request.GET.get("page", "")
    page_no = int(raw) if raw.isdigit() and int(raw) > 0 else 1
    count, rows = sel.org_rows(org, year, only_incomplete=only_incomplete, offset=(page_no - 1) * 50)
    page = Paginator(range(count), 50).get_page(page_no)
    figures = [charts.bars(
        "Tỷ lệ hồ sơ, sổ sách đã có theo đơn vị (%)",
        [(b["org"].name if b["org"] else "", b["percent"], "" if b["is_self"] or not b["org"]
          else f"?org={b['org'].code}&year={year}") for b in branches],
        unit="%", max_value=100, head=("Đơn vị", "Hồ sơ đã có"))] if len(branches) > 1 else []  # fmt: skip
    return render(request, "dossiers/index.html", {"charts": figures,
        "org": org, "ancestors": org_ancestors(request.user, org), "year": year, "totals": totals,
        "branches": branches, "rows": rows, "page": page, "filter": "incomplete" if only_incomplete else "",
        "missing_types": sel.missing_by_type(org, year), "may_publish": svc.may_publish(request.user),
    })  # fmt: skip


@login_required
@require_POST
def export(request):
    """Completeness of a subtree as Excel, as a background job."""
    org, year = scope_org(request), _year(request)
    flt = "incomplete" if request.GET.get("filter") == "incomplete" else ""
    return jobs.start(request, kind="dossiers.export", params={"org": org.code, "year": year, "filter": flt},
                      label=f"Hồ sơ, sổ sách — {org.name} — năm {year}", org_path=org.path)  # fmt: skip


# --- one organisation's checklist ---------------------------------------------------------------------------


@login_required
def checklist(request, code, year):
    org = sel.org_reachable(request.user, code)
    year = year if 1930 <= year <= today().year + 1 else today().year
    may_edit = org.closed_on is None and covers(request.user, org.path, EDIT_ROLES)
    return render(request, "dossiers/checklist.html", {
        "org": org, "year": year, "c": sel.checklist(request.user, org, year), "may_edit": may_edit,
        "ancestors": org_ancestors(request.user, org) if covers(request.user, org.path) else [],
        "upload": UploadForm(),
    })  # fmt: skip


@login_required
@require_POST
def open_dossier(request, code, year):
    """Open the organisation's dossier of a type for the year with its first file. Without a file, only a type
    that is completed by a link or by its details alone is opened (and the user taken there); one that needs a
    file is refused, so no empty dossier is left behind. After the upload, a dossier that still lacks something
    takes the user to the fields it lacks."""
    org = org_get(request.user, code)
    guard(svc.check_may_edit, request.user, org)
    form = UploadForm(request.POST, request.FILES)
    form.is_valid()
    upload = form.cleaned_data.get("file")
    back = redirect(reverse("dossiers:checklist", args=[org.code, year]) + f"#line-{request.POST.get('code', '')}")
    try:
        t = svc.dossier_type_for(org, request.POST.get("code", ""), svc.check_year(year))
        if upload is None and t.needs_file and not t.link_kind:
            raise DomainError(ERR_CHOOSE_FILE.format(name=t.name), field="file")
        with transaction.atomic():
            d = svc.dossier_open(by=request.user, org=org, code=t.code, year=year)
            if upload is not None:
                svc.file_add(
                    by=request.user, dossier=d, upload=upload, title=form.cleaned_data.get("title", "")
                )
    except DomainError as e:
        flash_errors(request, e)
        return back
    d.refresh_from_db()
    lacking = svc.missing(d, t)
    if not lacking:
        messages.success(request, f"Đã lập hồ sơ «{d.title}» và đưa lên tệp; hồ sơ đã đủ.")
        return back if request.POST.get("next") == "checklist" else redirect("dossiers:detail", pk=d.pk)
    messages.warning(request, f"Đã lập hồ sơ «{d.title}»" + (" và đưa lên tệp" if upload else "")
                     + f". Còn thiếu: {', '.join(lacking)}; hãy bổ sung bên dưới.")  # fmt: skip
    anchor = "links" if t.link_kind and not (d.files.exists() or d.links.exists()) else "meta"
    return redirect(reverse("dossiers:detail", args=[d.pk]) + f"?year={year}#{anchor}")


# --- one dossier --------------------------------------------------------------------------------------------


@login_required
def detail(request, pk):
    d = sel.dossier_get(request.user, pk)
    may_edit = d.organisation.closed_on is None and covers(request.user, d.org_path, EDIT_ROLES)
    t = svc.type_of(d)
    form = MetaForm(request.POST or None, initial={
        "title": d.title, "number": d.number, "issued_on": d.issued_on, "signer": d.signer, "note": d.note,
    })  # fmt: skip
    if request.method == "POST":
        if not may_edit:
            guard(svc.check_may_edit, request.user, d.organisation)
            raise PermissionDenied
        if form.is_valid():
            try:
                svc.dossier_update(by=request.user, dossier=d, data=form.cleaned_data)
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, "Đã lưu.")
                return redirect("dossiers:detail", pk=d.pk)
    files = list(d.files.all())
    return render(request, "dossiers/detail.html", {
        "d": d, "t": t, "form": form, "may_edit": may_edit, "missing": svc.missing(d, t),
        "current": [f for f in files if f.current], "old": [f for f in files if not f.current],
        "links": list(d.links.all()), "linkable": svc.linkable(d, t.link_kind) if t and t.link_kind else [],
        "upload": UploadForm(auto_id="up_%s"), "year": request.GET.get("year") or d.year_from,
    })  # fmt: skip


def _dossier_for_edit(request, pk):
    return guard(svc.get_for_edit, request.user, pk)


@login_required
@require_POST
def upload(request, pk):
    d = _dossier_for_edit(request, pk)
    form = UploadForm(request.POST, request.FILES)
    form.is_valid()
    replaces = None
    if form.cleaned_data.get("replaces"):
        replaces = d.files.filter(pk=form.cleaned_data["replaces"]).first()
        if replaces is None:
            raise Http404
    try:
        f = svc.file_add(by=request.user, dossier=d, upload=form.cleaned_data.get("file"),
                         title=form.cleaned_data.get("title", ""), replaces=replaces)  # fmt: skip
    except DomainError as e:
        flash_errors(request, e)
    else:
        messages.success(
            request, f"Đã đưa lên tệp «{f.title}»" + (f" (bản {f.version})." if replaces else ".")
        )
    return redirect("dossiers:detail", pk=d.pk)


@login_required
def file(request, pk, fid):
    """A dossier file: scoped, checked against its SHA-256, and the download is logged."""
    return download(request.user, *sel.file_get(request.user, pk, fid))


def download(user, d, f):
    return serve(by=user, stored=f.file, sha256=f.sha256, kind=f.kind, filename=f"ho-so-{d.code}-{f.pk}-v{f.version}.{f.kind}",
                 obj=d, org_path=d.org_path, action="dossiers.file",
                 info={"file": f.pk, "title": f.title, "version": f.version})  # fmt: skip


@login_required
@require_POST
def link(request, pk):
    d = _dossier_for_edit(request, pk)
    form = LinkForm(request.POST)
    form.is_valid()
    ref = form.cleaned_data.get("ref") or ""
    try:
        if form.cleaned_data.get("kind") not in LinkKind.values:
            raise DomainError(svc.ERR_LINK_MISSING, field="kind")
        svc.link_add(by=request.user, dossier=d, kind=form.cleaned_data["kind"],
                     ref=int(ref) if ref.isdigit() else None)  # fmt: skip
    except DomainError as e:
        flash_errors(request, e)
    else:
        messages.success(request, "Đã liên kết.")
    return redirect("dossiers:detail", pk=d.pk)


@login_required
@require_POST
def unlink(request, pk, lid):
    d = _dossier_for_edit(request, pk)
    link = get_object_or_404(d.links, pk=lid)
    try:
        svc.link_remove(by=request.user, link=link)
    except DomainError as e:
        flash_errors(request, e)
    return redirect("dossiers:detail", pk=d.pk)


# --- search -------------------------------------------------------------------------------------------------


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid() and any(form.cleaned_data.values()):
        cd = form.cleaned_data
        org = sel.org_reachable(request.user, cd["org"]) if cd["org"] else None
        qs = sel.search(
            request.user, q=cd["q"], org=org, year=cd["year"], code=cd["code"], field_=cd["field"]
        )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "dossiers/search.html", {"form": form, "page": page})


# --- catalogues ---------------------------------------------------------------------------------------------


@login_required
def catalogues(request):
    may_publish = svc.may_publish(request.user)
    new = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        guard(svc.check_may_publish, request.user)
        if new.is_valid():
            cd = new.cleaned_data
            try:
                if cd["file"] is not None:
                    cat = svc.catalogue_import(by=request.user, org_type=cd["org_type"], year=cd["year"],
                                               upload=cd["file"])  # fmt: skip
                    messages.success(request, f"Đã nhập {cat.types.count()} loại hồ sơ.")
                else:
                    cat = svc.catalogue_create(by=request.user, org_type=cd["org_type"], year=cd["year"])
                    messages.success(request, "Đã lập danh mục mới.")
            except DomainError as e:
                add_errors(new, e)
            else:
                return redirect("dossiers:catalogue", pk=cat.pk)
    from django.db.models import Count

    cats = Catalogue.objects.select_related("org_type").annotate(n=Count("types"))
    return render(request, "dossiers/catalogues.html",
                  {"cats": cats, "form": new, "may_publish": may_publish, "header": svc.HEADER})  # fmt: skip


@login_required
def catalogue(request, pk):
    cat = get_object_or_404(Catalogue.objects.select_related("org_type"), pk=pk)
    may_publish = svc.may_publish(request.user)
    form = TypeForm(request.POST or None)
    version = NewVersionForm(initial={"year": today().year})
    if request.method == "POST":
        guard(svc.check_may_publish, request.user)
        if form.is_valid():
            try:
                svc.type_save(by=request.user, catalogue=cat, data=form.cleaned_data)
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã thêm «{form.cleaned_data['name']}».")
                return redirect("dossiers:catalogue", pk=cat.pk)
    others = Catalogue.objects.filter(org_type=cat.org_type).order_by("-year")
    return render(request, "dossiers/catalogue.html", {
        "cat": cat, "types": cat.types.all(), "form": form, "version": version, "may_publish": may_publish,
        "others": others,
    })  # fmt: skip


@login_required
def type_edit(request, pk, tid):
    cat = get_object_or_404(Catalogue, pk=pk)
    t = get_object_or_404(DossierType, pk=tid, catalogue=cat)
    guard(svc.check_may_publish, request.user)
    form = TypeForm(request.POST or None, initial={
        "code": t.code, "name": t.name, "field": t.field, "keeping": t.keeping, "required_meta": t.required_meta,
        "needs_file": t.needs_file, "link_kind": t.link_kind, "form": t.form, "retention": t.retention,
    })  # fmt: skip
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                svc.type_remove(by=request.user, dossier_type=t)
                messages.success(request, f"Đã bỏ «{t.name}» khỏi danh mục.")
                return redirect("dossiers:catalogue", pk=cat.pk)
            if form.is_valid():
                svc.type_save(by=request.user, catalogue=cat, data=form.cleaned_data, instance=t)
                messages.success(request, "Đã lưu.")
                return redirect("dossiers:catalogue", pk=cat.pk)
        except DomainError as e:
            add_errors(form, e)
    return render(request, "dossiers/type_form.html", {"cat": cat, "t": t, "form": form})


@login_required
@require_POST
def catalogue_version(request, pk):
    cat = get_object_or_404(Catalogue.objects.select_related("org_type"), pk=pk)
    guard(svc.check_may_publish, request.user)
    form = NewVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(svc.ERR_YEAR.format(max=today().year + 1), field="year")
        new = svc.catalogue_create(by=request.user, org_type=cat.org_type, year=form.cleaned_data["year"],
                                   copy_from=cat, note=form.cleaned_data["note"])  # fmt: skip
    except DomainError as e:
        flash_errors(request, e)
        return redirect("dossiers:catalogue", pk=cat.pk)
    messages.success(request, f"Đã lập danh mục áp dụng từ năm {new.year}, chép từ năm {cat.year}.")
    return redirect("dossiers:catalogue", pk=new.pk)


@login_required
def catalogue_export(request, pk):
    cat = get_object_or_404(Catalogue.objects.select_related("org_type"), pk=pk)
    return xlsx.response(
        xlsx.save_temp(exporter.catalogue_xlsx(cat)), f"danh-muc-{cat.org_type.code}-{cat.year}.xlsx"
    )
