"""Congresses and elections: who may be elected to what, the count, who is elected by the rule in force, and the
confirmation that opens the new term with the elected in their seats."""

import datetime as dt
import io

import pytest
from docx import Document

from dangvu.congresses import services as svc
from dangvu.congresses.docx import vote_count_minutes
from dangvu.congresses.models import Position, State
from dangvu.core.errors import Conflict, DomainError
from dangvu.members import services as msvc
from dangvu.members.models import Seat, SeatRole, Term
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 20)


@pytest.fixture
def congress(admin_user, tree, people):  # noqa: F811
    return make(admin_user, tree, people)


def make(admin_user, tree, people):  # noqa: F811
    c = svc.congress_create(by=admin_user, org=tree["C1-T1"], data=svc.NewCongress(
        term_name="2026–2031", starts_on=DAY, ends_on=DAY, place="Nhà văn hóa thôn Nà Lộc"))  # fmt: skip
    assert svc.summon_members(by=admin_user, congress=c) == 5
    svc.presence(by=admin_user, congress=c, present={p.pk for p in people.values()})
    return c


def ballot(by, congress, position, candidates, votes, *, seats=1, issued=4, invalid=0):
    e = svc.election_add(by=by, congress=congress, data=svc.NewElection(position=position, seats=seats, held_on=DAY,
                                                                        candidates=candidates))  # fmt: skip
    return svc.count(by=by, election=e, issued=issued, valid=issued - invalid, invalid=invalid,
                     votes={m.pk: v for m, v in zip(candidates, votes, strict=True)})  # fmt: skip


def test_the_elected_take_their_seats_in_a_new_term_numbered_as_the_congress(admin_user, tree, people):  # noqa: F811
    by, cell = admin_user, tree["C1-T1"]
    old = msvc.term_create(by=by, org=cell, name="2020–2025", starts_on=dt.date(2020, 5, 1), congress_number=3)
    msvc.seat_assign(by=by, term=old, member=people["an"], role=SeatRole.SECRETARY)
    congress = make(by, tree, people)
    e = ballot(by, congress, Position.SECRETARY, [people["duc"], people["hoa"]], [3, 1])
    assert (e.need, [c.member_id for c in e.candidates.filter(elected=True)]) == (3, [people["duc"].pk])
    assert e.minutes.symbol == "01-BB/ĐH"
    d1 = ballot(by, congress, Position.DEPUTY, [people["hoa"]], [2])  # 2 of 4 valid: not more than half
    assert not d1.candidates.get().elected
    d2 = ballot(by, congress, Position.DEPUTY, [people["hoa"]], [4])
    assert d2.round == 2 and d2.candidates.get().elected and d2.minutes.symbol == "03-BB/ĐH"
    svc.confirm(by=by, congress=congress)
    congress.refresh_from_db()
    term = Term.objects.get(organisation=cell, starts_on=DAY + dt.timedelta(days=1))
    assert congress.state == State.CONFIRMED and congress.term == term and term.congress_number == congress.number == 4
    seats = {(s.member_id, s.role) for s in Seat.objects.filter(term=term)}
    assert seats == {(people["duc"].pk, SeatRole.SECRETARY), (people["hoa"].pk, SeatRole.DEPUTY)}
    old.refresh_from_db()
    assert old.ends_on == DAY and not Seat.objects.filter(term=old, valid_to__isnull=True).exists()
    with pytest.raises(Conflict):  # confirmed: nothing changes any more
        svc.election_add(by=by, congress=congress, data=svc.NewElection(Position.DEPUTY, 1, DAY, [people["an"]]))
    doc = Document(io.BytesIO(vote_count_minutes(e)))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs])  # fmt: skip
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Số 01-BB/ĐH" in text and "ít nhất 3 phiếu" in text
    assert "Các đồng chí trúng cử: Nguyễn Văn Đức." in text and "75,00%" in text


def test_a_cell_under_nine_official_members_elects_only_a_secretary_and_a_deputy(admin_user, people, congress):  # noqa: F811
    with pytest.raises(DomainError) as e:
        svc.election_add(by=admin_user, congress=congress, data=svc.NewElection(
            Position.COMMITTEE, 3, DAY, [people["duc"], people["hoa"], people["an"]]))  # fmt: skip
    assert "4 đảng viên chính thức (dưới 9) chỉ bầu bí thư, phó bí thư" in e.value.errors["position"]
    with pytest.raises(DomainError) as e:
        svc.election_add(by=admin_user, congress=congress, data=svc.NewElection(Position.STANDING, 1, DAY, [people["duc"]]))
    assert e.value.errors["position"] == "Chi bộ không có Ban Thường vụ."


