"""The villages and residential groups of each commune (thôn, bản, tổ dân phố), with their dated history, the cells
that cover them, where members live; and the two indicators committees publish about them, for any subtree and
date: villages without a Party member and villages without a cell ("xóa thôn, bản trắng")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from dangvu.accounts.selectors import scope_q
from dangvu.core import audit
from dangvu.core.dates import fmt, in_force, today
from dangvu.core.errors import DomainError
from dangvu.core.locking import lock
from dangvu.core.text import clean
from dangvu.members import services as msvc
from dangvu.members.models import Member, Membership, MembershipKind
from dangvu.organizations.holdings import NothingToShow
from dangvu.organizations.models import Organisation, OrgKind

from .models import Coverage, Residence, ResidentialUnit, UnitKind

ERR_NAME = "Hãy nhập tên thôn, bản, tổ dân phố."
ERR_NAME_TAKEN = "«{org}» đã có «{name}»."
ERR_NOT_COMMITTEE = "Thôn, bản, tổ dân phố được ghi theo đảng bộ xã, phường; «{org}» là chi bộ."
ERR_DATE = "Hãy nhập ngày."
ERR_FUTURE = "Ngày không được sau hôm nay ({today})."
ERR_ENDED = "«{name}» không còn từ {on}."
ERR_MERGE_FEW = "Chọn ít nhất hai thôn, bản, tổ dân phố của cùng một xã để sáp nhập."
ERR_MERGE_DATE = "Ngày sáp nhập phải sau ngày «{name}» được ghi ({since})."
ERR_CELL_ELSEWHERE = "«{cell}» không thuộc «{commune}»."
ERR_KIND = "Chọn loại: thôn, bản, tổ dân phố hoặc khu dân cư khác."
ERR_CELL_CLOSED = "«{cell}» đã chấm dứt hoạt động từ {on}."
ERR_BEFORE_UNIT = "«{name}» được ghi từ {since}; ngày cư trú không được trước đó."
ERR_MEMBER_ELSEWHERE = "Đảng viên {name} không sinh hoạt trong «{commune}»."


def _date(on, field_name: str = "on") -> dt.date:
    if on is None:
        raise DomainError(ERR_DATE, field=field_name)
    if on > today():
        raise DomainError(ERR_FUTURE.format(today=fmt(today())), field=field_name)
    return on


def _check_commune(by, commune: Organisation) -> None:
    msvc.check_may_edit(by, commune)
    if commune.type.kind != OrgKind.COMMITTEE:
        raise DomainError(ERR_NOT_COMMITTEE.format(org=commune.name), field="org")


def unit_create(*, by, commune: Organisation, name: str, kind: str = UnitKind.VILLAGE, valid_from=None,
                decision: str = "") -> ResidentialUnit:  # fmt: skip
    _check_commune(by, commune)
    name = clean(name)[:120]
    if not name:
        raise DomainError(ERR_NAME, field="name")
    if kind not in UnitKind.values:
        raise DomainError(ERR_NAME, field="kind")
    since = _date(valid_from or today(), "valid_from")
    with transaction.atomic():
        lock(commune)
        if ResidentialUnit.objects.filter(commune=commune, name__iexact=name, valid_to__isnull=True).exists():
            raise DomainError(ERR_NAME_TAKEN.format(org=commune.name, name=name), field="name")
        u = ResidentialUnit.objects.create(commune=commune, org_path=commune.path, name=name, kind=kind,
                                           valid_from=since, decision=clean(decision)[:120])  # fmt: skip
        audit.record(by=by, action="admission.unit_create", obj=u, org_path=commune.path,
                     after={"name": name, "kind": kind, "valid_from": since.isoformat()})  # fmt: skip
    return u


def _check_current(u: ResidentialUnit) -> None:
    if u.valid_to is not None:
        raise DomainError(ERR_ENDED.format(name=u.name, on=fmt(u.valid_to)), field="unit")


def coverage_set(*, by, unit: ResidentialUnit, cells: list[Organisation], on=None) -> None:
    """From `on`, the unit is covered by exactly these cells (of its commune)."""
    _check_commune(by, unit.commune)
    _check_current(unit)
    on = _date(on or today())
    for c in cells:
        if c.type.kind != OrgKind.CELL or not c.path.startswith(unit.commune.path):
            raise DomainError(ERR_CELL_ELSEWHERE.format(cell=c.name, commune=unit.commune.name), field="cells")
        if c.closed_on is not None and c.closed_on < on:
            raise DomainError(ERR_CELL_CLOSED.format(cell=c.name, on=fmt(c.closed_on)), field="cells")
    with transaction.atomic():
        lock(unit)
        _check_current(unit)
        current = {cv.cell_id: cv for cv in unit.coverages.filter(valid_to__isnull=True)}
        wanted = {c.pk for c in cells}
        for cell_id, cv in current.items():
            if cell_id not in wanted:
                Coverage.objects.filter(pk=cv.pk).update(valid_to=max(on, cv.valid_from))
        Coverage.objects.bulk_create(Coverage(unit=unit, cell_id=c, valid_from=on) for c in wanted - set(current))
        audit.record(by=by, action="admission.unit_cover", obj=unit, org_path=unit.org_path,
                     before={"cells": sorted(current)}, after={"cells": sorted(wanted), "on": on.isoformat()})  # fmt: skip


def residence_set(*, by, member: Member, unit: ResidentialUnit, on=None) -> Residence:
    """The member lives in `unit` from `on` (the previous residence ends that day)."""
    msvc.check_may_edit(by, member.org)
    _check_current(unit)
    if not (member.org_path or "").startswith(unit.commune.path):
        raise DomainError(ERR_MEMBER_ELSEWHERE.format(name=member.full_name, commune=unit.commune.name), field="member")
    on = _date(on or today())
    if on < unit.valid_from:
        raise DomainError(ERR_BEFORE_UNIT.format(name=unit.name, since=fmt(unit.valid_from)), field="on")
    with transaction.atomic():
        lock(member)
        Residence.objects.filter(member=member, valid_to__isnull=True, valid_from__lt=on).update(valid_to=on)
        replaced = list(Residence.objects.filter(member=member, valid_to__isnull=True, valid_from__gte=on)
                        .values_list("unit__name", "valid_from"))  # fmt: skip
        Residence.objects.filter(member=member, valid_to__isnull=True, valid_from__gte=on).delete()
        r = Residence.objects.create(member=member, unit=unit, valid_from=on)
        audit.record(by=by, action="admission.residence", obj=member, org_path=member.org_path,
                     before={"replaced": [[n, d.isoformat()] for n, d in replaced]} if replaced else None,
                     after={"unit": unit.name, "on": on.isoformat()})  # fmt: skip
    return r


def unit_merge(*, by, units: list[ResidentialUnit], name: str, on, kind: str = UnitKind.VILLAGE,
               decision: str = "") -> ResidentialUnit:  # fmt: skip
    """Several units of one commune become one from `on`: the old ones end, the cells that covered any cover the
    new one, and their residents live in it. The history stays answerable for any date before."""
    communes = {u.commune_id for u in units}
    units = list({u.pk: u for u in units}.values())
    if len(units) < 2 or len(communes) != 1:
        raise DomainError(ERR_MERGE_FEW, field="units")
    commune = units[0].commune
    _check_commune(by, commune)
    on = _date(on)
    for u in units:
        _check_current(u)
        if on <= u.valid_from:
            raise DomainError(ERR_MERGE_DATE.format(name=u.name, since=fmt(u.valid_from)), field="on")
    name = clean(name)[:120]
    if not name:
        raise DomainError(ERR_NAME, field="name")
    if kind not in UnitKind.values:
        raise DomainError(ERR_KIND, field="kind")
    with transaction.atomic():
        lock(commune, *units)
        for u in units:  # as they are now, under the locks (a second merge of the same units is refused here)
            _check_current(u)
        ids = [u.pk for u in units]
        if ResidentialUnit.objects.filter(commune=commune, name__iexact=name, valid_to__isnull=True).exclude(
                pk__in=ids).exists():  # fmt: skip
            raise DomainError(ERR_NAME_TAKEN.format(org=commune.name, name=name), field="name")
        cells = set(Coverage.objects.filter(unit_id__in=ids, valid_to__isnull=True).values_list("cell_id", flat=True))
        residents = list(Residence.objects.filter(unit_id__in=ids, valid_to__isnull=True).values_list("member_id",
                                                                                                     flat=True))  # fmt: skip
        Coverage.objects.filter(unit_id__in=ids, valid_to__isnull=True).update(valid_to=on)
        Residence.objects.filter(unit_id__in=ids, valid_to__isnull=True).update(valid_to=on)
        ResidentialUnit.objects.filter(pk__in=ids).update(valid_to=on)  # the name is free for the new unit
        new = ResidentialUnit.objects.create(commune=commune, org_path=commune.path, name=name, kind=kind,
                                             valid_from=on, decision=clean(decision)[:120])  # fmt: skip
        ResidentialUnit.objects.filter(pk__in=ids).update(merged_into=new)
        Coverage.objects.bulk_create(Coverage(unit=new, cell_id=c, valid_from=on) for c in sorted(cells))
        Residence.objects.bulk_create(Residence(member_id=m, unit=new, valid_from=on) for m in residents)
        audit.record(by=by, action="admission.unit_merge", obj=new, org_path=commune.path,
                     after={"from": [u.name for u in units], "name": name, "on": on.isoformat(),
                            "decision": clean(decision)})  # fmt: skip
    return new


# --- the indicators -----------------------------------------------------------------------------------------


@dataclass
class CommuneRow:
    commune: Organisation
    units: int = 0
    without_member: list = field(default_factory=list)
    without_cell: list = field(default_factory=list)


def units_on(user, org: Organisation, on: dt.date):
    """The villages and groups in force on `on` in the communes of `org`'s subtree (and `org` itself)."""
    q = Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    return (ResidentialUnit.objects.filter(q, scope_q(user, "org_path"), org_path__startswith=org.path)
            .select_related("commune").order_by("org_path", "name"))  # fmt: skip


