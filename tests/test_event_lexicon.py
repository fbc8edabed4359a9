"""The shipped event lexicon: coverage of the PLOVER types and CAMEO codes, and a French
sentence of our own for each type and for each ambiguous verb the entries disambiguate."""
from __future__ import annotations

import re
from collections import Counter
from importlib import resources

import pytest
from nlp_fixtures import STATES, event_triples

from veille.nlp import lexicon

# CAMEO event codes (CAMEO codebook, version 1.1): each root category and its sub-codes,
# written as ranges of the last digit. "0211-0214" stands for 0211, 0212, 0213, 0214.
_CAMEO_SPEC = """
010-019
020-028 0211-0214 0231-0234 0241-0244 0251-0256
030-039 0311-0314 0331-0334 0341-0344 0351-0356
040-046
050-057
060-064
070-075
080-087 0811-0814 0831-0834 0841-0842 0861-0863 0871-0874
090-094
100-108 1011-1014 1031-1034 1041-1044 1051-1056
110-116 1121-1125
120-129 1211-1214 1221-1224 1231-1234 1241-1246
130-139 1311-1313 1321-1324 1381-1385
140-145 1411-1414 1421-1424 1431-1434 1441-1444 1451-1454
150-154
160-166 1621-1623 1661-1663
170-175 1711-1712 1721-1724
180-186 1821-1823 1831-1833
190-196
200-204 2041-2042
"""


def _cameo_codes() -> set[str]:
    codes = {f"{r:02d}" for r in range(1, 21)}  # the root categories themselves
    for part in _CAMEO_SPEC.split():
        lo, hi = part.split("-")
        codes.update(lo[:-1] + str(d) for d in range(int(lo[-1]), int(hi[-1]) + 1))
    return codes


CAMEO_CODES = _cameo_codes()

# The CAMEO root categories each PLOVER type is converted from (PLOVER's CAMEO-to-PLOVER
# table), and the few sub-codes a type borrows from another root: 057 "sign formal
# agreement" is AGREE and 055 "apologise" CONCEDE in this project, 018 "empathetic
# comment" SUPPORT, 175 "violent repression" and 1712 "destroy property" ASSAULT, 191-192
# "impose blockade", "occupy territory" COERCE.
ROOTS = {
    "AGREE": {"03"},
    "CONSULT": {"04"},
    "SUPPORT": {"05"},
    "CONCEDE": {"08"},
    "COOPERATE": {"06"},
    "AID": {"07"},
    "RETREAT": {"08"},
    "REQUEST": {"02", "10"},
    "ACCUSE": {"11", "09"},
    "REJECT": {"12"},
    "THREATEN": {"13"},
    "PROTEST": {"14"},
    "SANCTION": {"16"},
    "MOBILIZE": {"15"},
    "COERCE": {"17"},
    "ASSAULT": {"18", "19", "20"},
}
# Sub-codes a type takes from another root.
BORROWED = {
    "AGREE": {"057"},
    "SUPPORT": {"018"},
    "CONCEDE": {"055"},
    "COERCE": {"191", "192"},
    "ASSAULT": {"175", "1712"},
}


@pytest.fixture(scope="module")
def shipped() -> lexicon.Lexicon:
    return lexicon.load()


def test_shipped_lexicon_parses_with_enough_entries(shipped):
    assert len(shipped.entries) >= 800
    assert {e.kind for e in shipped.entries.values()} == {"verb", "light", "noun", "stop"}


def _events(lex):
    """The entries that give an event of their own type (no stop entries, no carriers)."""
    return [e for e in lex.entries.values() if not e.stop and not e.carried]


def test_every_plover_type_is_covered(shipped):
    counts = Counter(e.type for e in _events(shipped))
    assert set(counts) == set(lexicon.PLOVER_TYPES)
    for etype in lexicon.PLOVER_TYPES:
        assert counts[etype] >= 30, etype
        kinds = {e.kind for e in _events(shipped) if e.type == etype}
        assert {"verb", "noun"} <= kinds or {"verb", "light"} <= kinds, etype


def test_cameo_codes_are_real_and_match_the_type(shipped):
    for e in _events(shipped):
        assert re.fullmatch(r"\d{2,4}", e.cameo), e.pattern
        assert e.cameo in CAMEO_CODES, (e.pattern, e.cameo)
        assert e.cameo[:2] in ROOTS[e.type] or e.cameo in BORROWED.get(e.type, ()), \
            (e.pattern, e.type, e.cameo)


