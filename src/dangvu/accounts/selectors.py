"""Scope: which part of the tree a user may see. Every other selector starts here."""

from django.db.models import Q

from dangvu.core.dates import today

from .models import ApiToken, RoleGrant, hash_token


def active_grants(user):
    d = today()
    return (
        RoleGrant.objects.filter(user=user, valid_from__lte=d)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=d))
        .select_related("organisation", "organisation__type")
    )


def _grant_paths(user, roles=None) -> list[str] | None:
    """Granted subtree paths (minimal set), or None for 'everything' (a superuser). Cached on the user."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cache = user.__dict__.setdefault("_dangvu_scope", {})
    key = tuple(sorted(roles)) if roles else None
    if key not in cache:
        qs = active_grants(user)
        if roles:
            qs = qs.filter(role__in=roles)
        paths = sorted({g.org_path for g in qs})
        minimal: list[str] = []
        for p in paths:  # sorted: an ancestor comes before its descendants
            if not any(p.startswith(m) for m in minimal):
                minimal.append(p)
        cache[key] = minimal
    return cache[key]


def scope_q(user, field: str = "path", roles=None) -> Q:
    """A filter keeping rows whose `field` (a materialised path) lies in the user's granted subtrees."""
    paths = _grant_paths(user, roles)
    if paths is None:
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
