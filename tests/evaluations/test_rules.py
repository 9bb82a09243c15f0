"""The rules as dated data: both frameworks, the score bands at their boundaries, the 30% condition and
discipline, through the services a secretary uses."""

import datetime as dt
from decimal import Decimal

import pytest

from dangvu.core.errors import DomainError
from dangvu.evaluations import rules as lv
from dangvu.evaluations import services as svc
from dangvu.evaluations.models import Level, Subject
from tests.inspection.conftest import disciplined


def ceiling(year, score, total=10, exceeded=3, disciplined=0, subject=Subject.MEMBER):
    since, p = lv.in_force(year, "Y")
    s = None if score is None else Decimal(score)
    return lv.judge(since, p, subject=subject, score=s, tasks_total=total, tasks_exceeded=exceeded,
                    disciplined=disciplined).ceiling  # fmt: skip


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("100", "excellent"), ("90", "excellent"), ("89.9", "good"), ("70", "good"), ("69.9", "completed"),
        ("50", "completed"), ("49.9", "not_completed"), ("0", "not_completed"),
    ],
)  # fmt: skip
def test_2025_score_bands_at_their_boundaries(db, score, level):
    assert ceiling(2025, score) == level


def test_excellent_needs_30_percent_of_tasks_exceeding(db):
    assert ceiling(2025, "95", total=10, exceeded=3) == Level.EXCELLENT
    assert ceiling(2025, "95", total=10, exceeded=2) == Level.GOOD
    assert ceiling(2025, "95", total=None, exceeded=None) == Level.GOOD
    assert ceiling(2025, "95", total=7, exceeded=3) == Level.EXCELLENT  # 42.9%


def test_discipline_caps_a_member_and_an_organisation(db):
    assert ceiling(2025, "95", disciplined=1) == Level.COMPLETED
    assert ceiling(2025, "60", disciplined=1) == Level.COMPLETED
    assert ceiling(2025, "40", disciplined=1) == Level.NOT_COMPLETED
    assert ceiling(2025, "95", disciplined=2, subject=Subject.ORGANISATION) == Level.GOOD
    # the earlier framework: disciplined in the year is "not completed"
    assert ceiling(2024, None, disciplined=1) == Level.NOT_COMPLETED


def test_the_rules_in_force_are_those_of_the_period_end(db):
    since_2024, p_2024 = lv.in_force(2024, "Y")
    since_2025, p_2025 = lv.in_force(2025, "Y")
    assert (since_2024, p_2024["scored"]) == (dt.date(2023, 10, 4), False)
    assert (since_2025, p_2025["scored"]) == (dt.date(2025, 8, 30), True)
    # a review of the second quarter of 2025 was judged before QĐ 366
    assert lv.in_force(2025, "Q2")[1]["scored"] is False
    assert lv.in_force(2025, "Q3")[1]["scored"] is True
    assert p_2025["excellent_cap_pct"] == 20


@pytest.mark.parametrize("raw", ["100.1", "-1", "abc", "89.95", "NaN"])
def test_scores_outside_0_100_are_refused(db, raw):
    with pytest.raises(DomainError) as e:
        lv.parse_score(raw, "self_score")
    assert "self_score" in e.value.errors


def test_level_inconsistent_with_the_score_is_refused_with_the_rule_and_reason(admin_user, people):
    r = svc.review_open(by=admin_user, year=2025, member=people["duc"])
    bad = [
        ("89.9", "excellent", "mức đúng là «Hoàn thành tốt nhiệm vụ (HTTNV)»"),
        ("90", "completed", "mức đúng là «Hoàn thành xuất sắc nhiệm vụ (HTXSNV)»"),
        ("69.9", "good", "HTNV"),
        ("49.9", "completed", "KHTNV"),
    ]
    for score, level, words in bad:
        with pytest.raises(DomainError) as e:
            svc.review_self(by=admin_user, review=r, data=svc.SelfReview(
                tasks_total=10, tasks_exceeded=5, self_score=score, self_level=level))  # fmt: skip
        msg = e.value.errors["self_level"]
        assert words in msg and "30/08/2025" in msg, msg
    # excellent by score but only 20% of tasks exceeding: the reason is given
    with pytest.raises(DomainError) as e:
        svc.review_self(by=admin_user, review=r, data=svc.SelfReview(
            tasks_total=10, tasks_exceeded=2, self_score="92", self_level="excellent"))  # fmt: skip
    assert "chưa đạt 30% nhiệm vụ vượt yêu cầu (2/10)" in e.value.errors["self_level"]
    # the good ones pass; 90 excellent may be lowered to good (the cap)
    for score, level in (("90", "excellent"), ("90", "good"), ("70", "good"), ("50", "completed"),
                         ("49.9", "not_completed")):  # fmt: skip
        svc.review_self(by=admin_user, review=r, data=svc.SelfReview(
            tasks_total=10, tasks_exceeded=3, self_score=score, self_level=level))  # fmt: skip
    with pytest.raises(DomainError) as e:
        svc.review_self(by=admin_user, review=r, data=svc.SelfReview(self_score="101", self_level="good"))
    assert e.value.errors == {"self_score": "Điểm phải từ 0 đến 100."}


def test_the_earlier_framework_takes_levels_without_a_score(admin_user, people):
    r = svc.review_open(by=admin_user, year=2024, member=people["duc"])
    with pytest.raises(DomainError) as e:
        svc.review_self(by=admin_user, review=r, data=svc.SelfReview(self_score="80", self_level="good"))
    assert "không chấm điểm" in e.value.errors["self_score"] and "04/10/2023" in e.value.errors["self_score"]
    r = svc.review_self(by=admin_user, review=r, data=svc.SelfReview(self_level="excellent"))
    assert r.self_level == "excellent" and r.self_score is None and r.form == "2A"
    # 2C did not exist before HD 43
    with pytest.raises(DomainError) as e:
        svc.review_self(by=admin_user, review=r, data=svc.SelfReview(form="2C", self_level="good"))
    assert "2C" in e.value.errors["form"]
    # 2025 reviews require a score
    r25 = svc.review_open(by=admin_user, year=2025, member=people["hoa"])
    with pytest.raises(DomainError) as e:
        svc.review_self(by=admin_user, review=r25, data=svc.SelfReview(self_level="good"))
    assert "thang 100 điểm" in e.value.errors["self_score"]


def test_discipline_in_the_period_is_read_from_the_discipline_records(admin_user, people):
    duc = people["duc"]
    disciplined(admin_user, duc, dt.date(2025, 6, 1))
    r = svc.review_open(by=admin_user, year=2025, member=duc)
    with pytest.raises(DomainError) as e:
        svc.review_self(by=admin_user, review=r, data=svc.SelfReview(
            tasks_total=10, tasks_exceeded=5, self_score="85", self_level="good"))  # fmt: skip
    assert "bị thi hành kỷ luật trong kỳ" in e.value.errors["self_level"]
    svc.review_self(by=admin_user, review=r, data=svc.SelfReview(self_score="85", self_level="completed"))
    # a discipline of 2024 does not touch 2025 for Hòa
    disciplined(admin_user, people["hoa"], dt.date(2024, 6, 1))
    r2 = svc.review_open(by=admin_user, year=2025, member=people["hoa"])
    svc.review_self(by=admin_user, review=r2, data=svc.SelfReview(self_score="85", self_level="good"))
