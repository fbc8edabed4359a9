"""The event lexicon, modality words and context keywords, read from data files.

Shipped files (in ``veille/data``):

- ``event_lexicon.txt``: ``kind | pattern | TYPE | CAMEO | context | roles`` lines;
- ``modality.txt``: ``[section]`` word lists (speech, report, attribution, hedge,
  hedge_adverb, plan, negation, and the quote and cited-source sections speech_incise,
  speech_judgement, speech_infinitive, speaker_statement, speaker_document,
  speaker_function, speaker_outlet, outlet_people, source_institution, source_agent);
- ``event_context.txt``: ``[tag]`` keyword lists.

A user's file (settings: ``[nlp] lexicon = ["mine.txt"]``) may mix the three forms:
lines with ``|`` are event entries, ``[section]`` headers start word lists; a section
that is not a modality section names a context tag. See the README, "Events, modality
and quotes".
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..text import fold_rsquo

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
KINDS = ("verb", "light", "noun")
MODALITY_SECTIONS = ("speech", "report", "attribution", "hedge", "hedge_adverb", "plan", "negation",
                     "speech_incise", "speech_judgement", "speech_infinitive", "speaker_statement",
                     "speaker_document", "speaker_function", "speaker_outlet", "outlet_people", "source_institution", "source_agent")


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: a predicate pattern and the event it expresses."""

    kind: str  # verb | light | noun
    lemma: str  # the verb or noun lemma (folded)
    noun: str | None  # light verbs: the noun lemma (folded)
    marker: str | None  # a word that must introduce a complement ("à" in "appeler à")
    type: str
    cameo: str
    context: tuple[str, ...]
    roles: tuple[str, ...]  # recipient roles in order: obj, iobj, or prepositions
    solo: bool  # the event may stand without a recipient
    pattern: str = ""

    @property
    def size(self) -> int:
        return 1 + (self.noun is not None) + (self.marker is not None)


@dataclass
class Lexicon:
    """Everything the quote and event extractors know about words."""

    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    words: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in MODALITY_SECTIONS})
    context: dict[str, set[str]] = field(default_factory=dict)
    _verbs: dict[str, list[Entry]] = field(default_factory=dict, repr=False)
    _nouns: dict[str, list[Entry]] = field(default_factory=dict, repr=False)

    def index(self) -> Lexicon:
        self._verbs, self._nouns = {}, {}
        for e in self.entries.values():
            target = self._nouns if e.kind == "noun" else self._verbs
            target.setdefault(e.lemma, []).append(e)
        for lst in (*self._verbs.values(), *self._nouns.values()):
            lst.sort(key=lambda e: -e.size)
        return self

    def verb_entries(self, lemma: str) -> list[Entry]:
        """Verb and light-verb entries for a verb lemma, longest pattern first."""
        return self._verbs.get(fold_rsquo(lemma), [])

    def noun_entries(self, lemma: str) -> list[Entry]:
        return self._nouns.get(fold_rsquo(lemma), [])

    def is_verb(self, key: str) -> bool:
        """Whether a folded lemma (``fold_rsquo(lemma)``) has verb or light-verb entries."""
        return bool(self._verbs.get(key))

    def is_noun(self, key: str) -> bool:
        """Whether a folded lemma (``fold_rsquo(lemma)``) has noun entries."""
        return bool(self._nouns.get(key))

    def has(self, section: str, lemma: str) -> bool:
        return fold_rsquo(lemma) in self.words.get(section, ())

    def contexts(self, text: str) -> list[str]:
        """Context tags whose keywords start a word of ``text``."""
        folded = " " + " ".join(fold_rsquo(text).replace("'", " ").replace("-", " ").split())
        return sorted(tag for tag, kws in self.context.items()
                      if any(" " + kw in folded for kw in kws))


def _parse_entry(line: str, where: str) -> Entry:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) != 6:
        raise ConfigError(f"{where}: an event entry has six fields "
                          f"'kind | pattern | TYPE | CAMEO | context | roles', got {len(parts)}")
    kind, pattern, etype, cameo, context, roles = parts
    if kind not in KINDS:
        raise ConfigError(f"{where}: kind '{kind}' unknown; use one of {', '.join(KINDS)}")
    if etype not in PLOVER_TYPES:
        raise ConfigError(f"{where}: type '{etype}' is not a PLOVER type; use one of {', '.join(PLOVER_TYPES)}")
    words = fold_rsquo(pattern).split()
    if not words:
        raise ConfigError(f"{where}: empty pattern")
    lemma = words[0]
    if lemma.startswith(("s'", "se ")):
        lemma = lemma[2:]
    noun = marker = None
    rest = words[1:]
    if kind == "light":
        if not rest:
            raise ConfigError(f"{where}: a light entry needs a verb and a noun ('faire pression')")
        noun, rest = rest[0], rest[1:]
    if kind == "verb" and len(rest) >= 2 and rest[0] in ("en", "au", "a"):
        # fixed verbal phrases ("mettre en cause", "mettre en garde"): verb + noun
        noun, rest = rest[-1], []
    if rest:
        marker = " ".join(rest)
    role_list = fold_rsquo(roles).split() if roles not in ("", "-") else []
    solo = "solo" in role_list
    merged: list[str] = []
    for r in role_list:
        if r == "solo":
            continue
        if merged and merged[-1] == "aupres" and r == "de":
            merged[-1] = "aupres de"
        else:
            merged.append(r)
    ctx = tuple(c for c in context.split() if c != "-")
    return Entry(kind, lemma, noun, marker, etype, cameo, ctx, tuple(merged), solo, pattern)


def _read(text: str, lex: Lexicon, where: str) -> None:
    section: str | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "|" in line:
            e = _parse_entry(line, f"{where}:{n}")
            key = (e.kind, fold_rsquo(e.pattern))
            lex.entries[key] = e
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        if section is None:
            raise ConfigError(f"{where}:{n}: a word outside any [section]; start the file with "
                              "a section header such as [plan] or [cyber], or use '|' entries")
        if section in MODALITY_SECTIONS:
            lex.words[section].add(fold_rsquo(line))
        else:
            lex.context.setdefault(section, set()).add(fold_rsquo(line))


_SHIPPED = ("event_lexicon.txt", "modality.txt", "event_context.txt")


def load(extra: Iterable[str | Path] = ()) -> Lexicon:
    """The shipped lexicon, extended by the user's files in ``extra``."""
    lex = Lexicon()
    data = resources.files("veille").joinpath("data")
    for name in _SHIPPED:
        _read(data.joinpath(name).read_text(encoding="utf-8"), lex, name)
    for path in extra:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise ConfigError(f"{p}: cannot read the lexicon file ({e.strerror}); "
                              "check the paths in [nlp] lexicon") from e
        _read(text, lex, str(p))
    return lex.index()


_DEFAULT: Lexicon | None = None


def default() -> Lexicon:
    """The shipped lexicon, loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT


__all__ = ["PLOVER_TYPES", "Entry", "Lexicon", "default", "load"]
