"""Every write to the tree: lifecycle decisions, each one transaction, each recorded as an OrgEvent.

Each decision is planned first (`plan_*`: validates everything, reads only, and describes what will change,
for the confirmation page) and then carried out (`Plan.execute`). Pages, the API, the demo seeder and the
management commands all go through here, so every check lives in one place.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from dangvu.accounts.models import DECISION_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import audit
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError, Forbidden, NotFound  # noqa: F401  (Forbidden: re-exported)
from dangvu.core.locking import lock
from dangvu.core.text import clean, search_key, sort_key
from dangvu.core.tree import child_path

from .holdings import holdings
from .models import (
    AheadState,
    EventKind,
    LinkRole,
    Organisation,
    OrgEvent,
    OrgEventLink,
    OrgType,
    OrgVersion,
    PendingDecision,
)
from .paths import rewrite_copies, rewrite_prefix
from .signals import decision_recorded

# Messages as constants so tests assert the exact text users read.
ERR_NUMBER_FORMAT = "Số quyết định phải theo mẫu «Số <số>-<LOẠI>/<CƠ QUAN>», ví dụ «Số 123-QĐ/TU» (không dùng kiểu «123/QĐ-UBND»)."
ERR_NUMBER_QYD = "Văn bản của Đảng không dùng «QyĐ»; quy định và quyết định đều viết tắt là «QĐ»."
ERR_DATE_FUTURE = "Ngày hiệu lực không được sau ngày hôm nay ({today})."
ERR_DATE_TOO_FAR = "Ngày hiệu lực {date} quá xa: chỉ ghi trước các quyết định có hiệu lực đến ngày {limit}."
ERR_PENDING = (
    "«{org}» có quyết định {kind} số {number} chờ hiệu lực ngày {date}; hãy hủy quyết định đó trước khi ghi "
    "quyết định khác về «{org}»."
)
ERR_CODE_RESERVED = "Mã «{code}» đã được dành cho một tổ chức sẽ thành lập theo một quyết định đã ghi trước ngày hiệu lực."
AHEAD_DAYS = 366  # how far ahead a decision may be recorded
ERR_DATE_BEFORE_ESTABLISHED = "Ngày hiệu lực {date} trước ngày thành lập của «{org}» ({established})."
ERR_DATE_BEFORE_LAST_CHANGE = (
    "Ngày hiệu lực {date} trước lần thay đổi gần nhất đã ghi nhận của «{org}» ({last}); "
    "hãy ghi các quyết định theo đúng thứ tự thời gian."
)
ERR_DATE_SAME_AS_ESTABLISHED = (
    "«{org}» mới thành lập ngày {date}; không thể chấm dứt hoạt động ngay trong ngày đó."
)
ERR_CODE_FORMAT = "Mã chỉ gồm chữ in hoa không dấu, chữ số, dấu gạch ngang hoặc gạch dưới (tối đa 32 ký tự), ví dụ «LCA-VB-01»."
ERR_CODE_TAKEN = "Mã «{code}» đã được dùng cho «{org}»."
ERR_CODE_REPEATED = "Mã «{code}» được nhập nhiều lần."
ERR_NAME_EMPTY = "Hãy nhập tên tổ chức."
ERR_NAME_LONG = "Tên tổ chức tối đa {limit} ký tự; tên đã nhập dài {n} ký tự, hãy rút gọn."
ERR_NAME_SAME = "Tên mới trùng với tên hiện tại."
ERR_PARENT_UNKNOWN = "Không tìm thấy tổ chức cấp trên có mã «{code}»."
ERR_ORG_UNKNOWN = "Không tìm thấy tổ chức có mã «{code}»."
ERR_CLOSED = "«{org}» đã chấm dứt hoạt động từ {closed}."
ERR_TYPE_NOT_ALLOWED = "Loại «{child}» không được trực thuộc «{parent}» (loại {parent_type})."
ERR_TYPE_INACTIVE = "Loại «{type}» không còn được lập mới sau ngày {until}."
ERR_ROOT_NOT_ALLOWED = "Loại «{type}» không thể là tổ chức cấp cao nhất; hãy chọn tổ chức cấp trên."
ERR_MOVE_INTO_OWN_SUBTREE = "Không thể chuyển «{org}» vào chính nó hoặc vào tổ chức trực thuộc của nó."
ERR_MOVE_SAME_PARENT = "«{org}» đã trực thuộc «{parent}»."
ERR_MERGE_INTO_ITSELF = "Không thể hợp nhất «{org}» vào chính nó."
ERR_MERGE_TOO_FEW = "Hợp nhất vào tổ chức mới cần ít nhất hai tổ chức nguồn."
ERR_MERGE_NONE = "Hãy chọn ít nhất một tổ chức nguồn."
ERR_MERGE_NESTED = "«{inner}» nằm trong «{outer}»; không thể cùng là tổ chức nguồn."
ERR_MERGE_TARGET_INSIDE = "Tổ chức đích «{target}» nằm trong tổ chức nguồn «{source}»."
ERR_SPLIT_TOO_FEW = "Chia tách cần ít nhất hai tổ chức đích."
ERR_SPLIT_UNASSIGNED = "Hãy chọn tổ chức đích cho «{child}»."
ERR_SPLIT_BAD_TARGET = "Tổ chức đích đã chọn cho «{child}» không nằm trong danh sách tổ chức đích."
ERR_DISSOLVE_HAS_CHILDREN = "«{org}» còn {n} tổ chức trực thuộc đang hoạt động; hãy chọn tổ chức nhận chuyển giao trong cùng quyết định."
ERR_DISSOLVE_TRANSFER_SELF = "Tổ chức nhận chuyển giao phải khác «{org}» và không nằm trong nó."
ERR_NOT_ALLOWED = "Bạn không có quyền ghi quyết định về «{org}»."
ERR_DISSOLVE_HAS_HOLDINGS = (
    "«{org}» còn {n} {label}; hãy chọn tổ chức nhận chuyển giao trong cùng quyết định."
)
ERR_SPLIT_HOLDING_UNASSIGNED = "Hãy chọn tổ chức đích cho {label} «{item}»."


ERR_ALREADY_RECORDED = (
    "Quyết định {kind} số {number} vừa được ghi lúc {at} (có thể do bấm hai lần hoặc ở tab khác); không ghi lại."
)


@dataclass(frozen=True)
class Decision:
    number: str
    effective_on: dt.date
    issuer: str = ""
    note: str = ""


@dataclass(frozen=True)
class NewOrg:
    """An organisation a decision creates. `parent` None means: wherever the decision puts it."""

    code: str
    name: str
    type: OrgType
    parent: Organisation | None = None


@dataclass
class Plan:
    """A decision checked and described (`lines`), ready to `execute`."""

    kind: str
    decision: Decision
    lines: list[str]
    _run: Callable[[], OrgEvent] = field(repr=False)
    again: Callable[[], Plan] | None = field(default=None, repr=False)  # the same planning, run anew
    orgs: list[Organisation] = field(default_factory=list, repr=False)  # existing organisations named in it
    parents: list[Organisation] = field(default_factory=list, repr=False)  # and their parents (locked too)
    new_codes: list[str] = field(default_factory=list, repr=False)  # codes of the organisations it creates
    subjects: list[Organisation] = field(default_factory=list, repr=False)  # the existing ones it changes

    @property
    def ahead(self) -> bool:
        """Takes effect after today: recorded as pending (`ahead.record`), carried out on its date."""
        return self.decision.effective_on > today()

    def execute(self, *, applying: bool = False) -> OrgEvent:
        """One transaction: lock the organisations involved, refuse a decision already recorded (a double click,
        a second tab: Conflict), check everything again on the rows as they are now, then write. A decision
        dated after today is carried out only by `ahead.apply_due` on its date (`applying`)."""
        if self.ahead and not applying:
            raise DomainError(ERR_DATE_FUTURE.format(today=fmt(today())), field="effective_on")
        with transaction.atomic():
            lock(*self.orgs, *self.parents)
            check_not_pending(self.subjects)
            about = Q(links__organisation__in=[o.pk for o in self.orgs],
                      links__role__in=[LinkRole.SUBJECT, LinkRole.SOURCE])  # fmt: skip
            already = (
                OrgEvent.objects.filter(kind=self.kind, decision_number=self.decision.number,
                                        effective_on=self.decision.effective_on)
                .filter(about | Q(links__organisation__code__in=self.new_codes, links__role=LinkRole.TARGET))
                .order_by("-pk").first()
            )  # fmt: skip
            if already is not None:
                raise Conflict(ERR_ALREADY_RECORDED.format(
                    kind=already.get_kind_display().lower(), number=already.decision_number,
                    at=timezone.localtime(already.recorded_at).strftime("%H:%M %d/%m/%Y")))  # fmt: skip
            plan = self.again() if self.again is not None else self
            return plan._run()


def _replannable(planner):
    """Give the plan what `execute` needs to plan it again under the locks: the same call, the organisations
    it involves and the codes it creates."""

    @functools.wraps(planner)
    def wrapper(**kw) -> Plan:
        plan = planner(**kw)
        orgs: dict[int, Organisation] = {}
        subjects: dict[int, Organisation] = {}  # named for themselves, not only as a new organisation's parent
        codes: list[str] = []

        def collect(v, subject: bool = True) -> None:
            if isinstance(v, Organisation) and v.pk:
                orgs.setdefault(v.pk, v)
                if subject:
                    subjects.setdefault(v.pk, v)
            elif isinstance(v, NewOrg):
                codes.append(clean(v.code).upper())
                collect(v.parent, subject=False)
            elif isinstance(v, list | tuple):
                for x in v:
                    collect(x, subject)

        for k, v in kw.items():
            if k not in ("by", "new_parent"):  # moving under a parent changes the one moved, not the parent
                collect(v)
            else:
                collect(v, subject=False)
        parents = {o.parent_id: o.parent for o in orgs.values() if o.parent_id and o.parent_id not in orgs}
        plan.again, plan.orgs, plan.parents, plan.new_codes, plan.subjects = (
            (lambda: planner(**kw)), list(orgs.values()), list(parents.values()), codes, list(subjects.values())
        )
        return plan

    return wrapper


# --- validation helpers -------------------------------------------------------------------------------

_NUMBER_PREFIX_RE = re.compile(r"^s[ốo]\s*:?\s*", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^(\d{1,6})\s*-\s*([A-ZĐ]{1,6})\s*/\s*([A-ZĐ]{1,12}(?:-[A-ZĐ]{1,12})*)$")
_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def normalise_decision_number(raw: str) -> str:
    """'Số 123-QĐ/TU' or '123-QĐ/TU' → '123-QĐ/TU'; anything else is refused."""
    text = clean(raw)
    if "QyĐ" in text or "QYĐ" in text.upper():
        raise DomainError(ERR_NUMBER_QYD, field="decision_number")
    m = _NUMBER_RE.match(_NUMBER_PREFIX_RE.sub("", text))
    if not m:
        raise DomainError(ERR_NUMBER_FORMAT, field="decision_number")
    return f"{int(m.group(1)):02d}-{m.group(2)}/{m.group(3)}"


def _check_decision(decision: Decision) -> Decision:
    number = normalise_decision_number(decision.number)
    limit = today() + dt.timedelta(days=AHEAD_DAYS)
    if decision.effective_on > limit:
        raise DomainError(ERR_DATE_TOO_FAR.format(date=fmt(decision.effective_on), limit=fmt(limit)),
                          field="effective_on")  # fmt: skip
    return Decision(number, decision.effective_on, clean(decision.issuer), decision.note.strip())


def pending_about(orgs: Sequence[Organisation]):
    """Decisions waiting for their date that change one of these organisations."""
    return PendingDecision.objects.filter(state=AheadState.PENDING, subjects__in=[o.pk for o in orgs]).distinct()


def check_not_pending(orgs: Sequence[Organisation]) -> None:
    """One pending decision at a time per organisation: a second one (or one in force now) could leave the first
    unable to take effect on its date."""
    if not orgs:
        return
    p = pending_about(orgs).prefetch_related("subjects").first()
    if p is not None:
        org = next(o for o in p.subjects.all() if o.pk in {x.pk for x in orgs})
        raise DomainError(ERR_PENDING.format(org=org.name, kind=p.get_kind_display().lower(),
                                             number=p.decision_number, date=fmt(p.effective_on)))  # fmt: skip


def _check_open(org: Organisation, field_name: str) -> None:
    if org.closed_on is not None:
        raise DomainError(ERR_CLOSED.format(org=org.name, closed=fmt(org.closed_on)), field=field_name)


def _check_date_for(orgs: Sequence[Organisation], when: dt.date, *, subtree: bool = False) -> None:
    """`when` may not precede any of these organisations' establishment, nor a change already recorded."""
    for org in orgs:
        if when < org.established_on:
            raise DomainError(
                ERR_DATE_BEFORE_ESTABLISHED.format(
                    date=fmt(when), org=org.name, established=fmt(org.established_on)
                ),
                field="effective_on",
            )
    if not orgs:
        return
    qs = OrgVersion.objects.filter(valid_to__isnull=True)
    if subtree:
        q = Q()
        for org in orgs:
            q |= Q(path__startswith=org.path)
        qs = qs.filter(q)
    else:
        qs = qs.filter(organisation__in=orgs)
    last = qs.aggregate(m=Max("valid_from"))["m"]
    if last and when < last:
        culprit = qs.filter(valid_from=last).select_related("organisation").first()
        raise DomainError(
            ERR_DATE_BEFORE_LAST_CHANGE.format(date=fmt(when), org=culprit.organisation.name, last=fmt(last)),
            field="effective_on",
        )


