"""What actor resolution hands to the quote and event extractors, inside the nlp stage.

``nlp/actors.py`` builds a :class:`Resolution` for each parsed document (through the
:class:`~.mentions.MentionBuilder`); ``nlp/sources.py``, ``nlp/quotes.py`` and
``nlp/events.py`` read it, and the Doc's token facts it keeps. spaCy objects never leave
the nlp stage: the stage turns a Resolution into plain ``Actor`` and ``CitedSource``
records before yielding.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..records import Actor, CitedSource
from .facts import DocFacts


@dataclass(slots=True)
class Mention:
    """One stretch of text that refers to an actor.

    ``start``/``end`` are character offsets into the clean text, ``token_start`` and
    ``token_end`` token indexes in the spaCy Doc (end exclusive). ``via`` says how the
    link was made: "dict" (actor dictionary), "country" (country names, demonyms and
    capitals), "ner" (unknown named entity), "coref" (title, surname or definite
    description), "pronoun". ``sector`` qualifies a country mention made through a
    government, military or business phrase ("le gouvernement chinois" -> GOV).
    """

    start: int
    end: int
    actor_id: str
    text: str
    token_start: int
    token_end: int
    via: str = "dict"
    sector: str | None = None  # what the words add to a country: "le Pentagone" -> MIL


@dataclass
class Resolution:
    """The actors of one document and every mention of them, in text order."""

    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    cited_sources: list[CitedSource] = field(default_factory=list)
    facts: DocFacts | None = field(default=None, repr=False, compare=False)  # the Doc's token facts
    _by_token: dict[int, Mention] = field(default_factory=dict, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    _by_span: dict[tuple[int, int], list[Mention]] = field(default_factory=dict, repr=False)

    def facts_for(self, doc: Doc) -> DocFacts:
        """The token facts of ``doc``: those the resolution was made with, or (for a
        resolution made by hand) read now and kept."""
        f = self.facts
        if f is not None and f.doc is doc:
            return f
        f = DocFacts(doc)
        if self.facts is None:
            self.facts = f
        return f

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        self._index(mention)

    def finish(self) -> Resolution:
        """Sort mentions and rebuild the indexes (call after adding everything)."""
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        self._by_token.clear()
        self._by_span.clear()
        for m in self.mentions:
            self._index(m)
        self._starts = [m.start for m in self.mentions]
        return self

    def _index(self, m: Mention) -> None:
        for i in range(m.token_start, m.token_end):
            self._by_token.setdefault(i, m)
        self._by_span.setdefault((m.token_start, m.token_end), []).append(m)

    def companions(self, m: Mention) -> list[Mention]:
        """The other actors named by the very words of ``m`` ("russo-ukrainiens": Russia
        and Ukraine), in text order."""
        return [x for x in self._by_span.get((m.token_start, m.token_end), ()) if x.actor_id != m.actor_id]

    def mention_at_token(self, i: int) -> Mention | None:
        """The mention covering token ``i``, if any."""
        return self._by_token.get(i)

    def actor_at_token(self, i: int) -> str | None:
        m = self._by_token.get(i)
        return m.actor_id if m else None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions lying inside the character range ``[start, end)``."""
        lo = bisect.bisect_left(self._starts, start)
        return [m for m in self.mentions[lo:] if m.start < end and m.end <= end]

    def mentions_of(self, actor_id: str) -> list[Mention]:
        """Every mention of one actor, in text order."""
        return [m for m in self.mentions if m.actor_id == actor_id]

    def cited_source_in(self, start: int, end: int) -> CitedSource | None:
        """The first cited source whose span lies inside ``[start, end)`` (a sentence), if any."""
        for c in self.cited_sources:
            if start <= c.span[0] and c.span[1] <= end:
                return c
        return None

    def actor_in_span(self, start: int, end: int) -> str | None:
        """The first actor mentioned inside ``[start, end)``, if any."""
        found = self.mentions_in(start, end)
        return found[0].actor_id if found else None
