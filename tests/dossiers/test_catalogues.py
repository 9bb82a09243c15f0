"""Catalogues: the shipped defaults, yearly versions, editing and the Excel import (all or nothing)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from dangvu.core.errors import DomainError
from dangvu.dossiers import exporter
from dangvu.dossiers import selectors as sel
from dangvu.dossiers import services as svc
from dangvu.dossiers.models import Catalogue, DossierType, Field
from dangvu.organizations.services import Forbidden


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("danh-muc.xlsx", out.getvalue())


HEADER = ["Mã", "Tên hồ sơ", "Lĩnh vực", "Lập theo", "Thông tin bắt buộc"]


@pytest.mark.django_db
def test_default_catalogues_have_the_seed_model_sizes_and_the_six_fields(types):
    def count(code):
        return DossierType.objects.filter(catalogue__org_type__code=code, catalogue__year=2020).count()

    assert (count("xa"), count("dbcs-co-quan"), count("cbcs-su-nghiep"), count("cbtt-thon")) == (
        48,
        35,
        17,
        12,
    )
    commune = DossierType.objects.filter(catalogue__org_type__code="xa")
    assert set(commune.values_list("field", flat=True)) == set(Field.values)
    register = commune.get(code="TC01")
    assert (
        register.form == "Mẫu 7-HSĐV" and register.keeping == "permanent" and register.link_kind == "register"
    )
    names = " ".join(commune.values_list("name", flat=True)).lower()
    for record in ("sổ nghị quyết", "sổ biên bản", "cảm tình đảng", "đảng phí", "quy chế làm việc",
                   "kiểm tra, giám sát", "văn bản đi", "văn bản đến", "giao nhận hồ sơ đảng viên"):  # fmt: skip
        assert record in names


@pytest.mark.django_db
def test_a_new_version_judges_its_year_and_leaves_last_year_alone(admin_user, types, tree):
    village = types["cbtt-thon"]
    new = svc.catalogue_create(by=admin_user, org_type=village, year=2026)
    assert new.types.count() == 12  # copied from the version in force before it
    svc.type_save(by=admin_user, catalogue=new, data={"code": "TG09", "name": "Sổ tay đảng viên điện tử: danh sách "
                  "kích hoạt", "field": "Công tác tuyên giáo", "keeping": "year"})  # fmt: skip
    assert sel.checklist(admin_user, tree["C1-T1"], 2025).required == 12
    assert sel.checklist(admin_user, tree["C1-T1"], 2026).required == 13
    assert sel.checklist(admin_user, tree["C1-T1"], 2027).required == 13
    with pytest.raises(DomainError) as e:
        svc.catalogue_create(by=admin_user, org_type=village, year=2026)
    assert "year" in e.value.errors
    # a finished year's catalogue is frozen once a later one exists
    old = Catalogue.objects.get(org_type=village, year=2020)
    with pytest.raises(DomainError, match="danh mục năm mới"):
        svc.type_save(by=admin_user, catalogue=old, data={"code": "X1", "name": "x", "field": "to-chuc"})


@pytest.mark.django_db
def test_only_officers_of_the_root_publish(user_on, types):
    cat = Catalogue.objects.get(org_type=types["cbtt-thon"], year=2020)
    for code, role in (("C1", "admin"), ("P", "secretary"), ("P", "viewer")):
        with pytest.raises(Forbidden):
            svc.type_save(
                by=user_on(code, role), catalogue=cat, data={"code": "X", "name": "x", "field": "to-chuc"}
            )
    t = svc.type_save(
        by=user_on("P", "officer"), catalogue=cat, data={"code": "X", "name": "x", "field": "to-chuc"}
    )
    assert t.pk


@pytest.mark.django_db
def test_type_form_errors_are_per_field(admin_user, types):
    cat = Catalogue.objects.get(org_type=types["cbtt-thon"], year=2020)
    with pytest.raises(DomainError) as e:
        svc.type_save(by=admin_user, catalogue=cat, data={"code": "TC01", "name": "", "field": "lĩnh vực lạ",
                                                          "required_meta": ["màu mực"]})  # fmt: skip
    assert set(e.value.errors) == {"code", "name", "field", "required_meta"}
    assert "đã có" in e.value.errors["code"]


@pytest.mark.django_db
def test_import_loads_the_committees_exact_list(admin_user, types):
    f = xlsx([HEADER, ["vb01", "Sổ theo dõi đảng viên đi làm ăn xa", "cong tac to chuc, dang vien", "Theo năm",
                       "Số, ký hiệu; Ngày ban hành / mở sổ"],
              ["VB02", "Sổ thu, nộp đảng phí", "Tài chính, tài sản", "lâu dài", ""], [None] * 5])  # fmt: skip
    cat = svc.catalogue_import(by=admin_user, org_type=types["cbtt-thon"], year=2026, upload=f)
    rows = list(cat.types.values_list("code", "field", "keeping", "required_meta"))
    assert rows == [
        ("VB01", "to-chuc", "year", ["number", "issued_on"]),
        ("VB02", "tai-chinh", "permanent", []),
    ]
    # the export reads back the same
    wb = exporter.catalogue_xlsx(cat)
    out = io.BytesIO()
    wb.save(out)
    again = svc.catalogue_import(by=admin_user, org_type=types["cbtt-thon"], year=2026,
                                 upload=SimpleUploadedFile("x.xlsx", out.getvalue()))  # fmt: skip
    assert list(again.types.values_list("code", "field", "keeping", "required_meta")) == rows
    assert load_workbook(io.BytesIO(out.getvalue())).active["A1"].value == "Mã"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [HEADER, ["A1", "Sổ một", "to-chuc"], ["a1", "Sổ hai", "to-chuc"]],
            "Dòng 3: mã «A1» trùng với dòng 2",
        ),
        ([[*HEADER, "Màu bìa"], ["A1", "Sổ một", "to-chuc"]], "Cột không nhận ra: Màu bìa"),
        ([HEADER, ["A1", "Sổ một", "thể thao"]], "Dòng 2: Lĩnh vực «thể thao» không hợp lệ"),
        ([HEADER, ["A1", "", "to-chuc", "hằng tuần"]], "Dòng 2: Trường này là bắt buộc"),
        ([["Tên hồ sơ"], ["Sổ một"]], "phải có cột «Mã»"),
    ],
)
def test_a_bad_import_stores_nothing(admin_user, types, rows, message):
    before = (Catalogue.objects.count(), DossierType.objects.count())
    with pytest.raises(DomainError) as e:
        svc.catalogue_import(by=admin_user, org_type=types["cbtt-thon"], year=2026, upload=xlsx(rows))
    assert message in e.value.errors["file"]
    assert (Catalogue.objects.count(), DossierType.objects.count()) == before


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_excel(admin_user, types):
    with pytest.raises(DomainError, match="Excel"):
        svc.catalogue_import(by=admin_user, org_type=types["cbtt-thon"], year=2026,
                             upload=SimpleUploadedFile("danh-muc.xlsx", b"Ma,Ten\nA1,So"))  # fmt: skip
