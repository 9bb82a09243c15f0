"""Every write to congresses: the congress, who is summoned and who came, each election's candidates and count,
and the confirmation that opens the new term and seats the elected (through members.services, all or nothing).

Rules (dated, `core.rules`): "congresses.election" (who is elected) and "members.committee" (a cell with fewer than
9 official members elects only a secretary and a deputy; a cell committee has at most 7 members)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from dangvu.core import audit, rules
from dangvu.core.dates import fmt, in_force
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.locking import lock
from dangvu.core.text import clean
from dangvu.documents.models import Body, Origin
from dangvu.documents.services import issue
from dangvu.meetings.quality import threshold
from dangvu.members import services as msvc
from dangvu.members.models import IN_REGISTER, Member, Membership, SeatRole, Status
from dangvu.members.services import ERR_REQUIRED, check_may_edit
from dangvu.organizations.models import Organisation, OrgKind

from .models import Attendee, Candidate, Congress, Election, Kind, Position, State

ERR_NUMBER_TAKEN = "«{org}» đã có đại hội lần thứ {n}."
ERR_DATES = "Ngày bế mạc không được trước ngày khai mạc."
ERR_BEFORE = "«{org}» được thành lập ngày {date}; đại hội không thể trước ngày đó."
ERR_CONFIRMED = "Kết quả đại hội đã được xác nhận ngày {date}; không sửa được nữa."
ERR_NOT_IN_ORG = "«{name}» không phải đảng viên của «{org}» ngày {date}."
ERR_DAY_OUTSIDE = "Ngày bầu phải trong thời gian đại hội ({start} – {end})."
ERR_SMALL_CELL = ("Chi bộ có {n} đảng viên chính thức (dưới {min_n}) chỉ bầu bí thư, phó bí thư; không bầu chi ủy "
                  "(QĐ 294-QĐ/TW).")  # fmt: skip
ERR_CELL_STANDING = "Chi bộ không có Ban Thường vụ."
ERR_TOO_MANY_SEATS = "Chi ủy có nhiều nhất {max_n} đồng chí."
ERR_SEATS = "Số lượng cần bầu ít nhất là 1 và không quá số ứng cử viên ({n})."
ERR_ONE_SECRETARY = "Mỗi lần chỉ bầu một bí thư."
ERR_NOT_ELECTED_COMMITTEE = ("«{name}» không trúng cử cấp ủy khóa này; bí thư, phó bí thư, ủy viên Ban Thường vụ được bầu "
                             "trong số cấp ủy viên.")  # fmt: skip
ERR_ROUNDS = "Đã bầu {position} {n} lần; theo quy định, cấp ủy cấp trên chỉ định."
ERR_OPEN_ROUND = "Lần bầu {position} trước chưa kiểm phiếu."
ERR_ALREADY = "{position} đã bầu đủ ở lần bầu trước."
ERR_ELECTED_ALREADY = "«{name}» đã trúng cử {position} ở lần bầu trước."
ERR_SEATS_LEFT = "Còn {n} chỗ {position} cần bầu; không bầu nhiều hơn."
ERR_COUNTED = "Đã kiểm phiếu lần bầu này; không sửa được."
ERR_BALLOT_SUM = "Số phiếu hợp lệ ({valid}) cộng số phiếu không hợp lệ ({invalid}) phải bằng số phiếu phát ra ({issued})."
ERR_ISSUED = "Số phiếu phát ra ({issued}) nhiều hơn số {who} có quyền bầu cử có mặt ({voters})."
ERR_VOTES = "Số phiếu bầu của «{name}» ({votes}) nhiều hơn số phiếu hợp lệ ({valid})."
ERR_VOTES_TOTAL = "Tổng số phiếu bầu các ứng cử viên ({total}) vượt quá số phiếu hợp lệ nhân số lượng cần bầu ({most})."
ERR_UNCOUNTED = "Còn lần bầu chưa kiểm phiếu; hãy kiểm phiếu trước khi xác nhận kết quả."
ERR_NOTHING_ELECTED = "Chưa có lần bầu nào đã kiểm phiếu có người trúng cử; chưa xác nhận được."
ERR_NO_SECRETARY = "Chưa bầu được bí thư; hãy bầu lại hoặc chọn bí thư do cấp ủy cấp trên chỉ định và ghi số quyết định."
ERR_APPOINTMENT_REF = "Ghi số, ngày quyết định chỉ định bí thư của cấp ủy cấp trên."
ERR_SECRETARY_ELECTED = "Đại hội đã bầu được bí thư; không ghi bí thư chỉ định."


@dataclass
class NewCongress:
    number: int | None = None
    term_name: str = ""
    kind: str = Kind.MEMBERS
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    place: str = ""


def next_number(org: Organisation) -> int:
    """The next congress's sequence number: after the terms' (continuing across a merge) and congresses recorded."""
    recorded = Congress.objects.filter(organisation=org).aggregate(n=Max("number"))["n"] or 0
    return max(msvc.next_congress_number(org), recorded + 1)


def _check_open(congress: Congress) -> None:
    if congress.state == State.CONFIRMED:
        raise Conflict(ERR_CONFIRMED.format(date=fmt(timezone.localdate(congress.confirmed_at))))


def congress_create(*, by, org: Organisation, data: NewCongress) -> Congress:
    check_may_edit(by, org)
    errors = {}
    for f in ("term_name", "starts_on", "ends_on"):
        if not getattr(data, f):
            errors[f] = ERR_REQUIRED
    if data.kind not in Kind.values:
        errors["kind"] = ERR_REQUIRED
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = ERR_DATES
    if data.starts_on and data.starts_on < org.established_on:
        errors["starts_on"] = ERR_BEFORE.format(org=org.name, date=fmt(org.established_on))
    number = data.number or next_number(org)
    if number < 1:
        errors["number"] = ERR_REQUIRED
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    if Congress.objects.filter(organisation=org, number=number).exists():
        raise DomainError(ERR_NUMBER_TAKEN.format(org=org.name, n=number), field="number")
    try:
        with transaction.atomic():
            c = Congress.objects.create(organisation=org, org_path=org.path, number=number,
                                        term_name=clean(data.term_name)[:40], kind=data.kind,
                                        starts_on=data.starts_on, ends_on=data.ends_on, place=clean(data.place)[:255],
                                        created_by=by if by.is_authenticated else None)  # fmt: skip
            audit.record(by=by, action="congress.create", obj=c, org_path=org.path,
                         after={"number": number, "term": c.term_name, "from": c.starts_on.isoformat()})  # fmt: skip
    except IntegrityError:
        raise DomainError(ERR_NUMBER_TAKEN.format(org=org.name, n=number), field="number") from None
    return c


def _in_org(org: Organisation, on: dt.date):
    """The memberships in force on `on` in the organisation (a cell) or its subtree (a committee)."""
    q = Membership.objects.filter(in_force(on), kind="official")
    if org.type.kind == OrgKind.CELL:
        return q.filter(organisation=org)
    return q.filter(organisation__path__startswith=org.path)


def summon_members(*, by, congress: Congress) -> int:
    """A members' congress summons every member of the organisation on its opening day (probationary members attend
    without a vote). Run again after a change: those missing are added, none removed."""
    check_may_edit(by, congress.organisation)
    _check_open(congress)
    on = congress.starts_on
    ids = set(_in_org(congress.organisation, on).values_list("member_id", flat=True))
    people = Member.objects.filter(pk__in=ids, status__in=IN_REGISTER).only("pk", "official_on")
    with transaction.atomic():
        lock(congress)
        have = set(congress.attendees.values_list("member_id", flat=True))
        rows = [Attendee(congress=congress, member_id=m.pk, official=bool(m.official_on and m.official_on <= on))
                for m in people if m.pk not in have]  # fmt: skip
        Attendee.objects.bulk_create(rows)
        audit.record(by=by, action="congress.summon", obj=congress, org_path=congress.org_path,
                     after={"added": len(rows)})  # fmt: skip
    return len(rows)


def _check_member(org: Organisation, member: Member, on: dt.date, field: str) -> None:
    if not _in_org(org, on).filter(member=member).exists():
        raise DomainError(ERR_NOT_IN_ORG.format(name=member.full_name, org=org.name, date=fmt(on)), field=field)


def delegate_add(*, by, congress: Congress, member: Member) -> Attendee:
    """A delegate (elected by a lower congress, or a member of the outgoing committee) of a delegates' congress."""
    check_may_edit(by, congress.organisation)
    _check_open(congress)
    _check_member(congress.organisation, member, congress.starts_on, "member")
    with transaction.atomic():
        lock(congress)
        a, _ = Attendee.objects.get_or_create(congress=congress, member=member, defaults={
            "official": bool(member.official_on and member.official_on <= congress.starts_on)})  # fmt: skip
        audit.record(by=by, action="congress.delegate", obj=congress, org_path=congress.org_path,
                     after={"member": member.pk})  # fmt: skip
    return a


