import datetime as dt

import pytest

from dangvu.accounts.services import grant_create
from dangvu.core.errors import DomainError, NotFound
from dangvu.organizations import selectors as sel
from dangvu.organizations import services as svc
from dangvu.organizations.models import Organisation, OrgEvent, OrgVersion
from tests.conftest import decision

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything a failed decision must leave untouched."""
    return (
        list(
            Organisation.objects.order_by("pk").values_list("code", "name", "path", "parent_id", "closed_on")
        ),
        list(
            OrgVersion.objects.order_by("pk").values_list("organisation_id", "path", "valid_from", "valid_to")
        ),
        OrgEvent.objects.count(),
    )


def refused(field, fn, **kw):
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        result = fn(**kw)
        if isinstance(result, svc.Plan):
            result.execute()
    assert field in exc.value.errors, exc.value.errors
    assert snapshot() == before
    return exc.value.errors[field]


def test_establish_places_the_child_under_its_parent_and_records_the_decision(tree, admin_user, types):
    org = svc.org_establish(
        by=admin_user,
        spec=svc.NewOrg("c1-t3", " Chi bộ  thôn Mới ", types["cbtt-thon"], tree["C1"]),
        decision=decision(2024, 5, 2, number="Số 7-QĐ/HU", issuer="Ban Thường vụ Huyện ủy"),
    )
    assert org.code == "C1-T3"
    assert org.name == "Chi bộ thôn Mới"
    assert org.path.startswith(tree["C1"].path) and org.depth == 4
    event = OrgEvent.objects.get(links__organisation=org)
    assert (event.kind, event.decision_number, event.effective_on) == (
        "establish",
        "07-QĐ/HU",
        dt.date(2024, 5, 2),
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Số 123-QĐ/TU", "123-QĐ/TU"),
        ("35-KH/HU", "35-KH/HU"),
        ("số 9-NQ/ĐU", "09-NQ/ĐU"),
        ("Số 01-BC/CB", "01-BC/CB"),
        ("10072-CV/BTCTW", "10072-CV/BTCTW"),
    ],
)
def test_decision_numbers_in_party_format_are_accepted(raw, expected):
    assert svc.normalise_decision_number(raw) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        ("123/QĐ-UBND", svc.ERR_NUMBER_FORMAT),
        ("QĐ 12", svc.ERR_NUMBER_FORMAT),
        ("12-qđ/tu", svc.ERR_NUMBER_FORMAT),
        ("5-QyĐ/TU", svc.ERR_NUMBER_QYD),
    ],
)
def test_decision_numbers_in_other_formats_are_refused(raw, message):
    with pytest.raises(DomainError) as exc:
        svc.normalise_decision_number(raw)
    assert exc.value.errors == {"decision_number": message}


def test_establish_refusals_write_nothing(tree, admin_user, types):
    def plan(**kw):
        base = dict(code="NEW", name="Chi bộ mới", type=types["cbtt-thon"], parent=tree["C1"])
        base.update({k: v for k, v in kw.items() if k in base})
        return svc.plan_establish(
            by=admin_user, spec=svc.NewOrg(**base), decision=kw.get("decision", decision())
        )

    assert refused("code", plan, code="C1-T1") == svc.ERR_CODE_TAKEN.format(
        code="C1-T1", org="Chi bộ thôn Nà Lộc"
    )
    assert refused("code", plan, code="có dấu") == svc.ERR_CODE_FORMAT
    assert "không được trực thuộc" in refused("type", plan, type=types["cbtt-thon"], parent=tree["P"])
    assert "trước ngày thành lập" in refused("effective_on", plan, decision=decision(2009, 12, 31))
    assert "quá xa" in refused("effective_on", plan, decision=decision(2999, 1, 1))
    assert refused("decision_number", plan, decision=decision(number="12/QĐ-UB")) == svc.ERR_NUMBER_FORMAT
    # The district type is historical: none may be established after 30/06/2025.
    assert "không còn được lập mới" in refused(
        "type", plan, code="D2", type=types["huyen"], parent=tree["P"], decision=decision(2025, 7, 2)
    )


def test_rename_keeps_the_old_name_for_past_dates(tree, admin_user):
    svc.org_rename(
        by=admin_user, org=tree["C1-T1"], new_name="Chi bộ tổ dân phố 1", decision=decision(2020, 3, 1)
    )
    before = {r.code: r.name for r in map(sel.as_row, sel.org_list(admin_user, as_of=dt.date(2020, 2, 29)))}
    after = {r.code: r.name for r in map(sel.as_row, sel.org_list(admin_user, as_of=dt.date(2020, 3, 1)))}
    assert before["C1-T1"] == "Chi bộ thôn Nà Lộc"
    assert after["C1-T1"] == "Chi bộ tổ dân phố 1"
    assert (
        refused(
            "name",
            svc.plan_rename,
            by=admin_user,
            org=tree["C1-T1"],
            new_name="Chi bộ tổ dân phố 1",
            decision=decision(2021, 1, 1),
        )
        == svc.ERR_NAME_SAME
    )


def second_district(admin_user, tree, types):
    return svc.org_establish(
        by=admin_user,
        spec=svc.NewOrg("D2", "Đảng bộ huyện Bờ Sông", types["huyen"], tree["P"]),
        decision=decision(2010, 1, 1),
    )


def test_move_carries_the_whole_subtree_and_keeps_history(tree, admin_user, types):
    d2 = second_district(admin_user, tree, types)
    svc.org_move(by=admin_user, org=tree["C1"], new_parent=d2, decision=decision(2024, 7, 1))
    c1 = Organisation.objects.get(code="C1")
    t11 = Organisation.objects.get(code="C1-T1")
    assert c1.parent.code == "D2" and t11.path.startswith(c1.path) and t11.path.startswith(d2.path)
    old = {
        sel.as_row(v).code: sel.as_row(v)
        for v in sel.org_list(admin_user, ancestor="D", as_of=dt.date(2024, 6, 30))
    }
    assert {"C1", "C1-T1", "C1-T2"} <= set(old)
    now = {o.code for o in sel.org_list(admin_user, ancestor="D")}
    assert now == {"C2", "C2-T1", "A"}


def test_move_refusals(tree, admin_user):
    msg = refused(
        "new_parent",
        svc.plan_move,
        by=admin_user,
        org=tree["D"],
        new_parent=tree["C1-T1"],
        decision=decision(),
    )
    assert msg == svc.ERR_MOVE_INTO_OWN_SUBTREE.format(org="Đảng bộ huyện Đồi Núi")
    assert "đã trực thuộc" in refused(
        "new_parent", svc.plan_move, by=admin_user, org=tree["C1"], new_parent=tree["D"], decision=decision()
    )
    assert "không được trực thuộc" in refused(
        "new_parent",
        svc.plan_move,
        by=admin_user,
        org=tree["C1-T1"],
        new_parent=tree["P"],
        decision=decision(),
    )


def test_a_decision_cannot_be_dated_before_a_change_already_recorded(tree, admin_user, types):
    d2 = second_district(admin_user, tree, types)
    svc.org_rename(by=admin_user, org=tree["C1-T1"], new_name="Chi bộ tổ 1", decision=decision(2024, 6, 1))
    msg = refused(
        "effective_on",
        svc.plan_move,
        by=admin_user,
        org=tree["C1"],
        new_parent=d2,
        decision=decision(2024, 5, 1),
    )
    assert "trước lần thay đổi gần nhất" in msg and "Chi bộ tổ 1" in msg


def test_merge_into_a_new_target_moves_children_and_closes_sources(tree, admin_user, types):
    event = svc.org_merge(
        by=admin_user,
        sources=[tree["C1"], tree["C2"]],
        decision=decision(2025, 7, 1),
        new_target=svc.NewOrg("X", "Đảng bộ xã Mới", types["xa"], tree["P"]),
    )
    x = Organisation.objects.get(code="X")
    assert x.established_on == dt.date(2025, 7, 1) and x.parent.code == "P"
    assert set(x.children.values_list("code", flat=True)) == {"C1-T1", "C1-T2", "C2-T1"}
    for code in ("C1", "C2"):
        src = Organisation.objects.get(code=code)
        assert src.closed_on == dt.date(2025, 6, 30)
        assert sel.org_history(admin_user, src).successors == [x]
    assert set(sel.org_history(admin_user, x).predecessors) == {tree["C1"], tree["C2"]}
    assert set(event.links.values_list("role", flat=True)) == {"source", "target"}
    on_eve = {o.organisation.code for o in sel.org_list(admin_user, as_of=dt.date(2025, 6, 30))}
    assert {"C1", "C2"} <= on_eve and "X" not in on_eve


def test_merge_into_an_existing_target(tree, admin_user):
    svc.org_merge(by=admin_user, sources=[tree["C2"]], target=tree["C1"], decision=decision(2024, 1, 1))
    assert set(Organisation.objects.get(code="C1").children.values_list("code", flat=True)) == {
        "C1-T1",
        "C1-T2",
        "C2-T1",
    }
    assert Organisation.objects.get(code="C2").closed_on == dt.date(2023, 12, 31)


def test_merge_refusals(tree, admin_user, types):
    assert refused(
        "target",
        svc.plan_merge,
        by=admin_user,
        sources=[tree["C1"], tree["C2"]],
        target=tree["C1"],
        decision=decision(),
    ) == svc.ERR_MERGE_INTO_ITSELF.format(org="Đảng bộ xã Khánh Yên")
    assert "nằm trong" in refused(
        "sources",
        svc.plan_merge,
        by=admin_user,
        sources=[tree["C1"], tree["C1-T1"]],
        target=tree["C2"],
        decision=decision(),
    )
    # Village cells may not sit directly under an agency grassroots cell.
    assert "không được trực thuộc" in refused(
        "target", svc.plan_merge, by=admin_user, sources=[tree["C1"]], target=tree["A"], decision=decision()
    )
    assert (
        refused(
            "sources",
            svc.plan_merge,
            by=admin_user,
            sources=[tree["C1"]],
            decision=decision(),
            new_target=svc.NewOrg("Y", "Y", types["xa"], tree["P"]),
        )
        == svc.ERR_MERGE_TOO_FEW
    )


def test_split_assigns_each_child_and_closes_the_source(tree, admin_user, types):
    svc.org_split(
        by=admin_user,
        source=tree["C1"],
        decision=decision(2024, 1, 1),
        targets=[svc.NewOrg("C1A", "Đảng bộ xã Khánh Yên A", types["dbcs-xa"]), tree["C2"]],
        assignment={tree["C1-T1"].pk: 0, tree["C1-T2"].pk: 1},
    )
    assert Organisation.objects.get(code="C1-T1").parent.code == "C1A"
    assert Organisation.objects.get(code="C1-T2").parent.code == "C2"
    assert Organisation.objects.get(code="C1A").parent.code == "D"  # beside the source by default
    c1 = Organisation.objects.get(code="C1")
    assert c1.closed_on == dt.date(2023, 12, 31)
    assert {o.code for o in sel.org_history(admin_user, c1).successors} == {"C1A", "C2"}


def test_split_refuses_an_unassigned_child(tree, admin_user, types):
    msg = refused(
        "assign.C1-T2",
        svc.plan_split,
        by=admin_user,
        source=tree["C1"],
        decision=decision(),
        targets=[svc.NewOrg("C1A", "A", types["dbcs-xa"]), svc.NewOrg("C1B", "B", types["dbcs-xa"])],
        assignment={tree["C1-T1"].pk: 0},
    )
    assert msg == svc.ERR_SPLIT_UNASSIGNED.format(child="Chi bộ thôn Đồng Tâm")
    assert (
        refused(
            "targets",
            svc.plan_split,
            by=admin_user,
            source=tree["C1"],
            decision=decision(),
            targets=[tree["C2"]],
            assignment={},
        )
        == svc.ERR_SPLIT_TOO_FEW
    )
    assert "được nhập nhiều lần" in refused(
        "targets.1.code",
        svc.plan_split,
        by=admin_user,
        source=tree["C1"],
        decision=decision(),
        targets=[svc.NewOrg("Q1", "A", types["dbcs-xa"]), svc.NewOrg("Q1", "B", types["dbcs-xa"])],
        assignment={tree["C1-T1"].pk: 0, tree["C1-T2"].pk: 1},
    )


def test_dissolve_is_refused_while_sub_organisations_remain(tree, admin_user):
    msg = refused("transfer_to", svc.plan_dissolve, by=admin_user, org=tree["C1"], decision=decision())
    assert msg == svc.ERR_DISSOLVE_HAS_CHILDREN.format(org="Đảng bộ xã Khánh Yên", n=2)


def test_dissolve_with_transfer_in_the_same_decision(tree, admin_user):
    svc.org_dissolve(by=admin_user, org=tree["C1"], transfer_to=tree["C2"], decision=decision(2024, 3, 1))
    assert Organisation.objects.get(code="C1").closed_on == dt.date(2024, 2, 29)
    assert Organisation.objects.get(code="C1-T1").parent.code == "C2"
    assert Organisation.objects.filter(code="C1").exists()  # closed, never deleted
    assert refused(
        "org",
        svc.plan_rename,
        by=admin_user,
        org=Organisation.objects.get(code="C1"),
        new_name="X",
        decision=decision(2024, 4, 1),
    ).startswith("«Đảng bộ xã Khánh Yên» đã chấm dứt")


def test_dissolve_of_an_empty_cell(tree, admin_user):
    svc.org_dissolve(by=admin_user, org=tree["C2-T1"], decision=decision(2024, 3, 1))
    assert "C2-T1" not in {o.code for o in sel.org_list(admin_user)}
    assert "C2-T1" in {v.organisation.code for v in sel.org_list(admin_user, as_of=dt.date(2024, 2, 29))}


def test_a_failure_midway_leaves_nothing_changed(tree, admin_user, types, monkeypatch):
    before = snapshot()
    real_close = svc._close

    def boom(org, when):
        real_close(org, when)
        raise RuntimeError("disk full")

    monkeypatch.setattr(svc, "_close", boom)
    with pytest.raises(RuntimeError):
        svc.org_merge(
            by=admin_user,
            sources=[tree["C1"], tree["C2"]],
            decision=decision(2025, 7, 1),
            new_target=svc.NewOrg("X", "Đảng bộ xã Mới", types["xa"], tree["P"]),
        )
    assert snapshot() == before


def test_decisions_need_an_officer_role_and_scope(tree, django_user_model):
    viewer = django_user_model.objects.create_user("xem", password="mat-khau-rat-dai-1")
    officer = django_user_model.objects.create_user("tochuc", password="mat-khau-rat-dai-1")
    grant_create(user=viewer, organisation=tree["C1"], role="viewer", by=None)
    grant_create(user=officer, organisation=tree["C1"], role="officer", by=None)
    with pytest.raises(svc.Forbidden):
        svc.plan_rename(by=viewer, org=tree["C1-T1"], new_name="Mới", decision=decision())
    with pytest.raises(NotFound):  # outside the officer's subtree: as if it did not exist
        svc.plan_rename(by=officer, org=tree["C2-T1"], new_name="Mới", decision=decision())
    svc.org_rename(by=officer, org=tree["C1-T1"], new_name="Mới", decision=decision())
    assert Organisation.objects.get(code="C1-T1").name == "Mới"