def _check_code(code: str, field_name: str, taken_here: set[str]) -> str:
    code = clean(code).upper()
    if not _CODE_RE.match(code):
        raise DomainError(ERR_CODE_FORMAT, field=field_name)
    if code in taken_here:
        raise DomainError(ERR_CODE_REPEATED.format(code=code), field=field_name)
    other = Organisation.objects.filter(code=code).first()
    if other:
        raise DomainError(ERR_CODE_TAKEN.format(code=code, org=other.name), field=field_name)
    for p in PendingDecision.objects.filter(state=AheadState.PENDING).only(
        "new_codes", "decision_number", "effective_on"
    ):
        if code in p.new_codes:  # (which decision is not said: it may lie outside the user's scope)
            raise DomainError(ERR_CODE_RESERVED.format(code=code), field=field_name)
    taken_here.add(code)
    return code


def _check_child_type(
    parent: Organisation, child_type: OrgType, field_name: str, child_label: str = ""
) -> None:
    if not parent.type.allowed_children.filter(pk=child_type.pk).exists():
        raise DomainError(
            ERR_TYPE_NOT_ALLOWED.format(
                child=child_label or child_type.name, parent=parent.name, parent_type=parent.type.name
            ),
            field=field_name,
        )


def _check_children_fit(
    children: Sequence[Organisation], target: Organisation | NewOrg | OrgType, field_name: str
) -> None:
    """Every child must be of a type allowed under the target (an organisation, one to be created, or a type)."""
    target_type = target if isinstance(target, OrgType) else target.type
    allowed = set(target_type.allowed_children.values_list("pk", flat=True))
    for child in children:
        if child.type_id not in allowed:
            raise DomainError(
                ERR_TYPE_NOT_ALLOWED.format(
                    child=f"{child.name} ({child.type.name})",
                    parent=target.name,
                    parent_type=target_type.name,
                ),
                field=field_name,
            )