def presence(*, by, congress: Congress, present: set[int]) -> Congress:
    """Who came: the attendees whose ids are in `present`; the others absent."""
    check_may_edit(by, congress.organisation)
    _check_open(congress)
    with transaction.atomic():
        lock(congress)
        congress.attendees.update(present=False)
        congress.attendees.filter(member_id__in=present).update(present=True)
        audit.record(by=by, action="congress.presence", obj=congress, org_path=congress.org_path,
                     after={"present": congress.attendees.filter(present=True).count()})  # fmt: skip
    return congress


def _official_count(org: Organisation, on: dt.date) -> int:
    ids = _in_org(org, on).values_list("member_id", flat=True)
    return Member.objects.filter(pk__in=ids, official_on__isnull=False, official_on__lte=on).exclude(
        status__in=[Status.TEMP_AWAY]).count()  # fmt: skip


def _elected(congress: Congress, position: str) -> set[int]:
    return set(Candidate.objects.filter(election__congress=congress, election__position=position,
                                        elected=True).values_list("member_id", flat=True))  # fmt: skip


@dataclass
class NewElection:
    position: str = ""
    seats: int = 1
    held_on: dt.date | None = None
    candidates: list[Member] = field(default_factory=list)


def election_add(*, by, congress: Congress, data: NewElection) -> Election:
    """A ballot for a position with its candidates. A cell with fewer official members than the rule asks elects only
    a secretary and a deputy; where this congress elected a committee, its secretary, deputies and standing
    committee are chosen among those elected; a position still short after a ballot is balloted again (round 2, 3)."""
    org = congress.organisation
    check_may_edit(by, org)
    _check_open(congress)
    errors = {}
    if data.position not in Position.values:
        errors["position"] = ERR_REQUIRED
    if data.held_on is None:
        errors["held_on"] = ERR_REQUIRED
    elif not congress.starts_on <= data.held_on <= congress.ends_on:
        errors["held_on"] = ERR_DAY_OUTSIDE.format(start=fmt(congress.starts_on), end=fmt(congress.ends_on))
    if not data.candidates:
        errors["candidates"] = ERR_REQUIRED
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    label = Position(data.position).label
    p = rules.params("members.committee", data.held_on)
    small = False  # a cell too small to elect a committee: one deputy at most
    if org.type.kind == OrgKind.CELL:
        if data.position == Position.STANDING:
            raise DomainError(ERR_CELL_STANDING, field="position")
        n = _official_count(org, data.held_on)
        small = n < p["cell_committee_min_official"]
        if data.position == Position.COMMITTEE and small:
            raise DomainError(ERR_SMALL_CELL.format(n=n, min_n=p["cell_committee_min_official"]), field="position")
        if data.position == Position.COMMITTEE and data.seats > p["cell_committee_max"]:
            raise DomainError(ERR_TOO_MANY_SEATS.format(max_n=p["cell_committee_max"]), field="seats")
    if not 1 <= (data.seats or 0) <= len(data.candidates):
        raise DomainError(ERR_SEATS.format(n=len(data.candidates)), field="seats")
    if data.position == Position.SECRETARY and data.seats != 1:
        raise DomainError(ERR_ONE_SECRETARY, field="seats")
    seen = set()
    for m in data.candidates:
        if m.pk in seen:
            continue
        seen.add(m.pk)
        _check_member(org, m, data.held_on, "candidates")
        if not (m.official_on and m.official_on <= data.held_on):
            raise DomainError(f"«{m.full_name}» là đảng viên dự bị; không ứng cử (Điều lệ Điều 3).", field="candidates")
    try:
        with transaction.atomic():
            lock(congress)  # the rounds and seats already taken, read under the lock: a second click waits here
            _check_open(congress)
            _check_ballot(congress, data, p, small)
            before = congress.elections.filter(position=data.position).count()
            e = Election.objects.create(congress=congress, position=data.position, round=before + 1,
                                        held_on=data.held_on, seats=data.seats)  # fmt: skip
            Candidate.objects.bulk_create([Candidate(election=e, member_id=pk)
                                           for pk in dict.fromkeys(m.pk for m in data.candidates)])  # fmt: skip
            audit.record(by=by, action="congress.election", obj=congress, org_path=congress.org_path,
                         after={"position": e.position, "round": e.round, "seats": e.seats,
                                "candidates": [m.pk for m in data.candidates]})  # fmt: skip
    except IntegrityError:
        raise Conflict(ERR_OPEN_ROUND.format(position=label.lower())) from None
    return e


