"""Registration, commitments and the review workflow. Every change checks the user's role on the tree, runs in
one transaction and writes the audit log.

Who does what (rules.md §2.4, HD 43):
- the organisation itself (its secretary or an officer: EDIT_ROLES on it) registers goals, records its members'
  commitments and self-reviews, submits them, and records the cell's (or the collective's) review and vote;
- a member's level is decided by the grassroots organisation the member counts in (DECISION_ROLES on it);
- an organisation's level is decided by the standing committee of the immediately superior level (DECISION_ROLES
  on the parent: a role on the organisation itself does not let it decide its own level).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from dangvu.accounts.models import DECISION_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import audit, rules
from dangvu.core.dates import fmt, today
from dangvu.core.errors import Conflict, DomainError, NotFound
from dangvu.core.text import clean
from dangvu.core.tree import ancestor_paths
from dangvu.inspection.selectors import member_disciplines_in
from dangvu.members.models import Member, Membership, Seat
from dangvu.members.services import check_may_edit
from dangvu.organizations.models import Organisation
from dangvu.organizations.services import Forbidden

from . import rules as lv
from . import selectors as sel
from .models import (
    MEMBER_FORMS,
    Commitment,
    Decision,
    Form,
    Level,
    Period,
    Registration,
    Review,
    State,
    Subject,
)

ERR_REQUIRED = "Trường này là bắt buộc."
ERR_YEAR = "Năm phải từ 2000 đến {max}."
ERR_PERIOD = "Kỳ kiểm điểm phải là cả năm hoặc một quý (Q1–Q4)."
ERR_ORG_PERIOD = "«{org}» không hoạt động trong {period}."
ERR_NOT_MEMBER = "«{name}» không sinh hoạt đảng trong {period} ({start}–{end}); không thể kiểm điểm."
ERR_TAKEN = "Đã có bản kiểm điểm {period} của «{name}»."
ERR_FORM = "Mẫu «{form}» không dùng cho {what} theo quy định áp dụng từ {since}."
ERR_STATE = "Bản kiểm điểm đang ở bước «{state}»; không thể {action}."
ERR_STATE_CHANGED = (
    "Bản kiểm điểm vừa chuyển sang bước «{state}» (có thể do bấm hai lần hoặc ở tab khác); thao tác không được ghi."
)
ERR_DECIDED_ALREADY = "Mức xếp loại của «{name}» đã được quyết định theo số {number} (có thể do bấm hai lần); không ghi lại."
ERR_VOTES = "Số phiếu đồng ý không thể lớn hơn số đảng viên biểu quyết."
ERR_VOTES_LOW = (
    "Mức đề xuất chỉ được thông qua khi quá nửa số đảng viên biểu quyết tán thành ({votes}/{base})."
)
ERR_NOT_DECIDER = "Chỉ cấp ủy «{org}» (cán bộ tổ chức, quản trị) được quyết định xếp loại «{name}»."
ERR_NO_SUPERIOR = "«{name}» không có cấp trên trực tiếp trong hệ thống để quyết định xếp loại."
ERR_NUMBER = "Ghi số quyết định (vd: 125-QĐ/ĐU)."
ERR_NEW_NUMBER = "Quyết định thay đổi phải có số mới, khác quyết định {number}."
ERR_REASON = "Thay đổi kết quả đã quyết định phải ghi lý do."
ERR_DATE_FUTURE = "Ngày không được sau hôm nay ({today})."
ERR_DATE_BEFORE = "Ngày quyết định không được trước ngày chi bộ kiểm điểm ({date})."
ERR_QUOTA = (
    "«{org}»: {excellent} đảng viên HTXSNV vượt tỷ lệ cho phép (không quá {pct}% của {base} đảng viên HTTNV, "
    "tức tối đa {cap}) trong {period}."
)
ERR_NOT_OPEN = "«{org}» đã chấm dứt hoạt động; không ghi thêm."


def check_year(year) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise DomainError(ERR_YEAR.format(max=today().year + 1), field="year") from None
    if not 2000 <= y <= today().year + 1:
        raise DomainError(ERR_YEAR.format(max=today().year + 1), field="year")
    return y


def check_period(period) -> str:
    period = period or Period.YEAR
    if period not in Period.values:
        raise DomainError(ERR_PERIOD, field="period")
    return period


def period_text(year: int, period: str) -> str:
    return f"năm {year}" if period == Period.YEAR else f"{Period(period).label.lower()} năm {year}"


def _level(value, field: str, *, required: bool = True) -> str:
    if not value:
        if required:
            raise DomainError(lv.ERR_LEVEL_REQUIRED, field=field)
        return ""
    if value not in Level.values:
        raise DomainError(lv.ERR_LEVEL_REQUIRED, field=field)
    return value


def _count(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise DomainError("Phải là một số nguyên không âm.", field=field) from None
    if n < 0 or n > 1000:
        raise DomainError("Phải là một số nguyên từ 0 đến 1000.", field=field)
    return n


def _date(value, field: str) -> dt.date:
    d = value or today()
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d)
        except ValueError:
            raise DomainError("Ngày không hợp lệ.", field=field) from None
    if d > today():
        raise DomainError(ERR_DATE_FUTURE.format(today=fmt(today())), field=field)
    return d


def grassroots_of(org: Organisation) -> Organisation | None:
    """The grassroots organisation `org` is, or lies in (the nearest such ancestor)."""
    return (
        Organisation.objects.filter(path__in=[*ancestor_paths(org.path), org.path], type__is_grassroots=True)
        .order_by("-path")
        .first()
    )


def membership_in(member: Member, start: dt.date, end: dt.date) -> Membership | None:
    """The member's last official stay overlapping [start, end]."""
    return (
        Membership.objects.filter(sel.stays_q(start, end), member=member)
        .select_related("organisation__type")
        .order_by("-valid_from")
        .first()
    )


