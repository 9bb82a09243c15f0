"""Evaluations for the demo province: last year's full cycle (goals registered, commitments, every member and
organisation reviewed, scored, voted and decided, with the cap on "excellent" applied by the grassroots
organisations) and this year in progress (registrations and commitments mostly in; in November some cells have
started their year-end reviews, a few of them proposing more "excellent" than the cap allows, and a member
disciplined after the cell proposed "good"). Rows are built in memory, judged by `rules.judge` so every level
is one the rules allow, and inserted in bulk."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from dangvu.core.bulk import bulk_insert
from dangvu.core.dates import today
from dangvu.members.models import Member, Membership, MembershipKind, Seat
from dangvu.organizations.models import Organisation

from . import rules as lv
from .models import RANK, Commitment, Decision, Form, Level, Period, Registration, Review, State, Subject

GOALS = [
    "100% đảng viên học tập, quán triệt nghị quyết của cấp trên",
    "Sinh hoạt chi bộ đủ 12 kỳ, mỗi quý một chuyên đề",
    "Thu nộp đảng phí đầy đủ, đúng hạn",
    "Kết nạp ít nhất 1 đảng viên mới",
    "Không có đảng viên vi phạm tư cách",
    "Vận động nhân dân tham gia xây dựng nông thôn mới",
    "100% đảng viên kích hoạt Sổ tay đảng viên điện tử",
]
COMMITMENT = (
    "Giữ vững lập trường tư tưởng chính trị, chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật.\n"
    "Tham gia sinh hoạt chi bộ đầy đủ, đóng đảng phí đúng quy định.\n"
    "Hoàn thành tốt nhiệm vụ được giao; gương mẫu nơi cư trú."
)
STRENGTHS = (
    "Chấp hành nghiêm sự phân công của tổ chức; tham gia đầy đủ sinh hoạt chi bộ; gương mẫu nơi cư trú."
)
SHORTCOMINGS = "Có lúc chưa chủ động đề xuất giải pháp; việc nghiên cứu nghị quyết còn hạn chế."
REMEDIES = "Tăng cường tự học, nghiên cứu nghị quyết; chủ động hơn trong công việc."


def _day(rng, year: int, month: int, lo: int, hi: int) -> dt.date:
    return dt.date(year, month, rng.randint(lo, hi))


def _score(rng, target: str) -> Decimal:
    lo, hi = {Level.EXCELLENT: (90, 98), Level.GOOD: (70, 89.9), Level.COMPLETED: (50, 69.9),
              Level.NOT_COMPLETED: (30, 49.9)}[target]  # fmt: skip
    return Decimal(str(round(rng.uniform(lo, hi), 1)))


def _target(rng, disciplined: bool) -> str:
    if disciplined:
        return rng.choice([Level.COMPLETED, Level.COMPLETED, Level.NOT_COMPLETED])
    x = rng.random()
    return Level.EXCELLENT if x < 0.13 else Level.GOOD if x < 0.88 else Level.COMPLETED if x < 0.985 else (
        Level.NOT_COMPLETED)  # fmt: skip


def seed_evaluations(by, *, rng: random.Random) -> dict:
    year = today().year
    with transaction.atomic():
        orgs = list(Organisation.objects.select_related("type", "parent").order_by("path"))
        by_path = {o.path: o for o in orgs}
        grassroots = {}
        for o in orgs:
            chain = [by_path.get(o.path[:i]) for i in range(len(o.path), 0, -7)]
            grassroots[o.pk] = next((a for a in chain if a is not None and a.type.is_grassroots), None)
        disciplined = _discipline(rng, year)
        n = 0
        for y, full in ((year - 1, True), (year, False)):
            n += _year(by, rng, y, full, orgs, grassroots, disciplined)
        _late_discipline(rng, year)
        # what an organisation's review rests on is stored when its collective reviews it (services.review_assess)
        from .selectors import org_facts

        for r in Review.objects.filter(subject=Subject.ORGANISATION, state=State.REVIEWED).select_related("organisation"):
            Review.objects.filter(pk=r.pk).update(facts=org_facts(r.organisation, r.year, r.period))
    return {"reviews": n}


def _stays(year: int) -> dict[int, Membership]:
    """Each member's last official stay in the year (the cell they are reviewed in)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = {}
    for s in (
        Membership.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=start),
            kind=MembershipKind.OFFICIAL,
            valid_from__lte=min(end, today()),
        )  # fmt: skip
        .select_related("organisation__type")
        .order_by("valid_from")
    ):
        out[s.member_id] = s
    return out


