"""What the apps' pages share: the organisation a subtree page is about, a service's refusal as a 403, and a
service's field errors as flash messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangvu.core.errors import DomainError

from .selectors import org_get, user_roots
from .services import Forbidden


def scope_org(request):
    """The organisation named by `?org=`, else the first of the user's roots; 404 without a scope."""
    code = request.GET.get("org")
    if code:
        return org_get(request.user, code)
    roots = user_roots(request.user)
    if not roots:
        raise Http404("no scope")
    return roots[0].org


def guard(fn, *args, **kw):
    """Run a service or a check; a role that may not do it gets 403 with the service's message."""
    try:
        return fn(*args, **kw)
    except Forbidden as e:
        raise PermissionDenied(e.message) from None


def flash_errors(request, e: DomainError) -> None:
    """A refusal shown above the page: each distinct message once."""
    for msg in dict.fromkeys(e.errors.values()):
        messages.error(request, msg)