def _check_ballot(congress: Congress, data: NewElection, p: dict, small: bool) -> None:
    """Against the ballots already held: no round while another is uncounted (a committee's too, before the posts
    chosen among it); the seats still open, never more (a small cell's one deputy, a cell committee's maximum);
    nobody elected already; the secretary at most `max_rounds` times."""
    label = Position(data.position).label
    elections = list(congress.elections.all())
    pending = [e for e in elections if not e.counted and (e.position == data.position
                                                           or e.position == Position.COMMITTEE)]  # fmt: skip
    if pending:
        raise DomainError(ERR_OPEN_ROUND.format(position=pending[0].get_position_display().lower()), field="position")
    committee = _elected(congress, Position.COMMITTEE)
    if data.position != Position.COMMITTEE and committee:
        for m in data.candidates:
            if m.pk not in committee:
                raise DomainError(ERR_NOT_ELECTED_COMMITTEE.format(name=m.full_name), field="candidates")
    mine = [e for e in elections if e.position == data.position]
    max_rounds = rules.params("congresses.election", data.held_on)["max_rounds"]
    if data.position == Position.SECRETARY and len(mine) >= max_rounds:
        raise DomainError(ERR_ROUNDS.format(position=label.lower(), n=len(mine)), field="position")
    filled = _elected(congress, data.position)
    for m in data.candidates:
        if m.pk in filled:
            raise DomainError(ERR_ELECTED_ALREADY.format(name=m.full_name, position=label.lower()), field="candidates")
    limit = mine[0].seats if mine else None  # the first ballot fixes how many are elected
    if small and data.position == Position.DEPUTY:
        limit = 1 if limit is None else min(limit, 1)
    if congress.organisation.type.kind == OrgKind.CELL and data.position == Position.COMMITTEE:
        limit = p["cell_committee_max"] if limit is None else min(limit, p["cell_committee_max"])
    if limit is not None:
        if len(filled) >= limit:
            raise DomainError(ERR_ALREADY.format(position=label), field="position")
        if data.seats > limit - len(filled):
            raise DomainError(ERR_SEATS_LEFT.format(n=limit - len(filled), position=label.lower()), field="seats")


