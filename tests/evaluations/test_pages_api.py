"""The pages and the API: a secretary's and an officer's clicks as requests, the contract of /api/v1/reviews,
the generated forms, the Excel export and the query counts of the rollups."""

import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook

from dangvu.evaluations import selectors as sel
from dangvu.evaluations import services as svc
from dangvu.evaluations.models import Review
from tests.conftest import VerifiedClient
from tests.jobs.helpers import export


def login(user):
    c = VerifiedClient()
    c.force_login(user)
    return c


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_secretary_pages_from_registration_to_submission(people, user_on, tree):
    c = login(user_on("C1-T1", "secretary"))
    url = "/evaluations/organisations/C1-T1/2026/"
    r = c.post(url + "register/", {"target_level": "good", "goals": ""})
    assert r.status_code == 400 and "Trường này là bắt buộc" in r.content.decode()
    r = c.post(
        url + "register/",
        {"target_level": "good", "goals": "Kết nạp 2 đảng viên\nKhông có đảng viên vi phạm"},
    )
    assert r.status_code == 302
    page = c.get(url).content.decode()
    assert "Kết nạp 2 đảng viên" in page and page.count("Chưa nộp") == 5
    duc = people["duc"]
    r = c.post(
        f"/evaluations/members/{duc.pk}/2026/commitment/", {"target_level": "good", "content": "Gương mẫu"}
    )
    assert r.status_code == 302
    assert c.get(url).content.decode().count("Chưa nộp") == 4
    r = c.post(url + "open/", {"member": duc.pk})
    review = Review.objects.get(member=duc)
    assert r.status_code == 302 and r["Location"] == f"/evaluations/reviews/{review.pk}/"
    r = c.post(f"/evaluations/reviews/{review.pk}/self/", {"form": "2C", "self_score": "100,5", "self_level": "good",
                                                            "submit": "1"})  # fmt: skip
    assert r.status_code == 400 and "Điểm phải từ 0 đến 100." in r.content.decode()
    r = c.post(f"/evaluations/reviews/{review.pk}/self/", {"form": "2C", "self_score": "89,9",
                                                            "self_level": "excellent", "submit": "1"})  # fmt: skip
    assert r.status_code == 400 and "mức đúng là «Hoàn thành tốt nhiệm vụ (HTTNV)»" in r.content.decode()
    r = c.post(f"/evaluations/reviews/{review.pk}/self/", {"form": "2C", "self_score": "89,9", "self_level": "good",
                                                            "strengths": "Tích cực", "submit": "1"})  # fmt: skip
    assert r.status_code == 302
    review.refresh_from_db()
    assert (review.state, str(review.self_score)) == ("submitted", "89.9")
    # the secretary records the cell's review but may not decide
    r = c.post(f"/evaluations/reviews/{review.pk}/assess/", {"cell_score": "88", "cell_level": "good",
                                                              "votes_for": "4", "votes_base": "5"})  # fmt: skip
    assert r.status_code == 302
    r = c.post(f"/evaluations/reviews/{review.pk}/decide/", {"level": "good", "number": "3-QĐ/ĐU"})
    assert r.status_code == 403


def test_the_generated_forms_carry_the_official_layout_and_the_data(people, cycle, admin_user, tree, client):
    r = cycle(people["duc"], score="92", level="excellent", exceeded=4)
    svc.review_decide(by=admin_user, verdicts=[svc.Verdict(r, "good")], number="7-QĐ/ĐU")
    client.force_login(admin_user)
    resp = client.get(f"/evaluations/reviews/{r.pk}/form.docx")
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(resp.content)
    for words in ("Mẫu 2C-HD KĐ.ĐG 2025", "ĐẢNG CỘNG SẢN VIỆT NAM", "CHI BỘ THÔN NÀ LỘC", "BẢN KIỂM ĐIỂM ĐẢNG VIÊN",
                  "Năm 2025", "Nguyễn Văn Đức", "Tự chấm điểm: 92,0/100", "Hoàn thành tốt nhiệm vụ (HTTNV), 92,0 điểm",
                  "Quyết định số 7-QĐ/ĐU", "(4/5 đảng viên tán thành)"):  # fmt: skip
        assert words in text, words
    # 2024: the earlier framework's form code and no score line
    r24 = svc.review_open(by=admin_user, year=2024, member=people["hoa"])
    text = docx_text(client.get(f"/evaluations/reviews/{r24.pk}/form.docx").content)
    assert "Mẫu 02A-HD KĐ.ĐG 2023" in text and "Tự chấm điểm" not in text
    # form 01 of an organisation uses its goals, meetings, dossiers and members' results
    svc.registration_save(
        by=admin_user, org=tree["C1-T1"], year=2025, target_level="good", goals="Chỉ tiêu A"
    )
    o = svc.review_open(by=admin_user, year=2025, org=tree["C1-T1"])
    text = docx_text(client.get(f"/evaluations/reviews/{o.pk}/form.docx").content)
    for words in ("Mẫu 01-HD KĐ.ĐG 2025", "BÁO CÁO KIỂM ĐIỂM TẬP THỂ", "- Chỉ tiêu A", "Số buổi sinh hoạt thường kỳ",
                  "Hồ sơ, sổ sách theo danh mục", "Hoàn thành tốt nhiệm vụ: 1 đảng viên (100,0%)"):  # fmt: skip
        assert words in text, words


