"""Small helpers over the spaCy dependency parse, shared by the rules of the nlp stage,
and the one home of the relation and pronoun lists they read."""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..text import fold_rsquo
from .resolution import Mention, Resolution

# Nominal subjects (coreference, cited sources, event agents).
NSUBJ = ("nsubj", "nsubj:pass")
# Any subject, the expletive one included ("il" in "il a été dit"): speakers and attribution.
SUBJ = (*NSUBJ, "expl:subj")
# Relations along which a noun phrase still names the same thing as its head
# ("le secrétaire d'État Mike Pompeo", "le gouvernement de Trump").
NP_DEPS = ("flat:name", "flat", "appos", "compound", "nmod", "amod", "det", "case", "fixed")
CLAUSE_DEPS = ("acl:relcl", "ccomp", "advcl", "parataxis", "csubj", "conj", "xcomp", "acl")
# Words that stand for an actor without naming it: a mention made of one is shown by the
# actor's name.
PRONOUNS = {"il", "elle", "ils", "elles", "on", "lui", "eux", "celui-ci", "celle-ci", "ce", "cela",
            "qui", "que", "lequel", "laquelle", "lesquels", "lesquelles", "dont"}
# Third-person subject pronouns with the (gender, number) an antecedent must agree with.
SUBJECT_PRONOUNS = {"il": ("Masc", "Sing"), "elle": ("Fem", "Sing"), "ils": (None, "Plur"),
                    "elles": ("Fem", "Plur")}
# Stressed (disjunctive) pronouns: "selon lui" names no source by itself.
STRESSED_PRONOUNS = {"lui", "elle", "eux", "elles", "moi", "nous", "vous", "toi"}


def guess_infinitive(low: str) -> str | None:
    """The first-group infinitive of a verb form the tagger left as its own lemma
    ("estime", "tweeté", "martelant" -> "estimer", "tweeter", "marteler"), lower case."""
    for end in ("aient", "ait", "ant", "ées", "és", "ée", "é", "ent", "es", "e", "a"):
        if low.endswith(end) and len(low) > len(end) + 2:
            return low[: -len(end)] + "er"
    return None


_PAIRS: dict[int, dict[str, set[str]]] = {}


def speech_key(token: Token, speech: set[str], lemma_key: str | None = None) -> str | None:
    """The entry of the [speech] word list (``speech``, folded) that ``token`` is a form of:
    its lemma, the infinitive guessed when the tagger kept the form ("estime", "tweeté"),
    or a verb with the word that must hang on it ("fait savoir", "a fait état de")."""
    pos = token.pos_
    if pos not in ("VERB", "AUX") and not (pos in ("X", "NOUN", "ADJ") and token.dep_ in
                                            ("ROOT", "parataxis", "advcl", "conj", "ccomp")):
        return None
    key = lemma_key if lemma_key is not None else fold_rsquo(token.lemma_)
    if key in speech:
        return key
    if key == token.lower_ or pos != "VERB" or "'" in key:
        g = guess_infinitive(fold_rsquo(token.lower_))
        if g in speech:
            return g
    pairs = _PAIRS.get(id(speech))
    if pairs is None:
        pairs = _PAIRS[id(speech)] = {}
        for w in speech:
            parts = w.split()
            if len(parts) == 2:
                pairs.setdefault(parts[0], set()).add(parts[1])
    second = pairs.get(key)
    if second:
        for c in token.children:
            if c.dep_ in ("xcomp", "obj", "obl:arg", "ccomp") and fold_rsquo(c.lemma_) in second:
                return f"{key} {fold_rsquo(c.lemma_)}"
    head = token.head
    if token.dep_ in ("xcomp", "obj", "obl:arg") and head.i != token.i:
        # the second word, when the clause hangs on it: "a fait savoir que …"
        head_key = fold_rsquo(head.lemma_)
        if key in pairs.get(head_key, ()):
            return f"{head_key} {key}"
    return None


def np_tokens(token: Token, *, depth: int = 3) -> list[Token]:
    """``token`` and the tokens of its noun phrase, without nested clauses."""
    out = [token]
    if depth <= 0:
        return out
    for child in token.children:
        if child.dep_ in NP_DEPS:
            out.extend(np_tokens(child, depth=depth - 1))
    return out


