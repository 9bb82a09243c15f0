"""Forms that tell the truth: nothing is offered that cannot be done, every error is shown where it can be read,
the notice line and the criterion agree, limits are field errors, closed minutes file themselves."""

import datetime as dt

import pytest

from dangvu.core.dates import today
from dangvu.dossiers.models import Dossier, LinkKind
from dangvu.meetings import services as svc
from dangvu.members import services as msvc
from dangvu.members.models import Member
from tests.meetings.conftest import complete, meet  # noqa: F401  (fixture)
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_roll_call_is_not_offered_before_the_day_nor_after_closing(client, admin_user, people, meet):  # noqa: F811
    later = meet(today() + dt.timedelta(days=5))
    client.force_login(admin_user)
    assert f"/meetings/{later.pk}/roll-call/" not in client.get(f"/meetings/{later.pk}/").content.decode()
    r = client.get(f"/meetings/{later.pk}/roll-call/", follow=True)
    assert r.redirect_chain and "chưa diễn ra; chưa ghi được điểm danh" in r.content.decode()
    r = client.post(f"/meetings/{later.pk}/record/", {}, follow=True)
    assert "chưa diễn ra" in r.content.decode()
    done = complete(admin_user, meet(dt.date(2026, 3, 10), marks={}), people)
    svc.close(by=admin_user, meeting=done)
    html = client.get(f"/meetings/{done.pk}/").content.decode()
    assert f"/meetings/{done.pk}/roll-call/" not in html and f"/meetings/{done.pk}/record/" not in html
    r = client.post(f"/meetings/{done.pk}/roll-call/", {}, follow=True)
    assert "Biên bản đã hoàn tất" in r.content.decode()


def test_a_roll_call_error_not_tied_to_a_row_is_shown_at_the_top(client, admin_user, people, meet, monkeypatch):  # noqa: F811
    m = meet(dt.date(2026, 3, 10))
    client.force_login(admin_user)

    def closed_meanwhile(**kw):  # another tab closed the minutes between the page and the save
        raise svc.Conflict(svc.ERR_LOCKED.format(date="10/03/2026"))

    monkeypatch.setattr(svc, "roll_call", closed_meanwhile)
    html = client.post(f"/meetings/{m.pk}/roll-call/", {}).content.decode()
    top = html.split('id="roll-call-errors"', 1)[1].split("</div>\n<form", 1)[0]
    assert "Biên bản đã hoàn tất ngày 10/03/2026" in top and "dòng được đánh dấu" not in top
    monkeypatch.undo()
    html = client.post(f"/meetings/{m.pk}/roll-call/", {}).content.decode()  # nobody marked: every row says so
    assert "Hãy sửa 5 dòng được đánh dấu đỏ" in html


def test_the_notice_line_and_the_monitor_criterion_agree(client, admin_user, tree, people, meet):  # noqa: F811
    term = msvc.term_create(by=admin_user, org=tree["C1"], name="2025–2030", starts_on=dt.date(2025, 7, 1))
    tam = msvc.member_create(by=admin_user, place=msvc.Placement(tree["C1-T2"]), data={
        "full_name": "Lương Văn Tâm", "sex": "nam", "birth_date": dt.date(1980, 1, 1), "ethnicity": "Kinh",
        "admitted_on": dt.date(2005, 1, 1), "official_on": dt.date(2006, 1, 1)})  # fmt: skip
    msvc.seat_assign(by=admin_user, term=term, member=tam, role="standing")
    msvc.monitor_assign(by=admin_user, org=tree["C1-T1"], monitor=tam, valid_from=dt.date(2026, 1, 1))
    m = meet(dt.date(2026, 3, 10), marks={})
    svc.notify(by=admin_user, meeting=m)  # sent today, long after the meeting of 10/03/2026
    client.force_login(admin_user)
    html = client.get(f"/meetings/{m.pk}/").content.decode()
    assert f"Đã thông báo ngày {today():%d/%m/%Y}" in html and "gồm cấp ủy viên theo dõi" in html
    assert "Chưa gửi thông báo" not in html
    assert f"Thông báo cho cấp ủy viên theo dõi gửi ngày {today():%d/%m/%Y}, sau ngày họp 10/03/2026" in html


def test_a_text_longer_than_its_column_is_a_field_error_not_a_cut(client, admin_user, tree):
    client.force_login(admin_user)
    form = client.get("/members/new/?org=C1-T1").content.decode()
    assert "maxlength" not in form  # the browser would cut a pasted name silently
    data = {"full_name": "A" * 10000, "sex": "nam", "birth_date": "01/01/1980", "admitted_on": "01/01/2005"}
    html = client.post("/members/new/?org=C1-T1", data).content.decode()
    assert "Tối đa 120 ký tự; nội dung đã nhập dài 10000 ký tự, hãy rút gọn." in html
    r = client.post("/api/v1/members", {"org": "C1-T1", **data, "birth_date": "1980-01-01",
                                        "admitted_on": "2005-01-01"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "tối đa 120 ký tự" in r.json()["errors"]["full_name"]
    assert not Member.objects.exists()


def test_required_fields_are_marked_with_a_legend(client, admin_user, tree):
    client.force_login(admin_user)
    html = client.get("/members/new/?org=C1-T1").content.decode()
    assert "là bắt buộc" in html and 'class="text-danger" aria-hidden="true">*</span>' in html


def test_the_dashboard_says_its_figures_in_words(client, admin_user, tree, people, meet):  # noqa: F811
    meet(dt.date(2026, 3, 10), marks={})
    client.force_login(admin_user)
    html = client.get("/meetings/", {"org": "C1", "period": "2026-03"}).content.decode()
    assert "10/03</a>: có mặt 5/5, chưa ghi giờ, đạt" in html and "tiêu chí" in html


def test_closed_minutes_count_for_the_minutes_book_without_a_link(admin_user, tree, people, meet):  # noqa: F811
    m = complete(admin_user, meet(dt.date(2026, 3, 10), marks={}), people)
    assert not Dossier.objects.filter(organisation=tree["C1-T1"], code="TC03").exists()
    svc.close(by=admin_user, meeting=m)
    book = Dossier.objects.get(organisation=tree["C1-T1"], code="TC03", year_from=2026)
    assert book.complete and book.issued_on == m.date and book.signer == "Nguyễn Văn Đức"
    assert list(book.links.values_list("kind", "ref")) == [(LinkKind.MINUTES, m.pk)]
    second = complete(admin_user, meet(dt.date(2026, 4, 10), marks={}), people)
    svc.close(by=admin_user, meeting=second)
    assert book.links.count() == 2 and Dossier.objects.filter(code="TC03").count() == 1
    # the resolutions book too, when the meeting issued a resolution (both did: they have a conclusion)
    assert Dossier.objects.get(organisation=tree["C1-T1"], code="TC02").links.count() == 2
