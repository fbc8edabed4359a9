#!/usr/bin/env python
"""Screenshots of the web interface for the README: docs/home.png, docs/actor.png,
docs/search.png.

    PYTHONPATH=src:tests .venv/bin/python scripts/web_walkthrough.py [STORE.db] [OUT_DIR] [fr|en]

Without a store, builds one from the invented articles of the tests (tests/web_corpus.py,
without the story of hostile markup kept for the security tests), which are dated, so
that the volume chart and the trends have something to draw. The interface and the
browser speak the language given (French by default). Opens
the home page sorted by growth, the first story's first actor, and a search narrowed by
an event type. Needs Chromium at /usr/bin/chromium and Playwright.
"""
from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from veille.serve.app import create_app

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main(db: str | None, out: str, language: str = "fr") -> None:
    if db is None:
        from web_corpus import build_store

        db = str(build_store(Path(tempfile.mkdtemp()) / "walk.db", hostile=False))
    outdir = Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, language=language), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            lang = "--lang=fr-FR" if language == "fr" else "--lang=en-GB"
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[*ARGS, lang])
            page = browser.new_page(viewport={"width": 1280, "height": 820},
                                    locale="fr-FR" if language == "fr" else "en-GB")
            page.goto(base + "/?sort=growth")
            page.screenshot(path=str(outdir / "home.png"))
            page.locator("li.story-card a.actor-link").first.click()
            page.wait_for_load_state()
            page.screenshot(path=str(outdir / "actor.png"))
            page.goto(base + "/search?q=washington&type=ACCUSE")
            page.screenshot(path=str(outdir / "search.png"))
            browser.close()
    finally:
        server.should_exit = True
    print(f"screenshots → {outdir}/home.png, actor.png, search.png")


if __name__ == "__main__":
    if len(sys.argv) > 4 or (len(sys.argv) == 4 and sys.argv[3] not in ("fr", "en")):
        sys.exit("usage: web_walkthrough.py [STORE.db] [OUT_DIR] [fr|en]")
    main((sys.argv[1] or None) if len(sys.argv) > 1 else None, sys.argv[2] if len(sys.argv) > 2 else "docs",
         sys.argv[3] if len(sys.argv) > 3 else "fr")