def test_every_cameo_root_category_is_reached(shipped):
    roots = {e.cameo[:2] for e in _events(shipped)}
    # 01 and 02 (statements, appeals) are only partly events in PLOVER; the others all are.
    assert {f"{r:02d}" for r in range(3, 21)} <= roots


def test_entries_find_a_recipient_or_stand_alone(shipped):
    # (a carrier with no roles takes those of the noun it carries)
    for e in [*_events(shipped), *(e for e in shipped.entries.values() if e.carried and e.roles)]:
        assert e.roles or e.solo, e.pattern
        if e.kind == "noun":
            # a noun event never stands alone: without an agent and a recipient it is a topic
            assert not e.solo, e.pattern


def test_file_is_grouped_by_type_under_one_header_each():
    text = resources.files("veille").joinpath("data/event_lexicon.txt").read_text(encoding="utf-8")
    headers, current = [], None
    for line in text.splitlines():
        m = re.match(r"# --- ([A-Z]+):", line)  # a PLOVER type, CARRIERS or STOP
        if m:
            current = m.group(1)
            headers.append(current)
            continue
        body = line.split("#", 1)[0]
        if "|" in body:
            fields = [f.strip() for f in body.split("|")]
            if fields[0] == "stop":
                assert current == "STOP", f"{body.strip()} under the {current} header"
            elif fields[2] in (lexicon.CARRIED, lexicon.ENDED):
                assert current == "CARRIERS", f"{body.strip()} under the {current} header"
            else:
                assert fields[2] == current, f"{body.strip()} under the {current} header"
    assert sorted(headers) == sorted([*lexicon.PLOVER_TYPES, "CARRIERS", "STOP"])


# --- the entries at work, on sentences written for these tests --------------------------

ACTORS = {
    **STATES,
    "UKR": ("country", ["Ukraine", "Kiev"]),
    "IRN": ("country", ["Iran", "Téhéran"]),
    "ISR": ("country", ["Israël"]),
    "MLI": ("country", ["Mali"]),
    "JPN": ("country", ["Japon", "Tokyo"]),
    "EU": ("igo", ["Union européenne"]),
    "Hamas": ("group", ["Hamas"]),
    "Huawei": ("company", ["Huawei"]),
    "Marie Lenoir": ("person", ["Marie Lenoir"]),
    "CGT": ("group", ["CGT"]),
}


def triples(nlp, text):
    return event_triples(nlp, text, ACTORS)


