"""Writes of the statistics: freezing a snapshot at a cut-off date, and committee members' field days (registered,
approved, reported). Each checks the role on the organisation, runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangvu.core import audit
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.text import clean, nfc
from dangvu.members.models import Member, Seat
from dangvu.members.services import ERR_REQUIRED, check_may_edit
from dangvu.organizations.models import Organisation

from . import selectors as sel
from .models import FieldDay, FieldDayState, Snapshot

EARLIEST = dt.date(1930, 2, 3)  # the Party's founding: no figure before it
ERR_TOO_EARLY = "Ngày không được trước 03/02/1930."
ERR_FUTURE_CUTOFF = "Ngày chốt số liệu không được sau hôm nay ({today})."
ERR_SNAPSHOT_TAKEN = "Số liệu của «{org}» ngày {on} đã được chốt lúc {at}; số liệu đã gửi không được thay."
ERR_FROM_AFTER = "«Từ ngày» phải trước ngày chốt số liệu."
ERR_NOT_ON_COMMITTEE = "«{name}» không phải cấp ủy viên của «{org}» ngày {on}."
ERR_NOT_BELOW = "«{org}» không thuộc «{committee}»."
ERR_STATE = "Kế hoạch đang ở trạng thái «{state}»: không thể {what}."
ERR_DAYS = "Số ngày phải từ 1 đến 31."
ERR_REPORT = "Cần ghi báo cáo kết quả chuyến công tác."


def snapshot_take(*, by, org: Organisation, on: dt.date, date_from: dt.date | None = None, note: str = "") -> Snapshot:
    """Freeze the statistics of `org`'s subtree at `on` (a cut-off date: 30/6, 31/12…). A cut-off is frozen once:
    a second try (a double click, a colleague) is refused and the first stays."""
    check_may_edit(by, org)
    if on is None:
        raise DomainError(ERR_REQUIRED, field="on")
    if on > today():
        raise DomainError(ERR_FUTURE_CUTOFF.format(today=fmt(today())), field="on")
    if on < EARLIEST:
        raise DomainError(ERR_TOO_EARLY, field="on")
    date_from = date_from or dt.date(on.year, 1, 1)
    if date_from > on:
        raise DomainError(ERR_FROM_AFTER, field="date_from")
    taken = Snapshot.objects.filter(organisation=org, on=on).first()
    if taken:
        raise Conflict(ERR_SNAPSHOT_TAKEN.format(org=org.name, on=fmt(on),
                                                 at=timezone.localtime(taken.taken_at).strftime("%H:%M %d/%m/%Y")))  # fmt: skip
    data = sel.serialise(sel.figures(by, org, on, date_from, on))
    try:
        with transaction.atomic():
            s = Snapshot.objects.create(organisation=org, on=on, date_from=date_from, data=data, note=clean(note),
                                        taken_by=by if by.is_authenticated else None)  # fmt: skip
            audit.record(by=by, action="stats.snapshot", obj=s, org_path=org.path,
                         after={"on": on.isoformat(), "total": data["total"]})  # fmt: skip
    except IntegrityError as e:  # the same cut-off frozen a moment ago by another request
        raise Conflict(ERR_SNAPSHOT_TAKEN.format(org=org.name, on=fmt(on), at="vừa xong")) from e
    return s


def _check_seat(member: Member, committee: Organisation, on: dt.date) -> None:
    held = Seat.objects.filter(member=member, organisation=committee, valid_from__lte=on).exclude(valid_to__lte=on)
    if not held.exists():
        raise DomainError(ERR_NOT_ON_COMMITTEE.format(name=member.full_name, org=committee.name, on=fmt(on)),
                          field="member")  # fmt: skip


def field_day_plan(*, by, committee: Organisation, member: Member, organisation: Organisation, planned_on: dt.date,
                   purpose: str) -> FieldDay:  # fmt: skip
    """Register a committee member's day at an organisation of the committee's subtree."""
    check_may_edit(by, committee)
    if planned_on is None:
        raise DomainError(ERR_REQUIRED, field="planned_on")
    if not clean(purpose):
        raise DomainError(ERR_REQUIRED, field="purpose")
    if organisation is None:
        raise DomainError(ERR_REQUIRED, field="organisation")
    if not organisation.path.startswith(committee.path) or organisation.pk == committee.pk:
        raise DomainError(ERR_NOT_BELOW.format(org=organisation.name, committee=committee.name), field="organisation")
    _check_seat(member, committee, planned_on)
    with transaction.atomic():
        fd = FieldDay.objects.create(member=member, committee=committee, organisation=organisation,
                                     planned_on=planned_on, purpose=clean(purpose)[:500])  # fmt: skip
        audit.record(by=by, action="fieldday.plan", obj=fd, org_path=committee.path,
                     after={"member": member.pk, "org": organisation.code, "on": planned_on.isoformat()})  # fmt: skip
    return fd


def _step(by, fd: FieldDay, allowed: tuple[str, ...], what: str) -> FieldDay:
    check_may_edit(by, fd.committee)
    from dangvu.core.locking import lock

    fd = lock(fd)
    if fd.state not in allowed:
        raise Conflict(ERR_STATE.format(state=fd.get_state_display(), what=what))
    return fd


def field_day_approve(*, by, fd: FieldDay) -> FieldDay:
    """The standing committee approves the plan (a second click finds it approved and changes nothing)."""
    with transaction.atomic():
        fd = _step(by, fd, (FieldDayState.PLANNED,), "duyệt")
        fd.state, fd.approved_by, fd.approved_at = FieldDayState.APPROVED, by, timezone.now()
        fd.save(update_fields=["state", "approved_by", "approved_at"])
        audit.record(by=by, action="fieldday.approve", obj=fd, org_path=fd.committee.path)
    return fd


def field_day_report(*, by, fd: FieldDay, done_on: dt.date, days: int, report: str) -> FieldDay:
    """Record the days spent and the report of an approved plan."""
    if done_on is None:
        raise DomainError(ERR_REQUIRED, field="done_on")
    if done_on > today():
        raise DomainError(f"Ngày thực hiện không được sau hôm nay ({fmt(today())}).", field="done_on")
    if days is None or not 1 <= days <= 31:
        raise DomainError(ERR_DAYS, field="days")
    if not clean(report):
        raise DomainError(ERR_REPORT, field="report")
    with transaction.atomic():
        fd = _step(by, fd, (FieldDayState.APPROVED,), "ghi kết quả")
        fd.state, fd.done_on, fd.days, fd.report = FieldDayState.DONE, done_on, days, nfc(report).strip()
        fd.save(update_fields=["state", "done_on", "days", "report"])
        audit.record(by=by, action="fieldday.report", obj=fd, org_path=fd.committee.path,
                     after={"done_on": done_on.isoformat(), "days": days})  # fmt: skip
    return fd


def field_day_cancel(*, by, fd: FieldDay) -> FieldDay:
    with transaction.atomic():
        fd = _step(by, fd, (FieldDayState.PLANNED, FieldDayState.APPROVED), "hủy")
        fd.state = FieldDayState.CANCELLED
        fd.save(update_fields=["state"])
        audit.record(by=by, action="fieldday.cancel", obj=fd, org_path=fd.committee.path)
    return fd
