"""Every write of the admission pipeline: pages, the API and the demo all come through here.

A case is a person on the cell's list of sympathisers; its steps are recorded once each, in the order of the
rules (`ORDER`; the grassroots committee's resolution only where the cell is not itself the grassroots
organisation), each with the deadline the rules in force set for it and that version's date. The cell's
resolution is where eligibility is judged (age in months on that day, education, the course certificate, the
introducers). The ceremony makes the member through the member services; the recognition decision makes them
official; a case may end (refusal, withdrawal, not recognised) with its reason. All audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from dangvu.core import audit
from dangvu.core.dates import fmt, in_force, today
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.files import check_upload
from dangvu.core.locking import lock
from dangvu.core.text import clean, person_sort_key, search_key
from dangvu.meetings.models import Body, Vote, VoteKind
from dangvu.meetings.quality import vote_result
from dangvu.members import services as msvc
from dangvu.members.models import (
    Course,
    EntryKind,
    Member,
    Membership,
    MembershipKind,
    Reason,
    Status,
    StatusChange,
)
from dangvu.organizations.holdings import NothingToShow
from dangvu.organizations.models import Organisation
from dangvu.organizations.services import normalise_decision_number

from . import rules as ar
from .models import (
    BEFORE_ADMISSION,
    OPEN,
    PAPERS,
    Case,
    CaseFile,
    Introducer,
    Proposer,
    Stage,
    Step,
    StepKind,
)

ERR_REQUIRED = "Trường này là bắt buộc."
ERR_FUTURE = "Ngày không được sau hôm nay ({today})."
ERR_CLOSED = "Hồ sơ của {name} đã kết thúc ({stage}); không ghi thêm được."
ERR_ORDER = "Bước tiếp theo của hồ sơ là «{next}»; chưa thể ghi «{kind}»."
ERR_DONE = "Hồ sơ đã qua hết các bước."
ERR_BEFORE_PREVIOUS = "Ngày {date} trước bước «{prev}» đã ghi ({prev_on})."
ERR_NOT_ELIGIBLE = "Chưa đủ điều kiện vào ngày {on}: {why}"
ERR_VOTE = "Chọn nội dung biểu quyết «đề nghị kết nạp» đã thông qua trong buổi sinh hoạt của chi bộ vào ngày này."
ERR_VOTE_RECOGNITION = (
    "Chọn nội dung biểu quyết «đề nghị công nhận đảng viên chính thức» đã thông qua trong buổi sinh hoạt của chi bộ "
    "vào ngày này."
)
ERR_VOTE_FAILED = "Biểu quyết «{subject}» chưa thông qua ({votes_for}/{base}, cần {required})."
ERR_VOTES_LOW = "Cần ít nhất {required} trên {base} thành viên tán thành (2/3); mới có {votes_for}."
ERR_VOTES_MORE = "Số tán thành không được lớn hơn số thành viên."
ERR_RECEIVED = "Ngày chi bộ nhận quyết định không được trước ngày ký ({date})."
ERR_TOO_EARLY_RECOGNITION = "Thời hạn dự bị 12 tháng tính từ lễ kết nạp ({ceremony}) kết thúc ngày {end}; chưa thể xét."
ERR_NO_COURSE = (
    "{name} chưa có lớp bồi dưỡng lý luận chính trị cho đảng viên mới hoàn thành trong thời gian dự bị (từ "
    "{ceremony}); ghi khóa học vào lý lịch (Đào tạo, bồi dưỡng) trước khi chi bộ xét công nhận."
)
ERR_PAPER = "Chọn giấy tờ trong danh sách."
ERR_TOO_LONG = "Tối đa {limit} ký tự; nội dung đã nhập dài {n} ký tự, hãy rút gọn."
ERR_TOO_EARLY = "Ngày không được trước {date}."
ERR_TWICE = "{name}, sinh ngày {born}, đã có trong danh sách quần chúng ưu tú của {org} (có thể do bấm hai lần)."
ERR_VOTE_USED = "Biểu quyết «{subject}» đã dùng cho hồ sơ của {name}; mỗi người một biểu quyết."
ERR_FILE_TWICE = "Tệp này đã có trong hồ sơ («{title}»)."
EARLIEST_BIRTH = dt.date(1900, 1, 1)
PARTY_FOUNDED = dt.date(1930, 2, 3)
ERR_INTRODUCER_TWICE = "{name} đã là người giới thiệu."
ERR_INTRODUCER_SAME = "Người giới thiệu phải là người khác với người được giới thiệu."
ERR_SINCE = "Ngày bắt đầu cùng công tác không được sau ngày phân công."
ERR_CITIZEN_OPEN = "Số CCCD {value} đã có trong hồ sơ đang xét của {name}."
ERR_REASON = "Ghi lý do dừng xem xét."
ERR_PROPOSER = "Chọn đoàn thể hoặc tổ chức giới thiệu."
ERR_AFTER_ADMISSION = (
    "{name} đã được kết nạp: không dừng hồ sơ được; nếu không được công nhận chính thức, ghi «không công nhận»."
)
ERR_NOT_PROBATIONARY = "Chỉ ghi «không công nhận» cho đảng viên dự bị chưa được công nhận chính thức."

PROFILE = ("full_name", "birth_name", "sex", "birth_date", "ethnicity", "religion", "home_town", "birth_place",
           "residence", "citizen_id", "phone", "general_education", "qualification", "specialty")  # fmt: skip
OTHER = ("occupation", "proposed_by", "proposed_on", "course_on", "course_number", "course_issuer", "area_exception",
         "over60_consent", "over60_consent_on")  # fmt: skip

ORDER = [
    StepKind.APPLICATION,
    StepKind.VERIFICATION,
    StepKind.INTRODUCTION,
    StepKind.CELL_RESOLUTION,
    StepKind.GRASSROOTS_RESOLUTION,
    StepKind.DECISION,
    StepKind.CEREMONY,
    StepKind.MEMBER_CV,
    StepKind.RECOGNITION_RESOLUTION,
    StepKind.RECOGNITION_DECISION,
]
STAGE_AFTER = {
    StepKind.APPLICATION: Stage.APPLIED,
    StepKind.VERIFICATION: Stage.VERIFIED,
    StepKind.INTRODUCTION: Stage.INTRODUCED,
    StepKind.CELL_RESOLUTION: Stage.CELL,
    StepKind.GRASSROOTS_RESOLUTION: Stage.GRASSROOTS,
    StepKind.DECISION: Stage.DECIDED,
    StepKind.CEREMONY: Stage.ADMITTED,
    StepKind.MEMBER_CV: Stage.CV_DONE,
    StepKind.RECOGNITION_RESOLUTION: Stage.RECOGNITION_PROPOSED,
    StepKind.RECOGNITION_DECISION: Stage.RECOGNISED,
}
SIGNED = (StepKind.DECISION, StepKind.RECOGNITION_DECISION)  # a number and a signer are required


def check_may_edit(by, org: Organisation) -> None:
    msvc.check_may_edit(by, org)


def check_cell(org: Organisation) -> None:
    """Sympathisers are on a cell's list (an open one)."""
    msvc._check_cell(org, "org")


