import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count

from dangvu.core.dates import add_months
from dangvu.members.models import IN_REGISTER, Member, Membership, MonitorAssignment, Seat
from dangvu.members.services import months_between
from dangvu.organizations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_members_are_realistic_and_obey_the_rules(settings):
    call_command("seed_demo")
    cells = Organisation.objects.filter(closed_on__isnull=True, type__kind="cell")
    sizes = dict(
        Member.objects.filter(status__in=IN_REGISTER).values_list("org__type__code").annotate(n=Count("id"))
    )
    assert sizes and all(n > 0 for n in sizes.values())
    per_cell = Member.objects.filter(status__in=IN_REGISTER).values("org").annotate(n=Count("id"))
    assert {r["org"] for r in per_cell} == set(cells.values_list("pk", flat=True))  # every open cell
    for m in Member.objects.all().iterator():
        assert months_between(m.birth_date, m.admitted_on) >= 18 * 12
        assert m.official_on is None or m.official_on >= add_months(m.admitted_on, 12)
    assert (
        Member.objects.filter(status="probationary").exists()
        and Member.objects.filter(status="exempt").exists()
    )
    # the 2020 merge and the 2021 split carried the members of the cells they closed
    assert Membership.objects.filter(
        start_reason="merge", start_event__effective_on=dt.date(2020, 1, 1)
    ).exists()
    assert Membership.objects.filter(
        start_reason="split", start_event__effective_on=dt.date(2021, 6, 1)
    ).exists()
    assert Member.objects.filter(full_name="Nguyễn Văn Đức").exists()
    # leadership: a secretary in most cells, monitors from the commune committees
    assert Seat.objects.filter(role="secretary", organisation__type__kind="cell").count() > 300
    assert MonitorAssignment.objects.count() > 100

    # demo accounts: one per role, each seeing its own subtree only; their passwords are in var/, not the code
    from dangvu.accounts.models import RoleGrant
    from dangvu.accounts.selectors import scope_q

    logins = [line.split("\t") for line in (settings.VAR_DIR / "demo-logins.txt").read_text().splitlines()]
    assert {role for _, _, role, _ in logins} == {"officer", "inspector", "viewer", "secretary"}
    sec = RoleGrant.objects.select_related("user", "organisation").get(user__username="bithu.chibo1")
    assert sec.role == "secretary" and sec.organisation.type.kind == "cell"
    visible = Member.objects.filter(scope_q(sec.user, "org_path"), status__in=IN_REGISTER)
    assert 0 < visible.count() == Member.objects.filter(org=sec.organisation, status__in=IN_REGISTER).count()
    assert sec.user.check_password(next(p for u, p, _, _ in logins if u == "bithu.chibo1"))

    _check_evaluations()
    _check_admissions()


def _check_admissions():
    """A year of growing the Party: cases at every stage, a few steps overdue, the members the ceremonies made
    (probationary, or official once recognised), every step recorded by the rules."""
    from dangvu.admission.models import Case, Stage, Step
    from dangvu.core.dates import today

    stages = set(Case.objects.values_list("stage", flat=True))
    assert {Stage.SOURCE, Stage.APPLIED, Stage.CELL, Stage.DECIDED, Stage.ADMITTED, Stage.RECOGNISED,
            Stage.ENDED} <= stages  # fmt: skip
    overdue = Case.objects.filter(next_due__lt=today()).exclude(stage__in=["ended", "recognised"]).count()
    assert 0 < overdue < Case.objects.count() // 5
    made = Case.objects.exclude(member=None).select_related("member")
    assert made and all(c.member.status in ("probationary", "official") for c in made)
    assert all(c.member.status == "official" for c in made if c.stage == Stage.RECOGNISED)
    assert Step.objects.filter(kind="cell_resolution", vote__passed=True).count() == Step.objects.filter(
        kind="cell_resolution").count()  # fmt: skip
    # villages: each village cell's, with its members living there; a few without a member or without a cell
    from django.contrib.auth import get_user_model

    from dangvu.admission import villages as vl

    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "kiemtra", "kt@example.vn", "mat-khau-rat-dai-1")  # fmt: skip
    total, rows = vl.report(admin, Organisation.objects.get(code="LCA"))
    assert total.units > 200 and 0 < len(total.without_cell) <= len(total.without_member) < total.units // 20


def _check_evaluations():
    """Evaluations (seeded by the same command): last year's cycle complete and within the rules and the cap;
    this year in progress, with what the superior committee has to chase."""
    from dangvu.core.dates import today
    from dangvu.evaluations import rules as lv
    from dangvu.evaluations import selectors as esel
    from dangvu.evaluations.models import Review
    from dangvu.members.models import ProfileEntry

    last, now = today().year - 1, today().year
    root = Organisation.objects.get(code="LCA")
    total, _ = esel.rollup(root, last)
    m, o = total["members"], total["orgs"]
    assert m["expected"] == m["committed"] == m["decided"] > 5000
    assert (
        o["registered"] == o["expected"] and o["decided"] == o["expected"] - 1
    )  # the province has no superior
    assert 0 < m["levels"]["excellent"] < m["levels"]["good"] and m["levels"]["not_completed"] > 0
    assert esel.quota_rows(root, last) == []  # the grassroots organisations applied the cap
    since, p = lv.in_force(last, "Y")
    disciplined = set(
        ProfileEntry.objects.filter(kind="discipline", start__year=last).values_list("member_id", flat=True)
    )
    assert disciplined
    for r in Review.objects.filter(year=last, subject="member"):
        j = lv.judge(since, p, subject="member", score=r.cell_score, tasks_total=r.tasks_total,
                     tasks_exceeded=r.tasks_exceeded, disciplined=int(r.member_id in disciplined))  # fmt: skip
        assert r.level in j.allowed and r.cell_level in j.allowed, r.pk
    from dangvu.evaluations.models import Decision

    assert (
        Decision.objects.filter(review__year=last).count()
        == Review.objects.filter(year=last, state="decided").count()
    )
    total, _ = esel.rollup(root, now)
    m = total["members"]
    assert (
        m["committed"] < m["expected"]
        and m["draft"]
        and m["submitted"]
        and m["reviewed"]
        and not m["decided"]
    )
    assert esel.quota_rows(root, now)  # proposals above the cap, for the superior to see
    assert sum(d.above_cap for d in esel.disciplined_rows(root, now)) == 2
