"""One person from sympathiser to official member, in the browser: the cell's secretary adds her to the list,
assigns two introducers, records each step (the cell's vote chosen from its meeting; a committee vote short of
2/3 refused with the rule), the ceremony makes her a probationary member, and twelve months on the recognition
makes her official; the commune's view counts her."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dangvu.accounts import services as asvc
from dangvu.members.models import Member
from tests.admission.conftest import vote  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def step(page, date: str, **fields) -> None:
    form = page.locator("#step-form")
    form.locator("#id_done_on").fill(date)
    for name, value in fields.items():
        el = form.locator(f"#id_{name}")
        if name == "vote":
            el.select_option(label=value)
        else:
            el.fill(value)
    form.get_by_role("button", name="Ghi").click()


def test_a_sympathiser_becomes_an_official_member(live_server, login, tree, people, vote):  # noqa: F811
    u = get_user_model().objects.create_user("bithu.nalc", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=u, organisation=tree["C1"], role="secretary", by=None)
    vote(dt.date(2025, 6, 10))
    vote(dt.date(2026, 9, 10), kind="recognition", subject="Công nhận đảng viên chính thức Hà Thị Mai")

    page = login("bithu.nalc", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/admission/?org=C1-T1")
    page.get_by_role("link", name="Thêm quần chúng ưu tú").click()
    page.fill("#id_full_name", "Hà Thị Mai")
    page.select_option("#id_sex", "nu")
    page.fill("#id_birth_date", "05/05/2000")
    page.fill("#id_ethnicity", "Tày")
    page.fill("#id_general_education", "12/12")
    page.select_option("#id_proposed_by", "doan-tn")
    page.fill("#id_proposed_on", "10/01/2025")
    page.fill("#id_course_on", "01/03/2025")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_have_text("Hà Thị Mai")
    expect(page.locator("#eligibility")).to_contain_text("Cần 2 đảng viên chính thức giới thiệu")

    for name, since in (("Nguyễn Văn Đức", "01/01/2020"), ("Đặng Thị Hòa", "01/01/2023")):
        page.get_by_text("Phân công người giới thiệu").click()
        page.select_option("#intro_member", label=name)
        page.fill("#intro_since", since)
        page.fill("#intro_assigned_on", "01/04/2025")
        page.get_by_role("button", name="Phân công").click()
        expect(page.locator("#introducers")).to_contain_text(name)
    expect(page.locator("#eligibility-ok")).to_be_visible()

    step(page, "05/04/2025")
    step(page, "10/05/2025")
    step(page, "20/05/2025")
    step(page, "10/06/2025", vote="10/06/2025: Đề nghị kết nạp quần chúng Hà Thị Mai (4/4)")
    expect(page.locator("#stage")).to_have_text("Chi bộ đã đề nghị kết nạp")
    step(page, "20/06/2025", votes_for="7", votes_base="11", number="12-NQ/ĐU")
    expect(page.locator("#step-form .invalid-feedback")).to_contain_text("Cần ít nhất 8 trên 11 thành viên tán thành")
    page.locator("#step-form #id_votes_for").fill("8")
    page.locator("#step-form").get_by_role("button", name="Ghi").click()
    step(page, "01/08/2025", number="Số 45-QĐ/ĐU", signer="Nguyễn Văn Bình", received_on="05/08/2025")
    expect(page.locator("#steps [data-kind=ceremony]")).to_contain_text("hạn")
    step(page, "20/08/2025")
    expect(page.locator("#stage")).to_have_text("Đảng viên dự bị")
    expect(page.locator("#probation")).to_have_text("20/08/2026")
    step(page, "05/09/2025")
    # recognition asks for the new members' course, completed during probation: recorded on her CV
    step(page, "10/09/2026", vote="10/09/2026: Công nhận đảng viên chính thức Hà Thị Mai (4/4)")
    expect(page.locator("#step-form .invalid-feedback")).to_contain_text("chưa có lớp bồi dưỡng lý luận chính trị")
    page.get_by_role("link", name="Hồ sơ đảng viên").click()
    page.select_option("#id_entry-kind", "training")
    page.fill("#id_entry-start", "01/10/2025")
    page.fill("#id_entry-end", "10/10/2025")
    page.select_option("#id_entry-course", "dang-vien-moi")
    page.locator("#entry-form").get_by_role("button").click()
    expect(page.locator("#entry-table")).to_contain_text("Bồi dưỡng lý luận chính trị cho đảng viên mới")
    page.locator("#admission-case").click()
    step(page, "10/09/2026", vote="10/09/2026: Công nhận đảng viên chính thức Hà Thị Mai (4/4)")
    step(page, "25/09/2026", number="Số 80-QĐ/ĐU", signer="Nguyễn Văn Bình")
    expect(page.locator("#stage")).to_have_text("Đã công nhận chính thức")
    m = Member.objects.get(full_name="Hà Thị Mai")
    assert (m.status, m.admitted_on, m.official_on) == ("official", dt.date(2025, 8, 1), dt.date(2026, 8, 20))

    page.get_by_role("link", name="Hồ sơ đảng viên").click()
    expect(page.locator("#admission-case")).to_contain_text("hồ sơ kết nạp (đã công nhận chính thức)")
    page.goto(f"{live_server.url}/admission/?org=C1&year=2025")
    expect(page.locator("#t-admitted")).to_have_text("1")