RECOGNITION_KINDS = (StepKind.RECOGNITION_RESOLUTION, StepKind.RECOGNITION_DECISION)


def handling_org(case: Case, kind: str = "") -> Organisation:
    """Who handles the case for `kind`: the cell that admitted the person, and for recognition (and its refusal)
    the member's cell now (a probationary member may have transferred)."""
    if (kind in RECOGNITION_KINDS or kind == "not_recognised") and case.member_id and case.member.org_id:
        return case.member.org
    return case.organisation


def _not_future(d, field: str, errors: dict) -> None:
    if d and d > today():
        errors.setdefault(field, ERR_FUTURE.format(today=fmt(today())))


def _snapshot(c: Case) -> dict:
    out = {f: getattr(c, f) for f in (*PROFILE, *OTHER, "stage")}
    out["organisation"] = c.organisation.code if c.organisation_id else None
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in out.items()}


def clean_case(data: dict, *, instance: Case | None = None) -> dict:
    """The person's data (the member profile's own checks) and the sympathiser's: every problem at once."""
    errors: dict[str, str] = {}
    values: dict = {}
    profile = {f: data.get(f) for f in PROFILE if f in data or instance is None}
    try:
        values.update(msvc.clean_profile(profile, partial=True, check_unique=True))
    except DomainError as e:
        errors.update(e.errors or {"__all__": e.message})
    if instance is None:
        for f in ("full_name", "birth_date", "sex"):
            if not profile.get(f) and f not in errors:
                errors[f] = ERR_REQUIRED
    values["occupation"] = clean(str(data.get("occupation") or ""))[:120]
    proposer = data.get("proposed_by") or ""
    if proposer not in Proposer.values:
        errors["proposed_by"] = ERR_PROPOSER
    values["proposed_by"] = proposer
    for f in ("proposed_on", "course_on", "over60_consent_on"):
        values[f] = data.get(f) or None
        _not_future(values[f], f, errors)
    if values["proposed_on"] is None and "proposed_on" not in errors:
        errors["proposed_on"] = ERR_REQUIRED
    for f, n in (("course_number", 40), ("course_issuer", 160), ("over60_consent", 60)):
        values[f] = clean(str(data.get(f) or ""))[:n]
    values["area_exception"] = bool(data.get("area_exception"))
    for f in PROFILE:  # the columns' sizes, as a field error (never a cut, never a database error)
        limit = Case._meta.get_field(f).max_length
        v = values.get(f)
        if limit and isinstance(v, str) and len(v) > limit and f not in errors:
            errors[f] = ERR_TOO_LONG.format(limit=limit, n=len(v))
    born = values.get("birth_date")
    if born and born < EARLIEST_BIRTH and "birth_date" not in errors:
        errors["birth_date"] = ERR_TOO_EARLY.format(date=fmt(EARLIEST_BIRTH))
    for f in ("proposed_on", "course_on", "over60_consent_on"):
        d = values.get(f)
        if d and f not in errors and (d < PARTY_FOUNDED or (born and d < born)):
            errors[f] = ERR_TOO_EARLY.format(date=fmt(max(PARTY_FOUNDED, born) if born else PARTY_FOUNDED))
    if values.get("citizen_id") and "citizen_id" not in errors:
        other = Case.objects.filter(citizen_id=values["citizen_id"], stage__in=OPEN)
        if instance is not None:
            other = other.exclude(pk=instance.pk)
        other = other.first()
        if other is not None:
            errors["citizen_id"] = ERR_CITIZEN_OPEN.format(value=values["citizen_id"], name=other.full_name)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return values


