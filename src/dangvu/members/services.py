"""Every write to the member registry. Pages, the API, the importer and the seeder all come through here.

Each operation checks everything first and raises DomainError (field → Vietnamese message) before writing;
then writes in one transaction, with an audit entry for every member it changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max, Q

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import audit, rules
from dangvu.core.bulk import bulk_insert
from dangvu.core.dates import add_months, fmt, today
from dangvu.core.errors import Conflict, DomainError, NotFound
from dangvu.core.locking import lock
from dangvu.core.models import AuditEntry
from dangvu.core.text import clean, person_sort_key, search_key
from dangvu.core.tree import ancestor_paths
from dangvu.core.workdays import add_working_days
from dangvu.organizations.models import Organisation, OrgKind
from dangvu.organizations.services import Forbidden

from .models import (
    IN_REGISTER,
    THEORY_ORDER,
    Course,
    EntryKind,
    Forces,
    Member,
    Membership,
    MembershipKind,
    MonitorAssignment,
    ProfileEntry,
    Qualification,
    Reason,
    Seat,
    SeatRole,
    Sex,
    Status,
    StatusChange,
    Term,
    Theory,
    Transfer,
    TransferKind,
    TransferState,
)

ERR_REQUIRED = "Trường này là bắt buộc."
ERR_FUTURE = "Ngày không được sau ngày hôm nay ({today})."
ERR_TOO_YOUNG = "Ngày vào Đảng {admitted}: khi đó mới {age} tuổi; người vào Đảng phải đủ {min_age} tuổi."
ERR_BORN_AFTER_ADMISSION = "Ngày vào Đảng phải sau ngày sinh."
ERR_OFFICIAL_BEFORE_ADMISSION = "Ngày chính thức ({official}) không được trước ngày vào Đảng ({admitted})."
ERR_OFFICIAL_TOO_EARLY = (
    "Ngày chính thức ({official}) chưa đủ {months} tháng dự bị kể từ ngày vào Đảng ({admitted}); "
    "sớm nhất là {earliest}."
)
ERR_CITIZEN_ID = "Số CCCD gồm đúng 12 chữ số."
ERR_CARD = "Số thẻ đảng viên chỉ gồm chữ số, có thể có dấu chấm (vd: 12.345678)."
ERR_TAKEN = "{label} «{value}» đã thuộc về đảng viên «{other}»."
ERR_CHOICE = "Giá trị «{value}» không nằm trong danh sách cho phép."
ERR_EDUCATION = "Giáo dục phổ thông ghi dạng «9/12», «12/12» hoặc «10/10»."
ERR_NOT_A_CELL = "«{org}» là đảng bộ, không trực tiếp quản lý đảng viên; hãy chọn một chi bộ."
ERR_ORG_CLOSED = "«{org}» đã chấm dứt hoạt động từ {closed}."
ERR_NOT_ALLOWED = "Bạn không có quyền sửa dữ liệu đảng viên của «{org}»."
ERR_NOT_IN_REGISTER = "«{name}» hiện không còn trong danh sách đảng viên ({status})."
ERR_STATUS_FOR = (
    "Thao tác này chỉ áp dụng cho đảng viên đang ở trạng thái: {allowed}; «{name}» đang là {status}."
)
ERR_REASON_REQUIRED = "Hãy ghi lý do."
ERR_DATE_BEFORE_STATUS = "Ngày {date} trước lần thay đổi trạng thái gần nhất của đảng viên ({since})."
ERR_DATE_BEFORE_MEMBERSHIP = "Ngày {date} trước ngày đảng viên bắt đầu sinh hoạt ở «{org}» ({since})."
ERR_SAME_ORG = "Nơi đến trùng với nơi đảng viên đang sinh hoạt."
ERR_DESTINATION = "Hãy chọn tổ chức đến trong hệ thống, hoặc ghi nơi đến ngoài hệ thống (chỉ một trong hai)."
ERR_LETTER_BEFORE_EVENT = "Ngày giới thiệu không được trước ngày phát sinh việc chuyển ({event})."
ERR_TEMP_DURATION = (
    "Sinh hoạt tạm thời từ {months_min} tháng đến dưới {months_max} tháng; "
    "từ {start} đến {until} là {months} tháng."
)
ERR_STUDY_DURATION = (
    "Sinh hoạt tạm thời khi đi học từ {months_min} tháng đến {months_max} tháng; "
    "từ {start} đến {until} là {months} tháng."
)
ERR_UNTIL_REQUIRED = "Chuyển sinh hoạt tạm thời phải ghi đến ngày nào."
ERR_TRANSFER_NOT_PENDING = "Giấy giới thiệu này không còn chờ tiếp nhận ({state})."
ERR_TRANSFER_PENDING = (
    "«{name}» đã có giấy giới thiệu chuyển sinh hoạt đang chờ nơi đến tiếp nhận (có thể do bấm hai lần); "
    "hãy hủy giấy đó trước nếu cần làm lại."
)
ERR_RECEIVE_BEFORE_LETTER = "Ngày tiếp nhận không được trước ngày giới thiệu ({letter})."
ERR_RECOGNISE_NOT_PROBATIONARY = "Chỉ đảng viên dự bị mới được công nhận chính thức."
ERR_SEAT_NOT_MEMBER = "«{name}» không sinh hoạt trong «{org}»."
ERR_SEAT_SMALL_CELL = "Chi bộ có {n} đảng viên chính thức (dưới {min_n}) chỉ bầu Bí thư và có thể một Phó Bí thư, không bầu chi ủy."
ERR_SEAT_SMALL_DEPUTY = "Chi bộ dưới {min_n} đảng viên chính thức chỉ có tối đa một Phó Bí thư."
ERR_SEAT_TOO_MANY = "Chi ủy có tối đa {max_n} ủy viên; hiện đã có {n}."
ERR_SEAT_ROLE_CELL = "Chi bộ không có chức danh «{role}»."
ERR_TERM_DATES = "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."
ERR_TERM_OVERLAP = "Nhiệm kỳ này trùng thời gian với nhiệm kỳ {other}."
ERR_MONITOR_OWN = (
    "«{name}» sinh hoạt ở «{org}»: cấp ủy viên được phân công dự sinh hoạt ở một chi bộ khác chi bộ mình "
    "(QĐ 776-QĐ/TU Kon Tum, 2023)."
)
ERR_MONITOR_NOT_ABOVE = (
    "Người được phân công theo dõi phải là cấp ủy viên của một tổ chức cấp trên của «{org}» "
    "(«{name}» không giữ chức vụ cấp ủy nào ở cấp trên)."
)


# --- access ------------------------------------------------------------------------------------------


def check_may_edit(by, org: Organisation) -> None:
    if not covers(by, org.path):
        raise NotFound(org.code)
    if not covers(by, org.path, roles=EDIT_ROLES):
        raise Forbidden(ERR_NOT_ALLOWED.format(org=org.name))


def _check_cell(org: Organisation, field: str) -> None:
    if org.type.kind != OrgKind.CELL:
        raise DomainError(ERR_NOT_A_CELL.format(org=org.name), field=field)
    if org.closed_on is not None:
        raise DomainError(ERR_ORG_CLOSED.format(org=org.name, closed=fmt(org.closed_on)), field=field)


def _not_future(d: dt.date | None, field: str, errors: dict) -> None:
    if d and d > today():
        errors.setdefault(field, ERR_FUTURE.format(today=fmt(today())))


def months_between(a: dt.date, b: dt.date) -> int:
    """Whole months from a to b."""
    n = (b.year - a.year) * 12 + (b.month - a.month)
    return n - 1 if b.day < a.day else n


# --- profile -------------------------------------------------------------------------------------------

TEXT_FIELDS = (
    "full_name",
    "birth_name",
    "ethnicity",
    "religion",
    "home_town",
    "birth_place",
    "residence",
    "phone",
    "email",
    "general_education",
    "specialty",
    "foreign_language",
    "occupation_before",
    "occupation",
    "position",
    "cv_number",
    "notes",
)
CHOICE_FIELDS = {
    "sex": Sex,
    "qualification": Qualification,
    "political_theory": Theory,
    "forces": Forces,
}
DATE_FIELDS = ("birth_date", "admitted_on", "official_on")
UNIQUE_FIELDS = {
    "citizen_id": "Số CCCD",
    "card_number": "Số thẻ đảng viên",
    "badge_number": "Số huy hiệu Đảng",
}
PROFILE_FIELDS = TEXT_FIELDS + tuple(CHOICE_FIELDS) + DATE_FIELDS + tuple(UNIQUE_FIELDS)

_CITIZEN_RE = re.compile(r"^\d{12}$", re.ASCII)  # ASCII digits only: "０１…" is another string to a unique index
_CARD_RE = re.compile(r"^\d[\d.]{3,19}$", re.ASCII)
_EDU_RE = re.compile(r"^(\d{1,2})/(10|12)$")


def clean_profile(
    data: dict, *, instance: Member | None = None, partial: bool = False, check_unique: bool = True
) -> dict:
    """Normalise and check a member's profile. Returns the values to store; raises DomainError with every
    field's problem at once. `partial`: only the keys present are checked (with the instance for the rest).
    `check_unique=False` for callers that check identifiers in bulk themselves (the importer)."""
    errors: dict[str, str] = {}
    out: dict = {}
    present = set(data) if partial else set(PROFILE_FIELDS)

    def current(field):
        if field in out:
            return out[field]
        return getattr(instance, field, None) if instance is not None else None

    for f in TEXT_FIELDS:
        if f in present:
            value = data.get(f)
            out[f] = (value or "").strip() if f == "notes" else clean(str(value or ""))
    if "full_name" in present and not out.get("full_name"):
        errors["full_name"] = ERR_REQUIRED
    if "ethnicity" in present and not out.get("ethnicity"):
        out["ethnicity"] = "Kinh"
    if "general_education" in present and out.get("general_education"):
        if not _EDU_RE.match(out["general_education"].replace(" ", "")):
            errors["general_education"] = ERR_EDUCATION
        else:
            out["general_education"] = out["general_education"].replace(" ", "")
    for f, choices in CHOICE_FIELDS.items():
        if f in present:
            value = data.get(f) or ""
            if value not in choices.values:
                errors[f] = ERR_CHOICE.format(value=value)
            out[f] = value
    if "sex" in present and not out.get("sex") and "sex" not in errors:
        errors["sex"] = ERR_REQUIRED
    for f in DATE_FIELDS:
        if f in present:
            out[f] = data.get(f) or None
            _not_future(out[f], f, errors)
    for f in ("birth_date", "admitted_on"):
        if f in present and out[f] is None:
            errors[f] = ERR_REQUIRED
    for f, label in UNIQUE_FIELDS.items():
        if f in present:
            value = clean(str(data.get(f) or "")).replace(" ", "") or None
            if value and f == "citizen_id" and not _CITIZEN_RE.match(value):
                errors[f] = ERR_CITIZEN_ID
            elif value and f == "card_number" and not _CARD_RE.match(value):
                errors[f] = ERR_CARD
            elif value and check_unique:
                other = Member.objects.filter(**{f: value})
                if instance is not None:
                    other = other.exclude(pk=instance.pk)
                other = other.only("full_name").first()
                if other is not None:
                    errors[f] = ERR_TAKEN.format(label=label, value=value, other=other.full_name)
            out[f] = value

    born, admitted, official = current("birth_date"), current("admitted_on"), current("official_on")
    if born and admitted and "admitted_on" not in errors and "birth_date" not in errors:
        p = rules.params("members.admission", admitted)
        age_months = months_between(born, admitted)
        if admitted <= born:
            errors["admitted_on"] = ERR_BORN_AFTER_ADMISSION
        elif age_months < p["min_age_years"] * 12:
            errors["admitted_on"] = ERR_TOO_YOUNG.format(
                admitted=fmt(admitted), age=age_months // 12, min_age=p["min_age_years"]
            )
    if admitted and official and "official_on" not in errors and "admitted_on" not in errors:
        months = rules.params("members.admission", admitted)["probation_months"]
        if official < admitted:
            errors["official_on"] = ERR_OFFICIAL_BEFORE_ADMISSION.format(
                official=fmt(official), admitted=fmt(admitted)
            )
        elif official < add_months(admitted, months):
            errors["official_on"] = ERR_OFFICIAL_TOO_EARLY.format(
                official=fmt(official),
                months=months,
                admitted=fmt(admitted),
                earliest=fmt(add_months(admitted, months)),
            )
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    if "full_name" in out or "card_number" in out or "citizen_id" in out:
        name = out.get("full_name", current("full_name")) or ""
        out["sort_key"] = person_sort_key(name)
        out["search_text"] = " ".join(
            x for x in (search_key(name), current("card_number"), current("citizen_id")) if x
        )
    return out


def _snapshot(m: Member) -> dict:
    d = {f: getattr(m, f) for f in PROFILE_FIELDS}
    d.update(status=m.status, org=m.org.code if m.org_id else None)
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in d.items()}


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


# --- creating members -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where and since when a new member sits."""

    org: Organisation
    joined_on: dt.date | None = None  # default: admission date, or the organisation's founding if later
    reason: str = Reason.CREATED


