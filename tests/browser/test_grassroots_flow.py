"""Committee members at the grassroots: the commune's page shows each committee member's meetings attended in
residential cells against the yearly minimum and who is behind; a field day is registered, approved by the standing
committee and reported with the days spent."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from dangvu.core.dates import today
from dangvu.meetings import services as mtsvc
from dangvu.members import services as msvc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_field_day_from_registration_to_report(page, live_server, login, admin_user, tree, people, add):
    by = admin_user
    term = msvc.term_create(by=by, org=tree["C1"], name="2025–2030", starts_on=dt.date(2025, 7, 1))
    tam = add("C1-T2", full_name="Lương Văn Tâm")
    msvc.seat_assign(by=by, term=term, member=tam, role="standing")
    msvc.monitor_assign(by=by, org=tree["C1-T1"], monitor=tam, valid_from=dt.date(2026, 1, 1))
    m = mtsvc.schedule(by=by, org=tree["C1-T1"], data=mtsvc.Schedule(date=dt.date(2026, 2, 10)))
    m.monitor_attended = True
    m.save(update_fields=["monitor_attended"])
    login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/stats/?org=C1")
    page.get_by_role("link", name="Cấp ủy viên dự sinh hoạt cơ sở").click()
    expect(page.locator("#lines")).to_contain_text("Lương Văn Tâm")
    row = page.locator("#lines tr", has_text="Lương Văn Tâm")
    expect(row.locator("td").nth(2)).to_have_text("1")  # attended once this year
    expect(page.locator("#behind")).to_contain_text("Lương Văn Tâm")  # six a year: behind by now
    page.select_option("#id_member", label="Lương Văn Tâm (1980)")
    page.select_option("#id_organisation", label="Chi bộ thôn Nà Lộc")
    page.fill("#id_planned_on", (today() - dt.timedelta(days=2)).strftime("%d/%m/%Y"))
    page.fill("#id_purpose", "Nắm tình hình thôn, dự sinh hoạt chi bộ")
    page.click("#field-day-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("chờ Ban Thường vụ duyệt")
    day = page.locator("#field-days tr", has_text="Nắm tình hình thôn")
    expect(day).to_contain_text("Đã đăng ký")
    day.get_by_role("button", name="Duyệt").click()
    expect(page.locator("#field-days tr", has_text="Nắm tình hình thôn")).to_contain_text("Đã duyệt")
    day = page.locator("#field-days tr", has_text="Nắm tình hình thôn")
    day.locator("summary", has_text="Ghi kết quả").click()
    day.locator("input[name=days]").fill("2")
    day.locator("textarea[name=report]").fill("Thôn ổn định; đề nghị sửa đường liên thôn.")
    day.get_by_role("button", name="Ghi").click()
    day = page.locator("#field-days tr", has_text="Nắm tình hình thôn")
    expect(day).to_contain_text("Đã thực hiện, có báo cáo")
    expect(day).to_contain_text("2 ngày")
    expect(page.locator("#lines tr", has_text="Lương Văn Tâm").locator("td").last).to_have_text("1/1, 2")
