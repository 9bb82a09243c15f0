import datetime as dt

import pytest

from dangvu.meetings import services as svc
from dangvu.meetings.models import Presence
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

P, E, A = Presence.PRESENT, Presence.EXCUSED, Presence.ABSENT


@pytest.fixture
def meet(admin_user, tree, people):  # noqa: F811
    """meet(date, marks={key: presence or (presence, reason)}, **schedule) → a meeting scheduled, and with a roll
    call when `marks` is given (unmarked members of C1-T1 are present)."""

    def _meet(date=dt.date(2026, 3, 10), marks=None, org="C1-T1", **kw):
        m = svc.schedule(by=admin_user, org=tree[org], data=svc.Schedule(date=date, **kw))
        if marks is not None:
            lines = svc.summoned(tree[org], date)
            by_id = {p.pk: k for k, p in people.items()}
            out = {}
            for line in lines:
                v = marks.get(by_id.get(line.member_id), P)
                presence, reason = v if isinstance(v, tuple) else (v, "Ốm" if v == E else "")
                out[line.member_id] = svc.Mark(presence, reason)
            svc.roll_call(by=admin_user, meeting=m, marks=out)
            m.refresh_from_db()
        return m

    return _meet


def complete(by, meeting, people, *, start=dt.time(8, 0), end=dt.time(9, 45)):  # noqa: F811
    """Fill the minutes: times, chair, minute-taker, a speaker and a conclusion."""
    svc.record(
        by=by,
        meeting=meeting,
        data=svc.Record(
            started_at=start,
            ended_at=end,
            chair=people["duc"],
            minute_taker=people["hoa"],
            summary="Hoàn thành thu hoạch vụ mùa.",
            conclusion="1. Hoàn thành làm đường bê tông liên thôn.\n2. Vận động 100% hộ tham gia bảo hiểm y tế.",
        ),
    )
    svc.speaker_add(by=by, meeting=meeting, member=people["an"], name="", opinion="Đề nghị làm đường sớm.")
    meeting.refresh_from_db()
    return meeting
