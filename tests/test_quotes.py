"""Quotes and speakers on French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import make_resolution

from veille.nlp import quotes
from veille.records import Article

ACTORS = {
    "Marie Lenoir": ("person", ["Marie Lenoir", "Mme Lenoir", "Lenoir"]),
    "Paul Girard": ("person", ["Paul Girard", "M. Girard"]),
    "Ministère": ("organisation", ["le ministère de la Santé", "ministère de la Santé"]),
    "FRA": ("country", ["France", "présidence française"]),
    "Le Courrier": ("media", ["Le Courrier", "Courrier"]),
}


def run(nlp, text, pronouns=None):
    doc = nlp(text)
    res = make_resolution(doc, ACTORS, pronouns)
    return quotes.extract(doc, res, Article(id="q", source="q", text=text))


@pytest.mark.slow
def test_incise_after_inverted_subject(nlp):
    text = "« Nous ne reculerons pas devant ces menaces », a déclaré mardi Paul Girard."
    qs = run(nlp, text)
    assert len(qs) == 1
    q = qs[0]
    assert q.direct and q.speaker == "Paul Girard"
    assert q.text == "Nous ne reculerons pas devant ces menaces"
    assert text[q.span[0]:q.span[1]] == q.text


@pytest.mark.slow
def test_straight_quotes_and_title(nlp):
    text = ('Paul Girard a commenté le rapport intitulé "Les réseaux publics sont en danger". '
            '"Nous lirons ce rapport avec attention", a ajouté M. Girard.')
    qs = run(nlp, text)
    assert [q.text for q in qs] == ["Nous lirons ce rapport avec attention"]
    assert qs[0].speaker == "Paul Girard"


@pytest.mark.slow
def test_speech_verb_before_colon(nlp):
    qs = run(nlp, "Marie Lenoir a déclaré : « La réforme entrera en vigueur dès janvier ».")
    assert len(qs) == 1 and qs[0].speaker == "Marie Lenoir" and qs[0].direct


@pytest.mark.slow
def test_selon_with_quote(nlp):
    qs = run(nlp, "Selon Marie Lenoir, ministre de la Culture : « Les musées rouvriront bientôt ».")
    assert len(qs) == 1 and qs[0].speaker == "Marie Lenoir"


@pytest.mark.slow
def test_pronoun_incise_and_continuation(nlp):
    text = ("Marie Lenoir a parlé longuement. « Les hôpitaux manquent de bras », a-t-elle ajouté. "
            "« Nous devons recruter vite. »")
    qs = run(nlp, text, pronouns={r"(?<=-t-)elle": "Marie Lenoir"})
    assert len(qs) == 1
    q = qs[0]
    assert q.speaker == "Marie Lenoir" and q.speaker_name == "Marie Lenoir"
    assert q.text.startswith("Les hôpitaux") and q.text.endswith("recruter vite.")


@pytest.mark.slow
def test_unresolved_pronoun_takes_previous_speaker(nlp):
    text = ("« Le budget sera voté en mars », a déclaré Paul Girard. Il a ensuite parlé des routes.\n"
            "« Les travaux dureront deux ans », a-t-il précisé.")
    qs = run(nlp, text)
    assert [q.speaker for q in qs] == ["Paul Girard", "Paul Girard"]


@pytest.mark.slow
def test_multi_paragraph_quote(nlp):
    text = ("Marie Lenoir a déclaré : « La première étape commence demain.\n"
            "« La seconde étape suivra au printemps. »\nLa séance a ensuite été levée.")
    qs = run(nlp, text)
    assert len(qs) == 1
    assert "première étape" in qs[0].text and "seconde étape" in qs[0].text
    assert qs[0].speaker == "Marie Lenoir"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Le ministre dénonce des « backdoors » dans les routeurs.",
    "La France applique le « deux poids, deux mesures » selon ses détracteurs.",
    "Le film « La grande évasion » sort mercredi.",
    "Le rapport intitulé « Les villes changent de visage » a été publié mardi.",
])
def test_scare_quotes_and_titles_are_not_quotes(nlp, text):
    assert run(nlp, text) == []


@pytest.mark.slow
def test_indirect_speech(nlp):
    text = "Paul Girard a déclaré que la réforme des retraites serait votée avant l'été."
    qs = run(nlp, text)
    assert len(qs) == 1
    q = qs[0]
    assert not q.direct and q.speaker == "Paul Girard"
    assert q.text.startswith("la réforme") and text[q.span[0]:q.span[1]] == q.text


@pytest.mark.slow
def test_judgement_of_a_country_and_claim_of_an_outlet_are_not_quotes(nlp):
    # a country's "estime que" states its position; an outlet's claim is a cited source
    assert run(nlp, "La France estime que la réforme est nécessaire.") == []
    assert run(nlp, "Selon Le Courrier, la réforme sera votée avant l'été.") == []


@pytest.mark.slow
def test_what_a_country_declares_is_indirect_speech(nlp):
    qs = run(nlp, "La France a déclaré que la réforme serait votée avant l'été.")
    assert [(q.speaker, q.direct, q.text) for q in qs] == [("FRA", False, "la réforme serait votée avant l'été")]


def speakers(qs):
    return [(q.speaker or q.speaker_name, q.text) for q in qs]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "speaker", "starts"), [
    # an adverbial between the verb and its inverted subject
    ("« Les échanges reprendront la semaine prochaine », a déclaré pour sa part Paul Girard.",
     "Paul Girard", "Les échanges"),
    # a verb that attributes a quote only in an incise
    ("« Cette décision est une erreur », a tranché Marie Lenoir.", "Marie Lenoir", "Cette décision"),
    # the quoted clause goes on after the closing mark
    ("« Deux cents camions arriveront demain » dans la capitale, a indiqué Paul Girard.",
     "Paul Girard", "Deux cents"),
    # an incise inside the quote
    ("« Nous avons tout perdu, dit un habitant, il ne reste plus rien. »", "un habitant", "Nous avons"),
    # "selon" after the quote
    ("« Les stocks seront épuisés avant juin », selon Marie Lenoir.", "Marie Lenoir", "Les stocks"),
    # the quote is the predicate of its clause: its subject speaks
    ("Paul Girard a « fermement condamné cette décision injuste ».", "Paul Girard", "fermement condamné"),
    ("Le ministère de la Santé a ordonné « la fermeture immédiate et définitive » des cliniques.",
     "Ministère", "la fermeture"),
])
def test_direct_quote_attribution(nlp, text, speaker, starts):
    qs = [q for q in run(nlp, text) if q.direct]
    assert len(qs) == 1, qs
    assert (qs[0].speaker or qs[0].speaker_name) == speaker
    assert qs[0].text.startswith(starts)


@pytest.mark.slow
def test_quote_right_after_an_attributed_one_has_the_same_speaker(nlp):
    text = "« Nous refusons ce chantage », s'est exprimé Paul Girard. « Nous ne signerons rien. »"
    qs = run(nlp, text)
    assert {q.speaker for q in qs} == {"Paul Girard"}
    joined = " ".join(q.text for q in qs)
    assert "Nous refusons" in joined and "Nous ne signerons rien" in joined


@pytest.mark.slow
def test_pronoun_after_selon_is_the_last_speaker(nlp):
    text = ("« Les hôpitaux manquent de bras », a déclaré Marie Lenoir. "
            "Selon elle, « le gouvernement doit recruter vite ».")
    qs = run(nlp, text)
    assert [q.speaker for q in qs] == ["Marie Lenoir", "Marie Lenoir"]


@pytest.mark.slow
def test_document_speaks_for_its_author(nlp):
    text = ("« Les vaccins seront gratuits », a déclaré le ministère de la Santé. "
            "« Les centres ouvriront dès lundi », précise le communiqué.")
    assert [q.speaker for q in run(nlp, text)] == ["Ministère", "Ministère"]
    text = "« Les centres ouvriront dès lundi », indique un communiqué du ministère de la Santé."
    assert [q.speaker for q in run(nlp, text)] == ["Ministère"]


@pytest.mark.slow
def test_source_speaks_for_the_actor_that_just_spoke(nlp):
    # no quote before: the actor last named as the subject of a speech verb
    text = ("Le ministère de la Santé a annoncé mardi la fermeture de trois hôpitaux.\n"
            "« Les patients seront transférés dès la semaine prochaine », a précisé la source.")
    assert [(q.speaker, q.speaker_name) for q in run(nlp, text)] == [("Ministère", "la source")]
    # an actor announcing after an earlier quote is the nearer author
    text = ("« Nous refusons ce plan », a déclaré Paul Girard.\n"
            "Le ministère de la Santé a annoncé mardi un nouveau calendrier.\n"
            "« Les travaux commenceront en juin », indique le communiqué.")
    assert [q.speaker for q in run(nlp, text) if q.direct] == ["Paul Girard", "Ministère"]


@pytest.mark.slow
def test_source_needs_an_actor_that_spoke(nlp):
    # the ministry acts but says nothing: the source stays without an actor
    text = ("Le ministère de la Santé a fermé mardi trois hôpitaux.\n"
            "« Les patients seront transférés dès la semaine prochaine », a précisé la source.")
    assert [q.speaker for q in run(nlp, text)] == [None]


@pytest.mark.slow
def test_institution_takes_the_actor_of_an_earlier_phrase(nlp):
    text = ("La présidence française a réagi mardi.\n"
            "« Nous ne laisserons pas faire », a indiqué la présidence dans un communiqué.")
    qs = run(nlp, text)
    assert [(q.speaker, q.speaker_name) for q in qs] == [("FRA", "la présidence")]


@pytest.mark.slow
def test_quote_after_a_paragraph_ending_with_a_colon(nlp):
    qs = run(nlp, "Paul Girard a déclaré :\n« Nous irons jusqu'au bout de cette réforme. »")
    assert [q.speaker for q in qs] == ["Paul Girard"]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "speaker", "text_said"), [
    ("Paul Girard a salué l'accord, ajoutant que les discussions reprendraient en mai.",
     "Paul Girard", "les discussions reprendraient en mai"),
    ("Pour Marie Lenoir, la décision du conseil est une erreur grave.",
     "Marie Lenoir", "la décision du conseil est une erreur grave"),
    ("Les négociations reprendront en mai, selon Marie Lenoir.", "Marie Lenoir", "Les négociations reprendront en mai"),
    ("Paul Girard a annoncé avoir signé le décret mardi.", "Paul Girard", "avoir signé le décret mardi"),
    ("Paul Girard, qui estime que la réforme est injuste, a quitté la salle.",
     "Paul Girard", "la réforme est injuste"),
    ("Des tirs ont été entendus près du port, selon des journalistes du Courrier.",
     "Le Courrier", "Des tirs ont été entendus près du port"),
])
def test_indirect_speech_forms(nlp, text, speaker, text_said):
    qs = [q for q in run(nlp, text) if not q.direct]
    assert [(q.speaker, q.text) for q in qs] == [(speaker, text_said)]
    q = qs[0]
    assert text[q.span[0]:q.span[1]] == q.text


@pytest.mark.slow
def test_attribution_does_not_cross_a_paragraph(nlp):
    text = "Paul Girard a déclaré que le projet était abandonné\net le chantier a fermé ses portes."
    qs = run(nlp, text)
    assert [q.text for q in qs] == ["le projet était abandonné"]


def test_find_quoted_pairs():
    text = "Il a dit « un » et “deux” puis \"trois\"."
    spans = [text[r.start:r.end].strip() for r in quotes.find_quoted(text)]
    assert spans == ["un", "deux", "trois"]


def test_single_quotation_marks_are_told_from_apostrophes():
    text = "'Ce qu'il faut, c'est agir vite', a dit l'élu. L'accord d'aujourd'hui tient. ‘Nous irons’, dit-il."
    assert [text[r.start:r.end] for r in quotes.find_quoted(text)] == ["Ce qu'il faut, c'est agir vite",
                                                                      "Nous irons"]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "speaker", "text_said"), [
    # the unquoted clause before an incise is what was said
    ("La France a condamné l'attaque avec force, a indiqué le ministre Paul Girard.",
     "Paul Girard", "La France a condamné l'attaque avec force"),
    # "on" speaks for the one named after "à"
    ("Au moins cinq cents personnes sont attendues jeudi, indique-t-on au ministère de la Santé.",
     "Ministère", "Au moins cinq cents personnes sont attendues jeudi"),
])
def test_clause_before_an_incise(nlp, text, speaker, text_said):
    qs = run(nlp, text)
    assert [(q.speaker, q.text) for q in qs] == [(speaker, text_said)]


@pytest.mark.slow
def test_clause_reporting_someone_else_is_not_the_incise_speakers(nlp):
    text = "Le rapport révèle que les réseaux sont fragiles, a poursuivi Paul Girard."
    assert [q.text for q in run(nlp, text) if q.speaker == "Paul Girard"] == []


@pytest.mark.slow
def test_function_in_apposition_to_a_name(nlp):
    text = "Interrogé mardi, Paul Girard, le ministre, a indiqué que la réforme serait retirée."
    qs = run(nlp, text)
    assert [(q.speaker, q.text) for q in qs] == [("Paul Girard", "la réforme serait retirée")]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "speaker", "text_said"), [
    ("Pour Marie Lenoir, la ministre de la Culture, les musées rouvriront en mai.",
     "Marie Lenoir", "les musées rouvriront en mai"),
    (("Des tirs ont été entendus près du port, selon des journalistes du Courrier qui ont vu des flammes, "
      "sans doute dues à un incendie."), "Le Courrier", "Des tirs ont été entendus près du port"),
    ("Le ministère a rejeté la décision, qui, selon Marie Lenoir, était une erreur grave.",
     "Marie Lenoir", "était une erreur grave"),
])
def test_selon_and_pour_scopes(nlp, text, speaker, text_said):
    qs = [q for q in run(nlp, text) if not q.direct]
    assert [(q.speaker, q.text) for q in qs] == [(speaker, text_said)]


@pytest.mark.slow
def test_country_after_a_claim_is_its_provenance_not_a_quote(nlp):
    assert run(nlp, "Les réseaux seraient vulnérables aux attaques, selon la France.") == []


@pytest.mark.slow
def test_pronoun_takes_the_person_last_named_as_a_speaker(nlp):
    text = ("Marie Lenoir a salué l'accord. « C'est une étape », a-t-elle ajouté. "
            "Pour Paul Girard, il ne s'agit que d'un début. « Il faudra plus », a-t-il insisté.")
    qs = [q for q in run(nlp, text) if q.direct]
    assert [q.speaker for q in qs] == ["Marie Lenoir", "Paul Girard"]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "speaker", "starts"), [
    # two quotes of one sentence, one incise after the second
    (("« Nous retirons nos troupes », que la France refusait de rappeler, et « nous arrêtons tout », "
      "a déclaré Paul Girard."), "Paul Girard", "Nous retirons"),
    # a place before the incise verb is no subject
    ("Paul Girard « ne cédera rien sur ce dossier », à Lyon a indiqué la présidence française.",
     "FRA", "ne cédera rien"),
    # the quote holds the verb of a subject named before it
    ("Dans un communiqué publié mardi, le ministère de la Santé « a fermement condamné cette attaque ».",
     "Ministère", "a fermement condamné"),
])
def test_more_direct_attribution(nlp, text, speaker, starts):
    qs = [q for q in run(nlp, text) if q.direct and q.text.startswith(starts)]
    assert len(qs) == 1 and qs[0].speaker == speaker, qs


@pytest.mark.slow
def test_coordinated_speech_verb_takes_the_first_subject(nlp):
    text = "La France a approuvé la demande de Paul Girard, mais a déclaré qu'elle attendait des garanties."
    qs = run(nlp, text)
    assert [(q.speaker, q.text) for q in qs] == [("FRA", "elle attendait des garanties")]


@pytest.mark.slow
def test_outlet_reporting_is_a_cited_source_not_a_speaker(nlp):
    assert run(nlp, "Le Courrier rapporte que les ministres se sont rencontrés en secret.") == []


@pytest.mark.slow
@pytest.mark.parametrize(("text", "speaker", "said"), [
    ("Le ministère de la Santé a saisi le tribunal le mois dernier, arguant que la réforme violait la loi.",
     "Ministère", "la réforme violait la loi"),
    ("Marie Lenoir a saisi la Cour en urgence, arguant que le texte violait la Constitution.",
     "Marie Lenoir", "le texte violait la Constitution"),
])
def test_participle_of_speech_continues_its_clause(nlp, text, speaker, said):
    # "…, arguant que": the parser may hang the participle as an adverb of the main verb
    qs = [q for q in run(nlp, text) if not q.direct]
    assert [(q.speaker, q.text) for q in qs] == [(speaker, said)]


@pytest.mark.slow
def test_inverted_pronoun_wins_over_the_agency_that_reported_it(nlp):
    text = ("Paul Girard a parlé longuement. « Nous chauffons nos voisins depuis des années et ils nous menacent. "
            "Je leur conseille de réfléchir », a-t-il déclaré, selon des propos rapportés par le journal Le Courrier.")
    qs = run(nlp, text, pronouns={r"(?<=-t-)il": "Paul Girard"})
    assert [q.speaker for q in qs if q.direct] == ["Paul Girard"]


@pytest.mark.slow
def test_narrative_infinitive_continues_the_last_speaker(nlp):
    text = ("Marie Lenoir a déclaré : « Le ministère a conclu un accord avec les syndicats ». "
            "Et d'ajouter : « Les travaux se poursuivront ce soir. Je remercie nos partenaires ».")
    qs = run(nlp, text)
    assert [(q.text[:15], q.speaker) for q in qs] == [("Le ministère a ", "Marie Lenoir"),
                                                     ("Les travaux se ", "Marie Lenoir")]


@pytest.mark.slow
def test_narrative_infinitive_needs_a_speaker_before(nlp):
    text = "Et de préciser : « Les travaux se poursuivront ce soir avec les syndicats »."
    assert all(q.speaker is None for q in run(nlp, text))


@pytest.mark.slow
def test_possessive_function_takes_the_actor_an_earlier_phrase_with_that_noun_named(nlp):
    text = ("L'entourage de Marie Lenoir a vivement répondu mardi à Paul Girard. "
            "« Nous ne céderons pas devant ces menaces », a déclaré son entourage.")
    qs = run(nlp, text)
    assert [(q.text[:10], q.speaker) for q in qs] == [("Nous ne cé", "Marie Lenoir")]