def _check_new_org(
    spec: NewOrg, parent: Organisation | None, when: dt.date, field_prefix: str, taken: set[str], by
) -> NewOrg:
    code = _check_code(spec.code, f"{field_prefix}code", taken)
    name = _check_name(spec.name, f"{field_prefix}name")
    if spec.type.active_until and when > spec.type.active_until:
        raise DomainError(
            ERR_TYPE_INACTIVE.format(type=spec.type.name, until=fmt(spec.type.active_until)),
            field=f"{field_prefix}type",
        )
    if parent is None:
        if not spec.type.may_be_root:
            raise DomainError(ERR_ROOT_NOT_ALLOWED.format(type=spec.type.name), field=f"{field_prefix}parent")
        if not by.is_superuser:
            raise Forbidden(ERR_NOT_ALLOWED.format(org=name), field=f"{field_prefix}parent")
    else:
        _check_open(parent, f"{field_prefix}parent")
        _check_child_type(parent, spec.type, f"{field_prefix}type", child_label=spec.type.name)
        _check_date_for([parent], when)
    return NewOrg(code=code, name=name, type=spec.type, parent=parent)


def _check_name(raw: str, field_name: str) -> str:
    """A name that fits its column: checked when planning, so a decision recorded ahead is refused now, not on its
    date (and a rename, written with update(), never skips the check)."""
    name = clean(raw)
    if not name:
        raise DomainError(ERR_NAME_EMPTY, field=field_name)
    limit = Organisation._meta.get_field("name").max_length
    if len(name) > limit:
        raise DomainError(ERR_NAME_LONG.format(limit=limit, n=len(name)), field=field_name)
    return name


