"""Pages: my account (second factor, API tokens, password), access management (grants, accounts), the audit log.
Thin: parse, call a selector or a service, render."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.core import audit
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.core.forms import add_errors
from dangvu.jobs import views as jobs
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import exporter
from . import selectors as sel
from . import services as svc
from .forms import GrantForm, TokenForm, TwoFactorForm, UserCreateForm, audit_query
from .middleware import SESSION_FLAG
from .models import Role

ERR_NO_GRANT_RIGHTS = "Chỉ cán bộ tổ chức hoặc quản trị mới quản lý quyền truy cập."
ERR_NO_AUDIT_RIGHTS = "Chỉ kiểm tra viên, cán bộ tổ chức hoặc quản trị mới xem nhật ký."
ERR_THROTTLED = "Đã nhập sai mã; chờ {s} giây rồi nhập mã đang hiện trên ứng dụng."
ERR_BAD_CODE = "Mã không đúng hoặc đã hết hạn; hãy nhập mã đang hiện trên ứng dụng."


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return reverse("home")


# --- my account ----------------------------------------------------------------------------------------------


@login_required
def account(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = svc.token_create(user=request.user, name=form.cleaned_data["name"], by=request.user)
        form = TokenForm()
    ctx = {
        "form": form,
        "new_token": new_token,
        "grants": sel.active_grants(request.user).order_by("org_path"),
        "tokens": sel.user_tokens(request.user),
        "has_device": user_has_device(request.user),
        "needs_2fa": sel.needs_two_factor(request.user),
    }
    return render(request, "accounts/account.html", ctx)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = sel.token_get(request.user, pk)
    svc.token_revoke(token=token, by=request.user)
    messages.success(
        request, f"Đã thu hồi mã {token.prefix}…; các chương trình dùng mã này không truy cập được nữa."
    )
    return redirect("accounts:account")


def _qr_svg(url: str) -> str:
    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue().decode()


@login_required
def two_factor(request):
    """Verify the second factor, or enrol one when the user has none yet."""
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    enrolling = not devices
    if enrolling:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=request.user, name="Ứng dụng xác thực", confirmed=False)
        devices = [device]
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        usable = [d for d in devices if d.verify_is_allowed()[0]]
        matched = next((d for d in usable if d.verify_token(form.cleaned_data["token"])), None)
        if matched is not None:
            if enrolling:
                matched.confirmed = True
                matched.save(update_fields=["confirmed"])
                audit.record(by=request.user, action="otp.enrol", obj=request.user)
                messages.success(
                    request, "Đã bật xác thực hai bước. Từ nay mỗi lần đăng nhập cần mã từ ứng dụng."
                )
            otp_login(request, matched)
            request.session[SESSION_FLAG] = True
            return redirect(_next_url(request))
        if not usable:  # every device is waiting after wrong codes (django-otp: 1, 2, 4… seconds)
            wait = 2 ** max(min(d.throttling_failure_count for d in devices) - 1, 0)
            form.add_error("token", ERR_THROTTLED.format(s=wait))
        else:
            audit.record(by=request.user, action="otp.failed", obj=request.user)
            form.add_error("token", ERR_BAD_CODE)
    ctx = {"form": form, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        ctx["qr"] = _qr_svg(devices[0].config_url)
        key = _b32(devices[0])
        ctx["key"] = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    return render(request, "accounts/two_factor.html", ctx)


def _b32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(by=self.request.user, action="password.change", obj=self.request.user)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


# --- access management ---------------------------------------------------------------------------------------


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise PermissionDenied(message)


@login_required
def access(request):
    """Grants in the subtree the user manages; grant a role; open an account with its first grant."""
    org = org_get(request.user, request.GET["org"]) if request.GET.get("org") else None  # outside: 404
    _require(sel.may_manage_grants(request.user), ERR_NO_GRANT_RIGHTS)
    grant_form = GrantForm(request.POST if request.POST.get("form") == "grant" else None, prefix="g")
    user_form = UserCreateForm(request.POST if request.POST.get("form") == "user" else None, prefix="u")
    if request.method == "POST":
        try:
            if request.POST.get("form") == "grant" and grant_form.is_valid():
                d = grant_form.cleaned_data
                user = _user_by_name(d["username"])
                target = org_field(request.user, d["org"], "org")
                g = svc.grant_create(
                    user=user,
                    organisation=target,
                    role=d["role"],
                    by=request.user,
                    valid_from=d["valid_from"],
                    valid_to=d["valid_to"],
                )
                messages.success(
                    request,
                    f"Đã cấp vai trò «{g.get_role_display()}» trên {target.name} cho {user.username}.",
                )
                return redirect(reverse("accounts:access") + f"?org={target.code}")
            if request.POST.get("form") == "user" and user_form.is_valid():
                d = user_form.cleaned_data
                target = org_field(request.user, d["org"], "org")
                u = svc.user_create(
                    username=d["username"],
                    full_name=d["full_name"],
                    email=d["email"],
                    password=d["password"],
                    organisation=target,
                    role=d["role"],
                    by=request.user,
                )
                messages.success(request, f"Đã tạo tài khoản {u.username} và cấp quyền trên {target.name}.")
                return redirect("accounts:user", username=u.username)
        except DomainError as e:
            add_errors(grant_form if request.POST.get("form") == "grant" else user_form, e)
    include_ended = request.GET.get("ended") == "1"
    qs = sel.grants_list(
        request.user,
        org=org,
        q=request.GET.get("q", "").strip(),
        role=request.GET.get("role", ""),
        include_ended=include_ended,
    )
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "org": org,
        "grant_form": grant_form,
        "user_form": user_form,
        "roles": Role.choices,
        "include_ended": include_ended,
        "today": today(),
    }
    return render(request, "accounts/access.html", ctx)


def _user_by_name(username: str):
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if u is None:
        raise DomainError(
            f"Không có người dùng «{username}». Tạo tài khoản ở mục bên dưới.", field="username"
        )
    return u


@login_required
@require_POST
def grant_end(request, pk: int):
    g = sel.grant_get(request.user, pk)
    try:
        svc.grant_end(grant=g, by=request.user)
        messages.success(
            request,
            f"Đã thu hồi vai trò «{g.get_role_display()}» của {g.user.username} trên {g.organisation.name}.",
        )
    except DomainError as e:
        messages.error(request, e.message)
    return redirect(
        request.POST.get("back")
        if url_has_allowed_host_and_scheme(request.POST.get("back"), {request.get_host()})
        else "accounts:access"
    )


@login_required
def user_detail(request, username: str):
    u = sel.user_get(request.user, username)  # 404 unless the user holds a grant where we manage grants
    try:
        svc.check_may_manage_user(request.user, u)
        may_manage = True
    except DomainError:
        may_manage = False
    ctx = {
        "u": u,
        "grants": sel.user_grants(request.user, u),
        "tokens": sel.user_tokens(u) if may_manage else [],
        "may_manage": may_manage,
        "has_device": user_has_device(u),
        "today": today(),
    }
    return render(request, "accounts/user_detail.html", ctx)


@login_required
@require_POST
def user_token_revoke(request, username: str, pk: int):
    u = sel.user_get(request.user, username)
    token = sel.token_get(u, pk)
    try:
        svc.token_revoke(token=token, by=request.user)
        messages.success(request, f"Đã thu hồi mã {token.prefix}… của {u.username}.")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("accounts:user", username=u.username)


@login_required
@require_POST
def user_two_factor_reset(request, username: str):
    u = sel.user_get(request.user, username)
    try:
        svc.two_factor_reset(user=u, by=request.user)
        messages.success(
            request, f"Đã hủy thiết bị xác thực của {u.username}; lần đăng nhập tới người đó sẽ đăng ký lại."
        )
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("accounts:user", username=u.username)


# --- the audit log -------------------------------------------------------------------------------------------


def _audit_query(request):
    return audit_query(request.user, request.GET)


@login_required
def audit_log(request):
    form, qs = _audit_query(request)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request, "accounts/audit.html", {"form": form, "page": page, "labels": exporter.ACTION_LABELS}
    )


@login_required
@require_POST
def audit_export(request):
    """The filtered log as Excel, as a background job (the filters are the query of the log page)."""
    form, _ = _audit_query(request)  # refused now (404 for another organisation, 403 without the role)
    org = org_get(request.user, request.GET["org"]) if request.GET.get("org") else None
    params = {k: v for k, v in request.GET.items() if v and (k in form.fields or k == "org")}
    return jobs.start(request, kind="audit.export", params=params, label="Nhật ký thao tác (Excel)",
                      org_path=org.path if org else "")  # fmt: skip


# --- the working-day calendar ---------------------------------------------------------------------------------


@login_required
def calendar_page(request):
    """The official calendar of days off and Saturdays worked, by year: everyone reads it (deadlines count by
    it); superusers and administrators of a top organisation correct it, each change audited and the stored
    deadlines it touches recomputed."""
    from dangvu.core import calendar as cal
    from dangvu.core.dates import parse as parse_vi
    from dangvu.core.models import CalendarDay

    may_edit = sel.may_edit_calendar(request.user)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today().year)
    except ValueError:
        year = today().year
    year = min(max(year, 2000), 2100)
    errors: dict = {}
    values = {"date": "", "kind": "off", "name": "", "source": ""}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Chỉ quản trị cấp cao nhất mới sửa lịch ngày nghỉ, ngày làm bù.")
        values = {k: request.POST.get(k, "") for k in values}
        try:
            day = parse_vi(values["date"])
        except ValueError:
            errors["date"] = "Ngày không hợp lệ; dùng dd/mm/yyyy."
        else:
            try:
                if request.POST.get("remove"):
                    n = cal.day_remove(by=request.user, date=day)
                    messages.success(request, f"Đã bỏ ngày {day:%d/%m/%Y} khỏi lịch; tính lại {n} thời hạn.")
                else:
                    n = cal.day_set(by=request.user, date=day, kind=values["kind"], name=values["name"],
                                    source=values["source"])  # fmt: skip
                    messages.success(request, f"Đã ghi ngày {day:%d/%m/%Y}; tính lại {n} thời hạn đã lưu.")
                return redirect(reverse("accounts:calendar") + f"?year={day.year}")
            except DomainError as e:
                errors = e.errors
    days = cal.year(year)
    return render(request, "accounts/calendar.html", {
        "year": year, "days": days, "may_edit": may_edit, "errors": errors, "values": values,
        "kinds": CalendarDay.Kind.choices, "years": range(year - 2, year + 3),
        "weekdays": dict(enumerate(["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"])),
    })  # fmt: skip


@login_required
@require_POST
def language(request):
    """The account's interface language (one of those offered); kept with the account, not in the browser."""
    from django.conf import settings

    from .middleware import LANGUAGE_KEY
    from .models import Profile

    code = request.POST.get("language", "")
    if code in {c for c, _ in settings.LANGUAGES}:
        Profile.objects.update_or_create(user=request.user, defaults={"language": code})
        request.session[LANGUAGE_KEY] = code
    return redirect(_next_url(request))
