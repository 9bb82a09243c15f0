"""Reading the registers, always for an acting user: any role on a subtree reads its registers; a record outside
the scope is 404. The word search ignores diacritics and reads the number, subject, sender, signer, recipients
and the text inside the files; on PostgreSQL a trigram index serves it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers, scope_q
from dangvu.core.dates import today
from dangvu.core.errors import NotFound
from dangvu.core.text import search_key
from dangvu.organizations.models import Organisation

from .models import Delivery, Dispatch, DispatchKind, Incoming, IncomingStatus, Outgoing, Template

MAX_WORDS = 8


def may_write(user, org: Organisation) -> bool:
    return covers(user, org.path, EDIT_ROLES)


def _within(qs: QuerySet, user, org: Organisation, subtree: bool) -> QuerySet:
    if subtree:
        return qs.filter(org_path__startswith=org.path).filter(scope_q(user, "org_path", within=org.path))
    return qs.filter(organisation=org).filter(scope_q(user, "org_path", within=org.path))


def _words(qs: QuerySet, q: str) -> QuerySet:
    for word in search_key(q).split()[:MAX_WORDS]:
        qs = qs.filter(search_text__contains=word)
    return qs


def outgoing(user, org: Organisation, *, q: str = "", year: int | None = None, doc_type: str = "",
             status: str = "", subtree: bool = False) -> QuerySet:  # fmt: skip
    """The organisation's outgoing register (with `subtree`, its whole branch's), newest first."""
    qs = _within(Outgoing.objects.all(), user, org, subtree)
    if year:
        qs = qs.filter(issued_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if status:
        qs = qs.filter(status=status)
    qs = _words(qs, q)
    return qs.select_related("organisation").defer("file_text", "search_text").order_by("-issued_on", "-pk")


def incoming(user, org: Organisation, *, q: str = "", year: int | None = None, status: str = "",
             late: bool = False, subtree: bool = False, on: dt.date | None = None) -> QuerySet:  # fmt: skip
    """The organisation's incoming register (with `subtree`, its branch's), newest arrival first; `late`: not done
    and past the deadline on `on`."""
    qs = _within(Incoming.objects.all(), user, org, subtree)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if late:
        qs = qs.filter(~Q(status=IncomingStatus.DONE), due_on__lt=on or today())
    qs = _words(qs, q)
    return qs.select_related("organisation").defer("file_text", "search_text").order_by("-received_on", "-pk")


def outgoing_get(user, pk) -> Outgoing:
    doc = Outgoing.objects.filter(pk=pk).filter(scope_q(user, "org_path")).select_related(
        "organisation__type", "term", "meeting").first()  # fmt: skip
    if doc is None:
        raise NotFound(str(pk))
    return doc


def incoming_get(user, pk) -> Incoming:
    doc = Incoming.objects.filter(pk=pk).filter(scope_q(user, "org_path")).select_related("organisation__type").first()
    if doc is None:
        raise NotFound(str(pk))
    return doc


def years(user, org: Organisation) -> list[int]:
    """Years the organisation's registers hold, newest first (for the year filter)."""
    scope = scope_q(user, "org_path", within=org.path)
    out = {d.year for d in Outgoing.objects.filter(scope, organisation=org).dates("issued_on", "year")}
    out |= set(Incoming.objects.filter(scope, organisation=org).values_list("year", flat=True).distinct())
    return sorted(out, reverse=True)


# --- distribution ------------------------------------------------------------------------------------------------


def _filed():
    """Whether the recipient cell has filed the monthly report the dispatch asks for (meetings' MonthlyReport)."""
    from dangvu.meetings.models import MonthlyReport

    return Exists(MonthlyReport.objects.filter(organisation_id=OuterRef("organisation_id"),
                                               month=OuterRef("dispatch__month")))  # fmt: skip


def _with_state(qs: QuerySet) -> QuerySet:
    """Each delivery with `filed` (its monthly report exists) for the monthly kind."""
    return qs.annotate(filed=_filed())


def answered_q() -> Q:
    return (Q(answered_at__isnull=False) & ~Q(dispatch__kind=DispatchKind.MONTHLY)) | Q(
        dispatch__kind=DispatchKind.MONTHLY, filed=True)


