"""Cluster stage: online stories, stable ids, fading, state; story views and mirrors."""
from __future__ import annotations

import json

import pytest

from veille.cluster import StoryIndex, mirror_links, run, story_summary
from veille.config import Config
from veille.records import Actor, AnnotatedArticle, CitedSource, Event, Failure, Story, stable_id

PORTS_1 = (
    "Grève dans les ports : les dockers bloquent Le Havre et Marseille",
    (
        "Les dockers de la CGT ont bloqué jeudi les terminaux à conteneurs du Havre et de Marseille "
        "pour protester contre la réforme du statut des ports. Les navires restent à quai et les "
        "armateurs redoutent des pertes importantes. Le ministère des Transports appelle les "
        "syndicats à reprendre la négociation sur le statut des dockers."
    ),
)
PORTS_2 = (
    "Ports bloqués : les dockers maintiennent la pression sur le gouvernement",
    (
        "Au Havre comme à Marseille, les terminaux à conteneurs restaient bloqués vendredi par les "
        "dockers, qui refusent la réforme de leur statut. Les armateurs détournent des navires vers "
        "Anvers. Le ministère des Transports propose une nouvelle réunion aux syndicats des ports."
    ),
)
PORTS_3 = (
    "Les dockers suspendent le blocage des ports après un accord",
    (
        "Les dockers de la CGT ont levé lundi le blocage des terminaux à conteneurs du Havre et de "
        "Marseille après un accord avec le ministère des Transports sur leur statut. Les navires "
        "bloqués à quai reprennent leurs rotations."
    ),
)
# Same actors (the CGT, the ministry of transport), another story.
RAIL = (
    "La CGT et le ministère des Transports s'opposent sur les trains de nuit",
    (
        "La CGT cheminots dénonce la fermeture de lignes de trains de nuit vers les Alpes et les "
        "Pyrénées, faute de voitures-couchettes rénovées. Le ministère des Transports promet un "
        "appel d'offres pour de nouvelles rames et un calendrier de réouverture des lignes "
        "d'ici à l'hiver prochain."
    ),
)


def article(aid: str, pair: tuple[str, str], published: str | None = None, *, actors=(),
            events=(), outlet=None, sources=(), duplicate_of=None) -> AnnotatedArticle:
    title, text = pair
    return AnnotatedArticle(
        id=aid, source=f"{aid}.txt", title=title, text=text, published=published, outlet=outlet,
        actors=[Actor(id=a, name=a) for a in actors], events=list(events),
        cited_sources=[CitedSource(name=s, span=(0, 1)) for s in sources],
        duplicate_of=duplicate_of)


def stories(items) -> dict[str, str]:
    return {a.id: a.story for a in items if isinstance(a, AnnotatedArticle)}


def test_same_story_joins_and_other_story_with_same_actors_does_not():
    actors = ("CGT", "FRA-transport")
    out = stories(run([
        article("p1", PORTS_1, "2024-05-02", actors=actors),
        article("r1", RAIL, "2024-05-02", actors=actors),
        article("p2", PORTS_2, "2024-05-03", actors=actors),
        article("p3", PORTS_3, "2024-05-06", actors=actors),
    ], Config()))
    assert out["p1"] == out["p2"] == out["p3"]
    assert out["r1"] != out["p1"]


def test_story_id_is_the_founders_stable_id_and_order_is_kept():
    f = Failure("x.html", "no body", stage="clean")
    items = [article("p2", PORTS_2, "2024-05-03"), f, article("p1", PORTS_1, "2024-05-02")]
    out = list(run(items, Config()))
    assert out[1] is f and [o.id for o in (out[0], out[2])] == ["p2", "p1"]
    # p1 is published first, so it founds the story whatever the input order.
    assert out[0].story == out[2].story == stable_id("story", "p1")


def test_rerun_gives_same_stories_and_adding_later_never_renames():
    first = [article("p1", PORTS_1, "2024-05-02"), article("r1", RAIL, "2024-05-02")]
    a = stories(run(first, Config()))
    b = stories(run([article("p1", PORTS_1, "2024-05-02"), article("r1", RAIL, "2024-05-02")],
                    Config()))
    assert a == b
    index = StoryIndex.from_config(Config())
    list(run(first, Config(), state=index))
    saved = json.loads(json.dumps(index.to_dict()))
    restored = StoryIndex.from_dict(saved)
    later = stories(run([article("p2", PORTS_2, "2024-05-03"),
                         article("p1", PORTS_1, "2024-05-02")], Config(), state=restored))
    assert later["p2"] == a["p1"] and later["p1"] == a["p1"]
    recs = {s.id: s for s in restored.stories()}
    assert set(recs) == set(a.values())
    assert recs[a["p1"]].article_ids == ["p1", "p2"]
    assert recs[a["p1"]].first_published == "2024-05-02"