def _initial_history(member: Member, by) -> list[StatusChange]:
    rows = [
        StatusChange(
            member=member,
            status=Status.PROBATIONARY,
            valid_from=member.admitted_on,
            valid_to=member.official_on,
            reason="Kết nạp",
            recorded_by=by if by.is_authenticated else None,
        )
    ]
    if member.official_on:
        rows.append(
            StatusChange(
                member=member,
                status=Status.OFFICIAL,
                valid_from=member.official_on,
                reason="Công nhận chính thức",
                recorded_by=by if by.is_authenticated else None,
            )
        )
    return rows


def new_member(values: dict, place: Placement) -> tuple[Member, Membership]:
    """Unsaved rows for a checked profile (used by create and by the bulk importer)."""
    m = Member(**values)
    m.status = Status.OFFICIAL if m.official_on else Status.PROBATIONARY
    m.status_since = m.official_on or m.admitted_on
    m.org = place.org
    m.org_path = place.org.path
    joined = place.joined_on or max(m.admitted_on, place.org.established_on)
    ms = Membership(
        member=m,
        organisation=place.org,
        kind=MembershipKind.OFFICIAL,
        valid_from=joined,
        start_reason=place.reason,
    )
    return m, ms


BATCH = 2000


def bulk_create_members(by, items: list[tuple[Placement, dict]], *, action: str) -> list[Member]:
    """Insert many members whose profiles `clean_profile` already checked (identifiers checked by the
    caller): a few set-based inserts per 2,000 members, an audit entry for each. Call inside a transaction."""
    user = by if getattr(by, "is_authenticated", False) else None
    ip = audit.current_ip()
    created: list[Member] = []
    for i in range(0, len(items), BATCH):
        pairs = [new_member(values, place) for place, values in items[i : i + BATCH]]
        members = bulk_insert(Member, [m for m, _ in pairs])
        for m, ms in pairs:
            ms.member_id = m.pk
        bulk_insert(Membership, [ms for _, ms in pairs])
        bulk_insert(StatusChange, [row for m in members for row in _initial_history(m, by)])
        bulk_insert(
            AuditEntry,
            [
                AuditEntry(
                    user=user,
                    ip=ip,
                    action=action,
                    object_type="members.member",
                    object_id=str(m.pk),
                    object_repr=m.full_name[:255],
                    org_path=m.org_path,
                    after=_snapshot(m),
                )
                for m in members
            ],
        )
        created.extend(members)
    return created


