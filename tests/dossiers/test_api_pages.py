"""The API contract for dossiers, and the pages a secretary and a superior committee use."""

import io

import pytest
from openpyxl import load_workbook

from dangvu.dossiers import services as svc
from dangvu.dossiers.models import Dossier, DossierType
from tests.jobs.helpers import export

from .conftest import docx, pdf
from .test_dossiers import VILLAGE, fill


@pytest.fixture
def filled(admin_user, tree):
    fill(admin_user, tree["C1-T1"], 2026, VILLAGE)
    fill(admin_user, tree["C1-T2"], 2026, VILLAGE[:3])
    return tree


@pytest.mark.django_db
def test_catalogues_api_carries_type_year_and_dossier_types(client, admin_user, types):
    svc.catalogue_create(by=admin_user, org_type=types["cbtt-thon"], year=2026)
    client.force_login(admin_user)
    items = client.get("/api/v1/dossiers/catalogues?org_type=cbtt-thon").json()["items"]
    assert [(c["org_type"], c["year"], len(c["dossier_types"])) for c in items] == [("cbtt-thon", 2026, 12),
                                                                                    ("cbtt-thon", 2020, 12)]  # fmt: skip
    t = items[0]["dossier_types"][0]
    assert t == {"code": "TC01", "name": "Sổ danh sách đảng viên", "field": "to-chuc", "keeping": "permanent",
                 "required_meta": ["issued_on", "signer"], "needs_file": True, "link_kind": "register",
                 "form": "Mẫu 7-HSĐV", "retention": "Vĩnh viễn"}  # fmt: skip
    in_force = client.get("/api/v1/dossiers/catalogues?year=2025").json()["items"]
    assert {c["org_type"]: c["year"] for c in in_force}["cbtt-thon"] == 2020
    assert len(in_force) == len({c["org_type"] for c in in_force})


@pytest.mark.django_db
def test_completeness_api_per_organisation_and_subtree_totals(client, admin_user, filled):
    client.force_login(admin_user)
    body = client.get("/api/v1/dossiers/completeness?org=C1&year=2026").json()
    assert body["org"] == "C1" and body["year"] == 2026 and body["count"] == 3
    assert {k: body["totals"][k] for k in ("orgs", "complete", "cells", "cells_complete", "required", "present")} == {
        "orgs": 3, "complete": 1, "cells": 2, "cells_complete": 1, "required": 48 + 24, "present": 15}  # fmt: skip
    per = {o["org"]: o for o in body["organisations"]}
    assert per["C1-T1"]["complete"] and per["C1-T1"]["percent"] == 100.0
    assert per["C1-T2"]["present"] == 3 and [m["code"] for m in per["C1-T2"]["missing"]] == VILLAGE[3:]
    assert {b["org"] for b in body["branches"]} == {"C1", "C1-T1", "C1-T2"}
    assert (
        client.get("/api/v1/dossiers/completeness?org=C1&year=2026&only_incomplete=true").json()["count"] == 2
    )


