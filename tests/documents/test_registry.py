"""The registers as a committee's office keeps them: numbers from 01 per type within the term, never reused;
who may issue which type as dated rules; the incoming register with its arrival numbers, classified files and
deadlines; the word search without diacritics, inside the files too."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.core.dates import today
from dangvu.core.errors import Conflict, DomainError, Forbidden
from dangvu.documents import selectors as sel
from dangvu.documents import services as svc
from dangvu.documents.models import Outgoing

from .conftest import inc, out, pdf

pytestmark = pytest.mark.django_db


def symbols(org):
    return list(Outgoing.objects.filter(organisation=org).order_by("pk").values_list("symbol", flat=True))


def test_numbers_run_from_01_per_type_within_the_term_and_start_again_with_the_next(admin_user, tree, terms):
    c1 = tree["C1"]
    for on in (dt.date(2025, 3, 1), dt.date(2025, 9, 30)):
        svc.outgoing_add(by=admin_user, org=c1, data=out(on=on))
    svc.outgoing_add(by=admin_user, org=c1, data=out("BC", on=dt.date(2025, 9, 1), subject="Báo cáo quý III"))
    svc.outgoing_add(by=admin_user, org=c1, data=out(on=dt.date(2025, 10, 1)))  # the new term: 01 again
    svc.outgoing_add(by=admin_user, org=c1, data=out("QĐ", body="commission", subject="Quyết định kiểm tra"))
    assert symbols(c1) == ["01-KH/ĐU", "02-KH/ĐU", "01-BC/ĐU", "01-KH/ĐU", "01-QĐ/UBKTĐU"]
    old, new = terms
    assert Outgoing.objects.filter(term=old).count() == 3 and Outgoing.objects.filter(term=new).count() == 2


def test_a_congress_numbers_its_documents_in_one_sequence_across_types(admin_user, tree, terms):
    c1 = tree["C1"]
    for t in ("CTr", "BC", "NQ"):
        svc.outgoing_add(by=admin_user, org=c1, data=out(t, on=dt.date(2025, 9, 20), body="congress",
                                                          subject="Văn kiện đại hội"))  # fmt: skip
    svc.outgoing_add(by=admin_user, org=c1, data=out("NQ", on=dt.date(2025, 9, 20), subject="Nghị quyết BCH"))
    assert symbols(c1) == ["01-CTr/ĐH", "02-BC/ĐH", "03-NQ/ĐH", "01-NQ/ĐU"]


def test_a_cell_is_refused_a_type_it_may_not_issue_with_the_rule_in_force_on_the_date(admin_user, tree):
    cell = tree["C1-T1"]
    with pytest.raises(DomainError) as e:
        svc.outgoing_add(by=admin_user, org=cell, data=out("QC", on=dt.date(2025, 12, 1), subject="Quy chế"))
    assert e.value.errors["doc_type"] == "Chi bộ không được ban hành quy chế (theo QĐ 66-QĐ/TW ngày 06/02/2017, Điều 9)."
    doc = svc.outgoing_add(by=admin_user, org=cell, data=out("QC", on=dt.date(2026, 2, 1), subject="Quy chế"))
    assert doc.symbol == "01-QC/CB"  # QĐ 399 (from 09/01/2026) lets a cell adopt its working rules
    with pytest.raises(DomainError) as e:
        svc.outgoing_add(by=admin_user, org=cell, data=out("HD", on=dt.date(2026, 2, 1), subject="Hướng dẫn"))
    assert "QĐ 399-QĐ/TW" in e.value.errors["doc_type"]
    with pytest.raises(DomainError) as e:  # a cell congress issues only NQ, QC, CTr, CV, BB
        svc.outgoing_add(by=admin_user, org=cell, data=out("KH", on=dt.date(2026, 2, 1), body="congress"))
    assert e.value.errors["doc_type"].startswith("Đại hội chi bộ không được ban hành kế hoạch")
    with pytest.raises(DomainError) as e:  # a cell has no standing committee
        svc.outgoing_add(by=admin_user, org=cell, data=out(body="standing"))
    assert "body" in e.value.errors
    assert symbols(cell) == ["01-QC/CB"]  # nothing refused took a number


def test_a_voided_document_keeps_its_number_and_the_next_is_never_the_same(admin_user, tree):
    c1 = tree["C1"]
    first = svc.outgoing_add(by=admin_user, org=c1, data=out())
    with pytest.raises(DomainError):
        svc.outgoing_void(by=admin_user, doc=first, reason="  ")
    svc.outgoing_void(by=admin_user, doc=first, reason="Ban hành nhầm đối tượng")
    with pytest.raises(Conflict):  # a double click
        svc.outgoing_void(by=admin_user, doc=first, reason="lần hai")
    second = svc.outgoing_add(by=admin_user, org=c1, data=out())
    assert (first.symbol, second.symbol) == ("01-KH/ĐU", "02-KH/ĐU")
    first.refresh_from_db()
    assert first.voided and first.void_reason == "Ban hành nhầm đối tượng"


def test_bad_input_is_refused_field_by_field_and_nothing_is_numbered(admin_user, tree):
    c1 = tree["C1"]
    cases = [
        (out(on=dt.date(2099, 1, 1)), "issued_on", "sau hôm nay"),
        (out(on=dt.date(2009, 12, 31)), "issued_on", "ngày thành lập"),
        (out(subject=" "), "subject", "bắt buộc"),
        (out(doc_type="QyĐ"), "doc_type", "không có trong danh sách"),
        (out(classification="x"), "classification", "không có trong danh sách"),
    ]
    for data, field, words in cases:
        with pytest.raises(DomainError) as e:
            svc.outgoing_add(by=admin_user, org=c1, data=data)
        assert words in e.value.errors[field], (field, e.value.errors)
    assert symbols(c1) == []


def test_only_the_writing_roles_of_the_subtree_register(role, tree):
    with pytest.raises(Forbidden):
        svc.outgoing_add(by=role("viewer"), org=tree["C1"], data=out())
    with pytest.raises(Forbidden):
        svc.incoming_add(by=role("secretary", "C2"), org=tree["C1"], data=inc())
    doc = svc.outgoing_add(by=role("secretary"), org=tree["C1-T1"], data=out("BC", subject="Báo cáo tháng"))
    assert doc.symbol == "01-BC/CB"


def test_incoming_takes_an_arrival_number_per_year_and_follows_its_deadline(admin_user, tree, settings):
    c1 = tree["C1-T1"]  # a cell: no decision on the tree was typed into its register
    a = svc.incoming_add(by=admin_user, org=c1, data=inc(on=dt.date(2025, 12, 30), due_on=dt.date(2026, 1, 5)))
    b = svc.incoming_add(by=admin_user, org=c1, data=inc(on=dt.date(2026, 1, 2)))
    c = svc.incoming_add(by=admin_user, org=c1, data=inc(on=dt.date(2026, 1, 3)))
    assert [(d.arrival_number, d.year) for d in (a, b, c)] == [(1, 2025), (1, 2026), (2, 2026)]
    assert a.late and [d.pk for d in sel.incoming(admin_user, c1, late=True)] == [a.pk]
    with pytest.raises(DomainError) as e:
        svc.incoming_handle(by=admin_user, doc=a, data={"status": "done", "handler": "Văn phòng"})
    assert e.value.errors == {"outcome": "Hãy ghi kết quả xử lý."}
    svc.incoming_handle(by=admin_user, doc=a, data={"status": "done", "handler": "Văn phòng",
                                                    "outcome": "Đã tham mưu kế hoạch 12-KH/ĐU"})  # fmt: skip
    a.refresh_from_db()
    assert not a.late and a.done_on is not None
    assert list(sel.incoming(admin_user, c1, late=True)) == []
    with pytest.raises(Conflict):
        svc.incoming_handle(by=admin_user, doc=a, data={"status": "handling"})
    with pytest.raises(DomainError) as e:
        svc.incoming_add(by=admin_user, org=c1, data=inc(their_date=dt.date(2026, 3, 5)))
    assert "received_on" in e.value.errors


def test_a_classified_document_is_registered_without_its_file_off_the_party_network(admin_user, tree, settings):
    c1 = tree["C1-T1"]
    settings.DANGVU_PARTY_NETWORK = False
    with pytest.raises(DomainError) as e:
        svc.incoming_add(by=admin_user, org=c1, data=inc(classification="mat"), upload=pdf("Tai lieu mat"))
    assert "QĐ 217-QĐ/TW" in e.value.errors["file"] and "Mật" in e.value.errors["file"]
    doc = svc.incoming_add(by=admin_user, org=c1, data=inc(classification="mat"))
    assert doc.arrival_number == 1 and not doc.file
    with pytest.raises(DomainError):
        svc.file_attach(by=admin_user, doc=doc, upload=pdf("Tai lieu mat"))
    settings.DANGVU_PARTY_NETWORK = True
    doc = svc.file_attach(by=admin_user, doc=doc, upload=pdf("Tai lieu mat"))
    assert doc.file and doc.file_sha256
    with pytest.raises(Conflict):  # the stored file is the original: never replaced
        svc.file_attach(by=admin_user, doc=doc, upload=pdf("Khac"))


def test_search_ignores_diacritics_and_reads_inside_the_files(admin_user, tree):
    c1 = tree["C1"]
    svc.outgoing_add(by=admin_user, org=c1, data=out(subject="Kế hoạch kiểm tra đảng viên chấp hành Điều lệ"),
                     upload=pdf("Phu luc danh sach chi bo thon Na Loc"))  # fmt: skip
    svc.outgoing_add(by=admin_user, org=c1, data=out("BC", subject="Báo cáo sơ kết"))
    svc.incoming_add(by=admin_user, org=c1, data=inc(sender="Ủy ban Kiểm tra Tỉnh ủy"))
    svc.outgoing_add(by=admin_user, org=tree["C1-T1"], data=out("BC", subject="Báo cáo chi bộ thôn Nà Lộc"))

    def found(q, **kw):
        return [d.symbol for d in sel.outgoing(admin_user, c1, q=q, **kw)]

    assert found("dieu le") == ["01-KH/ĐU"]
    assert found("na loc") == ["01-KH/ĐU"]  # only in the PDF's text
    assert found("01-bc") == ["01-BC/ĐU"]
    assert found("na loc", subtree=True) == ["01-BC/CB", "01-KH/ĐU"]
    assert [d.sender for d in sel.incoming(admin_user, c1, q="uy ban kiem tra")] == ["Ủy ban Kiểm tra Tỉnh ủy"]
    assert found("khong co") == []


def test_an_unchecked_file_is_refused_and_nothing_is_numbered(admin_user, tree):
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError) as e:
        svc.outgoing_add(by=admin_user, org=tree["C1"], data=out(), upload=bad)
    assert "file" in e.value.errors and symbols(tree["C1"]) == []


def test_inspection_takes_its_numbers_here_and_a_cell_is_refused_a_conclusion_number(admin_user, tree, people):
    from dangvu.inspection import services as isvc

    cell = tree["C1-T1"]
    i = isvc.inspection_open(by=admin_user, org=cell, data={
        "body": "cell", "activity": "inspection", "method": "regular", "subject_member": people["duc"],
        "content": "Chấp hành Điều lệ", "decided_on": dt.date(2026, 3, 2), "ends_on": dt.date(2026, 4, 1),
        "team": "Bí thư"})  # fmt: skip
    entry = Outgoing.objects.get(organisation=cell)
    assert (entry.symbol, entry.origin) == (i.decision_number, "inspection") == ("01-QĐ/CB", "inspection")
    assert people["duc"].full_name not in entry.subject and "duc" not in entry.search_text  # confidential
    with pytest.raises(DomainError) as e:
        isvc.inspection_conclude(by=admin_user, inspection=i, data={
            "concluded_on": dt.date(2026, 3, 30), "findings": "Không vi phạm", "violation": False},
            recommendations=[])  # fmt: skip
    assert "Chi bộ không được ban hành kết luận" in " ".join(e.value.errors.values())


def test_a_decision_on_the_tree_typed_in_goes_to_the_incoming_register_once(admin_user, tree):
    from dangvu.documents.models import Incoming
    from dangvu.organizations import services as osvc
    from tests.conftest import decision

    osvc.org_merge(by=admin_user, sources=[tree["C1-T1"], tree["C1-T2"]],
                           decision=decision(2026, 2, 1, number="Số 35-QĐ/TU", issuer="Tỉnh ủy"),
                           new_target=osvc.NewOrg("C1-T9", "Chi bộ thôn Nà Lộc – Đồng Tâm", tree["C1-T1"].type,
                                                  tree["C1"]))  # fmt: skip
    entry = Incoming.objects.get(their_number="35-QĐ/TU")
    assert entry.organisation == tree["C1"] and entry.sender == "Tỉnh ủy" and entry.their_date == dt.date(2026, 2, 1)
    assert entry.received_on == today()  # typed in today: arrival numbers follow arrival
    assert "Hợp nhất" in entry.subject and "Chi bộ thôn Nà Lộc – Đồng Tâm" in entry.subject
    assert [d.pk for d in sel.incoming(admin_user, tree["C1"], q="35-qd/tu")] == [entry.pk]
    n = Incoming.objects.filter(their_number="12-QĐ/TU").count()  # the fixture's tree: one decision, many orgs
    assert n == len({o.parent_id for o in tree.values() if o.parent_id})


def test_numbers_of_meetings_stay_theirs_and_a_province_signs_tu(admin_user, tree, settings):
    from pathlib import Path

    from django.db import transaction

    from dangvu.documents.models import Origin

    with transaction.atomic():
        minutes = svc.issue(tree["C1-T1"], "BB", dt.date(2026, 3, 2), origin=Origin.MEETING, check=False)
    with pytest.raises(Conflict) as e:
        svc.outgoing_void(by=admin_user, doc=minutes, reason="x")
    assert "biên bản, nghị quyết của cuộc họp" in e.value.message
    with pytest.raises(Conflict):
        svc.file_attach(by=admin_user, doc=minutes, upload=pdf("x"))
    assert svc.outgoing_add(by=admin_user, org=tree["P"], data=out()).symbol == "01-KH/TU"
    qd = svc.outgoing_add(by=admin_user, org=tree["P"], data=out("QĐ", body="commission", subject="Quyết định"))
    assert qd.symbol == "01-QĐ/UBKTTU"
    doc = svc.outgoing_add(by=admin_user, org=tree["C1"], data=out(), upload=pdf("Ban ky"))
    stored = sorted(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    with pytest.raises(Conflict):  # refused inside the transaction: the second file is not left behind
        svc.file_attach(by=admin_user, doc=doc, upload=pdf("Ban khac"))
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*.pdf")) == stored