def _check_may_decide(by, orgs: Sequence[Organisation]) -> None:
    for org in orgs:
        if not covers(by, org.path):
            raise NotFound(org.code)
        if not covers(by, org.path, roles=DECISION_ROLES):
            raise Forbidden(ERR_NOT_ALLOWED.format(org=org.name))


def _describe(org: Organisation) -> str:
    return f"«{org.name}» ({org.code})"


def _open_children(org: Organisation) -> list[Organisation]:
    return list(org.children.filter(closed_on__isnull=True).select_related("type"))


def _subtree_size(org: Organisation) -> int:
    return Organisation.objects.filter(path__startswith=org.path, closed_on__isnull=True).count() - 1


def _held(org: Organisation) -> dict[str, int]:
    """How many of each registered holding (members, …) the organisation has now."""
    return {h.field: h.count(org) for h in holdings()}


def _held_text(counts: dict[str, int]) -> str:
    parts = [f"{counts[h.field]} {h.label}" for h in holdings() if counts.get(h.field)]
    return ", ".join(parts)


def _check_holdings_fit(
    counts: dict[str, int], target_type: OrgType, target_label: str, field_name: str
) -> None:
    for h in holdings():
        if counts.get(h.field):
            msg = h.refuse_target(target_type, target_label)
            if msg:
                raise DomainError(msg, field=field_name)


def _move_holdings(source: Organisation, target_for, when: dt.date, event: OrgEvent, reason: str) -> None:
    for h in holdings():
        h.move(source, target_for, when, event, reason)


# --- the writes themselves (called only from a plan, inside its transaction) ---------------------------


def _end_current(versions, when: dt.date) -> None:
    """End these current versions at `when`; one opened that same day is replaced, not kept as an empty interval."""
    versions.filter(valid_from=when).delete()
    versions.update(valid_to=when)