def test_candidates_must_be_official_members_of_the_organisation(admin_user, people, congress):  # noqa: F811
    for who, words in (("dung", "đảng viên dự bị"), ("khe", "không phải đảng viên của «Chi bộ thôn Nà Lộc»")):
        with pytest.raises(DomainError) as e:
            svc.election_add(by=admin_user, congress=congress, data=svc.NewElection(Position.SECRETARY, 1, DAY, [people[who]]))
        assert words in e.value.errors["candidates"]


def test_the_count_must_add_up(admin_user, people, congress):  # noqa: F811
    e = svc.election_add(by=admin_user, congress=congress, data=svc.NewElection(
        Position.SECRETARY, 1, DAY, [people["duc"], people["hoa"]]))  # fmt: skip
    cases = [
        (dict(issued=4, valid=3, invalid=0), "phải bằng số phiếu phát ra"),
        (dict(issued=6, valid=6, invalid=0), "nhiều hơn số đảng viên chính thức có quyền bầu cử có mặt (4)"),
        (dict(issued=4, valid=4, invalid=0, votes={people["duc"].pk: 5, people["hoa"].pk: 0}), "nhiều hơn số phiếu hợp lệ"),
        (dict(issued=4, valid=4, invalid=0, votes={people["duc"].pk: 3, people["hoa"].pk: 3}), "vượt quá"),
    ]
    for kw, words in cases:
        kw.setdefault("votes", {people["duc"].pk: 3, people["hoa"].pk: 1})
        with pytest.raises(DomainError) as err:
            svc.count(by=admin_user, election=e, **kw)
        assert words in str(err.value)
    e.refresh_from_db()
    assert not e.counted and e.minutes is None  # nothing half-written
    svc.count(by=admin_user, election=e, issued=4, valid=4, invalid=0, votes={people["duc"].pk: 3, people["hoa"].pk: 1})
    with pytest.raises(Conflict):  # a second click
        svc.count(by=admin_user, election=e, issued=4, valid=4, invalid=0, votes={people["duc"].pk: 3, people["hoa"].pk: 1})


def test_who_is_elected_more_than_half_then_by_votes_a_tie_at_the_last_seat_elects_neither():
    rule = [1, 2, True]
    assert svc.result({1: 60, 2: 55, 3: 51, 4: 40}, 2, 100, rule) == (51, [1, 2], "")
    assert svc.result({1: 60, 2: 50}, 2, 100, rule) == (51, [1], "")  # exactly half is not more than half
    need, elected, note = svc.result({1: 70, 2: 60, 3: 60}, 2, 100, rule)
    assert (need, elected) == (51, [1]) and "bằng phiếu (60)" in note


def test_the_secretary_is_balloted_at_most_three_times(admin_user, people, congress):  # noqa: F811
    for _ in range(3):
        ballot(admin_user, congress, Position.SECRETARY, [people["duc"]], [2])
    with pytest.raises(DomainError) as e:
        svc.election_add(by=admin_user, congress=congress, data=svc.NewElection(Position.SECRETARY, 1, DAY, [people["duc"]]))
    assert "3 lần; theo quy định, cấp ủy cấp trên chỉ định" in e.value.errors["position"]
    with pytest.raises(DomainError) as e:
        svc.confirm(by=admin_user, congress=congress)
    assert "Chưa có lần bầu nào đã kiểm phiếu có người trúng cử" in str(e.value)
    ballot(admin_user, congress, Position.DEPUTY, [people["hoa"]], [4])
    with pytest.raises(DomainError) as e:
        svc.confirm(by=admin_user, congress=congress)
    assert "Chưa bầu được bí thư" in str(e.value)


def test_the_congress_number_continues_the_terms_and_is_never_taken_twice(admin_user, tree, people, congress):  # noqa: F811
    assert congress.number == 1
    with pytest.raises(DomainError) as e:
        svc.congress_create(by=admin_user, org=tree["C1-T1"], data=svc.NewCongress(
            number=1, term_name="x", starts_on=DAY, ends_on=DAY))  # fmt: skip
    assert "đã có đại hội lần thứ 1" in e.value.errors["number"]
    assert svc.next_number(tree["C1-T1"]) == 2


