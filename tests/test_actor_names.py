"""Actor resolution of names the text writes in more than one way, and of organisations
that the words around their names define, on French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import resolved

from veille.nlp import actors as actorsmod
from veille.nlp import dictionary


@pytest.fixture(scope="module")
def lex():
    return dictionary.default()


def resolve(nlp, lex, text):
    return resolved(nlp, lex, text)[1]


def ids_of(res, text):
    return {m.actor_id for m in res.mentions if m.text == text}


# ---------------------------------------------------------------- no model

def test_one_letter_apart():
    assert actorsmod._one_letter_apart("nikol", "nicol")
    assert actorsmod._one_letter_apart("dmitri", "dmitry")
    assert actorsmod._one_letter_apart("netanyahu", "netanyahou")
    assert not actorsmod._one_letter_apart("jong-un", "jong-il")
    assert not actorsmod._one_letter_apart("ali", "ala")  # too short to tell
    assert not actorsmod._one_letter_apart("karim", "marim")  # another first letter


# ---------------------------------------------------------------- model

@pytest.mark.slow
def test_name_in_the_other_order_is_the_same_person(nlp, lex):
    res = resolve(nlp, lex, "Le Premier ministre Tanaka Haruto a dénoncé le tir. "
                            "Plus tard, Haruto Tanaka a réuni son gouvernement.")
    people = [a for a in res.actors.values() if a.kind == "person"]
    assert len(people) == 1
    assert ids_of(res, "Haruto Tanaka") == {people[0].id}


@pytest.mark.slow
def test_transliteration_variant_is_the_same_person(nlp, lex):
    res = resolve(nlp, lex, "Le Premier ministre arménien Vartan Sarkissian a signé l'accord. "
                            "Des manifestants ont réclamé la démission de Vardan Sarkissian.")
    people = [a for a in res.actors.values() if a.kind == "person"]
    assert len(people) == 1 and people[0].country == "ARM"


@pytest.mark.slow
def test_two_people_with_other_first_names_stay_apart(nlp, lex):
    res = resolve(nlp, lex, "Le ministre Paul Renaud a reçu mardi le sénateur Marc Renaud.")
    assert {"Paul Renaud", "Marc Renaud"} <= set(res.actors)


@pytest.mark.slow
def test_apposition_before_the_name_says_it_is_an_organisation(nlp, lex):
    res = resolve(nlp, lex, "Le principal syndicat agricole breton, Terrevive, est également associé "
                            "à ce rassemblement.")
    assert res.actors["Terrevive"].kind == "organisation"


@pytest.mark.slow
def test_a_title_of_the_organisation_before_the_name_is_still_a_person(nlp, lex):
    res = resolve(nlp, lex, "Le porte-parole du syndicat, Jean Kermarec, a démenti.")
    assert res.actors["Jean Kermarec"].kind == "person"


@pytest.mark.slow
def test_example_of_a_list_of_organisations(nlp, lex):
    res = resolve(nlp, lex, "Tout comme d'autres syndicats bretons, tels que la Fermor, ils manifesteront jeudi.")
    assert res.actors["Fermor"].kind == "organisation"


@pytest.mark.slow
def test_apposition_after_the_name_says_it_is_a_company(nlp, lex):
    res = resolve(nlp, lex, "Agence France-Presse\n\nTidalia, très populaire plateforme de streaming musical, "
                            "avait saisi Bruxelles contre les pratiques du géant californien.")
    assert res.actors["Tidalia"].kind == "company"


@pytest.mark.slow
def test_company_name_cut_by_the_ner_is_joined_again(nlp, lex):
    res = resolve(nlp, lex, "Les propriétaires du navire sont associés à Ray Car Carriers, une entreprise "
                            "fondée par Avraham Ungar.")
    assert res.actors["Ray Car Carriers"].kind == "company"
    assert "Ray" not in res.actors


@pytest.mark.slow
def test_nationality_before_the_second_of_two_titled_names(nlp, lex):
    res = resolve(nlp, lex, "Les présidents français Julien Marchand et algérien Karim Belkacem "
                            "ont signé une déclaration commune.")
    second = next(a for a in res.actors.values() if a.name.endswith("Belkacem"))
    assert second.country == "DZA"


@pytest.mark.slow
def test_titled_description_gives_the_person_his_country(nlp, lex):
    res = resolve(nlp, lex, "Le président Anatoli Verbitsky a menacé jeudi de couper le gaz. "
                            "Le président biélorusse a aussi annoncé de nouvelles mesures.")
    assert res.actors["Anatoli Verbitsky"].country == "BLR"


@pytest.mark.slow
def test_politician_named_after_his_description_and_then_by_surname(nlp, lex):
    res = resolve(nlp, lex, "L'homme politique d'extrême droite Rasmus Halvorsen a mis le feu samedi à un livre. "
                            "Furieux que Halvorsen ait été autorisé par la police, Ankara a protesté.")
    assert res.actors["Rasmus Halvorsen"].kind == "person"
    assert ids_of(res, "Halvorsen") == {"Rasmus Halvorsen"}


@pytest.mark.slow
def test_organisation_head_before_a_string_of_adjectives(nlp, lex):
    res = resolve(nlp, lex, "Ils sont en lien avec la coordination agricole alternative internationale Via Rurale.")
    assert res.actors["Via Rurale"].kind == "organisation"


@pytest.mark.slow
def test_name_after_a_nationality_adjective_is_a_firm(nlp, lex):
    res = resolve(nlp, lex, "L'enquête avait débuté en juin 2020, après une plainte du suédois Tidalia.")
    assert res.actors["Tidalia"].kind == "company"


@pytest.mark.slow
def test_every_place_a_found_name_is_written_is_a_mention(nlp, lex):
    text = ("Tidalia, très populaire plateforme de streaming, lutte avec Apple. Apple impose ses règles "
            "à son concurrent européen Tidalia, et Tidalia proteste.")
    res = resolve(nlp, lex, text)
    assert [m.actor_id for m in res.mentions if m.text == "Tidalia"] == ["Tidalia"] * 3


@pytest.mark.slow
def test_a_person_after_a_title_and_nationality_stays_a_person(nlp, lex):
    res = resolve(nlp, lex, "Le ministre suédois Lars Ekdahl a reçu le Suédois Nils Berg.")
    assert res.actors["Lars Ekdahl"].kind == "person"
    assert res.actors["Nils Berg"].kind == "person"


@pytest.mark.slow
def test_a_date_is_not_an_organisation(nlp, lex):
    res = resolve(nlp, lex, "Tard samedi, le Premier ministre Ulf Berglund a tweeté. Le 4 octobre à 7 h 23 "
                            "heure locale, le Mouvement du 23 mars a attaqué.")
    assert not [a for a in res.actors if "samedi" in a.lower() or "octobre" in a.lower()]
    assert "M23" in res.actors


@pytest.mark.slow
def test_names_listed_after_a_plural_head_are_organisations_of_its_kind(nlp, lex):
    res = resolve(nlp, lex, "Les États-Unis ont sanctionné deux transporteurs. Ces entreprises, Vantor Shipping "
                            "et Blue Reef Marine Logistics, transportent des produits iraniens.")
    assert res.actors["Vantor Shipping"].kind == "company"
    assert res.actors["Blue Reef Marine Logistics"].kind == "company"


@pytest.mark.slow
def test_countries_listed_after_a_plural_head_stay_countries(nlp, lex):
    res = resolve(nlp, lex, "Plusieurs pays, la France et l'Allemagne, ont protesté.")
    assert {"FRA", "DEU"} <= set(res.actors)
    assert all(a.kind == "country" for a in res.actors.values())