def _texts(c: Case) -> None:
    c.search_text = search_key(" ".join(p for p in (c.full_name, c.citizen_id or "", c.phone, c.residence) if p))
    c.sort_key = person_sort_key(c.full_name)


def case_create(*, by, org: Organisation, data: dict) -> Case:
    """A person put on the cell's list of sympathisers."""
    check_may_edit(by, org)
    msvc._check_cell(org, "org")
    values = clean_case(data)
    try:
        with transaction.atomic():
            lock(org)  # two clicks on one list run one after the other: the second finds the first
            if Case.objects.filter(organisation=org, full_name=values["full_name"], birth_date=values["birth_date"],
                                   stage__in=OPEN).exists():  # fmt: skip
                raise Conflict(ERR_TWICE.format(name=values["full_name"], born=fmt(values["birth_date"]),
                                                org=org.name), field="full_name")  # fmt: skip
            c = Case(organisation=org, org_path=org.path, stage=Stage.SOURCE, stage_since=values["proposed_on"],
                     created_by=by if by.is_authenticated else None, **values)  # fmt: skip
            _texts(c)
            c.save()
            audit.record(by=by, action="admission.create", obj=c, org_path=c.org_path, after=_snapshot(c))
    except IntegrityError:  # the same citizen id written by another request meanwhile
        raise Conflict(ERR_CITIZEN_OPEN.format(value=values.get("citizen_id"), name=values["full_name"]),
                       field="citizen_id") from None
    return c


def case_update(*, by, case: Case, data: dict) -> Case:
    check_may_edit(by, case.organisation)
    if case.stage not in BEFORE_ADMISSION:  # after the ceremony the person is a member: edit the profile there
        raise DomainError(ERR_CLOSED.format(name=case.full_name, stage=case.get_stage_display().lower()))
    values = clean_case({**{f: getattr(case, f) for f in (*PROFILE, *OTHER)}, **data}, instance=case)
    with transaction.atomic():
        lock(case)
        before = _snapshot(case)
        for k, v in values.items():
            setattr(case, k, v)
        _texts(case)
        case.save()
        after = _snapshot(case)
        keys = [k for k in after if before.get(k) != after.get(k)]
        audit.record(by=by, action="admission.update", obj=case, org_path=case.org_path,
                     before={k: before[k] for k in keys}, after={k: after[k] for k in keys})  # fmt: skip
    return case


# --- introducers ------------------------------------------------------------------------------------------


def grassroots_path(org: Organisation) -> str:
    """The path of the grassroots organisation `org` is or lies in (its own when none is above it)."""
    from dangvu.evaluations.services import grassroots_of

    g = grassroots_of(org)
    return g.path if g else org.path