def disciplined(review: Review) -> int:
    """Discipline decided in the period: the member (0/1), or members who belonged to the organisation's subtree."""
    start, end = lv.period_bounds(review.year, review.period)
    if review.subject == Subject.MEMBER:
        return int(member_disciplines_in(start, end).filter(subject_member_id=review.member_id).exists())
    return sel.disciplined_count(review.org_path, start, end)


# --- registration and commitments ---------------------------------------------------------------------------


def registration_save(
    *, by, org: Organisation, year, target_level, goals: str, registered_on=None, admissions_target=None
) -> Registration:
    check_may_edit(by, org)
    year = check_year(year)
    if org.closed_on is not None:
        raise DomainError(ERR_NOT_OPEN.format(org=org.name), field="org")
    target_level = _level(target_level, "target_level")
    goals = (goals or "").strip()
    if not goals:
        raise DomainError(ERR_REQUIRED, field="goals")
    on = _date(registered_on, "registered_on")
    target = _count(admissions_target, "admissions_target") if admissions_target not in (None, "") else None
    with transaction.atomic():
        reg = Registration.objects.select_for_update().filter(organisation=org, year=year).first()
        before = ({"target_level": reg.target_level, "goals": reg.goals, "admissions_target": reg.admissions_target}
                  if reg else None)  # fmt: skip
        if reg is None:
            reg = Registration(organisation=org, org_path=org.path, year=year)
        reg.target_level, reg.goals, reg.registered_on, reg.by = target_level, goals, on, by
        reg.admissions_target = target
        reg.save()
        audit.record(by=by, action="evaluations.registration", obj=reg, org_path=org.path, before=before,
                     after={"year": year, "target_level": target_level, "goals": goals,
                            "admissions_target": target})  # fmt: skip
    return reg


def commitment_save(*, by, member: Member, year, target_level, content: str, submitted_on=None) -> Commitment:
    year = check_year(year)
    stay = membership_in(member, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if stay is None:
        # out of the user's scope or not a member that year: the same answer as an unknown member
        if not covers(by, member.org_path or "-"):
            raise NotFound(member.pk)
        raise DomainError(
            ERR_NOT_MEMBER.format(name=member.full_name, period=f"năm {year}", start=f"01/01/{year}",
                                  end=f"31/12/{year}"),
            field="member",
        )  # fmt: skip
    org = stay.organisation
    check_may_edit(by, org)
    target_level = _level(target_level, "target_level")
    content = (content or "").strip()
    if not content:
        raise DomainError(ERR_REQUIRED, field="content")
    on = _date(submitted_on, "submitted_on")
    with transaction.atomic():
        c = Commitment.objects.select_for_update().filter(member=member, year=year).first()
        before = {"target_level": c.target_level, "content": c.content} if c else None
        if c is None:
            c = Commitment(member=member, year=year)
        c.organisation, c.org_path = org, org.path
        c.target_level, c.content, c.submitted_on, c.by = target_level, content, on, by
        c.save()
        audit.record(by=by, action="evaluations.commitment", obj=c, org_path=org.path, before=before,
                     after={"year": year, "target_level": target_level, "member": member.pk})  # fmt: skip
    return c


# --- the review ---------------------------------------------------------------------------------------------


def default_form(member: Member, org: Organisation, start: dt.date, end: dt.date, p: dict) -> str:
    """2B for a member who held a leadership seat in the period; 2C (where the rules have it) for a member of a
    residential cell, outside the political system; 2A otherwise. The secretary may change it in the draft."""
    held_seat = Seat.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start), member=member, valid_from__lte=end
    ).exists()
    if held_seat:
        return Form.POST
    if "2C" in p["member_forms"] and org.type.code in p.get("outside_org_types", []):
        return Form.OUTSIDE
    return Form.NO_POST


