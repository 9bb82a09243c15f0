"""Dossiers: opening one for a year, files (checked by content, versioned, verified), links, search inside
files, completeness rolled up the tree, and the dossiers of closed organisations."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.core.errors import DomainError, NotFound
from dangvu.dossiers import selectors as sel
from dangvu.dossiers import services as svc
from dangvu.dossiers.models import Dossier, DossierFile
from dangvu.organizations import services as osvc
from dangvu.organizations.models import OrgEvent
from dangvu.organizations.services import Forbidden

from ..conftest import decision
from .conftest import docx, pdf

VILLAGE = ["TC01", "TC02", "TC03", "TC08", "TC13", "TC14", "KT01", "TG01", "DV01", "VP03", "VP04", "TS01"]


def fill(by, org, year, codes):
    """Complete the dossiers `codes` of `org` for `year`: metadata and one file each."""
    for code in codes:
        d = svc.dossier_open(by=by, org=org, code=code, year=year,
                             data={"number": "01", "issued_on": dt.date(year, 1, 5), "signer": "Bí thư"})  # fmt: skip
        svc.file_add(by=by, dossier=d, upload=pdf(f"{code} {year}"))


@pytest.mark.django_db
def test_a_dossier_is_opened_for_its_period_and_only_for_a_type_in_the_catalogue(admin_user, tree):
    cell = tree["C1-T1"]
    yearly = svc.dossier_open(by=admin_user, org=cell, code="tc03", year=2026)
    assert (yearly.code, yearly.year_from, yearly.year_to, yearly.title) == (
        "TC03",
        2026,
        2026,
        "Sổ biên bản sinh hoạt chi bộ, hội nghị cấp ủy",
    )
    term = svc.dossier_open(by=admin_user, org=cell, code="TC13", year=2026)
    assert (term.year_from, term.year_to) == (2025, 2030)
    forever = svc.dossier_open(by=admin_user, org=cell, code="TC01", year=2022)
    assert (forever.year_from, forever.year_to) == (2022, None)
    # the same dossier serves every year it covers
    assert svc.dossier_open(by=admin_user, org=cell, code="TC01", year=2026) == forever
    assert svc.dossier_open(by=admin_user, org=cell, code="TC13", year=2027) == term
    n = Dossier.objects.count()
    with pytest.raises(DomainError) as e:
        svc.dossier_open(by=admin_user, org=cell, code="TC09", year=2026)  # admissions: committees only
    assert (
        e.value.errors["code"]
        == "Loại hồ sơ «TC09» không có trong danh mục của «Chi bộ trực thuộc thôn, bản, tổ dân phố» năm 2026."
    )
    with pytest.raises(DomainError, match="Chưa có danh mục"):
        svc.dossier_open(by=admin_user, org=cell, code="TC01", year=2019)
    with pytest.raises(DomainError, match="Chưa có danh mục"):
        svc.dossier_open(by=admin_user, org=tree["P"], code="TC01", year=2026)
    assert Dossier.objects.count() == n


@pytest.mark.django_db
def test_completeness_needs_the_required_metadata_and_a_file(admin_user, tree):
    d = svc.dossier_open(by=admin_user, org=tree["C1-T1"], code="KT01", year=2026)  # needs number and date
    assert not d.complete and svc.missing(d, svc.type_of(d)) == ["Số, ký hiệu", "Ngày ban hành / mở sổ",
                                                                  "tệp hoặc liên kết"]  # fmt: skip
    svc.file_add(by=admin_user, dossier=d, upload=pdf("Ke hoach kiem tra"))
    svc.dossier_update(by=admin_user, dossier=d, data={"number": "03-KH/CB", "issued_on": "05/01/2026"})
    d.refresh_from_db()
    assert d.complete and d.issued_on == dt.date(2026, 1, 5)
    with pytest.raises(DomainError) as e:
        svc.dossier_update(by=admin_user, dossier=d, data={"issued_on": "32/13/2026", "title": ""})
    assert set(e.value.errors) == {"issued_on", "title"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("ke-hoach.pdf", b"Day khong phai PDF"), "không phải là PDF"),
        (SimpleUploadedFile("ke-hoach.pdf", b""), "Tệp rỗng"),
        (SimpleUploadedFile("anh.png", b"%PDF-1.4" + b"x" * (2 * 1024 * 1024)), "vượt giới hạn 1 MB"),
        (SimpleUploadedFile("bang.docx", b"PK\x03\x04 not really a zip"), "không phải là PDF"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(admin_user, tree, settings, upload, message):
    settings.DANGVU_MAX_UPLOAD_MB = 1
    d = svc.dossier_open(by=admin_user, org=tree["C1-T1"], code="KT01", year=2026)
    with pytest.raises(DomainError) as e:
        svc.file_add(by=admin_user, dossier=d, upload=upload)
    assert message in e.value.errors["file"]
    assert not DossierFile.objects.exists()
    assert not (settings.MEDIA_ROOT / "dossiers").exists()


@pytest.mark.django_db
def test_opening_with_a_bad_file_on_the_page_leaves_no_dossier(client, admin_user, tree):
    client.force_login(admin_user)
    r = client.post("/dossiers/organisations/C1-T1/2026/open/",
                    {"code": "KT01", "file": SimpleUploadedFile("a.pdf", b"not a pdf"), "next": "checklist"})  # fmt: skip
    assert r.status_code == 302
    assert not Dossier.objects.exists()
    page = client.get(r.url)
    assert "không phải là PDF" in page.content.decode()


@pytest.mark.django_db
def test_replacing_keeps_the_old_version_and_downloads_are_verified(client, admin_user, tree):
    d = svc.dossier_open(by=admin_user, org=tree["C1-T1"], code="TC13", year=2026)
    v1 = svc.file_add(by=admin_user, dossier=d, upload=docx("Quy chế làm việc bản cũ"), title="Quy chế")
    v2 = svc.file_add(by=admin_user, dossier=d, upload=docx("Quy chế làm việc sửa đổi"), replaces=v1)
    v1.refresh_from_db()
    assert (v1.current, v2.current, v2.version, v2.title, v2.replaces) == (False, True, 2, "Quy chế", v1)
    with pytest.raises(DomainError):
        svc.file_add(by=admin_user, dossier=d, upload=docx("x"), replaces=v1)  # already replaced
    # search sees the current text only
    assert list(sel.search(admin_user, q="sua doi")) == [d]
    assert list(sel.search(admin_user, q="ban cu")) == []
    client.force_login(admin_user)
    r = client.get(f"/dossiers/{d.pk}/files/{v1.pk}/")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('-v1.docx"')
    assert b"word/document.xml" in r.content
    v2.file.storage.delete(v2.file.name)
    v2.file.storage.save(v2.file.name, ContentFile(b"PK\x03\x04 tampered"))
    r = client.get(f"/dossiers/{d.pk}/files/{v2.pk}/")
    assert r.status_code == 409
    from dangvu.core.models import AuditEntry

    assert list(AuditEntry.objects.filter(object_id=str(d.pk)).values_list("action", flat=True).order_by("id"))[-2:] == [
        "dossiers.file_download", "dossiers.file_corrupt"]  # fmt: skip


@pytest.mark.django_db
def test_search_reads_inside_pdf_and_docx_without_diacritics_in_scope_only(admin_user, tree, user_on):
    a = svc.dossier_open(by=admin_user, org=tree["C1-T1"], code="KT01", year=2026,
                         data={"number": "03-KH/CB"})  # fmt: skip
    svc.file_add(by=admin_user, dossier=a, upload=pdf("Ke hoach giam sat chuyen de ve thu nop dang phi"))
    b = svc.dossier_open(by=admin_user, org=tree["C2-T1"], code="TC13", year=2026)
    svc.file_add(
        by=admin_user, dossier=b, upload=docx("Quy chế làm việc của Chi bộ thôn Khe Bàn nhiệm kỳ 2025–2030")
    )
    assert list(sel.search(admin_user, q="thu nop dang phi")) == [a]
    assert list(sel.search(admin_user, q="Khe Ban quy che")) == [b]
    assert list(sel.search(admin_user, q="khe bàn", year=2026, code="tc13")) == [b]
    assert list(sel.search(admin_user, q="03-kh")) == [a]
    assert set(sel.search(admin_user, year=2026)) == {a, b}
    assert list(sel.search(admin_user, org=tree["C2"])) == [b]
    assert list(sel.search(admin_user, q="quy che", year=2024)) == []
    c1 = user_on("C1", "viewer")
    assert list(sel.search(c1, q="khe ban")) == []
    with pytest.raises(NotFound):
        sel.dossier_get(c1, b.pk)


@pytest.mark.django_db
def test_only_editors_in_scope_write_and_closed_organisations_are_read_only(admin_user, tree, user_on):
    with pytest.raises(NotFound):
        svc.dossier_open(by=user_on("C2"), org=tree["C1-T1"], code="TC01", year=2026)
    with pytest.raises(Forbidden):
        svc.dossier_open(by=user_on("C1", "viewer"), org=tree["C1-T1"], code="TC01", year=2026)
    d = svc.dossier_open(by=user_on("C1"), org=tree["C1-T1"], code="TC01", year=2026)
    osvc.org_dissolve(by=admin_user, org=tree["C1-T1"], decision=decision(2026, 6, 1))
    with pytest.raises(DomainError, match="chỉ còn để tra cứu"):
        svc.file_add(by=admin_user, dossier=Dossier.objects.get(pk=d.pk), upload=pdf("x"))


@pytest.mark.django_db
def test_closed_organisations_dossiers_are_reached_through_their_successor(admin_user, tree, user_on, types):
    """Khe Bàn (commune C2) merges into Nà Lộc (commune C1): C1's secretary now reaches Khe Bàn's old dossiers."""
    old = svc.dossier_open(by=admin_user, org=tree["C2-T1"], code="TC02", year=2025)
    svc.file_add(by=admin_user, dossier=old, upload=pdf("So nghi quyet Khe Ban"))
    secretary = user_on("C1")
    assert list(sel.search(secretary, q="khe ban")) == []
    osvc.org_merge(
        by=admin_user, sources=[tree["C2-T1"]], target=tree["C1-T1"], decision=decision(2026, 1, 1)
    )
    assert list(sel.search(secretary, q="khe ban")) == [old]
    assert sel.dossier_get(secretary, old.pk) == old
    c = sel.checklist(secretary, tree["C1-T1"], 2026)
    assert [p.code for p in c.predecessors] == ["C2-T1"]
    assert sel.org_reachable(secretary, "C2-T1").code == "C2-T1"
    assert list(sel.search(secretary, org=tree["C1-T1"])) == [old]
    # reachable to read, not to write
    with pytest.raises(NotFound):
        svc.file_add(by=secretary, dossier=old, upload=pdf("x"))


@pytest.mark.django_db
def test_links_to_records_the_system_holds_stand_for_files(admin_user, tree):
    reg = svc.dossier_open(by=admin_user, org=tree["C1-T1"], code="TC01", year=2026,
                           data={"issued_on": dt.date(2020, 1, 1), "signer": "Lò Văn An"})  # fmt: skip
    assert not reg.complete
    svc.link_add(by=admin_user, dossier=reg, kind="register")
    reg.refresh_from_db()
    assert reg.complete
    with pytest.raises(DomainError, match="đã được liên kết"):
        svc.link_add(by=admin_user, dossier=reg, kind="register")
    with pytest.raises(DomainError, match="không liên kết được"):
        svc.link_add(by=admin_user, dossier=reg, kind="decision", ref=1)
    d = svc.dossier_open(by=admin_user, org=tree["A"], code="TC16", year=2026,
                         data={"number": "12-QĐ/TU", "issued_on": dt.date(2010, 1, 1)})  # fmt: skip
    event = OrgEvent.objects.filter(links__organisation=tree["A"]).get()
    other = OrgEvent.objects.filter(links__organisation=tree["C1"]).first()
    with pytest.raises(DomainError, match="Không tìm thấy"):
        svc.link_add(by=admin_user, dossier=d, kind="decision", ref=other.pk)
    link = svc.link_add(by=admin_user, dossier=d, kind="decision", ref=event.pk)
    d.refresh_from_db()
    assert d.complete and "Quyết định số" in link.label
    svc.link_remove(by=admin_user, link=link)
    d.refresh_from_db()
    assert not d.complete


@pytest.mark.django_db
def test_completeness_rolls_up_per_branch_in_one_query(admin_user, tree, django_assert_num_queries):
    fill(admin_user, tree["C1-T1"], 2026, VILLAGE)  # complete
    fill(admin_user, tree["C1-T2"], 2026, VILLAGE[:6])  # half
    fill(admin_user, tree["C1-T2"], 2025, VILLAGE)  # last year's yearly dossiers do not count for this one
    with django_assert_num_queries(2):  # the rollup, and the branch names
        totals, branches = sel.rollup(tree["D"], 2026)
    # D (48) + C1, C2 (48 each) + three village cells (12 each) + A (17)
    assert (totals.orgs, totals.cells, totals.required) == (7, 4, 48 * 3 + 12 * 3 + 17)
    assert (totals.complete, totals.cells_complete, totals.present) == (1, 1, 12 + 6 + 0 + 0)
    by = {b["org"].code: b for b in branches}
    assert (by["C1"]["orgs"], by["C1"]["complete"], by["C1"]["cells"], by["C1"]["present"]) == (3, 1, 2, 18)
    assert by["D"]["is_self"] and by["D"]["required"] == 48
    # 2025: all twelve of C1-T2, and C1-T1's two term dossiers (TC02, TC13 cover the term 2025–2030)
    assert sel.rollup(tree["D"], 2025)[0].present == 12 + 2
    with django_assert_num_queries(
        4
    ):  # the page, and for its missing lists: catalogues, their types, dossiers
        count, rows = sel.org_rows(tree["C1"], 2026, only_incomplete=True)
    assert count == 2 and [r["code"] for r in rows] == ["C1-T2", "C1"]  # by name: "Chi bộ…" before "Đảng bộ…"
    t2 = rows[0]
    assert (t2["present"], t2["required"], t2["percent"]) == (6, 12, 50.0)
    assert [c for c, _ in t2["missing"]] == VILLAGE[6:]
    top = sel.missing_by_type(tree["C1"], 2026)
    assert {
        "code": "KT01",
        "name": "Chương trình, kế hoạch kiểm tra, giám sát năm",
        "orgs": 3,
        "missing": 2,
    } in top


@pytest.mark.django_db
def test_a_catalogue_change_is_judged_per_year(admin_user, tree, types):
    fill(admin_user, tree["C1-T1"], 2025, VILLAGE)
    fill(admin_user, tree["C1-T1"], 2026, VILLAGE)
    new = svc.catalogue_create(by=admin_user, org_type=types["cbtt-thon"], year=2026)
    svc.type_save(by=admin_user, catalogue=new, data={"code": "TG09", "name": "Danh sách kích hoạt Sổ tay đảng "
                  "viên điện tử", "field": "tuyen-giao"})  # fmt: skip
    assert sel.checklist(admin_user, tree["C1-T1"], 2025).percent == 100.0
    c = sel.checklist(admin_user, tree["C1-T1"], 2026)
    assert (c.present, c.required) == (12, 13)
    rows = sel.org_rows(tree["C1-T1"], 2026)[1]
    assert rows[0]["missing"] == [("TG09", "Danh sách kích hoạt Sổ tay đảng viên điện tử")]


@pytest.mark.django_db
def test_an_organisation_closed_during_the_year_still_counts_for_that_year(admin_user, tree):
    osvc.org_dissolve(by=admin_user, org=tree["C1-T2"], decision=decision(2026, 3, 1))
    assert sel.rollup(tree["C1"], 2026)[0].cells == 2
    assert sel.rollup(tree["C1"], 2027)[0].cells == 1


@pytest.mark.django_db
def test_each_dossier_keeps_the_catalogue_version_that_judged_it_and_a_new_one_rejudges(
    admin_user, tree, types, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from tests.jobs.helpers import run_worker

    fill(admin_user, tree["C1-T1"], 2025, ["TC08"])
    d = svc.dossier_open(by=admin_user, org=tree["C1-T1"], code="TC08", year=2026,
                         data={"issued_on": dt.date(2026, 1, 5)})  # fmt: skip  (no signer: not asked for)
    svc.file_add(by=admin_user, dossier=d, upload=pdf("TC08 2026"))
    old = svc.catalogue_for(types["cbtt-thon"].pk, 2026).year
    d25, d26 = (Dossier.objects.get(organisation=tree["C1-T1"], code="TC08", year_from=y) for y in (2025, 2026))
    assert (d25.rules_year, d26.rules_year, d26.complete) == (old, old, True)
    with django_capture_on_commit_callbacks(execute=True):
        new = svc.catalogue_create(by=admin_user, org_type=types["cbtt-thon"], year=2026)
        tc08 = new.types.get(code="TC08")
        svc.type_save(by=admin_user, catalogue=new, instance=tc08, data={
            "code": "TC08", "name": tc08.name, "field": tc08.field, "required_meta": ["issued_on", "signer"]})
    # the worker judges again what the catalogue judges (and the reviews resting on it), by itself
    task = DBTaskResult.objects.ready().get(task_path="dangvu.jobs.tasks.recompute")
    assert task.args_kwargs["args"] == [["dossiers", "evaluations"]]
    run_worker()
    d25.refresh_from_db()
    d26.refresh_from_db()
    assert (d25.rules_year, d25.complete) == (old, True)  # 2025 is still judged by the old version
    assert (d26.rules_year, d26.complete) == (2026, False)  # the new one asks for a signer
