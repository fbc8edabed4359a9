"""Reactions and their co-actors, on French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import STATES, event_triples

ACTORS = {
    **STATES,
    "UKR": ("country", ["Ukraine", "Kiev"]),
    "IDN": ("country", ["Indonésie", "Jakarta"]),
    "ONU": ("igo", ["ONU"]),
    "Marie Lenoir": ("person", ["Marie Lenoir"]),
}


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # "tout comme Y", "de même que Y": Y reacts too
    ("Washington a condamné Moscou, tout comme Paris.", ("ACCUSE", "FRA", "RUS")),
    ("La Russie a attaqué l'Allemagne. La France a condamné ces frappes, tout comme Pékin.",
     ("ACCUSE", "CHN", "RUS")),
    ("Washington a aidé Berlin. La France a salué cette décision, de même que la Chine.",
     ("SUPPORT", "CHN", "USA")),
    # a list of names whose second one the parser takes for an apposition of the first
    ("La Russie a attaqué l'Ukraine. L'Indonésie, la France et les États-Unis ont également condamné cette attaque.",
     ("ACCUSE", "IDN", "RUS")),
    ("La Russie a attaqué l'Ukraine. L'Indonésie, la France et les États-Unis ont également condamné cette attaque.",
     ("ACCUSE", "USA", "RUS")),
])
def test_co_actors_of_a_reaction(nlp, text, expected):
    assert expected in event_triples(nlp, text, ACTORS)


@pytest.mark.slow
def test_a_comparison_is_no_co_actor(nlp):
    # "comme" alone compares, it adds no one
    assert ("ACCUSE", "FRA", "RUS") not in event_triples(nlp, "La Chine a condamné Moscou comme Paris.", ACTORS)


@pytest.mark.slow
def test_a_refused_case_answers_who_brought_it(nlp):
    # "rejeter l'affaire devant X": the one whose claim the case is, not the venue named after it
    text = ("La Chine a saisi la Cour le mois dernier, arguant que la Russie violait le traité.\n\n"
            "Audiences publiques\n\n"
            "La Russie et son allié l'Allemagne ont rejeté l'affaire devant l'ONU comme étant sans fondement.")
    found = event_triples(nlp, text, ACTORS)
    assert {("REJECT", "RUS", "CHN"), ("REJECT", "DEU", "CHN")} <= found
    assert ("REJECT", "RUS", "ONU") not in found


@pytest.mark.slow
def test_a_title_is_no_subject(nlp):
    # a title without a full stop that the parser takes for the subject of the next line
    found = event_triples(nlp, "Décisions attendues\nLa France et son allié l'Allemagne ont condamné la Russie.", ACTORS)
    assert {("ACCUSE", "FRA", "RUS"), ("ACCUSE", "DEU", "RUS")} <= found


@pytest.mark.slow
def test_a_reaction_judges_the_act_not_its_riposte(nlp):
    # the object parsed out of place ("« avec fermeté » le nouveau tir"), and the act it
    # judges the first launch, not the answer to it
    text = ("La Russie a tiré un missile mardi. L'Ukraine a riposté en tirant des obus. "
            "Condamnant « avec fermeté » le nouveau tir, Paris a appelé au calme.")
    found = event_triples(nlp, text, ACTORS)
    assert ("ACCUSE", "FRA", "RUS") in found
    assert ("ACCUSE", "FRA", "UKR") not in found


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected", "absent"), [
    # the accusation a refusal answers is told too: its owner accuses the one who refuses it
    ("La Russie rejette les accusations de la Chine.", ("ACCUSE", "CHN", "RUS"), None),
    ("Berlin s'est défendu devant l'ONU contre les accusations de Washington.", ("ACCUSE", "USA", "DEU"), None),
    # … or the one the accusation is said to be against
    ("La Russie a rejeté les accusations de la Chine contre l'Allemagne.", ("ACCUSE", "CHN", "DEU"),
     ("ACCUSE", "CHN", "RUS")),
])
def test_a_rejected_accusation_is_told(nlp, text, expected, absent):
    found = event_triples(nlp, text, ACTORS)
    assert expected in found
    assert absent not in found


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected", "absent"), [
    # a condemnation of "un acte odieux" judges the act told before
    ("La Russie a attaqué l'Allemagne mardi. Paris a condamné un acte odieux.", ("ACCUSE", "FRA", "RUS"), None),
    # … the first one, not the riposte to it
    (("La Russie a attaqué l'Allemagne mardi. L'Allemagne a riposté en bombardant la Russie. "
      "Paris a dénoncé un acte scandaleux."), ("ACCUSE", "FRA", "RUS"), ("ACCUSE", "FRA", "DEU")),
])
def test_a_judged_act_answers_the_act_told_before(nlp, text, expected, absent):
    found = event_triples(nlp, text, ACTORS)
    assert expected in found
    assert absent not in found


@pytest.mark.slow
def test_a_judged_act_needs_a_hostile_act_before(nlp):
    # help is no act a condemnation answers
    found = event_triples(nlp, "La Chine a aidé la Russie. Paris a condamné une décision dangereuse.", ACTORS)
    assert not any(t == "ACCUSE" for t, _, _ in found)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # what one welcomes, qualified, is the act told before
    ("Washington a aidé Berlin. La France a salué une initiative courageuse.", True),
    ("Washington a aidé Berlin. La France a salué une décision qui renforce la paix.", True),
    # bare, or blamed, it is not
    ("Washington a aidé Berlin. La France a salué une décision.", False),
    ("Washington a aidé Berlin. La France a salué une décision dangereuse.", False),
])
def test_a_welcomed_act_answers_the_act_told_before(nlp, text, expected):
    assert (("SUPPORT", "FRA", "USA") in event_triples(nlp, text, ACTORS)) is expected


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # a request to undo an act is addressed to the one who did it
    ("La Russie a arrêté des journalistes allemands mardi. Berlin a exigé la libération immédiate des journalistes.",
     ("REQUEST", "DEU", "RUS")),
    ("La Chine a imposé des sanctions à la France. Paris a exigé la levée des sanctions.", ("REQUEST", "FRA", "CHN")),
])
def test_a_request_to_undo_an_act(nlp, text, expected):
    assert expected in event_triples(nlp, text, ACTORS)


@pytest.mark.slow
def test_a_request_to_undo_needs_the_act(nlp):
    # help is no detention: no one to address the request to
    found = event_triples(nlp, "Washington a aidé Berlin. Paris a exigé la libération des otages.", ACTORS)
    assert not any(t == "REQUEST" for t, _, _ in found)