def introducer_problems(case: Case, on: dt.date, introducers=None) -> tuple[list[str], int]:
    """(problems, how many introducers qualify on `on`): official that day, in the same grassroots organisation,
    together with the person for at least the months the rules ask."""
    p = ar.params(on)
    rows = list(introducers if introducers is not None else case.introducers.select_related("member"))
    problems, good = [], 0
    where = grassroots_path(case.organisation)
    ids = [i.member_id for i in rows]
    official = set(StatusChange.objects.filter(in_force(on), member_id__in=ids, status=Status.OFFICIAL)
                   .values_list("member_id", flat=True))  # fmt: skip
    placed = {m: path for m, path in Membership.objects.filter(in_force(on), member_id__in=ids,
                                                               kind=MembershipKind.OFFICIAL)
              .values_list("member_id", "organisation__path")}  # fmt: skip
    for i in rows:
        name = i.member.full_name
        months = msvc.months_between(i.since, on)
        if i.member_id not in official:
            problems.append(ar.ERR_INTRODUCER_NOT_OFFICIAL.format(name=name, on=fmt(on)))
        elif not (placed.get(i.member_id) or "").startswith(where):
            problems.append(ar.ERR_INTRODUCER_ELSEWHERE.format(name=name, on=fmt(on)))
        elif months < p["introducer_months"]:
            problems.append(ar.ERR_INTRODUCER_SHORT.format(name=name, since=fmt(i.since),
                                                           months=p["introducer_months"], on=fmt(on)))  # fmt: skip
        else:
            good += 1
    if good < p["introducers"]:
        problems.append(ar.ERR_INTRODUCERS.format(n=p["introducers"], have=good))
    return problems, good


def introducer_add(*, by, case: Case, member: Member, since: dt.date | None, assigned_on: dt.date | None = None
                   ) -> Introducer:  # fmt: skip
    check_may_edit(by, case.organisation)
    _check_open(case)
    if case.stage not in BEFORE_ADMISSION:
        raise DomainError(ERR_CLOSED.format(name=case.full_name, stage=case.get_stage_display().lower()))
    assigned_on = assigned_on or today()
    errors: dict = {}
    if since is None:
        errors["since"] = ERR_REQUIRED
    _not_future(assigned_on, "assigned_on", errors)
    if since and since > assigned_on:
        errors["since"] = ERR_SINCE
    if since and since < PARTY_FOUNDED:
        errors["since"] = ERR_TOO_EARLY.format(date=fmt(PARTY_FOUNDED))
    if case.member_id and case.member_id == member.pk:
        errors["member"] = ERR_INTRODUCER_SAME
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    problems, _ = introducer_problems(case, assigned_on, [Introducer(case=case, member=member, since=since)])
    own = [x for x in problems if not x.startswith(ar.ERR_INTRODUCERS.split("{")[0])]
    if own:  # official, in the same grassroots organisation, long enough: on the day of the assignment
        raise DomainError(own[0], field="member")
    with transaction.atomic():
        lock(case)
        if case.introducers.filter(member=member).exists():
            raise Conflict(ERR_INTRODUCER_TWICE.format(name=member.full_name), field="member")
        i = Introducer.objects.create(case=case, member=member, since=since, assigned_on=assigned_on)
        audit.record(by=by, action="admission.introducer_add", obj=case, org_path=case.org_path,
                     after={"member": member.pk, "name": member.full_name, "since": since.isoformat()})  # fmt: skip
    return i


def introducer_remove(*, by, introducer: Introducer) -> None:
    case = introducer.case
    check_may_edit(by, case.organisation)
    if case.stage not in (Stage.SOURCE, Stage.APPLIED, Stage.VERIFIED):
        raise DomainError(ERR_CLOSED.format(name=case.full_name, stage=case.get_stage_display().lower()))
    with transaction.atomic():
        lock(case)
        audit.record(by=by, action="admission.introducer_remove", obj=case, org_path=case.org_path,
                     before={"member": introducer.member_id, "name": introducer.member.full_name})  # fmt: skip
        introducer.delete()


# --- eligibility ------------------------------------------------------------------------------------------


def eligibility(case: Case, on: dt.date | None = None) -> list[str]:
    """Why the person may not (yet) be proposed for admission on `on` (the cell's review date), in Vietnamese;
    empty when eligible."""
    on = on or today()
    problems = ar.age_problems(case, on) + ar.education_problems(case, on) + ar.course_problems(case, on)
    return problems + introducer_problems(case, on)[0]


# --- the steps --------------------------------------------------------------------------------------------


def steps_for(case: Case) -> list[str]:
    """The steps this case goes through: without the grassroots committee's resolution where the cell is itself
    the grassroots organisation."""
    needs_grassroots = not case.organisation.type.is_grassroots
    return [k for k in ORDER if k != StepKind.GRASSROOTS_RESOLUTION or needs_grassroots]


