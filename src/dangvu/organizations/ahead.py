"""Decisions recorded ahead of their date: a committee issues in June a decision that takes effect on 1 July.

`record` checks the decision in full now (the same planning as one in force today), keeps what it will change and
reserves the codes it creates. On its date `apply_due` carries it out with no further action (the first request of
the day runs it; `dangvu apply_decisions` does the same from cron): the same plan is made again on the tree as it
stands then and executed, so lists, counts and scopes switch that day. `cancel` withdraws one before its date and is
itself recorded. `projected` shows the tree as it will stand on a future date: the decisions due by then are carried
out inside a transaction that is rolled back.

Only one pending decision may change a given organisation (services.check_not_pending), so nothing recorded in the
meantime can leave it unable to take effect; if it still cannot (a check that depends on the day), it is marked
failed and its recorder is told why.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import threading
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.models import DECISION_ROLES
from dangvu.accounts.selectors import covers, scope_q
from dangvu.core import audit
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError, NotFound
from dangvu.core.locking import lock
from dangvu.core.models import Notification
from dangvu.core.text import clean

from . import services as svc
from .decisions import build_plan
from .models import AheadState, Organisation, PendingDecision

log = logging.getLogger(__name__)

ERR_NOT_PENDING = "Quyết định số {number} {state}; không thể hủy."
ERR_REASON = "Hãy nhập lý do hủy quyết định."
ERR_ALREADY_PENDING = "Quyết định {kind} số {number} hiệu lực ngày {date} đã được ghi (có thể do bấm hai lần); không ghi lại."
ERR_NOT_AHEAD = "Quyết định này có hiệu lực từ hôm nay trở về trước; hãy ghi như quyết định thông thường."
ERR_OUT_OF_AUTHORITY = (
    "«{org}» không còn thuộc tổ chức mà người ghi quyết định được giao quyền khi ghi; quyết định không thực hiện."
)


def _authority(by, orgs) -> list[int]:
    """The organisations whose grants (with a decision role) cover the ones this decision names: what it may act
    in on its date. Empty for a superuser."""
    from dangvu.accounts.models import DECISION_ROLES
    from dangvu.accounts.selectors import active_grants

    if by.is_superuser:
        return []
    grants = [g.organisation for g in active_grants(by).filter(role__in=DECISION_ROLES)]
    return sorted({g.pk for g in grants for o in orgs if o.path.startswith(g.path)})


def _canonical(by, data: dict) -> dict:
    """The submitted decision with every organisation as its code and the date as ISO: what is replanned on the day
    must not depend on how a name was typed."""
    from .decisions import org_field

    out = copy.deepcopy(data)

    def code(value, field):
        org = org_field(by, value, field, required=False) if value else None
        return org.code if org is not None else None

    for f in ("parent", "org", "new_parent", "transfer_to", "target", "source"):
        if out.get(f):
            out[f] = code(out[f], f)
    out["sources"] = [code(c, "sources") for c in out.get("sources") or [] if c]
    if out.get("new_target"):
        out["new_target"]["parent"] = code(out["new_target"].get("parent"), "target_parent")
    for i, t in enumerate(out.get("targets") or []):
        if t.get("existing"):
            t["existing"] = code(t["existing"], f"targets.{i}")
        if t.get("parent"):
            t["parent"] = code(t["parent"], f"targets.{i}.parent")
    if isinstance(out.get("effective_on"), dt.date):
        out["effective_on"] = out["effective_on"].isoformat()
    return out


def record(*, by, data: dict) -> PendingDecision:
    """Record a decision dated after today. Everything is checked as for a decision in force today; nothing in the
    tree changes until its date."""
    plan = build_plan(by, data)
    if not plan.ahead:
        raise DomainError(ERR_NOT_AHEAD, field="effective_on")
    # (a plan made again under the locks carries only its lines and its run)
    named, subjects, codes = plan.orgs, plan.subjects, plan.new_codes
    with transaction.atomic():
        lock(*plan.orgs, *plan.parents)
        plan = plan.again() if plan.again is not None else plan
        svc.check_not_pending(subjects)
        d = plan.decision
        same = PendingDecision.objects.filter(state=AheadState.PENDING, kind=plan.kind, decision_number=d.number,
                                              effective_on=d.effective_on, orgs__in=[o.pk for o in named]).first()  # fmt: skip
        if same is not None:
            raise Conflict(ERR_ALREADY_PENDING.format(kind=same.get_kind_display().lower(), number=d.number,
                                                      date=fmt(d.effective_on)))  # fmt: skip
        p = PendingDecision.objects.create(
            kind=plan.kind, effective_on=d.effective_on, decision_number=d.number, issuer=d.issuer,
            data=_canonical(by, data) | {"decision_number": d.number}, lines=plan.lines,
            new_codes=codes, recorded_by=by if by.is_authenticated else None, authority=_authority(by, named),
        )  # fmt: skip
        p.orgs.set(named)
        p.subjects.set(subjects)
        for o in named:
            audit.record(by=by, action="org.decision_pending", obj=o,
                         after={"pending": p.pk, "kind": p.kind, "number": p.decision_number,
                                "effective_on": p.effective_on.isoformat()})  # fmt: skip
    forget()
    return p


def cancel(*, by, pending: PendingDecision, reason: str, number: str = "") -> PendingDecision:
    """Withdraw a pending decision before its date (the committee revokes it): the cancellation is kept, with who,
    when, why and the revoking decision's number, and logged on every organisation it named."""
    reason = clean(reason)
    if not reason:
        raise DomainError(ERR_REASON, field="reason")
    number = svc.normalise_decision_number(number) if clean(number) else ""
    orgs = list(pending.orgs.all())
    for o in orgs:
        if not covers(by, o.path, roles=DECISION_ROLES):
            raise svc.Forbidden(svc.ERR_NOT_ALLOWED.format(org=o.name))
    with transaction.atomic():
        p = PendingDecision.objects.select_for_update().get(pk=pending.pk)
        if p.state != AheadState.PENDING:
            raise Conflict(ERR_NOT_PENDING.format(number=p.decision_number, state=p.get_state_display().lower()))
        p.state, p.done_at = AheadState.CANCELLED, timezone.now()
        p.cancelled_by, p.cancel_reason, p.cancel_number = by, reason, number
        p.save(update_fields=["state", "done_at", "cancelled_by", "cancel_reason", "cancel_number"])
        for o in orgs:
            audit.record(by=by, action="org.decision_cancelled", obj=o,
                         after={"pending": p.pk, "number": p.decision_number, "reason": reason,
                                "cancel_number": number})  # fmt: skip
    forget()
    return p


