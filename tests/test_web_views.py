"""What the web pages show a reader: the home page's sorting, trends and volume; actor
pages; quotes; search facets. Over the SQLite store and the tests' in-memory store."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from memory_store import MemoryStore
from web_corpus import app_for, build_store, fill

from veille.serve.app import create_app


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("views") / "test.db")


@pytest.fixture(scope="module", params=["sqlite", "memory"])
def client(request, db):
    with TestClient(app_for(request.param, db)) as c:
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


# ---------------------------------------------------------------- actor pages

def test_actor_page_says_what_it_did_and_what_was_done_to_it(client):
    html = client.get("/actor/USA").text
    did = html[html.index('class="did-types"'):html.index('class="acted-on"')]
    assert "SANCTION</span> 1" in did and "ACCUSE</span> 1" in did and "1 hedged" in did
    on = html[html.index('class="acted-on"'):html.index('class="done-types"')]
    assert 'href="/actor/Nordtel"' in on and "2" in on
    done = html[html.index('class="done-types"'):html.index('class="acted-by"')]
    assert "THREATEN</span> 1" in done and "ACCUSE</span> 1" in done and "REQUEST</span> 1" in done
    by = html[html.index('class="acted-by"'):]
    assert 'href="/actor/CHN"' in by.split("</section>")[0] and "3" in by.split("</section>")[0]
    assert 'class="bars months"' in html and "2021-03: 2 acts of United States" in html
    assert "2021-03: 3 acts on United States" in html
    profile = client.get("/api/actors/USA").json()["profile"]
    assert profile["acted_by"][0] == {"id": "CHN", "name": "China", "events": 3,
                                      "types": ["THREATEN", "ACCUSE", "REQUEST"]} or \
        profile["acted_by"][0]["events"] == 3
    assert profile["months"] == {"2021-03": {"did": 2, "done_to": 3}}


def test_actor_lookup_by_any_name_case_and_accents_aside(client):
    for name in ("washington", "ÉTATS-UNIS", "etats unis", "United States"):
        r = client.get(f"/actor/{name}", follow_redirects=False)
        assert r.status_code == 307 and r.headers["location"] == "/actor/USA", name
    r = client.get("/actors?q=pekin", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/actor/CHN"


def test_actor_lookup_never_a_silent_empty_page(client):
    r = client.get("/actors?q=Nordtell")
    assert r.status_code == 404
    assert "No actor is named “Nordtell”" in r.text and 'class="suggestion" href="/actor/Nordtel"' in r.text
    r = client.get("/actor/Chinne")
    assert r.status_code == 404 and 'href="/actor/CHN"' in r.text
    r = client.get("/actor/zzzzqqq")
    assert r.status_code == 404 and "no name is close" in r.text
    assert client.get("/api/actors/Nordtell").status_code == 404
    html = client.get("/actors").text
    assert 'href="/actor/USA"' in html and 'href="/actor/CHN"' in html


# ---------------------------------------------------------------- quotes and mirrors

@pytest.fixture(scope="module")
def speech_client():
    """The corpus plus a story whose articles carry an indirect quote and a quote repeated by
    another outlet."""
    from veille.records import AnnotatedArticle, Quote, Story

    direct = "Nous ne céderons rien sur les salaires"
    said = "les négociations reprendraient la semaine prochaine"
    text = f"« {direct} », a lancé la syndicaliste Ana Costa. Elle a assuré que {said}."
    other = f"La syndicaliste Ana Costa l'a redit : « {direct} »."

    def quote(t: str, words: str, direct_speech: bool) -> Quote:
        i = t.index(words)
        return Quote(text=words, span=(i, i + len(words)), speaker_name="Ana Costa", direct=direct_speech)

    arts = [AnnotatedArticle(id="q1", source="q1.txt", text=text, title="Les dockers en grève", lang="fr",
                             outlet="Le Quotidien", published="2021-03-04", story="st-speech",
                             quotes=[quote(text, direct, True), quote(text, said, False)]),
            AnnotatedArticle(id="q2", source="q2.txt", text=other, title="Grève des dockers", lang="fr",
                             outlet="La Gazette", published="2021-03-05", story="st-speech",
                             quotes=[quote(other, direct, True)])]
    from veille.records import CitedSource

    untitled = AnnotatedArticle(id="q3", source="q3.txt", text="LYON (AFP) - la grève des dockers continue. Demain aussi.",
                                lang="fr", story="st-untitled",
                                cited_sources=[CitedSource(name="article", span=(0, 4)),
                                               CitedSource(name="agence Belga.Le Premier", span=(5, 9))])
    store = fill(MemoryStore())
    store.add([*arts, untitled])
    store.put_stories([Story(id="st-speech", title=arts[0].title, article_ids=["q1", "q2"],
                             first_published="2021-03-04", last_published="2021-03-05"),
                       Story(id="st-untitled", article_ids=["q3"])])
    with TestClient(create_app("memory.db", store_factory=lambda: store, language="en")) as c:
        yield c


def test_indirect_speech_is_never_shown_as_a_direct_quote(speech_client):
    for path in ("/story/st-speech", "/article/q1"):
        html = speech_client.get(path).text
        assert "« les négociations reprendraient" not in html, path
        assert "reprendraient la semaine prochaine »" not in html, path
        assert 'class="quote-link indirect"' in html and "reported speech" in html, path
        assert "« Nous ne céderons rien sur les salaires »" in html, path
    quotes = speech_client.get("/api/stories/st-speech").json()["quotes"]
    assert sorted(q["direct"] for q in quotes) == [False, True]


def test_repeated_quote_shown_once_with_its_count(speech_client):
    html = speech_client.get("/story/st-speech").text
    assert html.count("Nous ne céderons rien sur les salaires") == 1
    assert "×2" in html and "(2, 3 with repeats)" in html
    quotes = speech_client.get("/api/stories/st-speech").json()["quotes"]
    repeated = next(q for q in quotes if q["direct"])
    assert repeated["repeats"] == 2 and repeated["articles"] == ["q1", "q2"]


def test_mirrored_narrative_lists_each_event_once(client):
    # a1 and its copy a2 tell the same accusation: the mirror in st-mirror is listed once
    html = client.get("/story/st-ban").text
    part = html[html.index("<h2>Mirrored narratives"):]
    assert part.count('class="mirror-group"') == 1
    assert part.count("Pékin accuse Washington d&#39;espionnage") == 1
    assert 'href="/actor/CHN">China</a>' in part
    groups = client.get("/api/stories/st-ban").json()["mirror_groups"]
    assert len(groups) == 1 and len(groups[0]["others"]) == 1 and groups[0]["type"] == "ACCUSE"


def test_source_chain_reads_right():
    from veille.cluster.views import lead_title, source_chain

    arts = [{"id": "x", "outlet": "Le Quotidien", "cited_sources": [{"name": "Reuters"}, {"name": "article"}]},
            {"id": "y", "outlet": None, "cited_sources": [{"name": "Reuters"}, {"name": "agence Belga.Le Premier"}]}]
    chain = source_chain(arts)
    assert chain["phrase"].startswith("2 articles, 1 outlet named (1 without one), ")
    assert "both citing Reuters" not in chain["phrase"]  # Belga is cited too
    assert [s["name"] for s in chain["sources"]] == ["Reuters", "agence Belga"]
    assert source_chain(arts[:1] + [dict(arts[0], id="z")])["phrase"] == \
        "2 articles, 1 outlet, both citing Reuters"
    assert source_chain([{"id": "u"}])["phrase"] == "1 article, outlet unknown, no cited source found"
    assert lead_title("LYON (AFP) - la grève continue. Demain aussi.") == "La grève continue."


def test_every_event_table_has_an_according_to_column(client):
    for path in ("/story/st-ban", "/article/a1", "/actor/USA"):
        html = client.get(path).text
        heads = html.count("<th>according to</th>")
        assert heads == html.count('<table class="events">') and heads >= 1, path
        assert '<td class="according">le Courrier du Matin</td>' in html.replace(
            '<span class="muted">le Courrier du Matin</span>', "le Courrier du Matin"), path


# ---------------------------------------------------------------- search facets

def _hits(html: str) -> list[str]:
    return re.findall(r'<a class="article-link" href="/article/([^"]+)"', html)


def test_search_facets_narrow_the_results(client):
    # "washington" is in a1 (its copy a2 folded in) and b1
    assert sorted(_hits(client.get("/search?q=washington").text)) == ["a1", "b1"]
    assert sorted(_hits(client.get("/search?q=washington&outlet=Le+Quotidien").text)) == ["a1", "b1"]
    assert _hits(client.get("/search?q=washington&outlet=La+Gazette").text) == ["a2"]
    assert _hits(client.get("/search?q=washington&since=2021-03-05").text) == ["b1"]
    assert _hits(client.get("/search?q=washington&until=2021-03-05").text) == ["a1"]
    assert _hits(client.get("/search?q=washington&type=SANCTION").text) == ["a1"]
    assert _hits(client.get("/search?q=washington&type=REQUEST").text) == ["b1"]
    assert sorted(_hits(client.get("/search?q=washington&actor=nordtel").text)) == ["a1"]
    html = client.get("/search?q=washington&type=ASSAULT").text
    assert _hits(html) == [] and "with these filters" in html
    api = client.get("/api/search", params={"q": "washington", "actor": "Pékin", "until": "2021-03-05"}).json()
    assert [h["id"] for h in api["hits"]] == ["a1"]


def test_search_offers_outlets_and_keeps_filters_in_links(client):
    html = client.get("/search?q=washington&type=ACCUSE").text
    assert "Outlets" in html and 'href="/search?q=washington&amp;type=ACCUSE&amp;outlet=Le+Quotidien"' in html
    assert 'type=ACCUSE' in html and '<option value="ACCUSE" selected>' in html


def test_search_unknown_actor_facet_proposes_names(client):
    html = client.get("/search?q=washington&actor=Chinne").text
    assert "No actor is named “Chinne”" in html and "actor=CHN" in html
    assert _hits(html) == []
    assert client.get("/search?q=washington&since=2021-13-01").status_code == 400


def test_untitled_article_is_named_by_its_first_line_everywhere(speech_client):
    name = "La grève des dockers continue."
    assert f"<h1>{name}</h1>" in speech_client.get("/article/q3").text
    assert f'href="/article/q3">{name}</a>' in speech_client.get("/search?q=continue").text
    assert f">{name}</a>" in speech_client.get("/").text
    assert speech_client.get("/api/stories/st-untitled").json()["title"] == name
    assert name in [s["title"] for s in speech_client.get("/api/stories").json()["stories"]]


def test_new_pages_escape_content_and_keep_the_csp(client):
    from web_corpus import HOSTILE

    paths = ("/?sort=growth", "/?sort=size", "/actors", "/actors?q=evil", "/actor/Evil%3Cb%3E",
             "/search?q=piégé&outlet=" + HOSTILE, "/search?q=texte&actor=" + HOSTILE, "/story/st-hostile")
    for path in paths:
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path
        # event-handler attributes, attribute values aside (escaped content may spell one)
        assert not re.search(r"<[^>]+\son\w+=", re.sub(r'"[^"]*"', '""', html)), path
        assert "<script>alert" not in html, path


def test_story_timeline_says_what_it_shows(client):
    dated = client.get("/story/st-ban").text
    assert "the top lane is the articles by publication date" in dated and 'class="no-timeline"' not in dated
    undated = client.get("/story/st-en").text
    assert '<svg class="timeline"' in undated and 'class="no-timeline"' in undated


def test_article_lists_cited_sources_without_junk(speech_client):
    html = speech_client.get("/article/q3").text
    side = html[html.index("<h2>Cited sources</h2>"):]
    side = side[:side.index("</ul>")]
    assert "<li>agence Belga</li>" in side and "<li>article</li>" not in side and "Premier" not in side
