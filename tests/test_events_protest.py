"""Protests: who protests and against whom. French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import resolved_triples

from veille.nlp import actors as actorsmod
from veille.nlp import dictionary, events
from veille.records import Article


@pytest.fixture(scope="module")
def lex():
    return dictionary.default(())


def _events(nlp, lex, text):
    return resolved_triples(nlp, lex, text, with_quotes=False, published=None)


def _protests(nlp, lex, text):
    return {e for e in _events(nlp, lex, text) if e[0] == "PROTEST"}


def test_a_protest_at_the_edge_of_a_meeting_aims_at_its_owner(nlp, lex):
    found = _protests(nlp, lex, "Des milliers de personnes sont attendues lundi à Vilnius pour une manifestation "
                                "d'étudiants, en marge d'une réunion des ministres de l'OTAN.")
    assert ("PROTEST", "étudiants", "NATO") in found


def test_a_protest_before_a_seat_aims_at_its_owner(nlp, lex):
    found = _protests(nlp, lex, "Les syndicats ont manifesté mardi devant le siège de Renault à Boulogne.")
    assert ("PROTEST", "syndicats", "Renault") in found
    found = _protests(nlp, lex, "Les étudiants ont organisé un rassemblement devant l'ambassade de Russie à Paris.")
    assert ("PROTEST", "étudiants", "RUS") in found


def test_a_place_that_is_no_seat_names_no_target(nlp, lex):
    found = _protests(nlp, lex, "Les syndicats ont manifesté mardi devant la gare de Lyon, à l'appel de la CGT.")
    assert all(r is None for _, _, r in found)


def test_an_expected_protest_is_planned(nlp, lex):
    text = "Des cars sont attendus samedi à Genève pour une manifestation d'étudiants devant le siège de l'OMS."
    doc = nlp(text)
    res = actorsmod.resolve_actors(doc, lex)
    found = [e for e in events.extract(doc, res, [], Article(id="t", source="t", text=text)) if e.type == "PROTEST"]
    assert [(e.actor, e.recipient, e.modality) for e in found] == [("étudiants", "WHO", "planned")]


def test_who_joins_a_protest_told_before_protests_against_its_target(nlp, lex):
    text = ("Les étudiants ont manifesté mardi devant le siège de Renault à Boulogne. "
            "La CGT participe aussi à cette manifestation, qui se poursuivra mercredi.")
    found = _protests(nlp, lex, text)
    assert ("PROTEST", "CGT", "Renault") in found
    found = _protests(nlp, lex, "Les étudiants ont manifesté devant le siège de Renault. "
                                "La CGT est également associée au rassemblement.")
    assert ("PROTEST", "CGT", "Renault") in found


def test_who_joins_a_protest_with_no_target_told_protests_all_the_same(nlp, lex):
    found = _protests(nlp, lex, "La CGT s'est jointe à la manifestation des retraités samedi à Lyon.")
    assert ("PROTEST", "CGT", None) in found


def test_a_new_protest_is_not_the_one_told_before(nlp, lex):
    text = ("Les étudiants ont manifesté mardi devant le siège de Renault à Boulogne. "
            "La CGT participe à une manifestation à Lyon.")
    assert ("PROTEST", "CGT", "Renault") not in _protests(nlp, lex, text)


def test_a_protest_may_aim_at_a_body_of_its_own_country(nlp, lex):
    found = _protests(nlp, lex, "Les syndicats français ont manifesté jeudi devant le siège de Renault.")
    assert ("PROTEST", "syndicats (FRA)", "Renault") in found


def test_announcing_ones_presence_at_a_protest_is_protesting(nlp, lex):
    text = ("Les étudiants ont manifesté mardi devant le siège de Renault à Boulogne. "
            "La CGT a confirmé sa présence mercredi avec des centaines de salariés pour dénoncer les licenciements.")
    assert ("PROTEST", "CGT", "Renault") in _protests(nlp, lex, text)
    found = _protests(nlp, lex, "La CGT a annoncé sa participation à la manifestation de samedi.")
    assert ("PROTEST", "CGT", None) in found


def test_a_presence_that_is_no_protest(nlp, lex):
    text = ("Les étudiants ont manifesté mardi devant le siège de Renault à Boulogne. "
            "La CGT a confirmé sa présence au congrès de Lyon la semaine prochaine.")
    assert ("PROTEST", "CGT", "Renault") not in _protests(nlp, lex, text)
    assert not _protests(nlp, lex, "La CGT a annoncé sa présence à Lyon pour dénoncer la guerre.")  # no protest told
    text = ("Les étudiants ont manifesté mardi devant le siège de Renault à Boulogne. "
            "La CGT a annoncé sa présence au congrès de Lyon pour dénoncer les licenciements.")
    assert not _protests(nlp, lex, text) - {("PROTEST", "étudiants", "Renault")}


def test_a_concession_to_protesters_tells_their_protest(nlp, lex):
    text = "La ministre Marie Durand a accédé vendredi aux revendications des grévistes."
    found = _events(nlp, lex, text)
    assert ("CONCEDE", "Marie Durand", "grévistes") in found
    assert ("PROTEST", "grévistes", "Marie Durand") in found
    found = _events(nlp, lex, "La ministre Marie Durand a accédé vendredi aux demandes des syndicats.")
    assert not {e for e in found if e[0] == "PROTEST"}  # a union's demand is no protest of itself


def test_protesters_storming_a_seat_protest_violently(nlp, lex):
    found = _events(nlp, lex, "Des centaines de manifestants ont pris d'assaut l'ambassade du Canada à Lima.")
    assert {e for e in found if e[0] in ("ASSAULT", "PROTEST")} == {
        ("ASSAULT", "manifestants", "CAN"), ("PROTEST", "manifestants", "CAN")}
    found = _events(nlp, lex, "Des soldats ont pris d'assaut l'ambassade du Canada à Lima.")
    assert not {e for e in found if e[0] == "PROTEST"}


def test_a_verbless_sentence_adding_actors_to_the_act_before(nlp, lex):
    text = ("Les étudiants ont manifesté mardi devant le siège de Renault à Boulogne. "
            "Tout comme d'autres organisations, telles que la CGT, en lien avec Greenpeace.")
    found = _protests(nlp, lex, text)
    assert ("PROTEST", "CGT", "Renault") in found
    assert not any(a == "Greenpeace" for _, a, _ in found)  # a complement is no example


def test_a_sentence_with_its_own_verb_adds_no_actor(nlp, lex):
    text = ("Les étudiants ont manifesté mardi devant le siège de Renault à Boulogne. "
            "Tout comme la CGT, Greenpeace a publié un rapport.")
    found = _protests(nlp, lex, text)
    assert not any(a in ("CGT", "Greenpeace") for _, a, _ in found)


def test_an_infinitive_hung_on_the_agent_of_a_passive_is_its_subjects(nlp, lex):
    text = "Furieux que Jean Dupont ait été autorisé par la police belge à organiser la manifestation, Greenpeace a protesté."
    found = _protests(nlp, lex, text)
    assert ("PROTEST", "Jean Dupont", None) in found
    assert not any(a == "BEL" for _, a, _ in found)


def test_who_polices_a_protest_does_not_protest(nlp, lex):
    for text in ("La police allemande a dispersé la manifestation devant le siège de Volkswagen.",
                 "La police allemande a encadré la manifestation devant le siège de Volkswagen."):
        assert not _protests(nlp, lex, text)
