"""Meetings of collective bodies: the cell committee, a committee's executive and standing committees and its
inspection commission meet with the services of cell meetings, their members from the leadership seats."""

import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.documents.models import Body as Issuer
from dangvu.documents.models import Outgoing
from dangvu.meetings import selectors as sel
from dangvu.meetings import services as svc
from dangvu.meetings.models import Body, Kind, Meeting, Presence, VoteKind
from dangvu.members import services as msvc
from dangvu.members.models import SeatRole
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 12)
P, E, A = Presence.PRESENT, Presence.EXCUSED, Presence.ABSENT


@pytest.fixture
def commune(admin_user, tree, people, add):  # noqa: F811
    """Khánh Yên's committee (C1) elected on 01/7/2025: secretary Đức, deputy Hòa, standing member An, committee
    member Ánh; its inspection commission: Nga (chair, from the second village) and nobody else."""
    by, c1 = admin_user, tree["C1"]
    nga = add("C1-T2", full_name="Lường Thị Nga", sex="nu", card_number="01.000009")
    term = msvc.term_create(by=by, org=c1, name="2025–2030", starts_on=dt.date(2025, 7, 1))
    for key, role in (("duc", SeatRole.SECRETARY), ("hoa", SeatRole.DEPUTY), ("an", SeatRole.STANDING),
                      ("anh", SeatRole.MEMBER)):  # fmt: skip
        msvc.seat_assign(by=by, term=term, member=people[key], role=role)
    msvc.seat_assign(by=by, term=term, member=nga, role=SeatRole.INSPECTION_CHAIR)
    return {"org": c1, "term": term, "nga": nga, **people}


def held(by, org, body, marks, *, on=ON, kind=Kind.REGULAR, conclusion="Thống nhất kế hoạch tháng 4."):
    m = svc.schedule(by=by, org=org, data=svc.Schedule(body=body, kind=kind, date=on))
    lines = svc.summoned(org, on, body)
    svc.roll_call(by=by, meeting=m, marks={x.member_id: svc.Mark(*marks.get(x.member_id, (P,))) for x in lines})
    chair = next(x.member_id for x in lines)
    from dangvu.members.models import Member

    svc.record(by=by, meeting=m, data=svc.Record(started_at=dt.time(8), ended_at=dt.time(10),
                                                 chair=Member.objects.get(pk=chair),
                                                 minute_taker=Member.objects.get(pk=lines[-1].member_id),
                                                 conclusion=conclusion))  # fmt: skip
    m.refresh_from_db()
    return m


def test_each_body_summons_the_holders_of_its_seats_on_the_date(commune):
    c1 = commune["org"]
    names = {b: [x.name for x in svc.summoned(c1, ON, b)] for b in (Body.COMMITTEE, Body.STANDING, Body.COMMISSION)}
    assert names[Body.STANDING] == ["Lò Văn An", "Nguyễn Văn Đức", "Đặng Thị Hòa"]  # by given name, Đ after D
    assert sorted(names[Body.COMMITTEE]) == sorted(names[Body.STANDING] + ["Phạm Minh Ánh"])
    assert names[Body.COMMISSION] == ["Lường Thị Nga"]
    assert sel.bodies_of(c1, ON) == [Body.COMMITTEE, Body.STANDING, Body.COMMISSION]
    assert sel.bodies_of(c1, dt.date(2025, 6, 30)) == []  # before the term: no body to meet


def test_a_standing_committee_meeting_ends_with_numbered_minutes_and_resolution_under_the_committee(admin_user, commune):
    c1 = commune["org"]
    m = held(admin_user, c1, Body.STANDING, {commune["hoa"].pk: (E, "Đi công tác")})
    assert (m.present, m.excused, m.expected, m.vote_base) == (2, 1, 3, 3)
    assert {c["code"]: c["met"] for c in m.quality} == {"body_quorum": True, "body_minutes": True}
    v = svc.vote_add(by=admin_user, meeting=m, kind=VoteKind.ORDINARY, subject="Kế hoạch tháng 4", votes_for=2)
    assert (v.base, v.required, v.passed) == (3, 2, True)  # more than half of all three members
    svc.close(by=admin_user, meeting=m)
    numbers = Outgoing.objects.filter(meeting=m).order_by("doc_type")
    assert [(n.symbol, n.body) for n in numbers] == [("01-BB/ĐU", Issuer.STANDING), ("01-NQ/ĐU", Issuer.STANDING)]
    assert m.title == "Họp Ban Thường vụ thường kỳ"


