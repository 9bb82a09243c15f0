"""Reads from a streaming read replica (PostgreSQL), where it is safe, and never "I saved it and it vanished".

- Configured by `DANGVU_REPLICA_URL` (the database alias `replica`); without it nothing here does anything.
- What reads from it: the API's GET requests, the pages marked `@replica.reads_view` (dashboards, lists) and the
  export jobs, and only the capabilities' data (`REPLICA_APPS`): sessions, accounts and grants are always read
  from the primary (a grant withdrawn must bite at once), as is anything read inside a transaction.
- Pinning by position, not by time: after a user's write the response carries a signed cookie with the
  primary's WAL position; while the replica has not replayed that far, that user's reads go to the primary. A job
  records the position when it is submitted and reads from the replica only once it has caught up.
- A replica that does not answer is marked down for `DOWN_SECONDS` and everything reads from the primary; a
  request whose replica connection fails mid-way is answered again from the primary (GET only).
"""

from __future__ import annotations

import contextvars
import logging
import time
from contextlib import contextmanager, suppress

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)

ALIAS = "replica"
REPLICA_APPS = {"organizations", "members", "meetings", "dossiers", "evaluations"}
DOWN_SECONDS = 15
COOKIE = "dv_lsn"
_use = contextvars.ContextVar("dangvu_replica", default=False)
_state = {"down_until": 0.0}


def configured() -> bool:
    return ALIAS in settings.DATABASES and connections["default"].vendor == "postgresql"


def available(*, force: bool = False) -> bool:
    """The replica answers (checked at most once per DOWN_SECONDS after a failure, or now with `force`)."""
    if not configured():
        return False
    if not force and time.monotonic() < _state["down_until"]:
        return False
    if not force and _state["down_until"] == 0.0:
        return True  # never failed: no probe on every request
    try:
        with connections[ALIAS].cursor() as c:
            c.execute("SELECT 1")
        _state["down_until"] = 0.0
        return True
    except DatabaseError:
        mark_down()
        return False


def mark_down() -> None:
    _state["down_until"] = time.monotonic() + DOWN_SECONDS
    with suppress(DatabaseError):
        connections[ALIAS].close()
    log.warning("read replica unavailable; reading from the primary for %s s", DOWN_SECONDS)


def primary_position() -> str | None:
    """The primary's current WAL position (PostgreSQL), to pin a writer's next reads."""
    if not configured():
        return None
    with connections["default"].cursor() as c:
        c.execute("SELECT pg_current_wal_lsn()::text")
        return c.fetchone()[0]


def caught_up(position: str | None) -> bool:
    """The replica has replayed the primary's WAL at least up to `position`."""
    if not position:
        return True
    try:
        with connections[ALIAS].cursor() as c:
            c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            return bool(c.fetchone()[0])
    except DatabaseError:
        mark_down()
        return False


@contextmanager
def reads(*, after: str | None = None):
    """Inside: the capabilities' reads go to the replica, if it is there, answers, and has replayed `after`."""
    on = configured() and available() and caught_up(after)
    token = _use.set(on)
    try:
        yield on
    finally:
        _use.reset(token)


def reads_view(view):
    """Mark a read-only page whose reads may come from the replica (`ReplicaMiddleware`)."""
    view.replica_reads = True
    return view


class Router:
    def db_for_read(self, model, **hints):
        if (
            _use.get()
            and model._meta.app_label in REPLICA_APPS
            and not connections["default"].in_atomic_block
        ):
            return ALIAS
        return "default"  # said, not left to the instance's own database: a row read on the replica leads back here

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data, wherever it was read

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Turns replica reads on for eligible requests, pins a writer to the primary until the replica has caught up,
    and answers again from the primary a GET whose replica connection failed."""

    SAFE = ("GET", "HEAD")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        request._replica_token = None
        try:
            response = self.get_response(request)
        finally:
            if request._replica_token is not None:
                _use.reset(request._replica_token)
        if request.method not in self.SAFE and response.status_code < 400:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                try:
                    position = primary_position()
                except DatabaseError:
                    position = None
                if position:
                    response.set_cookie(COOKIE, signing.dumps(position, salt=COOKIE),
                                        max_age=settings.DANGVU_REPLICA_PIN_SECONDS, httponly=True,
                                        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
        return response

    def _pinned_at(self, request) -> str | None:
        raw = request.COOKIES.get(COOKIE)
        if not raw:
            return None
        try:
            return signing.loads(raw, salt=COOKIE, max_age=settings.DANGVU_REPLICA_PIN_SECONDS)
        except signing.BadSignature:
            return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in self.SAFE:
            return None
        # a script with a bearer token keeps no cookie to be pinned with: it reads from the primary
        bearer = request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")
        eligible = not bearer and (getattr(view_func, "replica_reads", False) or request.path.startswith("/api/"))
        if not eligible or not available() or not caught_up(self._pinned_at(request)):
            return None
        request._replica_token = _use.set(True)
        request._replica_view = (view_func, view_args, view_kwargs)
        return None

    def process_exception(self, request, exception):
        if getattr(request, "_replica_token", None) is None or not isinstance(exception, DatabaseError):
            return None
        replica = connections[ALIAS]
        if not getattr(replica, "errors_occurred", False):
            return None  # the primary's error, not the replica's
        try:
            usable = replica.connection is not None and replica.is_usable()
        except Exception:  # noqa: BLE001
            usable = False
        if not usable:
            mark_down()
        else:  # a query cancelled by recovery on the standby, say: answer this one from the primary
            replica.errors_occurred = False
        _use.set(False)
        view_func, args, kwargs = request._replica_view
        return view_func(request, *args, **kwargs)
