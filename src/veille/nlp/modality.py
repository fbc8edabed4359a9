"""How an event is stated: asserted, reported, hedged, planned or negated, and by whom.

Precedence, first that applies:

1. ``negated``: "ne … pas/jamais/plus" on the predicate or on a verb governing it
   ("ne veut pas sanctionner");
2. ``planned``: a verb or adjective of intent governs the predicate ("envisagent de",
   "prêts à", "menace de"), or a passive of expectation ("sont attendus pour une
   manifestation"), or the predicate is in the future tense ("se verront");
3. ``hedged``: the conditional (``Mood=Cnd`` on the predicate, its auxiliary or a verb
   governing it: "aurait", "ferait pression", "pourraient servir"), a verb of doubt
   ("semble"), a hedging adverb or adjective ("apparemment", "présumé"), or a "si"
   clause ("si Bruxelles décrétait de nouvelles sanctions");
4. ``reported``: the clause is attributed ("selon le WSJ", "le rapport indique que",
   "…, a déclaré X"), lies inside a direct quote, or in indirect speech the quote rules
   found ("pour X, …");
5. ``asserted`` otherwise.

``according_to`` is set whenever the clause is attributed, whatever the modality: the
actor id of the source when it is a resolved actor, else its name, never a description
("le communiqué") or a pronoun ("selon lesquelles"). Attribution stays in the paragraph
of the clause; a "selon X" opening or closing the sentence governs it whatever the parse
hangs it on.
The word lists are the sections of ``veille/data/modality.txt``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from ..records import Quote
from ..text import fold_rsquo
from .lexicon import Lexicon
from .resolution import Resolution
from .syntax import PRONOUNS, SUBJ, actor_name, mention_of, speech_key


@dataclass(slots=True)
class Attribution:
    """The source of a clause: an actor id (when resolved) and a surface name."""

    actor: str | None
    name: str | None
    via: str  # "selon", "speech", "report", "quote"
    verb: Token | None = None


def governors(pred: Token) -> list[Token]:
    """``pred`` and the verbs that govern it through xcomp/ccomp-less chains."""
    chain = [pred]
    t = pred
    while t.dep_ in ("xcomp", "obj", "obl", "obl:arg", "nmod", "acl") and t.head.i != t.i and len(chain) < 5:
        t = t.head
        chain.append(t)
    return chain


def _aux(t: Token) -> list[Token]:
    return [c for c in t.children if c.dep_.startswith("aux") or c.dep_ == "cop"]


def is_negated(pred: Token, lex: Lexicon) -> bool:
    for t in governors(pred):
        kids = list(t.children)
        kids += [g for a in _aux(t) for g in a.children]
        has_ne = any(c.lower_ in ("ne", "n'", "n’") for c in kids)
        neg = any(c.dep_ == "advmod" and (fold_rsquo(c.text) in lex.words["negation"] or c.lower_ == "aucunement") for c in kids)
        if has_ne and neg:
            return True
        if any(c.lower_ == "sans" and c.dep_ == "mark" for c in kids):
            return True
    return False


def is_planned(pred: Token, lex: Lexicon) -> bool:
    chain = governors(pred)
    for t in chain[1:]:
        if t.pos_ in ("VERB", "ADJ", "AUX") and lex.has("plan", t.lemma_):
            return True
    for t in chain:
        if t.pos_ == "ADJ" and lex.has("plan", t.lemma_):
            return True
        words = [t, *_aux(t)]
        if any("Fut" in w.morph.get("Tense") for w in words):
            return True
        if t.pos_ == "VERB":
            break
    # "X est attendu à Y pour des entretiens": an expected act is planned
    expected = chain[1:]
    if pred.dep_ in ("obl", "obl:mod", "obl:arg") and any(
            c.dep_ == "case" and fold_rsquo(c.text) == "pour" for c in pred.children):
        expected = [pred.head, *expected]
    if any(t.pos_ == "VERB" and lex.has("plan_passive", t.lemma_) and any(c.dep_ == "aux:pass" for c in t.children)
           for t in expected):
        return True
    # "prêts à fournir": the adjective governs the infinitive
    head = pred.head
    return pred.dep_ in ("xcomp", "acl", "advcl") and head.pos_ == "ADJ" and lex.has("plan", head.lemma_)


_CND_END = re.compile(r"r(?:ais|ait|aient|ions|iez)$")


def is_conditional(w: Token) -> bool:
    """``Mood=Cnd``, or a conditional form the tagger read as a present ("ferait")."""
    if "Cnd" in w.morph.get("Mood"):
        return True
    return (w.pos_ in ("VERB", "AUX") and "Pres" in w.morph.get("Tense")
            and bool(_CND_END.search(w.lower_)))


def is_hedged(pred: Token, lex: Lexicon) -> bool:
    chain = governors(pred)
    for t in chain:
        for w in (t, *_aux(t)):
            if is_conditional(w):
                return True
        if t is not pred and t.pos_ in ("VERB", "AUX") and lex.has("hedge", t.lemma_):
            return True
        for c in t.children:
            if c.dep_ in ("advmod", "amod", "obl:mod") and lex.has("hedge_adverb", c.text):
                return True
            if c.dep_ == "mark" and c.lower_ in ("si", "s'") and t.dep_ == "advcl":
                return True  # "si X venait à imposer des sanctions": a condition
    # "il semble que …"
    top = chain[-1]
    return bool(top.dep_ == "ccomp" and lex.has("hedge", top.head.lemma_))


def attribution(pred: Token, resolution: Resolution, lex: Lexicon, quotes: list[Quote]) -> Attribution | None:
    """Who a clause is attributed to, if anyone: a direct quote, selon X, a speech/report
    verb, or the indirect speech the quote rules found. Attribution stays in the
    paragraph of the clause (the parser sometimes hangs a paragraph on the previous one)."""
    for q in quotes:
        if q.direct and q.span[0] <= pred.idx < q.span[1]:
            return Attribution(q.speaker, _shown(q.speaker_name), "quote")
    par = _paragraphs(pred.doc, resolution)
    here = par[pred.i]
    speech = lex.words.get("speech", set())
    # climb the clause chain: selon X on any clause head; ccomp of a speech verb
    t = pred
    seen = 0
    while seen < 8:
        seen += 1
        for c in t.children:
            if par[c.i] != here:
                continue
            if c.dep_.startswith("obl") or c.dep_ in ("nmod", "advmod"):
                cases = [g for g in c.children if g.dep_ == "case"]
                if cases and (lex.has("attribution", cases[0].text) or
                              (cases[0].lower_ in ("d'", "d’") and cases[0].i + 1 < len(c.doc)
                               and cases[0].nbor(1).lower_ == "après")):
                    return _source(c, resolution, "selon")
        for c in t.children:
            if par[c.i] != here:
                continue
            if c.dep_ in ("parataxis", "conj", "advcl") and c.i > t.i and c.pos_ == "VERB" \
                    and speech_key(c, speech) is not None and not any(g.dep_ == "mark" for g in c.children):
                att = _speaker(c, resolution, lex)
                if att is not None:
                    return att
        if t.head.i == t.i or par[t.head.i] != here:
            break
        if t.dep_ in ("ccomp",) and (speech_key(t.head, speech) is not None or lex.has("report", t.head.lemma_)):
            att = _speaker(t.head, resolution, lex)
            return att or Attribution(None, None, "report", t.head)
        t = t.head
    att = _selon_in_sentence(pred, resolution, lex, par)
    if att is not None:
        return att
    for q in quotes:
        if not q.direct and q.span[0] <= pred.idx < q.span[1] and (q.speaker or _shown(q.speaker_name)):
            return Attribution(q.speaker, _shown(q.speaker_name), "speech")
    return None


def _selon_in_sentence(pred: Token, resolution: Resolution, lex: Lexicon, par: list[int]) -> Attribution | None:
    """A "selon X" opening or closing the sentence of ``pred`` in its paragraph, whatever
    the parse hangs it on ("Selon le WSJ, …" when the parser joined the paragraph to the
    previous one)."""
    f = resolution.facts_for(pred.doc)
    words, lower, dep = f.words, f.lower, f.dep
    lo = pred.i
    while lo > 0 and par[lo - 1] == par[pred.i] and words[lo - 1] not in (".", "!", "?", "…"):
        lo -= 1
    hi = pred.i
    while hi < f.n - 1 and par[hi + 1] == par[pred.i] and words[hi] not in (".", "!", "?", "…"):
        hi += 1
    for i in range(lo, hi + 1):
        is_attr = dep[i] in ("case", "fixed") and (lex.has("attribution", words[i]) or (
            lower[i] == "après" and i > 0 and lower[i - 1] in ("d'", "d’")))
        if not is_attr:
            continue
        head = f.toks[i].head
        opens = all(f.pos[j] in ("PUNCT", "SPACE", "ADV", "CCONJ") or lower[j] in ("d'", "d’")
                    for j in range(lo, i))
        closes = i > lo and words[i - 1] == "," and all(
            f.pos[j] in ("PUNCT", "SPACE") or head.i <= j <= max(x.i for x in head.subtree) or j <= head.i
            for j in range(i, hi + 1))
        if (opens or closes) and head.i > i and head.i - i <= 6:
            return _source(head, resolution, "selon")
    return None


_DETERMINERS = {"le", "la", "les", "l'", "un", "une", "des", "du", "de", "ce", "cet", "cette", "ces",
                "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes"}


def _shown(name: str | None) -> str | None:
    """A speaker's name as ``according_to`` shows it: a name ("Le Monde", "Reuters",
    "Anne Martin"), never a description ("le communiqué", "un dirigeant") or a pronoun."""
    if not name:
        return None
    words = name.split()
    if not words or len(words) > 6 or "\n" in name:
        return None
    k = 0
    while k < len(words) - 1 and fold_rsquo(words[k]) in _DETERMINERS:
        k += 1
    head = words[k]
    if not head[:1].isupper() or fold_rsquo(head) in PRONOUNS or fold_rsquo(head) in _DETERMINERS:
        return None
    return name


def _paragraphs(doc, resolution: Resolution) -> list[int]:
    """The paragraph number of each token (kept with the Doc's facts)."""
    return resolution.facts_for(doc).paragraph_of


def _source(token: Token, resolution: Resolution, via: str) -> Attribution:
    if token.lower_ in ("lesquelles", "lesquels", "laquelle", "lequel", "qui", "quoi") and \
            token.head.head.i != token.head.i and token.head.dep_ == "acl:relcl":
        token = token.head.head  # "les informations selon lesquelles": the antecedent
    m = mention_of(token, resolution)
    if m is not None:
        return Attribution(m.actor_id, actor_name(m, resolution), via)
    for c in resolution.cited_sources:
        if c.span[0] <= token.idx < c.span[1] or token.idx <= c.span[0] < token.idx + len(token.text) + 40:
            return Attribution(c.actor, c.name, via)
    words = [w for w in token.subtree if w.dep_ != "case" and not w.is_punct and not w.is_space]
    name = token.doc[words[0].i: words[-1].i + 1].text if words else token.text
    return Attribution(None, _shown(name), via)


def _speaker(verb: Token, resolution: Resolution, lex: Lexicon) -> Attribution | None:
    cands = [c for c in verb.children if c.dep_ in SUBJ]
    if not [c for c in cands if c.dep_ != "expl:subj"]:
        cands += [c for c in verb.children if c.dep_ == "obj" and c.i > verb.i and c.pos_ in ("PROPN", "NOUN")]
    for c in cands:
        m = mention_of(c, resolution)
        if m is not None:
            return Attribution(m.actor_id, actor_name(m, resolution), "speech", verb)
    for c in cands:
        if c.pos_ in ("NOUN", "PROPN"):
            return _source(c, resolution, "speech")
    if not cands and verb.dep_ == "xcomp" and verb.head.i != verb.i:
        return _speaker(verb.head, resolution, lex)  # "a fait savoir que": the subject of "faire"
    return None


def classify(pred: Token, resolution: Resolution, lex: Lexicon,
             quotes: list[Quote]) -> tuple[str, Attribution | None]:
    """The modality of the clause of ``pred`` and its attribution (see module docs)."""
    att = attribution(pred, resolution, lex, quotes)
    if is_negated(pred, lex):
        return "negated", att
    if is_planned(pred, lex):
        return "planned", att
    if is_hedged(pred, lex):
        return "hedged", att
    if att is not None:
        return "reported", att
    return "asserted", None


__all__ = ["Attribution", "attribution", "classify", "is_hedged", "is_negated", "is_planned"]
