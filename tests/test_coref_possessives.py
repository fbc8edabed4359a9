"""Coreference of generic descriptions: a possessive before a state noun ("son pays",
"son gouvernement") stands for the possessor's state; a capital named as a meeting place
is no antecedent of "le pays". French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import resolved, resolved_triples

from veille.nlp import dictionary


@pytest.fixture(scope="module")
def lex():
    return dictionary.default()


def resolve(nlp, lex, text):
    return resolved(nlp, lex, text)


def linked(nlp, lex, text):
    """{mention text: actor} of the coreference mentions."""
    _, res = resolve(nlp, lex, text)
    return {m.text: m.actor_id for m in res.mentions if m.via == "coref"}


def triples(nlp, lex, text):
    return resolved_triples(nlp, lex, text)


@pytest.mark.slow
def test_possessive_country_of_the_speaking_minister(nlp, lex):
    text = ("Le ministre sénégalais Amadou Fall a annoncé mardi que son pays avait rompu ses relations "
            "diplomatiques avec la Guinée.")
    assert linked(nlp, lex, text).get("son pays") == "SEN"


@pytest.mark.slow
def test_possessive_opening_a_sentence_takes_up_the_previous_subject(nlp, lex):
    text = ("Le président sénégalais Amadou Fall a téléphoné à son homologue malien. "
            "Son gouvernement a ensuite condamné l'attaque de la Guinée.")
    assert linked(nlp, lex, text).get("Son gouvernement") == "SEN"
    assert ("ACCUSE", "SEN", "GIN") in triples(nlp, lex, text)


@pytest.mark.slow
def test_possessive_of_a_country_and_its_army(nlp, lex):
    text = "La Pologne et son armée ont dénoncé les manœuvres de la Biélorussie."
    assert linked(nlp, lex, text).get("son armée") == "POL"


@pytest.mark.slow
def test_no_possessive_link_when_another_state_stands_between(nlp, lex):
    # "son" could be either state's: no link
    assert "son pays" not in linked(nlp, lex, "La Pologne a accusé la Biélorussie de menacer son pays.")


@pytest.mark.slow
def test_no_possessive_link_with_a_complement_or_no_state(nlp, lex):
    assert "son pays" not in linked(nlp, lex, "Le chanteur malien Amadou Fall a retrouvé son pays d'origine.")
    # the possessor is an organisation: no state
    assert "ses dirigeants" not in linked(nlp, lex, "Le Hamas a été critiqué par ses dirigeants.")
    # a singular head that is a title is a person, not the state
    assert "son dirigeant" not in linked(nlp, lex, "La Guinée a salué son dirigeant.")


@pytest.mark.slow
def test_a_capital_named_as_a_meeting_place_is_no_antecedent_of_le_pays(nlp, lex):
    text = ("Le président nigérien a été renversé la semaine dernière. Les dirigeants de la Cédéao, réunis "
            "dimanche à Dakar, ont fixé un ultimatum d'une semaine pour le retour à l'ordre constitutionnel "
            "dans le pays.")
    assert linked(nlp, lex, text).get("le pays") == "NER"
    assert ("THREATEN", "ECOWAS", "NER") in triples(nlp, lex, text)


@pytest.mark.slow
def test_demonstrative_institution_is_the_state_named_with_that_noun(nlp, lex):
    text = "La junte malienne a expulsé l'ambassadeur de France. Paris a rétorqué que cette junte était illégitime."
    assert linked(nlp, lex, text).get("cette junte") == "MLI"
    assert ("ACCUSE", "FRA", "MLI") in triples(nlp, lex, text)


@pytest.mark.slow
def test_plural_authorities_are_the_state_named_with_them(nlp, lex):
    text = ("Les autorités maliennes ont expulsé un diplomate. Ces autorités ont aussi accusé la France "
            "d'ingérence.")
    assert linked(nlp, lex, text).get("Ces autorités") == "MLI"
    assert ("ACCUSE", "MLI", "FRA") in triples(nlp, lex, text)


@pytest.mark.slow
def test_demonstrative_institution_of_two_states_is_no_one(nlp, lex):
    text = ("Le gouvernement malien a rompu avec le gouvernement ivoirien. Paris a jugé que ce gouvernement "
            "était illégitime.")
    assert "ce gouvernement" not in linked(nlp, lex, text)


@pytest.mark.slow
def test_no_possessive_link_inside_a_quote(nlp, lex):
    text = ("Le président sénégalais Amadou Fall a reçu la presse. « Son gouvernement a menti sur tout », "
            "a déclaré un opposant.")
    assert "Son gouvernement" not in linked(nlp, lex, text)