def test_the_inspection_commission_numbers_in_its_own_register(admin_user, commune):
    m = held(admin_user, commune["org"], Body.COMMISSION, {})
    svc.close(by=admin_user, meeting=m)
    assert sorted(m.numbers.values_list("symbol", flat=True)) == ["01-BB/UBKTĐU", "01-NQ/UBKTĐU"]


def test_quorum_of_a_body_is_a_dated_parameter_marked_uncertain(admin_user, commune):
    m = held(admin_user, commune["org"], Body.COMMITTEE, {commune["hoa"].pk: (E, "Ốm"), commune["an"].pk: (A,)})
    q = {c["code"]: c for c in m.quality}["body_quorum"]
    assert not q["met"]  # 2 of 4, two thirds needed: 3
    assert "2/4" in q["reason"] and "cần ít nhất 3" in q["reason"] and "chưa có văn bản gốc" in q["reason"]


def test_a_committee_deciding_an_admission_needs_two_thirds_of_all_its_members(admin_user, commune):
    m = held(admin_user, commune["org"], Body.COMMITTEE, {commune["hoa"].pk: (E, "Ốm")})
    v = svc.vote_add(by=admin_user, meeting=m, kind=VoteKind.ADMISSION, subject="Kết nạp quần chúng Lò Thị Mai",
                     votes_for=2, votes_against=1)  # fmt: skip
    assert (v.base, v.required, v.passed) == (4, 3, False)  # three present all for would have passed


def test_one_regular_meeting_a_month_per_body_and_extraordinary_ones_besides(admin_user, commune, tree):
    c1, by = commune["org"], admin_user
    svc.schedule(by=by, org=c1, data=svc.Schedule(body=Body.STANDING, date=ON))
    with pytest.raises(DomainError) as e:
        svc.schedule(by=by, org=c1, data=svc.Schedule(body=Body.STANDING, date=ON + dt.timedelta(days=5)))
    assert "Ban Thường vụ đã có" in str(e.value)
    svc.schedule(by=by, org=c1, data=svc.Schedule(body=Body.STANDING, kind=Kind.EXTRA, date=ON + dt.timedelta(days=5)))
    svc.schedule(by=by, org=c1, data=svc.Schedule(body=Body.COMMITTEE, date=ON))  # another body, the same month
    with pytest.raises(DomainError) as e:
        svc.schedule(by=by, org=c1, data=svc.Schedule(body=Body.COMMITTEE, kind=Kind.THEMATIC, topic="x", date=ON))
    assert e.value.errors["kind"].startswith("Cấp ủy họp thường kỳ hoặc bất thường")


def test_a_body_that_does_not_exist_on_the_date_cannot_meet(admin_user, commune, tree, people):  # noqa: F811
    by = admin_user
    with pytest.raises(DomainError) as e:
        svc.schedule(by=by, org=commune["org"], data=svc.Schedule(body=Body.STANDING, date=dt.date(2025, 6, 1)))
    assert "không có Ban Thường vụ ngày 01/06/2025" in e.value.errors["date"]
    # a village cell with a secretary only has no cell committee (chi ủy) to meet
    term = msvc.term_create(by=by, org=tree["C2-T1"], name="2025–2030", starts_on=dt.date(2025, 8, 1))
    msvc.seat_assign(by=by, term=term, member=people["khe"], role=SeatRole.SECRETARY)
    with pytest.raises(DomainError) as e:
        svc.schedule(by=by, org=tree["C2-T1"], data=svc.Schedule(body=Body.COMMITTEE, date=ON))
    assert "không có cấp ủy" in e.value.errors["date"]
    # and the members' meeting stays the cells' own
    with pytest.raises(DomainError):
        svc.schedule(by=by, org=commune["org"], data=svc.Schedule(date=ON))


def test_only_the_body_s_members_are_marked_and_chair(admin_user, commune, people):  # noqa: F811
    c1, by = commune["org"], admin_user
    m = svc.schedule(by=by, org=c1, data=svc.Schedule(body=Body.STANDING, date=ON))
    marks = {x.member_id: svc.Mark(P) for x in svc.summoned(c1, ON, Body.STANDING)}
    marks[people["anh"].pk] = svc.Mark(P)  # a committee member, not of the standing committee
    with pytest.raises(DomainError) as e:
        svc.roll_call(by=by, meeting=m, marks=marks)
    assert e.value.errors[f"m{people['anh'].pk}"] == "«Phạm Minh Ánh» không phải thành viên Ban Thường vụ ngày 12/03/2026."
    assert not m.attendance.exists()