@pytest.mark.django_db
def test_dossier_api_open_upload_link_search(client, admin_user, tree):
    client.force_login(admin_user)
    r = client.post(
        "/api/v1/dossiers", {"org": "C1-T1", "code": "TC09", "year": 2026}, content_type="application/json"
    )
    assert r.status_code == 400 and "không có trong danh mục" in r.json()["errors"]["code"]
    r = client.post("/api/v1/dossiers", {"org": "C1-T1", "code": "KT01", "year": 2026, "number": "03-KH/CB",
                                          "issued_on": "2026-01-05"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201
    d = r.json()
    assert (d["year_from"], d["year_to"], d["complete"], d["missing"]) == (
        2026,
        2026,
        False,
        ["tệp hoặc liên kết"],
    )
    r = client.post(f"/api/v1/dossiers/{d['id']}/files", {"file": pdf("Ke hoach giam sat thu nop dang phi")})
    assert r.status_code == 201 and r.json()["version"] == 1
    r = client.post(f"/api/v1/dossiers/{d['id']}/files", {"file": docx("x", name="ke-hoach.pdf"),
                                                          "replaces": r.json()["id"]})  # fmt: skip
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["kind"] == "docx"
    r = client.post(f"/api/v1/dossiers/{d['id']}/files", {"file": io.BytesIO(b"")})
    assert r.status_code in (400, 422)
    body = client.get(f"/api/v1/dossiers/{d['id']}").json()
    assert body["complete"] and [(f["version"], f["current"]) for f in body["files"]] == [
        (2, True),
        (1, False),
    ]
    assert client.get(f"/api/v1/dossiers/{d['id']}/files/{body['files'][1]['id']}").status_code == 200
    r = client.patch(f"/api/v1/dossiers/{d['id']}", {"title": ""}, content_type="application/json")
    assert r.status_code == 400 and "title" in r.json()["errors"]
    reg = client.post("/api/v1/dossiers", {"org": "C1-T1", "code": "TC01", "year": 2026},
                      content_type="application/json").json()  # fmt: skip
    r = client.post(
        f"/api/v1/dossiers/{reg['id']}/links", {"kind": "register"}, content_type="application/json"
    )
    assert r.status_code == 201
    r = client.post(
        f"/api/v1/dossiers/{reg['id']}/links", {"kind": "minutes"}, content_type="application/json"
    )
    assert r.status_code == 400 and "kind" in r.json()["errors"]
    found = client.get("/api/v1/dossiers?q=ke hoach&year=2026").json()
    assert found["count"] == 1 and found["items"][0]["code"] == "KT01"


@pytest.mark.django_db
def test_out_of_scope_is_404_in_the_api_and_pages(client, admin_user, tree, user_on):
    d = svc.dossier_open(by=admin_user, org=tree["C2-T1"], code="TC01", year=2026)
    f = svc.file_add(by=admin_user, dossier=d, upload=pdf("x"))
    client.force_login(user_on("C1"))
    for url in (f"/api/v1/dossiers/{d.pk}", f"/api/v1/dossiers/{d.pk}/files/{f.pk}",
                "/api/v1/dossiers/completeness?org=C2&year=2026", f"/dossiers/{d.pk}/",
                f"/dossiers/{d.pk}/files/{f.pk}/", "/dossiers/organisations/C2-T1/2026/", "/dossiers/?org=C2"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    r = client.post(
        "/api/v1/dossiers", {"org": "C2-T1", "code": "TC03", "year": 2026}, content_type="application/json"
    )
    assert r.status_code == 400 and "org" in r.json()["errors"]
    assert client.post(f"/dossiers/{d.pk}/files/", {"file": pdf("x")}).status_code == 404


@pytest.mark.django_db
def test_superior_committee_pages_and_export(client, admin_user, filled):
    client.force_login(admin_user)
    page = client.get("/dossiers/?org=C1&year=2026").content.decode()
    assert "1/3" in page and "1/1 đảng bộ" not in page and "1/2 chi bộ" in page
    assert "Chương trình, kế hoạch kiểm tra, giám sát năm" in page  # most missing
    wb = load_workbook(io.BytesIO(export(client, "/dossiers/export.xlsx?org=C1&year=2026")))
    assert "1/3 tổ chức đủ hồ sơ" in wb["Tổng hợp"]["A3"].value
    rows = list(wb["Theo tổ chức"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3], r[4]) for r in rows] == [("C1-T2", 12, 3), ("C1-T1", 12, 12), ("C1", 48, 0)]
    checklist = client.get("/dossiers/organisations/C1-T2/2026/").content.decode()
    assert "Đã có 3/12 loại hồ sơ (25.0%)" in checklist or "Đã có 3/12 loại hồ sơ (25,0%)" in checklist
    assert client.get("/dossiers/search/?q=tc03").status_code == 200


@pytest.mark.django_db
def test_catalogue_pages_edit_and_import(client, admin_user, types, user_on):
    client.force_login(admin_user)
    cat = svc.catalogue_create(by=admin_user, org_type=types["cbtt-thon"], year=2026)
    r = client.post(f"/dossiers/catalogues/{cat.pk}/", {"code": "TG09", "name": "Danh sách kích hoạt Sổ tay",
                                                       "field": "tuyen-giao", "keeping": "year"})  # fmt: skip
    assert r.status_code == 302 and cat.types.filter(code="TG09").exists()
    r = client.post(f"/dossiers/catalogues/{cat.pk}/", {"code": "TG09", "name": "x", "field": "tuyen-giao",
                                                       "keeping": "year"})  # fmt: skip
    assert r.status_code == 200 and "đã có trong danh mục" in r.content.decode()
    t = cat.types.get(code="TG09")
    r = client.post(f"/dossiers/catalogues/{cat.pk}/types/{t.pk}/", {"remove": "1"})
    assert r.status_code == 302 and not DossierType.objects.filter(pk=t.pk).exists()
    r = client.get(f"/dossiers/catalogues/{cat.pk}/export.xlsx")
    data = b"".join(r.streaming_content)
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post("/dossiers/catalogues/", {"org_type": types["cbcs-thon"].pk, "year": 2026,
                                              "file": SimpleUploadedFile("d.xlsx", data)})  # fmt: skip
    assert r.status_code == 302
    assert (
        DossierType.objects.filter(catalogue__org_type=types["cbcs-thon"], catalogue__year=2026).count() == 12
    )
    viewer = user_on("P", "viewer")
    client.force_login(viewer)
    assert client.post(f"/dossiers/catalogues/{cat.pk}/", {"code": "X", "name": "x"}).status_code == 403


@pytest.mark.django_db
def test_checklist_upload_raises_completeness(client, admin_user, tree):
    client.force_login(admin_user)
    r = client.post("/dossiers/organisations/C1-T1/2026/open/", {"code": "VP03", "file": pdf("Lich sinh hoat"),
                                                                "next": "checklist"})  # fmt: skip
    assert r.url == "/dossiers/organisations/C1-T1/2026/#line-VP03"  # complete: back to its line of the list
    d = Dossier.objects.get(code="VP03")
    assert d.complete and d.files.count() == 1 and d.year_from == 2026


@pytest.mark.django_db
def test_opening_without_a_file_leaves_nothing_and_an_incomplete_one_leads_to_what_it_lacks(client, admin_user,
                                                                                            tree):  # fmt: skip
    client.force_login(admin_user)
    r = client.post("/dossiers/organisations/C1-T1/2026/open/", {"code": "VP03", "next": "checklist"}, follow=True)
    assert "Chưa chọn tệp cho «Lịch sinh hoạt chi bộ đăng ký trước»" in r.content.decode()
    assert not Dossier.objects.exists()  # no empty dossier left behind
    r = client.post("/dossiers/organisations/C1-T1/2026/open/", {"code": "KT01", "file": pdf("Ke hoach"),
                                                                "next": "checklist"})  # fmt: skip
    d = Dossier.objects.get(code="KT01")
    assert r.url == f"/dossiers/{d.pk}/?year=2026#meta" and not d.complete
    html = client.get(r.url).content.decode()
    assert "Còn thiếu: Số, ký hiệu, Ngày ban hành / mở sổ; hãy bổ sung bên dưới." in html
    r = client.post("/dossiers/organisations/C1-T1/2026/open/", {"code": "TC01"})  # a register: a link will do
    assert r.url.endswith("#links") and Dossier.objects.filter(code="TC01").exists()