def next_kind(case: Case, done: set[str] | None = None) -> str | None:
    done = done if done is not None else set(case.steps.values_list("kind", flat=True))
    return next((k for k in steps_for(case) if k not in done), None)


def due_of(case: Case, kind: str, steps: dict[str, Step]) -> dt.date | None:
    """The deadline the rules set for `kind`, from the steps already recorded (None when the rules set none)."""
    if kind == StepKind.DECISION and StepKind.CELL_RESOLUTION in steps:
        return ar.decision_due(steps[StepKind.CELL_RESOLUTION].done_on)
    if kind == StepKind.CEREMONY and StepKind.DECISION in steps:
        d = steps[StepKind.DECISION]
        return ar.ceremony_due(d.received_on or d.done_on)
    if kind == StepKind.MEMBER_CV and StepKind.CEREMONY in steps:
        return ar.member_cv_due(steps[StepKind.CEREMONY].done_on)
    if kind == StepKind.RECOGNITION_RESOLUTION and StepKind.CEREMONY in steps:
        return ar.recognition_due(steps[StepKind.CEREMONY].done_on)
    return None


DUE_RULES = {  # the rule a deadline comes from, in the words of the case page (its parameter from the version)
    StepKind.DECISION: ("decision_within_working_days", "{n} ngày làm việc từ nghị quyết của chi bộ"),
    StepKind.CEREMONY: ("ceremony_within_working_days", "{n} ngày làm việc từ khi nhận quyết định kết nạp"),
    StepKind.MEMBER_CV: ("member_cv_within_working_days", "{n} ngày làm việc từ lễ kết nạp"),
    StepKind.RECOGNITION_RESOLUTION: ("recognition_within_working_days",
                                      "{n} ngày làm việc sau khi hết thời hạn dự bị"),
}  # fmt: skip


def due_rule(kind: str, on: dt.date) -> str:
    """The rule behind the deadline of `kind`, with the figure of the version in force on `on`."""
    if kind not in DUE_RULES:
        return ""
    key, text = DUE_RULES[StepKind(kind)]
    return text.format(n=ar.params(on)[key])


@dataclass
class StepData:
    done_on: dt.date | None = None
    number: str = ""
    signer: str = ""
    note: str = ""
    received_on: dt.date | None = None
    vote: Vote | None = None  # a cell's resolution
    votes_for: int | None = None  # a committee's resolution
    votes_base: int | None = None


def _check_open(case: Case) -> None:
    if not case.open:
        raise Conflict(ERR_CLOSED.format(name=case.full_name, stage=case.get_stage_display().lower()))


def _check_vote(case: Case, vote: Vote | None, on: dt.date, kind: str, org: Organisation) -> Vote:
    msg = ERR_VOTE if kind == VoteKind.ADMISSION else ERR_VOTE_RECOGNITION
    if (vote is None or vote.kind != kind or vote.meeting.organisation_id != org.pk or vote.meeting.date != on
            or vote.meeting.body != Body.MEMBERS):  # the cell's own meeting, never its committee's  # fmt: skip
        raise DomainError(msg, field="vote")
    other = Step.objects.filter(vote=vote).exclude(case=case).select_related("case").first()
    if other is not None:
        raise DomainError(ERR_VOTE_USED.format(subject=vote.subject, name=other.case.full_name), field="vote")
    if not vote.passed:
        raise DomainError(ERR_VOTE_FAILED.format(subject=vote.subject, votes_for=vote.votes_for, base=vote.base,
                                                 required=vote.required), field="vote")  # fmt: skip
    return vote


def votes_offered(by, case: Case, kind: str):
    """The passed votes of that kind, in the user's scope, in the meetings of the case's cell (for recognition,
    of the member's cell now) not yet used for another case: the form's choice."""
    from dangvu.accounts.selectors import scope_q

    step = StepKind.RECOGNITION_RESOLUTION if kind == VoteKind.RECOGNITION else StepKind.CELL_RESOLUTION
    org = handling_org(case, step)
    used = Step.objects.filter(vote__isnull=False).exclude(case=case).values("vote_id")
    return (Vote.objects.filter(scope_q(by, "meeting__org_path"), kind=kind, passed=True, meeting__organisation=org,
                                meeting__body=Body.MEMBERS)
            .exclude(pk__in=used).select_related("meeting").order_by("-meeting__date", "-pk"))  # fmt: skip


