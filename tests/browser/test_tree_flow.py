import pytest

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
