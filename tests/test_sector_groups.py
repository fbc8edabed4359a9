"""Unnamed groups named by their role ("les syndicats", "l'intersyndicale", "des milliers
d'agriculteurs belges"): the section ``sector_groups`` of actor_nouns.yaml, read by
nlp/actors.py `_sector_groups`. French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import resolved_triples

from veille.nlp import actors as actorsmod
from veille.nlp import dictionary
from veille.nlp.dictionary import group_words, singular


@pytest.fixture(scope="module")
def lex():
    return dictionary.default(())


def _groups(nlp, lex, text):
    res = actorsmod.resolve_actors(nlp(text), lex)
    return {a.id: a for a in res.actors.values() if a.kind == "group"}


def _events(nlp, lex, text):
    return resolved_triples(nlp, lex, text, with_quotes=False, published=None)


def test_the_file_reads_singular_folded_phrases(lex):
    assert singular("syndicales") == "syndicale" and singular("patronaux") == "patronal"
    assert group_words("Centrales syndicales") == ("centrale", "syndicale")
    unions = next(g for g in lex.sector_groups if g.name == "syndicats")
    assert unions.sector == "LAB" and ("intersyndicale",) in unions.collective


def test_a_group_with_its_sector_and_the_country_of_its_adjective(nlp, lex):
    found = _groups(nlp, lex, "Les syndicats français dénoncent la réforme des pensions.")
    assert list(found) == ["syndicats (FRA)"]
    a = found["syndicats (FRA)"]
    assert (a.sector, a.country, a.name) == ("LAB", "FRA", "Syndicats")
    farmers = _groups(nlp, lex, "Des milliers d'éleveurs belges ont bloqué les routes de Wallonie.")
    assert [(a.id, a.sector, a.country) for a in farmers.values()] == [("agriculteurs (BEL)", "AGR", "BEL")]


def test_the_nouns_of_one_group_are_one_actor(nlp, lex):
    found = _groups(nlp, lex, "L'intersyndicale a quitté la réunion au bout d'une heure. "
                              "Les syndicats réclament le retrait du texte, et les centrales appellent à la grève.")
    assert list(found) == ["syndicats"]
    assert {"intersyndicale", "centrales"} <= set(found["syndicats"].aliases)


def test_not_a_group(nlp, lex):
    assert _groups(nlp, lex, "Les centrales nucléaires du pays seront fermées en hiver.") == {}  # not named before
    assert _groups(nlp, lex, "Le syndicat a protesté contre la fermeture de l'usine.") == {}  # one union
    assert _groups(nlp, lex, "Les syndicats policiers ont protesté contre la fermeture.") == {}
    assert _groups(nlp, lex, "La fédération des syndicats de cheminots a protesté.") == {}


def test_a_farmers_union_is_no_union_of_workers_and_a_named_union_stays_itself(nlp, lex):
    found = _groups(nlp, lex, "Les syndicats agricoles et la CGT critiquent le projet de loi.")
    assert [(a.id, a.sector) for a in found.values()] == [("agriculteurs", "AGR")]
    res = actorsmod.resolve_actors(nlp("Les syndicats agricoles et la CGT critiquent le projet de loi."), lex)
    assert "CGT" in res.actors


def test_groups_act_and_are_acted_upon(nlp, lex):
    assert ("ACCUSE", "étudiants", "Jean Petitot") in _events(
        nlp, lex, "Les étudiants ont dénoncé la réforme du ministre Jean Petitot.")
    assert ("CONCEDE", "Paul Marchal", "agriculteurs") in _events(
        nlp, lex, "Le Premier ministre Paul Marchal a accédé aux demandes des agriculteurs.")
    assert ("ASSAULT", "manifestants", "FRA") in _events(
        nlp, lex, "Des milliers de manifestants ont attaqué l'ambassade de France.")


def test_whom_a_rally_backs_is_not_its_target(nlp, lex):
    backed = "Ces manifestants se sont rassemblés lors d'un événement de soutien aux militaires du général Karl Ober."
    assert not [t for t in _events(nlp, lex, backed) if t[0] == "PROTEST"]
    assert ("PROTEST", "manifestants", "Karl Ober") in _events(
        nlp, lex, "Des centaines de manifestants se sont rassemblés contre le président Karl Ober.")
