"""Pages of the tree. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from dangvu.accounts.models import DECISION_ROLES, EDIT_ROLES
from dangvu.accounts.selectors import covers, holds_any
from dangvu.core.dates import today
from dangvu.core.errors import DomainError, NotFound

from . import ahead
from . import selectors as sel
from .decisions import build_plan
from .forms import FORMS, CancelForm, SplitForm
from .holdings import annotate_rows, detail_context, holdings
from .models import AheadState, EventKind
from .pages import guard


def _as_of(request) -> dt.date | None:
    """The date the tree is shown as of: None for today; a past date (the history); or a future date (today's tree
    with the decisions recorded ahead carried out, see `_projected`)."""
    raw = (request.GET.get("as_of") or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            d = dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a calendar date, no time of day)
            return None if d == today() else d
        except ValueError:
            continue
    return None


def _projected(request, as_of, build):
    """Render `build(as_of_for_selectors)` for the date asked: a future date inside `ahead.projected`, where the
    current tables show the tree as the pending decisions will leave it."""
    if as_of is None or as_of < today():
        return build(as_of, None)
    with ahead.projected(request.user, as_of) as (applied, failed):
        return build(None, {"applied": applied, "failed": failed})


@login_required
def tree(request):
    """The working tree: the roots of the user's scope, expandable; or search results for `q`."""
    shown = _as_of(request)
    q = (request.GET.get("q") or "").strip()

    def build(as_of, projection):
        ctx = {"as_of": shown, "q": q, "as_of_input": request.GET.get("as_of", ""), "projection": projection,
               "pending": [] if shown else ahead.visible(request.user).filter(state=AheadState.PENDING)[:20]}  # fmt: skip
        if q:
            page = Paginator(sel.org_list(request.user, q=q, as_of=as_of), 50).get_page(request.GET.get("page"))
            ctx["page"] = page
            ctx["results"] = [sel.as_row(o) for o in page]
        else:
            ctx["roots"] = sel.user_roots(request.user, as_of=as_of)
            if as_of is None:
                annotate_rows(ctx["roots"])
        return render(request, "organizations/organisation_tree.html", ctx)

    return _projected(request, shown, build)


@login_required
def children(request, code: str):
    """htmx: the sub-organisations of one node, to expand it in place."""
    shown = _as_of(request)

    def build(as_of, projection):
        org = sel.org_get(request.user, code)
        rows = sel.org_children(request.user, org, as_of=as_of)
        if as_of is None:
            annotate_rows(rows)
        return render(request, "organizations/partials/_children.html", {"rows": rows, "as_of": shown})

    return _projected(request, shown, build)


@login_required
def detail(request, code: str):
    org = sel.org_get(request.user, code)
    shown = _as_of(request)
    ctx = {
        "org": org,
        "as_of": shown,
        "ancestors": sel.org_ancestors(request.user, org),
        "by_type": sel.subtree_counts_by_type(request.user, org) if org.is_open else [],
        "history": sel.org_history(request.user, org),
        "kinds": EventKind,
        "pending": ahead.about(request.user, org),
    }
    ctx["subtree_total"] = sum(r["n"] for r in ctx["by_type"])
    ctx.update(detail_context(request.user, org))

    def build(as_of, projection):
        rows = sel.org_children(request.user, sel.org_get(request.user, code), as_of=as_of)
        if as_of is None:
            annotate_rows(rows)
        return render(request, "organizations/organisation_detail.html", {**ctx, "rows": rows,
                                                                          "projection": projection})  # fmt: skip

    return _projected(request, shown, build)


@login_required
def history(request, code: str):
    org = sel.org_get(request.user, code)
    return render(
        request,
        "organizations/organisation_history.html",
        {
            "org": org,
            "ancestors": sel.org_ancestors(request.user, org),
            "history": sel.org_history(request.user, org),
        },
    )


