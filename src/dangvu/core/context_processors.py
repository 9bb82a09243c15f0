from django.conf import settings


def frame(request):
    """What the base layout needs on every page: the working scope for the top bar."""
    user = getattr(request, "user", None)
    scopes = []
    if user is not None and user.is_authenticated:
        from dangvu.accounts.selectors import user_scope_roots

        scopes = user_scope_roots(user)
    return {"working_scopes": scopes, "LANGUAGES": settings.LANGUAGES}
