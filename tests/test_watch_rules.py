"""Watchlist rules over annotated articles, feeds files and alert sinks (no network, no model)."""
from __future__ import annotations

import json

import pytest

from veille.errors import ConfigError
from veille.records import Actor, AnnotatedArticle, Event, Quote
from veille.text import fold_search
from veille.watch import parse_duration
from veille.watch.alerts import FileSink, format_alert, make_alert
from veille.watch.feeds import load_feeds, parse_feed
from veille.watch.rules import load_watchlist, match_article, rules_from_data

TEXT = ("Le gouvernement français accuse l’opérateur Télécomia d’espionnage industriel. "
        "Selon Le Quotidien, Paris envisagerait des sanctions. "
        "« Nous ne céderons pas », a déclaré Jeanne Martin, porte-parole de Télécomia.")


def _span(sub: str) -> tuple[int, int]:
    i = TEXT.index(sub)
    return (i, i + len(sub))


def article(**kw) -> AnnotatedArticle:
    s1 = "Le gouvernement français accuse l’opérateur Télécomia d’espionnage industriel."
    s2 = "Selon Le Quotidien, Paris envisagerait des sanctions."
    base = {
        "id": "a1", "source": "http://exemple.test/a1", "text": TEXT, "url": "http://exemple.test/a1", "lang": "fr",
        "title": "Paris accuse Télécomia", "outlet": "Le Quotidien", "story": "s1",
        "actors": [Actor(id="FRA", name="France", kind="country", aliases=["Paris", "gouvernement français"],
                      mentions=[_span("gouvernement français"), _span("Paris")]),
                Actor(id="Télécomia", name="Télécomia", kind="company", mentions=[_span("Télécomia")]),
                Actor(id="Jeanne Martin", name="Jeanne Martin", kind="person", mentions=[_span("Jeanne Martin")])],
        "events": [Event(type="ACCUSE", span=_span(s1), sentence=s1, actor="FRA", recipient="Télécomia",
                      context=["cyber"], modality="asserted"),
                Event(type="SANCTION", span=_span(s2), sentence=s2, actor="FRA", recipient="Télécomia",
                      modality="hedged")],
        "quotes": [Quote(text="Nous ne céderons pas", span=_span("Nous ne céderons pas"), speaker="Jeanne Martin",
                      speaker_name="Jeanne Martin")],
    }
    base.update(kw)
    return AnnotatedArticle(**base)


def names(matches):
    return sorted((m.rule, m.level) for m in matches)


def test_event_rules_by_side_type_modality_and_alias():
    rules = rules_from_data([
        {"name": "contre telecomia", "recipient": ["telecomia"]},  # no accent, lower case
        {"name": "paris agit", "actor": ["Paris"], "events": ["sanction"]},  # alias, type in lower case
        {"name": "hedged", "actors": ["FRA"], "modality": ["hedged"]},
        {"name": "inverse", "actor": ["Télécomia"]},
        {"name": "cyber", "context": ["CYBER"]},
    ])
    found = match_article(rules, article(), new_story=False)
    assert names(found) == [("contre telecomia", "event"), ("contre telecomia", "event"),
                            ("cyber", "event"), ("hedged", "event"), ("paris agit", "event")]
    m = next(m for m in found if m.rule == "paris agit")
    assert m.evidence.startswith("Selon Le Quotidien") and m.event["type"] == "SANCTION"
    assert TEXT[m.span[0]:m.span[1]] == m.evidence


def test_keywords_accent_insensitive_whole_words():
    rules = rules_from_data([
        {"name": "espion", "keywords": ["ESPIONNAGE"]},
        {"name": "partiel", "keywords": ["espion"]},  # not a whole word here
        {"name": "ceder", "keywords": ["cederons"]},
        {"name": "event+kw", "events": ["ACCUSE"], "keywords": ["industriel"]},
        {"name": "event+kw absent", "events": ["SANCTION"], "keywords": ["industriel"]},
    ])
    found = {m.rule: m for m in match_article(rules, article(), new_story=False)}
    assert set(found) == {"espion", "ceder", "event+kw"}
    assert found["espion"].evidence.startswith("Le gouvernement français accuse")
    assert found["ceder"].evidence.startswith("« Nous ne céderons pas »")
    assert fold_search("Élysée d’été") == "elysee d'ete"


def test_speakers_languages_mentions_and_new_story():
    rules = rules_from_data([
        {"name": "martin", "speakers": ["jeanne martin"]},
        {"name": "anglais", "keywords": ["Paris"], "languages": ["en"]},
        {"name": "nouvelle histoire", "new_story": True, "mentions": ["Télécomia"]},
        {"name": "absent", "new_story": True, "mentions": ["Berlin"]},
    ])
    assert names(match_article(rules, article(), new_story=False)) == [("martin", "quote")]
    found = match_article(rules, article(), new_story=True)
    assert names(found) == [("martin", "quote"), ("nouvelle histoire", "article")]


def test_keys_stable_across_edits_and_duplicates_skipped():
    rules = rules_from_data([{"name": "r", "events": ["ACCUSE"]}])
    first = match_article(rules, article(), new_story=False)
    edited = match_article(rules, article(id="a1-v2"), new_story=False)  # same URL, new content id
    assert [m.key for m in first] == [m.key for m in edited]
    assert match_article(rules, article(duplicate_of="a0"), new_story=False) == []
    keep = rules_from_data([{"name": "r", "events": ["ACCUSE"], "duplicates": True}])
    assert len(match_article(keep, article(duplicate_of="a0"), new_story=False)) == 1