def test_story_fades_after_the_window():
    cfg = Config().with_overrides(cluster={"window_days": 7})
    out = stories(run([article("p1", PORTS_1, "2024-05-02"), article("p2", PORTS_2, "2024-05-04"),
                       article("p3", PORTS_3, "2024-06-20")], cfg))
    assert out["p1"] == out["p2"]
    assert out["p3"] != out["p1"]
    wide = stories(run([article("p1", PORTS_1, "2024-05-02"), article("p2", PORTS_2, "2024-05-04"),
                        article("p3", PORTS_3, "2024-06-20")],
                       Config().with_overrides(cluster={"window_days": 60})))
    assert wide["p3"] == wide["p1"]


def test_a_date_given_to_the_month_stands_for_the_whole_month():
    from veille.cluster.index import days_of

    assert days_of("2024-05") == (days_of("2024-05-01")[0], days_of("2024-05-31")[0])
    assert days_of("2024-05-20") == (days_of("2024-05-20")[0],) * 2
    assert days_of("2024") is None and days_of(None) is None
    cfg = Config().with_overrides(cluster={"window_days": 7})
    # "2024-05" may be the 20th: two weeks after the 1st is no gap at all.
    out = stories(run([article("p1", PORTS_1, "2024-05"), article("p2", PORTS_2, "2024-05-20")], cfg))
    assert out["p1"] == out["p2"]
    # A story with a month-dated article counts the whole month among its days.
    out = stories(run([article("p1", PORTS_1, "2024-05"), article("p3", PORTS_3, "2024-06-03")], cfg))
    assert out["p1"] == out["p3"]
    index = StoryIndex.from_config(cfg)
    list(run([article("p1", PORTS_1, "2024-05-02")], cfg, state=index))
    (story,) = index._stories.values()
    dated = index.similarity(*_features(index, PORTS_2, "2024-05-02"), story)
    undated = index.similarity(*_features(index, PORTS_2, None), story)
    assert undated == pytest.approx(dated * (1 - cfg.cluster.fade / 2))  # an unknown gap: the mean fade


def _features(index, pair, published):
    from veille.cluster.index import days_of

    counts, actors, events = index.features(article("x", pair, published))
    return index._vector(counts), actors, events, days_of(published)


def test_duplicate_joins_its_originals_story():
    out = stories(run([article("p1", PORTS_1, "2024-05-02"),
                       article("copy", RAIL, "2024-05-02", duplicate_of="p1")], Config()))
    assert out["copy"] == out["p1"]


def test_candidates_are_blocked_not_all_pairs():
    index = StoryIndex.from_config(Config())
    arts = [article(f"d{k}", (f"sujet{k} theme{k}", f"unique{k} mot{k} chose{k} fait{k}."),
                    f"2024-01-{1 + k % 28:02d}") for k in range(200)]
    list(run(arts, Config(), state=index))
    assert len(index) == 200
    assert index.stats["compared"] < 200  # nothing in common: no story is even scored