def _version_of(org: Organisation, when: dt.date) -> OrgVersion:
    """A new version carrying the organisation's current state from `when` on."""
    return OrgVersion(
        organisation_id=org.pk,
        name=org.name,
        search_text=org.search_text,
        type_id=org.type_id,
        parent_id=org.parent_id,
        path=org.path,
        valid_from=when,
    )


def _snapshot(orgs_q, when: dt.date) -> None:
    """Close the current versions of these organisations at `when` and open new ones from their current rows."""
    _end_current(OrgVersion.objects.filter(valid_to__isnull=True, organisation__in=orgs_q), when)
    OrgVersion.objects.bulk_create(
        _version_of(o, when)
        for o in Organisation.objects.filter(pk__in=orgs_q, closed_on__isnull=True).only(
            "pk", "name", "search_text", "type_id", "parent_id", "path"
        )
    )


def _create(spec: NewOrg, when: dt.date) -> Organisation:
    org = Organisation.objects.create(
        code=spec.code,
        name=spec.name,
        search_text=search_key(spec.name),
        sort_key=sort_key(spec.name),
        type=spec.type,
        parent=spec.parent,
        path=f"~{spec.code}",
        established_on=when,
    )
    org.path = child_path(spec.parent.path if spec.parent else "", org.pk)
    Organisation.objects.filter(pk=org.pk).update(path=org.path)
    _version_of(org, when).save()
    return org


def _reparent(org: Organisation, new_parent: Organisation, when: dt.date) -> None:
    """Move a whole subtree under a new parent: one UPDATE per table that holds the path."""
    old = org.path
    new = child_path(new_parent.path, org.pk)
    Organisation.objects.filter(pk=org.pk).update(parent=new_parent)
    rewrite_prefix(Organisation, "path", old, new)
    rewrite_copies(old, new)
    _snapshot(Organisation.objects.filter(path__startswith=new).values("pk"), when)
    org.parent, org.path = new_parent, new


def _close(org: Organisation, when: dt.date) -> None:
    closed_on = when - dt.timedelta(days=1)
    Organisation.objects.filter(pk=org.pk).update(closed_on=closed_on)
    _end_current(OrgVersion.objects.filter(organisation=org, valid_to__isnull=True), when)
    org.closed_on = closed_on


def _record(
    kind: str, decision: Decision, by, links: list[tuple[Organisation, str]], details: dict
) -> OrgEvent:
    event = OrgEvent.objects.create(
        kind=kind,
        effective_on=decision.effective_on,
        decision_number=decision.number,
        issuer=decision.issuer,
        note=decision.note,
        details=details,
        recorded_by=by if by.is_authenticated and by.pk else None,
    )
    OrgEventLink.objects.bulk_create(OrgEventLink(event=event, organisation=o, role=r) for o, r in links)
    for org, role in links:
        audit.record(by=by, action=f"org.{kind}", obj=org, after={"event": event.pk, "role": role, **details})
    decision_recorded.send(sender=OrgEvent, event=event, by=by)  # same transaction: all or nothing
    return event


# --- the decisions --------------------------------------------------------------------------------------


@_replannable
def plan_establish(*, by, spec: NewOrg, decision: Decision) -> Plan:
    decision = _check_decision(decision)
    if spec.parent is not None:
        _check_may_decide(by, [spec.parent])
    new = _check_new_org(spec, spec.parent, decision.effective_on, "", set(), by)
    where = f"trực thuộc {_describe(new.parent)}" if new.parent else "ở cấp cao nhất"
    lines = [
        f"Thành lập «{new.name}» ({new.code}), loại {new.type.name}, {where}, từ ngày {fmt(decision.effective_on)}."
    ]

    def run() -> OrgEvent:
        org = _create(new, decision.effective_on)
        return _record(
            EventKind.ESTABLISH,
            decision,
            by,
            [(org, LinkRole.TARGET)],
            {"code": org.code, "name": org.name, "type": org.type.code},
        )

    return Plan(EventKind.ESTABLISH, decision, lines, run)


@_replannable
def plan_rename(*, by, org: Organisation, new_name: str, decision: Decision) -> Plan:
    decision = _check_decision(decision)
    _check_may_decide(by, [org])
    _check_open(org, "org")
    name = _check_name(new_name, "name")
    if name == org.name:
        raise DomainError(ERR_NAME_SAME, field="name")
    _check_date_for([org], decision.effective_on)
    old_name = org.name
    lines = [f"Đổi tên {_describe(org)} thành «{name}» từ ngày {fmt(decision.effective_on)}."]

    def run() -> OrgEvent:
        Organisation.objects.filter(pk=org.pk).update(
            name=name, search_text=search_key(name), sort_key=sort_key(name)
        )
        _snapshot(Organisation.objects.filter(pk=org.pk).values("pk"), decision.effective_on)
        org.name = name
        return _record(
            EventKind.RENAME, decision, by, [(org, LinkRole.SUBJECT)], {"old_name": old_name, "name": name}
        )

    return Plan(EventKind.RENAME, decision, lines, run)