def test_api_contract_for_reviews_and_summary(people, cycle, admin_user, tree, client):
    for m, score, level in ((people["duc"], "95", "excellent"), (people["hoa"], "80", "good"),
                            (people["an"], "60", "completed")):  # fmt: skip
        cycle(m, score=score, level=level, exceeded=5)
    client.force_login(admin_user)
    body = client.get("/api/v1/reviews?org=C1&year=2025").json()
    assert body["count"] == 3
    item = body["items"][0]
    assert {"subject", "form", "score", "level", "state"} <= set(item)
    assert {(i["subject"], i["state"], i["level"]) for i in body["items"]} == {("member", "reviewed", "")}
    # the decision through the API; the quota (20% of 1 good = 0) refuses excellent for Đức
    rid = next(i["id"] for i in body["items"] if i["name"] == "Nguyễn Văn Đức")
    resp = client.post(f"/api/v1/reviews/{rid}/decision", {"level": "excellent", "number": "9-QĐ/ĐU"},
                       content_type="application/json")  # fmt: skip
    assert resp.status_code == 400 and "vượt tỷ lệ" in resp.json()["errors"]["level"]
    for i in body["items"]:
        level = "good" if i["name"] == "Nguyễn Văn Đức" else i["cell_level"]
        resp = client.post(f"/api/v1/reviews/{i['id']}/decision", {"level": level, "number": "9-QĐ/ĐU"},
                           content_type="application/json")  # fmt: skip
        assert resp.status_code == 200, resp.json()
    s = client.get("/api/v1/reviews/summary?org=C1&year=2025").json()
    assert s["members"]["decided"] == 3 and s["members"]["expected"] == 5
    assert s["members"]["levels"]["good"] == {"count": 2, "percent": 66.7}
    assert s["members"]["levels"]["completed"] == {"count": 1, "percent": 33.3}
    assert s["organisations"]["expected"] == 3 and s["quota_breaches"] == []
    got = client.get("/api/v1/reviews/results?org=C1-T1&year=2025").json()
    assert got["count"] == 3 and {i["decision_number"] for i in got["items"]} == {"9-QĐ/ĐU"}
    # bad input: a score outside 0–100, a level the score does not allow, an unknown organisation
    resp = client.post("/api/v1/reviews", {"year": 2025, "org": "C1"}, content_type="application/json")
    oid = resp.json()["id"]
    resp = client.put(f"/api/v1/reviews/{oid}/self", {"self_score": 120, "self_level": "good"},
                      content_type="application/json")  # fmt: skip
    assert resp.status_code == 422 and resp.json()["errors"] == {"self_score": "Không được lớn hơn 100."}
    resp = client.put(f"/api/v1/reviews/{oid}/self", {"self_score": 69.9, "self_level": "good", "tasks_total": 5},
                      content_type="application/json")  # fmt: skip
    assert resp.status_code == 400 and "HTNV" in resp.json()["errors"]["self_level"]
    resp = client.post("/api/v1/reviews/registrations", {"org": "ZZ", "year": 2026, "target_level": "good",
                                                         "goals": "x"}, content_type="application/json")  # fmt: skip
    assert resp.status_code == 400 and "org" in resp.json()["errors"]
    resp = client.post("/api/v1/reviews/commitments", json.dumps({"member_id": people["duc"].pk, "year": 2026,
                       "target_level": "good", "content": "Cam kết"}), content_type="application/json")  # fmt: skip
    assert resp.status_code == 201 and resp.json()["org"] == "C1-T1"
    assert [c["name"] for c in client.get("/api/v1/reviews/commitments?org=C1&year=2026").json()] == [
        "Nguyễn Văn Đức"
    ]


def test_the_superior_sees_quota_breaches_discipline_and_exports(people, cycle, admin_user, tree, client):
    import datetime as dt

    from tests.inspection.conftest import disciplined

    disciplined(admin_user, people["an"], dt.date(2025, 3, 1), number="Số 5-QĐ/UBKT")
    cycle(people["duc"], score="95", level="excellent", exceeded=5)
    cycle(people["hoa"], score="80", level="good")
    cycle(people["an"], score="60", level="completed")
    client.force_login(admin_user)
    page = client.get("/evaluations/?org=D&year=2025").content.decode()
    assert 'id="quota"' in page and "Đảng bộ xã Khánh Yên" in page
    assert 'id="discipline"' in page and "Lò Văn An" in page and "5-QĐ/UBKT" in page
    wb = load_workbook(io.BytesIO(export(client, "/evaluations/export.xlsx?org=D&year=2025")))
    assert wb.sheetnames == ["Tổng hợp", "Đảng viên", "Tổ chức"]
    rows = [[c.value for c in r] for r in wb["Tổng hợp"].iter_rows(min_row=4)]
    assert rows[0][:5] == ["STT", "Đơn vị", "Đối tượng", "Phải đánh giá", "Đã xếp loại"]
    assert any(r[1] == "Đảng bộ xã Khánh Yên" and r[2] == "Đảng viên" and r[3] == 5 for r in rows)


def test_rollups_are_grouped_queries_whatever_the_size(people, cycle, add, admin_user, tree,
                                                       django_assert_num_queries):  # fmt: skip
    for i in range(6):
        cycle(add(full_name=f"Hà Văn {i}", card_number=f"02.00000{i}"), score="75", level="good")
    with django_assert_num_queries(6):  # reviews, stays, commitments, organisations, registrations, names
        total, branches = sel.rollup(tree["P"], 2025)
    assert total["members"]["reviewed"] == 6
    with django_assert_num_queries(2):
        sel.quota_rows(tree["P"], 2025)
    with django_assert_num_queries(3):
        rows = sel.members_of(tree["C1-T1"], 2025)
        names = [r.review.member.full_name for r in rows if r.review]
    assert len(names) == 6


@pytest.mark.parametrize("path", ["/evaluations/?org=C2", "/evaluations/organisations/C2-T1/2025/"])
def test_out_of_scope_is_404(user_on, tree, path):
    c = login(user_on("C1", "officer"))
    assert c.get(path).status_code == 404