def member_create(*, by, place: Placement, data: dict) -> Member:
    check_may_edit(by, place.org)
    _check_cell(place.org, "org")
    values = clean_profile(data)
    if place.joined_on:
        errors = {}
        _not_future(place.joined_on, "joined_on", errors)
        if place.joined_on < values["admitted_on"]:
            errors["joined_on"] = "Ngày bắt đầu sinh hoạt ở chi bộ không được trước ngày vào Đảng."
        if errors:
            raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        m, ms = new_member(values, place)
        m.save()
        ms.member = m
        ms.save()
        StatusChange.objects.bulk_create(_initial_history(m, by))
        audit.record(by=by, action="member.create", obj=m, org_path=m.org_path, after=_snapshot(m))
    return m


def member_update(*, by, member: Member, data: dict) -> Member:
    """Edit the profile. Status and placement change only through the events below."""
    check_may_edit(by, member.org)
    if "official_on" in data and member.status == Status.PROBATIONARY and data.get("official_on"):
        raise DomainError(
            "Đảng viên dự bị được công nhận chính thức bằng thao tác «Công nhận chính thức».",
            field="official_on",
        )
    values = clean_profile(data, instance=member, partial=True)
    before = _snapshot(member)
    with transaction.atomic():
        for k, v in values.items():
            setattr(member, k, v)
        member.save()
        if "official_on" in values and member.official_on and member.status != Status.PROBATIONARY:
            StatusChange.objects.filter(member=member, status=Status.PROBATIONARY).update(
                valid_to=member.official_on
            )
            StatusChange.objects.filter(
                member=member, status=Status.OFFICIAL, reason="Công nhận chính thức"
            ).update(valid_from=member.official_on)
        b, a = _diff(before, _snapshot(member))
        if a:
            audit.record(
                by=by, action="member.update", obj=member, org_path=member.org_path, before=b, after=a
            )
    return member


# --- status events --------------------------------------------------------------------------------------


def _current_official(member: Member) -> Membership | None:
    return member.memberships.filter(kind=MembershipKind.OFFICIAL, valid_to__isnull=True).first()


def _check_event_date(member: Member, on: dt.date | None, field: str = "on") -> dt.date:
    if on is None:
        raise DomainError(ERR_REQUIRED, field=field)
    if on > today():
        raise DomainError(ERR_FUTURE.format(today=fmt(today())), field=field)
    if on < member.status_since:
        raise DomainError(
            ERR_DATE_BEFORE_STATUS.format(date=fmt(on), since=fmt(member.status_since)), field=field
        )
    ms = _current_official(member)
    if ms and on < ms.valid_from:
        raise DomainError(
            ERR_DATE_BEFORE_MEMBERSHIP.format(
                date=fmt(on), org=ms.organisation.name, since=fmt(ms.valid_from)
            ),
            field=field,
        )
    return on


def _check_status(member: Member, allowed) -> None:
    if member.status not in allowed:
        raise Conflict(
            ERR_STATUS_FOR.format(
                allowed=", ".join(Status(s).label.lower() for s in allowed),
                name=member.full_name,
                status=member.get_status_display().lower(),
            ),
            field="__all__",
        )


def _set_status(member: Member, status: str, on: dt.date, by, *, reason: str = "", number: str = "") -> None:
    StatusChange.objects.filter(member=member, valid_to__isnull=True).update(valid_to=on)
    StatusChange.objects.create(
        member=member,
        status=status,
        valid_from=on,
        reason=reason,
        decision_number=number,
        recorded_by=by if by.is_authenticated else None,
    )
    member.status, member.status_since = status, on


def _rank(member: Member) -> str:
    """Official or probationary: where a member returns to after exemption or a temporary stay."""
    return Status.OFFICIAL if member.official_on else Status.PROBATIONARY


def _save_event(member: Member, by, action: str, before: dict, extra: dict | None = None) -> None:
    member.save()
    b, a = _diff(before, _snapshot(member))
    audit.record(
        by=by, action=action, obj=member, org_path=member.org_path, before=b, after={**a, **(extra or {})}
    )


def member_recognise(*, by, member: Member, on: dt.date, decision_number: str = "") -> Member:
    """Probationary → official (công nhận đảng viên chính thức)."""
    check_may_edit(by, member.org)
    with transaction.atomic():
        lock(member)
        if member.status != Status.PROBATIONARY:
            raise Conflict(ERR_RECOGNISE_NOT_PROBATIONARY, field="__all__")
        _check_event_date(member, on)
        clean_profile({"official_on": on}, instance=member, partial=True)
        before = _snapshot(member)
        member.official_on = on
        _set_status(member, Status.OFFICIAL, on, by, reason="Công nhận chính thức", number=decision_number)
        _save_event(member, by, "member.recognise", before, {"decision_number": decision_number})
    return member


def member_exempt(*, by, member: Member, on: dt.date, reason: str, decision_number: str = "") -> Member:
    """Exemption from Party work and meetings: the cell decides, on a written request with a reason."""
    check_may_edit(by, member.org)
    if not clean(reason):
        raise DomainError(ERR_REASON_REQUIRED, field="reason")
    with transaction.atomic():
        lock(member)
        _check_status(member, (Status.OFFICIAL, Status.PROBATIONARY))
        _check_event_date(member, on)
        before = _snapshot(member)
        _set_status(member, Status.EXEMPT, on, by, reason=clean(reason), number=decision_number)
        _save_event(member, by, "member.exempt", before, {"reason": clean(reason)})
    return member


