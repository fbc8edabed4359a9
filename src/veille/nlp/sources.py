"""Cited sources: the outlets, agencies, reports and documents a claim is attributed to.

Forms found:

- "selon X" / "d'après X" with X an outlet, an organisation, an institution ("selon le
  ministère de la Santé"), a report or a document ("selon un rapport du Sénat"), or an
  outlet's people or counts ("selon des journalistes de l'AFP", "selon un décompte de
  l'AFP");
- an outlet that reports: "…, rapporte X", "a indiqué X", "X a révélé que…", "précise le
  quotidien", and its people: "a constaté un journaliste de l'AFP";
- a statement given to an outlet: "a indiqué à l'AFP un responsable", "interrogé par
  Reuters", "cité par l'agence X", "contacté par Le Monde et Radio France";
- wire credits that give the origin of the text: a dateline ("BERLIN (Reuters) -") opening
  one of the first paragraphs, "(Belga)" opening or closing a paragraph, "Avec AFP",
  "Source : Xinhua", "Copyright X", a paragraph that is only an outlet's name.

Not sources: the article's own outlet (the agency of a dateline is taken for it when the
outlet is not known); an actor's own communiqué, letter or statement (the actor speaking:
a quote); a person or a country named by "selon" (a speaker); an anaphora ("selon la
même source"); the venue of an interview ("a affirmé sur France 2").

The word lists are ``source_nouns`` and ``source_verbs`` of ``data/actor_nouns.yaml`` and
the [speech], [speaker_statement], [speaker_outlet], [outlet_people] and [source_agent]
sections of ``data/modality.txt``.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..records import CitedSource
from ..text import clean_name, fold, name_key
from . import lexicon as lexmod
from .dictionary import ActorLexicon
from .resolution import Mention, Resolution
from .syntax import NSUBJ, STRESSED_PRONOUNS, guess_infinitive

# A dateline naming the agency that wrote the text: "PÉKIN, 12 mars (Xinhua) --".
_TAGLINE = re.compile(r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý .'’-]+(?:,[^()\n]{0,40})?\s*\(([^()\n]{2,40})\)\s*[-–—:.]")
_CREDIT = re.compile(r"(?<![\w])[Ss]ources?\s*:\s*([^\n/|()\]]{2,80})")
# "[Copyright The Jiji Press, Ltd.]" (a "©" alone marks a photo's credit, not the text's)
_COPYRIGHT = re.compile(r"[Cc]opyright\s*(?:©\s*)?(?:\d{4}\s*)?([A-Z][^\n\]\[|/]{1,60})")
_WITH = re.compile(r"^\s*[Aa]vec\s+(?:l['’]\s*)?([A-Z][^\n,;:]{1,40}?)\s*\.?\s*$")
_PAREN = re.compile(r"^\s*\(([A-Z][^()\n]{1,30})\)|\(([A-Z][^()\n]{1,30})\)\s*\.?\s*$")
_NP_STOP = ("acl:relcl", "acl", "ccomp", "advcl", "parataxis", "conj", "cc", "punct", "mark")
_SOURCE_KINDS = ("media", "igo", "organisation", "company", "person", "country", "group")
# What "selon X" cites: not a person nor a country (a speaker), unless an institution of it.
_SELON_KINDS = ("media", "igo", "organisation", "company", "group")
_ANAPHORA = {"meme", "cette", "ces", "cet", "ce", "ladite", "dite"}
_FIRST_PARAGRAPHS = 5  # where a dateline may stand (after a menu line or a byline)


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
    """The folded names the article's own outlet goes by ("Le Monde", "Boursier.com (Reuters)"
    -> the outlet named before the parenthesis, which names where the text comes from)."""
    if not outlet:
        return set()
    main = re.sub(r"\s*\([^)]*\)\s*", " ", outlet).strip() or outlet
    keys = {fold(main).strip()}
    for a in res.actors.values():
        if a.kind == "media" and fold(a.name) in keys or any(fold(x) in keys for x in a.aliases):
            keys.add(fold(a.name))
            keys.update(fold(x) for x in a.aliases)
            keys.add(fold(a.id))
    return keys


class _Finder:
    def __init__(self, doc: Doc, res: Resolution, lex: ActorLexicon, outlet: str | None,
                 words: lexmod.Lexicon):
        self.doc, self.res, self.lex = doc, res, lex
        self.f = res.facts_for(doc)
        self.text = self.f.text
        self.found: list[CitedSource] = []
        self.outlet = _outlet_keys(outlet, res)
        self.known_outlet = bool(outlet)
        w = words.words
        self.statements = w.get("speaker_statement", set())
        self.outlet_words = w.get("speaker_outlet", set())
        self.outlet_people = w.get("outlet_people", set())
        self.agent_verbs = w.get("source_agent", set())
        self.institutions = w.get("source_institution", set())
        self.speech = w.get("speech", set())
        self.report = w.get("report", set())

    def lemma(self, i: int) -> str:
        """Token ``i``'s folded lemma, or the infinitive guessed when the tagger kept the form."""
        f = self.f
        lemma = f.flemma[i]
        if lemma == fold(f.lower[i]) and f.pos[i] in ("VERB", "NOUN", "X"):
            return guess_infinitive(lemma) or lemma
        return lemma

    def mention_in(self, toks: list[Token], head: Token) -> Mention | None:
        m = self.res.mention_at_token(head.i)
        if m is not None:
            return m
        for t in toks:
            m = self.res.mention_at_token(t.i)
            if m is not None:
                return m
        return None

    def is_media(self, m: Mention | None) -> bool:
        a = self.res.actors.get(m.actor_id) if m is not None else None
        return a is not None and a.kind == "media"

    def media_inside(self, head: Token, *, span: int = 10) -> list[Mention]:
        """The outlets named in the phrase of ``head`` ("des journalistes de l'AFP", "les
        agences Reuters et AFP")."""
        out: list[Mention] = []
        for t in head.subtree:
            if abs(t.i - head.i) > span or t.dep_ in ("acl:relcl", "acl", "advcl", "ccomp"):
                continue
            m = self.res.mention_at_token(t.i)
            if m is not None and self.is_media(m) and m not in out:
                out.append(m)
        return out

    def add_mention(self, m: Mention) -> bool:
        actor = self.res.actors.get(m.actor_id)
        if actor is None:
            return False
        name = clean_name(m.text) if actor.kind == "country" else actor.name
        return self.add(name, (m.start, m.end), actor.id, aliases=[m.text, *actor.aliases])

    def is_adjective(self, t: Token) -> bool:
        """A nationality adjective ("le quotidien français"): not who the source is."""
        m = self.res.mention_at_token(t.i)
        return m is not None and m.via == "country" and m.text[:1].islower()

    def add_phrase(self, head: Token, *, kinds=_SOURCE_KINDS, documents: bool = True,
                   names: bool = True, institutions: bool = False) -> bool:
        """Record the phrase headed by ``head`` as a source if it names one (``institutions``:
        also an institution the dictionary does not name, as "selon" cites them)."""
        if head.lower_ in STRESSED_PRONOUNS and self.res.mention_at_token(head.i) is None:
            return False
        toks = _contiguous(head, _np(head))
        if not toks:
            return False
        lemma = fold(head.lemma_)
        if lemma in self.statements or fold(head.text) in self.statements:
            return False  # an actor's own communiqué or letter: the actor speaking
        m = self.res.mention_at_token(head.i)
        if m is None and head.pos_ in ("PROPN", "NOUN"):
            m = self.mention_in([t for t in toks if t.dep_ in ("flat:name", "flat", "appos")], head)
        if m is not None:
            actor = self.res.actors.get(m.actor_id)
            if actor is None or actor.kind not in kinds and not (actor.kind == "country" and m.sector
                                                                 and "country" not in kinds):
                return False
            if actor.kind == "country" and not m.sector and m.via == "country" and m.text[:1].islower():
                return False  # a nationality adjective alone is not a source
            return self.add_mention(m)
        outlets = self.media_inside(head) if documents else []
        if outlets and (institutions or lemma in self.outlet_people or lemma in self.lex.source_nouns):
            # "des journalistes de l'AFP", "selon un décompte de l'AFP": the outlet is the source
            added = [self.add_mention(o) for o in outlets]  # every one, not the first only
            return any(added)
        if documents and (lemma in self.lex.source_nouns or fold(head.text) in self.lex.source_nouns):
            if any(fold(c.text) in _ANAPHORA for c in head.children if c.dep_ in ("det", "amod")):
                return False  # "selon la même source": the source already named
            if lemma == "source" and not any(c.dep_ in ("amod", "nmod", "acl") for c in head.children):
                return False  # "la source a ajouté": the source already named
            inner = self.mention_in([t for t in toks if t.i != head.i and not self.is_adjective(t)], head)
            end_tok = toks[-1]
            nxt = end_tok.i + 1
            if nxt < len(self.doc) and self.doc[nxt].pos_ in ("PROPN", "NOUN") and self.doc[nxt].text[:1].isupper():
                end_tok = self.doc[nxt]  # "le média public Irna": the name the parser hung elsewhere
            start, end = toks[0].idx, end_tok.idx + len(end_tok)
            name = clean_name(self.text[start:end])
            actor = inner.actor_id if inner is not None else None
            return self.add(name, (start, end), actor, aliases=[])
        if institutions and (lemma in self.institutions or fold(head.text) in self.institutions):
            # an institution the dictionary does not name: "selon le ministère de la Santé"
            inner = self.mention_in([t for t in toks if t.i != head.i and not self.is_adjective(t)], head)
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
            return self.add(clean_name(self.text[start:end]), (start, end),
                            inner.actor_id if inner is not None else None, aliases=[])
        if names and head.text[:1].isupper() and (head.pos_ == "PROPN" or (
                head.pos_ in ("NOUN", "X") and not head.is_sent_start)):
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

    def add_name(self, name: str, start: int, *, media_only: bool) -> bool:
        """A credit's name at offset ``start``: a mention or a dictionary name; with
        ``media_only``, only an outlet the dictionary or the resolution knows."""
        name = name.strip().rstrip(".,;")
        if not name:
            return False
        end = start + len(name)
        span = self.doc.char_span(start, end, alignment_mode="expand")
        mention = None
        if span is not None:
            mention = next((self.res.mention_at_token(t.i) for t in span
                            if self.res.mention_at_token(t.i) is not None), None)
        actor = mention.actor_id if mention is not None else None
        if actor is None:
            target = self.lex.lookup(name_key(name))
            if target is not None:
                actor = target.actor_id
        entry = self.lex.entries.get(actor) if actor else None
        a = self.res.actors.get(actor) if actor else None
        kind = a.kind if a is not None else (entry.kind if entry is not None else None)
        if media_only and kind != "media":
            return False
        aliases = list(a.aliases) if a else (list(entry.aliases) if entry else [])
        shown = a.name if a is not None else (entry.name if entry is not None else clean_name(name))
        return self.add(shown, (start, end), actor, aliases=aliases)


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
            if head is not None and head.lower_ not in ("lesquelles", "lesquels", "laquelle", "lequel"):
                f.add_phrase(head, kinds=_SELON_KINDS, institutions=True)


