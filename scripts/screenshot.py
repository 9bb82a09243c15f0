"""Screenshots of the running app for README/docs (needs `make run` serving on 127.0.0.1:8000)."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = "http://127.0.0.1:8000"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def main() -> None:
    creds = (Path(__file__).resolve().parents[1] / "var" / "admin-login.txt").read_text().split()
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="vi-VN")
        page.goto(f"{BASE}/login/")
        page.fill("#id_username", creds[0])
        page.fill("#id_password", creds[1])
        page.click("button[type=submit]")
        page.click("li[data-code=LCA] > button.toggle")
        page.click("li[data-code=LCA-KHANHYEN] > button.toggle")
        page.wait_for_selector("li[data-code=LCA-VB-CQ-UBND]")
        page.screenshot(path=str(out / "screenshot-tree.png"))
        page.goto(f"{BASE}/members/?org=LCA-KHANHYEN")
        page.screenshot(path=str(out / "screenshot-members.png"))
        page.goto(f"{BASE}/organisations/LCA-VB/history/")
        page.screenshot(path=str(out / "screenshot-history.png"))
        browser.close()


if __name__ == "__main__":
    main()