def member_resume(*, by, member: Member, on: dt.date, reason: str = "") -> Member:
    """Back to normal activity: after an exemption, or home again after a temporary transfer."""
    check_may_edit(by, member.org)
    with transaction.atomic():
        lock(member)
        _check_status(member, (Status.EXEMPT, Status.TEMP_AWAY))
        _check_event_date(member, on)
        before = _snapshot(member)
        if member.status == Status.TEMP_AWAY:
            member.memberships.filter(kind=MembershipKind.TEMPORARY, valid_to__isnull=True).update(
                valid_to=on, end_reason=Reason.RETURN
            )
            member.transfers.filter(
                kind__in=(TransferKind.TEMPORARY, TransferKind.STUDY), state=TransferState.RECEIVED
            ).update(state=TransferState.RETURNED, returned_on=on)
            member.host_org = None
        _set_status(member, _rank(member), on, by, reason=clean(reason) or "Trở lại sinh hoạt")
        _save_event(member, by, "member.resume", before)
    return member


LEAVING = {
    Status.STRUCK_OFF: Reason.STRUCK_OFF,
    Status.EXPELLED: Reason.EXPELLED,
    Status.RESIGNED: Reason.RESIGNED,
    Status.DECEASED: Reason.DECEASED,
}


def member_leave(
    *, by, member: Member, status: str, on: dt.date, reason: str = "", decision_number: str = ""
) -> Member:
    """Struck off, expelled, resigned or deceased: out of the register from `on`; the record stays with the
    organisation it left (its register of those who left)."""
    check_may_edit(by, member.org)
    return _leave(by=by, member=member, status=status, on=on, reason=reason, decision_number=decision_number)


def _leave(*, by, member: Member, status: str, on: dt.date, reason: str, decision_number: str) -> Member:
    if status not in LEAVING:
        raise DomainError(ERR_CHOICE.format(value=status), field="status")
    if status != Status.DECEASED and not clean(reason):
        raise DomainError(ERR_REASON_REQUIRED, field="reason")
    with transaction.atomic():
        lock(member)
        if member.status not in IN_REGISTER:
            raise Conflict(
                ERR_NOT_IN_REGISTER.format(name=member.full_name, status=member.get_status_display().lower()),
                field="__all__",
            )
        _check_event_date(member, on)
        before = _snapshot(member)
        member.memberships.filter(valid_to__isnull=True).update(valid_to=on, end_reason=LEAVING[status])
        member.transfers.filter(state=TransferState.PENDING).update(state=TransferState.CANCELLED)
        Seat.objects.filter(member=member, valid_to__isnull=True).update(valid_to=on)
        MonitorAssignment.objects.filter(monitor=member, valid_to__isnull=True).update(valid_to=on)
        member.host_org = None
        member.left_on = on
        _set_status(member, status, on, by, reason=clean(reason), number=decision_number)
        _save_event(member, by, f"member.{status}", before, {"reason": clean(reason)})
    return member


def expel_decided(*, by, member: Member, on: dt.date, reason: str, decision_number: str) -> Member:
    """Expulsion decided by a discipline body: the caller (inspection.services) checked who may decide it, so the
    editing roles are not asked for here. The same effects as `member_leave`."""
    return _leave(by=by, member=member, status=Status.EXPELLED, on=on, reason=reason,
                  decision_number=decision_number)  # fmt: skip


ERR_NOT_EXPELLED = "{name} không ở trạng thái đã khai trừ: không có gì để khôi phục."
ERR_REINSTATE_CLOSED = "{org} đã chấm dứt hoạt động: ghi nơi sinh hoạt khi khôi phục đảng tịch bằng tiếp nhận đảng viên."


def reinstate(*, by, member: Member, on: dt.date, reason: str, decision_number: str = "") -> Member:
    """Membership restored after an expulsion was annulled (QĐ 117-QĐ/TW): an official stay again in the
    organisation the member left, from `on`, with the rank held before. Called by the discipline services, which
    checked who may decide it."""
    with transaction.atomic():
        lock(member)
        if member.status != Status.EXPELLED:
            raise Conflict(ERR_NOT_EXPELLED.format(name=member.full_name), field="__all__")
        org = member.org
        if org is None or org.closed_on is not None:
            raise Conflict(ERR_REINSTATE_CLOSED.format(org=org.name if org else "Tổ chức cũ"), field="__all__")
        before = _snapshot(member)
        Membership.objects.create(member=member, organisation=org, kind=MembershipKind.OFFICIAL, valid_from=on,
                                  start_reason=Reason.RETURN, note=clean(reason)[:255])  # fmt: skip
        member.left_on = None
        _set_status(member, _rank(member), on, by, reason=clean(reason), number=decision_number)
        _save_event(member, by, "member.reinstate", before, {"reason": clean(reason)})
    return member


def discipline_line(*, by, member: Member, on: dt.date, description: str, decision_number: str) -> ProfileEntry:
    """The CV's discipline line written by a discipline in force (the discipline services own these lines)."""
    e = ProfileEntry.objects.create(member=member, kind=EntryKind.DISCIPLINE, start=on,
                                    description=clean(description)[:500], decision_number=decision_number[:40])  # fmt: skip
    audit.record(by=by, action="member.entry_add", obj=member, org_path=member.org_path,
                 after={"kind": EntryKind.DISCIPLINE, "start": on.isoformat(), "description": e.description})  # fmt: skip
    return e


def discipline_line_remove(*, by, entry: ProfileEntry) -> None:
    audit.record(by=by, action="member.entry_remove", obj=entry.member, org_path=entry.member.org_path,
                 before={"kind": entry.kind, "start": entry.start.isoformat(), "description": entry.description})  # fmt: skip
    entry.delete()


def seat_removed(*, by, seat: Seat, on: dt.date, decision_number: str) -> Seat:
    """Removal from post (cách chức) decided by a discipline body: the seat ends on `on`."""
    Seat.objects.filter(pk=seat.pk).update(valid_to=on)
    seat.valid_to = on
    audit.record(by=by, action="member.seat_end", obj=seat.member, org_path=seat.member.org_path,
                 after={"role": seat.role, "until": on.isoformat(), "decision_number": decision_number})  # fmt: skip
    return seat


def seat_restored(*, by, seat: Seat, on: dt.date, reason: str) -> Seat:
    """The post given back after a removal was annulled (QĐ 117): a new seat of the same role and term."""
    new = Seat.objects.create(term=seat.term, organisation=seat.organisation, member=seat.member, role=seat.role,
                              valid_from=on)  # fmt: skip
    audit.record(by=by, action="member.seat_assign", obj=seat.member, org_path=seat.member.org_path,
                 after={"role": seat.role, "from": on.isoformat(), "reason": clean(reason)})  # fmt: skip
    return new


# --- transfers ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransferRequest:
    kind: str
    reason: str
    event_on: dt.date
    letter_on: dt.date
    letter_number: str = ""
    to_org: Organisation | None = None
    to_text: str = ""
    until: dt.date | None = None


