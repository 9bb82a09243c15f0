"""The checks of one meeting against the rule set in force on its date: pure functions over plain rows, used by
the services (after every change), the demo seeder and the tests alike.

Figures (section 1.7 and the 2018 criteria):
- `expected`: members of the cell summoned and expected to come: official and probationary members at home,
  not exempt, not temporarily away, not suspended. The attendance rate is present / expected.
- `vote_base`: official members summoned, minus those temporarily away, suspended (or prosecuted), and exempt
  members who did not come (an exempt member who attends counts). Resolutions are judged against it.
- `voters_present`: official members present (probationary members and guests never vote).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from math import floor

from .models import Presence, Rank, Standing

LABELS = {
    "duration": "Thời lượng sinh hoạt",
    "attendance": "Tỷ lệ đảng viên dự họp",
    "no_unexcused": "Không có đảng viên vắng không lý do",
    "excused_in_row": "Không có đảng viên vắng có lý do quá số lần liên tiếp",
    "minutes_complete": "Biên bản ghi đầy đủ",
    "quorum": "Đủ số đảng viên có quyền biểu quyết dự họp",
    "documents_ahead": "Tài liệu có trước ngày họp",
    "monitor_notified": "Đã thông báo cấp ủy viên cấp trên theo dõi chi bộ",
    "body_quorum": "Đủ số thành viên dự họp",
    "body_minutes": "Biên bản ghi đầy đủ",
}


@dataclass
class Line:
    member_id: int
    name: str
    rank: str
    standing: str
    presence: str = ""
    reason: str = ""


@dataclass
class Facts:
    """What the checks need to know about one meeting."""

    date: dt.date
    combined: bool
    started_at: dt.time | None
    ended_at: dt.time | None
    lines: list[Line]
    has_chair: bool
    has_minute_taker: bool
    has_agenda: bool
    speakers: int
    has_conclusion: bool
    file_dates: list[dt.date] = field(default_factory=list)  # the local date each document was made available
    has_monitor: bool = False
    monitor_notified_on: dt.date | None = None
    excused_before: dict[int, int] = field(default_factory=dict)  # member → excused in a row before this
    notified_on: dt.date | None = None  # when the notice went out (to whoever was summoned then)


def duration(started: dt.time | None, ended: dt.time | None) -> int | None:
    if started is None or ended is None:
        return None
    return (ended.hour * 60 + ended.minute) - (started.hour * 60 + started.minute)


def threshold(count: int, rule) -> int:
    """The least number that satisfies `rule` ([n, d, strict]: > n/d × count, or ≥ n/d × count)."""
    n, d, strict = rule
    x = Fraction(n, d) * count
    return floor(x) + 1 if strict else -(-x.numerator // x.denominator)


@dataclass
class Figures:
    present: int
    excused: int
    absent: int
    expected: int
    vote_base: int
    voters_present: int
    exempt: int
    away: int
    guests: int
    recorded: bool  # everyone summoned has a presence
    present_expected: int = 0

    @property
    def rate(self) -> float | None:
        return None if not self.expected else 100 * self.present_expected / self.expected


def figures(lines: list[Line]) -> Figures:
    home = [x for x in lines if x.standing != Standing.GUEST]
    expected = [x for x in home if x.standing == Standing.REGULAR]
    f = Figures(
        present=sum(1 for x in home if x.presence == Presence.PRESENT),
        excused=sum(1 for x in expected if x.presence == Presence.EXCUSED),
        absent=sum(1 for x in expected if x.presence == Presence.ABSENT),
        expected=len(expected),
        vote_base=sum(
            1
            for x in home
            if x.rank == Rank.OFFICIAL
            and x.standing not in (Standing.AWAY, Standing.SUSPENDED)
            and not (x.standing == Standing.EXEMPT and x.presence != Presence.PRESENT)
        ),
        voters_present=sum(
            1
            for x in home
            if x.rank == Rank.OFFICIAL
            and x.standing in (Standing.REGULAR, Standing.EXEMPT)
            and x.presence == Presence.PRESENT
        ),
        exempt=sum(1 for x in home if x.standing == Standing.EXEMPT),
        away=sum(1 for x in home if x.standing == Standing.AWAY),
        guests=len(lines) - len(home),
        recorded=all(x.presence for x in lines if x.standing in (Standing.REGULAR, Standing.GUEST)),
    )
    f.present_expected = sum(1 for x in expected if x.presence == Presence.PRESENT)
    return f


def _pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",") + "%"


def _lacks(facts: Facts, f: Figures, *, cell: bool) -> list[str]:
    """What the minutes still lack: a cell's need an agenda and a speaker too; a body's do not."""
    items = [
        (facts.started_at and facts.ended_at, "giờ bắt đầu, kết thúc"),
        (facts.has_chair, "người chủ trì"),
        (facts.has_minute_taker, "thư ký"),
        (f.recorded, "điểm danh"),
        *([(facts.has_agenda, "chương trình"), (facts.speakers > 0, "ý kiến phát biểu")] if cell else []),
        (facts.has_conclusion, "kết luận / nghị quyết"),
    ]
    return [label for ok, label in items if not ok]


def check(facts: Facts, q: dict, voting: dict) -> list[dict]:
    """Each criterion of the rule set `q` (meetings.quality) and `voting` (meetings.voting): code, label, met,
    reason. The reason says what was found, in words a secretary can act on."""
    out: list[dict] = []

    def add(code: str, met: bool, reason: str) -> None:
        out.append({"code": code, "label": LABELS[code], "met": met, "reason": reason})

    f = figures(facts.lines)
    # Duration
    minimum = q["min_minutes_combined"] if facts.combined else q["min_minutes"]
    mins = duration(facts.started_at, facts.ended_at)
    if mins is None:
        add("duration", False, f"Chưa ghi giờ bắt đầu và kết thúc (tối thiểu {minimum} phút).")
    else:
        extra = " khi kết hợp sinh hoạt chuyên đề" if facts.combined else ""
        add("duration", mins >= minimum, f"Họp {mins} phút; tối thiểu {minimum} phút{extra}.")
    # Attendance rate
    pct = q["attendance_above_pct"]
    if not f.recorded:
        add("attendance", False, "Chưa điểm danh đủ đảng viên.")
    elif not f.expected:
        add("attendance", False, "Chi bộ không có đảng viên phải dự họp.")
    else:
        add(
            "attendance",
            f.rate > pct,
            f"Có mặt {f.present_expected}/{f.expected} ({_pct(f.rate)}); yêu cầu trên {pct}%.",
        )
    # Unexcused absences
    missing = [
        x.name for x in facts.lines if x.standing == Standing.REGULAR and x.presence == Presence.ABSENT
    ]
    allowed = q["max_unexcused"]
    add(
        "no_unexcused",
        len(missing) <= allowed,
        f"Vắng không lý do: {', '.join(missing)}." if missing else "Không có đảng viên vắng không lý do.",
    )
    # Excused too many times in a row
    limit = q["max_excused_in_row"]
    over = []
    for x in facts.lines:
        if x.standing == Standing.REGULAR and x.presence == Presence.EXCUSED:
            run = facts.excused_before.get(x.member_id, 0) + 1
            if run > limit:
                over.append(f"{x.name} ({run} lần)")
    add(
        "excused_in_row",
        not over,
        f"Vắng có lý do quá {limit} lần liên tiếp trong năm: {', '.join(over)}."
        if over
        else f"Không ai vắng có lý do quá {limit} lần liên tiếp trong năm.",
    )
    # Minutes complete
    if q.get("minutes_complete", True):
        lacks = _lacks(facts, f, cell=True)
        add(
            "minutes_complete",
            not lacks,
            f"Biên bản còn thiếu: {', '.join(lacks)}." if lacks else "Biên bản ghi đủ các nội dung.",
        )
    # Quorum
    need = threshold(f.vote_base, voting["quorum"])
    add(
        "quorum",
        f.vote_base > 0 and f.voters_present >= need,
        f"{f.voters_present} đảng viên chính thức có mặt trên {f.vote_base} (cần ít nhất {need}).",
    )
    # Documents ahead (2025)
    days = q.get("docs_days_ahead")
    if days is not None:
        latest_ok = facts.date - dt.timedelta(days=days)
        if not facts.file_dates:
            add("documents_ahead", False, f"Chưa có tài liệu; cần có trước ngày họp ít nhất {days} ngày.")
        else:
            late = [d for d in facts.file_dates if d > latest_ok]
            add(
                "documents_ahead",
                not late,
                f"{len(late)} tài liệu đưa lên sau ngày {latest_ok:%d/%m/%Y}."
                if late
                else f"Tài liệu có trước ngày họp ít nhất {days} ngày.",
            )
    # Monitor notified (2025)
    if q.get("monitor_notified"):
        if not facts.has_monitor:
            add("monitor_notified", False, "Chi bộ chưa có cấp ủy viên cấp trên được phân công theo dõi.")
        elif facts.monitor_notified_on is None and facts.notified_on is not None:
            add("monitor_notified", False, f"Thông báo họp gửi ngày {facts.notified_on:%d/%m/%Y} chưa đến cấp ủy viên "
                                           "theo dõi (khi đó chưa được phân công); hãy gửi lại thông báo.")  # fmt: skip
        elif facts.monitor_notified_on is None:
            add("monitor_notified", False, "Chưa gửi thông báo họp cho cấp ủy viên theo dõi chi bộ.")
        elif facts.monitor_notified_on > facts.date:
            add("monitor_notified", False, f"Thông báo cho cấp ủy viên theo dõi gửi ngày "
                                           f"{facts.monitor_notified_on:%d/%m/%Y}, sau ngày họp {facts.date:%d/%m/%Y}.")  # fmt: skip
        else:
            add("monitor_notified", True, f"Đã thông báo ngày {facts.monitor_notified_on:%d/%m/%Y}.")
    return out


def check_body(facts: Facts, body: str, p: dict) -> list[dict]:
    """The criteria of a collective body's meeting under the rule set `p` (meetings.bodies): enough of its members
    present (a parameter; marked uncertain where no source fixes it) and the minutes complete."""
    f = figures(facts.lines)
    out: list[dict] = []
    rule = p["quorum"][body]
    need = threshold(f.expected, rule)
    note = f" Tỷ lệ này là tham số chưa có văn bản gốc ({p['quorum_source']})." if p.get("quorum_uncertain") else ""
    if not f.recorded:
        met, reason = False, "Chưa điểm danh đủ thành viên."
    else:
        met = f.expected > 0 and f.present_expected >= need
        reason = f"Có mặt {f.present_expected}/{f.expected} thành viên (cần ít nhất {need}).{note}"
    out.append({"code": "body_quorum", "label": LABELS["body_quorum"], "met": met, "reason": reason})
    lacks = _lacks(facts, f, cell=False)
    out.append({"code": "body_minutes", "label": LABELS["body_minutes"], "met": not lacks,
                "reason": f"Biên bản còn thiếu: {', '.join(lacks)}." if lacks else "Biên bản ghi đủ các nội dung."})  # fmt: skip
    return out


def vote_result(kind: str, votes_for: int, base: int, voting: dict) -> tuple[int, bool]:
    """(the least number of "for" votes that passes, passed) for an item of `kind` against `base`."""
    need = max(threshold(base, voting[kind]), 1)
    return need, votes_for >= need
