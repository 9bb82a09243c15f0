"""Scope: which part of the tree a user may see. Every other selector starts here."""

from django.db.models import Q

from dangvu.core.dates import today

from .models import ApiToken, RoleGrant, hash_token


def not_ended(d) -> Q:
    """Grants whose last day (`valid_to`, inclusive) is not before `d`."""
    return Q(valid_to__isnull=True) | Q(valid_to__gte=d)


def active_grants(user):
    d = today()
    return RoleGrant.objects.filter(not_ended(d), user=user, valid_from__lte=d).select_related(
        "organisation", "organisation__type"
    )


def _grants(user) -> list[tuple[str, str]]:
    """(role, path) of the user's grants in force today: one query per request, kept on the user object."""
    cached = user.__dict__.get("_dangvu_grants")
    if cached is None:
        cached = list(active_grants(user).values_list("role", "org_path"))
        user.__dict__["_dangvu_grants"] = cached
    return cached


def forget_grants(user) -> None:
    user.__dict__.pop("_dangvu_grants", None)


def _grant_paths(user, roles=None) -> list[str] | None:
    """Granted subtree paths (minimal set), or None for 'everything' (a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    paths = sorted({p for r, p in _grants(user) if roles is None or r in roles})
    minimal: list[str] = []
    for p in paths:  # sorted: an ancestor comes before its descendants
        if not any(p.startswith(m) for m in minimal):
            minimal.append(p)
    return minimal


def scope_q(user, field: str = "path", roles=None, *, within: str | None = None) -> Q:
    """A filter keeping rows whose `field` (a materialised path) lies in the user's granted subtrees.

    `within`: the caller already restricts `field` to this subtree (`field__startswith=within`); when one grant
    covers it, the scope adds nothing and is left out (one prefix condition instead of one per grant)."""
    paths = _grant_paths(user, roles)
    if paths is None or (within is not None and any(within.startswith(p) for p in paths)):
        return Q()
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def covers(user, path: str, roles=None) -> bool:
    paths = _grant_paths(user, roles)
    return paths is None or any(path.startswith(p) for p in paths)


def needs_two_factor(user) -> bool:
    """Superusers, and whoever holds a role that requires it (settings.OTP_REQUIRED_ROLES), must use TOTP."""
    from django.conf import settings

    if not user.is_authenticated:
        return False
    return user.is_superuser or any(r in settings.OTP_REQUIRED_ROLES for r, _ in _grants(user))


def user_scope_roots(user):
    """The organisations a user works in (top bar): their granted nodes, or the roots for a superuser."""
    from dangvu.organizations.models import Organisation

    if user.is_superuser:
        return list(
            Organisation.objects.filter(parent__isnull=True, closed_on__isnull=True).select_related("type")
        )
    seen, roots = set(), []
    for g in active_grants(user):
        if g.organisation_id not in seen:
            seen.add(g.organisation_id)
            roots.append(g.organisation)
    return roots


def user_for_token(raw: str):
    token = (
        ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None, None
    return token.user, token


# --- managing access ---------------------------------------------------------------------------------------

AUDIT_ROLES = ("inspector", "officer", "admin")


def holds_any(user, roles) -> bool:
    """Whether the user holds one of `roles` somewhere (a superuser holds them all)."""
    paths = _grant_paths(user, roles)
    return paths is None or bool(paths)


def may_manage_grants(user) -> bool:
    from .models import DECISION_ROLES

    return holds_any(user, DECISION_ROLES)


def may_edit_calendar(user) -> bool:
    """The working-day calendar is the whole country's: superusers and administrators of a top organisation."""
    if user.is_superuser:
        return True
    return any(role == "admin" and path.count(".") == 1 for role, path in _grants(user))


def may_read_audit(user) -> bool:
    return holds_any(user, AUDIT_ROLES)


def grants_list(by, *, org=None, q: str = "", role: str = "", include_ended: bool = False):
    """Grants on organisations where `by` may manage grants (officer or administrator), newest first."""
    from .models import DECISION_ROLES

    qs = RoleGrant.objects.filter(scope_q(by, "org_path", DECISION_ROLES))
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    if q:
        qs = qs.filter(
            Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    if not include_ended:
        qs = qs.filter(not_ended(today()))
    return qs.select_related("user", "organisation", "granted_by").order_by(
        "org_path", "user__username", "role"
    )


def grant_get(by, pk: int) -> RoleGrant:
    from dangvu.core.errors import NotFound

    from .models import DECISION_ROLES

    g = (
        RoleGrant.objects.filter(scope_q(by, "org_path", DECISION_ROLES), pk=pk)
        .select_related("user", "organisation")
        .first()
    )
    if g is None:
        raise NotFound(pk)
    return g


def user_get(by, username: str):
    """A user that holds (or held) a grant where `by` manages grants; NotFound otherwise."""
    from django.contrib.auth import get_user_model

    from dangvu.core.errors import NotFound

    from .models import DECISION_ROLES

    User = get_user_model()
    qs = User.objects.filter(username=username)
    if not by.is_superuser:
        qs = qs.filter(
            pk__in=RoleGrant.objects.filter(scope_q(by, "org_path", DECISION_ROLES)).values("user_id")
        )
    u = qs.first()
    if u is None:
        raise NotFound(username)
    return u


def user_grants(by, user):
    """The user's grants, those `by` may see (in `by`'s scope of management)."""
    from .models import DECISION_ROLES

    return (
        RoleGrant.objects.filter(scope_q(by, "org_path", DECISION_ROLES), user=user)
        .select_related("organisation", "granted_by")
        .order_by("-valid_from", "org_path")
    )


def user_tokens(user):
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def token_get(user, pk: int) -> ApiToken:
    from dangvu.core.errors import NotFound

    t = ApiToken.objects.filter(user=user, pk=pk).select_related("user").first()
    if t is None:
        raise NotFound(pk)
    return t


# --- the audit log -----------------------------------------------------------------------------------------


def audit_list(
    by,
    *,
    org=None,
    username: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from=None,
    date_to=None,
):
    """Audit entries about organisations in `by`'s scope (inspector, officer, administrator), newest first.
    Entries not tied to an organisation (logins, tokens, refused addresses) are for superusers only."""
    import datetime as dt

    from django.utils import timezone

    from dangvu.core.models import AuditEntry

    qs = AuditEntry.objects.filter(scope_q(by, "org_path", AUDIT_ROLES))
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    if username:
        qs = qs.filter(user__username=username)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs.select_related("user")
