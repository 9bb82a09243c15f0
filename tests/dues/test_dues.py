"""Party dues: what each member owes by the rules of the month, reliefs, payments (partial, advance, portal),
the unpaid flag, the report that locks a period, corrections, the payroll import, the books and the API."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from dangvu.core.audit import AuditEntry
from dangvu.core.dates import today
from dangvu.core.errors import Conflict, DomainError
from dangvu.dues import exporter
from dangvu.dues import rules as dr
from dangvu.dues import selectors as sel
from dangvu.dues import services as svc
from dangvu.dues.models import Basis, Due, Payment
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
JAN, MAR, NOV = dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 11, 1)


def test_the_amount_is_integer_arithmetic_by_the_rule_of_the_month():
    old, new = dr.params(JAN), dr.params(MAR)  # QĐ 342 until 03/02/2026, QĐ 01-QĐ/TW after
    assert dr.amount("insured", 7_345_678, 0, new) == 73_500  # 1% = 73,456.78 → rounded to 100 đồng
    assert dr.amount("pension", 6_000_000, 0, new) == 30_000  # 0.5%
    assert dr.amount("student", 0, 0, new) == 5_000 and dr.amount("student", 0, 0, old) == 2_000
    assert dr.amount("insured", 10_000_000, 50, new) == 50_000 and dr.amount("insured", 10_000_000, 100, new) == 0
    assert isinstance(dr.amount("insured", 9_999_999, 30, new), int)
    assert dr.exempt_by_age(dt.date(1976, 3, 1), MAR, new) and not dr.exempt_by_age(dt.date(1976, 3, 2), MAR, new)


def test_a_month_opens_with_each_members_due_bases_and_reliefs(admin_user, tree, people):  # noqa: F811
    svc.basis_set(by=admin_user, member=people["duc"], valid_from=JAN, category="insured", amount=8_000_000)
    svc.basis_set(by=admin_user, member=people["hoa"], valid_from=JAN, category="pension", amount=6_000_000)
    people["an"].admitted_on = dt.date(1970, 1, 1)  # fifty years of Party age: exempt
    people["an"].save(update_fields=["admitted_on"])
    svc.relief_add(by=admin_user, member=people["anh"], reason="poor", percent=100, valid_from=JAN, valid_to=None,
                   decision="05-NQ/CB")  # fmt: skip
    assert svc.month_open(by=admin_user, org=tree["C1"], month=MAR) == 5
    assert svc.month_open(by=admin_user, org=tree["C1"], month=MAR) == 0  # a second time adds nothing
    due = {d.member_id: d for d in Due.objects.filter(month=MAR)}
    assert due[people["duc"].pk].amount == 80_000 and due[people["hoa"].pk].amount == 30_000
    assert due[people["an"].pk].amount == 0 and "Tuổi đảng từ 50 năm" in due[people["an"].pk].exempt_reason
    assert due[people["anh"].pk].amount == 0 and due[people["anh"].pk].relief == 100
    assert due[people["dung"].pk].amount == 5_000  # no basis yet: the fixed sum of other members
    # a new basis recomputes the unlocked months
    svc.basis_set(by=admin_user, member=people["duc"], valid_from=MAR, category="insured", amount=9_000_000)
    assert Due.objects.get(member=people["duc"], month=MAR).amount == 90_000
    assert AuditEntry.objects.filter(action="dues.basis").count() == 3


def test_a_hardship_reduction_is_at_most_twelve_months_and_needs_its_decision(admin_user, people):  # noqa: F811
    with pytest.raises(DomainError, match="tối đa 12 tháng"):
        svc.relief_add(by=admin_user, member=people["duc"], reason="hardship", percent=50, valid_from=JAN,
                       valid_to=dt.date(2027, 1, 31), decision="01-NQ/CB")  # fmt: skip
    with pytest.raises(DomainError, match="30%, 50%, 70%"):
        svc.relief_add(by=admin_user, member=people["duc"], reason="hardship", percent=40, valid_from=JAN,
                       valid_to=dt.date(2026, 6, 30), decision="01-NQ/CB")  # fmt: skip
    with pytest.raises(DomainError, match="số quyết định"):
        svc.relief_add(by=admin_user, member=people["duc"], reason="hardship", percent=50, valid_from=JAN,
                       valid_to=dt.date(2026, 6, 30), decision=" ")  # fmt: skip


def test_payments_partial_advance_and_portal_then_the_ledger(admin_user, tree, people):  # noqa: F811
    svc.basis_set(by=admin_user, member=people["duc"], valid_from=JAN, category="insured", amount=8_000_000)
    cell = tree["C1-T1"]
    svc.payments_record(by=admin_user, org=cell, month=MAR, paid_on=dt.date(2026, 3, 10),
                        pays=[svc.Pay(people["duc"].pk, 50_000)], batch="a1")  # fmt: skip
    with pytest.raises(Conflict, match="bấm hai lần"):
        svc.payments_record(by=admin_user, org=cell, month=MAR, paid_on=dt.date(2026, 3, 10),
                            pays=[svc.Pay(people["duc"].pk, 50_000)], batch="a1")  # fmt: skip
    svc.payments_record(by=admin_user, org=cell, month=MAR, paid_on=dt.date(2026, 3, 20),
                        pays=[svc.Pay(people["duc"].pk, 30_000, "portal", "DVC-2026-0001")])  # fmt: skip
    with pytest.raises(DomainError, match="mã giao dịch"):
        svc.payments_record(by=admin_user, org=cell, month=MAR, paid_on=dt.date(2026, 3, 20),
                            pays=[svc.Pay(people["hoa"].pk, 5_000, "portal", "")])  # fmt: skip
    with pytest.raises(DomainError, match="DVC-2026-0001"):  # the portal's reference is taken once
        svc.payments_record(by=admin_user, org=cell, month=MAR, paid_on=dt.date(2026, 3, 20),
                            pays=[svc.Pay(people["hoa"].pk, 5_000, "portal", "DVC-2026-0001")])  # fmt: skip
    assert Payment.objects.filter(member=people["hoa"]).count() == 0  # all or nothing
    advance = svc.month_of(today()).replace(year=today().year + 1) if today().month == 12 else None
    nxt = svc.month_of(svc.add_months(today(), 1)) if advance is None else advance
    svc.payments_record(by=admin_user, org=cell, month=nxt, paid_on=today(), pays=[svc.Pay(people["duc"].pk, 80_000)])
    with pytest.raises(DomainError, match="tối đa 12 tháng"):
        svc.payments_record(by=admin_user, org=cell, month=svc.add_months(today(), 14), paid_on=today(),
                            pays=[svc.Pay(people["duc"].pk, 80_000)])  # fmt: skip
    led = sel.ledger(people["duc"], 2026)
    march = led["months"][2]
    assert (march.due, march.paid, march.owed) == (80_000, 80_000, 0)
    with pytest.raises(DomainError, match="không sinh hoạt"):
        svc.payments_record(by=admin_user, org=cell, month=MAR, paid_on=dt.date(2026, 3, 20),
                            pays=[svc.Pay(people["khe"].pk, 5_000)])  # fmt: skip


def test_three_unpaid_months_in_a_year_flag_the_member(admin_user, tree, people):  # noqa: F811
    for m in (1, 2, 3, 4):
        svc.month_open(by=admin_user, org=tree["C1"], month=dt.date(2026, m, 1))
    for m in (1, 2, 3, 4):  # Đức pays every month; Hòa only January
        svc.payments_record(by=admin_user, org=tree["C1-T1"], month=dt.date(2026, m, 1), paid_on=dt.date(2026, m, 5),
                            pays=[svc.Pay(people["duc"].pk, 2_000 if m == 1 else 5_000)]
                            + ([svc.Pay(people["hoa"].pk, 2_000)] if m == 1 else []))  # fmt: skip
    rows = {r["member__full_name"]: r for r in sel.unpaid(admin_user, tree["C1"], 2026, dt.date(2026, 5, 15))}
    assert rows["Đặng Thị Hòa"]["months"] == 3 and rows["Đặng Thị Hòa"]["flag"]
    assert "Nguyễn Văn Đức" not in rows
    assert sel.flags_count(admin_user, tree["C1"], 2026, dt.date(2026, 5, 15)) == len([r for r in rows.values() if r["flag"]])
    # before the end of April, April is not yet late: Hòa has two unpaid months, no flag
    early = {r["member__full_name"]: r for r in sel.unpaid(admin_user, tree["C1"], 2026, dt.date(2026, 4, 15))}
    assert early["Đặng Thị Hòa"]["months"] == 2 and not early["Đặng Thị Hòa"]["flag"]


def test_the_report_locks_the_period_and_a_change_is_a_correction(admin_user, tree, people):  # noqa: F811
    svc.basis_set(by=admin_user, member=people["duc"], valid_from=JAN, category="insured", amount=10_000_000)
    svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["duc"].pk, 100_000), svc.Pay(people["hoa"].pk, 5_000)])  # fmt: skip
    rep = svc.report_approve(by=admin_user, org=tree["C1"], start=MAR, end=dt.date(2026, 3, 31))
    f = rep.figures
    # C1-T1 is a cell under a grassroots committee: keeps 30% (QĐ 342's ratio, a parameter), the rest reaches C1
    assert f["collected"] == 105_000 and f["kept_below"] == 31_500
    assert f["retained_here"] + f["remitted"] == 105_000 - 31_500
    assert f["retained_here"] == (105_000 - 31_500) * f["keep_here"] // 100
    with pytest.raises(Conflict, match="đã được duyệt"):
        svc.report_approve(by=admin_user, org=tree["C1"], start=MAR, end=dt.date(2026, 3, 31))
    with pytest.raises(Conflict, match="đã khóa sổ"):
        svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 4, 2),
                            pays=[svc.Pay(people["an"].pk, 5_000)])  # fmt: skip
    with pytest.raises(DomainError, match="lý do điều chỉnh"):
        svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 4, 2),
                            pays=[svc.Pay(people["duc"].pk, -20_000)], correction=True)  # fmt: skip
    svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 4, 2),
                        pays=[svc.Pay(people["duc"].pk, -20_000)], correction=True, note="Thu nhầm")  # fmt: skip
    assert Due.objects.get(member=people["duc"], month=MAR).paid == 80_000
    assert AuditEntry.objects.filter(action="dues.correction").exists()
    # the basis changes: a locked month keeps what it was
    svc.basis_set(by=admin_user, member=people["duc"], valid_from=JAN, category="insured", amount=12_000_000)
    assert Due.objects.get(member=people["duc"], month=MAR).amount == 100_000
    with pytest.raises(DomainError, match="đã kết thúc"):
        svc.report_approve(by=admin_user, org=tree["C1"], start=svc.month_of(today()), end=svc.month_end(svc.month_of(today())))


def test_bases_import_from_a_payroll_is_all_or_nothing(admin_user, tree, people):  # noqa: F811
    def book(rows):
        wb = Workbook()
        ws = wb.active
        ws.append(["BẢNG LƯƠNG THÁNG 11/2026"])
        ws.append(["STT", "Họ và tên", "Số thẻ đảng viên", "Đối tượng", "Lương đóng BHXH"])
        for r in rows:
            ws.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        buf.seek(0)
        buf.name = "luong.xlsx"
        return buf

    bad = book([[1, "Nguyễn Văn Đức", "01.000001", "Lương", 8_500_000], [2, "Ai đó", "99.999999", "Lương", 1],
                [3, "Đặng Thị Hòa", "01.000002", "Hưu", "sáu triệu"]])  # fmt: skip
    r = svc.bases_import(by=admin_user, org=tree["C1"], source=bad, month=NOV, name="luong.xlsx")
    assert [(row, col) for row, col, _w in r.errors] == [(4, "Số thẻ / CCCD"), (5, "Tiền lương")]
    assert not Basis.objects.exists()
    good = book([[1, "Nguyễn Văn Đức", "01.000001", "Lương", 8_500_000], [2, "Đặng Thị Hòa", "01.000002", "Hưu", 6_000_000]])
    r = svc.bases_import(by=admin_user, org=tree["C1"], source=good, month=NOV, name="luong.xlsx")
    assert (r.errors, r.written) == ([], 2)
    assert {(b.member_id, b.category, b.amount) for b in Basis.objects.all()} == {
        (people["duc"].pk, "insured", 8_500_000), (people["hoa"].pk, "pension", 6_000_000)}


def test_books_print_and_write_numbers_never_formulas(admin_user, tree, people):  # noqa: F811
    people["duc"].full_name = "=cmd|' /C calc'!A0"
    people["duc"].save(update_fields=["full_name"])
    svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["duc"].pk, 5_000)])  # fmt: skip
    for tmp in (exporter.cell_book(tree["C1-T1"], 2026),
                exporter.summary_book(admin_user, tree["C1"], MAR, dt.date(2026, 3, 31))):
        ws = load_workbook(tmp).active
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c for c in cells if c.data_type == "f"]
        assert ws.print_title_rows and ws.page_setup.paperSize == 9
    ws = load_workbook(exporter.summary_book(admin_user, tree["C1"], MAR, dt.date(2026, 3, 31))).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Mẫu S02/ĐP" in texts and "SỔ TỔNG HỢP THU, NỘP ĐẢNG PHÍ" in texts


def test_the_pages_and_the_api(client, admin_user, tree, people):  # noqa: F811
    client.force_login(admin_user)
    html = client.post("/dues/organisations/C1-T1/2026-03/", {"action": "open"}, follow=True).content.decode()
    assert "Đã lập sổ tháng 03/2026: 5 đảng viên" in html
    duc = people["duc"].pk
    r = client.post("/dues/organisations/C1-T1/2026-03/", {"batch": "x1", "paid_on": "05/03/2026",
                                                          f"pay_{duc}": "on", f"amount_{duc}": "5.000",
                                                          f"method_{duc}": "cash"}, follow=True)  # fmt: skip
    assert "Đã ghi 1 khoản nộp, 5.000 đồng" in r.content.decode()
    r = client.post("/dues/organisations/C1-T1/2026-03/", {"batch": "x2", "paid_on": "05/03/2026",
                                                          f"pay_{duc}": "on", f"amount_{duc}": "năm nghìn"})  # fmt: skip
    assert r.status_code == 400 and "số nguyên dương" in r.content.decode()
    html = client.get("/dues/?org=C1&period=2026-03").content.decode()
    assert 'id="t-paid">5.000 đ' in html and '<svg class="chart-svg"' not in html  # one branch: no chart
    api = client.get("/api/v1/dues/C1-T1/months/2026-03").json()
    assert api["paid"] == 5_000 and len(api["lines"]) == 5
    r = client.post("/api/v1/dues/C1-T1/months/2026-03/payments", {"paid_on": "2026-03-06", "payments": [
        {"member_id": people["hoa"].pk, "amount": 0}]}, content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "số nguyên dương" in str(r.json()["errors"])
    r = client.post("/api/v1/dues/C1-T1/months/2026-03/payments", {"paid_on": "2026-03-06", "payments": [
        {"member_id": people["hoa"].pk, "amount": 5000}]}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201
    assert client.get(f"/api/v1/dues/members/{people['hoa'].pk}?year=2026").json()["paid"] == 5_000
    r = client.post("/api/v1/dues/C1/reports", {"period": "2026-03"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["collected"] == 10_000
    assert client.get("/api/v1/dues/C1/rollup?period=2026-03").json()["collected"] == 10_000
    assert client.get("/api/v1/dues/NOPE/rollup").status_code == 404
    html = client.get(f"/dues/members/{duc}/?year=2026").content.decode()
    assert "Sổ đảng phí của Nguyễn Văn Đức — năm 2026" in html


def test_the_committees_income_and_spending_book(client, admin_user, tree, people):  # noqa: F811
    svc.basis_set(by=admin_user, member=people["duc"], valid_from=JAN, category="insured", amount=10_000_000)
    svc.payments_record(by=admin_user, org=tree["C1-T1"], month=MAR, paid_on=dt.date(2026, 3, 5),
                        pays=[svc.Pay(people["duc"].pk, 100_000)])  # fmt: skip
    svc.cash_add(by=admin_user, org=tree["C1"], on=dt.date(2026, 2, 10), kind="in_grant", amount=10_000,
                 note="Cấp trên hỗ trợ")  # fmt: skip
    svc.cash_add(by=admin_user, org=tree["C1"], on=dt.date(2026, 3, 20), kind="out_support", amount=20_000,
                 note="Thăm hỏi đảng viên ốm")  # fmt: skip
    with pytest.raises(DomainError, match="là chi bộ"):
        svc.cash_add(by=admin_user, org=tree["C1-T1"], on=MAR, kind="out_other", amount=1, note="x")
    with pytest.raises(DomainError, match="số nguyên dương"):
        svc.cash_add(by=admin_user, org=tree["C1"], on=MAR, kind="out_other", amount=0, note="x")
    book = sel.cash_book(admin_user, tree["C1"], MAR, dt.date(2026, 3, 31))
    kept = sel.report_figures(admin_user, tree["C1"], MAR, dt.date(2026, 3, 31))["retained_here"]
    assert kept > 0 and book["income"][0]["period"] == kept
    assert book["opening"] == 10_000 and book["spending_total"] == 20_000
    assert book["closing"] == 10_000 + kept - 20_000 and book["income_ytd"] == 10_000 + kept
    ws = load_workbook(exporter.cash_book_xlsx(admin_user, tree["C1"], MAR, dt.date(2026, 3, 31))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Mẫu S01-TCĐ" in [c.value for c in cells] and not [c for c in cells if c.data_type == "f"]
    client.force_login(admin_user)
    html = client.get("/dues/organisations/C1/cash/?period=2026-03").content.decode()
    assert 'id="opening">10.000<' in html and "Thăm hỏi đảng viên ốm" in html
    r = client.post("/dues/organisations/C1/cash/?period=2026-03", {"on": "21/03/2026", "kind": "out_reward",
                                                                   "amount": "abc", "note": "Khen thưởng"})  # fmt: skip
    assert r.status_code == 400
    assert client.get("/dues/organisations/C1-T1/cash/").status_code == 404
