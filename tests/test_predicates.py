"""The event lexicon's pattern format and how its entries match a parse: reflexive and
adverbial clitics, support nouns among complements only, stop entries, carriers whose
subject receives the act. Sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import event_triples

from veille.errors import ConfigError
from veille.nlp import lexicon
from veille.nlp.predicates import is_reflexive, match_noun, match_verb


def _one(tmp_path, line: str) -> lexicon.Entry:
    """The entry a one-line user file adds (shipped entries aside)."""
    f = tmp_path / "mine.txt"
    f.write_text(line + "\n", encoding="utf-8")
    pattern = line.split("|")[1].strip()
    mine = [e for e in lexicon.load([f]).entries.values() if e.pattern == pattern]
    assert len(mine) == 1, line
    return mine[0]


# --- the format -------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "lemma", "reflexive", "clitic", "noun", "marker"), [
    ("verb | se rendre à | CONSULT | 042 | - | à", "rendre", True, None, None, "a"),
    ("verb | s'engager auprès de | AGREE | 030 | - | auprès de", "engager", True, None, None, "aupres de"),
    ("verb | s’en prendre à | ACCUSE | 111 | - | à", "prendre", True, "en", None, "a"),
    ("verb | en appeler à | REQUEST | 020 | - | à", "appeler", False, "en", None, "a"),
    ("light | se défendre accusation | REJECT | 120 | - | contre", "defendre", True, None, "accusation", None),
    ("verb | rendre | RETREAT | 0842 | - | à", "rendre", False, None, None, None),
])
def test_reflexive_and_clitic_patterns(tmp_path, line, lemma, reflexive, clitic, noun, marker):
    e = _one(tmp_path, line)
    assert (e.lemma, e.reflexive, e.clitic, e.noun, e.marker) == (lemma, reflexive, clitic, noun, marker)


def test_reflexive_entry_is_more_specific_than_the_plain_verb(tmp_path):
    f = tmp_path / "mine.txt"
    f.write_text("verb | défendre | SUPPORT | 051 | - | obj\nstop | se défendre\n", encoding="utf-8")
    entries = lexicon.load([f]).verb_entries("défendre")
    order = [e.pattern for e in entries]
    assert order.index("se défendre") < order.index("défendre")
    assert entries[order.index("se défendre")].stop


def test_stop_entries_need_only_their_pattern(tmp_path):
    e = _one(tmp_path, "stop | tenir compte de")
    assert e.stop and (e.lemma, e.noun, e.marker, e.type) == ("tenir", "compte", "de", "")
    e = _one(tmp_path, "stop | tenir à")  # a preposition is a marker, not a noun
    assert (e.noun, e.marker) == (None, "a")
    e = _one(tmp_path, "stop | manifester *")
    assert e.noun == "*"


def test_carrier_and_reversed_entries(tmp_path):
    e = _one(tmp_path, "verb | subir | = | - | - | de par reversed")
    assert e.carried and e.reversed and e.roles == ("de", "par") and e.cameo == ""
    e = _one(tmp_path, "light | recevoir appel | CONSULT | 041 | - | de reversed")
    assert e.reversed and not e.carried and e.type == "CONSULT"


def test_carrier_keeps_the_verbs_own_entry(tmp_path):
    f = tmp_path / "mine.txt"
    f.write_text("verb | recevoir | CONSULT | 043 | - | obj\nverb | recevoir | = | - | - | de reversed\n",
                 encoding="utf-8")
    kinds = {(e.type, e.reversed) for e in lexicon.load([f]).verb_entries("recevoir")}
    assert {("CONSULT", False), ("=", True)} <= kinds


def test_light_entry_with_a_word_depending_on_its_noun(tmp_path):
    e = _one(tmp_path, "light | mener exercice conjoint avec | COOPERATE | 062 | - | avec entre")
    assert (e.noun, e.modifier, e.marker) == ("exercice", "conjoint", "avec")
    plain = _one(tmp_path, "light | mener exercice | MOBILIZE | 150 | - | solo")
    assert plain.modifier is None and e.size == plain.size + 2


def test_two_word_prepositions_in_roles(tmp_path):
    e = _one(tmp_path, "light | mener exercice | MOBILIZE | 150 | - | contre autour de près de solo")
    assert e.roles == ("contre", "autour de", "pres de")


def test_negated_and_future_entries_keep_the_plain_one(tmp_path):
    f = tmp_path / "mine.txt"
    f.write_text("light | saluer geste | SUPPORT | 051 | - | de\n"
                 "light | saluer geste | ACCUSE | 111 | - | de negated\n"
                 "light | saluer geste | THREATEN | 130 | - | de future\n", encoding="utf-8")
    mine = [e for e in lexicon.load([f]).verb_entries("saluer") if e.pattern == "saluer geste"]
    assert {(e.type, e.negated, e.future) for e in mine} == {
        ("SUPPORT", False, False), ("ACCUSE", True, False), ("THREATEN", False, True)}
    assert mine[0].type != "SUPPORT" and "negated" not in mine[0].roles  # flags are no roles, and count


@pytest.mark.parametrize(("line", "message"), [
    ("noun | frappe | = | - | - | de", "not nouns"),
    ("noun | frappe | ASSAULT | 195 | - | de negated", "negated"),
    ("noun | frappe | ASSAULT | 195 | - | de reversed", "reversed"),
    ("verb | se | CONSULT | 040 | - | avec", "names no verb"),
    ("stop | tenir | compte", "six fields"),
])
def test_format_errors(tmp_path, line, message):
    f = tmp_path / "bad.txt"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        lexicon.load([f])


# --- matching on parses -----------------------------------------------------------------

ACTORS = {
    "USA": ("country", ["États-Unis", "Washington"]),
    "FRA": ("country", ["France", "Paris"]),
    "DEU": ("country", ["Allemagne", "Berlin"]),
    "RUS": ("country", ["Russie", "Moscou"]),
    "UKR": ("country", ["Ukraine", "Kiev"]),
    "JPN": ("country", ["Japon", "Tokyo"]),
    "EU": ("igo", ["Union européenne"]),
    "Acme": ("company", ["Acme"]),
    "MLI": ("country", ["Mali"]),
    "ISR": ("country", ["Israël"]),
    "Hamas": ("group", ["Hamas"]),
}


def triples(nlp, text):
    return event_triples(nlp, text, ACTORS)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "reflexive"), [
    ("Le ministre s'est rendu à Tokyo.", True),
    ("Nous nous engageons à payer.", True),
    ("Vous vous engagez à payer.", True),
    ("Il vous engage à payer.", False),
    ("Le ministre a rendu les clés.", False),
])
def test_reflexive_clitic(nlp, text, reflexive):
    doc = nlp(text)
    verb = next(t for t in doc if t.pos_ == "VERB")
    assert is_reflexive(verb) is reflexive


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Le chef de la diplomatie de la France s'est rendu à Berlin lundi.", ("CONSULT", "FRA", "DEU")),
    ("La France s'est engagée auprès de l'Ukraine à former ses pilotes.", ("AGREE", "FRA", "UKR")),
    ("Moscou s'en est pris une nouvelle fois à Washington.", ("ACCUSE", "RUS", "USA")),
    ("La Russie se défend contre les accusations de l'Ukraine.", ("REJECT", "RUS", "UKR")),
    ("La France s'est félicitée de la décision de Berlin.", ("SUPPORT", "FRA", "DEU")),
])
def test_reflexive_entries_code_their_sentence(nlp, text, expected):
    assert expected in triples(nlp, text)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "unwanted"), [
    ("La France a rendu à l'Allemagne les archives saisies.", "CONSULT"),  # no visit
    ("La Russie se défend devant la Cour contre l'Ukraine.", "SUPPORT"),  # not defending another
    ("Tokyo a manifesté son intérêt pour une usine de l'Union européenne.", "PROTEST"),
    ("La France affrontera l'Allemagne en demi-finale.", "ASSAULT"),  # a match, not a battle
])
def test_plain_and_stopped_senses_give_no_event(nlp, text, unwanted):
    assert unwanted not in {t for t, _, _ in triples(nlp, text)}


@pytest.mark.slow
def test_support_noun_is_a_complement_not_an_auxiliary(nlp, tmp_path):
    f = tmp_path / "mine.txt"
    f.write_text("light | bloquer avoir | COERCE | 1711 | - | de\n", encoding="utf-8")  # "avoirs": assets
    lex = lexicon.load([f])
    doc = nlp("Le gouvernement a bloqué la loi.")
    verb = next(t for t in doc if t.lemma_ == "bloquer")
    m = match_verb(verb, lex)
    assert m is None or m.entry.pattern != "bloquer avoir"
    doc = nlp("Le gouvernement a bloqué les avoirs de la banque.")
    verb = next(t for t in doc if t.lemma_ == "bloquer")
    assert match_verb(verb, lex).entry.pattern in ("bloquer avoir", "bloquer avoirs")


@pytest.mark.slow
def test_stop_entry_keeps_its_noun_from_being_an_event(nlp, tmp_path):
    f = tmp_path / "mine.txt"
    f.write_text("stop | tenir compte de\nnoun | compte | ACCUSE | 112 | - | de\n", encoding="utf-8")
    lex = lexicon.load([f])
    doc = nlp("Le Japon a tenu compte des remarques de la France.")
    noun = next(t for t in doc if t.lemma_ == "compte")
    assert match_noun(noun, lex) is None
    assert match_verb(noun.head, lex) is None


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Le Japon a reçu le soutien des États-Unis.", ("SUPPORT", "USA", "JPN")),
    ("L'Ukraine a subi de nouvelles frappes de la Russie.", ("ASSAULT", "RUS", "UKR")),
    ("Kiev a essuyé des tirs de la Russie.", ("ASSAULT", "RUS", "UKR")),
    ("La France est victime d'une cyberattaque de la Russie.", ("ASSAULT", "RUS", "FRA")),
    ("La Russie fait l'objet de sanctions de Washington.", ("SANCTION", "USA", "RUS")),
    ("L'Ukraine bénéficie de l'aide de l'Union européenne.", ("AID", "EU", "UKR")),
    ("Tokyo a obtenu le soutien de Paris.", ("SUPPORT", "FRA", "JPN")),
])
def test_reversed_carriers_give_the_act_to_the_complement(nlp, text, expected):
    found = triples(nlp, text)
    assert expected in found
    etype, actor, recipient = expected
    assert (etype, recipient, actor) not in found


@pytest.mark.slow
def test_carrier_without_an_event_noun_keeps_the_verbs_sense(nlp):
    assert ("CONSULT", "FRA", "DEU") in triples(nlp, "Paris a reçu le chancelier de l'Allemagne.")


def test_noun_entry_with_the_word_that_depends_on_it(tmp_path):
    e = _one(tmp_path, "noun | rappel ambassadeur | SANCTION | 161 | - | à en")
    assert (e.lemma, e.noun) == ("rappel", "ambassadeur")
    f = tmp_path / "bad.txt"
    f.write_text("noun | rappel de ambassadeur | SANCTION | 161 | - | à\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="at most one word"):
        lexicon.load([f])


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Moscou a procédé à un échange de prisonniers avec Kiev.", ("CONCEDE", "RUS", "UKR")),
    ("La Russie a annoncé le rappel de son ambassadeur à Paris.", ("SANCTION", "RUS", "FRA")),
    ("La Russie a lancé une opération militaire contre l'Ukraine.", ("ASSAULT", "RUS", "UKR")),
    ("L'Union européenne a instauré des droits de douane sur les voitures du Japon.", ("SANCTION", "EU", "JPN")),
    ("Le Japon s'est dit choqué par la décision de Paris.", ("ACCUSE", "JPN", "FRA")),
    ("Kiev s'est déclaré reconnaissant pour le soutien de Berlin.", ("SUPPORT", "UKR", "DEU")),
    ("Berlin a exprimé son désaccord avec la décision de Paris.", ("ACCUSE", "DEU", "FRA")),
])
def test_noun_phrases_and_judgement_adjectives(nlp, text, expected):
    assert expected in triples(nlp, text)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Le ministre de la France a téléphoné à son homologue de l'Allemagne.",
    "Le ministre de la France a dit avoir téléphoné à Berlin.",
])
def test_participle_tagged_as_a_noun(nlp, text):
    assert ("CONSULT", "FRA", "DEU") in triples(nlp, text)


@pytest.mark.slow
def test_a_bare_noun_is_not_a_participle(nlp):
    # "armée" is the army here, not the participle of "armer" (AID)
    assert not {t for t, _, _ in triples(nlp, "L'armée de la France a défilé à Paris.")} & {"AID"}


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # a participle tagged as an adjective after its auxiliary
    ("Les États-Unis ont gelé les avoirs de la Russie.", ("SANCTION", "USA", "RUS")),
    # a verb the lemmatiser left as its own form
    ("Kiev réclame davantage d'armes à Berlin.", ("REQUEST", "UKR", "DEU")),
    # the marker's complement hung on the object
    ("L'Union européenne a versé un milliard d'euros à l'Ukraine.", ("AID", "EU", "UKR")),
    # an event noun behind a noun of quantity
    ("Kiev a subi une nouvelle vague de frappes de la Russie.", ("ASSAULT", "RUS", "UKR")),
    ("La France a dépêché un émissaire à Moscou.", ("CONSULT", "FRA", "RUS")),
])
def test_tagger_and_attachment_errors(nlp, text, expected):
    assert expected in triples(nlp, text)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Washington a placé plusieurs entreprises du Japon sur liste noire.", ("SANCTION", "USA", "JPN")),
    ("Kiev a qualifié de crime de guerre la frappe de la Russie.", ("ACCUSE", "UKR", "RUS")),
    ("Les forces de la Russie ont pris le contrôle de plusieurs villages de l'Ukraine.", ("COERCE", "RUS", "UKR")),
    ("Tokyo a protesté auprès de Paris contre la décision.", ("ACCUSE", "JPN", "FRA")),
])
def test_phrases_hung_on_the_object_and_official_protests(nlp, text, expected):
    assert expected in triples(nlp, text)


@pytest.mark.slow
def test_alert_through_a_state_noun(nlp):
    assert ("MOBILIZE", "USA", None) in triples(nlp, "Les États-Unis ont placé leurs forces en état d'alerte.")


@pytest.mark.slow
def test_noun_word_one_complement_down(nlp):
    text = "La Russie a annoncé avoir procédé à un échange avec l'Ukraine de 115 prisonniers."
    assert ("CONCEDE", "RUS", "UKR") in triples(nlp, text)


@pytest.mark.slow
def test_armed_forces_that_clash(nlp):
    text = "Les forces de la Russie et de l'Ukraine se sont affrontées près de Kiev."
    assert {("ASSAULT", "RUS", "UKR"), ("ASSAULT", "UKR", "RUS")} <= triples(nlp, text)
    assert ("ASSAULT", "FRA", "RUS") in triples(nlp, "L'armée de la France a affronté les forces de la Russie.")


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "La France a éliminé l'Allemagne en quart de finale.",
    "La France a accueilli un million de touristes du Japon.",
    "La Russie a déployé des efforts considérables pour la croissance.",
    "L'Allemagne a retiré son projet de loi.",
])
def test_everyday_uses_of_event_verbs_give_no_event(nlp, text):
    assert not triples(nlp, text)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("La France a retiré ses troupes du Mali.", ("RETREAT", "FRA", "MLI")),
    ("Israël a éliminé le chef du Hamas.", ("ASSAULT", "ISR", "Hamas")),
    ("Le Mali a retiré son agrément à l'ambassadeur de la France.", ("SANCTION", "MLI", "FRA")),
])
def test_event_senses_kept_by_their_noun(nlp, text, expected):
    assert expected in triples(nlp, text)


def test_ends_table_gives_real_types():
    for ended, (etype, cameo) in lexicon.ENDS.items():
        assert ended in lexicon.PLOVER_TYPES and etype in lexicon.PLOVER_TYPES and cameo.isdigit()
    assert not set(lexicon.ENDS) & lexicon.SPOKEN_TYPES


def test_ending_carrier_format(tmp_path):
    e = _one(tmp_path, "light | mettre fin à | ! | - | - | -")
    assert e.carried and e.ends and (e.noun, e.marker, e.roles) == ("fin", "a", ())


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("La France a mis fin à sa coopération militaire avec le Mali.", ("SANCTION", "FRA", "MLI")),
    ("La Russie a suspendu ses frappes contre l'Ukraine.", ("RETREAT", "RUS", "UKR")),
    ("Washington a renoncé aux sanctions contre le Japon.", ("CONCEDE", "USA", "JPN")),
    ("Le Mali a mis fin à l'accord avec la France.", ("RETREAT", "MLI", "FRA")),
    ("L'Union européenne a approuvé de nouvelles sanctions contre la Russie.", ("SANCTION", "EU", "RUS")),
    ("Berlin a donné son feu vert à l'envoi de chars à l'Ukraine.", ("AID", "DEU", "UKR")),
    ("Le Japon a ordonné l'expulsion des diplomates de la Russie.", ("SANCTION", "JPN", "RUS")),
])
def test_decided_and_ended_acts(nlp, text, expected):
    assert expected in triples(nlp, text)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected", "unwanted"), [
    # the act names its own agent: approving it is support, not doing it
    ("Paris a approuvé les frappes d'Israël.", ("SUPPORT", "FRA", "ISR"), ("ASSAULT", "FRA", "ISR")),
    # a request approved is no request of the approver's
    ("Tokyo a approuvé la demande de la France.", None, ("REQUEST", "JPN", "FRA")),
    # an adjunct is not what a decision carries
    ("Après l'expulsion de diplomates par la Russie, le Japon a décidé de réagir.", None,
     ("SANCTION", "JPN", "RUS")),
])
def test_carriers_keep_to_their_own_acts(nlp, text, expected, unwanted):
    found = triples(nlp, text)
    assert expected is None or expected in found
    assert unwanted not in found