def test_body_meetings_do_not_count_as_cell_meetings_and_the_dashboard_counts_them_apart(admin_user, commune, tree):
    by = admin_user
    held(by, commune["org"], Body.STANDING, {})
    period = sel.Period.month(2026, 3)
    totals = sel.dashboard(by, tree["C1"], period)
    assert (totals["meetings"], totals["cells_met"]) == (0, 0)
    rows = {r["body"]: r for r in sel.bodies_dashboard(by, tree["D"], period, dt.date(2026, 4, 2))}
    assert (rows[Body.STANDING]["count"], rows[Body.STANDING]["met"], rows[Body.STANDING]["behind"]) == (1, 1, 0)
    assert (rows[Body.COMMITTEE]["count"], rows[Body.COMMITTEE]["met"], rows[Body.COMMITTEE]["behind"]) == (1, 0, 1)
    assert rows[Body.COMMITTEE]["behind_orgs"] == [("C1", "Đảng bộ xã Khánh Yên")]
    year = sel.body_year(by, commune["org"], 2026, dt.date(2026, 4, 2))
    by_body = {b["body"]: b for b in year["bodies"]}
    assert by_body[Body.STANDING]["missed"] == 2  # January and February over without a meeting; March met
    assert by_body[Body.COMMITTEE]["missed"] == 3
    assert not Meeting.objects.filter(body=Body.MEMBERS).exists()


def _text(data: bytes) -> str:
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    return "\n".join([p.text for p in doc.paragraphs]
                     + [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs])  # fmt: skip


def test_a_body_s_minutes_and_resolution_are_written_for_the_body(admin_user, commune):
    from dangvu.meetings import documents

    m = held(admin_user, commune["org"], Body.STANDING, {commune["hoa"].pk: (E, "Đi công tác")})
    svc.vote_add(by=admin_user, meeting=m, kind=VoteKind.ORDINARY, subject="Kế hoạch tháng 4", votes_for=2)
    svc.close(by=admin_user, meeting=m)
    minutes = _text(documents.render(m, "BB"))
    assert "Số 01-BB/ĐU" in minutes and "Tổng số thành viên Ban Thường vụ: 3" in minutes
    assert "Đặng Thị Hòa (Đi công tác)" in minutes and "T/M BAN THƯỜNG VỤ" in minutes
    assert "đảng viên của chi bộ" not in minutes
    resolution = _text(documents.render(m, "NQ"))
    assert "BAN THƯỜNG VỤ QUYẾT NGHỊ" in resolution and "2/3 thành viên tán thành" in resolution
    c = held(admin_user, commune["org"], Body.COMMISSION, {})
    svc.close(by=admin_user, meeting=c)
    text = _text(documents.render(c, "BB"))
    assert "ỦY BAN KIỂM TRA" in text and "Số 01-BB/UBKTĐU" in text and "T/M ỦY BAN KIỂM TRA" in text