def _first_noun(doc: Doc, i: int) -> Token | None:
    for t in doc[i: i + 5]:
        if t.pos_ in ("NOUN", "PROPN", "PRON") or (t.text[:1].isupper() and t.pos_ == "X"):
            return t
        if t.pos_ not in ("DET", "ADJ", "ADP"):
            return None
    return None


def _verbs(f: _Finder) -> None:
    lex = f.lex
    pos, toks = f.f.pos, f.f.toks
    dep = f.f.dep
    for i in range(len(f.doc)):
        if pos[i] not in ("VERB", "AUX", "X") and not (pos[i] == "NOUN" and dep[i] == "acl"):
            continue  # (a participle the tagger took for a noun: "…, cité par l'agence X")
        lemma = f.lemma(i)
        if lemma in f.agent_verbs:
            _agents(f, toks[i])
        if lemma in f.speech or lemma in lex.source_verbs_inverted:
            _given_to(f, toks[i])
        tok = toks[i]
        subs = [c for c in tok.children if c.dep_ in NSUBJ]
        if lemma in f.speech or lemma in f.report or lemma in lex.source_verbs_inverted:
            # "a constaté un journaliste de l'AFP": an outlet's people report what they saw
            # (the inverted subject of an incise may be parsed as an object)
            objs = [c for c in tok.children if c.dep_ == "obj" and c.i > tok.i] if _incise(tok) else []
            for c in subs + objs:
                if fold(c.lemma_) in f.outlet_people:
                    for m in f.media_inside(c):
                        f.add_mention(m)
        if lemma not in lex.source_verbs_inverted and lemma not in lex.source_verbs:
            continue
        if lemma in lex.source_verbs_inverted:
            # Inverted subject in an incise: "…, rapporte le Wall Street Journal".
            after = [c for c in subs if c.i > tok.i]
            reports = lemma in lex.source_verbs  # a name the dictionary does not know is an
            # outlet after "rapporte", not after "a déclaré" (a speaker)
            if after and _incise(tok):
                f.add_phrase(after[0], kinds=_SELON_KINDS, names=reports)
                continue
            if not after and _incise(tok) and not any(c.dep_ == "ccomp" for c in tok.children):
                # The parser often takes the inverted subject for an object: "…, confirme l'AFP".
                # Only when that phrase closes the clause, as an incise does.
                objs = [c for c in tok.children if c.dep_ in ("obj", "nmod", "obl:arg") and c.i > tok.i
                        and not any(g.dep_ == "case" for g in c.children)]
                nxt = objs[0].right_edge.i + 1 if objs else 0
                closes = objs and (nxt >= len(f.doc) or f.doc[nxt].is_punct or (
                    f.doc[nxt].text[:1].isupper() and nxt + 1 < len(f.doc) and f.doc[nxt + 1].is_punct))
                if closes and (f.res.mention_at_token(objs[0].i) is not None or objs[0].text[:1].isupper()
                               or fold(objs[0].lemma_) in f.outlet_words):
                    f.add_phrase(objs[0], kinds=("media", "igo", "organisation", "company"), names=reports)
                    continue
        if lemma in lex.source_verbs or lemma in f.speech:
            before = [c for c in subs if c.i < tok.i]
            if before and any(c.dep_ in ("ccomp", "obj") for c in tok.children):
                f.add_phrase(before[0], kinds=("media",), names=False)


