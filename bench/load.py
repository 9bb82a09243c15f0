"""A committee's day under load, on loopback only: `make bench-load` (USERS=20 SECONDS=60).

On PostgreSQL (scripts/with-postgres.sh): loads the demo province, starts gunicorn (the production recipe's
settings: sync workers, DANGVU_DB_POOL off, as deploy/dangvu-web.service) and a job worker, then lets USERS
secretaries, each signed in to a cell of their own, play for SECONDS: the home page, their cell's member list, a
search without diacritics, a member's profile, the meeting and dossier pages, the API's member list and their
meeting's roll call, each three times for every roll call saved and every dossier file uploaded; each user spends
THINK seconds (1 by default; a person reads a page for far longer) on a page before the next click. Prints the
number of requests, errors (any status >= 400 or a failed connection) and the median and 95th percentile per kind
and overall, and fails when there is an error or the overall p95 is 500 ms or more (the bar of issue 18).
`--users 3 --seconds 5` is the tiny run `make test` does, so the script cannot rot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "tai-thu-mat-khau-dai-" + uuid.uuid4().hex[:8]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(users: int) -> list[dict]:
    """The demo province, and one secretary per cell that has a meeting whose roll call may be taken today."""
    from dangvu.accounts.models import RoleGrant
    from dangvu.accounts.services import grant_create
    from dangvu.core.dates import today
    from dangvu.dossiers import services as dsvc
    from dangvu.dossiers.models import Dossier
    from dangvu.meetings import services as msvc
    from dangvu.meetings.models import Meeting, State
    from dangvu.members.models import Member
    from dangvu.organizations.demo import system_user

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", verbosity=0)
    by = system_user()
    on = today()
    meetings = (Meeting.objects.filter(state__in=[State.PLANNED, State.HELD], date__lte=on,
                                       date__gte=on - dt.timedelta(days=60), organisation__closed_on__isnull=True)
                .select_related("organisation", "organisation__parent").order_by("-date"))  # fmt: skip
    plays, seen = [], set()
    User = get_user_model()
    for m in meetings:
        if m.organisation_id in seen:
            continue
        seen.add(m.organisation_id)
        name = f"tai-thu-{len(plays):02d}"
        user = User.objects.filter(username=name).first() or User.objects.create_user(name, password=PASSWORD)
        user.set_password(PASSWORD)
        user.save()
        if not RoleGrant.objects.filter(user=user).exists():
            grant_create(user=user, organisation=m.organisation, role="secretary", by=None)
        dossier = Dossier.objects.filter(organisation=m.organisation, files__isnull=False).first()
        if dossier is None:
            code = dsvc.catalogue_for(m.organisation.type_id, on.year).types.order_by("code").first().code
            dossier = dsvc.dossier_open(by=by, org=m.organisation, code=code, year=on.year, data={})
            dsvc.file_add(
                by=by, dossier=dossier, upload=SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4 quy che")
            )
        lines = msvc.summoned(m.organisation, m.date)
        member = Member.objects.filter(org=m.organisation).order_by("pk").first()
        plays.append({"user": name, "cell": m.organisation.code, "commune": m.organisation.parent.code,
                      "meeting": m.pk, "dossier": dossier.pk, "member": member.pk if member else None,
                      "marks": {f"m{x.member_id}": "present" for x in lines}})  # fmt: skip
        if len(plays) == users:
            break
    assert len(plays) == users, f"only {len(plays)} cells with a meeting to record (the demo needs an empty database)"
    return plays


class Session:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})  # noqa: S310 (loopback)
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path: str, fields: dict, referer_path: str) -> tuple[int, str]:
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                         "Referer": self.base + referer_path})  # fmt: skip

    def upload(self, path: str, name: str, data: bytes, referer_path: str) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{self.csrf()}\r\n',
                 f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: application/pdf\r\n\r\n"]  # fmt: skip
        body = "".join(parts).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                         "Referer": self.base + referer_path})  # fmt: skip


def play(base: str, p: dict, until: float, out: list, errors: list, think: float = 0.0) -> None:
    s = Session(base)
    s.request("/login/")
    status, _ = s.post("/login/", {"username": p["user"], "password": PASSWORD}, "/login/")
    if status >= 400:
        errors.append(("login", status))
        return
    reads = [
        ("home", lambda: s.request("/")),
        ("member list", lambda: s.request(f"/members/?org={p['cell']}")),
        ("search", lambda: s.request(f"/members/?org={p['cell']}&q=nguyen+van")),
        ("profile", lambda: s.request(f"/members/{p['member']}/") if p["member"] else (200, "")),
        ("meeting dashboard", lambda: s.request(f"/meetings/?org={p['cell']}")),
        ("dossier dashboard", lambda: s.request(f"/dossiers/?org={p['cell']}")),
        ("api member list", lambda: s.request(f"/api/v1/members?org={p['cell']}&limit=50")),
        ("roll call page", lambda: s.request(f"/meetings/{p['meeting']}/roll-call/")),
    ]
    writes = [
        ("roll call save", lambda: s.post(f"/meetings/{p['meeting']}/roll-call/", p["marks"],
                                          f"/meetings/{p['meeting']}/roll-call/")),
        ("upload", lambda: s.upload(f"/dossiers/{p['dossier']}/files/", "quy-che.pdf",
                                    b"%PDF-1.4 quy che " + uuid.uuid4().hex.encode(), f"/dossiers/{p['dossier']}/")),
    ]  # fmt: skip
    # a day's mix: each page read three times for every roll call saved and every file uploaded
    steps = reads * 3 + writes
    i = sum(map(ord, p["user"])) * 7 % len(steps)  # users start at different places of the day
    while time.monotonic() < until:
        kind, fn = steps[i % len(steps)]
        t = time.perf_counter()
        try:
            status, _ = fn()
        except Exception as e:  # noqa: BLE001 — a refused connection is an error like a 500
            status = f"{e.__class__.__name__}"
        ms = (time.perf_counter() - t) * 1000
        out.append((kind, ms))
        if not isinstance(status, int) or status >= 400:
            errors.append((kind, status))
        i += 1
        if think:
            time.sleep(think)  # the person reads the page before the next click


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=3, help="gunicorn workers (sync)")
    ap.add_argument("--bar-ms", type=float, default=500)
    ap.add_argument("--think", type=float, default=1.0,
                    help="seconds a person spends on a page before the next click (0: back to back)")  # fmt: skip
    args = ap.parse_args()
    assert connection.vendor == "postgresql", "the load test runs on PostgreSQL (make bench-load)"
    t0 = time.perf_counter()
    plays = prepare(args.users)
    print(f"demo province ready, {args.users} secretaries in {time.perf_counter() - t0:.0f} s")
    connection.close()
    port = free_port()
    env = dict(os.environ, DANGVU_ALLOWED_HOSTS="127.0.0.1", DANGVU_LOGIN_ADDRESS_FAILURE_LIMIT="1000")
    bin_dir = Path(sys.executable).parent
    web = subprocess.Popen([str(bin_dir / "gunicorn"), "dangvu.wsgi", "--bind", f"127.0.0.1:{port}",  # noqa: S603
                            "--workers", str(args.workers), "--log-level", "warning"], env=env)  # fmt: skip
    worker = subprocess.Popen([str(bin_dir / "dangvu"), "worker", "-v", "0"], env=env)  # noqa: S603
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=10)  # noqa: S310 (loopback)
                break
            except OSError:  # not listening yet, or the first request of the day still running
                time.sleep(0.2)
        out: list = []
        errors: list = []
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=play, args=(base, p, until, out, errors, args.think)) for p in plays]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for proc in (web, worker):
            proc.send_signal(signal.SIGTERM)
        for proc in (web, worker):
            proc.wait(30)
    kinds = sorted({k for k, _ in out})
    print(f"\n{args.users} users, {args.seconds:.0f} s, {args.think:g} s on each page, gunicorn {args.workers} workers: "
          f"{len(out)} requests ({len(out) / args.seconds:.1f}/s), {len(errors)} errors")  # fmt: skip
    print(f"{'request':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for k in kinds:
        ms = [m for kk, m in out if kk == k]
        print(f"{k:22} {len(ms):6} {statistics.median(ms):8.0f} {pct(ms, 0.95):8.0f}")
    all_ms = [m for _, m in out]
    p95 = pct(all_ms, 0.95)
    print(f"{'all':22} {len(all_ms):6} {statistics.median(all_ms):8.0f} {p95:8.0f}")
    if errors:
        print("errors (first 10):", errors[:10])
    if errors or p95 >= args.bar_ms:
        sys.exit(
            f"FAILED the bar: {len(errors)} errors, p95 {p95:.0f} ms (bar: 0 errors, p95 < {args.bar_ms:.0f} ms)"
        )


if __name__ == "__main__":
    main()
