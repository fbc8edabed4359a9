"""Event coder and modality on French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import make_resolution

from veille.errors import ConfigError
from veille.nlp import events, lexicon, quotes
from veille.records import Article

ACTORS = {
    "USA": ("country", ["États-Unis", "Washington", "américain"]),
    "CHN": ("country", ["Chine", "Pékin"]),
    "FRA": ("country", ["France", "Paris"]),
    "DEU": ("country", ["Allemagne", "Berlin"]),
    "RUS": ("country", ["Russie", "Moscou"]),
    "Huawei": ("company", ["Huawei"]),
    "TikTok": ("company", ["TikTok"]),
    "ONU": ("igo", ["ONU"]),
    "Marie Lenoir": ("person", ["Marie Lenoir", "Mme Lenoir"]),
    "Le Courrier": ("media", ["Le Courrier"]),
}


def code(nlp, text, *, published="2021-03-10", pronouns=None):
    doc = nlp(text)
    res = make_resolution(doc, ACTORS, pronouns)
    art = Article(id="t", source="t", text=text, published=published)
    qs = quotes.extract(doc, res, art)
    return events.extract(doc, res, qs, art)


def triples(evs):
    return {(e.type, e.actor, e.recipient) for e in evs}


CASES = [
    ("La France et l'Allemagne ont signé un accord avec la Russie sur le gaz.", ("AGREE", "DEU", "RUS")),
    ("Paris s'est entretenu avec Moscou pendant deux heures.", ("CONSULT", "FRA", "RUS")),
    ("La Russie négocie avec la Chine un nouveau contrat gazier.", ("CONSULT", "RUS", "CHN")),
    ("L'Allemagne soutient la France dans ce dossier.", ("SUPPORT", "DEU", "FRA")),
    ("Pékin a cédé à la France sur la question des quotas.", ("CONCEDE", "CHN", "FRA")),
    ("La France coopère avec l'Allemagne contre la fraude.", ("COOPERATE", "FRA", "DEU")),
    ("L'ONU a aidé la France après les inondations.", ("AID", "ONU", "FRA")),
    ("La Russie s'est retirée des négociations avec la France.", ("RETREAT", "RUS", "FRA")),
    ("La Chine exhorte les États-Unis à lever leurs restrictions.", ("REQUEST", "CHN", "USA")),
    ("Washington appelle Berlin à renoncer au projet.", ("REQUEST", "USA", "DEU")),
    ("Le gouvernement américain accuse Pékin d'espionnage industriel.", ("ACCUSE", "USA", "CHN")),
    ("Berlin a dénoncé Moscou devant le Conseil.", ("ACCUSE", "DEU", "RUS")),
    ("La France a rejeté la proposition de la Russie.", ("REJECT", "FRA", "RUS")),
    ("La Chine a menacé les États-Unis de représailles commerciales.", ("THREATEN", "CHN", "USA")),
    ("Le gouvernement américain a interdit TikTok sur les appareils publics.", ("SANCTION", "USA", "TikTok")),
    ("Washington a pris des mesures contre Huawei.", ("SANCTION", "USA", "Huawei")),
    ("L'interdiction de TikTok par Washington a surpris les analystes.", ("SANCTION", "USA", "TikTok")),
    ("La France fait pression sur l'Allemagne pour accélérer le chantier.", ("COERCE", "FRA", "DEU")),
    ("La Russie a mené des cyberattaques contre l'Allemagne.", ("ASSAULT", "RUS", "DEU")),
    ("Huawei est accusé d'espionnage par les États-Unis.", ("ACCUSE", "USA", "Huawei")),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_type(nlp, text, expected):
    assert expected in triples(code(nlp, text))


@pytest.mark.slow
def test_mobilize_without_recipient(nlp):
    evs = code(nlp, "La Russie a mobilisé ses troupes à la frontière.")
    assert ("MOBILIZE", "RUS", None) in triples(evs)
    assert "military" in evs[0].context


@pytest.mark.slow
def test_protest_against(nlp):
    assert ("PROTEST", "FRA", "CHN") in triples(code(nlp, "La France a protesté contre la Chine après l'incident."))


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Ils ont accusé leurs voisins de tricherie.",            # pronoun without coreference
    "Les experts critiquent la lenteur des procédures.",      # no resolved actor
    "La France a rencontré des difficultés.",                 # no recipient actor
    "Les États-Unis se sont accusés eux-mêmes.",              # actor == recipient at most
])
def test_nothing(nlp, text):
    evs = code(nlp, text)
    assert all(e.actor != e.recipient for e in evs)
    assert not [e for e in evs if e.actor is None]
    if "eux-mêmes" not in text:
        assert evs == []


@pytest.mark.slow
def test_pronoun_resolved_by_coreference(nlp):
    evs = code(nlp, "L'Allemagne hésite. Elle accuse Moscou de désinformation.",
               pronouns={r"\bElle\b": "DEU"})
    assert ("ACCUSE", "DEU", "RUS") in triples(evs)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "modality"), [
    ("La France a sanctionné la Russie.", "asserted"),
    ("Selon Le Courrier, la France a sanctionné la Russie.", "reported"),
    ("La France aurait sanctionné la Russie.", "hedged"),
    ("La France ferait pression sur l'Allemagne.", "hedged"),
    ("La France a apparemment soutenu l'Allemagne.", "hedged"),
    ("La France envisage de sanctionner la Russie.", "planned"),
    ("La France est prête à aider l'Allemagne.", "planned"),
    ("La France sanctionnera la Russie.", "planned"),
    ("La France n'a pas sanctionné la Russie.", "negated"),
    ("Berlin ne veut pas négocier avec Moscou.", "negated"),
])
def test_modality(nlp, text, modality):
    evs = code(nlp, text)
    assert evs, text
    assert evs[0].modality == modality


@pytest.mark.slow
def test_according_to(nlp):
    evs = code(nlp, "Selon Le Courrier, la France a sanctionné la Russie.")
    assert evs[0].according_to == "Le Courrier"
    evs = code(nlp, "La Chine exhorte les États-Unis à lever leurs restrictions, a déclaré Marie Lenoir.")
    req = next(e for e in evs if e.type == "REQUEST")
    assert req.modality == "reported" and req.according_to == "Marie Lenoir"


@pytest.mark.slow
def test_reported_hostile_act_is_an_accusation(nlp):
    evs = code(nlp, "La Russie a piraté les serveurs de l'Allemagne, a affirmé Marie Lenoir.")
    assert ("ASSAULT", "RUS", "DEU") in triples(evs)
    assert ("ACCUSE", "Marie Lenoir", "RUS") in triples(evs)


@pytest.mark.slow
def test_evidence_spans_and_date(nlp):
    text = "Premier paragraphe sans rien.\nMardi, la Chine a accusé les États-Unis d'espionnage."
    evs = code(nlp, text, published="2021-03-10")
    ev = next(e for e in evs if e.type == "ACCUSE")
    assert text[ev.span[0]:ev.span[1]] == ev.sentence
    assert ev.sentence.startswith("Mardi")
    assert text[ev.trigger_span[0]:ev.trigger_span[1]] == ev.trigger == "accusé"
    assert ev.date == "2021-03-09"
    assert ev.cameo == "112"
    assert "espionage" in ev.context


@pytest.mark.slow
def test_one_event_per_clause_and_triple(nlp):
    evs = code(nlp, "La France accuse la Russie et accuse encore la Russie.")
    keys = [(e.span, e.type, e.actor, e.recipient) for e in evs]
    assert len(keys) == len(set(keys))


def test_lexicon_shape():
    lex = lexicon.default()
    types = {e.type for e in lex.entries.values() if not e.stop and not e.carried}
    assert types == set(lexicon.PLOVER_TYPES)
    assert lex.verb_entries("appeler")[0].marker == "a"
    assert lex.has("speech", "déclarer")
    assert "cyber" in lex.contexts("des cyberattaques massives")


def test_user_lexicon_file(tmp_path):
    f = tmp_path / "mine.txt"
    f.write_text("verb | torpiller | REJECT | 120 | - | obj\n[energy]\ngazoduc\n", encoding="utf-8")
    lex = lexicon.load([f])
    assert lex.verb_entries("torpiller")[0].type == "REJECT"
    assert lex.contexts("le gazoduc du nord") == ["energy"]


def test_user_lexicon_errors(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("verb | torpiller | SABOTAGE | 120 | - | obj\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="PLOVER"):
        lexicon.load([f])
    with pytest.raises(ConfigError, match="cannot read"):
        lexicon.load([tmp_path / "missing.txt"])


# --- Judgements, clefts, mistagged verbs ------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Washington estime que les équipements de Huawei sont mal sécurisés.", ("ACCUSE", "USA", "Huawei")),
    ("Berlin juge que les routeurs de Huawei ne sont pas assez sûrs.", ("ACCUSE", "DEU", "Huawei")),
    ("La France considère que les applications de TikTok représentent une menace pour les enfants.",
     ("ACCUSE", "FRA", "TikTok")),
    ("Moscou pense que les satellites de la Chine sont dangereux.", ("ACCUSE", "RUS", "CHN")),
    ("La Russie a fait savoir que les produits de Huawei ne sont pas les bienvenus sur son sol.",
     ("SANCTION", "RUS", "Huawei")),
])
def test_judgement_is_an_event(nlp, text, expected):
    assert expected in triples(code(nlp, text))


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Il estime que le temps est mauvais.",                                    # no actor, no target
    "Les experts jugent que les équipements de Huawei sont dangereux.",        # opinion without actor
    "Washington estime que les équipements de Huawei sont sûrs.",              # positive evaluation
    "Washington estime que les équipements de Huawei ne sont pas dangereux.",  # negated evaluation
    "Paris juge que la situation est dangereuse.",                             # no actor judged
    "La France a fait savoir que les étudiants de Chine sont les bienvenus.",  # a welcome
])
def test_judgement_without_event(nlp, text):
    assert [e for e in code(nlp, text) if e.type in ("ACCUSE", "SANCTION")] == []


@pytest.mark.slow
def test_judgement_evidence(nlp):
    text = "Mardi, Berlin a estimé que les serveurs de Huawei étaient mal protégés."
    ev = next(e for e in code(nlp, text) if e.type == "ACCUSE")
    assert ev.trigger == "estimé" and text[ev.trigger_span[0]:ev.trigger_span[1]] == "estimé"
    assert ev.cameo == "112" and ev.sentence == text
    assert not any(c.startswith("eval_") for c in ev.context)


@pytest.mark.slow
def test_cleft_subject(nlp):
    evs = code(nlp, "Le mois dernier, c'est l'Allemagne qui avait trouvé des preuves d'espionnage "
                    "de la part de Huawei.")
    assert ("ACCUSE", "DEU", "Huawei") in triples(evs)
    assert code(nlp, "C'est le rapport qui a trouvé des preuves d'espionnage de la part de Huawei.") == []


@pytest.mark.slow
def test_present_tense_verb_tagged_as_noun(nlp):
    evs = code(nlp, "L'Allemagne hausse le ton. Il pointe du doigt la Chine.", pronouns={r"\bIl\b": "DEU"})
    assert ("ACCUSE", "DEU", "CHN") in triples(evs)


@pytest.mark.slow
def test_il_for_the_only_country_of_the_previous_sentence(nlp):
    from veille.nlp import actors as actorsmod
    from veille.nlp import dictionary

    def real(text):
        doc = nlp(text)
        res = actorsmod.resolve_actors(doc, dictionary.default(()))
        return triples(events.extract(doc, res, [], Article(id="t", source="t", text=text)))

    assert ("ACCUSE", "ITA", "CHN") in real("Il y a aussi l'Italie qui a subi des cyberattaques. Il accuse la Chine.")
    assert ("ACCUSE", "ITA", "CHN") in real("L'Italie a subi des cyberattaques massives. Il accuse la Chine.")
    # two actors in the previous sentence: "il" stays unresolved
    assert not [t for t in real("L'Italie a signé un accord avec la France. Il accuse la Chine.")
                if t[0] == "ACCUSE"]
    assert real("Il y a l'Italie et la France qui ont subi des attaques. Il accuse la Chine.") == set()


@pytest.mark.slow
def test_acting_against_an_actor(nlp):
    evs = code(nlp, "La France envisage d'agir contre la Russie après l'attaque.")
    assert ("COERCE", "FRA", "RUS") in triples(evs)
    assert next(e for e in evs if e.type == "COERCE").modality == "planned"
    assert code(nlp, "La France veut agir contre le réchauffement climatique.") == []


@pytest.mark.slow
def test_judged_demonstrative_is_the_company_just_named(nlp):
    evs = code(nlp, "Les experts ont testé les téléphones de Huawei. Washington estime que ces produits "
                    "ne sont pas assez sécurisés.")
    assert ("ACCUSE", "USA", "Huawei") in triples(evs)
    two = code(nlp, "Huawei et TikTok vendent des applications. Washington estime que ces produits "
                    "ne sont pas assez sécurisés.")
    assert [e for e in two if e.type == "ACCUSE"] == []


# --- Constructions ----------------------------------------------------------------------

@pytest.mark.slow
def test_a_paragraph_is_not_hung_on_the_one_before(nlp):
    # The parser may attach a paragraph's subject or verb to the previous paragraph's verb.
    evs = code(nlp, "Le ministre a critiqué vendredi les manoeuvres.\n\nWashington et Berlin condamnent aussi Moscou.")
    assert {("ACCUSE", "USA", "RUS"), ("ACCUSE", "DEU", "RUS")} <= triples(evs)
    evs = code(nlp, "Le ministre a dénoncé jeudi une attaque de Pékin.\n\n"
                    "La France et l'Allemagne accusent depuis des mois la Russie de désinformation.")
    assert {("ACCUSE", "FRA", "RUS"), ("ACCUSE", "DEU", "RUS")} <= triples(evs)
    assert not [e for e in evs if e.trigger == "dénoncé" and e.recipient in ("FRA", "DEU")]


# Adjectives of nationality are actor mentions too (the real resolver makes them).
NATIONAL = {**ACTORS, "USA": ("country", ["États-Unis", "Washington", "américain", "américaines"]),
            "CHN": ("country", ["Chine", "Pékin", "chinoises"])}


def code_with(nlp, text, actors):
    doc = nlp(text)
    res = make_resolution(doc, actors)
    art = Article(id="t", source="t", text=text, published="2021-03-10")
    return events.extract(doc, res, quotes.extract(doc, res, art), art)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("L'attaque de la Russie contre la France a échoué.", ("ASSAULT", "RUS", "FRA")),          # "de X" agent
    ("Les cyberattaques menées par la Chine contre l'Allemagne ont été révélées.",
     ("ASSAULT", "CHN", "DEU")),                                                            # participle's agent
    ("Les sanctions que Washington a imposées à Pékin pèsent sur l'économie.",
     ("SANCTION", "USA", "CHN")),                                                           # relative clause
    ("Les sanctions américaines contre la Chine ont été renforcées.", ("SANCTION", "USA", "CHN")),  # adjective
    ("Les cyberattaques chinoises en Allemagne se multiplient.", ("ASSAULT", "CHN", "DEU")),  # the place attacked
])
def test_nominal_event_with_its_agent(nlp, text, expected):
    assert expected in triples(code_with(nlp, text, NATIONAL))


@pytest.mark.slow
def test_infinitive_of_a_decision_noun_is_its_owners_act(nlp):
    evs = code(nlp, "L'ONU regrette la décision de la Russie de se retirer des négociations.")
    assert [(e.type, e.actor) for e in evs if e.type == "RETREAT"] == [("RETREAT", "RUS")]


@pytest.mark.slow
def test_participle_with_agent_is_a_passive(nlp):
    # the act noun's owner, or the clause the noun phrase comments on, receives
    assert ("ACCUSE", "CHN", "USA") in triples(code(nlp, "La Chine a critiqué les sanctions imposées par Washington."))
    evs = code(nlp, "Berlin a livré des chars à Paris, une décision saluée par Washington.")
    assert ("SUPPORT", "USA", "DEU") in triples(evs)
    evs = code(nlp, "La France a annoncé une aide à l'Allemagne, une décision saluée par Washington "
                    "mais critiquée par Moscou.")
    assert {("SUPPORT", "USA", "FRA"), ("ACCUSE", "RUS", "FRA")} <= triples(evs)
    assert ("ACCUSE", "RUS", "USA") not in triples(evs)


@pytest.mark.slow
def test_passive_control_and_adjectival_participles(nlp):
    # "X a été autorisé à négocier": X negotiates
    assert ("CONSULT", "Huawei", "RUS") in triples(code(nlp, "Huawei a été autorisé par Berlin à négocier avec Moscou."))
    # a participle that only describes a noun states no act
    assert code(nlp, "Les soldats de la Russie mobilisés à la frontière sont fatigués.") == []


@pytest.mark.slow
def test_a_noun_in_passing_is_no_accusation(nlp):
    evs = code(nlp, "Après l'attaque lancée par la Russie, la France a réuni ses alliés, a déclaré Marie Lenoir.")
    assert not [e for e in evs if e.type == "ACCUSE"]


@pytest.mark.slow
def test_recipient_named_in_the_complement_clause(nlp):
    evs = code(nlp, "La France et l'Allemagne ont demandé à rejoindre l'ONU.")
    assert {("REQUEST", "FRA", "ONU"), ("REQUEST", "DEU", "ONU")} <= triples(evs)
    assert ("THREATEN", "RUS", "DEU") in triples(
        code(nlp, "La Russie a menacé de couper ses livraisons de gaz vers l'Allemagne."))


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Washington exhorte Berlin à sanctionner Moscou.", {("REQUEST", "USA", "DEU")}),
    ("La Chine a averti qu'elle prendrait des mesures contre les États-Unis.", {("THREATEN", "CHN", "USA")}),
])
def test_what_a_request_or_threat_announces_is_no_event_of_its_own(nlp, text, expected):
    assert triples(code(nlp, text)) == expected


@pytest.mark.slow
def test_a_place_is_no_owner(nlp):
    assert code(nlp, "L'un des chefs en France a menacé la Chine.") == []


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("La France et l'Allemagne ont conclu un accord.", {("AGREE", "FRA", "DEU"), ("AGREE", "DEU", "FRA")}),
    ("Paris et Berlin s'accusent mutuellement d'espionnage.", {("ACCUSE", "FRA", "DEU"), ("ACCUSE", "DEU", "FRA")}),
    ("Les présidents de la France et de l'Allemagne se sont entretenus.",
     {("CONSULT", "FRA", "DEU"), ("CONSULT", "DEU", "FRA")}),
    ("Des négociations entre Paris, Berlin et Moscou ont commencé.",
     {("CONSULT", a, b) for a in ("FRA", "DEU", "RUS") for b in ("FRA", "DEU", "RUS") if a != b}),
])
def test_parties_to_one_another(nlp, text, expected):
    assert triples(code(nlp, text)) == expected


@pytest.mark.slow
def test_a_passive_with_several_agents_is_mutual_only_for_an_agreement(nlp):
    assert ("CONSULT", "Le Courrier", "ONU") not in triples(
        code(nlp, "Le rapport, consulté par Le Courrier et l'ONU, est accablant."))


@pytest.mark.slow
def test_first_person_in_a_direct_quote_is_the_speaker(nlp):
    evs = code(nlp, "« Nous condamnons Moscou », a déclaré Marie Lenoir.")
    assert ("ACCUSE", "Marie Lenoir", "RUS") in triples(evs)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # the accused does what "accuser X de" says
    ("Berlin accuse Moscou d'avoir attaqué la France.", ("ASSAULT", "RUS", "FRA")),
    # "elle" in the announced clause is the announcer
    ("L'Allemagne a annoncé qu'elle allait aider la France.", ("AID", "DEU", "FRA")),
    # a title then the name: two subjects, the named one acts
    ("Le ministre de l'Intérieur et des Outre-mer Marie Lenoir a accusé la Chine.", ("ACCUSE", "Marie Lenoir", "CHN")),
])
def test_who_acts(nlp, text, expected):
    assert expected in triples(code(nlp, text))


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("La Russie a bombardé l'Allemagne mardi. La France a condamné ces frappes.", ("ACCUSE", "FRA", "RUS")),
    ("La Russie a attaqué l'Allemagne mardi. Paris l'a fermement condamné.", ("ACCUSE", "FRA", "RUS")),
    ("Washington a aidé Berlin. La France a salué cette décision.", ("SUPPORT", "FRA", "USA")),
])
def test_a_reaction_to_an_act_told_before(nlp, text, expected):
    assert expected in triples(code(nlp, text))


@pytest.mark.slow
def test_an_indefinite_act_is_no_anaphor(nlp):
    # an indefinite act noun that no word of blame qualifies names no act told before
    evs = code(nlp, "La Russie a attaqué l'Allemagne mardi. Paris a condamné une décision.")
    assert [e for e in evs if e.type == "ACCUSE"] == []


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # a possessive act noun under "reprocher à X": X's act
    ("Moscou reproche à Berlin son soutien à la France.", ("SUPPORT", "DEU", "FRA")),
    # a meeting in an adjunct is the clause subject's
    ("Washington a tenu ces propos dimanche, lors d'une rencontre avec Berlin.", ("CONSULT", "USA", "DEU")),
    ("Berlin a fait cette annonce à l'issue d'entretiens avec Paris.", ("CONSULT", "DEU", "FRA")),
])
def test_whose_act_a_noun_is(nlp, text, expected):
    assert expected in triples(code(nlp, text))


RUSSIAN = {**ACTORS, "RUS": ("country", ["Russie", "Moscou", "russes"])}


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # the participle agrees with the event noun, not with the complement it hangs on
    ("Après l'expulsion de diplomates russes ordonnée par la France, Berlin a réagi.", ("SANCTION", "FRA", "RUS")),
    # a participle set off after a name: that name is its patient
    ("Les États-Unis, soutenus par Berlin, ont sanctionné la Russie.", ("SUPPORT", "DEU", "USA")),
    # the country one withdraws from (an ambassador withdrawn is a sanction, CAMEO 161)
    ("Paris a annoncé le retrait de son ambassadeur en Allemagne.", ("SANCTION", "FRA", "DEU")),
    # "X sont les seuls à…": the copula's subject
    ("La Chine et la Russie sont les seuls pays à avoir soutenu la France.", ("SUPPORT", "RUS", "FRA")),
])
def test_participles_places_and_copulas(nlp, text, expected):
    assert expected in triples(code_with(nlp, text, RUSSIAN))


@pytest.mark.slow
def test_an_adjunct_lends_no_actor(nlp):
    # "après l'expulsion…, X a réagi": X did not expel
    evs = code_with(nlp, "Après l'expulsion de diplomates russes, Berlin a réagi.", RUSSIAN)
    assert not [e for e in evs if e.actor == "DEU"]


@pytest.mark.slow
def test_reflexive_uses(nlp):
    assert ("SUPPORT", "DEU", "FRA") in triples(code(nlp, "Berlin s'est félicité de la décision de Paris."))
    assert code(nlp, "L'Allemagne s'est défendue devant l'ONU.") == []  # not "défendre X"
    assert triples(code(nlp, "La France et l'Allemagne se sont rencontrées à Paris.")) == {
        ("CONSULT", "FRA", "DEU"), ("CONSULT", "DEU", "FRA")}


@pytest.mark.slow
def test_si_clause_is_a_hypothesis_and_a_source_is_no_accuser(nlp):
    # the act in the condition is no event; the retaliation announced is a threat
    evs = code(nlp, "Si la France sanctionne la Russie, Moscou réagira.")
    assert [(e.type, e.actor, e.recipient, e.modality) for e in evs] == [("THREATEN", "RUS", "FRA", "asserted")]
    evs = code(nlp, "Selon Le Courrier, la Russie a attaqué la France.")
    assert triples(evs) == {("ASSAULT", "RUS", "FRA")}


@pytest.mark.slow
def test_first_person_speaker_named_but_unresolved(nlp):
    from veille.records import Quote

    text = "« Nous condamnons fermement Moscou », a déclaré M.Lenoir à la presse."
    doc = nlp(text)
    res = make_resolution(doc, ACTORS)
    quote = Quote(text="Nous condamnons fermement Moscou", span=(2, 34), speaker=None,
                  speaker_name="M.Lenoir", direct=True)
    evs = events.extract(doc, res, [quote], Article(id="t", source="t", text=text))
    assert ("ACCUSE", "Marie Lenoir", "RUS") in triples(evs)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Marie Lenoir, dont la France a salué le travail, est partie.", {("SUPPORT", "FRA", "Marie Lenoir")}),
    ("La France et l'Allemagne se disputent. Washington a exhorté mardi les deux pays à la retenue.",
     {("REQUEST", "USA", "FRA"), ("REQUEST", "USA", "DEU")}),
])
def test_whose_and_which_two(nlp, text, expected):
    # "dont" names the owner of the object; "les deux pays" the two actors last named together
    assert expected <= triples(code(nlp, text))


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Des milliers de manifestants ont pris d'assaut l'ambassade de France.", {("ASSAULT", None, "FRA")}),
    ("Des centaines de personnes ont manifesté devant l'ambassade d'Allemagne.", {("PROTEST", None, "DEU")}),
    ("L'ennemi a frappé les villes de la France.", set()),  # not a crowd: no event without its actor
])
def test_an_unnamed_crowd(nlp, text, expected):
    assert triples(code(nlp, text)) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Paris ne tolèrera aucune attaque contre la France.",  # no act at all
    "Berlin craint des attaques contre la Chine.",         # Berlin does not attack
])
def test_an_act_not_done(nlp, text):
    assert [e for e in code(nlp, text) if e.type == "ASSAULT"] == []


GERMAN = {**ACTORS, "DEU": ("country", ["Allemagne", "Berlin", "allemand"])}


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # the support noun's owner
    ("La France exige le retrait des troupes de la Russie.", ("REQUEST", "FRA", "RUS")),
    # "son pays" in the announced clause is the speaker's country
    ("Le ministre allemand a annoncé que son pays a rompu ses relations avec la Russie.", ("SANCTION", "DEU", "RUS")),
    # a reaction whose object is a clause: its subject, else the first actor it names
    ("Les militants ont noué des liens avec la Chine, a déploré Marie Lenoir.", ("ACCUSE", "Marie Lenoir", "CHN")),
    ("Berlin a dénoncé que la Chine espionnait ses entreprises.", ("ACCUSE", "DEU", "CHN")),
    # a speaker telling a hostile act accuses its actor, whatever the speech verb
    ("Washington sabote le processus, a déclaré Marie Lenoir.", ("ACCUSE", "Marie Lenoir", "USA")),
])
def test_speech_acts_and_their_recipients(nlp, text, expected):
    assert expected in triples(code_with(nlp, text, GERMAN))


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # a phrase with a preposition is no subject; the noun set off after it is
    ("Devant l'ambassade de France, des militants de la Chine manifestaient contre Washington.",
     {("PROTEST", "CHN", "USA")}),
    # "X et Y sont les seuls États à…" parsed with "États" as the subject
    ("La Chine et la Russie sont les seuls des pays membres de l'ONU à avoir soutenu la France.",
     {("SUPPORT", "CHN", "FRA"), ("SUPPORT", "RUS", "FRA")}),
])
def test_the_subject_the_parser_meant(nlp, text, expected):
    assert triples(code(nlp, text)) == expected


@pytest.mark.slow
def test_a_background_act_is_told_as_known(nlp):
    evs = code(nlp, "Après les frappes de la Russie contre la France, Berlin est inquiet, a déclaré Marie Lenoir.")
    strike = next(e for e in evs if e.type == "ASSAULT")
    assert (strike.actor, strike.recipient, strike.modality, strike.according_to) == ("RUS", "FRA", "asserted", None)
    assert ("ACCUSE", "Marie Lenoir", "RUS") in triples(evs)  # the speaker still blames the striker


# A targeted act whose roles name no target: the other actor named in the act's own clause.
IMPLIED_TARGETS = [
    ("La Russie a mené une attaque massive visant des sites énergétiques en Allemagne.",
     ("ASSAULT", "RUS", "DEU")),
    ("Les frappes de Washington sur les villes de l'Allemagne ont fait des dizaines de morts.",
     ("ASSAULT", "USA", "DEU")),
    ("Pékin a annoncé des sanctions frappant plusieurs entreprises de l'Allemagne.",
     ("SANCTION", "CHN", "DEU")),
]


@pytest.mark.parametrize("text,triple", IMPLIED_TARGETS)
def test_implied_target_in_the_acts_clause(nlp, text, triple):
    assert triple in triples(code(nlp, text))


def test_implied_target_is_never_the_actors_side_nor_another_verbs_subject(nlp):
    # the subject of another clause acts in its own clause: it is not the target
    found = triples(code(nlp, "Moscou a lancé une offensive, et la France a réuni ses alliés."))
    assert ("ASSAULT", "RUS", "FRA") not in found
    # a person of the actor's own country is the actor's side
    found = triples(code(nlp, "Mme Lenoir a dit que la France a mené une attaque.",))
    assert not any(t[0] == "ASSAULT" and t[2] == "Marie Lenoir" for t in found)


def test_implied_target_only_for_targeted_acts(nlp):
    # support and cooperation name their partner through their roles, never by proximity
    found = triples(code(nlp, "La France apporte son soutien total, a rappelé Berlin lors d'une visite en Russie."))
    assert not any(t[0] == "SUPPORT" and t[2] == "RUS" for t in found)


def test_act_noun_completing_a_noun_of_implementation_takes_its_actor(nlp):
    # "l'imposition de droits de douane": the tariffs are the act of the one who imposes them
    found = triples(code(nlp, "Washington a confirmé l'imposition de droits de douane sur les voitures "
                              "électriques importées de Chine."))
    assert ("SANCTION", "USA", "CHN") in found


def test_talks_with_whom_hung_on_the_head_noun(nlp):
    # "à l'issue d'entretiens avec X": the parser may hang "avec X" on "issue"
    found = triples(code(nlp, "Mme Lenoir a fait cette annonce à l'issue d'entretiens avec le président "
                              "américain et la chancelière allemande, à la veille d'un sommet."))
    assert {t for t in found if t[0] == "CONSULT" and t[1] == "Marie Lenoir"}
