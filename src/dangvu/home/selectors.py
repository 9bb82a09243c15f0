"""What is due, for the user's scope: a cell's own list (this month's meeting, last month's report, the quarter's
thematic meeting, the year's dossiers and reviews, transfers, members whose recognition falls due), or, for a
committee, the same as counts per branch with links. Composed from each app's selectors (this app sits on top of
the capabilities, like the demo); a fixed number of grouped queries whatever the size of the subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from dangvu.core import rules
from dangvu.core.dates import add_months, fmt
from dangvu.core.tree import STEP
from dangvu.dossiers import selectors as dossiers
from dangvu.evaluations import selectors as evaluations
from dangvu.evaluations.models import State as ReviewState
from dangvu.meetings import selectors as meetings
from dangvu.meetings.models import Body, Kind, Meeting, MonthlyReport
from dangvu.meetings.models import State as MeetingState
from dangvu.members import selectors as members
from dangvu.members.models import Member, Status, TransferState
from dangvu.organizations import ahead
from dangvu.organizations.models import AheadState, Organisation, OrgKind

DONE, TODO, LATE = "done", "todo", "late"


@dataclass
class Item:
    text: str
    url: str = ""
    state: str = TODO
    due: dt.date | None = None


@dataclass
class Agenda:
    org: Organisation
    items: list[Item] = field(default_factory=list)
    branches: list[dict] = field(default_factory=list)  # for a committee: one row per child

    @property
    def is_cell(self) -> bool:
        return self.org.type.kind == OrgKind.CELL

    @property
    def open_items(self) -> list[Item]:
        return [i for i in self.items if i.state != DONE]


def review_year(on: dt.date) -> int:
    """The year whose reviews are under way: this year from March, last year in January and February."""
    return on.year if on.month > 2 else on.year - 1


def _month_label(d: dt.date) -> str:
    return f"tháng {d.month}/{d.year}"


def cell_agenda(user, org: Organisation, on: dt.date) -> Agenda:
    a = Agenda(org)
    month = on.replace(day=1)
    last = (month - dt.timedelta(days=1)).replace(day=1)
    cell_url = reverse("meetings:cell", args=[org.code]) + f"?year={on.year}"
    regular = list(Meeting.objects.filter(organisation=org, body=Body.MEMBERS, kind=Kind.REGULAR, month=month)
                   .exclude(state=MeetingState.CANCELLED))  # fmt: skip
    if not regular:
        a.items.append(Item(f"Chưa đăng ký lịch sinh hoạt chi bộ thường kỳ {_month_label(month)}",
                            reverse("meetings:create", args=[org.code]), LATE if on.day > 10 else TODO))  # fmt: skip
    else:
        m = regular[0]
        url = reverse("meetings:detail", args=[m.pk])
        if m.state == MeetingState.CLOSED:
            a.items.append(Item(f"Sinh hoạt {_month_label(month)}: đã hoàn tất biên bản", url, DONE))
        elif m.state == MeetingState.HELD:
            a.items.append(Item(f"Sinh hoạt ngày {fmt(m.date)}: đã họp, chưa hoàn tất biên bản", url, TODO))
        else:
            a.items.append(Item(f"Sinh hoạt {_month_label(month)}: đã đăng ký ngày {fmt(m.date)}", url,
                                LATE if m.date < on else TODO, m.date))  # fmt: skip
    if on.day >= 20:
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        if not Meeting.objects.filter(organisation=org, body=Body.MEMBERS, kind=Kind.REGULAR, month=nxt).exists():
            a.items.append(Item(f"Đăng ký trước lịch sinh hoạt {_month_label(nxt)}",
                                reverse("meetings:create", args=[org.code]), TODO, nxt))  # fmt: skip
    report = MonthlyReport.objects.filter(organisation=org, month=last).first()
    a.items.append(Item(f"Báo cáo {_month_label(last)}: {'đã gửi' if report else 'chưa gửi'}",
                        reverse("meetings:report", args=[org.code, last.year, last.month]),
                        DONE if report else LATE))  # fmt: skip
    period = meetings.Period.month(on.year, on.month)
    thematic = Meeting.objects.filter(Q(kind=Kind.THEMATIC) | Q(combined=True), organisation=org, body=Body.MEMBERS,
                                      date__gte=period.quarter_start, date__lte=period.quarter_end,
                                      state__in=meetings.HELD).exists()  # fmt: skip
    q = (on.month - 1) // 3 + 1
    a.items.append(Item(f"Sinh hoạt chuyên đề quý {q}: {'đã có' if thematic else 'chưa có'}", cell_url,
                        DONE if thematic else TODO))  # fmt: skip
    check = dossiers.checklist(user, org, on.year)
    missing = check.required - check.present
    a.items.append(Item(f"Hồ sơ, sổ sách năm {on.year}: đủ {check.present}/{check.required}"
                        + (f", còn thiếu {missing} loại" if missing else ""),
                        reverse("dossiers:checklist", args=[org.code, on.year]), DONE if not missing else TODO))  # fmt: skip
    _review_items(a, org, review_year(on))
    _transfer_items(a, user, org, on)
    _recognition_items(a, org, on)
    _body_items(a, org, on)  # a cell committee (chi ủy), where one was elected
    return a


def _review_items(a: Agenda, org: Organisation, year: int) -> None:
    rows = evaluations.members_of(org, year)
    url = reverse("evaluations:organisation", args=[org.code, year])
    drafts = sum(1 for r in rows if r.review and r.review.state == ReviewState.DRAFT)
    submitted = sum(1 for r in rows if r.review and r.review.state == ReviewState.SUBMITTED)
    not_started = sum(1 for r in rows if r.review is None)
    registered = evaluations.Registration.objects.filter(organisation=org, year=year).exists()
    if not registered:
        a.items.append(Item(f"Chưa đăng ký phấn đấu năm {year} của chi bộ", url, TODO))
    if submitted:
        a.items.append(Item(f"{submitted} bản tự kiểm điểm năm {year} chờ chi bộ nhận xét, biểu quyết", url, TODO))
    if drafts or not_started:
        a.items.append(Item(f"Kiểm điểm năm {year}: {drafts} bản đang soạn, {not_started} đảng viên chưa bắt đầu",
                            url, TODO))  # fmt: skip


def _transfer_items(a: Agenda, user, org: Organisation, on: dt.date) -> None:
    for t in members.pending_transfers_in(user, org):
        late = t.present_deadline and t.present_deadline < on
        a.items.append(Item(f"Tiếp nhận {t.member.full_name} từ {t.from_org.name if t.from_org else '—'}"
                            + (f" (hạn {fmt(t.present_deadline)})" if t.present_deadline else ""),
                            reverse("members:transfer_receive", args=[t.pk]), LATE if late else TODO,
                            t.present_deadline))  # fmt: skip
    for t in members.pending_transfers_out(user, org):
        a.items.append(Item(f"{t.member.full_name} đã giới thiệu đến {t.to_org.name if t.to_org else t.to_text}, "
                            "chờ nơi đến tiếp nhận", reverse("members:detail", args=[t.member_id]), TODO,
                            t.present_deadline))  # fmt: skip


def _recognition_items(a: Agenda, org: Organisation, on: dt.date) -> None:
    """Probationary members whose probation (the rule in force on their admission) ends within 30 days."""
    soon = on + dt.timedelta(days=30)
    for m in Member.objects.filter(org=org, status=Status.PROBATIONARY).order_by("admitted_on"):
        months = rules.params("members.admission", m.admitted_on)["probation_months"]
        due = add_months(m.admitted_on, months)
        if due <= soon:
            a.items.append(Item(f"{m.full_name}: đủ {months} tháng dự bị ngày {fmt(due)}, chi bộ xét công nhận "
                                "đảng viên chính thức", reverse("members:detail", args=[m.pk]),
                                LATE if due < on else TODO, due))  # fmt: skip


def committee_agenda(user, org: Organisation, on: dt.date) -> Agenda:
    """Counts per branch (each open child), each linking to the page where it is dealt with."""
    a = Agenda(org)
    duties = meetings.duties_by_branch(user, org, on)
    _, dossier_rows = dossiers.rollup(org, on.year)
    dossier_by = {r["branch"]: r for r in dossier_rows}
    year = review_year(on)
    _, review_rows = evaluations.rollup(org, year)
    review_by = {r["branch"]: r for r in review_rows}
    n = len(org.path) + STEP
    overdue: dict[str, int] = {}
    for t in members.pending_transfers_in(user, org).filter(state=TransferState.PENDING, present_deadline__lt=on):
        b = t.to_org.path[:n]
        overdue[b] = overdue.get(b, 0) + 1
    month = on.replace(day=1)
    last = (month - dt.timedelta(days=1)).replace(day=1)
    children = list(Organisation.objects.filter(parent=org, closed_on__isnull=True).select_related("type")
                    .order_by("sort_key"))  # fmt: skip
    for c in children:
        d = duties.get(c.path, {"cells": 0, "met": 0, "reported": 0, "thematic": 0})
        dos, rev = dossier_by.get(c.path, {}), review_by.get(c.path, {})
        a.branches.append({
            "org": c,
            "cells": d["cells"],
            "not_met": max(d["cells"] - d["met"], 0),
            "no_report": max(d["cells"] - d["reported"], 0),
            "no_thematic": max(d["cells"] - d["thematic"], 0),
            "dossiers_pct": dos.get("percent"),
            "to_decide": (rev.get("members") or {}).get("reviewed", 0) + (rev.get("orgs") or {}).get("reviewed", 0),
            "transfers_late": overdue.get(c.path, 0),
            "links": {
                "meetings": reverse("meetings:dashboard") + f"?org={c.code}&period={month:%Y-%m}",
                "reports": reverse("meetings:dashboard") + f"?org={c.code}&period={last:%Y-%m}&filter=no_report",
                "dossiers": reverse("dossiers:index") + f"?org={c.code}&year={on.year}",
                "reviews": reverse("evaluations:index") + f"?org={c.code}&year={year}",
                "members": reverse("members:list") + f"?org={c.code}",
            },
        })  # fmt: skip
    totals = {k: sum(b[k] for b in a.branches) for k in ("cells", "not_met", "no_report", "no_thematic", "to_decide",
                                                         "transfers_late")}  # fmt: skip
    a.items = [
        Item(f"{totals['not_met']}/{totals['cells']} chi bộ chưa sinh hoạt thường kỳ {_month_label(month)}",
             reverse("meetings:dashboard") + f"?org={org.code}&filter=not_met", DONE if not totals["not_met"] else TODO),
        Item(f"{totals['no_report']} chi bộ chưa gửi báo cáo {_month_label(last)}",
             reverse("meetings:dashboard") + f"?org={org.code}&period={last:%Y-%m}&filter=no_report",
             DONE if not totals["no_report"] else LATE),
        Item(f"{totals['to_decide']} bản kiểm điểm năm {year} chờ cấp có thẩm quyền quyết định xếp loại",
             reverse("evaluations:index") + f"?org={org.code}&year={year}", DONE if not totals["to_decide"] else TODO),
        Item(f"{totals['transfers_late']} đảng viên chuyển đến quá hạn nộp giấy giới thiệu",
             reverse("members:list") + f"?org={org.code}", DONE if not totals["transfers_late"] else LATE),
    ]  # fmt: skip
    _body_items(a, org, on)
    return a


def _body_items(a: Agenda, org: Organisation, on: dt.date) -> None:
    """This month's regular meeting of each of the committee's own bodies: held, registered or still to register
    (two queries)."""
    bodies = meetings.bodies_of(org, on)
    if not bodies:
        return
    month = on.replace(day=1)
    this = {m.body: m for m in Meeting.objects.filter(organisation=org, body__in=bodies, kind=Kind.REGULAR,
                                                     month=month).exclude(state=MeetingState.CANCELLED)}  # fmt: skip
    for body in bodies:
        label = Body(body).label
        m = this.get(body)
        if m is None:
            a.items.append(Item(f"{label}: chưa đăng ký họp thường kỳ {_month_label(month)}",
                                reverse("meetings:body_create", args=[org.code, body]), TODO))  # fmt: skip
        elif m.state in meetings.HELD:
            a.items.append(Item(f"{label}: đã họp ngày {fmt(m.date)}", reverse("meetings:detail", args=[m.pk]), DONE))
        else:
            a.items.append(Item(f"{label}: họp ngày {fmt(m.date)}", reverse("meetings:detail", args=[m.pk]),
                                LATE if m.date < on else TODO, m.date))  # fmt: skip


def _decision_items(a: Agenda, user, org: Organisation) -> None:
    """Decisions recorded ahead about this subtree: pending ones with their date, failed ones as late."""
    qs = (ahead.visible(user).filter(state__in=[AheadState.PENDING, AheadState.FAILED],
                                     orgs__path__startswith=org.path).distinct().order_by("effective_on"))  # fmt: skip
    for p in qs[:10]:
        url = reverse("organizations:pending", args=[p.pk])
        if p.state == AheadState.FAILED:
            a.items.append(Item(f"Quyết định số {p.decision_number} không thể có hiệu lực: {p.failure}", url, LATE,
                                p.effective_on))  # fmt: skip
        else:
            a.items.append(Item(f"{p.get_kind_display()} theo quyết định số {p.decision_number} sẽ có hiệu lực ngày "
                                f"{fmt(p.effective_on)}", url, TODO, p.effective_on))  # fmt: skip


def agenda(user, org: Organisation, on: dt.date) -> Agenda:
    a = cell_agenda(user, org, on) if org.type.kind == OrgKind.CELL else committee_agenda(user, org, on)
    _decision_items(a, user, org)
    return a
