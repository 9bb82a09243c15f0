import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Q

from dangvu.organizations.demo import DISTRICT
from dangvu.organizations.models import Organisation, OrgEvent, OrgVersion

pytestmark = pytest.mark.django_db


def test_demo_province_is_modelled_on_van_ban_and_restructured_through_decisions():
    call_command("seed_demo")
    vb = Organisation.objects.get(code=DISTRICT)
    assert "Văn Bàn" in vb.name and vb.closed_on == dt.date(2025, 6, 30)
    day = dt.date(2025, 6, 30)
    on_day = OrgVersion.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    assert on_day.filter(parent=vb).count() == 58
    assert on_day.filter(path__startswith=vb.path, type__kind="cell").exclude(parent=vb).count() == 342
    assert not vb.children.filter(closed_on__isnull=True).exists()
    new_communes = Organisation.objects.filter(type__code="xa", established_on=dt.date(2025, 7, 1))
    assert new_communes.count() == 9
    assert OrgEvent.objects.filter(kind="merge", effective_on=dt.date(2025, 7, 1)).count() == 9
    office = Organisation.objects.get(code="LCA-VPUBND")
    assert office.children.count() == 7
    n = Organisation.objects.count()
    call_command("seed_demo")  # idempotent
    assert Organisation.objects.count() == n
