#!/usr/bin/env python
"""Screenshot of the web interface for the README (docs/screenshot.png).

    veille run ../shared/seeds --db /tmp/s.db
    .venv/bin/python scripts/web_screenshot.py /tmp/s.db docs/screenshot.png

Opens the first story that has an event, follows its first event to the article and
takes the screenshot there (the evidence sentence highlighted). Needs Chromium at
/usr/bin/chromium and Playwright.
"""
from __future__ import annotations

import socket
import sys
import threading
import time

import uvicorn
from playwright.sync_api import sync_playwright

from veille.serve.app import create_app

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main(db: str, out: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, language="en"), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(base + "/")
            for link in page.locator("a.story-link").all():
                page.goto(base + link.get_attribute("href"))
                if page.locator("a.evidence-link").count():
                    break
                page.go_back()
            page.locator("a.evidence-link").first.click()
            page.locator("article.text .ev.focus").first.wait_for()
            time.sleep(0.3)
            page.screenshot(path=out)
            browser.close()
    finally:
        server.should_exit = True
    print(f"screenshot → {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: web_screenshot.py STORE.db OUT.png")
    main(sys.argv[1], sys.argv[2])
