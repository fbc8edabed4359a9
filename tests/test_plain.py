"""English articles: actors and cited sources read without a parser (invented texts)."""
from __future__ import annotations

import pytest

from veille.nlp import dictionary, plain


@pytest.fixture(scope="module")
def lex():
    return dictionary.default()


TEXT = ("WASHINGTON (Reuters) - The United States accused China on Tuesday of hacking, according "
        "to The Wall Street Journal. Huawei denied it. The Kremlin and NATO said nothing, the "
        "Financial Times reported. Officials in Beijing met, according to diplomats cited by "
        "Agence France-Presse. The decision was first reported by Nordic Daily News.")


def test_dictionary_names_in_english_give_the_actors_with_their_spans(lex):
    actors, _ = plain.read(TEXT, lex)
    by_id = {a.id: a for a in actors}
    assert ["USA", "Reuters", "CHN"] == [a.id for a in actors][:3]  # "WASHINGTON" first
    assert by_id["CHN"].aliases == ["China", "Beijing"] and by_id["CHN"].kind == "country"
    assert by_id["RUS"].aliases == ["Kremlin"]  # a seat of power stands for its country
    assert {"NATO", "Huawei", "AFP", "Financial Times", "The Wall Street Journal"} <= set(by_id)
    for a in actors:
        for s, e in a.mentions:
            assert TEXT[s:e] in a.aliases


def test_attribution_cues_and_the_dateline_give_cited_sources(lex):
    _, cited = plain.read(TEXT, lex)
    got = [(c.name, c.actor) for c in cited]
    assert got == [("Reuters", "Reuters"), ("The Wall Street Journal", "The Wall Street Journal"),
                   ("Financial Times", "Financial Times"), ("Agence France-Presse", "AFP"),
                   ("Nordic Daily News", None)]  # a name the dictionary does not know
    for c in cited:
        assert TEXT[c.span[0]:c.span[1]] == c.name
    _, own = plain.read(TEXT, lex, outlet="Reuters")
    assert "Reuters" not in [c.name for c in own]  # an outlet is never a source of itself


def test_lower_case_words_and_unknown_names_are_no_actors(lex):
    actors, cited = plain.read("the president said officials would meet soon, sources said.", lex)
    assert actors == [] and cited == []


def test_a_dated_dateline_gives_its_agency(lex):
    actors, cited = plain.read("BEIJING, March 5, 2024 (Reuters) - China said on Tuesday it would respond.", lex)
    assert [(c.name, c.actor) for c in cited] == [("Reuters", "Reuters")]
    assert actors[0].id == "CHN" and actors[0].aliases == ["BEIJING", "China"]  # a place in capitals
