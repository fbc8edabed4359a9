"""bench/eval_gold.py: misses grouped by cause, extras, and the scorer's figures.

The fast tests use a tiny gold file and export written here, with a hand-made parse (no
spaCy model); the slow one runs the whole script on two articles written here.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import SCORE

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import eval_gold
import gold_rules

from veille.nlp import lexicon

TEXT = ("Le Brésil accuse l'Argentine d'espionnage. Le Chili a signé un accord avec le Pérou. "
        "La Bolivie a rencontré l'Uruguay. « Nous avons des preuves », a dit le ministre.")
LEMMAS = {"accuse": "accuser", "signé": "signer", "rencontré": "rencontrer", "avons": "avoir", "dit": "dire"}


def parse(text: str) -> list[eval_gold.Sentence]:
    """Sentences at '. ', tokens as words, lemmas from a small table: enough for the test."""
    out, start = [], 0
    for m in re.finditer(r"[^.]+\.(?:\s|$)|[^.]+$", text):
        s, e = m.start(), m.end()
        toks = [eval_gold.Token(s + w.start(), s + w.end(), w.group(), LEMMAS.get(w.group(), w.group().lower()))
                for w in re.finditer(r"\w+", m.group())]
        out.append(eval_gold.Sentence(s, e, text[s:e].strip(), toks))
        start = e
    assert start == len(text)
    return out


def actor(aid: str, name: str) -> dict:
    spans = [[m.start(), m.end()] for m in re.finditer(re.escape(name), TEXT)]
    return {"id": aid, "name": name, "kind": "country", "country": aid, "aliases": [], "mentions": spans}


def sentence_span(word: str) -> list[int]:
    s = next(s for s in parse(TEXT) if word in s.text)
    return [s.start, s.start + len(s.text)]


def event(etype: str, a: str, r: str, word: str, trigger: str, modality: str = "asserted") -> dict:
    span = sentence_span(word)
    at = TEXT.index(trigger)
    return {"type": etype, "actor": a, "recipient": r, "modality": modality, "according_to": None,
            "span": span, "sentence": TEXT[span[0]:span[1]], "trigger": trigger,
            "trigger_span": [at, at + len(trigger)]}


GOLD = {
    "groups": {"BRA": ["BRA", "Brésil", "Brasilia"]},
    "articles": {
        "a1": {
            "actors": [["@BRA"], ["ARG"], ["COL", "Colombie"]],
            "cited_sources": [["Reuters"]],
            "events": [
                {"actor": ["@BRA"], "type": ["ACCUSE"], "recipient": ["ARG"], "modality": "asserted"},
                {"actor": ["CHL"], "type": ["AGREE"], "recipient": ["PER"]},
                {"actor": ["BOL"], "type": ["CONSULT"], "recipient": ["URY"]},
                {"actor": ["ECU"], "type": ["SANCTION"], "recipient": ["COL"]},
                {"actor": ["CHL"], "type": ["ASSAULT"], "recipient": ["PER"]},
                {"actor": ["*"], "type": ["PROTEST"], "optional": True},
            ],
            "quotes": [
                {"speaker": ["@BRA"], "starts": "Nous avons des preuves"},
                {"speaker": ["ARG"], "starts": "Rien de tout cela"},
            ],
        },
        "a2": {"actors": [["ARG"]]},
    },
}

RECORD = {
    "id": "x1", "source": "in/a1.txt", "url": None, "text": TEXT,
    "actors": [actor("BRA", "Brésil"), actor("ARG", "Argentine"), actor("CHL", "Chili"), actor("PER", "Pérou"),
               actor("BOL", "Bolivie"), actor("URY", "Uruguay"), actor("PRY", "Paraguay")],
    "events": [
        event("ACCUSE", "BRA", "ARG", "Brésil", "accuse", modality="hedged"),
        event("CONSULT", "BOL", "PRY", "Bolivie", "rencontré"),
    ],
    "quotes": [
        {"speaker": "ARG", "speaker_name": "Argentine", "text": "Nous avons des preuves", "direct": True},
        {"speaker": "BRA", "speaker_name": "le ministre", "text": "Autre chose", "direct": False},
    ],
    "cited_sources": [{"name": "Reuters", "actor": None}, {"name": "des sources proches", "actor": None}],
}


@pytest.fixture(scope="module")
def analysis() -> eval_gold.Analysis:
    return eval_gold.analyse(GOLD, [RECORD], parse=parse, lex=lexicon.load())


def by_cause(analysis: eval_gold.Analysis, part: str) -> dict[str, list[eval_gold.Miss]]:
    out: dict[str, list[eval_gold.Miss]] = {}
    for m in analysis.misses:
        if m.part == part:
            out.setdefault(m.cause, []).append(m)
    return out


def test_missed_events_are_grouped_by_cause(analysis):
    causes = by_cause(analysis, "events")
    assert [m.what for m in causes["wrong recipient"]] == ["BOL CONSULT URY"]
    assert "BOL CONSULT PRY" in causes["wrong recipient"][0].detail
    assert [m.what for m in causes["trigger without actor"]] == ["CHL AGREE PER"]
    assert "signé" in causes["trigger without actor"][0].detail
    assert [m.what for m in causes["no trigger"]] == ["CHL ASSAULT PER"]
    assert [m.what for m in causes["actor not resolved"]] == ["ECU SANCTION COL"]
    assert [m.what for m in causes["attribution"]] == ["@BRA ACCUSE ARG [asserted]"]
    assert "hedged" in causes["attribution"][0].detail


def test_extra_event_is_grouped_by_type_and_gold_relation(analysis):
    extras = {c: [m.what for m in ms] for c, ms in by_cause(analysis, "events").items() if c.startswith("extra")}
    assert extras == {"extra: only the actor in the gold: CONSULT": ["BOL CONSULT PRY"]}


def test_quotes_sources_actors(analysis):
    quotes = by_cause(analysis, "quotes")
    assert [m.what for m in quotes["found, wrong speaker"]] == ["@BRA: Nous avons des preuves"]
    assert [m.what for m in quotes["no quote found"]] == ["ARG: Rien de tout cela"]
    assert [m.what for m in quotes["extra: indirect"]] == ["BRA ('le ministre'): Autre chose"]
    sources = by_cause(analysis, "sources")
    assert "missed" not in sources
    assert [m.what for m in sources["found, not gold"]] == ["'des sources proches' (actor None)"]
    actors = by_cause(analysis, "actors")
    assert [m.what for m in actors["not found"]] == ["COL"]
    assert [m.article for m in by_cause(analysis, "articles")["not in export"]] == ["a2"]
    assert analysis.counts()["events"] == {"wrong recipient": 1, "trigger without actor": 1, "no trigger": 1,
                                           "actor not resolved": 1, "attribution": 1, "extra": 1}


def test_figures_follow_the_scorer():
    figures = gold_rules.score(GOLD, [RECORD])
    assert figures["articles_found"] == 1
    assert figures["event_recall"] == 0.2  # 1 of 5 required (the optional one is not counted)
    assert figures["event_precision"] == 0.5
    assert figures["event_modality_acc"] == 0.0
    assert figures["quote_recall"] == 0.0 and figures["quote_precision"] == 0.5
    assert figures["cited_source_recall"] == 1.0
    assert figures["actor_recall"] == 0.667
    if SCORE.is_file():  # the scorer itself, when it is beside the project
        spec = importlib.util.spec_from_file_location("shared_score", SCORE)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        assert mod.score(GOLD, [RECORD])[0] == figures


@pytest.mark.slow
def test_script_end_to_end(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "b1.txt").write_text("Pékin accuse Washington\n\nLa Chine accuse les États-Unis d'espionnage "
                                "industriel depuis plusieurs années.\n", encoding="utf-8")
    (src / "b2.txt").write_text("Sommet\n\nLe Japon et la Corée du Sud ont tenu un sommet à Tokyo mardi, "
                                "a indiqué le gouvernement japonais.\n", encoding="utf-8")
    gold = {"groups": {}, "articles": {
        "b1": {"actors": [["CHN"], ["USA"]], "events": [{"actor": ["CHN"], "type": ["ACCUSE"], "recipient": ["USA"]}]},
        "b2": {"actors": [["JPN"]], "events": [{"actor": ["JPN"], "type": ["ASSAULT"], "recipient": ["KOR"]}]},
    }}
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps(gold), encoding="utf-8")
    assert eval_gold.main([str(gold_file), str(src), "--json", "--db", str(tmp_path / "e.db")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(last)
    assert result["event_recall"] == 0.5 and result["actor_recall"] == 1.0
    assert result["causes"]["events"] == {"no trigger": 1}
    assert [d["what"] for d in result["details"]] == ["JPN ASSAULT KOR"]
    assert (tmp_path / "e.db").is_file()
