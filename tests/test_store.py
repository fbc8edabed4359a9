"""The SQLite store: idempotent writes, replacement of changed inputs, French-aware search,
failures, stories, state and the read API. Sentences are written for these tests."""
from __future__ import annotations

import inspect
import sqlite3

import pytest
from memory_store import MemoryStore

from veille.errors import QueryError, StoreError
from veille.records import (
    Actor,
    AnnotatedArticle,
    Article,
    CitedSource,
    Comment,
    Event,
    Failure,
    Quote,
    Story,
)
from veille.store import SCHEMA_VERSION, Reads, SQLiteStore, Store, WatchStore, Writes, fts_query, open_store

TEXT = ("Les États-Unis accusent le groupe Nordtel d’espionnage au profit de Pékin. "
        "« Nous n’avons rien à cacher », a répondu le porte-parole du groupe.")


def span(text: str, piece: str) -> tuple[int, int]:
    i = text.index(piece)
    return (i, i + len(piece))


def article(aid: str = "a1", *, source: str = "presse/nordtel.txt", locator: str = "", text: str = TEXT,
            published: str | None = "2024-03-05", **kw) -> AnnotatedArticle:
    usa = Actor(id="USA", name="United States", kind="country", country="USA", aliases=["États-Unis"],
                mentions=[span(text, "États-Unis")] if "États-Unis" in text else [])
    events = []
    if "accusent" in text:
        sentence = text.split(". ")[0] + "."
        events.append(Event(type="ACCUSE", cameo="112", span=span(text, sentence), sentence=sentence,
                            actor="USA", recipient="Nordtel", modality="asserted", context=["cyber"]))
    quotes = []
    if "cacher" in text:
        q = "Nous n’avons rien à cacher"
        quotes.append(Quote(text=q, span=span(text, q), speaker_name="le porte-parole"))
    return AnnotatedArticle(
        id=aid, source=source, locator=locator, text=text, title="Nordtel dans le viseur de Washington",
        outlet="Le Courrier", published=published, lang="fr", dropped=["Partager sur X", "Lire aussi"],
        comments=[Comment("Pas surprenant."), Comment("Pas surprenant.", 0)], actors=[usa],
        quotes=quotes, events=events,
        cited_sources=[CitedSource(name="Le Courrier", span=(0, 3))], **kw)


@pytest.fixture(params=["sqlite", "memory"])
def store(request, tmp_path):
    """The SQLite store, and the tests' in-memory store: both follow the same rules."""
    if request.param == "memory":
        yield MemoryStore()
        return
    with open_store(tmp_path / "test.db") as s:
        yield s


def _parameters(function) -> list[tuple]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("cls", [SQLiteStore, MemoryStore])
def test_stores_implement_the_protocol(cls, tmp_path):
    """Every method of the Store protocol, with the protocol's parameters and defaults."""
    members = {name for proto in (Reads, Writes, Store) for name, value in vars(proto).items()
               if callable(value) and not name.startswith("_")}
    assert {"add", "known", "put_state", "search", "stories", "story_articles", "close"} <= members
    for name in sorted(members):
        assert _parameters(getattr(cls, name)) == _parameters(getattr(Store, name)), name
    instance = open_store(tmp_path / "p.db") if cls is SQLiteStore else MemoryStore()
    assert isinstance(instance, Store)
    assert isinstance(instance, WatchStore) == (cls is SQLiteStore)
    instance.close()


def test_schema_version_and_wal(tmp_path):
    path = tmp_path / "v.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_add_is_idempotent(store):
    first = store.add([article()])
    assert first.added == ["a1"] and first.known == 0
    before = list(store.export())
    again = store.add([article()])
    assert again.added == [] and again.known == 1
    assert list(store.export()) == before
    st = store.stats()
    assert (st["articles"], st["events"], st["quotes"], st["actors"]) == (1, 1, 1, 1)


def test_export_round_trips_the_record(store):
    a = article()
    store.add([a])
    (exported,) = store.export()
    assert exported == a.export()
    assert store.get("a1") == a
    full = store.article("a1")
    assert full["paragraphs"] == [] and full["locator"] == ""
    assert store.article("nope") is None


def test_plain_article_is_stored_as_annotated(store):
    store.add([Article(id="p1", source="x.txt", text="Un texte court.", lang="fr")])
    (exported,) = store.export()
    assert exported["actors"] == [] and exported["events"] == [] and exported["story"] is None