def mention_of(token: Token, resolution: Resolution) -> Mention | None:
    """The actor mention a noun phrase headed by ``token`` refers to, if any.

    The mention covering the head wins; else the first mention inside the phrase,
    looking first at names and appositions ("le porte-parole Guo"), then at "de"
    complements ("le gouvernement de Trump"), not at places ("ses chefs au Mali").
    """
    m = resolution.mention_at_token(token.i)
    if m is not None:
        return m
    par = resolution.facts_for(token.doc).paragraph_of
    # never a word of another paragraph the parser hung on this phrase (a headline, a caption)
    kids = [c for c in token.children if par[c.i] == par[token.i]]
    near = [c for c in kids if c.dep_ in ("flat:name", "flat", "appos", "compound", "amod")]
    for child in near:
        m = resolution.mention_at_token(child.i)
        if m is not None:
            return m
    for child in near:
        for t in child.subtree:
            m = resolution.mention_at_token(t.i)
            if m is not None and par[t.i] == par[token.i]:
                return m
    for child in kids:
        # "le gouvernement de X", not "ses chefs au Burkina Faso" (a place is no owner)
        if child.dep_ == "nmod" and case_of(child) in _OWNER_CASES:
            m = mention_of(child, resolution)
            if m is not None:
                return m
    return None


# "que" too: "les sanctions que X a imposées" is often parsed with X as a complement.
_OWNER_CASES = ("", "de", "par", "de la part de", "que", "qu'")


def case_of(token: Token) -> str:
    """The preposition(s) introducing ``token`` ("contre", "auprès de"), folded, or ""."""
    words = [c for c in token.children if c.dep_ in ("case", "mark") and c.i < token.i]
    if not words:
        return ""
    first = words[0]
    parts = [first.text.lower()]
    parts.extend(f.text.lower() for f in first.children if f.dep_ == "fixed")
    out = " ".join(_PREP.get(fold_rsquo(w), fold_rsquo(w)) for w in parts)
    head = token.head
    if out in ("de", "a") and head.i == first.i - 1 and fold_rsquo(head.text) in _ADVERB_PREPS:
        # "auprès de X" parsed as the adverb "auprès" with X under it
        out = f"{fold_rsquo(head.text)} {out}"
    elif out in ("de", "a") and any(c.dep_ == "advmod" and c.i == first.i - 1 and fold_rsquo(c.text) in _ADVERB_PREPS
                                    for c in token.children):
        # "près de X" parsed with the adverb under X
        out = f"{fold_rsquo(token.doc[first.i - 1].text)} {out}"
    return out


_PREP = {"du": "de", "des": "de", "d'": "de", "au": "a", "aux": "a"}
# Adverbs that make a preposition with "de" or "à" and that the parser makes the head of
# the noun that follows ("auprès de", "autour de", "près de", "face à").
_ADVERB_PREPS = frozenset({"aupres", "autour", "pres", "loin", "face", "vis-a-vis", "lors"})


def prep_dependents(token: Token) -> list[Token]:
    """The dependents of ``token``, and those of its adverbs of place that stand for a
    preposition ("s'engager auprès de X": X hangs on "auprès")."""
    out = []
    for c in token.children:
        out.append(c)
        if c.pos_ == "ADV" and fold_rsquo(c.text) in _ADVERB_PREPS:
            out.extend(c.children)
    return out


def subjects(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ in NSUBJ]


def is_passive(token: Token) -> bool:
    """A true passive ("est accusé par"); a reflexive "s'est retirée" is not one."""
    kids = list(token.children)
    if any(c.dep_ == "expl:pass" for c in kids):
        return False
    # "la France s'est engagée" is often parsed with a passive subject: the clitic says not
    if any(c.dep_.startswith("expl") and c.i < token.i and (fold_rsquo(c.text) in ("se", "s'")
                                                           or "Yes" in c.morph.get("Reflex")) for c in kids):
        return False
    return any(c.dep_ in ("aux:pass", "nsubj:pass") for c in kids)


def sentence_of(doc: Doc, start: int, end: int) -> Span | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0].sent


def token_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def actor_name(m: Mention, resolution: Resolution) -> str:
    """A surface name for a mention: the text, or the actor's name for a pronoun."""
    if m.via == "pronoun" or m.text.lower().strip("-") in PRONOUNS:
        actor = resolution.actors.get(m.actor_id)
        return actor.name if actor else m.text
    return m.text
