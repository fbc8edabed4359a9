"""Actors the parser cuts off from their verb: rules of nlp/roles.py `agents`, on French
sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import event_triples, make_resolution

from veille.nlp import lexicon, roles

ACTORS = {
    "USA": ("country", ["États-Unis", "Maison-Blanche", "Washington"]),
    "FRA": ("country", ["France", "Paris"]),
    "RUS": ("country", ["Russie", "Moscou"]),
    "NER": ("country", ["Niger", "Niamey"]),
}


def _agents_of(nlp, text: str, word: str) -> list[str]:
    doc = nlp(text)
    res = make_resolution(doc, ACTORS)
    tok = next(t for t in doc if t.text == word)
    return [m.actor_id for m in roles.agents(tok, res, lexicon.default())[0]]


def test_an_infinitive_hung_on_the_object_of_the_one_before(nlp):
    # the parser joins "de sanctionner" to "l'ambassadeur", the first infinitive's object
    text = "Paris a choisi de convoquer l'ambassadeur russe et de sanctionner Moscou."
    doc = nlp(text)
    assert next(t for t in doc if t.text == "sanctionner").head.text == "ambassadeur"
    assert _agents_of(nlp, text, "sanctionner") == ["FRA"]
    assert ("SANCTION", "FRA", "RUS") in event_triples(nlp, text, ACTORS)


def test_a_subject_hung_on_the_adjunct_before_it(nlp):
    # "la Maison-Blanche" parsed as a conjunct of "le tir": the verb after it has no subject
    text = ("Condamnant «avec force» le nouveau tir, la Maison-Blanche a assuré que les États-Unis "
            "prendraient des mesures.")
    doc = nlp(text)
    assert not any(c.dep_.startswith("nsubj") for c in next(t for t in doc if t.text == "assuré").children)
    assert _agents_of(nlp, text, "assuré") == ["USA"]
    assert _agents_of(nlp, text, "Condamnant") == ["USA"]


def test_no_subject_taken_from_a_phrase_that_is_not_set_off(nlp):
    # an object right before a verb is no subject of it
    text = "Le tir de la Russie a été condamné."
    assert _agents_of(nlp, text, "condamné") == []


def test_the_copula_subject_parsed_as_the_root(nlp):
    # "Le Niger" parsed as the root, "pays" (with its copula) as its conjunct
    text = "Le Niger, théâtre de deux coups d'Etat en trois ans, est le deuxième pays de la région à sanctionner Paris."
    doc = nlp(text)
    pays = next(t for t in doc if t.text == "pays")
    assert pays.dep_ == "conj" and pays.head.text == "Niger"
    assert _agents_of(nlp, text, "sanctionner") == ["NER"]
    assert ("SANCTION", "NER", "FRA") in event_triples(nlp, text, ACTORS)


def test_a_speech_verb_that_adds_an_act(nlp):
    # "ajouter" is a speech verb ("a-t-il ajouté"), but with an act noun as its object the
    # subject adds that act
    ACTS = {"CHN": ("country", ["Chine", "Pékin"]), "DEU": ("country", ["Allemagne"])}
    text = "Pékin veut ajouter une surtaxe sur les voitures de l'Allemagne."
    assert ("SANCTION", "CHN", "DEU") in event_triples(nlp, text, ACTS)


def test_an_act_noun_parsed_as_a_second_subject(nlp):
    # "les sanctions" parsed as a second subject of "durci", after it: the verb's object,
    # so the act of the subject before the verb
    text = "Les États-Unis ont durci les sanctions contre la Russie."
    doc = nlp(text)
    assert next(t for t in doc if t.text == "sanctions").dep_ == "nsubj"
    assert ("SANCTION", "USA", "RUS") in event_triples(nlp, text, ACTORS)


def test_a_verb_tagged_as_a_noun_carries_the_act(nlp):
    # "procédé" tagged as a noun, with its own tense auxiliary: still the verb that carries
    # the exchange, done by the announcer
    text = "La France a annoncé de son côté avoir procédé à un échange avec la Russie de 50 prisonniers."
    doc = nlp(text)
    assert next(t for t in doc if t.text == "procédé").pos_ == "NOUN"
    assert ("CONCEDE", "FRA", "RUS") in event_triples(nlp, text, ACTORS)


def test_a_gerund_parsed_as_an_oblique(nlp):
    # "En imposant…" hung as an oblique of "espère", not as an adverbial clause: the
    # gerund's subject is still the clause's
    acts = {**ACTORS, "EU": ("igo", ["Union européenne"])}
    text = "En imposant de nouvelles sanctions à la Russie, l'Union européenne espère affaiblir Moscou."
    doc = nlp(text)
    assert next(t for t in doc if t.text == "imposant").dep_ == "obl:mod"
    assert ("SANCTION", "EU", "RUS") in event_triples(nlp, text, acts)


@pytest.mark.parametrize("text", [
    "Quant à la Russie, elle a menacé Paris de représailles.",
    "Du côté de Moscou, on a menacé Paris de représailles.",
])
def test_a_topic_named_before_a_subject_pronoun(nlp, text):
    assert ("THREATEN", "RUS", "FRA") in event_triples(nlp, text, ACTORS)