def step_record(*, by, case: Case, kind: str, data: StepData) -> Step:
    """Record the next step of the case (and only the next), checked by the rules in force on its date."""
    if kind not in StepKind.values:
        raise DomainError(ERR_REQUIRED, field="kind")
    check_may_edit(by, handling_org(case, kind))
    with transaction.atomic():
        lock(case)
        _check_open(case)
        steps = {s.kind: s for s in case.steps.all()}
        expected = next_kind(case, set(steps))
        if expected is None:
            raise Conflict(ERR_DONE)
        if kind != expected:
            raise Conflict(ERR_ORDER.format(next=StepKind(expected).label, kind=StepKind(kind).label), field="kind")
        step = _checked_step(case, kind, data, steps)
        step.save()
        case.stage, case.stage_since = STAGE_AFTER[StepKind(kind)], step.done_on
        steps[kind] = step
        _set_next(case, steps)
        if kind == StepKind.CEREMONY:
            case.member = _admit(by, case, steps[StepKind.DECISION], step)
        elif kind == StepKind.RECOGNITION_DECISION:
            ceremony = steps[StepKind.CEREMONY].done_on
            msvc.member_recognise(by=by, member=case.member, on=ar.probation_ends(ceremony), decision_number=step.number)
        case.save()
        audit.record(by=by, action="admission.step", obj=case, org_path=case.org_path,
                     after={"kind": kind, "done_on": step.done_on.isoformat(), "number": step.number,
                            "due_on": step.due_on.isoformat() if step.due_on else None, "late": step.late,
                            "stage": case.stage})  # fmt: skip
    return step


def _set_next(case: Case, steps: dict[str, Step]) -> None:
    nxt = next_kind(case, set(steps)) if case.stage not in (Stage.ENDED, Stage.NOT_RECOGNISED) else None
    case.next_step = nxt or ""
    case.next_due = due_of(case, nxt, steps) if nxt else None


def _checked_step(case: Case, kind: str, data: StepData, steps: dict[str, Step]) -> Step:
    errors: dict = {}
    on = data.done_on
    if on is None:
        errors["done_on"] = ERR_REQUIRED
    _not_future(on, "done_on", errors)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    if on < case.proposed_on:
        raise DomainError(ERR_TOO_EARLY.format(date=fmt(case.proposed_on)), field="done_on")
    previous = [steps[k] for k in ORDER if k in steps]
    if previous and on < previous[-1].done_on:
        raise DomainError(ERR_BEFORE_PREVIOUS.format(date=fmt(on), prev=previous[-1].get_kind_display(),
                                                     prev_on=fmt(previous[-1].done_on)), field="done_on")  # fmt: skip
    number = clean(data.number)[:40]
    if kind in SIGNED:
        try:
            number = normalise_decision_number(number)
        except DomainError as e:
            raise DomainError(e.message, field="number") from None
        if not clean(data.signer):
            raise DomainError(ERR_REQUIRED, field="signer")
    step = Step(case=case, kind=kind, done_on=on, number=number, signer=clean(data.signer)[:120],
                note=(data.note or "").strip(), rules_from=ar.version(on))  # fmt: skip
    if kind == StepKind.CELL_RESOLUTION:
        why = eligibility(case, on)
        if why:
            raise DomainError(ERR_NOT_ELIGIBLE.format(on=fmt(on), why=" ".join(why)), field="done_on")
        step.vote = _check_vote(case, data.vote, on, VoteKind.ADMISSION, case.organisation)
        step.votes_for, step.votes_base = step.vote.votes_for, step.vote.base
        if not step.number:
            issued = step.vote.meeting.numbers.filter(doc_type="NQ").first()
            step.number = issued.symbol if issued else ""
    elif kind == StepKind.GRASSROOTS_RESOLUTION:
        if data.votes_for is None or not data.votes_base:
            raise DomainError(ERR_REQUIRED, field="votes_for" if data.votes_for is None else "votes_base")
        if data.votes_for > data.votes_base:
            raise DomainError(ERR_VOTES_MORE, field="votes_for")
        from dangvu.core import rules

        required, passed = vote_result("admission", data.votes_for, data.votes_base,
                                       rules.params("meetings.voting", on))  # fmt: skip
        if not passed:
            raise DomainError(ERR_VOTES_LOW.format(required=required, base=data.votes_base,
                                                   votes_for=data.votes_for), field="votes_for")  # fmt: skip
        step.votes_for, step.votes_base = data.votes_for, data.votes_base
    elif kind == StepKind.DECISION:
        step.received_on = data.received_on or on
        if step.received_on < on:
            raise DomainError(ERR_RECEIVED.format(date=fmt(on)), field="received_on")
        _not_future(step.received_on, "received_on", errors)
    elif kind == StepKind.RECOGNITION_RESOLUTION:
        ceremony = steps[StepKind.CEREMONY].done_on
        end = ar.probation_ends(ceremony)
        if on < end:
            raise DomainError(ERR_TOO_EARLY_RECOGNITION.format(ceremony=fmt(ceremony), end=fmt(end)), field="done_on")
        course = new_member_course(case.member, ceremony, on)
        if ar.params(on).get("new_member_course", True) and course is None:
            raise DomainError(ERR_NO_COURSE.format(name=case.full_name, ceremony=fmt(ceremony)), field="done_on")
        step.vote = _check_vote(case, data.vote, on, VoteKind.RECOGNITION, case.member.org)
        step.votes_for, step.votes_base = step.vote.votes_for, step.vote.base
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    step.due_on = due_of(case, kind, steps)
    return step


