from django.conf import settings


def frame(request):
    """What the base layout needs on every page: the working scope for the top bar. It sits on top (with the
    settings, the URLs and the API root), since it reads access (accounts) for the menu."""
    user = getattr(request, "user", None)
    ctx = {"working_scopes": [], "LANGUAGES": settings.LANGUAGES, "BOOTSTRAP_CSS": settings.DANGVU_BOOTSTRAP_CSS}
    if user is not None and user.is_authenticated:
        from dangvu.accounts.selectors import may_manage_grants, may_read_audit, user_scope_roots

        ctx["working_scopes"] = user_scope_roots(user)
        ctx["may_manage_grants"] = may_manage_grants(user)
        ctx["may_read_audit"] = may_read_audit(user)
        from dangvu.core.models import Notification

        # a callable: counted only when the full layout renders it, never for htmx fragments
        ctx["unread_notifications"] = Notification.objects.filter(user=user, read_at__isnull=True).count
    return ctx