def _agents(f: _Finder, verb: Token) -> None:
    """ "interrogé par l'AFP", "cité par l'agence X", "contacté par Le Monde et Radio France"."""
    for c in verb.children:
        if c.dep_ != "obl:agent":
            continue
        found = f.media_inside(c, span=14)
        if found:
            for m in found:
                f.add_mention(m)
        elif fold(c.lemma_) in f.outlet_words:
            f.add_phrase(c, kinds=("media",))


def _given_to(f: _Finder, verb: Token) -> None:
    """ "a indiqué à l'AFP un responsable": a statement given to an outlet cites it."""
    for c in verb.children:
        if c.dep_ in ("obl:arg", "obl:mod", "obl", "iobj") and any(
                g.dep_ == "case" and fold(g.text) in ("a", "au", "aux") for g in c.children):
            m = f.res.mention_at_token(c.i) or next(iter(f.media_inside(c, span=4)), None)
            if m is not None and f.is_media(m):
                f.add_mention(m)


def _incise(verb: Token) -> bool:
    """The verb opens an incise: preceded by a comma, a closing quote, or a parenthesis."""
    first = min([verb] + [c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i],
                key=lambda t: t.i)
    if first.i == 0:
        return False
    prev = verb.doc[first.i - 1]
    return prev.text in (",", "»", "”", '"', "(", "—", "–", "-") or prev.lower_ in ("comme", "a")


