import pytest
from django.contrib.auth import get_user_model

from dangvu.accounts import services as asvc
from dangvu.evaluations import services as svc
from tests.members.conftest import add, people  # noqa: F401  (fixtures)


@pytest.fixture
def user_on(tree):
    """user_on(code, role) → a user with that role on that organisation."""

    def _make(code, role):
        u = get_user_model().objects.create_user(f"{role}-{code}".lower(), password="mat-khau-rat-dai-1")
        asvc.grant_create(user=u, organisation=tree[code], role=role, by=None)
        return u

    return _make


@pytest.fixture
def cycle(admin_user):
    """cycle(member, year, self_score, level, ...) → a review taken to `reviewed` through the services."""

    def _run(member, year=2025, *, score="80", level="good", cell_score=None, cell_level=None, total=10,
             exceeded=2, by=None):  # fmt: skip
        by = by or admin_user
        r = svc.review_open(by=by, year=year, member=member)
        r = svc.review_self(by=by, review=r, data=svc.SelfReview(
            tasks_total=total, tasks_exceeded=exceeded, strengths="Hoàn thành nhiệm vụ được giao",
            self_score=score, self_level=level))  # fmt: skip
        r = svc.review_submit(by=by, review=r)
        return svc.review_assess(by=by, review=r, data=svc.Assessment(
            cell_score=cell_score if cell_score is not None else score, cell_level=cell_level or level,
            votes_for=4, votes_base=5))  # fmt: skip

    return _run
