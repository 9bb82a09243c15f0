"""Programmes, their items and the inspections that carry them out, to a numbered conclusion whose
recommendations are followed up; the superior's view over its subtree (late items, never inspected) in a fixed
number of queries; records about an organisation since merged follow it to its successor."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.errors import Conflict, DomainError
from dangvu.inspection import selectors as sel
from dangvu.inspection import services as svc
from dangvu.inspection.models import Item
from dangvu.members import services as msvc
from dangvu.organizations import services as osvc
from tests.conftest import decision as org_decision

pytestmark = pytest.mark.django_db


def programme(by, org, **kw):
    data = {"body": "commission", "year": 2026, "title": "Chương trình kiểm tra, giám sát năm 2026",
            "adopted_on": dt.date(2026, 1, 10)}  # fmt: skip
    data.update(kw)
    return svc.programme_create(by=by, org=org, data=data)


def item(by, p, **kw):
    data = {"activity": "inspection", "method": "regular", "content": "Việc chấp hành chế độ sinh hoạt chi bộ",
            "starts_on": dt.date(2026, 3, 1), "due_on": dt.date(2026, 4, 30), "carried_by": "UBKT Đảng ủy"}  # fmt: skip
    data.update(kw)
    return svc.item_add(by=by, programme=p, data=data)


def test_from_a_programme_item_to_a_conclusion_and_its_recommendations(admin_user, tree, people):
    p = programme(admin_user, tree["C1"])
    assert p.number == "01-CTr/UBKTĐU"  # the commission has a register of its own
    with pytest.raises(Conflict):  # one programme a year per body
        programme(admin_user, tree["C1"])
    it = item(admin_user, p, subject_org=tree["C1-T1"])
    i = svc.inspection_open(by=admin_user, org=tree["C1"], item=it, data={
        "body": "commission", "decided_on": dt.date(2026, 3, 2), "ends_on": dt.date(2026, 4, 30),
        "team": "Đ/c Phó Chủ nhiệm UBKT, trưởng đoàn"})  # fmt: skip
    assert i.decision_number == "01-QĐ/UBKTĐU" and i.subject_org == tree["C1-T1"] and i.content == it.content
    assert Item.objects.get(pk=it.pk).state == "under_way"
    with pytest.raises(Conflict):  # the item has its decision already
        svc.inspection_open(by=admin_user, org=tree["C1"], item=it, data={
            "body": "commission", "decided_on": dt.date(2026, 3, 2), "ends_on": dt.date(2026, 4, 30), "team": "x"})  # fmt: skip
    with pytest.raises(DomainError) as e:  # a violation needs a recommendation; dates in order
        svc.inspection_conclude(by=admin_user, inspection=i, recommendations=[], data={
            "concluded_on": dt.date(2026, 2, 1), "findings": "Thiếu biên bản", "violation": True})  # fmt: skip
    assert set(e.value.errors) == {"concluded_on", "recommendations"}
    svc.inspection_conclude(by=admin_user, inspection=i, data={
        "concluded_on": dt.date(2026, 4, 28), "findings": "Thiếu 2 biên bản", "violation": True,
        "sent_on": dt.date(2026, 4, 29)}, recommendations=[
        svc.RecommendationIn("Bổ sung biên bản", dt.date(2026, 5, 30)), svc.RecommendationIn("", None)])  # fmt: skip
    i.refresh_from_db()
    assert i.conclusion_number == "01-KL/UBKTĐU" and i.violation and i.notice_number == "01-TB/UBKTĐU"
    assert Item.objects.get(pk=it.pk).state == "done"
    rec = i.recommendations.get()
    with pytest.raises(Conflict):  # concluded once
        svc.inspection_conclude(by=admin_user, inspection=i, recommendations=[], data={
            "concluded_on": dt.date(2026, 4, 28), "findings": "x"})  # fmt: skip
    svc.recommendation_done(by=admin_user, rec=rec, on=dt.date(2026, 5, 20), note="Đã bổ sung")
    with pytest.raises(Conflict):
        svc.recommendation_done(by=admin_user, rec=rec, on=dt.date(2026, 5, 21))


def test_the_superior_sees_late_items_open_recommendations_and_who_was_never_inspected(admin_user, tree, people):
    p = programme(admin_user, tree["C1"])
    item(admin_user, p, subject_org=tree["C1-T1"], due_on=dt.date(2026, 2, 28), starts_on=dt.date(2026, 2, 1))
    item(admin_user, p, subject_member=people["duc"], activity="supervision", due_on=dt.date(2030, 1, 1))
    svc.inspection_open(by=admin_user, org=tree["C1"], data={
        "body": "commission", "activity": "inspection", "method": "signs", "subject_org": tree["C1-T2"],
        "content": "Dấu hiệu vi phạm trong quản lý đảng phí", "decided_on": dt.date(2026, 5, 1),
        "ends_on": dt.date(2026, 6, 1), "team": "Tổ kiểm tra"})  # fmt: skip
    ov = sel.overview(admin_user, tree["D"], 2026)
    assert ov.total.items == 1 and ov.total.items_late == 1  # the 2030 item is not in 2026
    c1 = next(b for b in ov.branches if b.org == tree["C1"])
    assert c1.inspections == 1 and c1.items_late == 1
    never = {o.code for o in ov.never}
    assert "C1-T2" not in never and {"C1", "C1-T1", "C2", "C2-T1", "A"} <= never
    late, n = sel.late_items(admin_user, tree["D"])
    assert n == 1 and late[0].subject_org == tree["C1-T1"]


def test_the_overview_takes_the_same_queries_for_a_bigger_subtree(admin_user, tree, people):
    p = programme(admin_user, tree["C1"])
    item(admin_user, p, subject_org=tree["C1-T1"])
    sel.overview(admin_user, tree["D"], 2026)  # the reader's own member records, once per request
    with CaptureQueriesContext(connection) as small:
        sel.overview(admin_user, tree["D"], 2026)
    for k in range(5):
        it = item(admin_user, p, subject_org=tree["C1-T2"] if k % 2 else tree["C1-T1"])
        svc.inspection_open(by=admin_user, org=tree["C1"], item=it, data={
            "body": "commission", "decided_on": dt.date(2026, 3, 2), "ends_on": dt.date(2026, 4, 30), "team": "x"})  # fmt: skip
    with CaptureQueriesContext(connection) as big:
        sel.overview(admin_user, tree["D"], 2026)
    assert len(big) == len(small) <= 8


def test_an_inspection_of_a_merged_cell_shows_under_its_successor(admin_user, tree, people):
    i = svc.inspection_open(by=admin_user, org=tree["C1"], data={
        "body": "commission", "activity": "inspection", "method": "regular", "subject_org": tree["C1-T2"],
        "content": "Sinh hoạt chi bộ", "decided_on": dt.date(2025, 5, 1), "ends_on": dt.date(2025, 6, 1), "team": "x"})  # fmt: skip
    event = osvc.org_merge(by=admin_user, sources=[tree["C1-T1"], tree["C1-T2"]], decision=org_decision(2026, 1, 1),
                           new_target=osvc.NewOrg("C1-T9", "Chi bộ thôn Nà Lộc – Đồng Tâm", tree["C1-T1"].type,
                                                  tree["C1"]))  # fmt: skip
    target = event.links.get(role="target").organisation
    assert [x.pk for x in sel.inspections(admin_user, tree["C1"], sel.Filters(subject=target))] == [i.pk]
    tree["C1-T2"].refresh_from_db()
    assert sel.successor(tree["C1-T2"]) == target
    assert not sel.inspections(admin_user, tree["C1"], sel.Filters(subject=tree["C2-T1"])).exists()


def test_a_term_programme_needs_a_term_in_force(admin_user, tree):
    with pytest.raises(DomainError) as e:
        programme(admin_user, tree["C1"], year=None)
    assert "nhiệm kỳ" in e.value.errors["year"]
    msvc.term_create(by=admin_user, org=tree["C1"], name="2025–2030", starts_on=dt.date(2025, 9, 1))
    p = programme(admin_user, tree["C1"], year=None, title="Chương trình toàn khóa")
    assert p.term.name == "2025–2030" and p.period_label == "nhiệm kỳ 2025–2030"


def test_items_check_their_fields_in_vietnamese(admin_user, tree, people):
    p = programme(admin_user, tree["C1"])
    with pytest.raises(DomainError) as e:
        item(admin_user, p, subject_org=tree["C2-T1"], due_on=dt.date(2026, 1, 1), carried_by="", content=" ")
    assert e.value.errors == {
        "subject_org": "Chi bộ thôn Khe Bàn không thuộc phạm vi của Đảng bộ xã Khánh Yên.",
        "content": "Trường này là bắt buộc.",
        "carried_by": "Trường này là bắt buộc.",
        "due_on": "Hạn hoàn thành không được trước ngày bắt đầu.",
    }
    with pytest.raises(DomainError) as e:
        item(admin_user, p, subject_org=tree["C1-T1"], subject_member=people["duc"])
    assert e.value.errors["subject_org"] == "Chọn một tổ chức đảng hoặc một đảng viên (không cả hai)."
