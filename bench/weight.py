"""Page weight and time on a slow link: `make bench-weight` (DEMO=1 loads the demo province first).

Serves Dangvu as production does (gunicorn, collected static files with hashed names, gzip and brotli copies,
HTML gzipped) from a throwaway folder, and drives Debian's chromium through Playwright with the network of a
rural 3G link emulated (400 kbit/s both ways, 300 ms latency, the Chrome DevTools protocol). Measures:

- the first visit to the login page, nothing cached: bytes transferred and time to the load event;
- after logging in, pages visited with a warm cache: bytes transferred each.

Bars (issue #17): first visit at most 120 KB and under 3 s; later pages at most 30 KB. Exits non-zero when a
byte bar is missed (bytes are deterministic; the time is reported, and fails only with --time-bar).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
THREE_G = {"offline": False, "latency": 300, "downloadThroughput": 400 * 1000 / 8, "uploadThroughput": 400 * 1000 / 8}
PASSWORD = secrets.token_urlsafe(16)  # a throwaway account in a throwaway database
SETUP = """
from django.contrib.auth import get_user_model
from dangvu.accounts import services as asvc
from dangvu.organizations.models import Organisation
u = get_user_model().objects.create_user("doc", password=PASSWORD)
root = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
if root is None:
    from dangvu.organizations.demo import system_user
    import datetime as dt
    from dangvu.organizations import services as osvc
    from dangvu.organizations.models import OrgType
    root = osvc.org_establish(by=system_user(), spec=osvc.NewOrg("P", "Đảng bộ tỉnh Thử Nghiệm", OrgType.objects.get(code="tinh")),
                              decision=osvc.Decision("1-QĐ/TW", dt.date(2020, 1, 1)))
asvc.grant_create(user=u, organisation=root, role="viewer", by=None)
print(root.code)
"""


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(cmd, env) -> str:
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--demo", action="store_true", help="load the demo province (a minute) for realistic pages")
    ap.add_argument("--time-bar", action="store_true", help="also fail when the login page takes 3 s or more")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dangvu-weight-"))
    env = {**os.environ, "DANGVU_VAR_DIR": str(tmp), "DANGVU_STATIC_ROOT": str(tmp / "static"),
           "DANGVU_STATIC_COLLECTED": "1", "DANGVU_DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}"}  # fmt: skip
    dangvu = str(BIN / "dangvu")
    run([dangvu, "migrate", "--no-input", "-v", "0"], env)
    run([dangvu, "collectstatic", "--no-input", "-v", "0"], env)
    if args.demo:
        run([dangvu, "seed_demo", "--if-empty"], env)
    root = run([dangvu, "shell", "-c", f"PASSWORD={PASSWORD!r}\n" + SETUP], env).strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "dangvu.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],  # noqa: S603
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        from playwright.sync_api import sync_playwright

        results = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(locale="vi-VN")
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", THREE_G)
            got = {"bytes": 0}
            cdp.on("Network.loadingFinished", lambda e: got.__setitem__("bytes", got["bytes"] + e["encodedDataLength"]))

            def visit(label: str, url: str, action=None) -> None:
                got["bytes"] = 0
                t0 = time.perf_counter()
                if action is None:
                    page.goto(url, wait_until="load")
                else:
                    action()
                    page.wait_for_load_state("load")
                elapsed = time.perf_counter() - t0
                page.wait_for_timeout(300)  # late loadingFinished events
                results.append((label, got["bytes"], elapsed))

            visit("Đăng nhập (lần đầu, chưa có gì trong bộ nhớ đệm)", f"{base}/login/")
            page.fill("#id_username", "doc")
            page.fill("#id_password", PASSWORD)
            visit("Sau đăng nhập: Tổng quan (việc cần làm)", "", lambda: page.click("button[type=submit]"))
            visit("Cây tổ chức", f"{base}/organisations/")
            visit("Danh sách đảng viên", f"{base}/members/?org={root}")
            visit("Sinh hoạt chi bộ", f"{base}/meetings/?org={root}")
            visit("Hồ sơ, sổ sách", f"{base}/dossiers/?org={root}")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print("3G: 400 kbit/s, 300 ms. | Trang | Đã tải | Thời gian |")
    print("|---|---|---|")
    for label, n, t in results:
        print(f"| {label} | {n / 1024:.1f} KB | {t:.2f} s |")
    first, later = results[0], results[1:]
    ok = first[1] <= 120 * 1024 and all(n <= 30 * 1024 for _, n, _ in later)
    if args.time_bar:
        ok = ok and first[2] < 3.0
    print(json.dumps({"first_kb": round(first[1] / 1024, 1), "first_s": round(first[2], 2),
                      "later_kb_max": round(max(n for _, n, _ in later) / 1024, 1), "pass": ok}))  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
