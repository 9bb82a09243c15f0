"""Every read of the member registry. Each takes the acting user first and filters by their granted paths."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import in_force, today
from dangvu.core.errors import DomainError, NotFound
from dangvu.core.text import search_key
from dangvu.core.tree import STEP
from dangvu.organizations.models import Organisation, OrgVersion
from dangvu.organizations.selectors import path_on
from dangvu.organizations.services import ERR_ORG_UNKNOWN

from .models import (
    IN_REGISTER,
    Member,
    Membership,
    MembershipKind,
    MonitorAssignment,
    Seat,
    SeatRole,
    Status,
    StatusChange,
    Transfer,
    TransferState,
)

AGE_BANDS = {
    "duoi-30": ("Dưới 30", 0, 30),
    "30-40": ("30 – dưới 40", 30, 40),
    "40-50": ("40 – dưới 50", 40, 50),
    "50-60": ("50 – dưới 60", 50, 60),
    "tu-60": ("Từ 60 trở lên", 60, 200),
}
PARTY_AGE_BANDS = {
    "duoi-5": ("Dưới 5 năm", 0, 5),
    "5-10": ("5 – dưới 10 năm", 5, 10),
    "10-30": ("10 – dưới 30 năm", 10, 30),
    "30-40": ("30 – dưới 40 năm", 30, 40),
    "40-50": ("40 – dưới 50 năm", 40, 50),
    "tu-50": ("Từ 50 năm trở lên", 50, 200),
}
# "current" (the default): everyone in the register; "left": those who left; or one status.
STATUS_FILTERS = {"current": IN_REGISTER, "left": tuple(s for s in Status.values if s not in IN_REGISTER)}


def _years_ago(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def members_visible(user, org: Organisation | None = None) -> QuerySet[Member]:
    """Members in the user's scope; with `org`, those of its subtree (and none if it is out of scope)."""
    if org is None:
        return Member.objects.filter(scope_q(user, "org_path"))
    return Member.objects.filter(scope_q(user, "org_path", within=org.path), org_path__startswith=org.path)


