"""Demo data: one cell's congress held a few weeks ago, through the services: the members summoned and present, the
cell committee elected (one candidate short of the votes), the secretary and the deputy elected among its members,
and the result confirmed, so the cell's leadership page shows the new term."""

from __future__ import annotations

import datetime as dt
import random

from dangvu.core.dates import today
from dangvu.members.models import Member, Status
from dangvu.organizations.models import Organisation, OrgKind

from . import services as svc
from .models import Position


def seed_congress(by, *, rng: random.Random) -> dict:
    day = today() - dt.timedelta(days=20)
    for cell in Organisation.objects.filter(closed_on__isnull=True, type__kind=OrgKind.CELL).order_by("path"):
        official = list(Member.objects.filter(org=cell, status=Status.OFFICIAL, official_on__lte=day).order_by("pk"))
        if len(official) >= 12 and cell.established_on < day:
            break
    else:
        return {"congresses": 0}
    c = svc.congress_create(by=by, org=cell, data=svc.NewCongress(
        term_name=f"{day.year}–{day.year + 5}", starts_on=day, ends_on=day, place="Nhà văn hóa"))  # fmt: skip
    svc.summon_members(by=by, congress=c)
    attendees = list(c.attendees.all())
    absent = {a.member_id for a in rng.sample(attendees, k=min(2, len(attendees) - 1))}
    svc.presence(by=by, congress=c, present={a.member_id for a in attendees if a.member_id not in absent})
    voters = c.attendees.filter(present=True, official=True).count()
    candidates = [m for m in official if m.pk not in absent][:6]
    e = svc.election_add(by=by, congress=c, data=svc.NewElection(Position.COMMITTEE, 5, day, candidates))
    votes = {m.pk: voters - i for i, m in enumerate(candidates)}
    votes[candidates[-1].pk] = voters // 2  # not more than half: not elected
    svc.count(by=by, election=e, issued=voters, valid=voters - 1, invalid=1,
              votes={k: min(v, voters - 1) for k, v in votes.items()})  # fmt: skip
    elected = [x.member for x in e.candidates.filter(elected=True).select_related("member")]
    for position, who in ((Position.SECRETARY, elected[0]), (Position.DEPUTY, elected[1])):
        b = svc.election_add(by=by, congress=c, data=svc.NewElection(position, 1, day, [who]))
        svc.count(by=by, election=b, issued=5, valid=5, invalid=0, votes={who.pk: 5 if position == Position.SECRETARY else 4})
    svc.confirm(by=by, congress=c)
    return {"congresses": 1}
