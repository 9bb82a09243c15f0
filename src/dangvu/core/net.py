"""The client's address: the connection's, or — only when the connection comes from a trusted reverse proxy
(DANGVU_TRUSTED_PROXIES, addresses or networks) — the nearest untrusted address in X-Forwarded-For. A client
that writes its own X-Forwarded-For header changes nothing, since it is not a trusted proxy."""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(s.strip(), strict=False) for s in spec if s.strip())


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in _networks(tuple(settings.DANGVU_TRUSTED_PROXIES)))


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """See the module's docstring. Walks X-Forwarded-For from the right (the hop nearest to us) past trusted
    proxies; the first address that is not one is the client."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None or not _trusted(remote):
        return remote
    hops = [h for h in (request.META.get("HTTP_X_FORWARDED_FOR", "") or "").split(",") if h.strip()]
    for hop in reversed(hops):
        ip = _valid(hop)
        if ip is None:
            return remote  # a garbled header: trust only what we know
        if not _trusted(ip):
            return ip
    return remote