class Deadlines(NamedTuple):
    start: dt.date  # the introduction issued by
    present: dt.date  # presented at the receiving organisation by
    rules_from: dt.date  # the version of the rules that set them (stored with the transfer)


def transfer_deadlines(event_on: dt.date, letter_on: dt.date) -> Deadlines:
    """The introduction must be issued within N working days of the event, and the member must present it at the
    receiving organisation within M working days of being introduced (the rules in force on the event's day)."""
    p = rules.params("members.transfer", event_on)
    return Deadlines(
        add_working_days(event_on, p["start_within_working_days"]),
        add_working_days(letter_on, p["present_within_working_days"]),
        rules.version("members.transfer", event_on),
    )


def recompute_transfer_deadlines(dates: set[dt.date]) -> int:
    """The working-day calendar changed on these days: recompute the stored deadlines of every transfer whose
    counting window may cross them (core.workdays hook). Returns how many transfers changed."""
    lo, hi = min(dates), max(dates)
    qs = Transfer.objects.filter(Q(event_on__lt=hi, start_deadline__gte=lo)
                                 | Q(letter_on__lt=hi, present_deadline__gte=lo))  # fmt: skip
    changed = [t for t in qs if rejudge_transfer(t)]
    Transfer.objects.bulk_update(changed, TRANSFER_JUDGED)
    return len(changed)


TRANSFER_JUDGED = ["start_deadline", "present_deadline", "rules_from"]


def rejudge_transfer(t: Transfer) -> bool:
    """Set the transfer's deadlines (and the rules' version) as the rules and the calendar give them now; True
    if anything changed. The caller saves `TRANSFER_JUDGED`."""
    d = transfer_deadlines(t.event_on, t.letter_on)
    new = (d.start, d.present if t.present_deadline is not None else None, d.rules_from)
    if new == (t.start_deadline, t.present_deadline, t.rules_from):
        return False
    t.start_deadline, t.present_deadline, t.rules_from = new
    return True


def _check_duration(kind: str, start: dt.date, until: dt.date | None) -> None:
    if until is None:
        raise DomainError(ERR_UNTIL_REQUIRED, field="until")
    p = rules.params("members.transfer", start)
    months = months_between(start, until)
    if kind == TransferKind.TEMPORARY:
        lo, hi = p["temporary_min_months"], p["temporary_max_months"]
        ok = add_months(start, lo) <= until < add_months(start, hi)
        msg = ERR_TEMP_DURATION
    else:
        lo, hi = p["study_min_months"], p["study_max_months"]
        ok = add_months(start, lo) <= until <= add_months(start, hi)
        msg = ERR_STUDY_DURATION
    if not ok:
        raise DomainError(
            msg.format(months_min=lo, months_max=hi, start=fmt(start), until=fmt(until), months=months),
            field="until",
        )


def transfer_out(*, by, member: Member, req: TransferRequest) -> Transfer:
    """Introduce a member elsewhere.

    - official, to an organisation in the system: pending until the receiving organisation records receipt
      (the member stays where they are meanwhile, so they are never in two places or none);
    - official, outside the system: the member leaves the register on the letter's date;
    - temporary or study: the member stays in the home register (and its total) and is shown apart at the host.
    """
    check_may_edit(by, member.org)
    _check_status(member, (Status.OFFICIAL, Status.PROBATIONARY, Status.EXEMPT))
    if req.kind not in TransferKind.values:
        raise DomainError(ERR_CHOICE.format(value=req.kind), field="kind")
    if not clean(req.reason):
        raise DomainError(ERR_REASON_REQUIRED, field="reason")
    if (req.to_org is None) == (not clean(req.to_text)):
        raise DomainError(ERR_DESTINATION, field="to_org")
    if req.to_org is not None:
        _check_cell(req.to_org, "to_org")
        if req.to_org.pk == member.org_id:
            raise DomainError(ERR_SAME_ORG, field="to_org")
    if req.event_on is None:
        raise DomainError(ERR_REQUIRED, field="event_on")
    if req.event_on > today():
        raise DomainError(ERR_FUTURE.format(today=fmt(today())), field="event_on")
    _check_event_date(member, req.letter_on, "letter_on")
    if req.letter_on < req.event_on:
        raise DomainError(ERR_LETTER_BEFORE_EVENT.format(event=fmt(req.event_on)), field="letter_on")
    if req.kind != TransferKind.OFFICIAL:
        _check_duration(req.kind, req.letter_on, req.until)
    deadlines = transfer_deadlines(req.event_on, req.letter_on)
    with transaction.atomic():
        seen = member.status
        lock(member)
        _check_status(member, (Status.OFFICIAL, Status.PROBATIONARY, Status.EXEMPT))
        if member.status != seen or member.transfers.filter(state=TransferState.PENDING).exists():  # twice
            raise Conflict(ERR_TRANSFER_PENDING.format(name=member.full_name), field="__all__")
        before = _snapshot(member)
        t = Transfer(
            member=member,
            kind=req.kind,
            from_org=member.org,
            to_org=req.to_org,
            to_text=clean(req.to_text),
            reason=clean(req.reason),
            event_on=req.event_on,
            letter_number=clean(req.letter_number),
            letter_on=req.letter_on,
            start_deadline=deadlines.start,
            present_deadline=deadlines.present if req.to_org is not None else None,
            rules_from=deadlines.rules_from,
            until=req.until if req.kind != TransferKind.OFFICIAL else None,
            recorded_by=by if by.is_authenticated else None,
        )
        if req.kind == TransferKind.OFFICIAL and req.to_org is not None:
            t.state = TransferState.PENDING
        elif req.kind == TransferKind.OFFICIAL:
            t.state = TransferState.LEFT
            member.memberships.filter(valid_to__isnull=True).update(
                valid_to=req.letter_on, end_reason=Reason.TRANSFER_OUT
            )
            Seat.objects.filter(member=member, valid_to__isnull=True).update(valid_to=req.letter_on)
            member.left_on = req.letter_on
            _set_status(
                member, Status.TRANSFERRED_OUT, req.letter_on, by, reason=t.reason, number=t.letter_number
            )
        else:
            t.state = TransferState.RECEIVED
            t.received_on = req.letter_on
            if req.to_org is not None:
                # Open until the member comes back (the planned end is the transfer's `until`).
                Membership.objects.create(
                    member=member,
                    organisation=req.to_org,
                    kind=MembershipKind.TEMPORARY,
                    valid_from=req.letter_on,
                    start_reason=Reason.TEMPORARY,
                )
                member.host_org = req.to_org
            _set_status(member, Status.TEMP_AWAY, req.letter_on, by, reason=t.reason, number=t.letter_number)
        t.save()
        _save_event(
            member,
            by,
            "member.transfer_out",
            before,
            {"transfer": t.pk, "kind": t.kind, "to": req.to_org.code if req.to_org else t.to_text},
        )
    return t