@pytest.mark.parametrize("data, message", [
    ([{"events": ["ACCUSE"]}], "needs a 'name'"),
    ([{"name": "x", "events": ["ACCUSER"]}], "unknown event type"),
    ([{"name": "x", "modality": ["sure"]}], "unknown modality"),
    ([{"name": "x"}], "no condition"),
    ([{"name": "x", "acteur": ["FRA"]}], "unknown key"),
    ([{"name": "x", "events": ["ACCUSE"], "speakers": ["a"]}], "events or quotes"),
    ([{"name": "x", "keywords": ["a"]}, {"name": "x", "keywords": ["b"]}], "unique"),
    ({"regles": []}, "list of rules"),
])
def test_bad_watchlists_say_what_to_fix(data, message):
    with pytest.raises(ConfigError, match=message):
        rules_from_data(data)


def test_watchlist_file(tmp_path):
    p = tmp_path / "veille.yaml"
    p.write_text("rules:\n  - name: sanctions\n    events: [SANCTION]\n    recipient: [Télécomia]\n",
                 encoding="utf-8")
    rules = load_watchlist(p)
    assert rules[0].name == "sanctions" and rules[0].level == "event"
    (tmp_path / "bad.yaml").write_text("- name: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml: not valid YAML"):
        load_watchlist(tmp_path / "bad.yaml")


def test_feeds_text_and_yaml(tmp_path):
    text = tmp_path / "feeds.txt"
    text.write_text("# mes flux\nhttps://exemple.test/rss.xml\n\nhttp://autre.test/feed  # commentaire\n"
                    "https://exemple.test/rss.xml\n", encoding="utf-8")
    assert [f.url for f in load_feeds(text)] == ["https://exemple.test/rss.xml", "http://autre.test/feed"]
    yml = tmp_path / "feeds.yaml"
    yml.write_text("- https://exemple.test/rss.xml\n- url: https://exemple.test/dossier.html\n  kind: page\n"
                   "  name: Dossier\n", encoding="utf-8")
    feeds = load_feeds(yml)
    assert [(f.kind, f.name) for f in feeds] == [("feed", None), ("page", "Dossier")]
    bad = tmp_path / "bad.txt"
    bad.write_text("exemple.test/rss\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        load_feeds(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("# rien\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no feed URL"):
        load_feeds(empty)


def test_parse_feed_entries_and_errors():
    rss = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Le Quotidien</title>"
           "<item><title>Un titre</title><link>http://exemple.test/a1</link><guid>a1</guid>"
           "<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate><description>Résumé de l’article.</description></item>"
           "<item><title>Sans lien</title></item></channel></rss>").encode()
    entries, error = parse_feed(rss, url="http://exemple.test/rss")
    assert error is None and len(entries) == 1
    e = entries[0]
    assert (e.link, e.key, e.published, e.outlet) == ("http://exemple.test/a1", "http://exemple.test/a1", "2026-11-02",
                                                          "Le Quotidien")
    assert "Résumé" in e.content
    changed, _ = parse_feed(rss.replace("Résumé".encode(), b"Nouveau"), url="http://exemple.test/rss")
    assert changed[0].fingerprint != e.fingerprint
    assert parse_feed(b"<html><body>pas un flux</body></html>", url="u")[1].startswith("not an RSS/Atom feed")


def test_alert_file_sink(tmp_path):
    rules = rules_from_data([{"name": "r", "events": ["ACCUSE"]}])
    match = match_article(rules, article(), new_story=False)[0]
    alert = make_alert(match, article(), created="2026-11-23T08:00:00+00:00")
    sink = FileSink(tmp_path / "sub" / "alerts.jsonl")
    assert sink.send(alert) is None
    line = json.loads((tmp_path / "sub" / "alerts.jsonl").read_text(encoding="utf-8"))
    assert line["rule"] == "r" and line["event"]["recipient"] == "Télécomia" and line["story"] == "s1"
    assert "FRA ACCUSE Télécomia" in format_alert(alert)


def test_parse_duration():
    assert [parse_duration(x) for x in ("30s", "15m", "1h", "2", "1.5h")] == [30, 900, 3600, 2, 5400]
    with pytest.raises(ConfigError, match="15m"):
        parse_duration("quinze minutes")


def test_alerts_command_lists_what_was_raised(tmp_path):
    from typer.testing import CliRunner

    from veille.cli import app
    from veille.store import open_store
    from veille.store.watchstate import WatchState

    db = tmp_path / "v.db"
    with open_store(db):
        pass
    runner = CliRunner()
    empty = runner.invoke(app, ["alerts", "--db", str(db)])
    assert empty.exit_code == 0 and "no alert raised yet" in empty.output
    rules = rules_from_data([{"name": "r", "events": ["ACCUSE"]}])
    match = match_article(rules, article(), new_story=False)[0]
    with open_store(db) as store:
        assert WatchState(store.conn).add_alert(match.key, make_alert(match, article(), created="2026-11-23T08:00"))
        assert not WatchState(store.conn).add_alert(match.key, make_alert(match, article(), created="later"))
    listed = runner.invoke(app, ["alerts", "--db", str(db)])
    assert listed.exit_code == 0 and "[r] FRA ACCUSE Télécomia" in listed.output
    as_json = runner.invoke(app, ["alerts", "--db", str(db), "--json", "--rule", "r"])
    assert [json.loads(x)["id"] for x in as_json.output.splitlines()] == [match.key]