@_replannable
def plan_move(*, by, org: Organisation, new_parent: Organisation, decision: Decision) -> Plan:
    decision = _check_decision(decision)
    _check_may_decide(by, [org, new_parent])
    _check_open(org, "org")
    _check_open(new_parent, "new_parent")
    if new_parent.path.startswith(org.path):
        raise DomainError(ERR_MOVE_INTO_OWN_SUBTREE.format(org=org.name), field="new_parent")
    if org.parent_id == new_parent.pk:
        raise DomainError(
            ERR_MOVE_SAME_PARENT.format(org=org.name, parent=new_parent.name), field="new_parent"
        )
    _check_child_type(new_parent, org.type, "new_parent", child_label=f"{org.name} ({org.type.name})")
    _check_date_for([org, new_parent], decision.effective_on)
    _check_date_for([org], decision.effective_on, subtree=True)
    n = _subtree_size(org)
    old_parent = org.parent
    lines = [
        f"Chuyển {_describe(org)} từ «{old_parent.name if old_parent else '—'}» về trực thuộc {_describe(new_parent)}"
        f" từ ngày {fmt(decision.effective_on)}.",
        f"Cùng chuyển theo: {n} tổ chức trực thuộc của nó.",
    ]

    def run() -> OrgEvent:
        _reparent(org, new_parent, decision.effective_on)
        links = [(org, LinkRole.SUBJECT), (new_parent, LinkRole.TARGET)]
        if old_parent:
            links.append((old_parent, LinkRole.SOURCE))
        return _record(
            EventKind.MOVE,
            decision,
            by,
            links,
            {"from": old_parent.code if old_parent else None, "to": new_parent.code, "moved": n + 1},
        )

    return Plan(EventKind.MOVE, decision, lines, run)


@_replannable
def plan_merge(
    *,
    by,
    sources: Sequence[Organisation],
    decision: Decision,
    target: Organisation | None = None,
    new_target: NewOrg | None = None,
) -> Plan:
    """N → 1. Sub-organisations of the sources move to the target; the sources close, the target succeeding."""
    decision = _check_decision(decision)
    sources = list(dict.fromkeys(sources))
    if not sources:
        raise DomainError(ERR_MERGE_NONE, field="sources")
    if (target is None) == (new_target is None):
        raise DomainError(
            "Hãy chọn tổ chức đích có sẵn hoặc nhập tổ chức đích mới (chỉ một trong hai).", field="target"
        )
    if target is not None and target in sources:
        raise DomainError(ERR_MERGE_INTO_ITSELF.format(org=target.name), field="target")
    if new_target is not None and len(sources) < 2:
        raise DomainError(ERR_MERGE_TOO_FEW, field="sources")
    _check_may_decide(by, sources + ([target] if target else []))
    for s in sources:
        _check_open(s, "sources")
    for a in sources:
        for b in sources:
            if a is not b and a.path.startswith(b.path):
                raise DomainError(ERR_MERGE_NESTED.format(inner=a.name, outer=b.name), field="sources")
    when = decision.effective_on
    _check_date_for(sources, when, subtree=True)
    for s in sources:
        if when <= s.established_on:
            raise DomainError(
                ERR_DATE_SAME_AS_ESTABLISHED.format(org=s.name, date=fmt(s.established_on)),
                field="effective_on",
            )
    if target is not None:
        _check_open(target, "target")
        for s in sources:
            if target.path.startswith(s.path):
                raise DomainError(
                    ERR_MERGE_TARGET_INSIDE.format(target=target.name, source=s.name), field="target"
                )
        _check_date_for([target], when)
        target_type: Organisation | OrgType = target
        target_label = _describe(target)
    else:
        parent = new_target.parent if new_target.parent is not None else sources[0].parent
        if parent is not None:
            _check_may_decide(by, [parent])
            for s in sources:
                if parent.path.startswith(s.path):
                    raise DomainError(
                        ERR_MERGE_TARGET_INSIDE.format(target=parent.name, source=s.name),
                        field="target_parent",
                    )
        new_target = _check_new_org(
            NewOrg(new_target.code, new_target.name, new_target.type, parent),
            parent,
            when,
            "target_",
            set(),
            by,
        )
        target_type = new_target.type
        target_label = f"«{new_target.name}» ({new_target.code}, thành lập mới"
        target_label += f", trực thuộc «{parent.name}»)" if parent else ")"
    children = {s.pk: _open_children(s) for s in sources}
    _check_children_fit(
        [c for cs in children.values() for c in cs], target_type if target is None else target, "target"
    )
    held = {s.pk: _held(s) for s in sources}
    for s in sources:
        _check_holdings_fit(
            held[s.pk],
            target.type if target is not None else new_target.type,
            target.name if target is not None else new_target.name,
            "target",
        )
    lines = [f"Hợp nhất {len(sources)} tổ chức vào {target_label} từ ngày {fmt(when)}:"]
    for s in sources:
        sub = _subtree_size(s)
        also = _held_text(held[s.pk])
        lines.append(
            f"– {_describe(s)}: chấm dứt hoạt động ngày {fmt(when - dt.timedelta(days=1))}; "
            f"{len(children[s.pk])} tổ chức trực thuộc (tổng {sub} trong cây)"
            + (f" và {also}" if also else "")
            + " chuyển về tổ chức đích."
        )

    def run() -> OrgEvent:
        tgt = target if target is not None else _create(new_target, when)
        for s in sources:
            for child in children[s.pk]:
                _reparent(child, tgt, when)
            _close(s, when)
        links = [(s, LinkRole.SOURCE) for s in sources] + [(tgt, LinkRole.TARGET)]
        event = _record(
            EventKind.MERGE,
            decision,
            by,
            links,
            {"sources": [s.code for s in sources], "target": tgt.code, "new_target": target is None},
        )
        for s in sources:
            _move_holdings(s, lambda _key: tgt, when, event, EventKind.MERGE)
        return event

    return Plan(EventKind.MERGE, decision, lines, run)