def test_the_pages_from_a_new_congress_to_the_count(admin_user, client, tree, people):  # noqa: F811
    client.force_login(admin_user)
    r = client.post("/congresses/organisations/C1-T1/", {"term_name": "2026–2031", "kind": "members",
                                                          "starts_on": "20/03/2026", "ends_on": "20/03/2026"})  # fmt: skip
    assert r.status_code == 302
    url = r["Location"]
    client.post(url + "summon/")
    r = client.get(url)
    assert "Đảng viên được triệu tập: 5" in r.content.decode()
    assert "chỉ bầu bí thư và phó bí thư" in r.content.decode()
    r = client.post(url + "elections/", {"position": "committee", "seats": 3, "held_on": "20/03/2026",
                                         "candidates": [people["duc"].pk, people["hoa"].pk, people["an"].pk]})  # fmt: skip
    assert r.status_code == 302 and r["Location"] == url  # refused, with the reason above the page
    assert "dưới 9" in client.get(url).content.decode()
    r = client.post(url + "elections/", {"position": "secretary", "seats": 1, "held_on": "20/03/2026",
                                         "candidates": [people["duc"].pk]})  # fmt: skip
    count_url = r["Location"]
    r = client.post(count_url, {"ballots_issued": 4, "ballots_valid": 3, "ballots_invalid": 0, f"c{people['duc'].pk}": 3})
    assert "phải bằng số phiếu phát ra" in r.content.decode()
    r = client.post(count_url, {"ballots_issued": 4, "ballots_valid": 4, "ballots_invalid": 0, f"c{people['duc'].pk}": 4})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "trúng cử" in page and "Số 01-BB/ĐH" in page
    from dangvu.congresses.models import Election

    r = client.get(f"/congresses/elections/{Election.objects.get().pk}/minutes.docx")  # the vote-count minutes
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert client.post(url + "confirm/").status_code == 302
    assert Seat.objects.get(role=SeatRole.SECRETARY, valid_to__isnull=True).member == people["duc"]


def test_later_ballots_fill_only_the_seats_still_open(admin_user, people, congress):  # noqa: F811
    by = admin_user
    with pytest.raises(DomainError) as e:  # a small cell has one deputy
        svc.election_add(by=by, congress=congress, data=svc.NewElection(Position.DEPUTY, 2, DAY, [people["hoa"], people["an"]]))
    assert "Còn 1 chỗ phó bí thư" in e.value.errors["seats"]
    ballot(by, congress, Position.DEPUTY, [people["hoa"]], [4])
    with pytest.raises(DomainError) as e:
        svc.election_add(by=by, congress=congress, data=svc.NewElection(Position.DEPUTY, 1, DAY, [people["an"]]))
    assert "đã bầu đủ" in e.value.errors["position"]
    ballot(by, congress, Position.SECRETARY, [people["duc"]], [4])


def test_a_committee_s_second_ballot_is_for_the_seats_left_and_not_the_elected(admin_user, tree, people):  # noqa: F811
    by = admin_user
    c = svc.congress_create(by=by, org=tree["C1"], data=svc.NewCongress(term_name="2026–2031", starts_on=DAY, ends_on=DAY))
    svc.summon_members(by=by, congress=c)
    ballot(by, c, Position.COMMITTEE, [people["duc"], people["hoa"], people["an"]], [4, 2, 2], seats=2)
    with pytest.raises(DomainError) as e:  # nobody stands again for a seat they already won
        svc.election_add(by=by, congress=c, data=svc.NewElection(Position.COMMITTEE, 1, DAY, [people["duc"]]))
    assert "đã trúng cử" in e.value.errors["candidates"]
    with pytest.raises(DomainError) as e:
        svc.election_add(by=by, congress=c, data=svc.NewElection(Position.COMMITTEE, 2, DAY, [people["hoa"], people["an"]]))
    assert "Còn 1 chỗ" in e.value.errors["seats"]
    # a secretary ballot waits for the committee's count: the secretary is chosen among the elected
    e2 = svc.election_add(by=by, congress=c, data=svc.NewElection(Position.COMMITTEE, 1, DAY, [people["hoa"], people["an"]]))
    with pytest.raises(DomainError) as e:
        svc.election_add(by=by, congress=c, data=svc.NewElection(Position.SECRETARY, 1, DAY, [people["anh"]]))
    assert "chưa kiểm phiếu" in e.value.errors["position"]
    assert e2.round == 2


def test_a_mistaken_ballot_is_removed_before_its_count_and_a_secretary_appointed_after_three(admin_user, people, congress):  # noqa: F811
    by = admin_user
    wrong = svc.election_add(by=by, congress=congress, data=svc.NewElection(Position.SECRETARY, 1, DAY, [people["an"]]))
    svc.election_remove(by=by, election=wrong)
    assert not congress.elections.exists()
    for _ in range(3):
        ballot(by, congress, Position.SECRETARY, [people["duc"]], [2])
    with pytest.raises(Conflict):  # a counted ballot stays
        svc.election_remove(by=by, election=congress.elections.first())
    with pytest.raises(DomainError) as e:
        svc.confirm(by=by, congress=congress, appointed=people["duc"])
    assert str(e.value).startswith("Ghi số, ngày quyết định chỉ định"), e.value.errors
    svc.confirm(by=by, congress=congress, appointed=people["duc"], reference="Quyết định số 12-QĐ/ĐU ngày 25/3/2026")
    congress.refresh_from_db()
    assert congress.appointed_secretary == people["duc"] and congress.appointment_ref.startswith("Quyết định số 12")
    assert Seat.objects.get(term=congress.term, role=SeatRole.SECRETARY).member == people["duc"]