def report(user, org: Organisation, on: dt.date | None = None) -> tuple[CommuneRow, list[CommuneRow]]:
    """Per commune, on `on`: how many villages and groups, which have no Party member living there (members in
    the register that day) and which no cell covers. Four queries whatever the size of the subtree."""
    on = on or today()
    units = list(units_on(user, org, on))
    ids = [u.pk for u in units]
    covered = set(Coverage.objects.filter(in_force(on), unit_id__in=ids).values_list("unit_id", flat=True))
    in_register = Membership.objects.filter(in_force(on), kind=MembershipKind.OFFICIAL).values("member_id")
    inhabited = set(Residence.objects.filter(in_force(on), unit_id__in=ids, member_id__in=in_register)
                    .values_list("unit_id", flat=True))  # fmt: skip
    rows: dict[int, CommuneRow] = {}
    for u in units:
        r = rows.setdefault(u.commune_id, CommuneRow(u.commune))
        r.units += 1
        if u.pk not in inhabited:
            r.without_member.append(u)
        if u.pk not in covered:
            r.without_cell.append(u)
    total = CommuneRow(org, sum(r.units for r in rows.values()),
                       [u for r in rows.values() for u in r.without_member],
                       [u for r in rows.values() for u in r.without_cell])  # fmt: skip
    return total, sorted(rows.values(), key=lambda r: r.commune.path)


class UnitsHolding(NothingToShow):
    """A commune merged, split or dissolved: its current villages and groups go with it to the target."""

    label = "thôn, bản, tổ dân phố"
    field = "unit"

    def _current(self, org):
        return ResidentialUnit.objects.filter(commune=org, valid_to__isnull=True)

    def count(self, org) -> int:
        return self._current(org).count()

    def items(self, org) -> list[tuple[int, str]]:
        return [(u.pk, u.name) for u in self._current(org)]

    def refuse_target(self, target_type, target_label: str) -> str | None:
        if target_type.kind != OrgKind.COMMITTEE:
            return f"{target_label} là chi bộ: không nhận thôn, bản, tổ dân phố."
        return None

    def move(self, source, target_for, when: dt.date, event, reason: str) -> int:
        n = 0
        for u in self._current(source):
            t = target_for(u.pk)
            ResidentialUnit.objects.filter(pk=u.pk).update(commune=t, org_path=t.path)
            audit.record(by=event.recorded_by, action=f"admission.unit_{reason}", obj=u, org_path=t.path,
                         before={"commune": source.code}, after={"commune": t.code, "event": event.pk})  # fmt: skip
            n += 1
        return n