def _paragraphs(text: str):
    """(start, end) of each non-empty paragraph of ``text``."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, pos + len(line)
        pos += len(line) + 1


def _credits(f: _Finder) -> None:
    text = f.text
    for m in _CREDIT.finditer(text):
        raw = m.group(1)
        name = raw.strip().rstrip(".,;")
        if not name or not name[:1].isupper() or len(name.split()) > 8:
            continue
        f.add_name(name, m.start(1) + (len(raw) - len(raw.lstrip())), media_only=False)
    for m in _COPYRIGHT.finditer(text):
        name = re.sub(r",?\s*(Ltd|Inc|SA|SAS|S\.A)\.?\s*$", "", m.group(1).strip().rstrip(".,;]"))
        f.add_name(name, m.start(1), media_only=False)
    for k, (a, b) in enumerate(_paragraphs(text)):
        par = text[a:b]
        if k < _FIRST_PARAGRAPHS:
            tag = _TAGLINE.match(par)
            if tag:
                # the agency that wrote the text: a source, unless it is the outlet itself
                # (or the outlet is unknown, when it is taken for the outlet)
                for part in re.split(r"[/,]", tag.group(1)):
                    start = a + tag.start(1) + tag.group(1).find(part)
                    if f.known_outlet:
                        f.add_name(part, start + len(part) - len(part.lstrip()), media_only=False)
                    else:
                        f.outlet |= _outlet_keys(part.strip(), f.res)
                continue
        m = _WITH.match(par)
        if m:
            f.add_name(m.group(1), a + m.start(1), media_only=False)
            continue
        for m in _PAREN.finditer(par):
            g = 1 if m.group(1) else 2
            f.add_name(m.group(g), a + m.start(g), media_only=True)
        words = par.split()
        if 0 < len(words) <= 6:
            # a paragraph that is only an outlet's name, maybe with a date: "Reuters, 02/10/2021"
            name = re.split(r",|\s\d", par.strip(), maxsplit=1)[0].strip()
            if name and name[:1].isupper():
                f.add_name(name, a + par.find(name), media_only=True)


def find(doc: Doc, resolution: Resolution, lexicon: ActorLexicon, *, outlet: str | None = None,
         words: lexmod.Lexicon | None = None) -> list[CitedSource]:
    """The cited sources of one parsed article, in text order. ``words``: the lexicon whose
    word lists the rules read (the shipped one when not given)."""
    f = _Finder(doc, resolution, lexicon, outlet, words or lexmod.default())
    _credits(f)
    _according_to(f)
    _verbs(f)
    f.found.sort(key=lambda c: c.span)
    return f.found


__all__ = ["find", "tagline_outlet"]