def new_member_course(member: Member, ceremony: dt.date, on: dt.date):
    """The new members' course the member completed between the ceremony and `on` (a training line of the CV)."""
    return (member.entries.filter(kind=EntryKind.TRAINING, course=Course.NEW_MEMBER, end__isnull=False,
                                  end__gte=ceremony, end__lte=on).order_by("end").first())  # fmt: skip


def _admit(by, case: Case, decision: Step, ceremony: Step) -> Member:
    """The member the ceremony makes: probationary, Party age from the decision's date, in the cell from the
    ceremony (through the member services: the same checks, the same history, the same audit)."""
    data = {f: getattr(case, f) for f in PROFILE}
    data.update(occupation=case.occupation, occupation_before=case.occupation, admitted_on=decision.done_on)
    place = msvc.Placement(case.organisation, joined_on=ceremony.done_on, reason=Reason.ADMITTED)
    return msvc.member_create(by=by, place=place, data=data)


def case_end(*, by, case: Case, on: dt.date | None, reason: str) -> Case:
    """A refusal or a withdrawal before admission: the case ends with its reason (kept, not deleted)."""
    check_may_edit(by, case.organisation)
    if not clean(reason):
        raise DomainError(ERR_REASON, field="reason")
    on = on or today()
    errors: dict = {}
    _not_future(on, "on", errors)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        lock(case)
        _check_open(case)
        if case.stage not in BEFORE_ADMISSION:
            raise Conflict(ERR_AFTER_ADMISSION.format(name=case.full_name), field="reason")
        before = case.stage
        case.stage, case.stage_since, case.ended_reason = Stage.ENDED, on, clean(reason)[:500]
        case.next_step, case.next_due = "", None
        case.save()
        audit.record(by=by, action="admission.end", obj=case, org_path=case.org_path,
                     before={"stage": before}, after={"stage": case.stage, "reason": case.ended_reason})  # fmt: skip
    return case


def not_recognised(*, by, case: Case, on: dt.date | None, reason: str, number: str = "") -> Case:
    """The probationary member is not recognised: struck off the register with the reason (the rules' course)."""
    check_may_edit(by, handling_org(case, "not_recognised"))
    if not clean(reason):
        raise DomainError(ERR_REASON, field="reason")
    on = on or today()
    with transaction.atomic():
        lock(case)
        _check_open(case)
        if case.member_id is None or case.member.status != Status.PROBATIONARY:
            raise Conflict(ERR_NOT_PROBATIONARY, field="reason")
        msvc.member_leave(by=by, member=case.member, status=Status.STRUCK_OFF, on=on, reason=clean(reason),
                          decision_number=clean(number))  # fmt: skip
        case.stage, case.stage_since, case.ended_reason = Stage.NOT_RECOGNISED, on, clean(reason)[:500]
        case.next_step, case.next_due = "", None
        case.save()
        audit.record(by=by, action="admission.not_recognised", obj=case, org_path=case.org_path,
                     after={"reason": case.ended_reason, "member": case.member_id})  # fmt: skip
    return case


# --- papers -----------------------------------------------------------------------------------------------


def file_add(*, by, case: Case, upload, title: str = "", kind: str = "", paper: str = "") -> CaseFile:
    """A paper of the case, checked by its content (PDF, Word, a scan). Naming which paper it is (`paper`, a code
    of PAPERS) ticks it on the checklist."""
    check_may_edit(by, case.organisation)
    if upload is None:
        raise DomainError(ERR_REQUIRED, field="file")
    if kind and kind not in StepKind.values:
        raise DomainError(ERR_REQUIRED, field="kind")
    papers = {code: (title, step) for code, title, step, _ in PAPERS}
    if paper and paper not in papers:
        raise DomainError(ERR_PAPER, field="paper")
    if paper:
        kind, title = papers[paper][1], clean(title) or papers[paper][0]
    checked = check_upload(upload, ("pdf", "docx", "jpeg", "png"))
    with transaction.atomic():
        lock(case)
        same = case.files.filter(sha256=checked.sha256).first()
        if same is not None:  # a double click, or the same scan twice
            raise Conflict(ERR_FILE_TWICE.format(title=same.title), field="file")
        f = CaseFile(case=case, kind=kind, paper=paper, title=(clean(title) or upload.name)[:255], size=checked.size,
                     sha256=checked.sha256, uploaded_at=timezone.now(),
                     uploaded_by=by if by.is_authenticated else None)  # fmt: skip
        f.file.save(f"{checked.sha256[:16]}.{checked.kind}", upload, save=False)
        f.save()
        audit.record(by=by, action="admission.file", obj=case, org_path=case.org_path,
                     after={"title": f.title, "kind": kind, "paper": paper, "sha256": f.sha256,
                            "size": f.size})  # fmt: skip
    return f


