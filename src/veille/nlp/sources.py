"""Cited sources: the outlets, agencies, reports, institutions and people a claim is
attributed to.

Forms found: "selon le Wall Street Journal", "d'après Reuters", "rapporte X",
"a indiqué X à Y", "X a révélé que…", "Source : X", "(Source : Xinhua / Photo : VCG)".
The article's own outlet is never a cited source of itself.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..records import CitedSource
from ..text import clean_name, fold
from .dictionary import ActorLexicon
from .resolution import Mention, Resolution
from .syntax import NSUBJ, STRESSED_PRONOUNS

# A dateline naming the agency that wrote the article: "PÉKIN, 12 mars (Xinhua) --".
_TAGLINE = re.compile(r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý .'’-]+(?:,[^()\n]{0,40})?\s*\(([^()\n]{2,40})\)\s*[-–—:]")
_CREDIT = re.compile(r"(?<![\w])[Ss]ources?\s*:\s*([^\n/|()\]]{2,80})")
_NP_STOP = ("acl:relcl", "acl", "ccomp", "advcl", "parataxis", "conj", "cc", "punct", "mark")
_SOURCE_KINDS = ("media", "igo", "organisation", "company", "person", "country", "group")


def _np(head: Token) -> list[Token]:
    """The noun phrase of ``head`` without clauses or coordination."""
    out = [head]
    for c in head.children:
        if c.dep_ in _NP_STOP:
            continue
        out.extend(_np(c))
    return sorted(out, key=lambda t: t.i)


def _contiguous(head: Token, toks: list[Token]) -> list[Token]:
    """Trim the phrase to the contiguous stretch around its head."""
    keep = [head]
    idx = {t.i for t in toks}
    i = head.i - 1
    while i in idx:
        keep.insert(0, head.doc[i])
        i -= 1
    i = head.i + 1
    while i in idx:
        keep.append(head.doc[i])
        i += 1
    while keep and (keep[0].pos_ in ("DET", "ADP") or keep[0].is_punct):
        keep.pop(0)
    while keep and (keep[-1].pos_ in ("DET", "ADP", "CCONJ") or keep[-1].is_punct):
        keep.pop()
    return keep


def tagline_outlet(text: str) -> str | None:
    """The agency named in a dateline at the start of ``text``, if any."""
    m = _TAGLINE.match(text)
    return m.group(1).strip() if m else None


def _outlet_keys(outlet: str | None, res: Resolution) -> set[str]:
    if not outlet:
        return set()
    keys = {fold(outlet).strip()}
    for a in res.actors.values():
        if a.kind == "media" and fold(a.name) in keys or any(fold(x) in keys for x in a.aliases):
            keys.add(fold(a.name))
            keys.update(fold(x) for x in a.aliases)
            keys.add(fold(a.id))
    return keys


class _Finder:
    def __init__(self, doc: Doc, res: Resolution, lex: ActorLexicon, outlet: str | None):
        self.doc, self.res, self.lex = doc, res, lex
        self.f = res.facts_for(doc)
        self.text = self.f.text
        self.found: list[CitedSource] = []
        self.outlet = _outlet_keys(outlet, res)

    def mention_in(self, toks: list[Token], head: Token) -> Mention | None:
        m = self.res.mention_at_token(head.i)
        if m is not None:
            return m
        for t in toks:
            m = self.res.mention_at_token(t.i)
            if m is not None:
                return m
        return None

    def add_phrase(self, head: Token, *, kinds=_SOURCE_KINDS, documents: bool = True,
                   names: bool = True) -> bool:
        """Record the phrase headed by ``head`` as a source if it names one."""
        if head.lower_ in STRESSED_PRONOUNS and self.res.mention_at_token(head.i) is None:
            return False
        toks = _contiguous(head, _np(head))
        if not toks:
            return False
        lemma = fold(head.lemma_)
        m = self.res.mention_at_token(head.i)
        if m is None and head.pos_ == "PROPN":
            m = self.mention_in([t for t in toks if t.dep_ in ("flat:name", "flat", "appos")], head)
        if m is not None:
            actor = self.res.actors.get(m.actor_id)
            if actor is None or actor.kind not in kinds:
                return False
            if actor.kind == "country" and not m.sector and m.via == "country" and m.text[:1].islower():
                return False  # a nationality adjective alone is not a source
            name = clean_name(m.text) if actor.kind == "country" else actor.name
            return self.add(name, (m.start, m.end), actor.id, aliases=[m.text, *actor.aliases])
        if documents and (lemma in self.lex.source_nouns or fold(head.text) in self.lex.source_nouns):
            inner = self.mention_in([t for t in toks if t.i != head.i], head)
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
            name = clean_name(self.text[start:end])
            actor = inner.actor_id if inner is not None else None
            return self.add(name, (start, end), actor, aliases=[])
        if names and head.pos_ == "PROPN" and head.text[:1].isupper():
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
            return self.add(clean_name(self.text[start:end]), (start, end), None, aliases=[])
        return False

    def add(self, name: str, span: tuple[int, int], actor: str | None, *, aliases: list[str]) -> bool:
        keys = {fold(name), *(fold(a) for a in aliases)}
        if actor is not None:
            keys.add(fold(actor))
        if self.outlet and keys & self.outlet:
            return False
        for c in self.found:
            if c.span[0] < span[1] and span[0] < c.span[1]:
                return False
        self.found.append(CitedSource(name=name, span=span, actor=actor))
        return True


def _according_to(f: _Finder) -> None:
    doc, lower = f.doc, f.f.lower
    for i in range(len(doc)):
        low = lower[i]
        if low == "selon" or low in ("d'après", "d’après") or (
                low == "après" and i > 0 and lower[i - 1] in ("d'", "d’")):
            tok = doc[i]
            head = tok.head if tok.dep_ in ("case", "fixed") and tok.head.i > tok.i else None
            if head is None or head.i - tok.i > 6:
                head = _first_noun(doc, tok.i + 1)
            if head is not None:
                f.add_phrase(head)


def _first_noun(doc: Doc, i: int) -> Token | None:
    for t in doc[i: i + 5]:
        if t.pos_ in ("NOUN", "PROPN", "PRON") or (t.text[:1].isupper() and t.pos_ == "X"):
            return t
        if t.pos_ not in ("DET", "ADJ", "ADP"):
            return None
    return None


def _verbs(f: _Finder) -> None:
    lex = f.lex
    pos, flemma, toks = f.f.pos, f.f.flemma, f.f.toks
    for i in range(len(f.doc)):
        if pos[i] not in ("VERB", "AUX"):
            continue
        lemma = flemma[i]
        if lemma not in lex.source_verbs_inverted and lemma not in lex.source_verbs:
            continue
        tok = toks[i]
        subs = [c for c in tok.children if c.dep_ in NSUBJ]
        if lemma in lex.source_verbs_inverted:
            # Inverted subject in an incise: "…, rapporte le Wall Street Journal".
            after = [c for c in subs if c.i > tok.i]
            if after and _incise(tok):
                f.add_phrase(after[0])
                continue
            if not after and _incise(tok) and not any(c.dep_ == "ccomp" for c in tok.children):
                # The parser often takes the inverted subject for an object: "…, confirme l'AFP".
                # Only when that phrase closes the clause, as an incise does.
                objs = [c for c in tok.children if c.dep_ in ("obj", "nmod", "obl:arg") and c.i > tok.i]
                nxt = objs[0].right_edge.i + 1 if objs else 0
                closes = objs and (nxt >= len(f.doc) or f.doc[nxt].is_punct)
                if closes and f.res.mention_at_token(objs[0].i) is not None:
                    f.add_phrase(objs[0], kinds=("media", "igo", "organisation", "person", "company"),
                                 documents=False, names=False)
                    continue
        if lemma in lex.source_verbs:
            before = [c for c in subs if c.i < tok.i]
            if before and any(c.dep_ in ("ccomp", "obj") for c in tok.children):
                f.add_phrase(before[0], kinds=("media",), names=False)


def _incise(verb: Token) -> bool:
    """The verb opens an incise: preceded by a comma, a closing quote, or a parenthesis."""
    first = min([verb] + [c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i],
                key=lambda t: t.i)
    if first.i == 0:
        return False
    prev = verb.doc[first.i - 1]
    return prev.text in (",", "»", "”", '"', "(", "—", "–", "-") or prev.lower_ in ("comme", "a")


def _credits(f: _Finder) -> None:
    doc, text = f.doc, f.text
    for m in _CREDIT.finditer(text):
        raw = m.group(1)
        name = raw.strip().rstrip(".,;")
        if not name or not name[:1].isupper() or len(name.split()) > 8:
            continue
        start = m.start(1) + (len(raw) - len(raw.lstrip()))
        end = start + len(name)
        span = doc.char_span(start, end, alignment_mode="expand")
        actor = None
        if span is not None:
            for t in span:
                mm = f.res.mention_at_token(t.i)
                if mm is not None:
                    actor = mm.actor_id
                    break
        a = f.res.actors.get(actor) if actor else None
        f.add(clean_name(name), (start, end), actor, aliases=list(a.aliases) if a else [])


def find(doc: Doc, resolution: Resolution, lexicon: ActorLexicon, *, outlet: str | None = None) -> list[CitedSource]:
    """The cited sources of one parsed article, in text order."""
    f = _Finder(doc, resolution, lexicon, outlet)
    tag = _TAGLINE.match(f.text)
    if tag:
        f.outlet |= _outlet_keys(tag.group(1), resolution)
    _credits(f)
    _according_to(f)
    _verbs(f)
    f.found.sort(key=lambda c: c.span)
    return f.found


__all__ = ["find", "tagline_outlet"]