def result(votes: dict[int, int], seats: int, valid: int, rule) -> tuple[int, list[int], str]:
    """(the least votes that elects, the elected ids in order, a note): more than half of the valid ballots (the
    rule `elect`), then by votes from the highest within the seats; a tie at the last seat elects neither of the tied
    (another ballot decides). Pure: the tests and the service share it."""
    need = max(threshold(valid, rule), 1)
    ranked = sorted(((v, pk) for pk, v in votes.items() if v >= need), key=lambda x: -x[0])
    if len(ranked) <= seats:
        return need, [pk for _, pk in ranked], ""
    cut = ranked[seats - 1][0]
    if ranked[seats][0] == cut:
        elected = [pk for v, pk in ranked if v > cut]
        return need, elected, f"Có ứng cử viên bằng phiếu ({cut}) ở vị trí cuối; bầu lại cho số còn thiếu."
    return need, [pk for _, pk in ranked[:seats]], ""


def count(*, by, election: Election, issued: int, valid: int, invalid: int, votes: dict[int, int]) -> Election:
    """Record the count (kiểm phiếu) and who is elected by the rule in force on the ballot's day; the vote-count
    minutes take the congress's next number (congress documents share one sequence). Once only."""
    congress = election.congress
    check_may_edit(by, congress.organisation)
    _check_open(congress)
    if election.counted:
        raise Conflict(ERR_COUNTED)
    errors = {}
    for name, value in (("ballots_issued", issued), ("ballots_valid", valid), ("ballots_invalid", invalid)):
        if value is None or value < 0:
            errors[name] = ERR_REQUIRED
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    if valid + invalid != issued:
        raise DomainError(ERR_BALLOT_SUM.format(valid=valid, invalid=invalid, issued=issued), field="ballots_valid")
    voters = congress.attendees.filter(official=True, present=True).count()
    if congress.attendees.filter(present=True).exists() and issued > voters:
        who = "đại biểu" if congress.kind == Kind.DELEGATES else "đảng viên chính thức"
        raise DomainError(ERR_ISSUED.format(issued=issued, who=who, voters=voters), field="ballots_issued")
    candidates = list(election.candidates.select_related("member"))
    for c in candidates:
        v = votes.get(c.member_id)
        if v is None or v < 0:
            errors[f"c{c.member_id}"] = ERR_REQUIRED
        elif v > valid:
            errors[f"c{c.member_id}"] = ERR_VOTES.format(name=c.member.full_name, votes=v, valid=valid)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    total = sum(votes[c.member_id] for c in candidates)
    if total > valid * election.seats:
        raise DomainError(ERR_VOTES_TOTAL.format(total=total, most=valid * election.seats), field="ballots_valid")
    params = rules.params("congresses.election", election.held_on)
    need, elected, note = result({c.member_id: votes[c.member_id] for c in candidates}, election.seats, valid,
                                 params["elect"])  # fmt: skip
    with transaction.atomic():
        lock(election)
        if election.counted:
            raise Conflict(ERR_COUNTED)
        for c in candidates:
            c.votes, c.elected = votes[c.member_id], c.member_id in elected
        Candidate.objects.bulk_update(candidates, ["votes", "elected"])
        election.ballots_issued, election.ballots_valid, election.ballots_invalid = issued, valid, invalid
        election.need, election.note, election.counted_at = need, note, timezone.now()
        election.rules_from = rules.version("congresses.election", election.held_on)
        election.minutes = issue(congress.organisation, "BB", election.held_on, body=Body.CONGRESS, by=by,
                                 origin=Origin.CONGRESS, check=False,
                                 subject=f"Biên bản kiểm phiếu bầu {election.get_position_display().lower()} "
                                         f"(lần {election.round}), đại hội lần thứ {congress.number}")  # fmt: skip
        election.save()
        audit.record(by=by, action="congress.count", obj=congress, org_path=congress.org_path,
                     after={"election": election.pk, "issued": issued, "valid": valid, "invalid": invalid,
                            "votes": {str(k): v for k, v in votes.items()}, "elected": elected,
                            "minutes": election.minutes.symbol})  # fmt: skip
    return election


