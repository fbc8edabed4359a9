"""The web interface in a real browser: Playwright driving Debian's Chromium, headless.

Skipped with the reason when /usr/bin/chromium is missing (``make test`` installs it
through scripts/system-deps.sh).
"""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Chromium is not installed at /usr/bin/chromium "
                              "(apt-get install chromium, or run scripts/system-deps.sh)"),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def web_app(tmp_path_factory):
    from web_corpus import build_store

    from veille.serve.app import create_app

    return create_app(build_store(tmp_path_factory.mktemp("browser") / "test.db"), language="en")


@pytest.fixture(scope="module")
def server(web_app):
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the web server did not start within 10 seconds")
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


def test_story_to_event_to_sentence(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(server + "/")
    assert page.title().startswith("Stories")
    page.locator("a.story-link", has_text="Nordtel").first.click()          # click 1: the story
    page.wait_for_load_state()
    assert "/story/" in page.url
    assert page.locator("svg.timeline circle.event").count() >= 2
    link = page.locator("a.evidence-link").first
    sentence = link.inner_text().rstrip("…").strip()
    link.click()                                                             # click 2: the event
    page.wait_for_load_state()
    assert "/article/" in page.url and "#ev-" in page.url
    focused = page.locator("article.text .ev.focus")
    focused.first.wait_for()
    assert focused.count() >= 1
    shown = "".join(focused.all_inner_texts())
    assert sentence[:40] in shown
    # the evidence is visibly highlighted (the focus colour, not the page background)
    bg = focused.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")

    # the layer toggles work, and the dropped boilerplate opens
    page.locator('input[data-layer="actor"]').uncheck()
    assert "hide-actor" in page.evaluate("document.body.className")
    page.locator('input[data-layer="extra"]').check()
    assert page.locator("#extra details").first.evaluate("d => d.open")

    shot = tmp_path / "article.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    assert not problems, problems   # no CSP violation, no script error
    page.close()


def test_search_highlights_matches(server, browser):
    page = browser.new_page()
    page.goto(server + "/search?q=etats-unis")
    assert page.locator("ol.hits li").count() >= 1
    assert page.locator(".snippet mark").count() >= 1
    page.goto(server + '/search?q="espionnage')
    assert page.locator(".message.error").is_visible()
    page.close()


def test_hostile_article_runs_no_script(server, browser):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/article/h1?extra=1")
    page.hover("article.text")
    page.goto(server + "/story/st-hostile")
    assert not dialogs
    assert "<script>" in page.locator("h1").inner_text()  # shown as text
    page.close()


def test_walk_through_home_actor_search(server, browser, tmp_path):
    """A reader's walk: the home page sorted by growth, a story's actor, the actor's page,
    a faceted search; every chart is drawn, nothing breaks the CSP."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(server + "/")
    assert page.locator("figure.volume svg.bars rect.bar").count() >= 4
    page.locator("a.sort-link", has_text="growth").click()
    page.wait_for_load_state()
    assert "sort=growth" in page.url
    first = page.locator("li.story-card").first
    assert first.get_attribute("data-story") == "st-mirror"
    spark = first.locator("svg.spark")
    assert spark.is_visible() and spark.bounding_box()["width"] > 50
    page.screenshot(path=str(tmp_path / "home.png"))

    first.locator("a.actor-link", has_text="China").click()
    page.wait_for_load_state()
    assert page.url.endswith("/actor/CHN")
    assert page.locator("svg.bars.months rect.bar").count() >= 1
    assert "THREATEN" in page.locator("section.did-types").inner_text()
    page.screenshot(path=str(tmp_path / "actor.png"))

    page.goto(server + "/actors")
    page.fill("form.filters input[name=q]", "etats unis")
    page.locator("form.filters button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/actor/USA")

    page.goto(server + "/search?q=washington")
    assert page.locator("ol.hits li").count() == 2
    page.select_option("select[name=type]", "SANCTION")
    page.locator("form.search button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "type=SANCTION" in page.url and page.locator("ol.hits li").count() == 1
    page.screenshot(path=str(tmp_path / "search.png"))
    assert not problems, problems
    page.close()
