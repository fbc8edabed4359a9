"""Actor resolutions for the quote and event tests: hand-built ones (string matching only)
and the real one (the shipped dictionary, coreference), and the events coded on them."""
from __future__ import annotations

import re

from veille.nlp import actors as actorsmod
from veille.nlp import events, quotes
from veille.nlp.resolution import Mention, Resolution
from veille.records import Actor, Article

# Five states and the names the hand-built resolutions mark for them (tests add their own).
STATES = {
    "USA": ("country", ["États-Unis", "Washington"]),
    "CHN": ("country", ["Chine", "Pékin"]),
    "FRA": ("country", ["France", "Paris"]),
    "DEU": ("country", ["Allemagne", "Berlin"]),
    "RUS": ("country", ["Russie", "Moscou"]),
}


def make_resolution(doc, actors: dict[str, tuple[str, list[str]]],
                    pronouns: dict[str, str] | None = None) -> Resolution:
    """Mark every occurrence of each surface string as a mention of its actor.

    ``actors`` maps an actor id to (kind, surface strings); ``pronouns`` maps a
    pronoun occurrence pattern (regex on the text) to the actor id it resolves to.
    """
    res = Resolution()
    for aid, (kind, names) in actors.items():
        res.actors[aid] = Actor(id=aid, name=names[0], kind=kind, aliases=names[1:])
        for name in names:
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None:
                    continue
                res.add(Mention(m.start(), m.end(), aid, m.group(0), span.start, span.end))
    for pattern, aid in (pronouns or {}).items():
        for m in re.finditer(pattern, doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                res.add(Mention(m.start(), m.end(), aid, m.group(0), span.start, span.end, via="pronoun"))
    return res.finish()


def event_triples(nlp, text: str, actors: dict[str, tuple[str, list[str]]]) -> set[tuple]:
    """The (type, actor, recipient) of every event coded in ``text``, its actors marked by
    ``make_resolution`` and its quotes read first (speakers of "nous", attribution)."""
    doc = nlp(text)
    res = make_resolution(doc, actors)
    art = Article(id="t", source="t", text=text, published="2024-03-10")
    evs = events.extract(doc, res, quotes.extract(doc, res, art), art)
    return {(e.type, e.actor, e.recipient) for e in evs}


def resolved(nlp, lex, text: str):
    """The Doc of ``text`` and its real actor resolution with the dictionary ``lex``."""
    doc = nlp(text)
    return doc, actorsmod.resolve_actors(doc, lex)


def resolved_triples(nlp, lex, text: str, *, with_quotes: bool = True,
                     published: str | None = "2024-01-10") -> set[tuple]:
    """The (type, actor, recipient) of every event coded in ``text`` on its real actor
    resolution, its quotes read first unless ``with_quotes`` is False."""
    doc, res = resolved(nlp, lex, text)
    art = Article(id="t", source="t", text=text, published=published)
    qs = quotes.extract(doc, res, art) if with_quotes else []
    return {(e.type, e.actor, e.recipient) for e in events.extract(doc, res, qs, art)}