ROLE = {Position.COMMITTEE: SeatRole.MEMBER, Position.STANDING: SeatRole.STANDING, Position.DEPUTY: SeatRole.DEPUTY,
        Position.SECRETARY: SeatRole.SECRETARY}  # fmt: skip


def _to_confirm(congress: Congress, appointed: Member | None, reference: str) -> dict[str, set[int]]:
    """Who takes which post, checked (under the congress's lock): every ballot counted, someone elected, and a
    secretary — elected, or appointed by the superior committee's decision where none was."""
    if congress.elections.filter(counted_at__isnull=True).exists():
        raise DomainError(ERR_UNCOUNTED)
    elected = {p: _elected(congress, p) for p in Position.values}
    if not any(elected.values()) and appointed is None:
        raise DomainError(ERR_NOTHING_ELECTED)
    if not elected[Position.SECRETARY]:
        if appointed is None:
            raise DomainError(ERR_NO_SECRETARY, field="appointed")
        if not clean(reference):
            raise DomainError(ERR_APPOINTMENT_REF, field="reference")
        _check_member(congress.organisation, appointed, congress.ends_on, "appointed")
        if elected[Position.COMMITTEE] and appointed.pk not in elected[Position.COMMITTEE]:
            raise DomainError(ERR_NOT_ELECTED_COMMITTEE.format(name=appointed.full_name), field="appointed")
        elected[Position.SECRETARY] = {appointed.pk}
    elif appointed is not None:
        raise DomainError(ERR_SECRETARY_ELECTED, field="appointed")
    return elected


