"""The event lexicon, modality words and context keywords, read from data files.

Shipped files (in ``veille/data``):

- ``event_lexicon.txt``: ``kind | pattern | TYPE | CAMEO | context | roles`` lines;
- ``modality.txt``: ``[section]`` word lists (speech, report, attribution, hedge,
  hedge_adverb, plan, plan_passive, negation, and the quote and cited-source sections speech_incise,
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
KINDS = ("verb", "light", "noun", "stop")
# Words that open a complement in a pattern ("appeler à", "engager auprès de"), as folded.
# A "stop" pattern's second word is its support noun unless it is one of these.
PREPOSITIONS = frozenset({
    "a", "de", "avec", "contre", "sur", "envers", "aupres", "devant", "derriere", "en", "dans",
    "pour", "par", "vers", "chez", "entre", "autour", "pres", "face", "concernant", "sous",
})
# The type field of an entry whose event is that of the event noun it carries.
CARRIED = "="
# The type field of an entry whose event ends the act of the event noun it carries
# ("mettre fin à la coopération", "suspendre les frappes", "renoncer aux sanctions").
ENDED = "!"
# Acts made by words: a decision or approval does not carry them ("approuver la demande
# de X" is no demand of the approver's), and they do not end.
SPOKEN_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST"})
# What ending an act is, by the act's type, with its CAMEO code: ending cooperation, aid,
# support or talks reduces relations (SANCTION, CAMEO 16); ending an accord pulls out of it
# and ending attacks or a deployment de-escalates (RETREAT, 087); ending sanctions or
# coercion eases them (CONCEDE, 08). Other acts give no event when they end.
ENDS = {
    "COOPERATE": ("SANCTION", "160"),
    "SUPPORT": ("SANCTION", "160"),
    "AID": ("SANCTION", "162"),
    "CONSULT": ("SANCTION", "164"),
    "AGREE": ("RETREAT", "087"),
    "ASSAULT": ("RETREAT", "087"),
    "MOBILIZE": ("RETREAT", "0873"),
    "SANCTION": ("CONCEDE", "085"),
    "COERCE": ("CONCEDE", "081"),
}
MODALITY_SECTIONS = ("speech", "report", "attribution", "hedge", "hedge_adverb", "plan", "plan_passive", "negation",
                     "speech_incise", "speech_judgement", "speech_infinitive", "speaker_statement",
                     "speaker_document", "speaker_function", "speaker_outlet", "outlet_people", "source_institution", "source_agent")


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: a predicate pattern and the event it expresses."""

    kind: str  # verb | light | noun | stop
    lemma: str  # the verb or noun lemma (folded)
    noun: str | None  # light verbs: the support noun; nouns: a word that depends on it (folded)
    marker: str | None  # a word that must introduce a complement ("à" in "appeler à")
    type: str  # a PLOVER type; "" for a stop entry, "=" (CARRIED) or "!" (ENDED) for a carrier
    cameo: str
    context: tuple[str, ...]
    roles: tuple[str, ...]  # recipient roles in order: obj, iobj, or prepositions
    solo: bool  # the event may stand without a recipient
    pattern: str = ""
    reflexive: bool = False  # the verb needs a reflexive clitic ("se rendre à", "s'engager")
    clitic: str | None = None  # the verb needs the clitic "en" or "y" ("s'en prendre à")
    # The subject receives the act and the actor sits in the roles ("recevoir le soutien de
    # X", "subir des frappes de X"): read by the roles of an event (``nlp/roles.py``).
    reversed: bool = False
    # light entries: a word that must depend on the support noun ("mener exercice conjoint")
    modifier: str | None = None
    # verb and light entries: the entry matches only when its verb is negated, the negation
    # being the act ("ne pas reconnaître l'élection" rejects it, "ne pas rester les bras
    # croisés" threatens); the event is then asserted, not negated
    negated: bool = False
    # verb and light entries: the entry matches only in the future or the conditional, or
    # after "aller" (a veiled threat: "prendra toutes les mesures nécessaires")
    future: bool = False

    @property
    def size(self) -> int:
        return (1 + (self.noun is not None) + (self.marker is not None) + self.reflexive
                + (self.clitic is not None) + self.carried + (self.modifier is not None)
                + self.negated + self.future)

    @property
    def stop(self) -> bool:
        """A stop entry matches and gives no event: it keeps a phrase ("tenir compte de")
        from being read by a shorter entry ("tenir")."""
        return self.kind == "stop"

    @property
    def carried(self) -> bool:
        """A carrier ("subir", "faire l'objet de") takes its event from the event noun it
        carries ("subir des frappes" is an attack): the type, code and context of that noun's
        entry, its own roles and flags (the noun's roles when it names none). A carrier of
        type "!" ends the act ("mettre fin à la coopération" is a SANCTION, see ENDS)."""
        return self.type in (CARRIED, ENDED)

    @property
    def ends(self) -> bool:
        return self.type == ENDED


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
        """Verb, light-verb and stop entries for a verb lemma, the most specific first."""
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
    if parts and parts[0] == "stop" and len(parts) == 2:
        parts += ["-", "-", "-", "-"]  # "stop | tenir compte de"
    if len(parts) != 6:
        raise ConfigError(f"{where}: an event entry has six fields "
                          f"'kind | pattern | TYPE | CAMEO | context | roles', got {len(parts)}")
    kind, pattern, etype, cameo, context, roles = parts
    if kind not in KINDS:
        raise ConfigError(f"{where}: kind '{kind}' unknown; use one of {', '.join(KINDS)}")
    if kind == "stop":
        etype, cameo = "", ""
    elif etype in (CARRIED, ENDED):
        if kind == "noun":
            raise ConfigError(f"{where}: type '{etype}' (the event of the noun carried) is for verb and "
                              "light entries, not nouns")
        cameo = "" if cameo == "-" else cameo
    elif etype not in PLOVER_TYPES:
        raise ConfigError(f"{where}: type '{etype}' is not a PLOVER type; use one of {', '.join(PLOVER_TYPES)}"
                          " (or '=' for a carrier, '!' for one that ends the act)")
    words = fold_rsquo(pattern).split()
    reflexive, clitic = False, None
    if kind != "noun" and words:
        if words[0] == "se":
            reflexive, words = True, words[1:]
        elif words[0].startswith("s'"):
            reflexive, words = True, [words[0][2:], *words[1:]] if len(words[0]) > 2 else words[1:]
        if words and words[0] in ("en", "y"):
            clitic, words = words[0], words[1:]
    if not words:
        raise ConfigError(f"{where}: empty pattern" if not pattern.strip() else
                          f"{where}: the pattern '{pattern}' names no verb after its clitics")
    lemma = words[0]
    noun = marker = modifier = None
    rest = words[1:]
    if kind == "light":
        if not rest:
            raise ConfigError(f"{where}: a light entry needs a verb and a noun ('faire pression')")
        noun, rest = rest[0], rest[1:]
        if rest and rest[0] not in PREPOSITIONS:
            # "mener exercice conjoint": a word that must depend on the support noun
            modifier, rest = rest[0], rest[1:]
    elif kind == "stop" and rest and rest[0] not in PREPOSITIONS:
        noun, rest = rest[0], rest[1:]  # "stop | tenir compte de": a support noun
    elif kind == "noun" and rest:
        # "rappel ambassadeur", "opération militaire": a word that must depend on the noun
        noun, rest = rest[0], rest[1:]
        if rest:
            raise ConfigError(f"{where}: a noun entry is the noun and at most one word that "
                              f"depends on it ('rappel ambassadeur'), got '{pattern}'")
    if kind in ("verb", "stop") and len(rest) >= 2 and rest[0] in ("en", "au", "a"):
        # fixed verbal phrases ("mettre en cause", "mettre en garde"): verb + noun
        noun, rest = rest[-1], []
    if rest:
        marker = " ".join(rest)
    role_list = fold_rsquo(roles).split() if roles not in ("", "-") else []
    solo = "solo" in role_list
    is_reversed = "reversed" in role_list
    if is_reversed and kind not in ("verb", "light"):
        raise ConfigError(f"{where}: 'reversed' (the subject receives) is for verb and light entries")
    negated, future = "negated" in role_list, "future" in role_list
    if (negated or future) and kind not in ("verb", "light"):
        raise ConfigError(f"{where}: 'negated' and 'future' (how the verb must be used) are for verb and "
                          "light entries")
    merged: list[str] = []
    for r in role_list:
        if r in ("solo", "reversed", "negated", "future"):
            continue
        if merged and merged[-1] in _PREP_HEADS and r in ("de", "a"):
            merged[-1] = f"{merged[-1]} {r}"  # "auprès de", "autour de", "face à"
        else:
            merged.append(r)
    ctx = tuple(c for c in context.split() if c != "-")
    return Entry(kind, lemma, noun, marker, etype, cameo, ctx, tuple(merged), solo, pattern,
                 reflexive=reflexive, clitic=clitic, reversed=is_reversed, modifier=modifier,
                 negated=negated, future=future)


# First words of the prepositions of two words a roles field may name ("auprès de",
# "autour de", "près de", "face à"), folded.
_PREP_HEADS = ("aupres", "autour", "pres", "face", "loin", "vis-a-vis")


def _read(text: str, lex: Lexicon, where: str) -> None:
    section: str | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "|" in line:
            e = _parse_entry(line, f"{where}:{n}")
            # a carrier ("recevoir" "=") does not replace the verb's own entry ("recevoir"),
            # nor an entry for the negated or future verb the plain one
            key = (e.kind + (e.type if e.carried else "") + " negated" * e.negated + " future" * e.future,
                   fold_rsquo(e.pattern))
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


__all__ = ["CARRIED", "ENDED", "ENDS", "PLOVER_TYPES", "SPOKEN_TYPES", "Entry", "Lexicon", "default", "load"]
