"""Speech acts as events: what a speaker's own clause judges (quotes and "que" clauses),
on French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import STATES, make_resolution

from veille.nlp import events, quotes
from veille.records import Article

ACTORS = {
    **STATES,
    "ONU": ("igo", ["ONU"]),
    "Jean Morel": ("person", ["Jean Morel"]),
}
COUNTRY = {"Jean Morel": "RUS"}


def code(nlp, text):
    doc = nlp(text)
    res = make_resolution(doc, ACTORS)
    for aid, country in COUNTRY.items():
        res.actors[aid].country = country
    art = Article(id="t", source="t", text=text, published="2024-03-10")
    return events.extract(doc, res, quotes.extract(doc, res, art), art)


def accusations(evs):
    return {(e.actor, e.recipient) for e in evs if e.type == "ACCUSE"}


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # a hostile verb in a direct quote: the speaker accuses its subject
    ("« Berlin a torpillé toutes les négociations », a déclaré Moscou.", ("RUS", "DEU")),
    ("« Washington sabote nos efforts de paix depuis des mois », a affirmé la Chine.", ("CHN", "USA")),
    # in the "que" clause of a verb of speech
    ("Pékin a affirmé que Washington mentait sur l'origine du virus.", ("CHN", "USA")),
    # the owner of the judged subject, and a clause coordinated with the judged one
    ("Paris a répété que la politique de Pékin était une préoccupation majeure et avait entravé le dialogue.",
     ("FRA", "CHN")),
    # an unquoted clause with its speaker in an incise after it
    ("Les États-Unis mentent sur ce dossier, a affirmé la Chine.", ("CHN", "USA")),
    # a passive hostile verb: its agent is the accused
    ("« Washington a été manipulé par la Chine », a affirmé Moscou.", ("RUS", "CHN")),
    # "selon X" attributes the clause
    ("Selon Moscou, l'Allemagne a torpillé le processus de paix.", ("RUS", "DEU")),
    # what the subject committed ("commettre une erreur, une folie")
    ("Moscou a averti que Washington avait commis une grave erreur.", ("RUS", "USA")),
    # blame: the subject "porte la responsabilité" of a harm
    ("« La Russie porte la responsabilité de cette escalade », a estimé Paris.", ("FRA", "RUS")),
])
def test_speaker_accuses_what_the_clause_judges(nlp, text, expected):
    assert expected in accusations(code(nlp, text))


@pytest.mark.slow
def test_judged_decision_is_the_act_just_told(nlp):
    text = ("L'Allemagne a livré des missiles à la France.\n\n"
            "« C'est une décision très dangereuse », a réagi Jean Morel.")
    assert ("Jean Morel", "DEU") in accusations(code(nlp, text))
    # a decision of the speaker's own side is not what he accuses
    own = ("La Russie a livré des missiles à la France.\n\n"
           "« C'est une décision très dangereuse », a réagi Jean Morel.")
    assert not any(r == "RUS" for _, r in accusations(code(nlp, own)))


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "« Berlin n'a pas torpillé les négociations », a déclaré Moscou.",         # negated
    "« Nous ne mentons pas », a déclaré Pékin.",                               # the speaker himself
    "« La Chine porte la responsabilité de la réussite », a estimé Paris.",    # no harm named
    "« C'est une décision très dangereuse », a réagi Jean Morel.",            # no act told before
    "« Une décision est dangereuse quand elle est prise seule », a dit Paris.",  # no act pointed at
    "Moscou a averti que Washington avait commis une bonne action.",         # nothing harmful
    "« La France est en danger face à ces menaces », a déclaré Moscou.",      # the actor is at risk
    "« L'Allemagne est très vulnérable aux cyberattaques », a affirmé Washington.",
    "Pékin a estimé que la Russie était menacée par ces sanctions.",
    "« Washington a été trahi depuis des années », a affirmé Pékin.",         # a victim, no agent named
])
def test_no_accusation(nlp, text):
    assert accusations(code(nlp, text)) == set()


def rejections(evs):
    return {(e.actor, e.recipient) for e in evs if e.type == "REJECT"}


@pytest.mark.slow
def test_denial_rejects_the_other_side_who_spoke_about_the_speaker(nlp):
    text = ("Pékin affirme que les pirates travaillent pour la Russie.\n"
            "Moscou a déclaré que la Russie n'avait rien à voir avec ces attaques.")
    assert ("RUS", "CHN") in rejections(code(nlp, text))


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    # the other side said nothing about the speaker's side
    "Pékin affirme que les pirates sont très habiles.\nMoscou a déclaré que la Russie n'avait rien à voir avec ces attaques.",
    # not a denial: the speaker's side will not do something
    "Pékin affirme que la Russie doit venir.\nMoscou a déclaré que la Russie ne viendrait pas au sommet.",
    # the negated clause is about another actor
    "Pékin affirme que la Russie a tort.\nMoscou a déclaré que l'Allemagne n'avait rien à voir avec ces attaques.",
])
def test_no_denial(nlp, text):
    assert rejections(code(nlp, text)) == set()


@pytest.mark.slow
def test_judged_crime_is_the_act_just_told(nlp):
    text = ("La Russie a bombardé plusieurs villes de l'Allemagne.\n"
            "« C'est un crime de guerre », a déclaré Paris.")
    assert ("FRA", "RUS") in accusations(code(nlp, text))
