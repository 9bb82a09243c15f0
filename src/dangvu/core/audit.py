"""Writing the audit log. Called inside the service's transaction, so the entry and the change commit together."""

import threading
from contextlib import contextmanager

from .models import AuditEntry

_local = threading.local()


@contextmanager
def request_context(ip: str | None):
    """Remembers the client's address for audit entries written while handling one request."""
    previous = getattr(_local, "ip", None)
    _local.ip = ip
    try:
        yield
    finally:
        _local.ip = previous


def current_ip() -> str | None:
    return getattr(_local, "ip", None)


def client_ip(request) -> str | None:
    from .net import client_ip as real

    return real(request)


def record(
    *,
    by,
    action: str,
    obj=None,
    object_type: str = "",
    object_id="",
    org_path: str = "",
    before=None,
    after=None,
) -> AuditEntry:
    user = by if getattr(by, "is_authenticated", False) and by.pk else None
    return AuditEntry.objects.create(
        user=user,
        ip=getattr(_local, "ip", None),
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id or (obj.pk if obj is not None else "")),
        object_repr=str(obj)[:255] if obj is not None else "",
        org_path=org_path or getattr(obj, "path", "") or "",
        before=before,
        after=after,
    )