@_replannable
def plan_split(
    *,
    by,
    source: Organisation,
    targets: Sequence[Organisation | NewOrg],
    assignment: dict[int, int],
    decision: Decision,
    held_assignment: dict[str, dict[int, int]] | None = None,
) -> Plan:
    """1 → N. `assignment` maps each open child's pk to an index into `targets`; `held_assignment` does the
    same for what the source holds (per holding field, e.g. "member": {member pk: index}). The source closes."""
    decision = _check_decision(decision)
    when = decision.effective_on
    _check_may_decide(by, [source])
    _check_open(source, "source")
    if len(targets) < 2:
        raise DomainError(ERR_SPLIT_TOO_FEW, field="targets")
    if when <= source.established_on:
        raise DomainError(
            ERR_DATE_SAME_AS_ESTABLISHED.format(org=source.name, date=fmt(source.established_on)),
            field="effective_on",
        )
    _check_date_for([source], when, subtree=True)
    checked: list[Organisation | NewOrg] = []
    taken: set[str] = set()
    for i, t in enumerate(targets):
        if isinstance(t, Organisation):
            if t.pk == source.pk:
                raise DomainError(ERR_MERGE_INTO_ITSELF.format(org=t.name), field=f"targets.{i}")
            if t.path.startswith(source.path):
                raise DomainError(
                    ERR_MERGE_TARGET_INSIDE.format(target=t.name, source=source.name), field=f"targets.{i}"
                )
            _check_may_decide(by, [t])
            _check_open(t, f"targets.{i}")
            _check_date_for([t], when)
            checked.append(t)
        else:
            parent = t.parent if t.parent is not None else source.parent
            if parent is not None:
                _check_may_decide(by, [parent])
                if parent.path.startswith(source.path):
                    raise DomainError(
                        ERR_MERGE_TARGET_INSIDE.format(target=parent.name, source=source.name),
                        field=f"targets.{i}.parent",
                    )
            checked.append(
                _check_new_org(
                    NewOrg(t.code, t.name, t.type, parent), parent, when, f"targets.{i}.", taken, by
                )
            )
    children = _open_children(source)
    for child in children:
        idx = assignment.get(child.pk)
        if idx is None:
            raise DomainError(ERR_SPLIT_UNASSIGNED.format(child=child.name), field=f"assign.{child.code}")
        if not 0 <= idx < len(checked):
            raise DomainError(ERR_SPLIT_BAD_TARGET.format(child=child.name), field=f"assign.{child.code}")
        _check_children_fit([child], checked[idx], f"assign.{child.code}")

    held_assignment = held_assignment or {}
    held_items: dict[str, list[tuple[int, str]]] = {}
    for h in holdings():
        items = h.items(source)
        chosen = held_assignment.get(h.field, {})
        for key, item_label in items:
            idx = chosen.get(key)
            if idx is None or not 0 <= idx < len(checked):
                raise DomainError(
                    ERR_SPLIT_HOLDING_UNASSIGNED.format(label=h.label, item=item_label),
                    field=f"assign.{h.field}.{key}",
                )
            msg = h.refuse_target(checked[idx].type, checked[idx].name)
            if msg:
                raise DomainError(msg, field=f"assign.{h.field}.{key}")
        held_items[h.field] = items

    def label(t):
        return _describe(t) if isinstance(t, Organisation) else f"«{t.name}» ({t.code}, thành lập mới)"

    lines = [
        f"Chia tách {_describe(source)} thành {len(checked)} tổ chức từ ngày {fmt(when)}; "
        f"{_describe(source)} chấm dứt hoạt động ngày {fmt(when - dt.timedelta(days=1))}."
    ]
    for i, t in enumerate(checked):
        moved = [c.name for c in children if assignment[c.pk] == i]
        also = _held_text(
            {f: sum(1 for key, _ in items if held_assignment[f][key] == i) for f, items in held_items.items()}
        )
        lines.append(
            f"– {label(t)}: nhận {len(moved)} tổ chức trực thuộc"
            + (f" ({', '.join(moved)})" if moved else "")
            + (f"; {also}" if also else "")
        )

    def run() -> OrgEvent:
        real = [t if isinstance(t, Organisation) else _create(t, when) for t in checked]
        for child in children:
            _reparent(child, real[assignment[child.pk]], when)
        _close(source, when)
        links = [(source, LinkRole.SOURCE)] + [(t, LinkRole.TARGET) for t in real]
        event = _record(
            EventKind.SPLIT,
            decision,
            by,
            links,
            {
                "source": source.code,
                "targets": [t.code for t in real],
                "assignment": {c.code: real[assignment[c.pk]].code for c in children},
            },
        )
        for h in holdings():
            chosen = held_assignment.get(h.field, {})
            h.move(source, lambda key, chosen=chosen: real[chosen[key]], when, event, EventKind.SPLIT)
        return event

    return Plan(EventKind.SPLIT, decision, lines, run)


