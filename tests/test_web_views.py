"""What the web pages show a reader: the home page's sorting, trends and volume; actor
pages; quotes; search facets. Over the SQLite store and the tests' in-memory store."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from memory_store import MemoryStore
from web_corpus import build_store, fill

from veille.serve.app import create_app


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("views") / "test.db")


@pytest.fixture(scope="module", params=["sqlite", "memory"])
def client(request, db):
    if request.param == "sqlite":
        app = create_app(db)
    else:
        store = fill(MemoryStore())
        app = create_app("memory.db", store_factory=lambda: store)
    with TestClient(app) as c:
        yield c


def _story_order(html: str) -> list[str]:
    return re.findall(r'<li class="story-card" data-story="([^"]+)"', html)


# ---------------------------------------------------------------- home page

def test_home_sorts_by_recency_size_and_growth(client):
    # st-ban: 2 articles on 03-02 and 03-03; st-mirror: 1 on 03-10 (the store's latest day);
    # st-hostile: 1 on 02-01; st-en: undated
    assert _story_order(client.get("/").text) == ["st-mirror", "st-ban", "st-hostile", "st-en"]
    assert _story_order(client.get("/?sort=size").text)[0] == "st-ban"
    # growth over 02-25..03-10: st-mirror +1 (03-10 is in the last 7 days), st-ban -2 (both in
    # the 7 days before), the others 0 and by recency
    assert _story_order(client.get("/?sort=growth").text) == ["st-mirror", "st-hostile", "st-en", "st-ban"]
    api = client.get("/api/stories?sort=growth").json()
    assert [s["id"] for s in api["stories"]] == ["st-mirror", "st-hostile", "st-en", "st-ban"]
    assert api["sort"] == "growth"


def test_home_bad_sort_is_a_400(client):
    r = client.get("/?sort=random")
    assert r.status_code == 400 and "sort" in r.text
    assert client.get("/api/stories?sort=random").status_code == 400


def test_home_sort_links_keep_filters(client):
    html = client.get("/?type=ACCUSE").text
    assert 'href="/?type=ACCUSE&amp;sort=size"' in html
    assert 'href="/?type=ACCUSE&amp;sort=growth"' in html


def test_home_shows_trend_size_outlets_actors_types(client):
    html = client.get("/").text
    card = html[html.index('data-story="st-mirror"'):]
    card = card[:card.index("</li>")]
    assert '<svg class="spark"' in card and "1 this week (+1)" in card
    assert "1 article<" in card and "1 outlet: Le Quotidien" in card
    assert 'href="/actor/CHN"' in card
    assert ">ACCUSE</a>" in card and ">REQUEST</a>" in card
    ban = html[html.index('data-story="st-ban"'):]
    ban = ban[:ban.index("</li>")]
    assert "0 this week (-2)" in ban and "2 outlets" in ban
    en = html[html.index('data-story="st-en"'):]
    en = en[:en.index("</li>")]
    assert "outlet unknown" in en and "no new article in 14 days" in en


def test_home_volume_chart(client):
    html = client.get("/").text
    assert '<figure class="volume">' in html and 'class="bars volume"' in html
    assert "2021-03-02 (day): 1" in html and "2021-03-10 (day): 1" in html
    assert "1 undated article not drawn" in html
    assert client.get("/api/volume").json()["days"] == {"2021-02-01": 1, "2021-03-02": 1, "2021-03-03": 1,
                                                         "2021-03-10": 1}


def test_api_story_titles_match_story_page(client):
    for s in client.get("/api/stories").json()["stories"]:
        assert s["title"] == client.get(f"/api/stories/{s['id']}").json()["title"]