def _discipline(rng, year: int) -> dict[int, set[int]]:
    """A few disciplines (khiển trách, cảnh cáo) decided by the cells in each year: {year: member ids}. Written as
    the inspection app's records in force, with their CV lines (inspection.demo.record_disciplines)."""
    from dangvu.inspection.demo import record_disciplines

    out: dict[int, set[int]] = defaultdict(set)
    rows = []
    for y in (year - 1, year):
        ids = list(_stays(y))
        picked = rng.sample(ids, max(1, len(ids) // 150))
        members = Member.objects.in_bulk(picked)
        for mid in picked:
            out[y].add(mid)
            on = min(today(), _day(rng, y, rng.randint(2, 9), 1, 28))
            rows.append((members[mid], on, rng.choice(["reprimand", "warning"]), f"{rng.randint(1, 60)}-QĐ/CB"))
    record_disciplines([r for r in rows if r[0].org_id])
    from dangvu.inspection.selectors import member_disciplines_in

    for y in (year - 1, year):  # and those the inspection demo decided through its services
        out[y] |= set(member_disciplines_in(dt.date(y, 1, 1), dt.date(y, 12, 31))
                      .values_list("subject_member_id", flat=True))  # fmt: skip
    return out


def _year(by, rng, year: int, full: bool, orgs, grassroots, disciplined) -> int:
    start, end = lv.period_bounds(year, Period.YEAR)
    since, p = lv.in_force(year, Period.YEAR)
    open_orgs = [o for o in orgs if o.established_on <= end and (o.closed_on is None or o.closed_on >= start)
                 and o.established_on <= today()]  # fmt: skip
    regs = [Registration(organisation=o, org_path=o.path, year=year, target_level=rng.choice([Level.GOOD,
            Level.GOOD, Level.EXCELLENT]), goals="\n".join(rng.sample(GOALS, 4)),
            registered_on=_day(rng, year, rng.randint(1, 2), 5, 28), by=by,
            admissions_target=rng.choice([0, 1, 1, 2]) if o.type.kind == "cell" else None)
            for o in open_orgs if full or rng.random() < 0.92]  # fmt: skip
    bulk_insert(Registration, regs)
    stays = _stays(year)
    seated = set(Seat.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start),
                                     valid_from__lte=end).values_list("member_id", flat=True))  # fmt: skip
    commitments = [Commitment(member_id=mid, organisation=s.organisation, org_path=s.organisation.path, year=year,
                              target_level=rng.choice([Level.GOOD, Level.GOOD, Level.EXCELLENT]), content=COMMITMENT,
                              submitted_on=_day(rng, year, rng.randint(1, 3), 1, 28), by=by)
                   for mid, s in stays.items() if full or rng.random() < 0.88]  # fmt: skip
    bulk_insert(Commitment, commitments)
    # this year: the cells that have started their year-end reviews
    started = {o.pk for o in open_orgs if full or rng.random() < 0.45}
    reviews: list[Review] = []
    verdicts: list[tuple[Review, str]] = []
    for mid, s in stays.items():
        org = s.organisation
        if org.pk not in started:
            continue
        form = Form.POST if mid in seated else Form.OUTSIDE if org.type.code in p["outside_org_types"] and (
            "2C" in p["member_forms"]) else Form.NO_POST  # fmt: skip
        r = Review(subject=Subject.MEMBER, member_id=mid, organisation=org, org_path=org.path,
                   grassroots=grassroots[org.pk], year=year, period=Period.YEAR, form=form, rules_from=since)  # fmt: skip
        _fill(rng, r, p, since, full, mid in disciplined[year], verdicts)
        reviews.append(r)
    for o in open_orgs:
        if not full and rng.random() > 0.2:
            continue
        r = Review(subject=Subject.ORGANISATION, organisation=o, org_path=o.path, grassroots=grassroots[o.pk],
                   year=year, period=Period.YEAR, form=Form.COLLECTIVE, rules_from=since)  # fmt: skip
        hit = sum(
            1 for mid in disciplined[year] if mid in stays and stays[mid].organisation.path.startswith(o.path)
        )
        _fill(rng, r, p, since, full, hit, verdicts, decide=full and o.parent_id is not None)
        reviews.append(r)
    if full:
        _apply_quota(verdicts, p)
    for r, level in verdicts:
        r.level, r.score, r.state = level, r.cell_score, State.DECIDED
        r.decided_on = r.reviewed_on + dt.timedelta(days=rng.randint(10, 25))
        r.decision_number = f"{(r.grassroots_id or 0) % 90 + 10}-QĐ/ĐU" if r.subject == Subject.MEMBER else (
            f"{r.organisation.parent_id % 90 + 100}-QĐ/ĐU")  # fmt: skip
    bulk_insert(Review, reviews)
    bulk_insert(Decision, [Decision(review=r, level=r.level, score=r.score, number=r.decision_number,
                                    decided_on=r.decided_on, by=by) for r, _ in verdicts])  # fmt: skip
    return len(reviews)