@_replannable
def plan_dissolve(
    *, by, org: Organisation, decision: Decision, transfer_to: Organisation | None = None
) -> Plan:
    """Refused while open sub-organisations remain, unless they are transferred in the same decision."""
    decision = _check_decision(decision)
    when = decision.effective_on
    _check_may_decide(by, [org] + ([transfer_to] if transfer_to else []))
    _check_open(org, "org")
    if when <= org.established_on:
        raise DomainError(
            ERR_DATE_SAME_AS_ESTABLISHED.format(org=org.name, date=fmt(org.established_on)),
            field="effective_on",
        )
    _check_date_for([org], when, subtree=True)
    children = _open_children(org)
    if transfer_to is not None:
        if transfer_to.path.startswith(org.path):
            raise DomainError(ERR_DISSOLVE_TRANSFER_SELF.format(org=org.name), field="transfer_to")
        _check_open(transfer_to, "transfer_to")
        _check_date_for([transfer_to], when)
        _check_children_fit(children, transfer_to, "transfer_to")
    elif children:
        raise DomainError(
            ERR_DISSOLVE_HAS_CHILDREN.format(org=org.name, n=len(children)), field="transfer_to"
        )
    held = _held(org)
    if transfer_to is None:
        for h in holdings():
            if held[h.field]:
                raise DomainError(
                    ERR_DISSOLVE_HAS_HOLDINGS.format(org=org.name, n=held[h.field], label=h.label),
                    field="transfer_to",
                )
    else:
        _check_holdings_fit(held, transfer_to.type, transfer_to.name, "transfer_to")
    lines = [f"Giải thể {_describe(org)}: chấm dứt hoạt động ngày {fmt(when - dt.timedelta(days=1))}."]
    if children:
        lines.append(
            f"{len(children)} tổ chức trực thuộc chuyển về {_describe(transfer_to)}: "
            + ", ".join(c.name for c in children)
            + "."
        )
    if transfer_to is not None and _held_text(held):
        lines.append(f"{_held_text(held)} chuyển về {_describe(transfer_to)}.")

    def run() -> OrgEvent:
        for child in children:
            _reparent(child, transfer_to, when)
        _close(org, when)
        links = [(org, LinkRole.SOURCE)] + ([(transfer_to, LinkRole.TARGET)] if transfer_to else [])
        event = _record(
            EventKind.DISSOLVE,
            decision,
            by,
            links,
            {"transferred": [c.code for c in children], "to": transfer_to.code if transfer_to else None},
        )
        if transfer_to is not None:
            _move_holdings(org, lambda _key: transfer_to, when, event, EventKind.DISSOLVE)
        return event

    return Plan(EventKind.DISSOLVE, decision, lines, run)


# Thin conveniences for callers that need no confirmation step (seeder, commands, tests).


def org_establish(*, by, spec: NewOrg, decision: Decision) -> Organisation:
    event = plan_establish(by=by, spec=spec, decision=decision).execute()
    return event.links.get().organisation


def org_rename(**kw) -> OrgEvent:
    return plan_rename(**kw).execute()


def org_move(**kw) -> OrgEvent:
    return plan_move(**kw).execute()


def org_merge(**kw) -> OrgEvent:
    return plan_merge(**kw).execute()


def org_split(**kw) -> OrgEvent:
    return plan_split(**kw).execute()


def org_dissolve(**kw) -> OrgEvent:
    return plan_dissolve(**kw).execute()
