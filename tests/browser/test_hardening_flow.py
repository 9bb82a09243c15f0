"""Hostile input in the browser: a template that would run code is refused with the tag named; a double click
on "close the minutes" issues one number and shows no error."""

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from dangvu.documents.models import Outgoing as IssuedNumber
from dangvu.meetings import services as svc
from dangvu.meetings.models import DocTemplate
from tests.meetings.conftest import complete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_template_that_would_run_code_is_refused(live_server, login, tree, tmp_path):
    d = Document()
    d.add_paragraph("Biên bản số {{ number }}")
    d.add_paragraph("{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    path = tmp_path / "mau.docx"
    d.save(path)
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/meetings/organisations/C1/templates/")
    page.select_option("#id_doc_type", label="Biên bản")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Tải mẫu lên").click()
    error = page.locator(".invalid-feedback")
    expect(error).to_contain_text("Mẫu có thẻ không được phép: «{{ cycler.__init__.__globals__.os.popen(")
    expect(error).to_contain_text("không được gọi hàm hay phương thức")
    assert not DocTemplate.objects.exists()

    # a legitimate template is taken, and the help lists what a template may use
    good = Document()
    good.add_paragraph("{{ issuer|upper }} – Số {{ number }}")
    buf = io.BytesIO()
    good.save(buf)
    Path(path).write_bytes(buf.getvalue())
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Tải mẫu lên").click()
    expect(page.locator("main")).to_contain_text("Đã lưu mẫu văn bản")
    expect(page.locator("main")).to_contain_text("Bộ lọc dùng được: upper, lower")
    assert DocTemplate.objects.count() == 1


def test_a_double_click_on_close_issues_one_number(live_server, login, people, tree, admin_user):
    m = svc.schedule(by=admin_user, org=tree["C1-T1"], data=svc.Schedule(date=dt.date(2026, 3, 12)))
    lines = svc.summoned(tree["C1-T1"], m.date)
    svc.roll_call(by=admin_user, meeting=m, marks={x.member_id: svc.Mark("present", "") for x in lines})
    complete(admin_user, m, people)
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/meetings/{m.pk}/")
    page.get_by_role("button", name="Hoàn tất biên bản và cấp số").dblclick()
    expect(page.locator("main")).to_contain_text("Đã hoàn tất biên bản (Số 01-BB/CB, Số 01-NQ/CB)")
    expect(page.locator("main")).not_to_contain_text("Biên bản đã hoàn tất ngày")
    assert IssuedNumber.objects.filter(meeting=m, doc_type="BB").count() == 1
