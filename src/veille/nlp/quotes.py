"""Quotes with speakers: direct quotes in « », “ ” or "…", and indirect speech.

Direct quotes
    Quotation marks are paired inside a paragraph; a quote left open at the end of a
    paragraph goes on in the next paragraph when that one opens with « (the French
    convention for quotes over several paragraphs). A quote cut by an incise
    (« …, a-t-il ajouté. « … ») is one quote: its text joins both parts.
    A quoted stretch is a quote from someone only when (1) it holds a verb (a title
    or a scare-quoted word is not speech) and (2) it is attributed: a speech verb
    right after it ("», a déclaré M. Guo"), a speech verb or "selon X" before it in
    its sentence, or it continues a quote just attributed. Quoted titles
    ("le rapport intitulé "…"") are skipped.
Speaker
    The subject of the speech verb, its inverted subject ("a déclaré mardi M. Guo"),
    the pronoun of "a-t-il ajouté" through the resolution's pronoun mentions (else the
    previous quote's speaker), or the X of "selon X".
Indirect speech
    "X a déclaré que …" and "selon X, …" when X is a resolved person or organisation
    (not a country, outlet or document: cited sources are kept elsewhere).

The speech verbs are the [speech] section of ``veille/data/modality.txt``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..records import Article, Quote
from ..text import fold_rsquo
from . import lexicon as lexmod
from .resolution import Mention, Resolution
from .syntax import SUBJ, SUBJECT_PRONOUNS, actor_name, mention_of

_PAIRS = (("«", "»"), ("“", "”"), ('"', '"'))
_TITLE_WORDS = {"intitule", "intitulee", "intitules", "intitulees", "titre", "titree", "baptise",
                "baptisee", "nomme", "nommee", "denomme", "denommee", "appele", "appelee",
                "surnomme", "surnommee", "slogan", "hashtag", "mot-cle", "livre", "film", "ouvrage",
                "emission", "operation", "programme", "projet", "roman", "album", "article", "tribune"}
_NOT_SPEAKER_KINDS = {"country", "media"}
_MAX_QUOTE = 4000


@dataclass
class _Raw:
    start: int  # offset of the first character inside the marks
    end: int  # offset just after the last character inside the marks
    open_at: int  # offset of the opening mark
    close_at: int  # offset after the closing mark (or paragraph end)


def _paragraph_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j == -1 else j


def _next_paragraph(text: str, i: int) -> int | None:
    """Offset of the first non-space character of the paragraph after offset ``i``."""
    j = _paragraph_end(text, i)
    while j < len(text) and text[j].isspace():
        j += 1
    return j if j < len(text) else None


def find_quoted(text: str) -> list[_Raw]:
    """Stretches of ``text`` between quotation marks, in order (not yet judged)."""
    found: list[_Raw] = []
    taken = [False] * len(text)
    for open_mark, close_mark in _PAIRS:
        i = 0
        while True:
            i = text.find(open_mark, i)
            if i == -1:
                break
            if taken[i]:
                i += 1
                continue
            par_end = _paragraph_end(text, i)
            close = text.find(close_mark, i + 1)
            if close != -1 and close < par_end:
                raw = _Raw(i + 1, close, i, close + 1)
            elif open_mark == "«":
                raw = _multi_paragraph(text, i, par_end)
            else:
                raw = None
            if raw is None or raw.end - raw.start > _MAX_QUOTE or raw.end <= raw.start:
                i += 1
                continue
            if any(taken[raw.open_at:raw.close_at]):
                i += 1
                continue
            for k in range(raw.open_at, min(raw.close_at, len(text))):
                taken[k] = True
            found.append(raw)
            i = raw.close_at
    found.sort(key=lambda r: r.open_at)
    return found


def _multi_paragraph(text: str, i: int, par_end: int) -> _Raw | None:
    """A « left open at the end of its paragraph: follow paragraphs opening with «."""
    end = par_end
    while True:
        nxt = _next_paragraph(text, end)
        if nxt is None or text[nxt] != "«":
            # Unclosed: the quote ends with its paragraph.
            stop = end
            while stop > i and text[stop - 1].isspace():
                stop -= 1
            return _Raw(i + 1, stop, i, stop)
        close = text.find("»", nxt + 1)
        nend = _paragraph_end(text, nxt)
        if close != -1 and close < nend:
            return _Raw(i + 1, close, i, close + 1)
        end = nend


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "«»“”\""):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "«»“”\""):
        end -= 1
    return start, end


class _Ctx:
    def __init__(self, doc: Doc, resolution: Resolution, lex: lexmod.Lexicon):
        self.doc, self.res, self.lex = doc, resolution, lex
        self.f = resolution.facts_for(doc)

    def is_speech(self, token: Token) -> bool:
        return token.pos_ in ("VERB", "AUX") and self.lex.has("speech", token.lemma_)

    def speaker_of_verb(self, verb: Token, *, exclude: tuple[int, int] | None = None) -> tuple[Mention | None, Token | None]:
        """The subject of a speech verb, inverted or not, as a mention if resolved."""
        def inside(t: Token) -> bool:
            return exclude is not None and exclude[0] <= t.idx < exclude[1]
        cands = [c for c in verb.children if c.dep_ in SUBJ and not inside(c)]
        # "a déclaré mardi M. Guo": the inverted subject is often parsed as an object.
        if not [c for c in cands if c.dep_ != "expl:subj"]:
            cands += [c for c in verb.children
                      if c.dep_ in ("obj", "nsubj:pass", "obl:agent") and c.i > verb.i and not inside(c)
                      and c.pos_ in ("PROPN", "NOUN", "PRON")]
        if not cands and verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
            return self.speaker_of_verb(verb.head, exclude=exclude)
        for c in sorted(cands, key=lambda t: (t.dep_ == "expl:subj", t.text.startswith("-"))):
            m = mention_of(c, self.res)
            if m is not None:
                return m, c
        return None, (cands[0] if cands else None)


def _surface(token: Token | None) -> str | None:
    if token is None:
        return None
    toks = sorted([token] + [c for c in token.subtree if c.dep_ in ("flat:name", "flat", "det", "amod", "nmod", "case", "appos")
                             and abs(c.i - token.i) < 8], key=lambda t: t.i)
    words = [t for t in toks if not t.is_punct]
    if not words:
        return None
    return token.doc[words[0].i: words[-1].i + 1].text


def extract(doc: Doc, resolution: Resolution, article: Article | None = None, *,
            lexicon: lexmod.Lexicon | None = None) -> list[Quote]:
    """The quotes of one parsed article, direct and indirect, in text order."""
    lex = lexicon or lexmod.default()
    ctx = _Ctx(doc, resolution, lex)
    text = ctx.f.text
    quotes: list[Quote] = []
    direct_spans: list[tuple[int, int]] = []
    last: Quote | None = None
    last_end = -1
    pending_end = -1
    pending: Quote | None = None  # a quote just closed by an incise, open to a continuation
    for raw in find_quoted(text):
        start, end = _strip(text, raw.start, raw.end)
        if end - start < 2:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        words = [t for t in span if not t.is_punct]
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in span)
        if _is_title(doc, raw.open_at):
            continue
        if not has_verb or len(words) < 2:
            continue
        # A continuation of the quote just attributed: « …, a-t-il ajouté. « … »
        if pending is not None and _only_incise_between(doc, text, pending_end, raw.open_at, ctx):
            attributed_after = _incise_after(ctx, raw)
            if attributed_after is None:
                pending.text = pending.text + " " + text[start:end]
                pending.span = (pending.span[0], end)
                direct_spans.append((raw.open_at, raw.close_at))
                pending_end = raw.close_at
                continue
        pending = None
        speaker, token, how = _attribute(ctx, raw, start)
        if how is None:
            continue
        if speaker is None and how == "pronoun" and last is not None and raw.open_at - last_end < 600:
            # "a-t-il ajouté" with an unresolved pronoun: the previous speaker goes on.
            q = Quote(text=text[start:end], span=(start, end), speaker=last.speaker,
                      speaker_name=last.speaker_name, direct=True, speaker_span=last.speaker_span)
        else:
            name = actor_name(speaker, resolution) if speaker else _surface(token)
            q = Quote(text=text[start:end], span=(start, end),
                      speaker=speaker.actor_id if speaker else None, speaker_name=name, direct=True,
                      speaker_span=(speaker.start, speaker.end) if speaker else None)
        if q.speaker is None and not q.speaker_name:
            continue
        quotes.append(q)
        direct_spans.append((raw.open_at, raw.close_at))
        last, last_end = q, raw.close_at
        if how in ("after", "pronoun"):
            pending, pending_end = q, raw.close_at
    quotes.extend(_indirect(ctx, direct_spans))
    quotes.sort(key=lambda q: q.span[0])
    return quotes


def _is_title(doc: Doc, open_at: int) -> bool:
    """A quoted title: "le rapport intitulé "…"", "l'opération « … »"."""
    before = doc.char_span(max(0, open_at - 40), open_at, alignment_mode="contract")
    if before is None:
        return False
    toks = [t for t in before if not t.is_punct][-2:]
    return any(fold_rsquo(t.text) in _TITLE_WORDS for t in toks)


def _incise_after(ctx: _Ctx, raw: _Raw) -> tuple[Token, Mention | None, Token | None] | None:
    """A speech verb right after the closing mark: "», a déclaré X" / "», a-t-il ajouté"."""
    doc = ctx.doc
    after = doc.char_span(raw.close_at, min(len(ctx.f.text), raw.close_at + 120), alignment_mode="contract")
    if after is None:
        return None
    seen = 0
    for t in after:
        if t.text in ".!?\n" or t.text in "«“" or (t.text == '"' and seen > 0):
            return None
        if t.is_punct or t.is_space:
            continue
        seen += 1
        if seen > 4:
            return None
        if ctx.is_speech(t):
            m, tok = ctx.speaker_of_verb(t, exclude=(raw.open_at, raw.close_at))
            return t, m, tok
    return None


def _only_incise_between(doc: Doc, text: str, a: int, b: int, ctx: _Ctx) -> bool:
    gap = text[a:b]
    if len(gap) > 160 or not gap.strip():
        return len(gap.strip()) == 0 and len(gap) < 5
    # the gap is ", a-t-il ajouté." or ", poursuit le ministre :" and nothing else
    return bool(re.match(r"^[\s,]*[^.!?«»\"]{0,120}[.:,]?\s*$", gap)) and any(
        ctx.is_speech(t) for t in (doc.char_span(a, b, alignment_mode="contract") or []))


def _attribute(ctx: _Ctx, raw: _Raw, start: int) -> tuple[Mention | None, Token | None, str | None]:
    """Who said it, and how we know: "after" (incise), "before", "selon", "pronoun"."""
    inc = _incise_after(ctx, raw)
    if inc is not None:
        verb, m, tok = inc
        if m is None:
            pron = [c for c in verb.children if c.lower_.lstrip("-") in SUBJECT_PRONOUNS]
            if pron:
                return None, pron[0], "pronoun"
        return m, tok, "after"
    doc = ctx.doc
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    if first is None:
        return None, None, None
    sent = first[0].sent
    before = [t for t in sent if t.idx < raw.open_at]
    if not [t for t in before if not t.is_punct] and sent.start > 0:
        # The segmenter cut at the colon or at «: "Selon X : | « … »".
        prev = doc[sent.start - 1].sent
        tail = [t for t in prev if not t.is_space and t.text not in "«“\""]
        if tail and tail[-1].text in (":", ","):
            before = [t for t in prev if t.idx < raw.open_at] + before
    # "Selon X : « … »"
    for k, t in enumerate(before):
        is_attr = ctx.lex.has("attribution", t.text) or (
            t.lower_ in ("d'", "d’") and k + 1 < len(before) and before[k + 1].lower_ == "après")
        if not is_attr:
            continue
        m = mention_of(t.head, ctx.res)
        if m is None:  # the parse may hang "selon" elsewhere: the first mention after it
            m = next((ctx.res.mention_at_token(x.i) for x in before[k + 1:k + 8]
                      if ctx.res.mention_at_token(x.i) is not None), None)
        if m is not None and _speaking_actor(ctx, m):
            return m, t.head, "selon"
    # "X a déclaré : « … »", "X dit que « … »", "X a accusé Y de « … »"
    verbs = [t for t in before if ctx.is_speech(t)]
    quote_tokens = [t for t in sent if raw.open_at <= t.idx < raw.close_at]
    for verb in reversed(verbs):
        m, tok = ctx.speaker_of_verb(verb, exclude=(raw.open_at, raw.close_at))
        if m is not None or (tok is not None and tok.pos_ == "PROPN"):
            return m, tok, "before"
    # A speech verb later in the sentence, governing the quote ("… », selon lui" is rare):
    later = [t for t in sent if t.idx >= raw.close_at and ctx.is_speech(t)]
    for verb in later[:1]:
        if quote_tokens and any(q.head == verb or verb.head == q for q in quote_tokens):
            m, tok = ctx.speaker_of_verb(verb, exclude=(raw.open_at, raw.close_at))
            if m is not None:
                return m, tok, "after"
    return None, None, None


def _speaking_actor(ctx: _Ctx, m: Mention) -> bool:
    actor = ctx.res.actors.get(m.actor_id)
    return actor is None or actor.kind not in ("media",)


def _indirect(ctx: _Ctx, direct_spans: list[tuple[int, int]]) -> list[Quote]:
    """ "X a déclaré que …" and "selon X, …" with X a person or organisation."""
    out: list[Quote] = []
    doc, res = ctx.doc, ctx.res

    def overlaps_direct(a: int, b: int) -> bool:
        return any(a < e and s < b for s, e in direct_spans)

    pos, lemma_key, tokens = ctx.f.pos, ctx.f.lemma_key, ctx.f.toks
    speech = ctx.lex.words.get("speech", ())
    for i in range(len(doc)):
        if pos[i] not in ("VERB", "AUX") or lemma_key[i] not in speech:
            continue  # (as ctx.is_speech, on the token's columns)
        verb = tokens[i]
        comp = [c for c in verb.children if c.dep_ in ("ccomp", "obj")
                and any(g.dep_ == "mark" and g.lower_ in ("que", "qu'", "qu’") for g in c.children)]
        if not comp:
            continue
        m, _tok = ctx.speaker_of_verb(verb)
        if m is None or not _person_or_org(res, m):
            continue
        clause = comp[0]
        toks = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head == clause and t.i < clause.i)]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if len(toks) < 3:
            continue
        a, b = toks[0].idx, toks[-1].idx + len(toks[-1])
        if overlaps_direct(a, b):
            continue
        out.append(Quote(text=ctx.f.text[a:b], span=(a, b), speaker=m.actor_id,
                         speaker_name=actor_name(m, res), direct=False, speaker_span=(m.start, m.end)))
    dep, words = ctx.f.dep, ctx.f.words
    for sent in ctx.f.sents:
        for i in range(sent.start, sent.end):
            if not (dep[i] == "case" and ctx.lex.has("attribution", words[i])):
                continue
            t = tokens[i]
            head = t.head
            m = mention_of(head, res)
            if m is None or not _person_or_org(res, m):
                continue
            clause = head.head
            if clause.i == head.i:
                continue
            after = [x for x in clause.subtree if x.i > max(y.i for y in head.subtree)]
            while after and after[0].is_punct:
                after = after[1:]
            while after and after[-1].is_punct:
                after = after[:-1]
            if len(after) < 4 or not any(x.pos_ in ("VERB", "AUX") for x in after):
                continue
            a, b = after[0].idx, after[-1].idx + len(after[-1])
            if overlaps_direct(a, b):
                continue
            out.append(Quote(text=ctx.f.text[a:b], span=(a, b), speaker=m.actor_id,
                             speaker_name=actor_name(m, res), direct=False, speaker_span=(m.start, m.end)))
    return out


def _person_or_org(res: Resolution, m: Mention) -> bool:
    actor = res.actors.get(m.actor_id)
    return actor is not None and actor.kind not in _NOT_SPEAKER_KINDS


__all__ = ["extract", "find_quoted"]
