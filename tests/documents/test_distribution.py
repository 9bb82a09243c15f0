"""Distribution down the tree: a committee sends a document or a request for a report to chosen organisations or
its whole subtree; each recipient finds it in its inbox, marks it read, answers in the same thread; the sender
sees who has not read, who has not answered, who is late. The cells' monthly report is one such request,
answered by the monthly report the cell files."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.core.dates import today
from dangvu.core.errors import Conflict, DomainError, Forbidden
from dangvu.core.models import Notification
from dangvu.documents import selectors as sel
from dangvu.documents import services as svc
from dangvu.documents.models import Delivery
from dangvu.meetings import services as mtsvc
from dangvu.members import services as msvc
from tests.conftest import VerifiedClient

from .conftest import out, pdf

pytestmark = pytest.mark.django_db


def login(user):
    c = VerifiedClient()
    c.force_login(user)
    return c


def request(by, org, **kw):
    data = {"kind": "request", "title": "Báo cáo kết quả học tập nghị quyết", "body": "Số đảng viên tham gia",
            "due_on": today() + dt.timedelta(days=5), "scope": "children", **kw}  # fmt: skip
    return svc.dispatch_send(by=by, org=org, data=data)


def test_a_request_reaches_each_cell_and_the_sender_sees_who_has_not_answered(admin_user, tree, role, people):
    c1 = tree["C1"]
    d = request(admin_user, c1)
    assert sorted(x.organisation.code for x in d.deliveries.all()) == ["C1-T1", "C1-T2"]
    secretary = role("secretary", "C1-T1")
    x = sel.inbox(secretary, tree["C1-T1"]).get()
    assert x.dispatch == d and x.read_at is None
    svc.delivery_read(by=secretary, delivery=x)
    svc.delivery_read(by=secretary, delivery=x)  # a double click: one receipt
    svc.delivery_answer(by=secretary, delivery=x, text="28/30 đảng viên tham gia", upload=pdf("Bao cao"))
    stats = sel.progress([d.pk], today())[d.pk]
    assert stats == {"n": 2, "read": 1, "answered": 1, "late": 0}
    assert [y.organisation.code for y in sel.deliveries(d, state="unanswered")] == ["C1-T2"]
    assert sel.progress([d.pk], today() + dt.timedelta(days=6))[d.pk]["late"] == 1  # after the due date
    with pytest.raises(Forbidden):  # another cell's secretary cannot answer for this one
        svc.delivery_answer(by=role("secretary", "C1-T2"), delivery=x, text="x")


def test_sending_is_checked_and_a_double_click_sends_once(admin_user, tree):
    c1 = tree["C1"]
    with pytest.raises(DomainError) as e:
        request(admin_user, c1, due_on=None)
    assert e.value.errors == {"due_on": "Yêu cầu báo cáo phải có hạn báo cáo."}
    with pytest.raises(DomainError) as e:
        request(admin_user, c1, scope="chosen", codes=["C1-T1", "C2-T1"])
    assert "C2-T1" in e.value.errors["codes"]
    with pytest.raises(DomainError) as e:
        request(admin_user, tree["C1-T1"])  # a cell has nobody under it
    assert e.value.errors == {"scope": "Chưa chọn tổ chức nhận nào."}
    voided = svc.outgoing_add(by=admin_user, org=c1, data=out())
    svc.outgoing_void(by=admin_user, doc=voided, reason="Sai")
    with pytest.raises(DomainError) as e:
        request(admin_user, c1, kind="document", outgoing=voided)
    assert "outgoing" in e.value.errors
    request(admin_user, c1, scope="chosen", codes=["c1-t2"])
    with pytest.raises(Conflict):
        request(admin_user, c1, scope="chosen", codes=["c1-t2"])
    assert Delivery.objects.count() == 1


def test_the_whole_subtree_and_the_secretaries_are_told_in_the_app(admin_user, tree, people):
    term = msvc.term_create(by=admin_user, org=tree["C1-T1"], name="2025–2030", starts_on=dt.date(2025, 7, 1))
    m = people["duc"]
    account = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model().objects.create_user(
        "duc.acc", password="mat-khau-rat-dai-1")  # fmt: skip
    m.account = account
    m.save(update_fields=["account"])
    msvc.seat_assign(by=admin_user, term=term, member=m, role="secretary")
    doc = svc.outgoing_add(by=admin_user, org=tree["D"], data=out("HD", body="standing", subject="Hướng dẫn"))
    d = svc.dispatch_send(by=admin_user, org=tree["D"], data={"kind": "document", "title": "Hướng dẫn đại hội",
                                                              "outgoing": doc, "scope": "subtree"})  # fmt: skip
    assert d.recipients_count == 6  # C1, C2, their three cells, and the agency cell A
    note = Notification.objects.get(user=account)
    assert "Hướng dẫn đại hội" in note.title and note.url.startswith("/documents/inbox/")


def test_the_monthly_report_request_is_answered_by_the_cells_monthly_report(admin_user, tree, role):
    month = today().replace(day=1)
    d = svc.dispatch_send(by=admin_user, org=tree["C1"], data={
        "kind": "monthly", "title": f"Báo cáo tháng {month:%m/%Y}", "month": month, "scope": "subtree",
        "due_on": today() + dt.timedelta(days=3)})  # fmt: skip
    assert d.recipients_count == 2  # the cells only: the commune itself files no monthly report
    secretary = role("secretary", "C1-T1")
    x = sel.inbox(secretary, tree["C1-T1"]).get()
    with pytest.raises(DomainError):
        svc.delivery_answer(by=secretary, delivery=x, text="...")
    mtsvc.report_file(by=secretary, org=tree["C1-T1"], month=month, results="Hoàn thành", directions="Tiếp tục")
    assert sel.progress([d.pk], today())[d.pk]["answered"] == 1
    assert [y.organisation.code for y in sel.deliveries(d, state="unanswered")] == ["C1-T2"]


def test_pages_recipient_and_sender_sides(admin_user, tree, role):
    doc = svc.outgoing_add(by=admin_user, org=tree["C1"], data=out(), upload=pdf("Ke hoach"))
    sender = login(role("secretary", "C1"))
    r = sender.post("/documents/sent/?org=C1", {"kind": "request", "title": "Báo cáo sơ kết", "outgoing": doc.pk,
                                                "due_on": (today() + dt.timedelta(days=3)).strftime("%d/%m/%Y"),
                                                "scope": "children"})  # fmt: skip
    assert r.status_code == 302
    cell = login(role("secretary", "C1-T1"))
    inbox = cell.get("/documents/inbox/?org=C1-T1").content.decode()
    assert "Báo cáo sơ kết" in inbox and "chưa đọc" in inbox
    x = Delivery.objects.get(organisation=tree["C1-T1"])
    assert cell.get(f"/documents/inbox/{x.pk}/document/").content.startswith(b"%PDF")  # the sender's file
    assert cell.get(f"/documents/outgoing/{doc.pk}/").status_code == 404  # but not the sender's register
    r = cell.post(f"/documents/inbox/{x.pk}/", {"answer": "", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert r.status_code == 400
    r = cell.post(f"/documents/inbox/{x.pk}/", {"answer": "Đã sơ kết, 30/30 đảng viên"})
    assert r.status_code == 302
    page = sender.get(f"/documents/sent/{x.dispatch_id}/").content.decode()
    assert "1 đã báo cáo" in page and "Chi bộ thôn Nà Lộc" in page
    late = sender.get(f"/documents/sent/{x.dispatch_id}/?state=unanswered").content.decode()
    assert "Chi bộ thôn Đồng Tâm" in late and "Chi bộ thôn Nà Lộc" not in late
    other = login(role("secretary", "C2-T1"))
    assert other.get(f"/documents/inbox/{x.pk}/").status_code == 404
    assert other.get(f"/documents/sent/{x.dispatch_id}/").status_code == 404


def test_the_sending_side_never_reads_or_answers_for_its_cells(admin_user, tree, role):
    d = request(admin_user, tree["C1"])
    x = d.deliveries.get(organisation=tree["C1-T1"])
    for who in (role("viewer", "C1"), role("secretary", "C1", "bt-xa"), admin_user):
        with pytest.raises(Forbidden):
            svc.delivery_read(by=who, delivery=x)
        with pytest.raises(Forbidden):
            svc.delivery_answer(by=who, delivery=x, text="Thay chi bộ báo cáo")
    with pytest.raises(Forbidden):  # a viewer of the cell confirms reading, but only its writers answer
        svc.delivery_answer(by=role("viewer", "C1-T1"), delivery=x, text="x")
    svc.delivery_read(by=role("viewer", "C1-T1", "xem-nl"), delivery=x)
    assert sel.progress([d.pk], today())[d.pk] == {"n": 2, "read": 1, "answered": 0, "late": 0}
