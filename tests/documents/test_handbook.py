"""The procedures handbook: the starter procedures the seed articles list, a committee's own pages (Markdown,
versioned, with attachments) read by its whole subtree, searchable without diacritics, linked from the pages
where each procedure happens; raw HTML and script links never reach the page."""

import pytest

from dangvu.core.errors import Conflict, DomainError, Forbidden
from dangvu.documents import handbook as hb
from tests.conftest import VerifiedClient

from .conftest import pdf

pytestmark = pytest.mark.django_db

STARTERS = {"thanh-lap-to-chuc-dang", "giai-the-to-chuc-dang", "hop-nhat-sap-nhap", "chia-tach-to-chuc-dang",
            "quy-che-lam-viec", "phan-cong-cap-uy-vien", "sinh-hoat-chi-bo", "ket-nap-dang-vien",
            "chuyen-sinh-hoat-dang", "van-thu-so-van-ban"}  # fmt: skip


def login(user):
    c = VerifiedClient()
    c.force_login(user)
    return c


def test_every_organisation_starts_with_the_procedures_and_reads_its_nearest_ancestors(admin_user, tree):
    assert {p.slug for p in hb.pages(tree["C1-T1"])} == STARTERS
    hb.save(by=admin_user, org=tree["C1"], slug="sinh-hoat-chi-bo", title="Sinh hoạt chi bộ ở xã Khánh Yên",
            body="1. Họp chi ủy ngày 25 hằng tháng.", base_version=None)  # fmt: skip
    cell = hb.page(tree["C1-T1"], "sinh-hoat-chi-bo")
    assert cell.organisation == tree["C1"] and cell.version == 1  # the commune's, read by its cells
    assert hb.page(tree["C2-T1"], "sinh-hoat-chi-bo").organisation is None  # another commune keeps the starter
    own = hb.save(by=admin_user, org=tree["C1-T1"], slug="sinh-hoat-chi-bo", title="Riêng của chi bộ",
                  body="Họp ngày 3.", base_version=None)  # fmt: skip
    assert hb.page(tree["C1-T1"], "sinh-hoat-chi-bo") == own
    assert hb.page(tree["C1-T2"], "sinh-hoat-chi-bo").organisation == tree["C1"]


def test_each_save_is_a_version_and_a_stale_edit_is_refused(admin_user, tree):
    p = hb.save(by=admin_user, org=tree["C1"], slug=None, title="Quy trình tiếp công dân", body="Bước 1.",
                base_version=None)  # fmt: skip
    assert p.slug == "quy-trinh-tiep-cong-dan"
    p = hb.save(by=admin_user, org=tree["C1"], slug=p.slug, title=p.title, body="Bước 1. Bước 2.", base_version=1,
                note="thêm bước 2")  # fmt: skip
    assert p.version == 2 and [v.version for v in p.versions.all()] == [2, 1]
    with pytest.raises(Conflict):  # opened at version 1, saved after version 2: refused, nothing lost
        hb.save(by=admin_user, org=tree["C1"], slug=p.slug, title=p.title, body="Cũ", base_version=1)
    with pytest.raises(DomainError) as e:
        hb.save(by=admin_user, org=tree["C1"], slug=p.slug, title=" ", body="x", base_version=2)
    assert e.value.errors == {"title": "Trường này là bắt buộc."}


def test_search_ignores_diacritics(admin_user, tree):
    hb.save(by=admin_user, org=tree["C1"], slug=None, title="Tiếp nhận đảng viên về nơi cư trú",
            body="Đảng viên đang công tác giữ mối liên hệ với chi ủy nơi cư trú.", base_version=None)  # fmt: skip
    assert [p.slug for p in hb.pages(tree["C1-T1"], "noi cu tru lien he")] == ["tiep-nhan-dang-vien-ve-noi-cu-tru"]
    assert [p.slug for p in hb.pages(tree["C1-T1"], "2/3 dang vien chinh thuc")] == ["ket-nap-dang-vien"]
    assert hb.pages(tree["C2-T1"], "noi cu tru lien he") == []


def test_markdown_renders_without_raw_html_or_script_links():
    html = hb.render("# Bước\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **đậm**")
    assert "<h1>Bước</h1>" in html and "<strong>đậm</strong>" in html
    assert "<script>" not in html and 'href="javascript' not in html


def test_pages_edit_attach_and_links_from_the_procedures(admin_user, tree, role):
    c = login(role("secretary", "C1"))
    page = c.get("/documents/handbook/hop-nhat-sap-nhap/?org=C1").content.decode()
    assert "Trang khởi đầu" in page and "Sửa thành trang của Đảng bộ xã Khánh Yên" in page
    r = c.post("/documents/handbook/hop-nhat-sap-nhap/files/?org=C1", {"file": pdf("Mau")})
    assert "trước khi đính kèm" in c.get(r["Location"]).content.decode()
    r = c.post("/documents/handbook/hop-nhat-sap-nhap/edit/?org=C1", {"title": "Hợp nhất (xã)",
                                                                      "body": "## Các bước\n1. Đề án"})  # fmt: skip
    assert r.status_code == 302
    r = c.post("/documents/handbook/hop-nhat-sap-nhap/files/?org=C1", {"title": "Mẫu tờ trình", "file": pdf("To trinh")})
    page = c.get("/documents/handbook/hop-nhat-sap-nhap/?org=C1").content.decode()
    assert "<h2>Các bước</h2>" in page and "Mẫu tờ trình" in page
    cell = login(role("viewer", "C1-T1"))
    page = cell.get("/documents/handbook/hop-nhat-sap-nhap/?org=C1-T1").content.decode()
    assert "Hợp nhất (xã)" in page and "Sửa" not in page
    f = hb.page(tree["C1"], "hop-nhat-sap-nhap").files.get()
    assert cell.get(f"/documents/handbook/files/{f.pk}/").status_code == 200  # the cell reads its commune's form
    assert login(role("viewer", "C2")).get(f"/documents/handbook/files/{f.pk}/").status_code == 404
    assert cell.post("/documents/handbook/hop-nhat-sap-nhap/edit/?org=C1-T1", {"title": "x", "body": "y"}).status_code == 403
    officer = login(admin_user)
    assert "Quy trình: Hợp nhất, sáp nhập tổ chức đảng" in officer.get("/organisations/decisions/merge/").content.decode()
    assert "Quy trình: Phân công nhiệm vụ cấp ủy viên" in officer.get("/members/organisations/C1/leadership/").content.decode()
    with pytest.raises(Forbidden):
        hb.save(by=role("viewer", "C1"), org=tree["C1"], slug=None, title="x", body="y", base_version=None)
    r = c.put("/api/v1/documents/handbook/van-thu-so-van-ban", {"org": "C1", "title": "Văn thư", "body": "Nội dung"},
              content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["owner"] == "C1" and r.json()["version"] == 1


def test_the_links_name_the_starter_pages():
    from importlib import import_module

    pages = import_module("dangvu.documents.migrations.0008_handbook_starter").PAGES
    assert {slug: title for slug, title, _ in pages} == hb.PROCEDURES
