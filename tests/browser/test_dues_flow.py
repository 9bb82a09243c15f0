"""A month of dues from the cell's collection to the report upward: the secretary opens the month's sheet, records
what each member paid at the meeting (one on the portal, with its reference), the commune's officer reads the
collection rate per branch and approves the report, and the month is then locked for the cell."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from dangvu.dues import services as svc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_months_collection_to_the_report_upward(page, live_server, login, admin_user, tree, people):
    svc.basis_set(by=admin_user, member=people["duc"], valid_from=dt.date(2026, 1, 1), category="insured",
                  amount=8_000_000)  # fmt: skip
    login("quantri", "mat-khau-rat-dai-1")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Đảng phí").first.click()
    page.goto(f"{live_server.url}/dues/organisations/C1-T1/2026-03/")
    page.click("#open")
    expect(page.locator(".alert-success")).to_contain_text("Đã lập sổ tháng 03/2026: 5 đảng viên")
    duc, hoa, an = people["duc"].pk, people["hoa"].pk, people["an"].pk
    expect(page.locator(f"#line-{duc} td").nth(2)).to_have_text("80.000")
    # Lò Văn An pays next time: unticked; Hòa pays on the portal
    page.uncheck(f"#pay_{an}")
    page.select_option(f"select[name=method_{hoa}]", "portal")
    page.fill(f"input[name=reference_{hoa}]", "DVC-2026-03-0007")
    page.fill("#paid_on", "10/03/2026")
    page.click("#record")
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi 4 khoản nộp, 95.000 đồng")
    expect(page.locator("#s-owed")).to_have_text("5.000 đ")
    # the commune's view: the rate per branch, then the report upward
    page.goto(f"{live_server.url}/dues/?org=C1&period=2026-03")
    expect(page.locator("#t-paid")).to_contain_text("95.000")
    expect(page.locator("#report")).to_contain_text("Đã thu trong kỳ")
    page.click("#approve")
    expect(page.locator(".alert-success[role=status]")).to_contain_text("các tháng của kỳ đã khóa sổ")
    expect(page.locator("#approved")).to_be_visible()
    # the month is now locked for the cell: only a correction with its reason
    page.goto(f"{live_server.url}/dues/organisations/C1-T1/2026-03/")
    expect(page.locator("#locked")).to_be_visible()
    expect(page.locator("#record")).to_have_text("Ghi điều chỉnh")
    page.check(f"#pay_{an}")
    page.fill(f"input[name=amount_{an}]", "5000")
    page.fill("#note", "Nộp bổ sung sau khi khóa sổ")
    page.click("#record")
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi 1 khoản nộp")
    expect(page.locator("#s-owed")).to_have_text("0 đ")