def _fill(
    rng, r: Review, p: dict, since, full: bool, disciplined: int, verdicts: list, *, decide=True
) -> None:
    """Self-review, the cell's review and vote, consistent with the rules; queued for a decision when `full`."""
    year = r.year
    target = _target(rng, bool(disciplined) and r.subject == Subject.MEMBER)
    r.tasks_total = rng.randint(5, 12)
    r.tasks_exceeded = rng.randint(r.tasks_total * 3 // 10 + 1, r.tasks_total) if target == Level.EXCELLENT else (
        rng.randint(0, r.tasks_total // 4))  # fmt: skip
    scored = p["scored"]

    def level_for(score):
        j = lv.judge(since, p, subject=r.subject, score=score, tasks_total=r.tasks_total,
                     tasks_exceeded=r.tasks_exceeded, disciplined=disciplined)  # fmt: skip
        return j.ceiling if scored else (target if RANK[target] <= RANK[j.ceiling] else j.ceiling)

    cell_score = _score(rng, target) if scored else None
    self_score = (
        min(Decimal(100), cell_score + Decimal(rng.choice(["0", "0", "1.5", "-1.0"]))) if scored else None
    )
    r.strengths, r.shortcomings, r.remedies = STRENGTHS, SHORTCOMINGS, REMEDIES
    r.self_score, r.self_level = self_score, level_for(self_score)
    stage = 3 if full else rng.choices([1, 2, 3], [40, 35, 25])[0]
    month = 12 if full else 11
    if stage >= 2:
        r.state, r.submitted_on = State.SUBMITTED, _day(rng, year, month, 3, 12 if full else 20)
    if stage >= 3:
        base = rng.randint(5, 30)
        r.cell_score, r.cell_level = cell_score, level_for(cell_score)
        r.votes_base, r.votes_for = base, rng.randint(base // 2 + 1, base)
        r.reviewed_on = r.submitted_on + dt.timedelta(days=rng.randint(1, 3))
        r.cell_comment = "Chi bộ thống nhất với bản tự kiểm điểm."
        r.state = State.REVIEWED
        if full and decide:
            verdicts.append((r, r.cell_level))
    if stage == 1:
        r.self_level = "" if rng.random() < 0.5 else r.self_level
        r.self_score = None if not r.self_level else r.self_score


def _apply_quota(verdicts: list, p: dict) -> None:
    """The grassroots organisation lowers the lowest-scored "excellent" proposals to "good" beyond the cap."""
    by_g: dict[int, list[int]] = defaultdict(list)
    for i, (r, _) in enumerate(verdicts):
        if r.subject == Subject.MEMBER:
            by_g[r.grassroots_id].append(i)
    for idx in by_g.values():
        good = sum(1 for i in idx if verdicts[i][1] in p["cap_base"])
        excellent = sorted((i for i in idx if verdicts[i][1] == Level.EXCELLENT),
                           key=lambda i: verdicts[i][0].cell_score or 0, reverse=True)  # fmt: skip
        cap = good * p["excellent_cap_pct"] // 100
        for i in excellent[cap:]:
            verdicts[i] = (verdicts[i][0], Level.GOOD)


def _late_discipline(rng, year: int) -> None:
    """Two members disciplined this year after their cell proposed "good": the superior's list flags them."""
    proposed = list(Review.objects.filter(year=year, subject=Subject.MEMBER, state=State.REVIEWED,
                                          cell_level=Level.GOOD).order_by("pk")[:200])  # fmt: skip
    from dangvu.inspection.demo import record_disciplines

    picked = rng.sample(proposed, min(2, len(proposed)))
    members = Member.objects.in_bulk([r.member_id for r in picked])
    record_disciplines([(members[r.member_id], min(today(), dt.date(year, 11, 20)), "reprimand",
                         f"{rng.randint(61, 90)}-QĐ/CB") for r in picked if members[r.member_id].org_id])  # fmt: skip