def member_get(user, pk) -> Member:
    """A member in the user's scope (home organisation, or where they are temporarily), else NotFound."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(pk) from None
    m = (
        Member.objects.filter(pk=pk)
        .filter(scope_q(user, "org_path") | scope_q(user, "host_org__path"))
        .select_related("org", "org__type", "host_org")
        .first()
    )
    if m is None:
        raise NotFound(pk)
    return m


@dataclass
class Filters:
    q: str = ""
    status: str = "current"
    sex: str = ""
    ethnicity: str = ""
    age: str = ""
    qualification: str = ""
    theory: str = ""
    party_age: str = ""
    as_of: dt.date | None = None


def _search(qs, q: str):
    key = search_key(q)
    compact = key.replace(" ", "").replace(".", "")
    if compact.isdigit() and len(compact) >= 4:
        # card number or citizen ID (both are in search_text)
        return qs.filter(Q(card_number__startswith=q.strip()) | Q(citizen_id__startswith=compact))
    # The words as typed, in order, as one substring: selective enough that PostgreSQL's trigram index
    # finds the few matching rows (three separate words each match a large share of a register); when
    # that finds nothing, any order ("duc nguyen").
    phrase = qs.filter(search_text__contains=key)
    if " " not in key or phrase.exists():
        return phrase
    for word in key.split():
        qs = qs.filter(search_text__contains=word)
    return qs


def member_list(user, *, org: Organisation | None = None, f: Filters | None = None) -> QuerySet[Member]:
    """Members of `org` and its subtree (or the whole scope), filtered, in Vietnamese name order.

    Today: by the member's current placement (one indexed range scan). On a past date (`f.as_of`): by the
    official memberships in force that day in the organisations that were in the subtree that day.
    """
    f = f or Filters()
    d = f.as_of or today()
    qs = members_visible(user, org)
    statuses = STATUS_FILTERS.get(f.status, (f.status,) if f.status else None)
    if d < today():
        where = Q()
        if org is not None:
            path_then = path_on(org, d)
            if path_then is None:  # the organisation did not exist that day
                return Member.objects.none()
            orgs_then = OrgVersion.objects.filter(in_force(d), path__startswith=path_then)
            where = Q(organisation_id__in=orgs_then.values("organisation_id"))
        ids = Membership.objects.filter(where, in_force(d), kind=MembershipKind.OFFICIAL).values("member_id")
        qs = Member.objects.filter(scope_q(user, "org_path"), pk__in=ids)
        if statuses:
            then = StatusChange.objects.filter(in_force(d), status__in=statuses).values("member_id")
            qs = qs.filter(pk__in=then)
    elif statuses:
        qs = qs.filter(status__in=statuses)
    if f.q:
        qs = _search(qs, f.q)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.ethnicity:
        qs = qs.filter(ethnicity=f.ethnicity)
    if f.qualification != "":
        qs = qs.filter(qualification="" if f.qualification == "none" else f.qualification)
    if f.theory != "":
        qs = qs.filter(political_theory="" if f.theory == "none" else f.theory)
    if f.age in AGE_BANDS:
        _, lo, hi = AGE_BANDS[f.age]
        qs = qs.filter(birth_date__lte=_years_ago(d, lo), birth_date__gt=_years_ago(d, hi))
    if f.party_age in PARTY_AGE_BANDS:
        _, lo, hi = PARTY_AGE_BANDS[f.party_age]
        qs = qs.filter(admitted_on__lte=_years_ago(d, lo), admitted_on__gt=_years_ago(d, hi))
    return qs.select_related("org").order_by("sort_key", "pk")


def counts_by_status(user, org: Organisation) -> dict[str, int]:
    """Members of the subtree by current status: one range scan of the (org_path, status) index."""
    rows = members_visible(user, org).values("status").annotate(n=Count("id")).order_by()
    return {r["status"]: r["n"] for r in rows}


def guests(user, org: Organisation) -> QuerySet[Member]:
    """Members temporarily active in the subtree (not counted in its total)."""
    return (
        Member.objects.filter(scope_q(user, "host_org__path"), host_org__path__startswith=org.path)
        .select_related("org", "host_org")
        .order_by("sort_key")
    )


def ethnicities(user, org: Organisation | None) -> list[str]:
    qs = members_visible(user)
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    return list(qs.order_by().values_list("ethnicity", flat=True).distinct()[:100])


def member_history(member: Member) -> dict:
    return {
        "memberships": list(member.memberships.select_related("organisation", "start_event", "end_event")),
        "statuses": list(member.status_history.order_by("valid_from", "pk")),
        "transfers": list(member.transfers.select_related("from_org", "to_org")),
        "entries": list(member.entries.all()),
        "seats": list(member.seats.select_related("organisation", "term")),
    }


def org_register(user, org: Organisation, on: dt.date) -> QuerySet[Membership]:
    """The official register of one organisation on a date (closed organisations keep theirs)."""
    return (
        Membership.objects.filter(in_force(on), organisation=org, kind=MembershipKind.OFFICIAL)
        .filter(scope_q(user, "member__org_path"))
        .select_related("member")
        .order_by("member__sort_key")
    )


def register_on(user, org: Organisation, on: dt.date) -> QuerySet[Member]:
    """The members on the official register of `org` and its subtree on a date (what a reconciliation compares
    with another register), in the Vietnamese order."""
    ids = Membership.objects.filter(in_force(on), organisation__path__startswith=org.path,
                                    kind=MembershipKind.OFFICIAL).values("member_id")  # fmt: skip
    return Member.objects.filter(pk__in=ids).filter(scope_q(user, "org_path")).order_by("sort_key", "pk")


def org_member_history(user, org: Organisation) -> QuerySet[Membership]:
    """Everyone who ever belonged to the organisation, with when they came and went."""
    return (
        Membership.objects.filter(organisation=org)
        .filter(scope_q(user, "member__org_path") | scope_q(user, "organisation__path"))
        .select_related("member", "start_event", "end_event")
        .order_by("-valid_from", "member__sort_key")
    )


def pending_transfers_in(user, org: Organisation) -> QuerySet[Transfer]:
    """Letters addressed to the subtree that still wait for receipt (the member is not yet visible here)."""
    return (
        Transfer.objects.filter(scope_q(user, "to_org__path"), to_org__path__startswith=org.path)
        .filter(state=TransferState.PENDING)
        .select_related("member", "from_org", "to_org")
        .order_by("present_deadline")
    )


def pending_transfers_out(user, org: Organisation) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(scope_q(user, "from_org__path"), from_org__path__startswith=org.path)
        .filter(state=TransferState.PENDING)
        .select_related("member", "from_org", "to_org")
        .order_by("present_deadline")
    )


def transfer_destination(code: str | None) -> Organisation | None:
    """The organisation a member is introduced to, by exact code, anywhere in the tree: the sender usually
    cannot see the receiver, and only its name is shown. None when no code is given."""
    from dangvu.organizations.selectors import code_of

    code = code_of(code)
    if not code:
        return None
    org = Organisation.objects.filter(code=code).select_related("type").first()
    if org is None:
        raise DomainError(ERR_ORG_UNKNOWN.format(code=code), field="to_org")
    return org


def transfer_get(user, pk) -> Transfer:
    """A transfer visible from its origin or its destination."""
    t = (
        Transfer.objects.filter(pk=pk)
        .filter(
            scope_q(user, "from_org__path")
            | scope_q(user, "to_org__path")
            | scope_q(user, "member__org_path")
        )
        .select_related("member", "from_org", "to_org", "to_org__type", "from_org__type", "member__org")
        .first()
    )
    if t is None:
        raise NotFound(pk)
    return t


def leadership(org: Organisation) -> dict:
    seats = list(
        Seat.objects.filter(organisation=org, valid_to__isnull=True)
        .select_related("member", "term")
        .order_by("role")
    )
    monitor = (
        MonitorAssignment.objects.filter(organisation=org, valid_to__isnull=True)
        .select_related("monitor")
        .first()
    )
    term = org.terms.filter(ends_on__isnull=True).first() or org.terms.first()
    return {
        "seats": seats,
        "secretary": next((s.member for s in seats if s.role == SeatRole.SECRETARY), None),
        "monitor": monitor,
        "term": term,
    }


def annotate_rows(rows) -> None:
    """Adds `n_members` (in the register, whole subtree) and `secretary` to tree rows: three queries for any
    number of rows (siblings share a path length, so one grouped range scan counts them all)."""
    if not rows:
        return
    by_len: dict[int, list] = {}
    for r in rows:
        r.n_members = 0
        r.secretary = None
        by_len.setdefault(len(r.path), []).append(r)
    for length, group in by_len.items():
        common = os.path.commonprefix([r.path for r in group])
        common = common[: len(common) // STEP * STEP]
        q = Q(org_path__startswith=common) if common else Q()
        if len(group) == 1:
            q = Q(org_path__startswith=group[0].path)
        counts = dict(
            Member.objects.filter(q, status__in=IN_REGISTER)
            .annotate(prefix=Substr("org_path", 1, length))
            .values_list("prefix")
            .annotate(n=Count("id"))
            .order_by()
        )
        for r in group:
            r.n_members = counts.get(r.path, 0)
    secretaries = {
        s.organisation_id: s.member
        for s in Seat.objects.filter(
            organisation_id__in=[r.org.pk for r in rows], role=SeatRole.SECRETARY, valid_to__isnull=True
        ).select_related("member")
    }
    for r in rows:
        r.secretary = secretaries.get(r.org.pk)


def seat_candidates(user, org: Organisation) -> QuerySet[Member]:
    """Who may take a committee seat of `org`: the members of the cell, or of the whole committee's subtree."""
    qs = Member.objects.filter(scope_q(user, "org_path"), status__in=IN_REGISTER)
    qs = qs.filter(org=org) if org.type.kind == "cell" else qs.filter(org_path__startswith=org.path)
    return qs.order_by("sort_key")