def _long_stream(days: int) -> list[AnnotatedArticle]:
    """Three topics taking turns, 20 days each, over ``days`` days, in date order (a topic
    comes back after 40 days of silence: a new story)."""
    from datetime import date, timedelta

    topics = [PORTS_1, RAIL, PORTS_2]
    start = date(2024, 1, 1)
    return [article(f"a{k}", topics[(k // 10) % 3], (start + timedelta(days=k * 2)).isoformat())
            for k in range(days // 2)]


def test_faded_stories_are_closed_and_memory_stays_bounded():
    """Stories older than window_days + late_days are let go (and handed over once), the
    open ones stay about as many as a few weeks hold, and closing changes no assignment."""
    arts = _long_stream(400)
    cfg = Config().with_overrides(cluster={"window_days": 7, "late_days": 10, "batch_size": 20})
    index = StoryIndex.from_config(cfg)
    out = stories(run(arts, cfg, state=index))
    closed = index.take_closed()
    assert closed and index.take_closed() == []
    assert len(index) <= 12  # about 17 days of stories, not the whole year
    assert {s.id for s in closed}.isdisjoint({s.id for s in index.stories()})
    every = closed + index.stories()
    assert sorted(a for s in every for a in s.article_ids) == sorted(out)
    assert {a: s.id for s in every for a in s.article_ids} == out
    # The same stories as an index that never closes anything (input in date order).
    keep_all = Config().with_overrides(cluster={"window_days": 7, "late_days": 100_000, "batch_size": 20})
    assert stories(run(_long_stream(400), keep_all)) == out
    assert len(index.assigned) < 40 and len(index.to_dict()["stories"]) == len(index)


def test_closed_state_round_trips_and_keeps_founding_order():
    arts = _long_stream(120)
    cfg = Config().with_overrides(cluster={"window_days": 7, "late_days": 5, "batch_size": 10})
    index = StoryIndex.from_config(cfg)
    list(run(arts[:40], cfg, state=index))
    restored = StoryIndex.from_dict(json.loads(json.dumps(index.to_dict())), cfg=cfg)
    assert restored.clock == index.clock and len(restored) == len(index)
    both = stories(run(arts[40:], cfg, state=restored))
    whole = StoryIndex.from_config(cfg)
    alone = stories(run(arts, cfg, state=whole))
    assert both == {k: v for k, v in alone.items() if k in both}
    seqs = [st.seq for st in restored._stories.values()]
    assert len(seqs) == len(set(seqs))  # founding order never reused after closing


def test_bad_setting_message():
    from veille.errors import ConfigError
    with pytest.raises(ConfigError, match="cluster.threshold"):
        StoryIndex.from_config(Config().with_overrides(cluster={"threshold": 2.0}))


# -- the five sample articles ---------------------------------------------------------------

def _seed_articles(seeds_dir):
    """The samples through ingest and clean (no nlp): what the cluster stage sees."""
    from veille import clean, ingest
    cfg = Config()
    out = []
    for item in clean.run(ingest.run([str(seeds_dir)], cfg), cfg):
        assert not isinstance(item, Failure), item
        out.append(AnnotatedArticle.from_article(item))
    return out


def test_seed_stories_match_the_gold(seeds_dir, shared_dir):
    gold = json.loads((shared_dir / "eval" / "seeds.gold.json").read_text(encoding="utf-8"))
    arts = _seed_articles(seeds_dir)
    by_stem = {}
    for a in arts:
        stem = a.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        by_stem[stem] = a
    out = stories(run(arts, Config()))
    predicted = {stem: out[a.id] for stem, a in by_stem.items()}
    groups = [sorted(predicted[k] for k in group) for group in gold["stories"]]
    for group in groups:
        assert len(set(group)) == 1, groups  # each gold story is one predicted story
    assert len({g[0] for g in groups}) == len(groups), groups  # and no two are merged


# -- views ----------------------------------------------------------------------------

def test_story_summary_central_title_timeline_and_source_chain():
    e1 = Event(type="PROTEST", span=(0, 10), sentence="Les dockers bloquent.", actor="CGT",
               recipient="GOV", modality="asserted", date="2024-05-02")
    e2 = Event(type="REQUEST", span=(0, 10), sentence="Le ministère appelle.", actor="GOV",
               recipient="CGT", modality="reported", date="2024-05-03")
    arts = [
        article("p2", ("Ports bloqués : les dockers maintiennent le blocage", PORTS_2[1]), "2024-05-03",
                outlet="Le Quotidien", sources=["L'Agence"], events=[e2], actors=["CGT", "GOV"]),
        article("p1", ("Grève : les dockers bloquent les ports", PORTS_1[1]), "2024-05-02",
                outlet="La Gazette", sources=["l’Agence"], events=[e1], actors=["CGT"]),
        article("p3", ("Les ports bloqués par les dockers", PORTS_3[1]), "2024-05-04",
                outlet="La Gazette", sources=["L'Agence"], actors=["CGT"]),
    ]
    s = story_summary(Story(id="s1"), arts)
    assert s["title"] == "Les ports bloqués par les dockers"
    assert [a["id"] for a in s["articles"]] == ["p1", "p2", "p3"]
    assert [e["type"] for e in s["timeline"]] == ["PROTEST", "REQUEST"]
    assert s["timeline"][1]["modality"] == "reported"
    assert s["actors"][0] == {"id": "CGT", "name": "CGT", "kind": "organisation", "country": None,
                              "articles": 3}
    assert s["source_chain"]["phrase"] == "3 articles, 2 outlets, all citing L'Agence"
    # Export dicts work the same as records.
    assert story_summary({"id": "s1"}, [a.export() for a in arts])["title"] == s["title"]


def _ev(actor, recipient, typ="ACCUSE", context=("cyber",), **kw):
    return {"type": typ, "actor": actor, "recipient": recipient, "context": list(context),
            "sentence": f"{actor} {typ} {recipient}", **kw}


def test_mirror_links_swapped_roles_same_charge():
    links = mirror_links({"s1": [_ev("USA", "CHN")], "s2": [_ev("CHN", "USA")]})
    assert len(links) == 1
    m = links[0]
    assert m["type"] == "ACCUSE" and m["level"] == "actor" and m["context"] == ["cyber"]
    assert {m["a"]["story"], m["b"]["story"]} == {"s1", "s2"}


def test_mirror_links_roll_up_to_country():
    links = mirror_links({
        "s1": [_ev("USA", "Huawei", recipient_country="CHN")],
        "s2": [_ev("CHN", "USA")],
    })
    assert len(links) == 1 and links[0]["level"] == "country"
    assert sorted(links[0]["sides"]) == ["CHN", "USA"]
    # The country may come from a separate table too.
    again = mirror_links({"s1": [_ev("USA", "Huawei")], "s2": [_ev("CHN", "USA")]},
                         countries={"Huawei": "CHN"})
    assert len(again) == 1


def test_mirror_links_negative_cases():
    assert mirror_links({"s1": [_ev("USA", "CHN")], "s2": [_ev("USA", "CHN")]}) == []  # no swap
    assert mirror_links({"s1": [_ev("USA", "CHN")],
                         "s2": [_ev("CHN", "USA", typ="SANCTION")]}) == []  # other charge
    assert mirror_links({"s1": [_ev("USA", "CHN", context=["trade"])],
                         "s2": [_ev("CHN", "USA", context=["cyber"])]}) == []  # other context
    assert mirror_links({"s1": [_ev("USA", "CHN"), _ev("CHN", "USA")]}) == []  # same story
