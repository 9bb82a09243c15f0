"""Reconciliation with another register: matched by card, then citizen ID, then name and birth date; only in
the file, only in Dangvu, field-by-field differences; nothing written until chosen differences are applied,
all or nothing, through the profile's own checks, audited."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from dangvu.core.models import AuditEntry
from dangvu.members import reconcile
from dangvu.members.models import Member

from .conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

HEAD = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Quê quán", "Ngày vào Đảng", "Số thẻ", "Số CCCD"]


def national_file() -> SimpleUploadedFile:
    """What the national database exports for the cell, with the differences committees find."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH ĐẢNG VIÊN (xuất từ CSDL đảng viên)"])
    ws.append(HEAD)
    ws.append([1, "Nguyễn Văn Đức", "Nam", "17/05/1981", "Kinh", "", "02/03/2005", "01.000001", ""])  # birth year
    ws.append([2, "Đặng Thị Hòa", "Nữ", "02/01/1990", "Tày", "", "01/06/2015", "01.000002", ""])  # ethnicity
    ws.append([3, "Lo Van An", "Nam", "01/07/1960", "Tày", "Văn Bàn", "01/01/1985", "", ""])  # name, home town
    ws.append([4, "Trần Thị Dung", "Nữ", "02/02/2000", "Kinh", "", "01/12/2025", "", "001200000009"])
    ws.append([5, "Hoàng Văn Mới", "Nam", "01/01/1988", "Kinh", "", "01/01/2020", "01.009999", ""])  # not in Dangvu
    ws.append([6, "Lê Văn Lỗi", "Nam", "31/02/1980", "Kinh", "", "01/01/2020", "", ""])  # a date that is not one
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("csdl-dang-vien.xlsx", buf.getvalue())


@pytest.fixture
def cell(admin_user, tree, people):  # noqa: F811
    from dangvu.members import services as msvc

    msvc.member_update(by=admin_user, member=people["dung"], data={"citizen_id": "001200000009"})
    return tree["C1-T1"]


def test_the_comparison_matches_and_lists_every_difference_without_writing(admin_user, cell, people):  # noqa: F811
    before = AuditEntry.objects.count()
    cmp = reconcile.compare(by=admin_user, org=cell, source=national_file(), on=dt.date(2026, 11, 30))
    assert cmp.counts == {"matched": 4, "differing": 3, "differences": 4, "only_in_file": 1, "only_in_dangvu": 1,
                          "unreadable": 1}  # fmt: skip
    by_name = {p.member.full_name: p for p in cmp.pairs}
    assert by_name["Nguyễn Văn Đức"].matched_by == "số thẻ"
    assert [(d.field, d.ours_text, d.theirs_text) for d in by_name["Nguyễn Văn Đức"].differences] == [
        ("birth_date", "17/05/1980", "17/05/1981")]  # fmt: skip
    assert [(d.field, d.theirs) for d in by_name["Đặng Thị Hòa"].differences] == [("ethnicity", "Tày")]
    assert by_name["Lò Văn An"].matched_by == "họ tên và ngày sinh"
    assert {d.field for d in by_name["Lò Văn An"].differences} == {"full_name", "home_town"}
    assert by_name["Trần Thị Dung"].matched_by == "số CCCD" and by_name["Trần Thị Dung"].differences == []
    assert [d["full_name"] for _, d in cmp.only_in_file] == ["Hoàng Văn Mới"]
    assert [m.full_name for m in cmp.only_in_dangvu] == ["Phạm Minh Ánh"]
    assert "31/02/1980" in cmp.unreadable[0].vi
    assert AuditEntry.objects.count() == before
    assert Member.objects.get(pk=people["duc"].pk).birth_date == dt.date(1980, 5, 17)


def test_the_page_filters_exports_and_applies_chosen_differences(client, admin_user, cell, people):  # noqa: F811
    client.force_login(admin_user)
    r = client.post("/members/reconcile/", {"org": "C1-T1", "on": "30/11/2026", "file": national_file()})
    assert r.status_code == 302
    page = client.get(r.url).content.decode()
    assert 'id="count-differing">3<' in page and 'id="count-only_in_file">1<' in page
    assert "17/05/1981" in page and "Cập nhật Đảng vụ theo các ô đã chọn" in page
    token = r.url.split("token=")[1]
    html = client.get(r.url + "&tab=only_in_dangvu").content.decode()
    assert "Phạm Minh Ánh" in html
    x = client.get(r.url + "&export=1")
    wb = load_workbook(io.BytesIO(b"".join(x.streaming_content)))
    assert wb.sheetnames == ["Tổng hợp", "Khác nhau", "Chỉ có trong tệp", "Chỉ có trong Đảng vụ"]
    assert [c.value for c in wb["Khác nhau"][2]][3:] == ["Ngày sinh", "17/05/1980", "17/05/1981"]
    duc, hoa = people["duc"], people["hoa"]
    r = client.post("/members/reconcile/", {"org": "C1-T1", "token": token, "apply": "1",
                                            "chosen": [f"{duc.pk}:birth_date", f"{hoa.pk}:ethnicity"]},
                    follow=True)  # fmt: skip
    assert "Đã cập nhật 2 đảng viên theo tệp đối chiếu" in r.content.decode()
    duc.refresh_from_db()
    hoa.refresh_from_db()
    assert duc.birth_date == dt.date(1981, 5, 17) and hoa.ethnicity == "Tày"
    assert AuditEntry.objects.filter(action="member.update", object_id__in=[str(duc.pk), str(hoa.pk)]).count() == 2
    assert 'id="count-differing">1<' in r.content.decode()  # only Lò Văn An's remain


def test_applying_is_all_or_nothing(admin_user, cell, people):  # noqa: F811
    cmp = reconcile.compare(by=admin_user, org=cell, source=national_file(), on=dt.date(2026, 11, 30))
    an = people["an"]
    # the file writes An's name without its marks: valid; with a name the profile refuses, nothing is written
    pair = next(p for p in cmp.pairs if p.member.pk == an.pk)
    next(d for d in pair.differences if d.field == "full_name").theirs = ""
    with pytest.raises(Exception, match="Lò Văn An"):
        reconcile.apply(by=admin_user, org=cell, comparison=cmp,
                        chosen={(an.pk, "full_name"), (people["duc"].pk, "birth_date")})  # fmt: skip
    assert Member.objects.get(pk=people["duc"].pk).birth_date == dt.date(1980, 5, 17)


def test_a_viewer_may_compare_but_not_apply(client, cell, people, django_user_model):  # noqa: F811
    from dangvu.accounts import services as asvc

    viewer = django_user_model.objects.create_user("xem", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=viewer, organisation=cell, role="viewer", by=None)
    client.force_login(viewer)
    r = client.post("/members/reconcile/", {"org": "C1-T1", "file": national_file()})
    page = client.get(r.url).content.decode()
    assert "17/05/1981" in page and "Cập nhật Đảng vụ" not in page
    token = r.url.split("token=")[1]
    r = client.post("/members/reconcile/", {"org": "C1-T1", "token": token, "apply": "1",
                                            "chosen": [f"{people['duc'].pk}:birth_date"]})  # fmt: skip
    assert r.status_code == 403