SENTENCES = [
    ("La France a ratifié le traité avec l'Allemagne.", ("AGREE", "FRA", "DEU")),
    ("Berlin a promis une aide militaire à Kiev.", ("AGREE", "DEU", "UKR")),
    ("Paris a rendu visite à Berlin.", ("CONSULT", "FRA", "DEU")),
    ("La France a appelé l'Allemagne au téléphone.", ("CONSULT", "FRA", "DEU")),
    ("L'Allemagne a remercié la France pour son aide.", ("SUPPORT", "DEU", "FRA")),
    ("Paris a présenté ses condoléances à Washington.", ("SUPPORT", "FRA", "USA")),
    ("La France a rétabli ses relations diplomatiques avec l'Iran.", ("SUPPORT", "FRA", "IRN")),
    ("Washington a levé l'embargo contre l'Iran.", ("CONCEDE", "USA", "IRN")),
    ("Téhéran a présenté ses excuses à Paris.", ("CONCEDE", "IRN", "FRA")),
    ("La France a partagé des renseignements avec l'Allemagne.", ("COOPERATE", "FRA", "DEU")),
    ("La Chine a mené des exercices conjoints avec la Russie.", ("COOPERATE", "CHN", "RUS")),
    ("L'Allemagne a livré des armes à l'Ukraine.", ("AID", "DEU", "UKR")),
    ("Washington a accordé un prêt à Kiev.", ("AID", "USA", "UKR")),
    ("La Russie a levé le blocus des ports de l'Ukraine.", ("RETREAT", "RUS", "UKR")),
    ("La Chine a sommé les États-Unis de cesser leurs provocations.", ("REQUEST", "CHN", "USA")),
    ("Washington a imputé l'attaque à Téhéran.", ("ACCUSE", "USA", "IRN")),
    ("La France a porté plainte contre Huawei.", ("ACCUSE", "FRA", "Huawei")),
    ("La France a convoqué l'ambassadeur de Russie.", ("ACCUSE", "FRA", "RUS")),
    ("Pékin a démenti les accusations de Washington.", ("REJECT", "CHN", "USA")),
    ("La Russie a opposé son veto à la résolution de la France.", ("REJECT", "RUS", "FRA")),
    ("Moscou a lancé un ultimatum à Kiev.", ("THREATEN", "RUS", "UKR")),
    ("La Chine a promis des représailles contre les États-Unis.", ("THREATEN", "CHN", "USA")),
    ("La CGT a défilé contre l'Union européenne.", ("PROTEST", "CGT", "EU")),
    ("La CGT a appelé à la grève.", ("PROTEST", "CGT", None)),
    ("L'Union européenne a adopté de nouvelles sanctions contre la Russie.", ("SANCTION", "EU", "RUS")),
    ("Le Mali a expulsé l'ambassadeur de France.", ("SANCTION", "MLI", "FRA")),
    ("Washington a suspendu son aide au Mali.", ("SANCTION", "USA", "MLI")),
    ("La Russie a mené des exercices militaires.", ("MOBILIZE", "RUS", None)),
    ("La Russie a tiré un missile balistique.", ("MOBILIZE", "RUS", None)),
    ("Téhéran a arrêté Marie Lenoir.", ("COERCE", "IRN", "Marie Lenoir")),
    ("La Russie a saisi les avoirs de Huawei.", ("COERCE", "RUS", "Huawei")),
    ("La Russie a lancé une offensive contre l'Ukraine.", ("ASSAULT", "RUS", "UKR")),
    ("Israël a tiré des missiles sur le Hamas.", ("ASSAULT", "ISR", "Hamas")),
    ("Le Hamas a enlevé Marie Lenoir.", ("ASSAULT", "Hamas", "Marie Lenoir")),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_entry_codes_its_sentence(nlp, text, expected):
    assert expected in triples(nlp, text)


@pytest.mark.slow
def test_sentences_cover_every_type():
    assert {etype for _, (etype, _, _) in SENTENCES} == set(lexicon.PLOVER_TYPES)


# An ambiguous verb takes its event from the noun or preposition that marks it.
CONTRASTS = [
    ("La France a appelé l'Allemagne au téléphone.", "CONSULT", "REQUEST"),
    ("Washington appelle Berlin à la retenue.", "REQUEST", "CONSULT"),
    ("Israël a tiré des missiles sur le Hamas.", "ASSAULT", "MOBILIZE"),
    ("La Russie a tiré un missile balistique.", "MOBILIZE", "ASSAULT"),
    ("La Russie a saisi la Cour internationale de justice contre l'Ukraine.", "ACCUSE", "COERCE"),
    ("La Russie a saisi les avoirs de Huawei.", "COERCE", "ACCUSE"),
    ("La Chine a mené des exercices conjoints avec la Russie.", "COOPERATE", "MOBILIZE"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "wanted", "unwanted"), CONTRASTS)
def test_ambiguous_verbs_follow_their_complement(nlp, text, wanted, unwanted):
    types = {t for t, _, _ in triples(nlp, text)}
    assert wanted in types
    assert unwanted not in types


# Phrases the entries and the matcher must read, with what they give and must not give.
PHRASES = [
    # exercises held together: the parties cooperate with one another
    ("Le Japon et les États-Unis ont effectué des exercices militaires conjoints en mer.",
     {("COOPERATE", "JPN", "USA"), ("COOPERATE", "USA", "JPN")}, {("MOBILIZE", "JPN", None)}),
    ("Des exercices conjoints entre le Japon et les États-Unis ont commencé lundi.",
     {("COOPERATE", "JPN", "USA"), ("COOPERATE", "USA", "JPN")}, set()),
    ("La France et l'Allemagne ont organisé des manœuvres communes.",
     {("COOPERATE", "FRA", "DEU")}, set()),
    # exercises near a country are aimed at it
    ("La Russie a organisé des manœuvres militaires près de l'Ukraine.", {("MOBILIZE", "RUS", "UKR")}, set()),
    # "de X" on the object says whose accreditation, not where it is withdrawn from
    ("Le Mali a retiré l'accréditation de la France.", {("SANCTION", "MLI", "FRA")}, {("RETREAT", "MLI", "FRA")}),
    # an announced act is the act of the one who announces it
    ("Le gouvernement du Mali a annoncé le retrait de son ambassadeur en France.",
     {("SANCTION", "MLI", "FRA")}, set()),
    ("La Russie a annoncé le retrait de ses troupes.", {("RETREAT", "RUS", None)}, set()),
    ("Washington a annoncé l'envoi de chars à l'Ukraine.", {("AID", "USA", "UKR")}, set()),
    ("La France a annoncé la visite du président allemand.", set(), {("CONSULT", "FRA", "DEU")}),
    # the doing of an act carries the act ("l'imposition de droits", "la mise en place de sanctions")
    (("L'Union européenne a donné son feu vert à l'imposition de droits de douane sur les voitures "
      "importées de Chine."), {("SANCTION", "EU", "CHN")}, set()),
    ("L'Union européenne a décidé la mise en place de sanctions contre la Russie.", {("SANCTION", "EU", "RUS")}, set()),
    # a condition is a hypothesis, not an act; "même si" states one
    ("Le Mali a menacé la France de représailles si elle venait à imposer de nouvelles sanctions contre le Mali.",
     {("THREATEN", "MLI", "FRA")}, {("SANCTION", "FRA", "MLI")}),
    ("Même si la Russie a attaqué l'Ukraine, Berlin refuse de livrer des chars.", {("ASSAULT", "RUS", "UKR")}, set()),
    # a hostile act vowed or stated under a condition is a threat
    ("Israël a juré d'anéantir le Hamas.", {("THREATEN", "ISR", "Hamas")}, {("ASSAULT", "ISR", "Hamas")}),
    ("La Chine a promis de sanctionner les États-Unis.", {("THREATEN", "CHN", "USA")}, {("SANCTION", "CHN", "USA")}),
    ("Si l'Union européenne impose des sanctions, la Chine ripostera.", {("THREATEN", "CHN", "EU")}, set()),
    ("La France ripostera en cas d'attaque contre ses ressortissants.", {("THREATEN", "FRA", None)}, set()),
    # judgements that call an actor's act illegitimate or unacceptable accuse it
    ("Paris a rétorqué que le gouvernement du Mali était illégitime.", {("ACCUSE", "FRA", "MLI")}, set()),
    ("Berlin estime que la décision de Paris n'est pas illégale.", set(), {("ACCUSE", "DEU", "FRA")}),
    # nouns of acts, with their agent ("par X", also when the parser hangs it on the verb)
    ("La libération de Marie Lenoir par l'Iran a été saluée.", {("CONCEDE", "IRN", "Marie Lenoir")}, set()),
    ("L'Union européenne a ouvert une enquête sur Huawei.", {("ACCUSE", "EU", "Huawei")}, set()),
    ("L'opposition de Berlin à ce projet de Paris est connue.", {("REJECT", "DEU", "FRA")}, set()),
    ("La France a demandé à adhérer à l'Union européenne à la suite de l'invasion de l'Ukraine par la Russie.",
     {("ASSAULT", "RUS", "UKR")}, set()),
    # a reaction to an act told before, up to three paragraphs back; "le tir" may be a launch
    ("La Russie a tiré un missile balistique.\n\nLe Japon a condamné le tir.", {("ACCUSE", "JPN", "RUS")}, set()),
    (("La Russie a tiré un missile balistique.\n\nLes habitants ont été évacués.\n\nAucun blessé.\n\n"
      "Le Japon le condamne fermement."), {("ACCUSE", "JPN", "RUS")}, set()),
    ("La Russie a tiré un missile balistique.\n\nLe Japon n'a pas condamné le tir.", set(), {("ACCUSE", "JPN", "RUS")}),
    # a ceasefire violated is an attack (CAMEO 196), one declared a concession (0871)
    ("La Russie a violé le cessez-le-feu avec l'Ukraine.", {("ASSAULT", "RUS", "UKR")}, {("AGREE", "RUS", "UKR")}),
    ("L'Ukraine a déclaré un cessez-le-feu avec la Russie.", {("CONCEDE", "UKR", "RUS")}, set()),
    ("L'Iran a indemnisé la France.", {("RETREAT", "IRN", "FRA")}, set()),
    # sums of money released for someone; cuts of supply to someone; alignment on someone
    ("La France a débloqué 100 millions d'euros pour l'Ukraine.", {("AID", "FRA", "UKR")}, set()),
    ("La Russie a coupé l'approvisionnement en gaz de l'Allemagne.", {("COERCE", "RUS", "DEU")}, set()),
    ("Le Mali s'est aligné sur la Russie.", {("SUPPORT", "MLI", "RUS")}, set()),
    ("Le Mali a aligné ses prix sur ceux de la France.", set(), {("SUPPORT", "MLI", "FRA")}),
    # a departure demanded is a demand of withdrawal; an arrest warrant a legal coercion
    ("Le Mali a réclamé le départ des troupes de la France.", {("REQUEST", "MLI", "FRA")}, set()),
    ("La France a lancé un mandat d'arrêt contre Marie Lenoir.", {("COERCE", "FRA", "Marie Lenoir")}, set()),
    # retaliation announced (in the future or under a condition) is a threat; a reply is none
    ("Paris répliquera de manière immédiate.", {("THREATEN", "FRA", None)}, set()),
    ("La Russie va riposter.", {("THREATEN", "RUS", None)}, set()),
    ("La Chine a répliqué que les accusations étaient fausses.", set(), {("THREATEN", "CHN", None)}),
    ("La France ne réagira pas.", set(), {("THREATEN", "FRA", None)}),
    # a call to protest addressed to no one (or to a crowd) is the caller's protest
    ("La CGT appelle à manifester contre l'Union européenne.", {("PROTEST", "CGT", "EU")}, {("REQUEST", "CGT", "EU")}),
    ("La CGT a appelé à descendre dans la rue contre la France.", {("PROTEST", "CGT", "FRA")}, set()),
    ("La CGT appelle ses adhérents à faire grève contre l'Union européenne.", {("PROTEST", "CGT", "EU")}, set()),
    ("La CGT appelle l'Union européenne à revoir sa copie.", {("REQUEST", "CGT", "EU")}, set()),
    ("La CGT appelle à une journée de grève contre la France.", {("PROTEST", "CGT", "FRA")}, set()),
    ("Le Hamas a appelé à la révolte contre Israël.", {("PROTEST", "Hamas", "ISR")}, {("REQUEST", "Hamas", "ISR")}),
    # not recognising an election, a government or a state rejects it; recognising supports
    ("La France ne reconnaît pas la réélection du président du Mali.", {("REJECT", "FRA", "MLI")},
     {("SUPPORT", "FRA", "MLI")}),
    ("Paris n'a pas reconnu les résultats de l'élection présidentielle au Mali.", {("REJECT", "FRA", "MLI")}, set()),
    ("Le Japon a reconnu la réélection du président du Mali.", {("SUPPORT", "JPN", "MLI")}, {("REJECT", "JPN", "MLI")}),
    ("La France refuse de reconnaître le gouvernement du Mali.", {("REJECT", "FRA", "MLI")},
     {("SUPPORT", "FRA", "MLI")}),
    # veiled threats: measures to come, inaction denied, a right to retaliate reserved
    ("La Chine prendra toutes les mesures nécessaires contre les États-Unis.", {("THREATEN", "CHN", "USA")},
     {("SANCTION", "CHN", "USA")}),
    ("La Chine a pris toutes les mesures nécessaires contre les États-Unis.", set(), {("THREATEN", "CHN", "USA")}),
    ("Pékin ne restera pas les bras croisés face aux provocations des États-Unis.", {("THREATEN", "CHN", "USA")},
     set()),
    ("Pékin est resté les bras croisés face aux États-Unis.", set(), {("THREATEN", "CHN", "USA")}),
    ("La Russie se réserve le droit de riposter contre l'Ukraine.", {("THREATEN", "RUS", "UKR")},
     {("ASSAULT", "RUS", "UKR")}),
    ("La Russie se réserve le droit de réagir.", {("THREATEN", "RUS", None)}, set()),
    ("La Chine a promis de répliquer.", {("THREATEN", "CHN", None)}, set()),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "wanted", "unwanted"), PHRASES)
def test_phrases_give_their_events(nlp, text, wanted, unwanted):
    found = triples(nlp, text)
    assert wanted <= found
    assert not (unwanted & found)
