"""Writes for accounts: role grants and API tokens."""

from django.db import transaction
from django.utils import timezone

from dangvu.core import audit
from dangvu.core.dates import today
from dangvu.core.errors import DomainError

from .models import ApiToken, Role, RoleGrant, hash_token

ERR_ORG_CLOSED = "Không thể cấp quyền trên tổ chức đã chấm dứt hoạt động."


@transaction.atomic
def grant_create(*, user, organisation, role: str, by, valid_from=None) -> RoleGrant:
    if role not in Role.values:
        raise DomainError(f"Vai trò «{role}» không hợp lệ.", field="role")
    if organisation.closed_on is not None:
        raise DomainError(ERR_ORG_CLOSED, field="organisation")
    grant = RoleGrant.objects.create(
        user=user,
        organisation=organisation,
        org_path=organisation.path,
        role=role,
        valid_from=valid_from or today(),
        granted_by=by,
    )
    audit.record(
        by=by,
        action="grant.create",
        obj=grant,
        org_path=organisation.path,
        after={"user": user.username, "org": organisation.code, "role": role},
    )
    user.__dict__.pop("_dangvu_scope", None)
    return grant


@transaction.atomic
def token_create(*, user, name: str, by) -> tuple[ApiToken, str]:
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=hash_token(raw))
    audit.record(by=by, action="token.create", obj=token, after={"user": user.username, "name": name})
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(by=by, action="token.revoke", obj=token)
