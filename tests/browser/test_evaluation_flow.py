"""One member's yearly cycle in the browser: the secretary records the commitment, the self-review (a level the
score does not allow is refused with the rule's reason), submits it and records the cell's vote; the commune's
officer decides the level; the commune's summary counts it and the form is there to download."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dangvu.accounts import services as asvc
from dangvu.core.dates import today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_from_commitment_to_decided_level(live_server, login, tree, people):
    year = today().year
    users = {}
    for name, code, role in (("bithu.nalc", "C1-T1", "secretary"), ("tochuc.khanhyen", "C1", "officer")):
        users[name] = get_user_model().objects.create_user(name, password="mat-khau-rat-dai-1")
        asvc.grant_create(user=users[name], organisation=tree[code], role=role, by=None)

    page = login("bithu.nalc", "mat-khau-rat-dai-1")
    page.get_by_role("link", name="Đánh giá, xếp loại", exact=True).click()  # a cell: its own page, no rollup
    expect(page.locator("h1")).to_contain_text("Chi bộ thôn Nà Lộc")
    row = page.locator("#members tr", has_text="Nguyễn Văn Đức")
    expect(row).to_contain_text("Chưa nộp")

    # the commitment at the start of the year
    row.get_by_role("link", name="ghi cam kết").click()
    page.select_option("#id_target_level", "good")
    page.fill("#id_content", "Gương mẫu chấp hành; tham gia đầy đủ sinh hoạt chi bộ.")
    page.get_by_role("button", name="Ghi bản cam kết").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi bản cam kết")
    expect(row).to_contain_text("Đã nộp")

    # the self-review on form 2C (a village cell): 92 points but only 2 of 10 tasks beyond the requirement
    row.get_by_role("button", name="Mở kiểm điểm").click()
    expect(page.locator("h1")).to_contain_text("Nguyễn Văn Đức")
    expect(page.locator("#id_form")).to_have_value("2C")
    page.fill("#id_tasks_total", "10")
    page.fill("#id_tasks_exceeded", "2")
    page.fill("#id_strengths", "Hoàn thành tốt nhiệm vụ được giao")
    page.fill("#id_self_score", "92")
    page.select_option("#id_self_level", "excellent")
    page.get_by_role("button", name="Nộp bản kiểm điểm").click()
    expect(page.locator("#self-form .invalid-feedback")).to_contain_text(
        "chưa đạt 30% nhiệm vụ vượt yêu cầu (2/10)"
    )
    page.select_option("#id_self_level", "good")
    page.get_by_role("button", name="Nộp bản kiểm điểm").click()
    expect(page.locator("#state")).to_have_text("Đã nộp bản kiểm điểm")

    # the cell's review and vote; the secretary cannot decide
    page.fill("#id_cell_score", "88,5")
    page.select_option("#id_cell_level", "good")
    page.fill("#id_votes_for", "4")
    page.fill("#id_votes_base", "5")
    page.get_by_role("button", name="Ghi kết quả kiểm điểm").click()
    expect(page.locator("#state")).to_have_text("Đã kiểm điểm, đề xuất mức")
    expect(page.locator("main")).to_contain_text("Chờ Đảng bộ xã Khánh Yên quyết định")
    expect(page.locator("#decide-form")).to_have_count(0)

    # the commune's officer decides, in one decision for the cell's reviewed members
    page.context.clear_cookies()
    page = login("tochuc.khanhyen", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/evaluations/organisations/C1-T1/{year}/")
    form = page.locator("#decide-members")
    expect(form).to_contain_text("Nguyễn Văn Đức")
    form.locator("#batch_number").fill("15-QĐ/ĐU")
    form.get_by_role("button", name="Quyết định 1 đảng viên").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã quyết định xếp loại 1 bản kiểm điểm (15-QĐ/ĐU)"
    )
    row = page.locator("#members tr", has_text="Nguyễn Văn Đức")
    expect(row).to_contain_text("HTTNV")
    expect(row).to_contain_text("15-QĐ/ĐU")
    row.get_by_role("link", name="Đã quyết định xếp loại").click()
    expect(page.locator("#decisions")).to_contain_text("15-QĐ/ĐU")
    with page.expect_download() as dl:
        page.locator("#docx").click()
    assert dl.value.suggested_filename.startswith("mau-2C-")

    # the commune's summary
    page.goto(f"{live_server.url}/evaluations/?org=C1&year={year}")
    expect(page.locator("#summary")).to_contain_text("1 HTTNV")
    expect(page.locator("#summary")).to_contain_text("trên 1 đảng viên đã xếp loại")
    expect(page.locator("#p-committed")).to_have_text("1/5")