@dataclass
class Paper:
    code: str
    title: str
    optional: bool
    present: bool


def checklist(case: Case) -> tuple[list[Paper], int]:
    """The papers the steps recorded so far call for (and those of the next step, to prepare), each present or
    not; and how many required ones are missing (0: the file is complete so far)."""
    steps = set(case.steps.values_list("kind", flat=True))
    applies = set(steps_for(case))
    nxt = next_kind(case, steps) if case.open else None
    have = set(case.files.exclude(paper="").values_list("paper", flat=True))
    out = [Paper(code, title, optional, code in have) for code, title, step, optional in PAPERS
           if step in applies and (step in steps or step == nxt)]  # fmt: skip
    missing = sum(1 for p in out if not p.present and not p.optional
                  and next(s for c, _, s, _ in PAPERS if c == p.code) in steps)  # fmt: skip
    return out, missing


# --- a restructure carries the open cases along (organizations.holdings) -----------------------------------


class CasesHolding(NothingToShow):
    label = "hồ sơ phát triển đảng viên"
    field = "admission"

    def _open(self, org):
        return Case.objects.filter(organisation=org, stage__in=OPEN)

    def count(self, org) -> int:
        return self._open(org).count()

    def items(self, org) -> list[tuple[int, str]]:
        return [(c.pk, f"{c.full_name} (hồ sơ kết nạp)") for c in self._open(org).order_by("sort_key")]

    def refuse_target(self, target_type, target_label: str) -> str | None:
        from dangvu.organizations.models import OrgKind

        if target_type.kind != OrgKind.CELL:
            return f"{target_label} không phải chi bộ: không nhận hồ sơ phát triển đảng viên."
        return None

    def move(self, source, target_for, when: dt.date, event, reason: str) -> int:
        n = 0
        for c in self._open(source):
            target = target_for(c.pk)
            Case.objects.filter(pk=c.pk).update(organisation=target, org_path=target.path)
            audit.record(by=event.recorded_by, action=f"admission.{reason}", obj=c, org_path=target.path,
                         before={"organisation": source.code}, after={"organisation": target.code,
                                                                       "event": event.pk})  # fmt: skip
            n += 1
        return n



# --- stored deadlines judged again (core.recompute and the working-day calendar's hook) -------------------


def rejudge(case: Case, *, save: bool = True) -> list[tuple[str, object, object]]:
    """Set each step's deadline, rules' version and the case's next deadline as the rules and the calendar give
    them now; the changes as (field, old, new). Steps are saved here (unless `save` is false); the caller saves
    the case's `next_step` and `next_due`."""
    steps = {s.kind: s for s in case.steps.all()}
    changes, done = [], {}
    for kind in ORDER:
        if kind not in steps:
            continue
        s = steps[kind]
        due, version = due_of(case, kind, done), ar.version(s.done_on)
        if (due, version) != (s.due_on, s.rules_from):
            changes.append((f"{kind}.due_on", s.due_on, due))
            s.due_on, s.rules_from = due, version
            if save:
                s.save(update_fields=["due_on", "rules_from"])
        done[kind] = s
    before = (case.next_step, case.next_due)
    _set_next(case, steps)
    if (case.next_step, case.next_due) != before:
        changes.append(("next_due", before[1], case.next_due))
    return changes


def recompute_deadlines(dates: set[dt.date]) -> int:
    """The working-day calendar changed on these days: the open cases whose deadlines count across them."""
    lo = min(dates)
    n = 0
    touched = Case.objects.filter(Q(next_due__gte=lo) | Q(steps__due_on__gte=lo), stage__in=OPEN).distinct()
    for case in touched.select_related("organisation__type"):
        if rejudge(case):
            Case.objects.filter(pk=case.pk).update(next_step=case.next_step, next_due=case.next_due)
            n += 1
    return n