def transfer_receive(*, by, transfer: Transfer, on: dt.date) -> Transfer:
    """The receiving organisation records that the member presented the letter: one transaction moves the
    official membership from the old organisation to the new one (checked again on the locked rows: a second
    click gets Conflict)."""
    if transfer.state != TransferState.PENDING:
        raise Conflict(
            ERR_TRANSFER_NOT_PENDING.format(state=transfer.get_state_display().lower()), field="__all__"
        )
    check_may_edit(by, transfer.to_org)
    _check_cell(transfer.to_org, "to_org")
    member = transfer.member
    if on is None:
        raise DomainError(ERR_REQUIRED, field="on")
    if on > today():
        raise DomainError(ERR_FUTURE.format(today=fmt(today())), field="on")
    if on < transfer.letter_on:
        raise DomainError(ERR_RECEIVE_BEFORE_LETTER.format(letter=fmt(transfer.letter_on)), field="on")
    with transaction.atomic():
        lock(member, transfer)
        if transfer.state != TransferState.PENDING:
            raise Conflict(
                ERR_TRANSFER_NOT_PENDING.format(state=transfer.get_state_display().lower()), field="__all__"
            )
        if member.org_id != transfer.from_org_id or member.status not in IN_REGISTER:
            raise Conflict(ERR_TRANSFER_NOT_PENDING.format(state="đảng viên đã thay đổi"), field="__all__")
        before = _snapshot(member)
        _move_membership(member, transfer.to_org, on, Reason.TRANSFER_OUT, Reason.TRANSFER_IN)
        Seat.objects.filter(member=member, valid_to__isnull=True, organisation=transfer.from_org).update(
            valid_to=on
        )
        transfer.state = TransferState.RECEIVED
        transfer.received_on = on
        transfer.save(update_fields=["state", "received_on"])
        _save_event(
            member,
            by,
            "member.transfer_in",
            before,
            {"transfer": transfer.pk, "from": transfer.from_org.code, "late": transfer.presented_late},
        )
    return transfer


def transfer_cancel(*, by, transfer: Transfer) -> Transfer:
    check_may_edit(by, transfer.from_org)
    with transaction.atomic():
        lock(transfer.member, transfer)
        if transfer.state != TransferState.PENDING:
            raise Conflict(
                ERR_TRANSFER_NOT_PENDING.format(state=transfer.get_state_display().lower()), field="__all__"
            )
        transfer.state = TransferState.CANCELLED
        transfer.save(update_fields=["state"])
        audit.record(
            by=by,
            action="member.transfer_cancel",
            obj=transfer.member,
            org_path=transfer.member.org_path,
            after={"transfer": transfer.pk},
        )
    return transfer


def _move_membership(
    member: Member, target: Organisation, on: dt.date, end_reason: str, start_reason: str, event=None
) -> None:
    Membership.objects.filter(member=member, kind=MembershipKind.OFFICIAL, valid_to__isnull=True).update(
        valid_to=on, end_reason=end_reason, end_event=event
    )
    Membership.objects.create(
        member=member,
        organisation=target,
        kind=MembershipKind.OFFICIAL,
        valid_from=on,
        start_reason=start_reason,
        start_event=event,
    )
    member.org, member.org_path = target, target.path


def member_receive_external(
    *,
    by,
    org: Organisation,
    data: dict,
    from_text: str,
    letter_on: dt.date,
    letter_number: str = "",
    reason: str = "Chuyển sinh hoạt đến",
) -> Member:
    """A member arriving from an organisation outside the system: registered with their transfer."""
    check_may_edit(by, org)
    if not clean(from_text):
        raise DomainError(ERR_REQUIRED, field="from_text")
    with transaction.atomic():
        m = member_create(
            by=by, place=Placement(org, joined_on=letter_on, reason=Reason.TRANSFER_IN), data=data
        )
        deadlines = transfer_deadlines(letter_on, letter_on)
        Transfer.objects.create(
            member=m,
            kind=TransferKind.OFFICIAL,
            state=TransferState.RECEIVED,
            from_text=clean(from_text),
            to_org=org,
            reason=clean(reason),
            event_on=letter_on,
            letter_on=letter_on,
            letter_number=clean(letter_number),
            start_deadline=deadlines.start,
            present_deadline=deadlines.present,
            rules_from=deadlines.rules_from,
            received_on=letter_on,
            recorded_by=by if by.is_authenticated else None,
        )
    return m


# --- organisation lifecycle (registered as a Holding in apps.py) ----------------------------------------


class MembersHolding:
    label = "đảng viên"
    field = "member"

    def count(self, org) -> int:
        return Member.objects.filter(Q(org=org, status__in=IN_REGISTER) | Q(host_org=org)).count()

    def items(self, org) -> list[tuple[int, str]]:
        rows = Member.objects.filter(Q(org=org, status__in=IN_REGISTER) | Q(host_org=org)).order_by(
            "sort_key"
        )
        return [
            (m.pk, m.full_name + (" (sinh hoạt tạm thời)" if m.host_org_id == org.pk else "")) for m in rows
        ]

    def refuse_target(self, target_type, target_label: str) -> str | None:
        if target_type.kind != OrgKind.CELL:
            return ERR_NOT_A_CELL.format(org=target_label)
        return None

    def annotate_rows(self, rows) -> None:
        from .selectors import annotate_rows

        annotate_rows(rows)

    def detail_context(self, user, org) -> dict:
        from .selectors import counts_by_status, leadership

        counts = counts_by_status(user, org)
        return {
            "leadership": leadership(org),
            "member_counts": counts,
            "member_total": sum(n for s, n in counts.items() if s in IN_REGISTER),
        }

    def move(self, source, target_for, when: dt.date, event, reason: str) -> int:
        n = 0
        for m in Member.objects.filter(org=source, status__in=IN_REGISTER).select_related("org"):
            target = target_for(m.pk)
            before = _snapshot(m)
            _move_membership(m, target, when, reason, reason, event)
            m.save(update_fields=["org", "org_path", "updated_at"])
            b, a = _diff(before, _snapshot(m))
            audit.record(
                by=event.recorded_by,
                action=f"member.{reason}",
                obj=m,
                org_path=m.org_path,
                before=b,
                after={**a, "event": event.pk},
            )
            n += 1
        for m in Member.objects.filter(host_org=source):
            target = target_for(m.pk)
            Membership.objects.filter(member=m, kind=MembershipKind.TEMPORARY, valid_to__isnull=True).update(
                valid_to=when, end_reason=reason, end_event=event
            )
            Membership.objects.create(
                member=m,
                organisation=target,
                kind=MembershipKind.TEMPORARY,
                valid_from=when,
                start_reason=reason,
                start_event=event,
            )
            Member.objects.filter(pk=m.pk).update(host_org=target)
            n += 1
        Seat.objects.filter(organisation=source, valid_to__isnull=True).update(valid_to=when)
        Term.objects.filter(organisation=source, ends_on__isnull=True).update(
            ends_on=when - dt.timedelta(days=1)
        )
        MonitorAssignment.objects.filter(organisation=source, valid_to__isnull=True).update(valid_to=when)
        if reason != "split":  # one target: letters addressed to the source now go to it
            Transfer.objects.filter(to_org=source, state=TransferState.PENDING).update(
                to_org=target_for(None)
            )
        return n


