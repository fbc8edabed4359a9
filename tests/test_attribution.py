"""Attribution of a clause (modality's according_to) on French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import make_resolution

from veille.nlp import lexicon, modality, quotes
from veille.records import CitedSource

ACTORS = {
    "Paul Girard": ("person", ["Paul Girard"]),
    "FRA": ("country", ["France"]),
    "Le Courrier": ("media", ["Le Courrier", "Courrier"]),
}


def attribution_of(nlp, text, lemma):
    doc = nlp(text)
    res = make_resolution(doc, ACTORS)
    res.cited_sources = [CitedSource(name="Le Courrier", span=(m.start, m.end), actor="Le Courrier")
                         for m in res.mentions if m.actor_id == "Le Courrier"]
    lex = lexicon.default()
    qs = quotes.extract(doc, res, None, lexicon=lex)
    pred = next(t for t in doc if t.lemma_ == lemma)
    return modality.classify(pred, res, lex, qs)


@pytest.mark.slow
def test_selon_does_not_reach_back_across_a_paragraph(nlp):
    text = "Paul Girard a signé le décret mardi.\nSelon le Courrier, les négociations reprendront en mai."
    assert attribution_of(nlp, text, "signer") == ("asserted", None)


@pytest.mark.slow
def test_selon_governs_its_sentence(nlp):
    mod, att = attribution_of(nlp, "Selon le Courrier, la France aurait imposé des sanctions.", "imposer")
    assert mod == "hedged" and att.actor == "Le Courrier"


@pytest.mark.slow
def test_according_to_is_never_a_phrase(nlp):
    text = "Paul Girard a démenti les informations selon lesquelles la France aurait imposé des sanctions."
    _mod, att = attribution_of(nlp, text, "imposer")
    assert att is None or (att.name or "") not in ("lesquelles",) and not (att.name or "").startswith("les ")
    text = "« La France a imposé des sanctions », a déclaré un responsable du ministère."
    mod, att = attribution_of(nlp, text, "imposer")
    assert mod == "reported" and att.actor is None and att.name is None


@pytest.mark.slow
def test_speech_of_two_words(nlp):
    mod, att = attribution_of(nlp, "Paul Girard a fait savoir que la France imposera des sanctions.", "imposer")
    assert att is not None and att.actor == "Paul Girard" and mod in ("reported", "planned")


def test_shown_names():
    assert modality._shown("Le Monde") == "Le Monde"
    assert modality._shown("Anne Martin") == "Anne Martin"
    for phrase in ("le communiqué", "Le communiqué", "un dirigeant houthi", "lesquelles",
                   "Toujours d’après les informations issues du site", "la source\n\n"):
        assert modality._shown(phrase) is None, phrase