def test_changed_input_replaces_the_old_article(store):
    store.add([article("old", text="Le Japon et la Corée signent un accord commercial.")])
    result = store.add([article("new")])
    assert result.replaced == ["old"]
    assert [a["id"] for a in store.export()] == ["new"]
    assert store.search("accord") == []
    assert store.has("new") and not store.has("old")
    # another locator of the same source is a different article
    store.add([article("other", locator="line 2")])
    assert store.known(["new", "other", "old"]) == {"new", "other"}


def test_search_folds_accents_and_elisions(store):
    store.add([article()])
    for query in ("etats-unis", "États-Unis", "ETATS unis", "espionnage", "d'espionnage", "d’espionnage",
                  "pekin", "espion*", '"au profit de"', "nordtel AND pekin", "(nordtel OR tokyo) pekin"):
        hits = store.search(query)
        assert [h["id"] for h in hits] == ["a1"], query
    assert store.search("tokyo") == []
    hit = store.search("espionnage")[0]
    assert "\x02espionnage\x03" in hit["snippet"]
    assert store.search_count("pekin") == 1


def test_search_title_is_indexed(store):
    store.add([article()])
    assert [h["id"] for h in store.search("viseur")] == ["a1"]


@pytest.mark.parametrize("query", ['"au profit', "AND", "NOT pekin", "()", "’", ""])
def test_bad_query_gives_a_clear_message(store, query):
    store.add([article()])
    with pytest.raises(QueryError) as info:
        store.search(query)
    assert "search" in str(info.value) and "AND / OR / NOT" in str(info.value)
    assert isinstance(info.value, StoreError)


def test_fts_query_building():
    assert fts_query("l'Élysée") == '"Élysée"'
    assert fts_query("États-Unis") == '"États Unis"'
    assert fts_query("jusqu’au bout") == '"au" AND "bout"'
    assert fts_query("cyber*") == '"cyber"*'
    assert fts_query("a OR b") == '"a" OR "b"'


def test_failures_listed_and_cleared_by_a_later_success(store):
    store.add([Failure("presse/nordtel.txt", "not UTF-8 and no encoding found", stage="ingest"),
               Failure("flux.jsonl", "line is not JSON", stage="ingest", locator="line 3"),
               Failure("flux.jsonl", "line is not JSON", stage="ingest", locator="line 3")])
    errors = store.errors()
    assert [(e["source"], e["locator"], e["stage"]) for e in errors] == [
        ("flux.jsonl", "line 3", "ingest"), ("presse/nordtel.txt", "", "ingest")]
    assert all(e["reason"] and e["time"] for e in errors)
    store.add([article()])  # the same source now works
    assert [e["source"] for e in store.errors()] == ["flux.jsonl"]
    store.add([article("j4", source="flux.jsonl", locator="line 4")])  # another line: line 3 stays
    assert [e["locator"] for e in store.errors()] == ["line 3"]


def test_events_actors_quotes_reads(store):
    store.add([article()])
    (e,) = store.events(actor="USA")
    assert e["type"] == "ACCUSE" and e["recipient"] == "Nordtel" and e["article"] == "a1"
    assert e["actor_name"] == "United States" and e["actor_country"] == "USA"
    assert e["date"] == "2024-03-05"  # the article's date when the event has none
    assert TEXT[e["span"][0]:e["span"][1]] == e["sentence"]
    assert store.events(type="SANCTION") == [] and store.events(recipient="Nordtel", type="ACCUSE")
    assert store.actors()[0] == {"id": "USA", "name": "United States", "kind": "country", "country": "USA",
                                 "sector": None, "articles": 1, "mentions": 1}
    assert store.actor("USA")["aliases"] == ["États-Unis"]
    assert store.actor("XXX") is None
    (q,) = store.quotes()
    assert TEXT[q["span"][0]:q["span"][1]] == q["text"] and q["direct"] is True


def test_stories_and_membership(store):
    store.add([article("a1", story="s1"), article("a2", source="b.txt", story="s1", published="2024-03-07")])
    n = store.put_stories([Story(id="s1", title="Nordtel", article_ids=["a1", "a2", "not-stored"],
                                 first_published="2024-03-05", last_published="2024-03-07", actors=["USA"])])
    assert n == 1
    (s,) = store.stories()
    assert s["n_articles"] == 2 and s["actors"] == [{"id": "USA", "name": "United States"}]
    assert store.story("s1")["article_ids"] == ["a1", "a2"]
    assert [a["id"] for a in store.story_articles("s1")] == ["a1", "a2"]
    assert store.stories(actor="USA") and not store.stories(actor="JPN")
    assert store.stories(type="ACCUSE") and not store.stories(type="AID")
    assert store.stories(since="2024-03-06") and not store.stories(since="2024-04-01")
    assert store.story("nope") is None


