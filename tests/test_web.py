"""The web interface: every page and API route, hostile content, bad parameters."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from memory_store import MemoryStore
from web_corpus import HOSTILE, app_for, build_store

from veille.serve.app import create_app, snippet_markup
from veille.serve.highlight import highlight
from veille.serve.timeline import timeline_svg


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("web") / "test.db")


@pytest.fixture(scope="module", params=["sqlite", "memory"])
def client(request, db):
    """The app over the SQLite store, and over the tests' in-memory store: the same
    pages and answers from any store that implements the protocol."""
    with TestClient(app_for(request.param, db)) as c:
        yield c


def _no_raw_hostile(html: str) -> None:
    assert "<script>alert" not in html
    assert '" onmouseover="alert(1)' not in html
    assert "onmouseover=\"" not in html


# ---------------------------------------------------------------- headers and static files

def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/stats", "/static/veille.css", "/nope"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/story/st-ban", "/article/a1", "/actor/USA", "/search?q=nordtel", "/errors"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"<[^>]+\son\w+=", html), path


def test_static_files_only_from_the_package(client):
    assert client.get("/static/veille.js").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2Fapp.py",
                 "/static/../../records.py", "/static//etc/passwd"):
        r = client.get(path)
        assert r.status_code in (400, 404), path
        assert "def create_app" not in r.text and "root:" not in r.text


# ---------------------------------------------------------------- pages

def test_home_lists_stories_with_links(client):
    r = client.get("/")
    assert r.status_code == 200
    assert 'href="/story/st-ban"' in r.text
    assert "Washington bannit Nordtel" in r.text or "Nordtel" in r.text
    assert "Talks to resume" in r.text


def test_home_filters(client):
    assert "st-mirror" not in client.get("/?until=2021-03-05").text
    r = client.get("/?since=2021-03-05")
    assert "st-mirror" in r.text and "st-ban" not in r.text
    r = client.get("/?type=SANCTION")
    assert "st-ban" in r.text and "st-mirror" not in r.text
    r = client.get("/?actor=CHN")
    assert "st-ban" in r.text and "st-en" not in r.text
    r = client.get("/?lang=en")
    assert "st-en" in r.text and "st-ban" not in r.text
    assert "No actor is named" in client.get("/?actor=Nobody").text


def test_story_page(client):
    r = client.get("/story/st-ban")
    assert r.status_code == 200
    html = r.text
    # articles in time order, the copy marked
    assert html.index('href="/article/a1"') < html.index('href="/article/a2"')
    assert "copy of" in html
    # timeline SVG drawn on the server, events with modality badges, quotes, source chain
    assert "<svg" in html and 'class="dot event mod-hedged"' in html
    assert 'class="badge mod-hedged"' in html and 'class="badge mod-planned"' in html
    assert "Nous défendrons nos entreprises" in html
    assert "2 articles" in html
    # each event links to its sentence in the article
    assert re.search(r'href="/article/a1#ev-\d+-\d+"', html)
    # mirrored narrative found in the other story
    assert 'href="/story/st-mirror"' in html


def test_article_page_highlights_spans(client):
    r = client.get("/article/a1")
    assert r.status_code == 200
    html = r.text
    assert re.search(r'<span class="anchor" id="ev-0-\d+"></span>', html)
    assert 'class="ev mod-hedged"' in html
    assert re.search(r'<a class="[^"]*\bactor\b[^"]*"[^>]*href="/actor/USA">États-Unis</a>', html)
    assert 'class="quote"' in html
    # boilerplate and comments kept, behind a toggle
    assert "Partager sur Facebook" in html and "<details" in html
    assert "(repeat of comment 1)" in html
    assert "<details open" in client.get("/article/a1?extra=1").text


def test_actor_page(client):
    r = client.get("/actor/USA")
    assert r.status_code == 200
    html = r.text
    assert "United States" in html and "Washington" in html  # name and aliases
    did, done_to = html.split("What was done to")
    assert "SANCTION" in did and "THREATEN" in done_to
    assert client.get("/actor/Nobody").status_code == 404


def test_search_page(client):
    r = client.get("/search", params={"q": "etats-unis"})
    assert r.status_code == 200
    assert 'href="/article/a1"' in r.text and "<mark>" in r.text
    assert client.get("/search").status_code == 200
    r = client.get("/search", params={"q": '"espionnage'})
    assert r.status_code == 400
    assert "not closed" in r.text and 'class="message error"' in r.text
    for bad in ("(espionnage", "huawei AND", "NOT", "***"):
        r = client.get("/search", params={"q": bad})
        assert r.status_code == 400, bad
        assert 'class="message error"' in r.text and "cannot read the search" in r.text or \
            "nothing to search" in r.text


def test_errors_page(client):
    r = client.get("/errors")
    assert r.status_code == 200
    assert "truncated gzip member" in r.text and "record 3" in r.text
    _no_raw_hostile(r.text)


def test_unknown_ids_are_404_pages(client):
    for path in ("/story/nope", "/article/nope", "/actor/nope", "/no/such/page"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "text/html" in r.headers["content-type"]
    assert client.get("/api/articles/nope").json()["detail"].startswith("no article")


# ---------------------------------------------------------------- hostile content

def test_hostile_content_is_escaped_everywhere(client):
    for path in ("/", "/story/st-hostile", "/article/h1", "/article/h1?extra=1", "/actor/Evil%3Cb%3E",
                 "/search?q=piege", "/errors", "/search?q=" + "%3Cscript%3E"):
        r = client.get(path)
        assert r.status_code in (200, 400), path
        _no_raw_hostile(r.text)
    html = client.get("/article/h1").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or \
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="/actor/Evil%3Cb%3E"' in html
    assert 'href="javascript' not in html.lower()
    assert 'href="https://example.org/news/talks?a=1&amp;b=2"' in client.get("/article/en1").text


def test_highlight_escapes_each_piece_and_handles_overlaps():
    text = 'A <b>"x"</b> & B'
    out = highlight(text, actors=[{"id": 'id"><', "name": "n", "mentions": [(0, 1), (15, 16)]}],
                    quotes=[{"text": "x", "span": (2, 12), "speaker_name": '"><script>'}],
                    events=[{"type": "ACCUSE", "span": (0, 16), "modality": "hedged", "actor": "<i>"},
                            {"type": "X", "span": (50, 60)}, {"type": "X", "span": (5, 2)}])
    assert "<b>" not in out and "<script>" not in out and "<i>" not in out
    assert re.sub(r"<[^>]+>", "", str(out)) == "A &lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; B"
    assert 'href="/actor/id%22%3E%3C"' in out
    assert str(out).count('id="ev-0-16"') == 1


def test_snippet_markup_escapes_and_marks():
    out = snippet_markup("<b>avant \x02mot\x03 après \x02reste")
    assert str(out) == "&lt;b&gt;avant <mark>mot</mark> après <mark>reste</mark>"


def test_timeline_svg_escapes_labels():
    svg = timeline_svg([{"date": "2021-03", "type": "<x>", "sentence": HOSTILE, "article": '"a',
                         "span": (0, 3), "modality": '"><'}],
                       [{"id": "a", "published": "2021-03-02", "title": HOSTILE}])
    assert "<script>" not in svg and "<x>" not in svg
    assert 'href="/article/%22a#ev-0-3"' in svg


# ---------------------------------------------------------------- bad parameters

@pytest.mark.parametrize("query", [
    "since=2021-13-01", "since=yesterday", "until=2021-02-30", "since=2021-03-05&until=2021-03-01",
    "page=0", "page=-1", "page=abc", "page=99999999999999999999", "limit=0", "limit=100000",
    "type=EXPLODE", "lang=french", "actor=" + "x" * 300, "page=5000&limit=200",
])
def test_bad_parameters_are_400(client, query):
    r = client.get("/?" + query)
    assert r.status_code == 400, query
    assert 'class="message error"' in r.text
    r = client.get("/api/stories?" + query)
    assert r.status_code == 400, query
    assert r.json()["detail"]


def test_bad_parameters_on_other_routes(client):
    for path in ("/search?q=x&page=0", "/errors?limit=x", "/actor/USA?page=x", "/article/a1?extra=7",
                 "/api/search?q=x&limit=-3", "/api/errors?page=1.5", "/api/actors/USA?limit=1000"):
        r = client.get(path)
        assert r.status_code == 400, path
    assert client.get("/search?q=" + "a" * 600).status_code == 400
    assert client.get("/search?q=a%00b").status_code == 400


# ---------------------------------------------------------------- JSON API

def test_api_routes(client):
    assert client.get("/api/stats").json()["articles"] == 5
    r = client.get("/api/stories", params={"type": "ACCUSE", "limit": 1})
    data = r.json()
    assert r.status_code == 200 and len(data["stories"]) == 1 and data["has_next"] is True
    assert client.get("/api/stories", params={"type": "ACCUSE", "limit": 1, "page": 2}).json()["stories"]
    story = client.get("/api/stories/st-ban").json()
    assert [a["id"] for a in story["articles"]] == ["a1", "a2"]
    assert {e["modality"] for e in story["timeline"]} >= {"hedged", "planned"}
    assert story["quotes"][0]["speaker"] == "Li Wen"
    art = client.get("/api/articles/a1").json()
    s, e = art["events"][1]["span"]
    assert art["text"][s:e] == art["events"][1]["sentence"]
    actor = client.get("/api/actors/USA").json()
    assert actor["actor"]["id"] == "USA" and actor["did"] and actor["done_to"]
    hits = client.get("/api/search", params={"q": "espionnage"}).json()["hits"]
    assert {h["id"] for h in hits} >= {"a1", "b1"} and "[" in hits[0]["snippet"]
    assert client.get("/api/search", params={"q": '"oops'}).status_code == 400
    assert len(client.get("/api/errors").json()["errors"]) == 2


def test_openapi_schema_lists_the_api(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/stats", "/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}",
                 "/api/actors/{actor_id}", "/api/search", "/api/errors"):
        assert path in schema["paths"], path
    assert not any(p.startswith("/article/") for p in schema["paths"])


# ---------------------------------------------------------------- the real pipeline

@pytest.fixture(scope="module")
def pipeline_client(tmp_path_factory, seeds_dir):
    from veille.runners.local import run_pipeline
    from veille.store import open_store

    db = tmp_path_factory.mktemp("pipeline") / "seeds.db"
    with open_store(db) as store:
        run_pipeline([str(seeds_dir)], None, store)
    with TestClient(create_app(db, language="en")) as c:
        yield c


@pytest.mark.slow
def test_pipeline_store_story_to_event_to_sentence(pipeline_client):
    c = pipeline_client
    home = c.get("/")
    assert home.status_code == 200 and "Huawei" in home.text
    story_links = re.findall(r'class="story-link" href="(/story/[^"]+)"', home.text)
    assert story_links
    checked = 0
    for link in story_links:
        story = c.get(link)
        assert story.status_code == 200 and "<svg" in story.text
        events = re.findall(r'class="evidence-link" href="(/article/[^"#]+)#(ev-(\d+)-(\d+))"', story.text)
        for path, anchor, start, end in events:
            article = c.get(path)
            assert article.status_code == 200
            assert f'id="{anchor}"' in article.text
            data = c.get("/api/articles/" + path.rsplit("/", 1)[1]).json()
            sentence = data["text"][int(start):int(end)]
            assert any(e["sentence"] == sentence for e in data["events"])
            checked += 1
    assert checked, "no story links an event to its sentence"
    for path in ("/search?q=espionnage", "/errors", "/api/stats", "/actor/USA"):
        assert c.get(path).status_code == 200, path


def test_missing_store_is_a_clear_503(tmp_path):
    with TestClient(create_app(tmp_path / "none.db", language="en")) as c:
        r = c.get("/")
        assert r.status_code == 503 and "veille run" in r.text
        assert "veille run" in c.get("/api/stories").json()["detail"]


def test_the_app_never_writes_to_the_store(tmp_path):
    import hashlib

    db = build_store(tmp_path / "ro.db")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with TestClient(create_app(db, language="en")) as c:
        for path in ("/", "/story/st-ban", "/article/a1", "/actor/USA", "/search?q=nordtel", "/errors",
                     "/api/stats"):
            assert c.get(path).status_code == 200, path
        assert c.post("/api/stories").status_code == 405
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


# ---------------------------------------------------------------- actors found by any name

@pytest.mark.parametrize("name", ["CHN", "China", "china", "Chine", "chine", "CHINE", "pekin", "Pékin"])
def test_actor_filter_by_any_name(client, name):
    r = client.get("/", params={"actor": name})
    assert r.status_code == 200 and "st-ban" in r.text and "st-en" not in r.text
    data = client.get("/api/stories", params={"actor": name}).json()
    assert data["filters"]["actor"] == "CHN" and data["stories"] and not data["actor_unknown"]


def test_actor_filter_suggests_close_names(client):
    r = client.get("/", params={"actor": "Chinne"})
    assert "No actor is named" in r.text and 'href="/?actor=CHN"' in r.text
    data = client.get("/api/stories", params={"actor": "Chinne"}).json()
    assert data["actor_unknown"] and data["stories"] == []
    assert [s["id"] for s in data["actor_suggestions"]] == ["CHN"]
    assert "No actor is named" in client.get("/", params={"actor": "zzzzqq"}).text


def test_actor_page_by_name_goes_to_its_id(client):
    r = client.get("/actor/etats-unis", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/actor/USA"
    assert "United States" in client.get("/actor/%C3%89tats-Unis").text
    assert client.get("/api/actors/washington").json()["actor"]["id"] == "USA"
    r = client.get("/api/actors/Chinne")
    assert r.status_code == 404 and "CHN" in r.json()["detail"]
    r = client.get("/actor/Chinne")
    assert r.status_code == 404 and "did you mean" in r.text


def test_search_folds_copies_into_one_hit(client):
    r = client.get("/search", params={"q": "nordtel"})
    assert r.status_code == 200
    assert 'href="/article/a1"' in r.text and 'href="/article/a2"' not in r.text
    assert "and 1 copy" in r.text
    hits = client.get("/api/search", params={"q": "nordtel"}).json()["hits"]
    assert [h["id"] for h in hits if h["id"] in ("a1", "a2")] == ["a1"]
    assert next(h for h in hits if h["id"] == "a1")["copies"] == ["a2"]


def test_search_hit_without_outlet_or_date_has_no_dangling_dot(client):
    html = client.get("/search", params={"q": "nordtel"}).text
    assert not re.search(r"·\s*</span>", html) and not re.search(r'<span class="muted">\s*·', html)


def test_untitled_stories_and_articles_show_their_first_line():

    from veille.records import AnnotatedArticle, Story

    lead = ("La Chine exhorte les États-Unis à cesser leurs cyberactivités, a déclaré mardi le "
            "porte-parole du ministère des Affaires étrangères lors d'une conférence de presse régulière.")
    store = MemoryStore()
    store.add([AnnotatedArticle(id="t1", source="presse/003_abc.txt", text=lead + "\n\nSuite.", lang="fr",
                                story="st-t")],
              stories=[Story(id="st-t", title=None, article_ids=["t1"])])
    with TestClient(create_app("memory.db", store_factory=lambda: store, language="en")) as c:
        home = c.get("/").text
        assert "(untitled story)" not in home and "La Chine exhorte les États-Unis" in home
        title = c.get("/api/stories").json()["stories"][0]["title"]
        assert title.startswith("La Chine exhorte") and title.endswith("…") and len(title) <= 121
        page = c.get("/story/st-t").text
        assert "003_abc.txt</a>" not in page and "La Chine exhorte" in page