# --- carrying them out on their date ------------------------------------------------------------------------


def _actor(p: PendingDecision):
    """Who carries the decision out: its recorder, with the authority the decision had when it was recorded (a
    grant withdrawn since does not void the committee's decision). An in-memory copy, never saved."""
    user = copy.copy(p.recorded_by) if p.recorded_by else get_user_model()(username="tu-dong")
    user.is_superuser, user.is_active = True, True
    user.__dict__.pop("_dangvu_grants", None)
    return user


def _apply(p: PendingDecision, *, projecting: bool = False):
    """Carry out one pending decision; returns its OrgEvent. Raises DomainError when it cannot be."""
    with transaction.atomic():
        p = PendingDecision.objects.select_for_update().get(pk=p.pk)
        if p.state != AheadState.PENDING:
            return None
        # first: its own organisations and reserved codes no longer count as pending
        PendingDecision.objects.filter(pk=p.pk).update(state=AheadState.APPLIED, done_at=timezone.now())
        by = _actor(p)
        plan = build_plan(by, p.data)
        if p.authority:  # the tree may have moved since: act only where the recorder's authority lay
            roots = list(Organisation.objects.filter(pk__in=p.authority))
            for o in plan.orgs:
                if not any(o.path.startswith(r.path) for r in roots):
                    raise DomainError(ERR_OUT_OF_AUTHORITY.format(org=o.name))
        event = plan.execute(applying=True)
        PendingDecision.objects.filter(pk=p.pk).update(event=event)
        if not projecting:
            audit.record(by=by, action="org.decision_applied", obj=event,
                         after={"pending": p.pk, "number": p.decision_number})  # fmt: skip
        return event


