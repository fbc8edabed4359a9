"""Event predicates: the tokens of a parsed sentence that an event lexicon entry matches.

A verb matches by its lemma (a support-verb entry also needs its noun among the verb's
dependents, an entry with a marker needs a complement introduced by that word: "appeler
X à…"); a noun by its lemma; a present-tense verb the tagger read as a bare noun ("Il
pointe du doigt X") by the infinitive guessed from its form. The longest entry wins.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ..text import fold_rsquo
from . import lexicon as lexmod
from .syntax import case_of


@dataclass
class Match:
    """One lexicon entry matched at a predicate."""

    entry: lexmod.Entry
    pred: Token  # the clause predicate (verb, or the noun for nominal events)
    trigger: list[Token]


def match_verb(tok: Token, lex: lexmod.Lexicon) -> Match | None:
    for e in lex.verb_entries(tok.lemma_):
        trig = [tok]
        if e.noun is not None:
            nouns = [c for c in tok.children if fold_rsquo(c.lemma_) == e.noun
                     or fold_rsquo(c.text) == e.noun]
            if not nouns:
                continue
            trig.append(nouns[0])
        if e.marker is not None:
            scope = [c for t in trig for c in t.children]
            if not any(case_of(c) == e.marker for c in scope) and not _mutual(tok):
                continue
        return Match(e, tok, trig)
    return None


def _mutual(verb: Token) -> bool:
    """ "X et Y se sont entretenus": a reflexive verb with coordinated subjects needs no
    "avec" complement."""
    if not any(c.lower_ in ("se", "s'", "s’") and c.i < verb.i for c in verb.children):
        return False
    return any(c.dep_ in ("nsubj", "nsubj:pass") and (any(g.dep_ == "conj" for g in c.children)
                                                      or "Plur" in c.morph.get("Number"))
               for c in verb.children)


def guessed_infinitive(low: str) -> list[str]:
    """A first-group infinitive guessed from a verb's form in lower case, for when the
    tagger left the inflected form as lemma ("estime" -> "estimer") or tagged it a noun."""
    for end in ("ent", "e"):
        if low.endswith(end) and len(low) > len(end) + 2:
            return [low[: -len(end)] + "er"]
    return []


def guess_key(low: str) -> str:
    """The guessed infinitive of a form, folded for the lexicon ("" when there is none)."""
    guess = guessed_infinitive(low)
    return fold_rsquo(guess[0]) if guess else ""


def match_mistagged(tok: Token, lex: lexmod.Lexicon) -> Match | None:
    """A present-tense verb tagged as a noun ("Il pointe du doigt X"): a bare noun with a
    pronoun or name subject and no determiner."""
    kids = list(tok.children)
    if any(c.dep_ == "det" for c in kids) or not any(c.dep_ == "nsubj" for c in kids):
        return None
    if tok.i > 0 and tok.nbor(-1).pos_ == "DET":
        return None
    for lemma in guessed_infinitive(tok.lower_):
        if not lex.verb_entries(lemma):
            continue
        saved = tok.lemma_
        try:
            tok.lemma_ = lemma
            m = match_verb(tok, lex)
        finally:
            tok.lemma_ = saved
        if m is not None:
            return m
    return None


def match_noun(tok: Token, lex: lexmod.Lexicon) -> Match | None:
    for e in lex.noun_entries(tok.lemma_):
        return Match(e, tok, [tok])
    return None


__all__ = ["Match", "guess_key", "guessed_infinitive", "match_mistagged", "match_noun", "match_verb"]