def sent(user, org: Organisation) -> QuerySet:
    """What the organisation sent down, newest first."""
    return (Dispatch.objects.filter(organisation=org).filter(scope_q(user, "org_path", within=org.path))
            .select_related("outgoing").order_by("-sent_on", "-pk"))  # fmt: skip


def progress(dispatch_ids: list[int], on: dt.date) -> dict[int, dict]:
    """Per dispatch: recipients, read, answered, late (asked, not answered, past the due date). Two queries."""
    out = {pk: {"n": 0, "read": 0, "answered": 0, "late": 0} for pk in dispatch_ids}
    qs = _with_state(Delivery.objects.filter(dispatch_id__in=dispatch_ids))
    for row in qs.values("dispatch_id").annotate(
        n=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)),
        answered=Count("id", filter=answered_q()),
        late=Count("id", filter=~answered_q() & Q(dispatch__due_on__lt=on)),
    ):  # fmt: skip
        out[row["dispatch_id"]] = {k: row[k] for k in ("n", "read", "answered", "late")}
    return out


def dispatch_get(user, pk) -> Dispatch:
    d = (Dispatch.objects.filter(pk=pk).filter(scope_q(user, "org_path")).select_related("organisation", "outgoing")
         .first())  # fmt: skip
    if d is None:
        raise NotFound(str(pk))
    return d


def deliveries(dispatch: Dispatch, *, state: str = "", on: dt.date | None = None) -> QuerySet:
    """The recipients of a dispatch with their state; `state`: unread, unanswered or late."""
    qs = _with_state(dispatch.deliveries.all()).select_related("organisation", "read_by", "answered_by")
    if state == "unread":
        qs = qs.filter(read_at__isnull=True)
    elif state == "unanswered":
        qs = qs.exclude(answered_q())
    elif state == "late":
        qs = qs.exclude(answered_q()).filter(dispatch__due_on__lt=on or today())
    return qs.order_by("org_path")


def inbox(user, org: Organisation) -> QuerySet:
    """What reached the organisation from above, newest first."""
    qs = Delivery.objects.filter(organisation=org).filter(scope_q(user, "org_path", within=org.path))
    return (_with_state(qs).select_related("dispatch__organisation", "dispatch__outgoing")
            .order_by("-dispatch__sent_on", "-pk"))  # fmt: skip


def delivery_get(user, pk) -> Delivery:
    """A delivery, for the recipient's side or the sender's."""
    d = (_with_state(Delivery.objects.filter(pk=pk)).filter(scope_q(user, "org_path") | scope_q(user, "dispatch__org_path"))
         .select_related("organisation", "dispatch__organisation", "dispatch__outgoing", "read_by", "answered_by")
         .first())  # fmt: skip
    if d is None:
        raise NotFound(str(pk))
    return d



def on_recipient_side(user, delivery: Delivery) -> bool:
    from .services import recipient

    return recipient(user, delivery)


# --- templates -----------------------------------------------------------------------------------------------------


def _up_the_tree(user) -> Q:
    """Templates kept by an organisation above the user's: their subtree (the user's included) uses them."""
    from dangvu.accounts.selectors import user_scope_roots
    from dangvu.core.tree import ancestor_paths

    if user.is_superuser:
        return Q()
    paths = {p for root in user_scope_roots(user) for p in ancestor_paths(root.path)}
    return Q(org_path__in=paths) if paths else Q(pk__in=[])


def templates(user, org: Organisation) -> list[Template]:
    """The templates in use at the organisation: its own and its ancestors' (the nearest wins per type), and those
    of its subtree below (for the committee's overview)."""
    from dangvu.core.tree import ancestor_paths

    up = Template.objects.filter(org_path__in=[*ancestor_paths(org.path), org.path], active=True)
    down = Template.objects.filter(org_path__startswith=org.path, active=True).exclude(org_path=org.path).filter(
        scope_q(user, "org_path", within=org.path))  # fmt: skip
    return list((up | down).select_related("organisation", "uploaded_by").order_by("doc_type", "org_path"))


def template_get(user, pk) -> Template:
    t = (Template.objects.filter(pk=pk).filter(scope_q(user, "org_path") | _up_the_tree(user))
         .select_related("organisation__type").first())  # fmt: skip
    if t is None:
        raise NotFound(str(pk))
    return t