def test_state_blobs(store):
    assert store.state("dedupe") is None
    store.put_state("dedupe", {"format": 1, "entries": [["a", None]]})
    assert store.state("dedupe") == {"format": 1, "entries": [["a", None]]}


def test_articles_listing_and_stats(store):
    store.add([article("a1"), article("a2", source="b.txt", published="2024-03-09", duplicate_of="a1")])
    assert [a["id"] for a in store.articles()] == ["a2", "a1"]
    assert [a["id"] for a in store.articles(originals=True)] == ["a1"]
    assert store.count(since="2024-03-06") == 1
    st = store.stats()
    assert st["articles"] == 2 and st["duplicates"] == 1 and st["languages"] == {"fr": 2}
    assert st["dropped"] == 4 and st["comments"] == 4
    assert store.dropped()[0]["articles"] == 2


def test_interrupted_batch_is_rolled_back(store):
    class Boom:  # not a record: the batch fails half-way
        pass

    with pytest.raises(StoreError):
        store.add([article(), Boom()])
    assert store.stats()["articles"] == 0
    store.add([article()])
    assert store.stats()["articles"] == 1


def test_readonly_store(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "missing.db", readonly=True)
    with open_store(tmp_path / "s.db") as s:
        s.add([article()])
    with open_store(tmp_path / "s.db", readonly=True) as r:
        assert r.count() == 1
        with pytest.raises(StoreError, match="read-only"):
            r.add([article("a2")])


def test_not_a_store(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("ceci n'est pas une base\n" * 100)
    with pytest.raises(StoreError, match="not a veille store"):
        open_store(bad)
    with pytest.raises(StoreError, match="folder"):
        open_store(tmp_path)


def test_closed_store_says_so(tmp_path):
    s = open_store(tmp_path / "c.db")
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.stats()


def test_counts_are_part_of_stats(store):
    store.add([article()])
    counts = store.counts()
    assert counts == {"articles": 1, "stories": 0, "events": 1, "quotes": 1, "actors": 1, "errors": 0,
                      "latest": "2024-03-05", "earliest": "2024-03-05"}
    assert store.stats().items() >= counts.items()


# -- search queries as people type them -----------------------------------------------------------
OTHER = "Moscou et le Kremlin démentent. À Moscou, la presse attend."
THIRD = "Moscou accueille un sommet économique sans incident."


@pytest.mark.parametrize("query, ids", [
    ("moscou -kremlin", ["m2"]),
    ("moscou AND NOT kremlin", ["m2"]),
    ("moscou and not kremlin", ["m2"]),
    ("moscou not kremlin", ["m2"]),
    ("kremlin or sommet", ["m1", "m2"]),
    ("(kremlin OR sommet) -economique", ["m1"]),
    ("etats-unis -kremlin", ["a1"]),
])
def test_search_exclusions_and_lowercase_operators(store, query, ids):
    store.add([article("a1"), article("m1", source="m1.txt", text=OTHER),
               article("m2", source="m2.txt", text=THIRD)])
    assert sorted(h["id"] for h in store.search(query)) == ids
    assert store.search_count(query) == len(ids)


@pytest.mark.parametrize("query, problem", [
    ("huawei AND", "AND needs a term after it"),
    ("NOT allemagne", "NOT needs a term before it"),
    ("a AND OR b", "OR needs a term before it"),
    ("(a OR b", "'(' is not closed"),
    ("a OR b)", "')' has no '('"),
    ("-kremlin", "only leaves words out"),
])
def test_unreadable_queries_say_why_in_one_line(store, query, problem):
    with pytest.raises(QueryError) as info:
        store.search(query)
    assert problem in str(info.value) and "\n" not in str(info.value)


def test_lowercase_operator_words_at_the_edges_are_words():
    assert fts_query("or noir") == '"or" AND "noir"'
    assert fts_query("huawei and not allemagne") == '"huawei" NOT "allemagne"'
    assert fts_query("a b -c -d") == '("a" AND "b") NOT "c" NOT "d"'


def test_store_of_the_version_before_gets_the_content_hash_index(tmp_path):
    path = tmp_path / "old.db"
    with SQLiteStore(path) as store:
        store.conn.execute("DROP INDEX articles_content_hash")
        store.conn.execute("ALTER TABLE event_records DROP COLUMN place")  # added by version 5
        store.conn.execute("PRAGMA user_version = 3")
    with SQLiteStore(path) as store:
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "articles_content_hash" in names
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert store.original_with_hash("nothing") is None
