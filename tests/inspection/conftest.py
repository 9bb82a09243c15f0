import datetime as dt

import pytest

from dangvu.accounts import services as asvc
from dangvu.inspection import services as svc
from tests.members.conftest import add, people  # noqa: F401  (fixtures)


@pytest.fixture
def role(django_user_model, tree):
    """role(name, org_code) → a user holding that role on that organisation's subtree."""

    def _role(name, code="C1", username=None):
        u = django_user_model.objects.create_user(username or f"{name}-{code}".lower(), password="mat-khau-rat-dai-1")
        asvc.grant_create(user=u, organisation=tree[code], role=name, by=None)
        return u

    return _role


def case(by, org, member=None, subject_org=None, **kw) -> object:
    data = {"body": "cell" if org.type.kind == "cell" else "commission", "subject_member": member,
            "subject_org": subject_org, "conduct": "Không tham gia sinh hoạt chi bộ 3 tháng liên tiếp",
            "conduct_from": dt.date(2026, 3, 1), "gravity": "reprimand"}  # fmt: skip
    data.update(kw)
    return svc.discipline_open(by=by, org=org, data=data)


def decision(form="reprimand", on=dt.date(2026, 6, 10), votes_for=4, votes_base=5, **kw) -> svc.Decision:
    data = {"form": form, "decided_on": on, "announced_on": on, "votes_for": votes_for, "votes_base": votes_base,
            "hearing_on": on - dt.timedelta(days=3)}  # fmt: skip
    data.update(kw)
    return svc.Decision(**data)


def disciplined(by, member, on: dt.date, number: str = "") -> object:
    """A reprimand decided by the member's own cell, announced on `on` (what the evaluations read)."""
    d = case(by, member.org, member, conduct_from=on - dt.timedelta(days=30))
    return svc.discipline_decide(by=by, discipline=d, x=decision(on=on, number=number))