def _check_form(form: str, subject: str, since: dt.date, p: dict) -> str:
    allowed = [Form.COLLECTIVE] if subject == Subject.ORGANISATION else p["member_forms"]
    if form not in allowed:
        what = "tổ chức đảng" if subject == Subject.ORGANISATION else "đảng viên"
        raise DomainError(ERR_FORM.format(form=form, what=what, since=fmt(since)), field="form")
    return form


def review_open(*, by, year, period="Y", member: Member | None = None, org: Organisation | None = None,
                form: str = "") -> Review:  # fmt: skip
    year, period = check_year(year), check_period(period)
    start, end = lv.period_bounds(year, period)
    since, p = lv.in_force(year, period)
    if member is not None:
        stay = membership_in(member, start, end)
        if stay is None:
            if not covers(by, member.org_path or "-"):
                raise NotFound(member.pk)
            raise DomainError(ERR_NOT_MEMBER.format(name=member.full_name, period=period_text(year, period),
                                                    start=fmt(start), end=fmt(end)), field="member")  # fmt: skip
        where, subject, name = stay.organisation, Subject.MEMBER, member.full_name
        check_may_edit(by, where)
        form = _check_form(form or default_form(member, where, start, end, p), subject, since, p)
    else:
        if org is None:
            raise DomainError(ERR_REQUIRED, field="org")
        check_may_edit(by, org)
        if org.established_on > end or (org.closed_on is not None and org.closed_on < start):
            raise DomainError(
                ERR_ORG_PERIOD.format(org=org.name, period=period_text(year, period)), field="org"
            )
        where, subject, name = org, Subject.ORGANISATION, org.name
        form = _check_form(form or Form.COLLECTIVE, subject, since, p)
    r = Review(
        subject=subject, member=member, organisation=where, org_path=where.path, grassroots=grassroots_of(where),
        year=year, period=period, form=form, rules_from=since,
    )  # fmt: skip
    try:
        with transaction.atomic():
            r.save()
            audit.record(by=by, action="evaluations.open", obj=r, org_path=where.path,
                         after={"year": year, "period": period, "form": form, "subject": subject})  # fmt: skip
    except IntegrityError:
        field = "member" if member is not None else "org"
        raise Conflict(
            ERR_TAKEN.format(period=period_text(year, period), name=name), field=field
        ) from None
    return r


def _state(review: Review, allowed, action: str) -> None:
    if review.state not in allowed:
        raise Conflict(ERR_STATE.format(state=review.get_state_display(), action=action))


def _snapshot(r: Review) -> dict:
    return {
        "state": r.state,
        "form": r.form,
        "self_score": str(r.self_score) if r.self_score is not None else None,
        "self_level": r.self_level,
        "cell_score": str(r.cell_score) if r.cell_score is not None else None,
        "cell_level": r.cell_level,
        "score": str(r.score) if r.score is not None else None,
        "level": r.level,
    }


def _save(by, r: Review, action: str, before: dict, extra: dict | None = None) -> Review:
    """Inside the caller's transaction: lock the row and write, unless its state moved since the caller checked
    it (a double click, a second tab, another person: Conflict, nothing written)."""
    now = Review.objects.select_for_update(of=("self",)).filter(pk=r.pk).values_list("state", flat=True).first()
    if now != before["state"]:
        raise Conflict(ERR_STATE_CHANGED.format(state=State(now).label if now else "—"))
    r.save()
    after = _snapshot(r)
    if extra:
        after.update(extra)
    audit.record(
        by=by, action=f"evaluations.{action}", obj=r, org_path=r.org_path, before=before, after=after
    )
    return r


def _rules(r: Review) -> tuple[dt.date, dict]:
    since, p = lv.in_force(r.year, r.period)
    r.rules_from = since
    return since, p


@dataclass
class SelfReview:
    form: str = ""
    tasks_total: int | str | None = None
    tasks_exceeded: int | str | None = None
    strengths: str = ""
    shortcomings: str = ""
    remedies: str = ""
    self_score: object = None
    self_level: str = ""


