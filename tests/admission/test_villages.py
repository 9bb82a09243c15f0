"""Villages and residential groups (rules-2026.md §1, "bản trắng"): registered per commune with a dated history,
covered by cells, inhabited by members; the two indicators for any subtree and date: villages without a Party
member, villages without a cell; a merger keeps the history answerable; pages and their refusals."""

import datetime as dt

import pytest

from dangvu.admission import villages as vl
from dangvu.admission.models import ResidentialUnit
from dangvu.core.errors import DomainError
from dangvu.members import services as msvc

pytestmark = pytest.mark.django_db

D = dt.date(2025, 1, 1)


@pytest.fixture
def units(admin_user, tree, people):
    """Khánh Yên (C1): Nà Lộc covered by its cell with Đức living there, Đồng Tâm covered but nobody recorded
    living there, Khe Mạ neither covered nor inhabited."""
    u = {n: vl.unit_create(by=admin_user, commune=tree["C1"], name=n, valid_from=D) for n in ("Nà Lộc", "Đồng Tâm",
                                                                                                  "Khe Mạ")}  # fmt: skip
    vl.coverage_set(by=admin_user, unit=u["Nà Lộc"], cells=[tree["C1-T1"]], on=D)
    vl.coverage_set(by=admin_user, unit=u["Đồng Tâm"], cells=[tree["C1-T2"]], on=D)
    vl.residence_set(by=admin_user, member=people["duc"], unit=u["Nà Lộc"], on=D)
    return u


def names(units_list) -> list[str]:
    return sorted(u.name for u in units_list)


def test_the_two_indicators_per_commune_on_a_date(admin_user, tree, units):
    total, rows = vl.report(admin_user, tree["D"], dt.date(2026, 1, 1))
    assert total.units == 3 and [r.commune.code for r in rows] == ["C1"]
    assert names(total.without_member) == ["Khe Mạ", "Đồng Tâm"]
    assert names(total.without_cell) == ["Khe Mạ"]
    assert vl.report(admin_user, tree["D"], dt.date(2024, 12, 31))[0].units == 0  # not yet registered


def test_a_member_who_leaves_the_register_no_longer_counts(admin_user, tree, people, units):
    msvc.member_leave(by=admin_user, member=people["duc"], status="deceased", on=dt.date(2026, 3, 1))
    assert "Nà Lộc" in names(vl.report(admin_user, tree["C1"], dt.date(2026, 3, 2))[0].without_member)
    assert "Nà Lộc" not in names(vl.report(admin_user, tree["C1"], dt.date(2026, 2, 28))[0].without_member)


def test_a_merger_keeps_the_history(admin_user, tree, units):
    new = vl.unit_merge(by=admin_user, units=[units["Đồng Tâm"], units["Khe Mạ"]], name="Đồng Tâm Khe Mạ",
                        on=dt.date(2025, 12, 1), decision="Nghị quyết 15/NQ-HĐND")  # fmt: skip
    assert new.coverages.get().cell == tree["C1-T2"]  # the cell of either covers the merged one
    after = vl.report(admin_user, tree["C1"], dt.date(2025, 12, 1))[0]
    before = vl.report(admin_user, tree["C1"], dt.date(2025, 11, 30))[0]
    assert after.units == 2 and names(after.without_cell) == [] and names(after.without_member) == ["Đồng Tâm Khe Mạ"]
    assert before.units == 3 and names(before.without_cell) == ["Khe Mạ"]
    units["Khe Mạ"].refresh_from_db()
    assert units["Khe Mạ"].merged_into == new and units["Khe Mạ"].valid_to == dt.date(2025, 12, 1)
    with pytest.raises(DomainError):  # a unit that has ended takes no more changes
        vl.coverage_set(by=admin_user, unit=units["Khe Mạ"], cells=[tree["C1-T1"]])


def test_refusals_name_the_rule(admin_user, tree, people, units):
    with pytest.raises(DomainError) as e:
        vl.unit_create(by=admin_user, commune=tree["C1"], name="nà lộc")
    assert e.value.message == "«Đảng bộ xã Khánh Yên» đã có «nà lộc»."
    with pytest.raises(DomainError) as e:
        vl.coverage_set(by=admin_user, unit=units["Khe Mạ"], cells=[tree["C2-T1"]])
    assert "không thuộc «Đảng bộ xã Khánh Yên»" in e.value.message
    with pytest.raises(DomainError) as e:
        vl.residence_set(by=admin_user, member=people["khe"], unit=units["Khe Mạ"])
    assert "Giàng A Páo không sinh hoạt trong «Đảng bộ xã Khánh Yên»" in e.value.message
    with pytest.raises(DomainError) as e:
        vl.unit_create(by=admin_user, commune=tree["C1-T1"], name="Bản Mới")
    assert "là chi bộ" in e.value.message


def test_a_commune_merger_takes_its_villages_along(admin_user, tree, units):
    from dangvu.organizations import services as osvc
    from tests.conftest import decision

    osvc.org_merge(by=admin_user, sources=[tree["C1"]], target=tree["C2"], decision=decision(2026, 10, 1))
    assert set(ResidentialUnit.objects.filter(valid_to__isnull=True).values_list("commune__code", flat=True)) == {"C2"}
    assert vl.report(admin_user, tree["C2"], dt.date(2026, 10, 2))[0].units == 3


def test_the_pages(client, admin_user, tree, people, units):
    client.force_login(admin_user)
    html = client.get("/admission/villages/?org=D&on=01/01/2026").content.decode()
    assert 'id="v-no-member">2<' in html and 'id="v-no-cell">1<' in html and "Khe Mạ" in html
    r = client.post("/admission/villages/new/?org=C1", {"name": "Tổ 5", "kind": "to-dan-pho", "valid_from": "01/06/2025"})
    tổ5 = ResidentialUnit.objects.get(name="Tổ 5")
    assert r.status_code == 302 and r["Location"] == f"/admission/villages/{tổ5.pk}/"
    assert client.post(f"/admission/villages/{tổ5.pk}/cells/", {"cell": [tree["C1-T1"].pk], "on": "01/06/2025"}).status_code == 302
    assert client.post(f"/admission/villages/{tổ5.pk}/residents/", {"member": people["hoa"].pk, "on": "01/06/2025"}).status_code == 302
    html = client.get(f"/admission/villages/{tổ5.pk}/").content.decode()
    assert "Đặng Thị Hòa" in html and 'checked' in html
    html = client.get("/admission/villages/?org=C1&on=01/01/2026").content.decode()
    assert 'id="v-total">4<' in html and 'id="v-no-member">2<' in html