def test_working_regulations_set_how_often_each_body_meets(admin_user, commune, tree):
    from dangvu.documents import services as dsvc

    by, c1 = admin_user, commune["org"]
    on = dt.date(2026, 7, 2)
    held(by, c1, Body.COMMISSION, {}, on=dt.date(2026, 2, 10))
    # by default every body meets monthly: the commission is behind for every month over but February
    year = {b["body"]: b for b in sel.body_year(by, c1, 2026, on)["bodies"]}
    assert year[Body.COMMISSION]["missed"] == 5 and year[Body.COMMISSION]["every"] == 1
    # the regulations adopted in January: the commission meets quarterly
    qc = dsvc.issue(c1, "QC", dt.date(2026, 1, 5), subject="Quy chế làm việc khóa 2025–2030", check=False)
    r = svc.rules_adopt(by=by, org=c1, data=svc.Rules(adopted_on=dt.date(2026, 1, 5), commission_every=3, document=qc))
    assert r.reference == qc.symbol
    year = {b["body"]: b for b in sel.body_year(by, c1, 2026, on)["bodies"]}
    assert year[Body.COMMISSION]["every"] == 3
    assert [m["month"] for m in year[Body.COMMISSION]["months"] if m["short"]] == [6]  # Q1 met in February; Q2 not
    q2 = sel.Period.quarter(2026, 2)
    rows = {x["body"]: x for x in sel.bodies_dashboard(by, tree["C1"], q2, on)}
    assert rows[Body.COMMISSION]["behind"] == 1
    q1 = sel.Period.quarter(2026, 1)
    assert {x["body"]: x for x in sel.bodies_dashboard(by, tree["C1"], q1, on)}[Body.COMMISSION]["behind"] == 0
    # refusals: the same day twice, a document that is not this organisation's regulation
    with pytest.raises(DomainError) as e:
        svc.rules_adopt(by=by, org=c1, data=svc.Rules(adopted_on=dt.date(2026, 1, 5)))
    assert "đã ghi quy chế làm việc ban hành ngày 05/01/2026" in e.value.errors["adopted_on"]
    plan = dsvc.issue(c1, "KH", dt.date(2026, 1, 6), check=False)
    with pytest.raises(DomainError) as e:
        svc.rules_adopt(by=by, org=c1, data=svc.Rules(adopted_on=dt.date(2026, 1, 6), document=plan))
    assert "phải là một quy chế (QC)" in e.value.errors["document"]
    with pytest.raises(DomainError) as e:
        svc.rules_adopt(by=by, org=c1, data=svc.Rules(adopted_on=dt.date(2026, 1, 7), standing_every=5))
    assert "standing_every" in e.value.errors


def test_a_cell_s_own_meeting_is_regular_or_thematic(admin_user, tree, people):  # noqa: F811
    with pytest.raises(DomainError) as e:
        svc.schedule(by=admin_user, org=tree["C1-T1"], data=svc.Schedule(kind=Kind.EXTRA, date=ON))
    assert e.value.errors["kind"].startswith("Chi bộ sinh hoạt thường kỳ hoặc chuyên đề")


def test_the_committee_s_home_page_asks_for_its_bodies_meetings_this_month(admin_user, commune, client):
    from dangvu.home import selectors as home

    held(admin_user, commune["org"], Body.STANDING, {}, on=dt.date(2026, 3, 3))
    items = {i.text: i.state for i in home.committee_agenda(admin_user, commune["org"], dt.date(2026, 3, 20)).items}
    assert items["Ban Thường vụ: đã họp ngày 03/03/2026"] == "done"
    assert items["Cấp ủy (chi ủy, ban chấp hành): chưa đăng ký họp thường kỳ tháng 3/2026"] == "todo"


def test_windows_are_judged_fairly_current_month_later_meetings_and_before_the_body_sat(admin_user, commune, tree):
    by, c1 = admin_user, commune["org"]
    # a monthly standing committee that met on 10/07, seen on 15/07 for the whole quarter: not behind
    held(by, c1, Body.STANDING, {}, on=dt.date(2026, 7, 10))
    rows = {x["body"]: x for x in sel.bodies_dashboard(by, tree["C1"], sel.Period.quarter(2026, 3), dt.date(2026, 7, 15))}
    assert (rows[Body.STANDING]["met"], rows[Body.STANDING]["behind"]) == (1, 0)
    # a quarterly commission that met on 10/02, seen in July for January: the quarter's meeting counts
    held(by, c1, Body.COMMISSION, {}, on=dt.date(2026, 2, 10))
    svc.rules_adopt(by=by, org=c1, data=svc.Rules(adopted_on=dt.date(2025, 12, 1), commission_every=3))
    rows = {x["body"]: x for x in sel.bodies_dashboard(by, tree["C1"], sel.Period.month(2026, 1), dt.date(2026, 7, 15))}
    assert rows[Body.COMMISSION]["behind"] == 0
    # a body seated in June is not behind for the months before it sat
    msvc.seat_assign(by=by, term=commune["term"], member=commune["anh"], role=SeatRole.INSPECTION_MEMBER,
                     valid_from=dt.date(2026, 6, 1))  # fmt: skip
    from dangvu.members.models import Seat

    Seat.objects.filter(role=SeatRole.INSPECTION_CHAIR).update(valid_from=dt.date(2026, 6, 1))
    year = {b["body"]: b for b in sel.body_year(by, c1, 2026, dt.date(2026, 10, 5))["bodies"]}
    assert [m["month"] for m in year[Body.COMMISSION]["months"] if m["short"]] == [9]  # Q2 began before it sat