# --- committees and monitors ----------------------------------------------------------------------------


def next_congress_number(org: Organisation) -> int:
    """The sequence number of the organisation's next congress: after its own last one; for an organisation
    formed by a merge with no congress of its own yet, after the highest of the organisations merged into it
    (the historical sequence continues, 2025 guidance); for one established or split off, the first."""
    from dangvu.organizations.models import EventKind, LinkRole, OrgEventLink

    own = Term.objects.filter(organisation=org, congress_number__isnull=False).aggregate(n=Max("congress_number"))["n"]
    if own:
        return own + 1
    merges = OrgEventLink.objects.filter(organisation=org, role=LinkRole.TARGET, event__kind=EventKind.MERGE)
    sources = OrgEventLink.objects.filter(event_id__in=merges.values("event_id"), role=LinkRole.SOURCE).exclude(
        organisation=org).values("organisation_id")  # fmt: skip
    before = Term.objects.filter(organisation_id__in=sources).aggregate(n=Max("congress_number"))["n"]
    return (before or 0) + 1


def term_create(
    *, by, org: Organisation, name: str, starts_on: dt.date, ends_on: dt.date | None = None,
    congress_number: int | None = None,
) -> Term:
    check_may_edit(by, org)
    if not clean(name):
        raise DomainError(ERR_REQUIRED, field="name")
    if starts_on is None:
        raise DomainError(ERR_REQUIRED, field="starts_on")
    if ends_on and ends_on <= starts_on:
        raise DomainError(ERR_TERM_DATES, field="ends_on")
    # The open term before this one is ended by it; any other overlap is refused.
    clash = (
        Term.objects.filter(organisation=org)
        .filter(Q(starts_on__gte=starts_on) | Q(ends_on__gte=starts_on))
        .first()
    )
    if clash is not None:
        raise DomainError(ERR_TERM_OVERLAP.format(other=clash.name), field="starts_on")
    with transaction.atomic():
        previous = Term.objects.filter(organisation=org, ends_on__isnull=True, starts_on__lt=starts_on)
        for t in previous:
            t.ends_on = starts_on - dt.timedelta(days=1)
            t.save(update_fields=["ends_on"])
            Seat.objects.filter(term=t, valid_to__isnull=True).update(valid_to=starts_on)
        term = Term.objects.create(organisation=org, name=clean(name), starts_on=starts_on, ends_on=ends_on,
                                   congress_number=congress_number or next_congress_number(org))  # fmt: skip
        audit.record(by=by, action="term.create", obj=term, org_path=org.path,
                     after={"name": term.name, "congress_number": term.congress_number})  # fmt: skip
    return term


def seat_assign(*, by, term: Term, member: Member, role: str, valid_from: dt.date | None = None) -> Seat:
    """Elect or appoint a member to a seat. A new secretary replaces the previous one from that day.

    Cells: with fewer than N official members (rule parameter, 9) only a secretary and at most one deputy;
    otherwise a cell committee (chi ủy) of at most M members (7), and no standing committee or inspection
    commission."""
    org = term.organisation
    check_may_edit(by, org)
    on = valid_from or term.starts_on
    if role not in SeatRole.values:
        raise DomainError(ERR_CHOICE.format(value=role), field="role")
    in_org = (
        member.org_id == org.pk if org.type.kind == OrgKind.CELL else member.org_path.startswith(org.path)
    )
    if not in_org or member.status not in IN_REGISTER:
        raise DomainError(ERR_SEAT_NOT_MEMBER.format(name=member.full_name, org=org.name), field="member")
    current = Seat.objects.filter(term=term, valid_to__isnull=True)
    if org.type.kind == OrgKind.CELL:
        p = rules.params("members.committee", on)
        if role in (SeatRole.STANDING, SeatRole.INSPECTION_CHAIR, SeatRole.INSPECTION_MEMBER):
            raise DomainError(ERR_SEAT_ROLE_CELL.format(role=SeatRole(role).label), field="role")
        n_official = Member.objects.filter(org=org, status=Status.OFFICIAL).count()
        others = current.exclude(member=member)
        if role == SeatRole.SECRETARY:
            others = others.exclude(role=SeatRole.SECRETARY)
        if n_official < p["cell_committee_min_official"]:
            if role == SeatRole.MEMBER:
                raise DomainError(
                    ERR_SEAT_SMALL_CELL.format(n=n_official, min_n=p["cell_committee_min_official"]),
                    field="role",
                )
            if role == SeatRole.DEPUTY and others.filter(role=SeatRole.DEPUTY).exists():
                raise DomainError(
                    ERR_SEAT_SMALL_DEPUTY.format(min_n=p["cell_committee_min_official"]), field="role"
                )
        else:
            n = others.values("member").distinct().count()
            if n + 1 > p["cell_committee_max"]:
                raise DomainError(ERR_SEAT_TOO_MANY.format(max_n=p["cell_committee_max"], n=n), field="role")
    with transaction.atomic():
        if role == SeatRole.SECRETARY:
            current.filter(role=SeatRole.SECRETARY).update(valid_to=on)
        current.filter(member=member).update(valid_to=on)
        seat = Seat.objects.create(term=term, organisation=org, member=member, role=role, valid_from=on)
        audit.record(
            by=by,
            action="seat.assign",
            obj=member,
            org_path=member.org_path,
            after={"org": org.code, "role": role, "from": on.isoformat()},
        )
    return seat


def seat_end(*, by, seat: Seat, on: dt.date) -> Seat:
    check_may_edit(by, seat.organisation)
    if on < seat.valid_from:
        raise DomainError("Ngày kết thúc không được trước ngày bắt đầu.", field="on")
    with transaction.atomic():
        seat.valid_to = on
        seat.save(update_fields=["valid_to"])
        audit.record(
            by=by,
            action="seat.end",
            obj=seat.member,
            org_path=seat.member.org_path,
            after={"org": seat.organisation.code, "role": seat.role, "to": on.isoformat()},
        )
    return seat


def monitor_assign(
    *, by, org: Organisation, monitor: Member, valid_from: dt.date, decision_number: str = ""
) -> MonitorAssignment:
    """Assign a committee member of a superior organisation to follow `org` (and attend its meetings)."""
    check_may_edit(by, org)
    if valid_from is None:
        raise DomainError(ERR_REQUIRED, field="valid_from")
    if valid_from > today():
        raise DomainError(ERR_FUTURE.format(today=fmt(today())), field="valid_from")
    if monitor.org_path.startswith(org.path):
        raise DomainError(ERR_MONITOR_OWN.format(org=org.name, name=monitor.full_name), field="monitor")
    above = ancestor_paths(org.path)
    holds = Seat.objects.filter(member=monitor, valid_to__isnull=True, organisation__path__in=above).exists()
    if not holds:
        raise DomainError(ERR_MONITOR_NOT_ABOVE.format(org=org.name, name=monitor.full_name), field="monitor")
    with transaction.atomic():
        MonitorAssignment.objects.filter(organisation=org, valid_to__isnull=True).update(valid_to=valid_from)
        a = MonitorAssignment.objects.create(
            organisation=org, monitor=monitor, valid_from=valid_from, decision_number=clean(decision_number)
        )
        audit.record(
            by=by,
            action="monitor.assign",
            obj=org,
            org_path=org.path,
            after={"monitor": monitor.pk, "name": monitor.full_name, "from": valid_from.isoformat()},
        )
    return a


