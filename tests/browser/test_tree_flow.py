import datetime as dt

import pytest
from playwright.sync_api import expect

from dangvu.organizations.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browse_the_tree_record_a_merge_and_see_the_history(live_server, login, tree):
    page = login("quantri", "mat-khau-rat-dai-1")
    page.get_by_role("link", name="Tổ chức đảng", exact=True).click()

    # Browse: expand province, then district; the communes appear in Vietnamese order.
    page.click("li[data-code=P] > button.toggle")
    page.click("li[data-code=D] > button.toggle")
    page.wait_for_selector("li[data-code=C1]")
    names = page.locator("#sub-D > li > a").all_inner_texts()
    assert names == ["Chi bộ Trường THCS Dương Quỳ", "Đảng bộ xã Khánh Yên", "Đảng bộ xã Võ Lao"]

    # Search without diacritics.
    page.fill("#q", "vo lao")
    page.get_by_role("button", name="Tìm", exact=True).click()
    assert page.locator("#search-results tbody tr").all_inner_texts()[0].startswith("Đảng bộ xã Võ Lao")

    # Record a merge: Võ Lao into Khánh Yên, confirm what will move, then record it.
    page.goto(f"{live_server.url}/organisations/C2/")
    page.get_by_role("link", name="Hợp nhất", exact=True).click()
    page.fill("#id_target", "C1")
    page.fill("#id_decision_number", "Số 45-QĐ/HU")
    page.fill("#id_effective_on", "01/04/2024")
    page.fill("#id_issuer", "Ban Thường vụ Huyện ủy")
    page.click("text=Xem trước thay đổi")
    changes = page.locator("#changes").inner_text()
    assert "Hợp nhất 1 tổ chức vào «Đảng bộ xã Khánh Yên» (C1)" in changes
    assert "chấm dứt hoạt động ngày 31/03/2024" in changes
    assert Organisation.objects.get(code="C2").closed_on is None
    page.click("text=Ghi quyết định")

    # The history page of the target shows the decision and the predecessor.
    page.wait_for_url("**/organisations/C1/history/")
    assert "Số 45-QĐ/HU" in page.locator("#events").inner_text()
    assert "Đảng bộ xã Võ Lao" in page.locator("#predecessors").inner_text()
    page.click("#predecessors >> text=Đảng bộ xã Võ Lao")
    assert "31/03/2024" in page.locator("#closed-on").inner_text()

    # The tree as it stood before the merge still shows Võ Lao under the district.
    page.goto(f"{live_server.url}/organisations/D/?as_of=15/03/2024")
    assert page.locator("li[data-code=C2]").count() == 1
    page.goto(f"{live_server.url}/organisations/D/")
    assert page.locator("li[data-code=C2]").count() == 0


def test_a_decision_recorded_ahead_waits_shows_on_the_future_tree_and_is_cancelled(live_server, login, tree):
    from dangvu.core.dates import today
    from dangvu.organizations.models import PendingDecision

    when = today() + dt.timedelta(days=14)
    page = login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/organisations/C1/")
    page.get_by_role("link", name="Hợp nhất", exact=True).click()
    page.fill("#id_sources", "C1-T2")
    page.fill("#id_target", "C1-T1")
    page.fill("#id_decision_number", "Số 70-QĐ/ĐU")
    page.fill("#id_effective_on", when.strftime("%d/%m/%Y"))
    page.click("text=Xem trước thay đổi")
    expect(page.locator("#ahead")).to_contain_text(f"tự thực hiện vào ngày {when:%d/%m/%Y}")
    page.get_by_role("button", name="Ghi quyết định chờ hiệu lực").click()
    expect(page.get_by_role("status")).to_contain_text(f"sẽ tự có hiệu lực ngày {when:%d/%m/%Y}")
    expect(page.locator("#pending-state")).to_have_text("Chờ đến ngày hiệu lực")
    assert Organisation.objects.get(code="C1-T2").closed_on is None

    # The tree on that date: Đồng Tâm is gone from under Khánh Yên; today it is still there.
    page.get_by_role("link", name=f"Xem cây tổ chức dự kiến ngày {when:%d/%m/%Y}").click()
    expect(page.locator("#projection")).to_contain_text("Số 70-QĐ/ĐU")
    page.goto(f"{live_server.url}/organisations/C1/?as_of={when:%d/%m/%Y}")
    expect(page.locator("li[data-code='C1-T1']")).to_have_count(1)
    expect(page.locator("li[data-code='C1-T2']")).to_have_count(0)
    page.goto(f"{live_server.url}/organisations/C1/")
    expect(page.locator("li[data-code='C1-T2']")).to_have_count(1)
    expect(page.locator("#pending-note")).to_contain_text("70-QĐ/ĐU")

    # Cancel it: a reason is asked, the browser asks to confirm, and the cancellation is kept.
    page.locator("#pending-note").get_by_role("link", name=f"hợp nhất, sáp nhập số 70-QĐ/ĐU ({when:%d/%m/%Y})").click()
    page.fill("#id_reason", "Chờ ý kiến của Ban Tổ chức Tỉnh ủy")
    page.get_by_role("button", name="Hủy quyết định").click()
    expect(page.get_by_role("status")).to_contain_text("Đã hủy quyết định số 70-QĐ/ĐU")
    assert page.dialogs == [f"Hủy quyết định số 70-QĐ/ĐU? Quyết định sẽ không có hiệu lực ngày {when:%d/%m/%Y}."]
    expect(page.locator("#pending tbody tr", has_text="70-QĐ/ĐU")).to_contain_text("Đã hủy")
    assert PendingDecision.objects.get().cancel_reason == "Chờ ý kiến của Ban Tổ chức Tỉnh ủy"
