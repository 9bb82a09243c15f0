"""Pages of congresses and elections. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import audit
from dangvu.core.errors import DomainError
from dangvu.core.forms import add_errors
from dangvu.members.models import Member
from dangvu.members.selectors import member_choices
from dangvu.members.services import check_may_edit
from dangvu.organizations.pages import flash_errors, guard
from dangvu.organizations.selectors import org_ancestors, org_get

from . import selectors as sel
from . import services as svc
from .docx import vote_count_minutes
from .forms import CongressForm, CountForm, DelegateForm, ElectionForm
from .models import Kind, Position, State


@login_required
def index(request, code):
    """An organisation's congresses, and a new one."""
    org = org_get(request.user, code)
    may_edit = covers(request.user, org.path, roles=EDIT_ROLES)
    form = CongressForm(request.POST or None, initial={"number": svc.next_number(org), "kind": Kind.MEMBERS})
    if request.method == "POST":
        guard(check_may_edit, request.user, org)
        if form.is_valid():
            try:
                c = svc.congress_create(by=request.user, org=org, data=svc.NewCongress(**form.cleaned_data))
            except DomainError as e:
                add_errors(form, e)
            else:
                messages.success(request, f"Đã ghi đại hội lần thứ {c.number}.")
                return redirect("congresses:detail", pk=c.pk)
    return render(request, "congresses/index.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "congresses": sel.of_org(request.user, org),
        "form": form, "may_edit": may_edit,
    })  # fmt: skip


def _choices(c, data) -> list:
    official = [a.member_id for a in data["attendees"] if a.official]
    return member_choices(official)


@login_required
def detail(request, pk):
    c = sel.congress_get(request.user, pk)
    org = c.organisation
    data = sel.detail(c)
    may_edit = covers(request.user, org.path, roles=EDIT_ROLES) and c.state != State.CONFIRMED
    secretary = any(x.elected for e in data["elections"] if e.position == Position.SECRETARY for x in e.candidates.all())
    ctx = {"c": c, "org": org, "ancestors": org_ancestors(request.user, org), "may_edit": may_edit, **data,
           "secretary_elected": secretary, "appoint_choices": [] if secretary else _choices(c, data),
           "may_elect_committee": svc.may_elect_committee(org, c.starts_on),
           "election_form": ElectionForm(choices=_choices(c, data), initial={"held_on": c.ends_on}),
           "positions": Position}  # fmt: skip
    if may_edit and c.kind == Kind.DELEGATES:
        from dangvu.members.models import IN_REGISTER

        ids = Member.objects.filter(org_path__startswith=org.path, status__in=IN_REGISTER).exclude(
            pk__in=[a.member_id for a in data["attendees"]]).order_by("sort_key", "pk").values_list("pk", flat=True)[:5000]  # fmt: skip
        ctx["delegate_form"] = DelegateForm(choices=member_choices(ids))
    return render(request, "congresses/detail.html", ctx)


def _for_edit(request, pk):
    c = sel.congress_get(request.user, pk)
    guard(check_may_edit, request.user, c.organisation)
    return c


def _back(request, c, message: str | None = None, error: DomainError | None = None):
    if error is not None:
        flash_errors(request, error)
    elif message:
        messages.success(request, message)
    return redirect("congresses:detail", pk=c.pk)


@login_required
@require_POST
def summon(request, pk):
    c = _for_edit(request, pk)
    try:
        n = svc.summon_members(by=request.user, congress=c)
    except DomainError as e:
        return _back(request, c, error=e)
    return _back(request, c, f"Đã triệu tập thêm {n} đảng viên.")


@login_required
@require_POST
def delegate(request, pk):
    c = _for_edit(request, pk)
    try:
        member = sel.member_in_scope(request.user, int(request.POST.get("member") or 0))
        if member is None:
            raise DomainError("Hãy chọn đại biểu.", field="member")
        svc.delegate_add(by=request.user, congress=c, member=member)
    except (DomainError, ValueError) as e:
        return _back(request, c, error=e if isinstance(e, DomainError) else DomainError("Hãy chọn đại biểu."))
    return _back(request, c, f"Đã thêm đại biểu {member.full_name}.")