# --- CV lines: work history, training, rewards, discipline -------------------------------------------------

ERR_ENTRY_DATES = "Ngày kết thúc không được trước ngày bắt đầu."
ERR_DISCIPLINE_ELSEWHERE = (
    "Dòng kỷ luật của lý lịch do quyết định kỷ luật ghi (mục Kiểm tra, giám sát, kỷ luật), không ghi hay xóa tay."
)


def entry_add(
    *,
    by,
    member: Member,
    kind: str,
    start: dt.date | None,
    end: dt.date | None = None,
    description: str = "",
    decision_number: str = "",
    course: str = "",
    issuer: str = "",
    certificate: str = "",
) -> ProfileEntry:
    check_may_edit(by, member.org)
    errors: dict[str, str] = {}
    if kind not in EntryKind.values:
        errors["kind"] = ERR_CHOICE.format(value=kind)
    elif kind == EntryKind.DISCIPLINE:
        errors["kind"] = ERR_DISCIPLINE_ELSEWHERE
    if course and (course not in Course.values or kind != EntryKind.TRAINING):
        errors["course"] = ERR_COURSE
    if not clean(description) and course in Course.values:
        description = Course(course).label
    if start is None:
        errors["start"] = ERR_REQUIRED
    _not_future(start, "start", errors)
    if start and end and end < start:
        errors["end"] = ERR_ENTRY_DATES
    if not clean(description):
        errors["description"] = ERR_REQUIRED
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        e = ProfileEntry.objects.create(
            member=member,
            kind=kind,
            start=start,
            end=end,
            description=clean(description),
            decision_number=clean(decision_number),
            course=course,
            issuer=clean(issuer)[:160],
            certificate=clean(certificate)[:40],
        )
        audit.record(
            by=by,
            action="member.entry_add",
            obj=member,
            org_path=member.org_path,
            after={"kind": kind, "start": start.isoformat(), "description": e.description, "course": course},
        )
        _follow_theory(by, member)
    return e


def _follow_theory(by, member: Member) -> None:
    """The profile's political-theory level follows the highest theory course completed (an end date), when the
    CV records any; audited as a change of the profile."""
    done = set(member.entries.filter(kind=EntryKind.TRAINING, course__in=THEORY_ORDER, end__isnull=False)
               .values_list("course", flat=True))  # fmt: skip
    if not done:
        return
    level = max(done, key=THEORY_ORDER.index)
    if member.political_theory != level:
        before = member.political_theory
        Member.objects.filter(pk=member.pk).update(political_theory=level)
        member.political_theory = level
        audit.record(by=by, action="member.update", obj=member, org_path=member.org_path,
                     before={"political_theory": before}, after={"political_theory": level,
                                                                 "reason": "theo khóa học đã hoàn thành"})  # fmt: skip


def entry_remove(*, by, entry: ProfileEntry) -> None:
    check_may_edit(by, entry.member.org)
    if entry.kind == EntryKind.DISCIPLINE:
        raise DomainError(ERR_DISCIPLINE_ELSEWHERE, field="kind")
    with transaction.atomic():
        audit.record(
            by=by,
            action="member.entry_remove",
            obj=entry.member,
            org_path=entry.member.org_path,
            before={"kind": entry.kind, "start": entry.start.isoformat(), "description": entry.description},
        )
        entry.delete()
        _follow_theory(by, entry.member)


# --- the member's own account ---------------------------------------------------------------------------

ERR_COURSE = "Khóa học chỉ ghi cho dòng «Đào tạo, bồi dưỡng», chọn trong danh sách."
ERR_ACCOUNT_UNKNOWN = "Không có tài khoản «{username}» đang hoạt động."
ERR_ACCOUNT_TAKEN = "Tài khoản «{username}» đã liên kết với đảng viên {name}; hãy bỏ liên kết đó trước."
ERR_ACCOUNT_TAKEN_ELSEWHERE = "Tài khoản «{username}» đã liên kết với một đảng viên khác."


def linkable_accounts(by):
    """Accounts an officer may link to a member: active, not an administrator's (unless the officer is one), and
    with no role granted outside the officer's scope (an account of another commune is not theirs to hand out)."""
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import RoleGrant
    from dangvu.accounts.selectors import scope_q

    users = get_user_model().objects.filter(is_active=True)
    if by.is_superuser:
        return users
    elsewhere = RoleGrant.objects.exclude(scope_q(by, "org_path")).values("user_id")
    return users.filter(is_superuser=False).exclude(pk__in=elsewhere)
ERR_ACCOUNT_NOT_OFFICER = "Chỉ cán bộ tổ chức hoặc quản trị mới liên kết tài khoản với đảng viên."


def _check_may_link(by, member: Member) -> None:
    from dangvu.accounts.models import DECISION_ROLES

    if not covers(by, member.org_path):
        raise NotFound(member.pk)
    if not covers(by, member.org_path, roles=DECISION_ROLES):
        raise Forbidden(ERR_ACCOUNT_NOT_OFFICER)


def account_link(*, by, member: Member, username: str) -> Member:
    """Link a login to the member (one account, one member): notices reach the member in the app through it."""
    _check_may_link(by, member)
    username = clean(username)
    user = linkable_accounts(by).filter(username=username).first()
    if user is None:  # unknown, or not the officer's to link: the same answer
        raise DomainError(ERR_ACCOUNT_UNKNOWN.format(username=username), field="username")
    with transaction.atomic():
        lock(member)
        other = Member.objects.filter(account=user).exclude(pk=member.pk).first()
        if other is not None:
            msg = (ERR_ACCOUNT_TAKEN.format(username=username, name=other.full_name) if covers(by, other.org_path)
                   else ERR_ACCOUNT_TAKEN_ELSEWHERE.format(username=username))  # fmt: skip
            raise DomainError(msg, field="username")
        before = member.account.username if member.account_id else None
        Member.objects.filter(pk=member.pk).update(account=user)
        member.account = user
        audit.record(by=by, action="member.account_link", obj=member, org_path=member.org_path,
                     before={"account": before}, after={"account": user.username})  # fmt: skip
    return member


def account_unlink(*, by, member: Member) -> Member:
    _check_may_link(by, member)
    with transaction.atomic():
        lock(member)
        before = member.account.username if member.account_id else None
        Member.objects.filter(pk=member.pk).update(account=None)
        member.account = None
        audit.record(by=by, action="member.account_unlink", obj=member, org_path=member.org_path,
                     before={"account": before}, after={"account": None})  # fmt: skip
    return member