def review_self(*, by, review: Review, data: SelfReview) -> Review:
    """Save the self-review (draft). The score and level are checked against the rules whenever a level is given."""
    check_may_edit(by, review.organisation)
    _state(review, [State.DRAFT], "sửa bản tự kiểm điểm")
    since, p = _rules(review)
    before = _snapshot(review)
    if data.form:
        review.form = _check_form(data.form, review.subject, since, p)
    review.tasks_total = _count(data.tasks_total, "tasks_total")
    review.tasks_exceeded = _count(data.tasks_exceeded, "tasks_exceeded")
    review.strengths, review.shortcomings = clean(data.strengths), clean(data.shortcomings)
    review.remedies = clean(data.remedies)
    review.self_score = lv.parse_score(data.self_score, "self_score")
    review.self_level = _level(data.self_level, "self_level", required=False)
    if review.tasks_total is not None and (review.tasks_exceeded or 0) > review.tasks_total:
        raise DomainError(lv.ERR_TASKS, field="tasks_exceeded")
    if review.self_level:
        _judge(review, since, p, review.self_score, review.self_level, "self_score", "self_level")
    with transaction.atomic():
        return _save(by, review, "self_review", before)


def _judge(r: Review, since, p, score, level, score_field, level_field):
    return lv.check(since, p, subject=r.subject, score=score, level=level, tasks_total=r.tasks_total,
                    tasks_exceeded=r.tasks_exceeded, disciplined=disciplined(r), score_field=score_field,
                    level_field=level_field)  # fmt: skip


def review_submit(*, by, review: Review, on=None) -> Review:
    check_may_edit(by, review.organisation)
    _state(review, [State.DRAFT], "nộp")
    since, p = _rules(review)
    _judge(review, since, p, review.self_score, review.self_level, "self_score", "self_level")
    before = _snapshot(review)
    review.state, review.submitted_on = State.SUBMITTED, _date(on, "submitted_on")
    with transaction.atomic():
        return _save(by, review, "submit", before)


def review_return(*, by, review: Review, reason: str) -> Review:
    """Send a submitted self-review back to draft, with the reason."""
    check_may_edit(by, review.organisation)
    _state(review, [State.SUBMITTED], "trả lại")
    reason = clean(reason)
    if not reason:
        raise DomainError(ERR_REASON.replace("Thay đổi kết quả đã quyết định", "Trả lại"), field="reason")
    before = _snapshot(review)
    review.state = State.DRAFT
    with transaction.atomic():
        return _save(by, review, "return", before, {"reason": reason})


@dataclass
class Assessment:
    cell_score: object = None
    cell_level: str = ""
    cell_comment: str = ""
    votes_for: int | str | None = None
    votes_base: int | str | None = None
    reviewed_on: dt.date | str | None = None


def review_assess(*, by, review: Review, data: Assessment) -> Review:
    """The cell's (for an organisation: the collective's) review: score, proposed level and the vote on it."""
    check_may_edit(by, review.organisation)
    _state(review, [State.SUBMITTED], "ghi kết quả kiểm điểm")
    since, p = _rules(review)
    score = lv.parse_score(data.cell_score, "cell_score")
    level = _level(data.cell_level, "cell_level")
    _judge(review, since, p, score, level, "cell_score", "cell_level")
    votes_for, base = _count(data.votes_for, "votes_for"), _count(data.votes_base, "votes_base")
    if votes_for is None:
        raise DomainError(ERR_REQUIRED, field="votes_for")
    if not base:
        raise DomainError(ERR_REQUIRED, field="votes_base")
    if votes_for > base:
        raise DomainError(ERR_VOTES, field="votes_for")
    num, den, strict = rules.params("meetings.voting", review.submitted_on or today())["ordinary"]
    if not (votes_for * den > num * base if strict else votes_for * den >= num * base):
        raise DomainError(ERR_VOTES_LOW.format(votes=votes_for, base=base), field="votes_for")
    on = _date(data.reviewed_on, "reviewed_on")
    before = _snapshot(review)
    review.cell_score, review.cell_level, review.cell_comment = score, level, clean(data.cell_comment)
    review.votes_for, review.votes_base, review.reviewed_on = votes_for, base, on
    review.state = State.REVIEWED
    if review.subject == Subject.ORGANISATION:
        review.facts = sel.org_facts(review.organisation, review.year, review.period)
    with transaction.atomic():
        return _save(by, review, "assess", before)


# --- the decision -------------------------------------------------------------------------------------------


def decider(review: Review) -> Organisation | None:
    """The organisation whose committee decides the level."""
    if review.subject == Subject.MEMBER:
        return review.grassroots or review.organisation
    return review.organisation.parent


def may_decide(by, review: Review) -> bool:
    d = decider(review)
    return d is not None and covers(by, d.path, DECISION_ROLES)