@login_required
@require_POST
def presence(request, pk):
    c = _for_edit(request, pk)
    ids = {int(x) for x in request.POST.getlist("present") if x.isdigit()}
    try:
        svc.presence(by=request.user, congress=c, present=ids)
    except DomainError as e:
        return _back(request, c, error=e)
    return _back(request, c, f"Đã ghi {len(ids)} {'đại biểu' if c.kind == Kind.DELEGATES else 'đảng viên'} có mặt.")


@login_required
@require_POST
def election(request, pk):
    c = _for_edit(request, pk)
    data = sel.detail(c)
    form = ElectionForm(request.POST, choices=_choices(c, data))
    if not form.is_valid():
        return _back(request, c, error=DomainError(next(iter(form.errors.values()))[0]))
    d = form.cleaned_data
    people = list(Member.objects.filter(pk__in=d["candidates"]).order_by("sort_key", "pk"))
    try:
        e = svc.election_add(by=request.user, congress=c, data=svc.NewElection(
            position=d["position"], seats=d["seats"], held_on=d["held_on"], candidates=people))  # fmt: skip
    except DomainError as err:
        return _back(request, c, error=err)
    messages.success(request, f"Đã lập danh sách bầu {e.get_position_display().lower()} (lần {e.round}).")
    return redirect("congresses:count", pk=e.pk)


@login_required
def count(request, pk):
    e = sel.election_get(request.user, pk)
    c = e.congress
    guard(check_may_edit, request.user, c.organisation)
    candidates = list(e.candidates.select_related("member").order_by("member__sort_key"))
    form = CountForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and not e.counted and form.is_valid():
        d = form.cleaned_data
        try:
            svc.count(by=request.user, election=e, issued=d["ballots_issued"], valid=d["ballots_valid"],
                      invalid=d["ballots_invalid"], votes={x.member_id: d[f"c{x.member_id}"] for x in candidates})  # fmt: skip
        except DomainError as err:
            add_errors(form, err)
        else:
            messages.success(request, f"Đã kiểm phiếu; biên bản kiểm phiếu Số {e.minutes.symbol}.")
            return redirect("congresses:detail", pk=c.pk)
    return render(request, "congresses/count.html", {"e": e, "c": c, "org": c.organisation, "form": form,
                                                     "candidates": candidates})  # fmt: skip


@login_required
def minutes(request, pk):
    e = sel.election_get(request.user, pk)
    if not e.counted:
        messages.info(request, "Lần bầu này chưa kiểm phiếu.")
        return redirect("congresses:detail", pk=e.congress_id)
    data = vote_count_minutes(e)
    audit.record(by=request.user, action="congress.minutes", obj=e.congress, org_path=e.congress.org_path,
                 after={"election": e.pk})  # fmt: skip
    r = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    r["Content-Disposition"] = f'attachment; filename="bien-ban-kiem-phieu-{e.congress.organisation.code}-{e.pk}.docx"'
    return r


@login_required
@require_POST
def election_remove(request, pk):
    e = sel.election_get(request.user, pk)
    c = e.congress
    guard(check_may_edit, request.user, c.organisation)
    try:
        svc.election_remove(by=request.user, election=e)
    except DomainError as err:
        return _back(request, c, error=err)
    return _back(request, c, f"Đã xóa danh sách bầu {e.get_position_display().lower()} (lần {e.round}).")


@login_required
@require_POST
def confirm(request, pk):
    c = _for_edit(request, pk)
    appointed = None
    raw = request.POST.get("appointed") or ""
    if raw.isdigit():
        appointed = sel.member_in_scope(request.user, int(raw))
    try:
        svc.confirm(by=request.user, congress=c, appointed=appointed, reference=request.POST.get("reference") or "")
    except DomainError as e:
        return _back(request, c, error=e)
    return _back(request, c, f"Đã xác nhận kết quả: nhiệm kỳ {c.term_name} bắt đầu, cấp ủy mới đã được ghi vào Ban lãnh đạo.")