def _fail(p: PendingDecision, message: str) -> None:
    with transaction.atomic():
        PendingDecision.objects.filter(pk=p.pk, state=AheadState.PENDING).update(
            state=AheadState.FAILED, failure=message, done_at=timezone.now()
        )
        for o in p.orgs.all():
            audit.record(by=None, action="org.decision_failed", obj=o,
                         after={"pending": p.pk, "number": p.decision_number, "reason": message})  # fmt: skip
        if p.recorded_by_id:
            Notification.objects.create(
                user_id=p.recorded_by_id,
                title=f"Quyết định số {p.decision_number} không thể có hiệu lực ngày {fmt(p.effective_on)}",
                body=message, url=reverse("organizations:decisions"),
            )  # fmt: skip


def due(on: dt.date) -> QuerySet[PendingDecision]:
    return PendingDecision.objects.filter(state=AheadState.PENDING, effective_on__lte=on).order_by(
        "effective_on", "pk"
    )


def apply_due(on: dt.date | None = None) -> list[tuple[PendingDecision, str]]:
    """Carry out every pending decision whose date has come, oldest first; each in its own transaction. Returns
    (decision, "" or the reason it failed)."""
    on = on or today()
    out = []
    for p in due(on):
        try:
            _apply(p)
            out.append((p, ""))
        except DomainError as e:
            log.warning("pending decision %s failed: %s", p.pk, e.message)
            _fail(p, e.message)
            out.append((p, e.message))
    return out


# The first request of each day applies what has come due. Every pending decision is dated after the day it was
# recorded, so checking once per process per day (and again when the next known date comes) misses none.
_memo: dict = {"day": None, "next": None}
_memo_lock = threading.Lock()


def forget() -> None:
    _memo["day"] = None


def apply_if_due() -> None:
    d = today()
    if _memo["day"] == d and (_memo["next"] is None or _memo["next"] > d):
        return
    if not _memo_lock.acquire(blocking=False):  # another thread of this process is on it
        return
    try:
        if due(d).exists():
            apply_due(d)
        nxt = PendingDecision.objects.filter(state=AheadState.PENDING).order_by("effective_on").first()
        _memo["day"], _memo["next"] = d, nxt.effective_on if nxt else None
    finally:
        _memo_lock.release()


class ApplyDueMiddleware:
    """Runs `apply_if_due` before the request is handled: on the decision's date, the first page anyone opens
    already shows the tree as decided."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            apply_if_due()
        except Exception:  # never block a page because of this; the command and the next day retry
            log.exception("applying pending decisions failed")
        return self.get_response(request)


# --- reading ------------------------------------------------------------------------------------------------


def visible(user) -> QuerySet[PendingDecision]:
    """Pending (and recently settled) decisions naming at least one organisation in the user's scope."""
    ids = PendingDecision.orgs.through.objects.filter(scope_q(user, "organisation__path")).values("pendingdecision_id")
    return (
        PendingDecision.objects.filter(pk__in=ids)
        .select_related("recorded_by", "cancelled_by", "event")
        .prefetch_related("orgs")
    )


def get(user, pk: int) -> PendingDecision:
    p = visible(user).filter(pk=pk).first()
    if p is None:
        raise NotFound(pk)
    return p


def about(user, org: Organisation) -> list[PendingDecision]:
    """Pending decisions naming `org` or an organisation below it."""
    return list(visible(user).filter(state=AheadState.PENDING, orgs__path__startswith=org.path).distinct()
                .order_by("effective_on", "pk"))  # fmt: skip


@contextmanager
def projected(user, on: dt.date):
    """The tree as it will stand on `on` (after today): the decisions due by then, in the user's scope, carried
    out inside a transaction that is rolled back when the block ends. Yields (applied, failed) lists; read
    everything needed (render the page) inside the block."""
    applied, failed = [], []
    with transaction.atomic():
        for p in visible(user).filter(state=AheadState.PENDING, effective_on__lte=on).order_by("effective_on", "pk"):
            try:
                with transaction.atomic():
                    _apply(p, projecting=True)
                applied.append(p)
            except DomainError as e:
                failed.append((p, e.message))
        try:
            yield applied, failed
        finally:
            transaction.set_rollback(True)
