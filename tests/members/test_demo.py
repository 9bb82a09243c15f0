import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count

from dangvu.members.models import IN_REGISTER, Member, Membership, MonitorAssignment, Seat
from dangvu.members.services import _add_months, months_between
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
        assert m.official_on is None or m.official_on >= _add_months(m.admitted_on, 12)
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
