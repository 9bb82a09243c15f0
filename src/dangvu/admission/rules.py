"""The admission rules, as dated data (`RuleSet` domain "members.admission"; the votes in "meetings.voting"):
ages, the introducers, the course certificate's validity, the deadlines in working days, probation. Every
judgment here takes the date it is about and reads the version in force on it; nothing is a constant."""

from __future__ import annotations

import datetime as dt
import re

from dangvu.core import rules
from dangvu.core.dates import add_months, fmt
from dangvu.core.workdays import add_working_days

DOMAIN = "members.admission"

ERR_TOO_YOUNG = "Chưa đủ {min} tuổi vào ngày {on} (mới {years} tuổi {months} tháng)."
ERR_TOO_OLD = (
    "Trên {max} tuổi vào ngày {on} ({years} tuổi {months} tháng): cần văn bản đồng ý của ban thường vụ tỉnh ủy "
    "(thành ủy) ghi trước ngày đó."
)
ERR_EDUCATION = "Chưa có bằng tốt nghiệp trung học cơ sở (giáo dục phổ thông «{edu}», cần từ {min}/12 trở lên)."
ERR_EDUCATION_UNKNOWN = "Chưa ghi trình độ giáo dục phổ thông (cần tốt nghiệp trung học cơ sở)."
ERR_COURSE_NONE = "Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng."
ERR_COURSE_EXPIRED = "Giấy chứng nhận học lớp nhận thức về Đảng cấp ngày {course} đã hết hạn ngày {until} ({months} tháng)."
ERR_INTRODUCERS = "Cần {n} đảng viên chính thức giới thiệu; mới có {have} người đủ điều kiện."
ERR_INTRODUCER_NOT_OFFICIAL = "{name} chưa là đảng viên chính thức vào ngày {on}."
ERR_INTRODUCER_SHORT = "{name} mới cùng công tác, học tập hoặc cư trú từ {since}, chưa đủ {months} tháng vào ngày {on}."
ERR_INTRODUCER_ELSEWHERE = "{name} không sinh hoạt trong cùng tổ chức cơ sở đảng vào ngày {on}."

_EDU_RE = re.compile(r"^(\d{1,2})/(10|12)$")


def params(on: dt.date) -> dict:
    return rules.params(DOMAIN, on)


def version(on: dt.date) -> dt.date:
    return rules.version(DOMAIN, on)


def age(born: dt.date, on: dt.date) -> tuple[int, int]:
    """Full years and months at `on` (the rules count age in months)."""
    n = (on.year - born.year) * 12 + (on.month - born.month) - (1 if on.day < born.day else 0)
    return divmod(max(n, 0), 12)


def age_problems(case, on: dt.date) -> list[str]:
    p = params(on)
    years, months = age(case.birth_date, on)
    total = years * 12 + months
    if total < p["min_age_years"] * 12:
        return [ERR_TOO_YOUNG.format(min=p["min_age_years"], on=fmt(on), years=years, months=months)]
    if total > p["max_age_years"] * 12:
        consented = case.over60_consent and case.over60_consent_on and case.over60_consent_on <= on
        if not consented:
            return [ERR_TOO_OLD.format(max=p["max_age_years"], on=fmt(on), years=years, months=months)]
    return []


def education_problems(case, on: dt.date) -> list[str]:
    p = params(on)
    if case.area_exception and p.get("education_area_exception", True):
        return []
    m = _EDU_RE.match((case.general_education or "").replace(" ", ""))
    if not m:
        return [ERR_EDUCATION_UNKNOWN]
    grade, system = int(m.group(1)), int(m.group(2))
    need = p["min_general_education"]
    if (grade if system == 12 else grade + 2) < need:  # the old 10-year system's 7/10 is today's 9/12
        return [ERR_EDUCATION.format(edu=case.general_education, min=need)]
    return []


def course_valid_until(course_on: dt.date) -> dt.date:
    return add_months(course_on, params(course_on)["course_valid_months"])


def course_problems(case, on: dt.date) -> list[str]:
    if not case.course_on:
        return [ERR_COURSE_NONE]
    until = course_valid_until(case.course_on)
    if on > until:
        months = params(case.course_on)["course_valid_months"]
        return [ERR_COURSE_EXPIRED.format(course=fmt(case.course_on), until=fmt(until), months=months)]
    return []


def decision_due(cell_resolution_on: dt.date) -> dt.date:
    return add_working_days(cell_resolution_on, params(cell_resolution_on)["decision_within_working_days"])


def ceremony_due(decision_received_on: dt.date) -> dt.date:
    return add_working_days(decision_received_on, params(decision_received_on)["ceremony_within_working_days"])


def member_cv_due(ceremony_on: dt.date) -> dt.date:
    return add_working_days(ceremony_on, params(ceremony_on)["member_cv_within_working_days"])


def probation_ends(ceremony_on: dt.date) -> dt.date:
    return add_months(ceremony_on, params(ceremony_on)["probation_months"])


def recognition_due(ceremony_on: dt.date) -> dt.date:
    end = probation_ends(ceremony_on)
    return add_working_days(end, params(ceremony_on)["recognition_within_working_days"])
