"""Actors and cited sources read without a parser, for English articles.

The spaCy model parses French only. An English article still gets what needs no parse:

- **actors**: every name of the actor dictionary (:mod:`.dictionary`: countries in
  English from CLDR and pycountry, the English names and acronyms of organisations,
  companies, media and people of ``data/actors.yaml`` and of the user's files) found in
  the text, longest name first, as in a French article (capitals and seats of power
  count for their country: "Washington", "the Kremlin");
- **cited sources**: a name after or before one of the English attribution cues of
  ``data/source_cues_en.txt`` ("according to Reuters", "the Wall Street Journal
  reported"), and the agency of a wire dateline ("WASHINGTON (Reuters) -", "BEIJING, March
  5, 2024 (Reuters) -"); the
  article's own outlet is never a source of itself.

What needs a parse (nationality words, pronouns, quotes and their speakers, events) is
left out: no guess is better than a wrong one.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..records import Actor, CitedSource
from ..text import name_key
from .dictionary import ActorLexicon, Target

LANGUAGES = ("en",)
"""Languages read this way (language codes as the clean stage gives them)."""

_WORD = re.compile(r"[^\W_](?:[\w&]|['’.\-](?=\w))*")
_DATELINE = re.compile(r"^\W{0,3}[A-Z][\w .,'’-]{1,60}?\s*\((?P<name>[^()\n]{2,40})\)\s*[-–—:]")


@lru_cache(maxsize=1)
def cues() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The attribution cues of ``data/source_cues_en.txt``: (before a name, after a name),
    lower case."""
    before, after = [], []
    text = resources.files("veille").joinpath("data/source_cues_en.txt").read_text("utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "|" not in line:
            continue
        where, phrase = (p.strip() for p in line.split("|", 1))
        (before if where == "before" else after).append(" ".join(phrase.lower().split()))
    return tuple(before), tuple(after)


def read(text: str, lex: ActorLexicon, *, outlet: str | None = None) -> tuple[list[Actor], list[CitedSource]]:
    """The actors (in order of first mention) and cited sources of an English text."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    found = _names(text, words, lex)
    actors: dict[str, Actor] = {}
    for start, end, target in found:
        a = actors.get(target.actor_id)
        if a is None:
            entry = lex.entries.get(target.actor_id)
            if entry is None:
                continue
            a = actors[target.actor_id] = entry.actor()
        written = text[start:end]
        if written not in a.aliases:
            a.aliases.append(written)
        a.mentions.append((start, end))
    return list(actors.values()), _sources(text, words, found, lex, outlet)


def _names(text: str, words: list[tuple[int, int]], lex: ActorLexicon) -> list[tuple[int, int, Target]]:
    """Dictionary names in the text, longest first from each word, never overlapping."""
    out = []
    i = 0
    starts = lex.name_starts(text[s:e] for s, e in words)
    while i < len(words):
        s0, e0 = words[i]
        first = text[s0:e0]
        caps = first.isupper() and len(first) > 3
        if not (first[:1].isupper() or first[:1].isdigit()) or not (starts.get(first) or caps):
            i += 1
            continue
        best = None
        for j in range(min(len(words), i + lex.max_tokens) - 1, i - 1, -1):
            span = text[s0:words[j][1]]
            if "\n" in span:
                continue
            key = name_key(span)
            target = lex.lookup(key) or (lex.names_ci.get(key.lower()) if " " in key else None)
            if target is not None:
                best = (j, target)
                break
        if best is None and caps:  # a dateline's "BEIJING"
            target = lex.lookup(name_key(first.title()))
            best = (i, target) if target is not None else None
        if best is None:
            i += 1
            continue
        j, target = best
        out.append((s0, words[j][1], target))
        i = j + 1
    return out


def _sources(text: str, words: list[tuple[int, int]], found: list[tuple[int, int, Target]],
             lex: ActorLexicon, outlet: str | None) -> list[CitedSource]:
    before, after = cues()
    own = name_key(outlet).lower() if outlet else None
    out: dict[tuple[int, int], CitedSource] = {}

    def add(start: int, end: int, actor: str | None) -> None:
        name = text[start:end]
        if own and name_key(name).lower() == own:
            return
        out.setdefault((start, end), CitedSource(name=name, span=(start, end), actor=actor))

    low = text.lower()
    for s, e, target in found:
        head = re.sub(r"\s+", " ", low[max(0, s - 40):s]).rstrip()
        head = re.sub(r"\s+the$", "", head)
        tail = re.sub(r"\s+", " ", low[e:e + 30]).lstrip(" ,")
        if any(head.endswith(c) for c in before) or any(re.match(re.escape(c) + r"\b", tail) for c in after):
            add(s, e, target.actor_id)
    for cue in before:  # a name the dictionary does not know: the capitalised words after the cue
        for m in re.finditer(r"\b" + re.escape(cue).replace(r"\ ", r"\s+") + r"\s+(?:the\s+)?", low):
            name = re.match(r"(?:[A-Z][\w&'’.-]*)(?:\s+(?:of\s+|for\s+|de\s+)?[A-Z][\w&'’.-]*){0,5}", text[m.end():])
            if name and not any(s <= m.end() < e for s, e, _ in found):
                add(m.end(), m.end() + len(name.group(0).rstrip(".")), None)
    d = _DATELINE.match(text[:200])
    if d:
        s, e = d.span("name")
        target = lex.lookup(name_key(text[s:e]))
        if target is not None:
            add(s, e, target.actor_id)
    return sorted(out.values(), key=lambda c: c.span)


__all__ = ["LANGUAGES", "cues", "read"]
