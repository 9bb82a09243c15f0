"""Eight requests at once on one thing (a double click, two tabs, two people) have one effect: the winner writes,
the others get a clear Vietnamese refusal (409 in the API), never a second number and never a 500.

Real threads with their own database connections, on PostgreSQL (row locks); `make test` runs them there."""

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from openpyxl import Workbook

from dangvu.core.models import StagedFile
from dangvu.documents.models import Outgoing as IssuedNumber
from dangvu.evaluations.models import Decision
from dangvu.members import services as msvc
from dangvu.members.models import Member, Transfer, TransferState
from dangvu.organizations.models import Organisation, OrgEvent
from tests.conftest import VerifiedClient
from tests.evaluations.conftest import cycle  # noqa: F401  (fixture)
from tests.meetings.conftest import complete, meet  # noqa: F401  (fixtures)
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

N = 8


def race(fn, n: int = N) -> list:
    """Run fn(i) in n threads released together; the results (or exceptions) in thread order."""
    barrier = threading.Barrier(n)
    out: list = [None] * n

    def worker(i):
        try:
            barrier.wait()
            out[i] = fn(i)
        except Exception as e:  # noqa: BLE001 — reported to the test
            out[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def clients(user, n: int = N) -> list[VerifiedClient]:
    out = []
    for _ in range(n):
        c = VerifiedClient()
        c.force_login(user)
        out.append(c)
    return out


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages] if hasattr(response, "wsgi_request") else []


def test_closing_the_minutes_eight_times_issues_one_number_of_each(meet, people, admin_user):  # noqa: F811
    m = complete(admin_user, meet(dt.date(2026, 3, 12), marks={}), people)
    cs = clients(admin_user)
    responses = race(lambda i: cs[i].post(f"/meetings/{m.pk}/close/", follow=True))
    assert all(not isinstance(r, Exception) and r.status_code == 200 for r in responses), responses
    assert sorted(IssuedNumber.objects.filter(meeting=m).values_list("symbol", flat=True)) == ["01-BB/CB",
                                                                                               "01-NQ/CB"]
    texts = [r.content.decode() for r in responses]
    assert sum("Đã hoàn tất biên bản (Số 01-BB/CB, Số 01-NQ/CB)" in t for t in texts) == 1
    assert sum("Biên bản đã hoàn tất ngày" in t for t in texts) == N - 1


def test_deciding_a_review_eight_times_records_one_decision(cycle, people, admin_user):  # noqa: F811
    r = cycle(people["hoa"], 2025, score="80", level="good")
    cs = clients(admin_user)
    body = {"level": "good", "number": "15-QĐ/ĐU"}
    responses = race(lambda i: cs[i].post(f"/api/v1/reviews/{r.pk}/decision", body, content_type="application/json"))
    codes = sorted(x.status_code for x in responses)
    assert codes == [200] + [409] * (N - 1), codes
    assert Decision.objects.filter(review=r).count() == 1
    loser = next(x for x in responses if x.status_code == 409).json()
    assert "đã được quyết định theo số 15-QĐ/ĐU" in loser["detail"]


def test_receiving_a_transfer_eight_times_moves_the_member_once(people, tree, admin_user):  # noqa: F811
    t = msvc.transfer_out(by=admin_user, member=people["an"], req=msvc.TransferRequest(
        kind="official", reason="Chuyển nơi ở", event_on=dt.date(2026, 11, 2), letter_on=dt.date(2026, 11, 3),
        to_org=tree["C2-T1"]))  # fmt: skip
    cs = clients(admin_user)
    responses = race(lambda i: cs[i].post(f"/api/v1/members/transfers/{t.pk}/receive", {"on": "2026-11-10"},
                                          content_type="application/json"))  # fmt: skip
    codes = sorted(x.status_code for x in responses)
    assert codes == [200] + [409] * (N - 1), codes
    assert Transfer.objects.get(pk=t.pk).state == TransferState.RECEIVED
    an = Member.objects.get(pk=people["an"].pk)
    assert an.org_id == tree["C2-T1"].pk
    assert an.memberships.filter(valid_to__isnull=True, kind="official").count() == 1


def test_a_merge_submitted_eight_times_is_recorded_once(tree, admin_user):
    cs = clients(admin_user)
    body = {"kind": "merge", "sources": ["C1-T2"], "target": "C1-T1", "decision_number": "35-QĐ/ĐU",
            "effective_on": "2026-10-01"}  # fmt: skip
    responses = race(lambda i: cs[i].post("/api/v1/organisations/decisions", body, content_type="application/json"))
    codes = sorted(x.status_code for x in responses)
    assert codes == [201] + [409] * (N - 1), codes
    assert OrgEvent.objects.filter(kind="merge").count() == 1
    assert Organisation.objects.get(code="C1-T2").closed_on is not None


def register(rows) -> bytes:
    wb = Workbook()
    wb.active.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Số thẻ"])
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FILE = register([[1, "Lò Văn Sáng", "Nam", "01/02/1980", "03/02/2010", "09.000001"],
                 [2, "Lò Thị Mai", "Nữ", "01/02/1985", "03/02/2012", "09.000002"]])  # fmt: skip


def preview(client) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.members.imports import step, token_in

    return token_in(step(client, "C1-T1", {"file": SimpleUploadedFile("ds.xlsx", FILE)}).content.decode())


def test_confirming_one_import_eight_times_writes_it_once(tree, admin_user):
    from dangvu.jobs.models import Job
    from tests.members.imports import follow_job

    cs = clients(admin_user)
    token = preview(cs[0])
    responses = race(lambda i: cs[i].post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": token}))
    assert all(not isinstance(r, Exception) and r.status_code == 302 for r in responses), responses
    [page] = {r["Location"] for r in responses}  # eight clicks, one job
    assert Job.objects.filter(kind="member.import_write").count() == 1
    assert "Đã nhập 2 đảng viên mới" in follow_job(cs[0], page).content.decode()
    assert Member.objects.filter(card_number__startswith="09.").count() == 2
    # a click after it ended is refused at once, with nothing queued
    r = cs[1].post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": token}, follow=True)
    assert "Tệp này đã được nhập rồi" in r.content.decode()
    assert Job.objects.filter(kind="member.import_write").count() == 1
    assert StagedFile.objects.get(token=token).state == "done"


def test_two_imports_of_the_same_file_at_once_create_each_member_once(tree, admin_user):
    from dangvu.jobs import services as jobs
    from dangvu.jobs.models import Job
    from tests.members.imports import job_of

    cs = clients(admin_user, 2)
    tokens = [preview(c) for c in cs]
    pages = [cs[i].post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": tokens[i]})["Location"]
             for i in range(2)]  # fmt: skip
    ids = [job_of(p) for p in pages]
    race(lambda i: jobs.run(ids[i]), n=2)  # two workers, each running one of them, at the same moment
    assert Member.objects.filter(card_number__startswith="09.").count() == 2
    messages = sorted(Job.objects.get(pk=pk).result["message"] for pk in ids)
    # the second waited for the first, then found both members already there: nothing new, nothing doubled
    assert messages[0].startswith("Tệp không có gì mới: 2 đảng viên đã có") and messages[1].startswith(
        "Đã nhập 2 đảng viên mới")  # fmt: skip


def test_opening_a_dossier_eight_times_opens_one(tree, admin_user):
    from dangvu.dossiers import services as dsvc
    from dangvu.dossiers.models import Dossier

    results = race(lambda i: dsvc.dossier_open(by=admin_user, org=tree["C1-T1"], code="KT01", year=2026).pk)
    assert len(set(results)) == 1 and Dossier.objects.count() == 1, results
