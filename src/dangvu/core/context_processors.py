from django.conf import settings


def frame(request):
    """What the base layout needs on every page: the working scope for the top bar."""
    user = getattr(request, "user", None)
    ctx = {"working_scopes": [], "LANGUAGES": settings.LANGUAGES}
    if user is not None and user.is_authenticated:
        from dangvu.accounts.selectors import may_manage_grants, may_read_audit, user_scope_roots

        ctx["working_scopes"] = user_scope_roots(user)
        ctx["may_manage_grants"] = may_manage_grants(user)
        ctx["may_read_audit"] = may_read_audit(user)
    return ctx
