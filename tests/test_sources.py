"""Cited sources on French sentences written for these tests."""
from __future__ import annotations

import pytest

from veille.nlp import actors as actorsmod
from veille.nlp import dictionary, sources


@pytest.fixture(scope="module")
def lex():
    return dictionary.default()


def cited(nlp, lex, text, outlet="Le Quotidien"):
    doc = nlp(text)
    res = actorsmod.resolve_actors(doc, lex, outlet=outlet, sources=False)
    found = sources.find(doc, res, lex, outlet=outlet)
    for c in found:
        assert c.span[1] > c.span[0]
    return [c.actor or c.name for c in found]


@pytest.mark.slow
@pytest.mark.parametrize(("outlet", "expected"), [
    ("Le Quotidien", ["Reuters"]),
    ("Le Quotidien (Reuters)", ["Reuters"]),  # the outlet republishes the agency's text
    ("Reuters", []),  # the agency's own text
    (None, []),  # outlet unknown: the dateline's agency is taken for it
])
def test_dateline_agency(nlp, lex, outlet, expected):
    text = "Menu du site\n\nLONDRES (Reuters) - Les prix de l'énergie ont encore monté mardi."
    assert cited(nlp, lex, text, outlet=outlet) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Les prix ont encore monté mardi. (AFP)",
    "Les prix ont encore monté mardi.\n\nAvec AFP",
    "Les prix ont encore monté mardi.\n\nAgence France-Presse",
    "(AFP) Les prix ont encore monté mardi.",
])
def test_wire_credits(nlp, lex, text):
    assert cited(nlp, lex, text) == ["AFP"]


@pytest.mark.slow
def test_credit_in_parentheses_must_be_an_outlet(nlp, lex):
    assert cited(nlp, lex, "Les prix ont encore monté mardi. (Lyon)") == []


@pytest.mark.slow
def test_copyright_and_unknown_outlet_after_a_report_verb(nlp, lex):
    assert cited(nlp, lex, "Les prix ont monté.\n\n[Copyright Nordpress Ltd.]") == ["Nordpress"]
    assert cited(nlp, lex, "Les ministres ont signé l'accord, rapporte Nordpress.") == ["Nordpress"]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Les discussions continueront, a indiqué à l'AFP un responsable.", ["AFP"]),
    ("Interrogé par Reuters, le ministre a refusé de commenter.", ["Reuters"]),
    ("Contacté par Le Monde et France Info, le ministère n'a pas répondu.", ["Le Monde", "France Info"]),
    ("Des tirs ont été entendus près du port, selon des journalistes de l'AFP.", ["AFP"]),
    ("Le bilan atteint quarante morts, selon un décompte de l'AFP.", ["AFP"]),
    ("Les manifestants ont arraché la plaque, a constaté un journaliste de l'AFP.", ["AFP"]),
    ("Selon le ministère de la Santé, le bilan s'élève à quarante morts.", ["ministère de la Santé"]),
])
def test_outlets_and_institutions_cited(nlp, lex, text, expected):
    assert cited(nlp, lex, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    # an actor's own statement is the actor speaking
    "Selon un communiqué du ministère des Affaires étrangères, le sommet est reporté.",
    # an anaphora names no new source
    "Les prix montent. Selon la même source, la baisse viendra en mai.",
    # a person or a country is a speaker, not a cited source
    "Selon Moscou, les sanctions sont illégales.",
    "« Nous ne céderons pas », a déclaré Lina Ortega.",
    # the venue of an interview
    "Le ministre a affirmé sur France Info que la réforme serait votée.",
])
def test_not_cited_sources(nlp, lex, text):
    assert cited(nlp, lex, text) == []
