"""Inspection and discipline in the browser, as the commune's inspector does them: the commission's programme
for the year, an item on a cell, the decision opening it (numbered from the register), the self-report and the
conclusion with a recommendation, which later gets done; then a member's case before the cell, a form the cell
may not decide refused with the rule, the reprimand decided, the member's appeal filed in time and answered by
annulment, and the member's CV losing the line."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dangvu.accounts import services as asvc
from dangvu.members.models import EntryKind, ProfileEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(page, selector: str, **fields) -> None:
    f = page.locator(selector)
    for name, value in fields.items():
        el = f.locator(f"[name={name}]")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(value)


def test_from_a_programme_item_to_a_conclusion_and_from_a_case_to_an_appeal(live_server, login, tree, people):
    u = get_user_model().objects.create_user("kiemtra.ky", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=u, organisation=tree["C1"], role="inspector", by=None)
    page = login("kiemtra.ky", "mat-khau-rat-dai-1")

    page.get_by_role("link", name="Kiểm tra, kỷ luật").click()
    expect(page.locator("h1")).to_contain_text("Kiểm tra, giám sát, kỷ luật")
    page.locator("#inspection-tabs").get_by_role("link", name="Chương trình").click()
    page.get_by_text("Ghi chương trình mới").click()
    fill(page, "#programme-form", body="commission", year="2026", title="Chương trình kiểm tra, giám sát năm 2026",
         adopted_on="10/01/2026")  # fmt: skip
    page.locator("#programme-form").get_by_role("button", name="Ghi chương trình").click()
    expect(page.locator(".alert")).to_contain_text("Đã ghi chương trình 01-CTr/UBKTĐU")

    page.fill("#id_subject_org", "Nà Lộc")
    page.fill("#id_subject_org", "Chi bộ thôn Nà Lộc (C1-T1)")
    fill(page, "#item-form", activity="inspection", method="regular", content="Việc chấp hành chế độ sinh hoạt",
         starts_on="01/03/2026", due_on="30/04/2026", carried_by="Đ/c Phó Chủ nhiệm UBKT")  # fmt: skip
    page.locator("#item-form").get_by_role("button", name="Thêm vào chương trình").click()
    expect(page.locator("#items")).to_contain_text("Chi bộ thôn Nà Lộc")

    page.get_by_role("link", name="Ra quyết định").click()
    fill(page, "#main-form", body="commission", decided_on="02/03/2026", team="Đ/c Hà (trưởng đoàn), đ/c Sùng",
         ends_on="30/04/2026")  # fmt: skip
    page.locator("#main-form").get_by_role("button", name="Ghi").click()
    expect(page.locator("#facts")).to_contain_text("Số 01-QĐ/UBKTĐU ngày 02/03/2026")

    page.get_by_text("Ghi báo cáo tự kiểm tra").click()
    fill(page, "#reports-form", self_report="Chi bộ tự kiểm tra: thiếu 2 biên bản.", self_report_on="20/03/2026")
    page.locator("#reports-form").get_by_role("button", name="Ghi báo cáo").click()
    expect(page.locator("#facts")).to_contain_text("thiếu 2 biên bản")

    fill(page, "#conclusion-form", concluded_on="28/04/2026", findings="Thiếu 2 biên bản sinh hoạt.",
         rec_0_text="Bổ sung biên bản", rec_0_due="30/05/2026")  # fmt: skip
    page.locator("#conclusion-form [name=violation]").check()
    page.locator("#conclusion-form").get_by_role("button", name="Ghi kết luận").click()
    expect(page.locator("#conclusion")).to_contain_text("Kết luận số 01-KL/UBKTĐU ngày 28/04/2026")
    rec = page.locator("#recommendations tr").first
    rec.locator("[name=done_on]").fill("25/05/2026")
    rec.get_by_role("button", name="Đã thực hiện").click()
    expect(page.locator("#recommendations")).to_contain_text("Đã thực hiện 25/05/2026")

    # a member's case before the cell
    page.goto(f"{live_server.url}/inspection/disciplines/new/?org=C1-T1")
    page.select_option("#id_subject_member", label="Nguyễn Văn Đức — Chi bộ thôn Nà Lộc")
    fill(page, "#main-form", conduct="Không tham gia sinh hoạt chi bộ 3 tháng liền", conduct_from="01/03/2026",
         gravity="expulsion")  # fmt: skip
    page.locator("#main-form").get_by_role("button", name="Ghi").click()
    expect(page.locator("#state")).to_contain_text("Đang xem xét")
    fill(page, "#decide-form", form="expulsion", votes_for="5", votes_base="5", decided_on="10/06/2026",
         announced_on="10/06/2026", hearing_on="05/06/2026")  # fmt: skip
    page.locator("#decide-form").get_by_role("button", name="Ghi quyết định").click()
    expect(page.locator("#decide-form .invalid-feedback")).to_contain_text("không có thẩm quyền quyết định hình thức «Khai trừ»")
    page.locator("#decide-form [name=form]").select_option("reprimand")
    page.locator("#decide-form").get_by_role("button", name="Ghi quyết định").click()
    expect(page.locator("#decision")).to_contain_text("Khiển trách, số 01-QĐ/CB")
    assert ProfileEntry.objects.filter(member=people["duc"], kind=EntryKind.DISCIPLINE).count() == 1

    page.get_by_text("Ghi đơn khiếu nại").click()
    fill(page, "#appeal-form", filed_on="20/06/2026", content="Tôi vắng vì nằm viện, có giấy ra viện.")
    page.locator("#appeal-form").get_by_role("button", name="Ghi đơn").click()
    expect(page.locator("#appeals")).to_be_visible()
    page.get_by_text("Ghi kết quả giải quyết").click()
    fill(page, "#answer-form", outcome="annulled", decided_on="15/07/2026", decided_by="Ủy ban Kiểm tra Đảng ủy xã",
         apology_on="20/07/2026")  # fmt: skip
    page.locator("#answer-form").get_by_role("button", name="Ghi kết quả").click()
    expect(page.locator("#state")).to_contain_text("Đã hủy quyết định")
    expect(page.locator(".appeal-outcome")).to_contain_text("Xin lỗi, cải chính (QĐ 117) ngày 20/07/2026")
    assert not ProfileEntry.objects.filter(member=people["duc"], kind=EntryKind.DISCIPLINE).exists()

    # the overview counts the commune's year
    page.goto(f"{live_server.url}/inspection/?org=C1&year=2026")
    expect(page.locator("#t-insp")).to_contain_text("1 / 0")
