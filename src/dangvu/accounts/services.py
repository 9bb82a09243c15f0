"""Writes for accounts: users, role grants, API tokens, two-factor devices. Every change is audited; every
refusal of a change that reaches for something outside the actor's reach is audited too (before raising, and
outside the refused transaction, so the entry survives)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.core import audit
from dangvu.core.dates import fmt, today
from dangvu.core.errors import DomainError, NotFound
from dangvu.organizations.services import Forbidden

from .models import DECISION_ROLES, ApiToken, Role, RoleGrant, hash_token
from .selectors import _grants, covers, forget_grants

ERR_ORG_CLOSED = "Không thể cấp quyền trên tổ chức đã chấm dứt hoạt động."
ERR_NOT_GRANTER = "Chỉ cán bộ tổ chức hoặc quản trị của «{org}» mới được cấp hoặc thu hồi quyền tại đây."
ERR_ADMIN_ONLY = "Chỉ quản trị mới được cấp hoặc thu hồi vai trò quản trị."
ERR_SELF = "Không tự cấp hoặc thu hồi quyền của chính mình; hãy nhờ cấp trên."
ERR_DUPLICATE = "{user} đã có vai trò «{role}» trên {org}."
ERR_DATES = "Ngày hết hiệu lực phải sau ngày bắt đầu."
ERR_USERNAME_TAKEN = "Tên đăng nhập «{u}» đã có."
ERR_USERNAME = "Tên đăng nhập chỉ gồm chữ không dấu, số và . _ - (3–150 ký tự)."
ERR_NOT_MANAGER = "Người này còn có quyền ngoài phạm vi bạn quản lý; hãy nhờ cấp trên."


def _refuse(by, action: str, exc: Exception, *, org_path: str = "", detail: dict | None = None):
    """Record the refused attempt (committed on its own), then raise."""
    audit.record(
        by=by,
        action=action,
        object_type="accounts.rolegrant",
        org_path=org_path,
        after={"refused": getattr(exc, "message", "không tìm thấy"), **(detail or {})},
    )
    raise exc


def check_may_grant(by, organisation, role: str, *, user=None, action="grant.refused") -> None:
    """Officers and administrators manage grants in their subtree; only administrators grant `admin`.
    `by=None` is the command line (whoever runs it owns the server)."""
    if by is None:
        return
    detail = {"org": organisation.code, "role": role, "user": getattr(user, "username", None)}
    if not covers(by, organisation.path):
        _refuse(by, action, NotFound(organisation.code), detail=detail)
    if not covers(by, organisation.path, roles=DECISION_ROLES):
        _refuse(by, action, Forbidden(ERR_NOT_GRANTER.format(org=organisation.name)), detail=detail)
    if role == Role.ADMIN and not covers(by, organisation.path, roles=(Role.ADMIN,)):
        _refuse(by, action, Forbidden(ERR_ADMIN_ONLY, field="role"), detail=detail)
    if user is not None and user.pk == by.pk:
        _refuse(by, action, Forbidden(ERR_SELF, field="username"), detail=detail)


def grant_create(
    *, user, organisation, role: str, by, valid_from: dt.date | None = None, valid_to: dt.date | None = None
) -> RoleGrant:
    if role not in Role.values:
        raise DomainError(f"Vai trò «{role}» không hợp lệ.", field="role")
    check_may_grant(by, organisation, role, user=user)
    if organisation.closed_on is not None:
        raise DomainError(ERR_ORG_CLOSED, field="organisation")
    valid_from = valid_from or today()
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(ERR_DATES, field="valid_to")
    with transaction.atomic():
        clash = RoleGrant.objects.select_for_update().filter(
            user=user, organisation=organisation, role=role, valid_from__lte=valid_to or dt.date.max
        )
        if clash.exclude(valid_to__lt=valid_from).exists():
            raise DomainError(
                ERR_DUPLICATE.format(user=user.username, role=Role(role).label, org=organisation.name),
                field="role",
            )
        grant = RoleGrant.objects.create(
            user=user,
            organisation=organisation,
            org_path=organisation.path,
            role=role,
            valid_from=valid_from,
            valid_to=valid_to,
            granted_by=by,
        )
        audit.record(
            by=by,
            action="grant.create",
            obj=grant,
            org_path=organisation.path,
            after={
                "user": user.username,
                "org": organisation.code,
                "role": role,
                "from": fmt(valid_from),
                "to": fmt(valid_to) if valid_to else None,
            },
        )
    forget_grants(user)
    return grant


def grant_end(*, grant: RoleGrant, by, on: dt.date | None = None) -> RoleGrant:
    """Withdraw a grant: it is no longer in force from `on` (today by default). The row stays, as history."""
    check_may_grant(by, grant.organisation, grant.role, user=grant.user, action="grant.end_refused")
    on = on or today()
    last_day = on - dt.timedelta(days=1)
    if grant.valid_to is not None and grant.valid_to <= last_day:
        return grant
    with transaction.atomic():
        before = {"to": fmt(grant.valid_to) if grant.valid_to else None}
        grant.valid_to = last_day
        grant.save(update_fields=["valid_to"])
        audit.record(
            by=by,
            action="grant.end",
            obj=grant,
            org_path=grant.org_path,
            before=before,
            after={"to": fmt(last_day), "user": grant.user.username, "role": grant.role},
        )
    forget_grants(grant.user)
    return grant


def user_create(
    *, username: str, full_name: str, email: str, password: str, organisation, role: str, by
) -> "get_user_model()":
    """A new account with its first grant, in one transaction (an account without a grant sees nothing)."""
    User = get_user_model()
    username = username.strip()
    try:
        User.username_validator(username)
    except ValidationError:
        raise DomainError(ERR_USERNAME, field="username") from None
    if len(username) < 3:
        raise DomainError(ERR_USERNAME, field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(ERR_USERNAME_TAKEN.format(u=username), field="username")
    check_may_grant(by, organisation, role, action="user.create_refused")
    family, _, given = full_name.strip().rpartition(" ")
    candidate = User(username=username, email=email, first_name=given, last_name=family)
    try:
        validate_password(password, user=candidate)
    except ValidationError as e:
        raise DomainError(" ".join(e.messages), field="password") from None
    with transaction.atomic():
        candidate.set_password(password)
        candidate.save()
        audit.record(
            by=by,
            action="user.create",
            obj=candidate,
            org_path=organisation.path,
            after={"username": username, "name": full_name, "email": email},
        )
        grant_create(user=candidate, organisation=organisation, role=role, by=by)
    return candidate


def check_may_manage_user(by, user) -> None:
    """Acting on someone's account (tokens, second factor) needs officer or administrator rights over every
    organisation where that person holds a grant in force."""
    if by is None or by.is_superuser:
        return
    if user.is_superuser or user.pk == by.pk:
        raise Forbidden(ERR_NOT_MANAGER)
    paths = [p for _, p in _grants(user)]
    if not paths or not all(covers(by, p, roles=DECISION_ROLES) for p in paths):
        raise Forbidden(ERR_NOT_MANAGER)


@transaction.atomic
def token_create(*, user, name: str, by) -> tuple[ApiToken, str]:
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=hash_token(raw))
    audit.record(by=by, action="token.create", obj=token, after={"user": user.username, "name": name})
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> None:
    if by is not None and by.pk != token.user_id:
        check_may_manage_user(by, token.user)
    n = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if n:
        audit.record(by=by, action="token.revoke", obj=token, after={"user": token.user.username})


@transaction.atomic
def two_factor_reset(*, user, by) -> int:
    """Remove the person's authenticator devices: at the next login they enrol again (after the password)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    check_may_manage_user(by, user)
    n, _ = TOTPDevice.objects.filter(user=user).delete()
    audit.record(by=by, action="otp.reset", obj=user, after={"user": user.username, "devices": n})
    return n
