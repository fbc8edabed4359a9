"""The mention builder: where the resolution passes record what they find in one Doc.

A :class:`MentionBuilder` holds the Doc, the actor dictionary, the Doc's token facts,
the :class:`~.resolution.Resolution` being built and which tokens are already inside a
mention. The passes of :mod:`.actors` and :mod:`.coref` add mentions through
:meth:`MentionBuilder.add`, which trims the span, creates the actor on its first
mention and records the names it is written under.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import Actor
from ..text import clean_name
from .dictionary import ARTICLES, ActorLexicon
from .facts import DocFacts
from .resolution import Mention, Resolution


class MentionBuilder:
    """Collects mentions and the actors they refer to, for one Doc (see the module
    docstring). ``facts``: the Doc's token facts, read here when not given."""

    def __init__(self, doc: Doc, lex: ActorLexicon, facts: DocFacts | None = None):
        self.doc = doc
        self.lex = lex
        self.f = facts if facts is not None else DocFacts(doc)  # token columns, read once for every pass
        self.res = Resolution(facts=self.f)
        self.taken: list[bool] = [False] * len(doc)
        self.ents: list[Span] = list(doc.ents)
        self.text = self.f.text

    @property
    def sents(self) -> list[Span]:
        """The Doc's sentences, listed once."""
        return self.f.sents

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def actor_for(self, aid: str) -> Actor:
        actor = self.res.actors.get(aid)
        if actor is None:
            e = self.lex.entries.get(aid)
            actor = e.actor() if e else Actor(id=aid, name=aid)
            if e is not None and e.kind == "country":
                fr = next((a for a in e.aliases if a != e.name), None)
                if fr:
                    actor.aliases.append(fr)
            self.res.actors[aid] = actor
        return actor

    def drop(self, ts: int, te: int) -> None:
        """Remove the mentions lying inside tokens ``[ts, te)`` (and actors left without any)."""
        gone = [m for m in self.res.mentions if ts <= m.token_start and m.token_end <= te]
        if not gone:
            return
        self.res.mentions = [m for m in self.res.mentions if m not in gone]
        for m in gone:
            a = self.res.actors.get(m.actor_id)
            if a is not None and (m.start, m.end) in a.mentions:
                a.mentions.remove((m.start, m.end))
                if not a.mentions:
                    del self.res.actors[m.actor_id]
                elif m.text in a.aliases and not any(
                        x.text == m.text for x in self.res.mentions if x.actor_id == m.actor_id):
                    a.aliases.remove(m.text)
        for i in range(ts, te):
            self.taken[i] = False
        self.res.finish()

    def add(self, ts: int, te: int, aid: str, via: str, *, sector: str | None = None,
            actor: Actor | None = None, mark: bool = True) -> Mention:
        doc = self.doc
        while te - 1 > ts and (doc[te - 1].is_space or doc[te - 1].text in (",", ";")):
            te -= 1
        while ts < te - 1 and doc[ts].is_space:
            ts += 1
        start, end = doc[ts].idx, doc[te - 1].idx + len(doc[te - 1])
        text = self.text[start:end]
        if actor is not None and aid not in self.res.actors:
            self.res.actors[aid] = actor
        a = self.actor_for(aid)
        m = Mention(start, end, aid, text, ts, te, via=via, sector=sector)
        self.res.add(m)
        a.mentions.append((start, end))
        surface = clean_name(strip_article(text))
        # Aliases are names as written ("Pékin", "Américains"), not descriptions or pronouns.
        if surface and surface[:1].isupper() and via in ("dict", "country", "ner") \
                and surface != a.name and surface not in a.aliases:
            a.aliases.append(surface)
        if mark:
            for i in range(ts, te):
                self.taken[i] = True
        return m


def strip_article(text: str) -> str:
    """``text`` without a leading article ("la Maison-Blanche" -> "Maison-Blanche")."""
    low = text.lower().replace("’", "'")
    for art in ARTICLES:
        if low.startswith(art) and len(text) > len(art):
            return text[len(art):]
    return text


__all__ = ["MentionBuilder", "strip_article"]
