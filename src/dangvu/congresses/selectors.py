"""Every read of congresses, scoped by the acting user's granted paths."""

from __future__ import annotations

from django.db.models import QuerySet

from dangvu.accounts.selectors import scope_q
from dangvu.core.errors import NotFound
from dangvu.organizations.models import Organisation

from .models import Congress, Election


def visible(user) -> QuerySet[Congress]:
    return Congress.objects.filter(scope_q(user, "org_path"))


def of_org(user, org: Organisation) -> list[Congress]:
    return list(visible(user).filter(organisation=org).select_related("term").order_by("-number"))


def congress_get(user, pk) -> Congress:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(pk) from None
    c = visible(user).filter(pk=pk).select_related("organisation", "organisation__type", "term").first()
    if c is None:
        raise NotFound(pk)
    return c


def election_get(user, pk) -> Election:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(pk) from None
    e = (Election.objects.filter(scope_q(user, "congress__org_path"), pk=pk)
         .select_related("congress", "congress__organisation", "congress__organisation__type", "minutes").first())  # fmt: skip
    if e is None:
        raise NotFound(pk)
    return e


def detail(c: Congress) -> dict:
    """The congress page's data in a fixed number of queries."""
    attendees = list(c.attendees.select_related("member").order_by("member__sort_key", "member_id"))
    elections = list(c.elections.select_related("minutes").prefetch_related("candidates__member"))
    from dangvu.documents.models import Outgoing

    documents = list(Outgoing.objects.filter(organisation_id=c.organisation_id, series="ĐH",
                                             issued_on__range=(c.starts_on, c.ends_on)).order_by("number"))  # fmt: skip
    return {
        "documents": documents,
        "attendees": attendees,
        "present": sum(1 for a in attendees if a.present),
        "voters": sum(1 for a in attendees if a.present and a.official),
        "elections": elections,
    }


def member_in_scope(user, pk: int):
    """A member the user may see, or None: a name outside the scope is never revealed by a refusal."""
    from dangvu.members.models import Member

    return Member.objects.filter(scope_q(user, "org_path"), pk=pk).first()