def confirm(*, by, congress: Congress, appointed: Member | None = None, reference: str = "") -> Congress:
    """The elected become the new term's leadership: the term opens the day after the congress closes (numbering
    starts anew, rules.md §6) with the congress's number, the outgoing term and its seats end, and each elected
    member takes one seat, their highest post (secretary, deputy, standing committee, committee). With no secretary
    elected (after the third ballot, rules.md §1.1), the one the superior committee appointed, with its decision.
    All or nothing; checked again under the lock, so a ballot added meanwhile is never left uncounted."""
    org = congress.organisation
    check_may_edit(by, org)
    _check_open(congress)
    _to_confirm(congress, appointed, reference)  # the refusal before the lock, for a clear message
    starts_on = congress.ends_on + dt.timedelta(days=1)
    with transaction.atomic():
        lock(congress)
        _check_open(congress)
        elected = _to_confirm(congress, appointed, reference)
        people = {m.pk: m for m in Member.objects.filter(pk__in=set().union(*elected.values()))}
        term = msvc.term_create(by=by, org=org, name=congress.term_name, starts_on=starts_on,
                                congress_number=congress.number)  # fmt: skip
        top: dict[int, str] = {}  # each elected member's highest post: one seat each (members.Seat)
        for position in (Position.COMMITTEE, Position.STANDING, Position.DEPUTY, Position.SECRETARY):
            top.update(dict.fromkeys(elected[position], position))
        for position in (Position.SECRETARY, Position.DEPUTY, Position.STANDING, Position.COMMITTEE):
            for pk in sorted(pk for pk, p in top.items() if p == position):
                msvc.seat_assign(by=by, term=term, member=people[pk], role=ROLE[position], valid_from=starts_on)
        congress.term, congress.state, congress.confirmed_at = term, State.CONFIRMED, timezone.now()
        congress.appointed_secretary, congress.appointment_ref = appointed, clean(reference)[:120] if appointed else ""
        congress.save(update_fields=["term", "state", "confirmed_at", "appointed_secretary", "appointment_ref"])
        audit.record(by=by, action="congress.confirm", obj=congress, org_path=org.path,
                     after={"term": term.pk, "from": starts_on.isoformat(), "appointed": appointed.pk if appointed else None,
                            "seats": {p: sorted(ids) for p, ids in elected.items()}})  # fmt: skip
    return congress


def election_remove(*, by, election: Election) -> None:
    """A ballot set up by mistake (wrong candidates or seats) is removed before its count; a counted one stays."""
    congress = election.congress
    check_may_edit(by, congress.organisation)
    _check_open(congress)
    with transaction.atomic():
        lock(congress)
        _check_open(congress)
        e = Election.objects.filter(pk=election.pk).first()
        if e is None:
            return
        if e.counted:
            raise Conflict(ERR_COUNTED)
        if congress.elections.filter(position=e.position, round__gt=e.round).exists():
            raise Conflict(ERR_COUNTED)
        audit.record(by=by, action="congress.election_remove", obj=congress, org_path=congress.org_path,
                     before={"position": e.position, "round": e.round,
                             "candidates": list(e.candidates.values_list("member_id", flat=True))})  # fmt: skip
        e.delete()


def may_elect_committee(org: Organisation, on: dt.date) -> bool:
    if org.type.kind != OrgKind.CELL:
        return True
    return _official_count(org, on) >= rules.params("members.committee", on)["cell_committee_min_official"]