def member_choices(ids) -> list[tuple[int, str]]:
    """(id, label) for a member picker, in the Vietnamese order: the name with the birth year, and the cell too
    when two people in the list share a name ("Lò Văn An (1960, Chi bộ thôn Nà Lộc)")."""
    rows = list(Member.objects.filter(pk__in=list(ids)).select_related("org").order_by("sort_key", "pk"))
    names = Counter(m.full_name for m in rows)
    out = []
    for m in rows:
        extra = [str(m.birth_date.year)] if m.birth_date else []
        if names[m.full_name] > 1 and m.org_id:
            extra.append(m.org.name)
        out.append((m.pk, f"{m.full_name} ({', '.join(extra)})" if extra else m.full_name))
    return out


def account_suggestions(by, member: Member, limit: int = 5) -> list[tuple[object, str]]:
    """Accounts `by` may link, not yet linked, that look like this member's: the login is the card number or the
    citizen ID, the e-mail address is the member's, or the account's name is the member's. (account, why)."""
    from django.db.models.functions import Lower

    from .services import linkable_accounts

    users = linkable_accounts(by).filter(member__isnull=True)
    found: dict[int, tuple[object, str]] = {}
    for value, why in ((member.card_number, "tên đăng nhập là số thẻ đảng viên"),
                       (member.citizen_id, "tên đăng nhập là số CCCD")):  # fmt: skip
        if value:
            for u in users.filter(username=value):
                found.setdefault(u.pk, (u, why))
    if member.email:
        for u in users.annotate(address=Lower("email")).filter(address=member.email.lower()):
            found.setdefault(u.pk, (u, "cùng địa chỉ thư điện tử"))
    family, _, given = member.full_name.rpartition(" ")
    if given:
        for u in users.filter(first_name=given, last_name=family)[:limit]:
            found.setdefault(u.pk, (u, "cùng họ tên"))
    return list(found.values())[:limit]
