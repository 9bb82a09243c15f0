"""The read replica end to end, run by test_replica.py as its own process against a primary and its streaming
replica (DANGVU_DATABASE_URL, DANGVU_REPLICA_URL, DANGVU_DB_POOL_MAX): routing, pinning after a write, the replica
going down and coming back, an export job reading from it, and the connection pool. Prints "OK" at the end;
any failed check raises. DANGVU_TEST_REPLICA_CTL is the command that runs pg_ctl on the replica."""

import datetime as dt
import os
import shlex
import subprocess
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dangvu.core import replica  # noqa: E402
from dangvu.core.models import Notification  # noqa: E402
from dangvu.organizations import services as org_svc  # noqa: E402
from dangvu.organizations.models import OrgType  # noqa: E402
from tests.conftest import VerifiedClient  # noqa: E402


def wait_caught_up():
    position = replica.primary_position()
    for _ in range(200):
        if replica.caught_up(position):
            # a query the standby cancelled while replaying (a recovery conflict) marks the replica down for a
            # while, rightly; the scenario's next step is about routing once it has caught up, so say why if so
            assert replica.available(), "the replica was marked down while catching up (see the warning above)"
            return
        time.sleep(0.05)
    raise AssertionError("the replica never caught up")


def replay(action: str) -> None:
    """Pause or resume the replica's replay and wait until it has: `pg_wal_replay_pause()` only requests the
    pause (PostgreSQL 14+), and a record replayed before it takes effect would make the test race the replica."""
    want = "paused" if action == "pause" else "not paused"
    replica_sql(f"SELECT pg_wal_replay_{action}()")
    for _ in range(200):
        with connections["replica"].cursor() as c:
            c.execute("SELECT pg_get_wal_replay_pause_state()")
            if c.fetchone()[0] == want:
                return
        time.sleep(0.05)
    raise AssertionError(f"the replica's replay never became {want}")


def sql(ctx) -> str:
    return "\n".join(q["sql"] for q in ctx.captured_queries)


def get_orgs(client):
    with CaptureQueriesContext(connections["default"]) as on_primary, \
         CaptureQueriesContext(connections["replica"]) as on_replica:  # fmt: skip
        r = client.get("/api/v1/organisations?limit=100")
    assert r.status_code == 200, r.content[:500]
    codes = {o["code"] for o in r.json()["items"]}
    return codes, sql(on_primary), sql(on_replica)


def replica_ctl(action: str):
    data = shlex.split(os.environ["DANGVU_TEST_REPLICA_CTL"])[-1]
    extra = ["-m", "fast"] if action == "stop" else ["-l", f"{data}.log"]  # the log: else pg_ctl keeps our pipe
    cmd = shlex.split(os.environ["DANGVU_TEST_REPLICA_CTL"]) + [action, "-w", *extra]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)  # noqa: S603


def replica_sql(statement: str):
    with connections["replica"].cursor() as c:
        c.execute(statement)


def main():
    call_command("migrate", verbosity=0)
    by = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-rat-dai-1")
    types = {t.code: t for t in OrgType.objects.all()}
    d = org_svc.Decision(number="Số 01-QĐ/TU", effective_on=dt.date(2020, 1, 1))
    p = org_svc.org_establish(
        by=by, spec=org_svc.NewOrg("P", "Đảng bộ tỉnh Thử", types["tinh"], None), decision=d
    )
    wait_caught_up()
    client = VerifiedClient()
    client.force_login(by)

    # 1. the API's list reads the organisations from the replica; the session and the grants from the primary
    codes, primary, repl = get_orgs(client)
    assert codes == {"P"}
    assert "organizations_organisation" in repl and "organizations_organisation" not in primary
    assert "django_session" in primary and "django_session" not in repl

    # 2. a writer is pinned: with replay paused, what the user just wrote is still read back
    replay("pause")
    org_svc.org_establish(by=by, spec=org_svc.NewOrg("X", "Đảng bộ xã Mới", types["xa"], p), decision=d)
    note = Notification.objects.create(user=by, title="t", url="/")
    r = client.post(f"/notifications/{note.pk}/read/")  # any write through the app sets the pin
    assert r.status_code == 302 and replica.COOKIE in r.cookies
    codes, primary, repl = get_orgs(client)
    assert codes == {"P", "X"} and "organizations_organisation" not in repl  # read from the primary
    other = VerifiedClient()  # another user's browser, never pinned: the replica, still behind
    other.force_login(by)
    codes, primary, repl = get_orgs(other)
    assert codes == {"P"} and "organizations_organisation" in repl
    replay("resume")
    wait_caught_up()
    # caught up: the pinned user reads from the replica again. Right after the replay resumes, the standby may
    # cancel a query in conflict with recovery; the app then rightly reads from the primary for a while
    # (replica.DOWN_SECONDS). What must hold is that the pin ends: within that while, the replica serves again.
    deadline = time.monotonic() + replica.DOWN_SECONDS + 5
    while True:
        codes, primary, repl = get_orgs(client)
        if "organizations_organisation" in repl or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert codes == {"P", "X"} and "organizations_organisation" in repl, (replica._state, primary[-500:])

    # 3. an export job records the primary's position and reads from the replica once it has replayed it
    from dangvu.jobs import services as jobs

    job = jobs.submit(by=by, kind="member.export_list", params={"org": "P", "on": "2026-11-30"}, label="x")
    assert job.read_after
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == "done" and "members_member" in sql(on_replica), job.error

    # 4. the replica goes down: the app keeps answering from the primary, and /healthz says so
    replica_ctl("stop")
    codes, primary, _ = get_orgs(other)
    assert codes == {"P", "X"} and "organizations_organisation" in primary
    health = client.get("/healthz").json()
    assert health["replica"].startswith("ngừng") and health["database"] == "ok", health
    replica_ctl("start")
    assert replica.available(force=True)

    # 5. the connection pool lends connections to threads
    assert connections["default"].pool is not None
    errors = []

    def work():
        try:
            from dangvu.organizations.models import Organisation

            assert Organisation.objects.count() == 2
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    print("OK")  # noqa: T201


if __name__ == "__main__":
    main()