def check_may_decide(by, review: Review) -> None:
    if not covers(by, review.org_path):
        raise NotFound(review.pk)
    d = decider(review)
    if d is None:
        raise Forbidden(ERR_NO_SUPERIOR.format(name=review.subject_name))
    if not covers(by, d.path, DECISION_ROLES):
        raise Forbidden(ERR_NOT_DECIDER.format(org=d.name, name=review.subject_name))


@dataclass
class Verdict:
    review: Review
    level: str
    score: object = None  # defaults to the cell's score


def review_decide(
    *, by, verdicts: list[Verdict], number: str, decided_on=None, reason: str = ""
) -> list[Review]:
    """Decide the levels of reviews in one recorded decision, all or nothing. A review already decided gets a
    new decision (with its own number and a reason) that replaces the previous one, which is kept. The cap on
    "excellent" is checked for every grassroots organisation the decision touches, after it."""
    number = clean(number)
    if not number:
        raise DomainError(ERR_NUMBER, field="number")
    on = _date(decided_on, "decided_on")
    reason = clean(reason)
    done = []
    with transaction.atomic():
        # the grassroots organisations first (the cap is counted per organisation: two decisions touching the same
        # one run one after the other), then the reviews, each in primary-key order (no deadlock between two)
        gr = {v.review.grassroots_id for v in verdicts if v.review.grassroots_id}
        list(Organisation.objects.select_for_update().filter(pk__in=gr).order_by("pk").values_list("pk"))
        for v in sorted(verdicts, key=lambda v: v.review.pk):
            r = (
                Review.objects.select_for_update(of=("self",))  # the joined rows may be NULL (PostgreSQL)
                .select_related("organisation__parent", "grassroots", "member")
                .get(pk=v.review.pk)
            )
            check_may_decide(by, r)
            _state(r, [State.REVIEWED, State.DECIDED], "quyết định xếp loại")
            previous = (
                r.decisions.order_by("-created_at", "-pk").first() if r.state == State.DECIDED else None
            )
            if previous is not None and previous.number == number and previous.level == _level(v.level, "level"):
                raise Conflict(ERR_DECIDED_ALREADY.format(name=r.subject_name, number=number))
            if previous is not None:
                if not reason:
                    raise DomainError(ERR_REASON, field="reason")
                if number == previous.number:
                    raise DomainError(ERR_NEW_NUMBER.format(number=previous.number), field="number")
            if r.reviewed_on and on < r.reviewed_on:
                raise DomainError(ERR_DATE_BEFORE.format(date=fmt(r.reviewed_on)), field="decided_on")
            since, p = _rules(r)
            score = lv.parse_score(v.score, "score") if v.score not in (None, "") else r.cell_score
            level = _level(v.level, "level")
            _judge(r, since, p, score, level, "score", "level")
            before = _snapshot(r)
            Decision.objects.create(review=r, level=level, score=score, number=number, decided_on=on,
                                    reason=reason if previous else "", replaces=previous, by=by)  # fmt: skip
            r.state, r.level, r.score, r.decided_on, r.decision_number = (
                State.DECIDED,
                level,
                score,
                on,
                number,
            )
            _save(by, r, "redecide" if previous else "decide", before, {"number": number, "reason": reason})
            done.append(r)
        _check_quota(done)
    return _sorted_back(done, verdicts)


def _sorted_back(done: list[Review], verdicts: list[Verdict]) -> list[Review]:
    order = {v.review.pk: i for i, v in enumerate(verdicts)}
    return sorted(done, key=lambda r: order[r.pk])


def _check_quota(reviews: list[Review]) -> None:
    seen = set()
    for r in reviews:
        key = (r.grassroots_id, r.year, r.period)
        if r.subject != Subject.MEMBER or r.grassroots_id is None or key in seen:
            continue
        seen.add(key)
        q = sel.quota(r.grassroots, r.year, r.period, decided_only=True)
        if q.breaks:
            _, p = lv.in_force(r.year, r.period)
            raise DomainError(ERR_QUOTA.format(org=r.grassroots.name, excellent=q.excellent,
                                               pct=p["excellent_cap_pct"], base=q.base, cap=q.cap,
                                               period=period_text(r.year, r.period)), field="level")  # fmt: skip


def review_forms(review: Review) -> list[tuple[str, str]]:
    """The forms the rules allow for the review's subject, as choices."""
    _, p = lv.in_force(review.year, review.period)
    if review.subject == Subject.ORGANISATION:
        return [(Form.COLLECTIVE, Form.COLLECTIVE.label)]
    return [(f, Form(f).label) for f in MEMBER_FORMS if f in p["member_forms"]]