@login_required
def suggest(request):
    """htmx: <option>s for the organisation-code datalist."""
    return render(
        request,
        "organizations/partials/_suggest.html",
        {"orgs": sel.org_suggest(request.user, next((v for k, v in request.GET.items() if v and k != "anywhere"), ""),
                                 cells_anywhere=request.GET.get("anywhere") == "cells" and holds_any(request.user, EDIT_ROLES))},
    )


@login_required
def decisions(request):
    page = Paginator(sel.events_visible(request.user), 50).get_page(request.GET.get("page"))
    pending = ahead.visible(request.user).exclude(state=AheadState.APPLIED).order_by("state", "effective_on", "pk")
    return render(request, "organizations/orgevent_list.html", {"page": page, "pending": pending[:100]})


@login_required
def pending(request, pk: int):
    """A decision waiting for its date: what it will change; cancelling it (recorded, with reason and number)."""
    p = ahead.get(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guard(ahead.cancel, by=request.user, pending=p, reason=form.cleaned_data["reason"],
                  number=form.cleaned_data["number"])  # fmt: skip
            messages.success(request, f"Đã hủy quyết định số {p.decision_number}; cây tổ chức giữ nguyên.")
            return redirect("organizations:decisions")
        except DomainError as e:
            for key, msg in e.errors.items():
                form.add_error(key if key in form.fields else None, msg)
    may_cancel = p.state == AheadState.PENDING and all(
        covers(request.user, o.path, roles=DECISION_ROLES) for o in p.orgs.all()
    )
    return render(request, "organizations/pending_detail.html", {"p": p, "form": form, "may_cancel": may_cancel})


@login_required
def decision(request, kind: str):
    """Record a decision: form → confirmation page listing what will change → recorded."""
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404
    if request.GET.get("org"):
        sel.org_get(request.user, request.GET["org"])  # another organisation's code in the address: 404
    if not holds_any(request.user, DECISION_ROLES):
        raise PermissionDenied("Chỉ cán bộ tổ chức hoặc quản trị mới ghi quyết định về tổ chức.")
    extra = {}
    if form_class is SplitForm:
        code = sel.code_of(request.POST.get("source") or request.GET.get("org") or "")
        source = None
        if code:
            try:
                source = sel.org_get(request.user, code)
            except NotFound:
                source = None
        extra["children"] = list(source.children.filter(closed_on__isnull=True)) if source else []
        extra["held"] = (
            [(h.field, k, label) for h in holdings() for k, label in h.items(source)] if source else []
        )
    initial = {}
    if request.method == "GET" and request.GET.get("org"):
        key = {"establish": "parent", "merge": "sources", "split": "source"}.get(kind, "org")
        named = sel.org_get(request.user, request.GET["org"])
        initial[key] = f"{named.name} ({named.code})"
    form = form_class(request.POST or None, initial=initial, **extra)
    plan = None
    if request.method == "POST" and not request.POST.get("edit") and form.is_valid():
        try:
            plan = build_plan(request.user, form.to_data())
            if request.POST.get("confirm") == "1" and plan.ahead:
                p = ahead.record(by=request.user, data=form.to_data())
                messages.success(request, f"Đã ghi quyết định số {p.decision_number}; quyết định sẽ tự có hiệu lực "
                                          f"ngày {p.effective_on:%d/%m/%Y}. Trước ngày đó cây tổ chức giữ nguyên.")  # fmt: skip
                return redirect("organizations:pending", pk=p.pk)
            if request.POST.get("confirm") == "1":
                event = plan.execute()
                messages.success(request, f"Đã ghi quyết định {event}.")
                link = event.links.order_by("role").first()
                target = event.links.filter(role="target").first() or link
                return redirect(reverse("organizations:history", args=[target.organisation.code]))
        except DomainError as e:
            plan = None
            for key, msg in e.errors.items():
                field = form.field_for(key)
                form.add_error(field if field in form.fields else None, msg)
    template = "organizations/decision_confirm.html" if plan else "organizations/decision_form.html"
    return render(
        request,
        template,
        {"form": form, "plan": plan, "kind": kind, "kinds": [(k, f.title) for k, f in FORMS.items()]},
    )
