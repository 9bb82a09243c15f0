import datetime as dt

import pytest

from dangvu.admission import services as svc
from dangvu.meetings import selectors as msel
from dangvu.meetings import services as meetings
from tests.members.conftest import add, people  # noqa: F401  (fixtures)


def person(**kw) -> dict:
    data = {"full_name": "Hà Thị Mai", "sex": "nu", "birth_date": dt.date(2000, 5, 5), "ethnicity": "Tày",
            "general_education": "12/12", "proposed_by": "doan-tn", "proposed_on": dt.date(2025, 1, 10),
            "course_on": dt.date(2025, 3, 1), "course_number": "125/CN-TTCT", "course_issuer": "Trung tâm chính trị"}  # fmt: skip
    data.update(kw)
    return data


@pytest.fixture
def case(admin_user, tree, people):  # noqa: F811
    """A sympathiser of C1-T1 with two official introducers (Đức since 2020, Hòa since 2023)."""
    c = svc.case_create(by=admin_user, org=tree["C1-T1"], data=person())
    svc.introducer_add(by=admin_user, case=c, member=people["duc"], since=dt.date(2020, 1, 1),
                       assigned_on=dt.date(2025, 4, 1))  # fmt: skip
    svc.introducer_add(by=admin_user, case=c, member=people["hoa"], since=dt.date(2023, 1, 1),
                       assigned_on=dt.date(2025, 4, 1))  # fmt: skip
    return c


@pytest.fixture
def vote(admin_user, tree):
    """vote(date, kind, org, votes_for) → an item put to the vote in a meeting of the cell held that day."""

    def _vote(date, kind="admission", org="C1-T1", votes_for=4, subject="Đề nghị kết nạp quần chúng Hà Thị Mai"):
        m = meetings.schedule(by=admin_user, org=tree[org], data=meetings.Schedule(date=date))
        lines = msel.summoned(tree[org], date)
        meetings.roll_call(by=admin_user, meeting=m, marks={ln.member_id: meetings.Mark("present", "")
                                                            for ln in lines})  # fmt: skip
        return meetings.vote_add(by=admin_user, meeting=m, kind=kind, subject=subject, votes_for=votes_for)

    return _vote


def walk(by, case, vote, *, upto: str = "recognition_decision", course: bool = True, **dates):
    """Record the steps in order up to `upto`, with realistic dates (overridable by keyword)."""
    d = {"application": dt.date(2025, 4, 5), "verification": dt.date(2025, 5, 10),
         "introduction": dt.date(2025, 5, 20), "cell_resolution": dt.date(2025, 6, 10),
         "grassroots_resolution": dt.date(2025, 6, 20), "decision": dt.date(2025, 8, 1),
         "ceremony": dt.date(2025, 8, 20), "member_cv": dt.date(2025, 9, 5),
         "recognition_resolution": dt.date(2026, 9, 10), "recognition_decision": dt.date(2026, 9, 25)}  # fmt: skip
    d.update(dates)
    done = set(case.steps.values_list("kind", flat=True))
    for kind in svc.steps_for(case):
        if kind in done:
            continue
        data = svc.StepData(done_on=d[kind])
        if kind == "cell_resolution":
            data.vote = vote(d[kind])
        elif kind == "grassroots_resolution":
            data.votes_for, data.votes_base, data.number = 8, 11, "12-NQ/ĐU"
        elif kind == "decision":
            data.number, data.signer, data.received_on = "Số 45-QĐ/ĐU", "Nguyễn Văn Bình", d[kind] + dt.timedelta(days=4)
        elif kind == "recognition_resolution":
            if course:
                from dangvu.members import services as msvc

                msvc.entry_add(by=by, member=case.member, kind="training", start=dt.date(2025, 10, 1),
                               end=dt.date(2025, 10, 10), course="dang-vien-moi", issuer="Trung tâm chính trị")  # fmt: skip
            data.vote = vote(d[kind], kind="recognition", subject="Công nhận đảng viên chính thức Hà Thị Mai")
        elif kind == "recognition_decision":
            data.number, data.signer = "Số 80-QĐ/ĐU", "Nguyễn Văn Bình"
        svc.step_record(by=by, case=case, kind=kind, data=data)
        case.refresh_from_db()
        if kind == upto:
            break
    return case
