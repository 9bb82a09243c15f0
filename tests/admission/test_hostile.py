"""What an attacker's probe of the admission pages found, kept fixed: a workbook that claims a million rows, a
vote used for two people, a double click on "create" or on an upload, a citizen id in other digits, a
probationary member who moved (the new cell finishes the case, the old one no longer can), out-of-commune cells,
odd numbers in forms, dates before the Party existed."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangvu.admission import importer
from dangvu.admission import services as svc
from dangvu.admission import villages as vl
from dangvu.admission.models import Case, ResidentialUnit
from dangvu.core.errors import Conflict, DomainError
from dangvu.members import services as msvc

from .conftest import person, walk

pytestmark = pytest.mark.django_db


def test_a_workbook_with_a_stray_cell_far_away_is_not_read_cell_by_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Giới tính", "Ngày sinh", "Đoàn thể giới thiệu", "Ngày đưa vào danh sách"])
    ws.append(["Lò Thị Sua", "Nữ", "02/03/2001", "Đoàn Thanh niên", "10/01/2026"])
    ws.cell(row=400, column=1, value="sau 398 dòng trống")  # past the blank rows the list may have
    ws.cell(row=2, column=200, value="=1+1")  # far to the right: not read at all
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    rows, report = importer.read(str(path))
    assert [r[1]["full_name"] for r in rows] == ["Lò Thị Sua"] and report.problems == []


def test_an_archive_that_is_not_a_workbook_is_a_message_not_an_error(client, admin_user, tree):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    client.force_login(admin_user)
    r = client.post("/admission/import/?org=C1-T1", {"org": "C1-T1", "file": SimpleUploadedFile("a.xlsx", buf.getvalue())})
    assert r.status_code == 400 and "nội dung tệp không khớp với loại cho phép" in r.content.decode()
    # a commune keeps no list of its own: refused before any file is read
    r = client.post("/admission/import/?org=C1", {"org": "C1", "file": SimpleUploadedFile("a.xlsx", b"x")}, follow=True)
    assert "«Đảng bộ xã Khánh Yên» là đảng bộ, không trực tiếp quản lý đảng viên" in r.content.decode()
    assert Case.objects.count() == 0


def test_one_vote_serves_one_person(admin_user, case, vote, tree):
    walk(admin_user, case, vote, upto="cell_resolution")
    other = svc.case_create(by=admin_user, org=tree["C1-T1"], data=person(full_name="Lò Văn Phong", sex="nam"))
    for m in ("duc", "hoa"):
        svc.introducer_add(by=admin_user, case=other, member=case.introducers.get(member__full_name__contains=
                           "Đức" if m == "duc" else "Hòa").member, since=dt.date(2020, 1, 1),
                           assigned_on=dt.date(2025, 4, 1))  # fmt: skip
    walk(admin_user, other, vote, upto="introduction")
    used = case.steps.get(kind="cell_resolution").vote
    with pytest.raises(DomainError) as e:
        svc.step_record(by=admin_user, case=other, kind="cell_resolution",
                        data=svc.StepData(done_on=dt.date(2025, 6, 10), vote=used))  # fmt: skip
    assert "đã dùng cho hồ sơ của Hà Thị Mai" in e.value.message
    assert list(svc.votes_offered(admin_user, other, "admission")) == []


def test_a_second_click_on_create_and_on_upload_has_no_second_effect(admin_user, tree, case):
    with pytest.raises(Conflict) as e:
        svc.case_create(by=admin_user, org=tree["C1-T1"], data=person())
    assert "đã có trong danh sách quần chúng ưu tú của Chi bộ thôn Nà Lộc" in e.value.message
    scan = b"%PDF-1.4 don xin vao Dang"
    svc.file_add(by=admin_user, case=case, upload=SimpleUploadedFile("a.pdf", scan), paper="1-KNĐ")
    with pytest.raises(Conflict):
        svc.file_add(by=admin_user, case=case, upload=SimpleUploadedFile("b.pdf", scan), paper="1-KNĐ")
    assert case.files.count() == 1


def test_citizen_ids_in_other_digits_and_of_admitted_cases_are_field_errors(admin_user, tree, case, vote, people):
    with pytest.raises(DomainError) as e:
        svc.case_create(by=admin_user, org=tree["C1-T2"], data=person(full_name="Lò A", citizen_id="０１００８００００００１"))
    assert "citizen_id" in e.value.errors
    svc.case_update(by=admin_user, case=case, data={"citizen_id": "012300000009"})
    walk(admin_user, case, vote, upto="ceremony")
    msvc.member_update(by=admin_user, member=case.member, data={"citizen_id": "012300000008"})
    with pytest.raises(DomainError) as e:  # the admitted case still holds the old number
        svc.case_create(by=admin_user, org=tree["C1-T2"], data=person(full_name="Lò B", citizen_id="012300000009"))
    assert "đã có trong hồ sơ đang xét của Hà Thị Mai" in e.value.errors["citizen_id"]


def test_the_cell_a_probationary_member_moved_to_finishes_the_case(admin_user, case, vote, tree, django_user_model):
    from dangvu.accounts import services as asvc
    from dangvu.admission import selectors as sel
    from dangvu.core.errors import NotFound

    case = walk(admin_user, case, vote, upto="member_cv")
    t = msvc.transfer_out(by=admin_user, member=case.member, req=msvc.TransferRequest(
        kind="official", reason="Chuyển nơi ở", event_on=dt.date(2026, 2, 2), letter_on=dt.date(2026, 2, 3),
        to_org=tree["C2-T1"]))  # fmt: skip
    msvc.transfer_receive(by=admin_user, transfer=t, on=dt.date(2026, 2, 10))
    old, new = (django_user_model.objects.create_user(n, password="mat-khau-rat-dai-1") for n in ("cu", "moi"))
    asvc.grant_create(user=old, organisation=tree["C1"], role="secretary", by=None)
    asvc.grant_create(user=new, organisation=tree["C2"], role="secretary", by=None)
    case.refresh_from_db()
    assert sel.case_get(new, case.pk) == case  # the member is theirs now: so is the case's end
    other_cell_vote = vote(dt.date(2026, 9, 10), kind="recognition", org="C2-T1", votes_for=2,
                           subject="Công nhận đảng viên chính thức Hà Thị Mai")  # fmt: skip
    assert list(svc.votes_offered(old, case, "recognition")) == []  # not the old cell's to see
    msvc.entry_add(by=admin_user, member=case.member, kind="training", start=dt.date(2025, 10, 1),
                   end=dt.date(2025, 10, 10), course="dang-vien-moi")  # fmt: skip
    with pytest.raises(NotFound):  # the member's cell is outside the old secretary's scope now
        svc.step_record(by=old, case=case, kind="recognition_resolution",
                        data=svc.StepData(done_on=dt.date(2026, 9, 10), vote=other_cell_vote))  # fmt: skip
    svc.step_record(by=new, case=case, kind="recognition_resolution",
                    data=svc.StepData(done_on=dt.date(2026, 9, 10), vote=other_cell_vote))  # fmt: skip


def test_villages_refuse_odd_input_without_naming_what_is_out_of_scope(client, admin_user, tree):
    u = vl.unit_create(by=admin_user, commune=tree["C1"], name="Nà Lộc", valid_from=dt.date(2025, 1, 1))
    client.force_login(admin_user)
    r = client.post(f"/admission/villages/{u.pk}/cells/", {"cell": ["²", str(tree["C2-T1"].pk), "99999999999999999999"]})
    assert r.status_code == 302 and not u.coverages.exists()  # nothing outside the commune, no error page
    r = client.post(f"/admission/villages/{u.pk}/merge/", {"other": [str(u.pk), "²"], "name": "Gộp", "on": "01/06/2026"},
                    follow=True)  # fmt: skip
    assert "Chọn ít nhất hai thôn" in r.content.decode() and ResidentialUnit.objects.count() == 1
    with pytest.raises(DomainError):
        vl.unit_merge(by=admin_user, units=[u, vl.unit_create(by=admin_user, commune=tree["C1"], name="Đồng Tâm",
                                                               valid_from=dt.date(2025, 1, 1))],
                      name="Gộp", on=dt.date(2026, 1, 1), kind="xyz")  # fmt: skip


@pytest.mark.parametrize("change, field", [
    ({"birth_date": dt.date(1, 1, 1)}, "birth_date"),
    ({"proposed_on": dt.date(1850, 1, 1)}, "proposed_on"),
    ({"course_on": dt.date(1999, 1, 1)}, "course_on"),  # before the person was born (2000)
    ({"full_name": "Hà " * 50}, "full_name"),
])  # fmt: skip
def test_dates_before_they_can_be_and_names_too_long_are_field_errors(admin_user, tree, change, field):
    with pytest.raises(DomainError) as e:
        svc.case_create(by=admin_user, org=tree["C1-T1"], data=person(**change))
    assert field in e.value.errors


def test_a_step_dated_before_the_person_was_proposed_is_refused(admin_user, case):
    with pytest.raises(DomainError) as e:
        svc.step_record(by=admin_user, case=case, kind="application", data=svc.StepData(done_on=dt.date(2020, 1, 1)))
    assert e.value.message == "Ngày không được trước 10/01/2025."


def test_huge_vote_counts_on_the_page_are_form_errors(client, admin_user, case, vote):
    walk(admin_user, case, vote, upto="cell_resolution")
    client.force_login(admin_user)
    r = client.post(f"/admission/{case.pk}/step/", {"kind": "grassroots_resolution", "done_on": "20/06/2025",
                                                    "votes_for": "40000", "votes_base": "50000"})  # fmt: skip
    assert r.status_code == 400 and "1000" in r.content.decode()


def test_a_cell_committee_s_vote_is_not_the_cell_s_resolution(admin_user, case, tree):
    """The whole cell resolves on an admission; a vote at its committee's meeting (chi ủy) is never offered or taken."""
    from dangvu.meetings.models import Meeting, Vote

    m = Meeting.objects.create(organisation=tree["C1-T1"], org_path=tree["C1-T1"].path, body="committee",
                               date=dt.date(2025, 6, 10), month=dt.date(2025, 6, 1), state="closed")  # fmt: skip
    v = Vote.objects.create(meeting=m, kind="admission", subject="Kết nạp", votes_for=3, base=3, required=2, passed=True)
    assert v not in list(svc.votes_offered(admin_user, case, "admission"))
    with pytest.raises(DomainError):
        svc._check_vote(case, v, dt.date(2025, 6, 10), "admission", tree["C1-T1"])
