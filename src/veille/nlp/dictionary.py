"""The actor dictionary: what names, nationality words and common nouns mean.

:class:`ActorLexicon` is built by :func:`load` (or :func:`default`, once per process) from:

- every ISO 3166 country, with ids in alpha-3, names in French and English from CLDR
  (Babel) and pycountry's French translations, demonyms from ``data/demonyms.tsv``;
- ``data/actors.yaml``: capitals and seats of power, nicknames, international
  organisations, companies, media and people (format in the README, "Actors");
- ``data/actor_nouns.yaml``: the common nouns the rules read (government heads,
  company heads, titles, honorifics, source nouns);
- the user's files (settings ``[nlp] actors``, or ``veille run --actors FILE``),
  merged by id.

Names are kept under their :func:`~veille.text.name_key`, word lists under their
:func:`~veille.text.fold`. Reading a Doc is the business of :mod:`.actors`.
"""
from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError, yaml_problem
from ..records import Actor
from ..text import fold, name_key

KINDS = ("country", "organisation", "company", "media", "person", "igo", "group")
# The keys of actor_nouns.yaml: a user YAML file with one of them adds rule words.
NOUN_KEYS = ("country_heads", "company_heads", "country_refs", "organisation_refs", "roles", "honorifics", "not_names",
             "organisation_heads", "named_after_places", "source_nouns", "source_verbs", "source_verbs_inverted",
             "group_heads", "group_nouns", "possessed_state_nouns", "sector_groups")
ARTICLES = ("le ", "la ", "les ", "l'", "the ")  # stripped from names and mentions


@dataclass(slots=True)
class Entry:
    """One dictionary entry (see the module docstring and the README)."""

    id: str
    name: str
    kind: str = "organisation"
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    refers_to: str | None = None

    def actor(self) -> Actor:
        return Actor(id=self.id, name=self.name, kind=self.kind, country=self.country,
                     sector=self.sector, role=self.role)


@dataclass(slots=True)
class Target:
    """What a dictionary name resolves to: the actor, and the sector the name adds."""

    actor_id: str
    sector: str | None
    via: str  # "dict" or "country"


@dataclass(slots=True)
class Demonym:
    country: str
    gender: str | None  # "Masc" | "Fem" | None (both)
    number: str | None  # "Sing" | "Plur" | None


@dataclass(slots=True)
class SectorGroup:
    """An unnamed group of people named by its role ("les syndicats"): see the section
    ``sector_groups`` of actor_nouns.yaml. Phrases are tuples of folded singular words."""

    name: str
    sector: str
    nouns: set[tuple[str, ...]] = field(default_factory=set)
    collective: set[tuple[str, ...]] = field(default_factory=set)
    after: set[tuple[str, ...]] = field(default_factory=set)


def group_words(phrase: str) -> tuple[str, ...]:
    """A phrase of ``sector_groups`` as the words it is matched by: folded, singular."""
    return tuple(singular(w) for w in fold(phrase).split())


def singular(word: str) -> str:
    """A folded French word without its plural ending ("syndicales" -> "syndicale",
    "patronaux" -> "patronal")."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith(("ss", "is", "us")):
        return word[:-1]
    return word


@dataclass(repr=False)
class ActorLexicon:
    """The compiled actor dictionary. Build with :func:`load` (or :func:`default`)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    names: dict[str, Target] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)
    names_ci: dict[str, Target] = field(default_factory=dict)  # long names, any case
    prefixes_ci: set[str] = field(default_factory=set)
    patterns: list[tuple[re.Pattern[str], Target]] = field(default_factory=list)
    demonyms: dict[str, Demonym] = field(default_factory=dict)
    demonym_prefixes: dict[str, str] = field(default_factory=dict)  # "russo" -> RUS
    country_heads: dict[str, str] = field(default_factory=dict)  # lemma -> sector
    company_heads: set[str] = field(default_factory=set)
    country_refs: set[str] = field(default_factory=set)
    organisation_refs: set[str] = field(default_factory=set)  # "l'organisation régionale"
    roles: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)  # as written, one word each
    honorific_phrases: set[tuple[str, ...]] = field(default_factory=set)  # "Son Excellence"
    not_names: set[str] = field(default_factory=set)  # newsroom marks, as written ("NDLR")
    organisation_heads: dict[str, str] = field(default_factory=dict)  # lemma -> kind
    named_after_places: set[str] = field(default_factory=set)  # "la convention de Vienne"
    # first word of an organisation's names -> (actor, sector): "Alliance" -> NATO,
    # "Commission" -> EU (GOV); how "l'Alliance", "la Commission" name them
    short_forms: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    source_nouns: set[str] = field(default_factory=set)
    source_verbs: set[str] = field(default_factory=set)
    group_heads: set[str] = field(default_factory=set)
    group_nouns: set[str] = field(default_factory=set)
    possessed_state_nouns: set[str] = field(default_factory=set)  # "son pays", "son gouvernement"
    sector_groups: list[SectorGroup] = field(default_factory=list)  # "les syndicats", "les agriculteurs"
    source_verbs_inverted: set[str] = field(default_factory=set)
    capitals: set[str] = field(default_factory=set)  # name keys that are countries by metonymy
    max_tokens: int = 1
    # word -> whether a dictionary name may start with it (filled by name_starts)
    _starts: dict[str, bool] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"ActorLexicon({len(self.entries)} entries, {len(self.names)} names)"

    def hyphenated_names(self) -> list[str]:
        """The one-word names with a hyphen ("Maison-Blanche", "Al-Qaïda"), as written:
        the tokenizer keeps them whole (see ``pipeline.keep_whole``)."""
        out = {n for e in self.entries.values() for n in (e.name, *e.aliases)
               if "-" in n and " " not in n and n[:1].isupper()}
        return sorted(out)

    def target_entry(self, target: Target) -> Entry | None:
        return self.entries.get(target.actor_id)

    def add_name(self, name: str, target: Target) -> None:
        key = name_key(name)
        if not key or len(key) < 2:
            return
        self._starts.clear()
        if key in self.names and self.names[key].actor_id != target.actor_id:
            # The first owner keeps a name (shipped countries before user files' duplicates
            # would be surprising; a user overrides by using the same id instead).
            if self.names[key].via == "country" and target.via == "dict":
                pass
            else:
                return
        self.names[key] = target
        for i in range(1, len(key) + 1):
            self.prefixes.add(key[:i])
        if " " in key and len(key) >= 8 and key[:1].isupper():
            # "Organisation du traité de l'Atlantique-nord": long names match in any case.
            low = key.lower()
            self.names_ci.setdefault(low, target)
            for i in range(1, len(low) + 1):
                self.prefixes_ci.add(low[:i])
        self.max_tokens = max(self.max_tokens, len(re.split(r"[ ']", key)) + 2)

    def lookup(self, key: str) -> Target | None:
        return self.names.get(key)

    def honorific_at(self, words: list[str], i: int, end: int | None = None) -> int:
        """How many of ``words[i:end]`` an honorific takes from ``i`` ("M." 1, "Son
        Excellence" 2; 0 when there is none)."""
        end = len(words) if end is None else end
        if i >= end:
            return 0
        for phrase in self.honorific_phrases:
            k = len(phrase)
            if i + k <= end and tuple(words[i:i + k]) == phrase:
                return k
        return 1 if words[i] in self.honorifics else 0

    def honorific_before(self, words: list[str], i: int) -> int | None:
        """The first word of an honorific that ends right before ``words[i]``, if any."""
        for phrase in self.honorific_phrases:
            k = len(phrase)
            if i - k >= 0 and tuple(words[i - k:i]) == phrase:
                return i - k
        return i - 1 if i > 0 and words[i - 1] in self.honorifics else None

    def name_starts(self, words: Iterable[str]) -> dict[str, bool]:
        """For each of ``words`` (token texts), whether a dictionary name may start with it;
        the answers are kept until a name is added."""
        starts = self._starts
        if len(starts) > 500_000:
            starts.clear()
        prefixes, prefixes_ci = self.prefixes, self.prefixes_ci
        for word in set(words).difference(starts):
            first = name_key(word)
            starts[word] = bool(first) and not word.isspace() and (
                first in prefixes or (first[:1].isupper() and first.lower() in prefixes_ci))
        return starts


# --------------------------------------------------------------------------- loading

def _data_text(name: str) -> str:
    return resources.files("veille").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _read_user(path: str | Path) -> tuple[str, str]:
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8"), str(p)
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the actor file ({e.strerror}); check --actors "
                          "or the paths in [nlp] actors") from e


def _as_list(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    raise ConfigError(f"{where}: '{key}' must be a list of strings")


def parse_entries(text: str, where: str) -> list[dict[str, Any]]:
    """Entries of an actor file: YAML (a list of mappings) or TSV with a header line
    naming the columns (list columns separated by '|')."""
    stripped = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if stripped and "\t" in stripped[0] and not stripped[0].lstrip().startswith("-"):
        head = [h.strip() for h in stripped[0].split("\t")]
        if "id" not in head:
            raise ConfigError(f"{where}: a TSV actor file needs a header line with an 'id' column")
        out = []
        for n, line in enumerate(stripped[1:], 2):
            cells = line.split("\t")
            row: dict[str, Any] = {}
            for h, c in zip(head, cells):
                c = c.strip()
                if not c:
                    continue
                row[h] = [v.strip() for v in c.split("|") if v.strip()] if h in ("aliases", "patterns") else c
            out.append(row)
        return out
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{where}: not valid YAML ({yaml_problem(e)}); see the README, section Actors") from e
    if data is None:
        return []
    if isinstance(data, dict) and "actors" in data:
        data = data["actors"]
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ConfigError(f"{where}: an actor file is a list of entries (mappings with an 'id'); "
                          "see the README, section Actors")
    return data


def _merge_entry(entries: dict[str, Entry], raw: dict[str, Any], where: str) -> None:
    if "id" not in raw or not str(raw["id"]).strip():
        raise ConfigError(f"{where}: an actor entry has no 'id': {raw!r}")
    aid = str(raw["id"]).strip()
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"{where}: actor '{aid}' has kind '{kind}'; use one of {', '.join(KINDS)}")
    aliases = _as_list(raw.get("aliases"), where, "aliases")
    patterns = _as_list(raw.get("patterns"), where, "patterns")
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            raise ConfigError(f"{where}: actor '{aid}': bad pattern {p!r} ({e})") from e
    e = entries.get(aid)
    if e is None:
        e = Entry(id=aid, name=str(raw.get("name") or aid))
        entries[aid] = e
    elif raw.get("name"):
        e.name = str(raw["name"])
    for key in ("kind", "country", "sector", "role", "refers_to"):
        if raw.get(key) is not None:
            setattr(e, key, str(raw[key]))
    e.aliases.extend(a for a in aliases if a not in e.aliases)
    e.patterns.extend(p for p in patterns if p not in e.patterns)


def _countries(entries: dict[str, Entry]) -> dict[str, str]:
    """Country entries from CLDR and pycountry; returns alpha-2 -> alpha-3."""
    import pycountry
    from babel import Locale

    fr = Locale("fr").territories
    en = Locale("en").territories
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
        fr_of = tr.gettext
    except OSError:  # pragma: no cover - pycountry always ships its translations
        def fr_of(s: str) -> str:
            return s
    a2_to_a3: dict[str, str] = {}
    for c in pycountry.countries:
        a3 = c.alpha_3
        a2_to_a3[c.alpha_2] = a3
        names_en = [en.get(c.alpha_2), getattr(c, "common_name", None), c.name]
        names_fr = [fr.get(c.alpha_2), fr_of(c.name)]
        official = getattr(c, "official_name", None)
        if official:
            names_fr.append(fr_of(official))
            names_en.append(official)
        display = next(n for n in names_en if n)
        e = Entry(id=a3, name=display, kind="country", country=a3)
        for n in names_fr + names_en:
            if n and "," not in n and "(" not in n and n not in e.aliases:
                e.aliases.append(n)
        entries[a3] = e
    return a2_to_a3


_FEM_RULES = (("ien", "ienne"), ("éen", "éenne"), ("en", "enne"), ("on", "onne"), ("e", "e"))


def _forms(masc: str, fem: str | None, mpl: str | None, fpl: str | None) -> dict[str, tuple[str | None, str | None]]:
    if fem is None:
        fem = next((masc[: -len(a)] + b for a, b in _FEM_RULES if masc.endswith(a)), masc + "e")
    if mpl is None:
        mpl = masc if masc.endswith(("s", "x")) else masc + "s"
    if fpl is None:
        fpl = fem + "s"
    out: dict[str, tuple[str | None, str | None]] = {}
    for form, g, n in ((masc, "Masc", "Sing"), (fem, "Fem", "Sing"), (mpl, "Masc", "Plur"), (fpl, "Fem", "Plur")):
        if form in out:
            old = out[form]
            out[form] = (old[0] if old[0] == g else None, old[1] if old[1] == n else None)
        else:
            out[form] = (g, n)
    return out


def _read_demonyms(text: str, lex: ActorLexicon, where: str) -> None:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() or None for c in line.split("\t")]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise ConfigError(f"{where}, line {n}: expected 'ISO3<TAB>masculine[<TAB>feminine…]'")
        iso = cells[0]
        if cells[1].endswith("-"):  # a combining form: "russo-" in "russo-ukrainien"
            lex.demonym_prefixes[fold(cells[1][:-1])] = iso
            continue
        cells += [None] * (5 - len(cells))
        for form, (g, num) in _forms(cells[1], cells[2], cells[3], cells[4]).items():
            lex.demonyms[fold(form)] = Demonym(iso, g, num)


def _read_nouns(text: str, lex: ActorLexicon, where: str) -> None:
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"{where}: not valid YAML ({yaml_problem(e)})") from e
    for sector, words in (data.get("country_heads") or {}).items():
        for w in words:
            lex.country_heads.setdefault(fold(w), str(sector))
    lex.company_heads.update(fold(w) for w in data.get("company_heads") or [])
    lex.country_refs.update(fold(w) for w in data.get("country_refs") or [])
    lex.organisation_refs.update(fold(w) for w in data.get("organisation_refs") or [])
    lex.roles.update(fold(w) for w in data.get("roles") or [])
    for w in data.get("honorifics") or []:
        words = tuple(str(w).split())
        if len(words) == 1:
            lex.honorifics.add(words[0])
        elif words:
            lex.honorific_phrases.add(words)
    lex.not_names.update(str(w) for w in data.get("not_names") or [])
    lex.named_after_places.update(fold(w) for w in data.get("named_after_places") or [])
    for kind, words in (data.get("organisation_heads") or {}).items():
        if kind not in KINDS:
            raise ConfigError(f"{where}: organisation_heads has kind '{kind}'; use one of {', '.join(KINDS)}")
        for w in words:
            lex.organisation_heads.setdefault(fold(w), str(kind))
    lex.source_nouns.update(fold(w) for w in data.get("source_nouns") or [])
    lex.source_verbs.update(fold(w) for w in data.get("source_verbs") or [])
    lex.group_heads.update(fold(w) for w in data.get("group_heads") or [])
    lex.group_nouns.update(fold(w) for w in data.get("group_nouns") or [])
    lex.possessed_state_nouns.update(fold(w) for w in data.get("possessed_state_nouns") or [])
    lex.source_verbs_inverted.update(fold(w) for w in data.get("source_verbs_inverted") or [])
    for n, raw in enumerate(data.get("sector_groups") or [], 1):
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("sector"):
            raise ConfigError(f"{where}: sector_groups, item {n}: give a name, a sector and nouns")
        group = SectorGroup(str(raw["name"]), str(raw["sector"]))
        for key in ("nouns", "collective", "after"):
            getattr(group, key).update(group_words(str(w)) for w in _as_list(raw.get(key) or [], where, key))
        lex.sector_groups.append(group)


def _name_variants(alias: str) -> list[str]:
    out = [alias]
    low = alias.lower()
    for art in ("Le ", "La ", "Les ", "L'", "L’"):
        if alias.startswith(art) and len(alias) > len(art) + 1:
            out.append(art.lower() + alias[len(art):])
    for art in ARTICLES:
        if low.startswith(art) and art != "the " and alias[len(art):][:1].isupper():
            out.append(alias[len(art):])
    return out


def load(extra: Iterable[str | Path] = ()) -> ActorLexicon:
    """The shipped dictionary, extended by the user's actor files in ``extra``.

    A user file is YAML (a list of entries) or TSV (header line with the field names);
    a file ending in ``.tsv`` whose first column is ``ISO3`` two-letter-free demonyms is
    read as a demonym list. Entries merge by id.
    """
    lex = ActorLexicon()
    entries: dict[str, Entry] = {}
    _countries(entries)
    for raw in parse_entries(_data_text("actors.yaml"), "actors.yaml"):
        _merge_entry(entries, raw, "actors.yaml")
    _read_demonyms(_data_text("demonyms.tsv"), lex, "demonyms.tsv")
    _read_nouns(_data_text("actor_nouns.yaml"), lex, "actor_nouns.yaml")
    for path in extra:
        text, where = _read_user(path)
        if where.endswith(".tsv") and text.lstrip("# \n").split("\t", 1)[0].strip().isupper() \
                and "id" not in text.splitlines()[0]:
            _read_demonyms(text, lex, where)
            continue
        if where.endswith((".yaml", ".yml")) and re.search(r"^(" + "|".join(NOUN_KEYS) + r"):", text, re.MULTILINE):
            _read_nouns(text, lex, where)
            continue
        for raw in parse_entries(text, where):
            _merge_entry(entries, raw, where)
    for e in entries.values():
        if e.refers_to and e.refers_to not in entries:
            raise ConfigError(f"actor '{e.id}' refers to '{e.refers_to}', which is not in the "
                              "dictionary; add it or fix 'refers_to'")
    lex.entries = entries
    # Countries first, so that dictionary entries may take a country's name over
    # ("Chine nouvelle" is longer and wins anyway).
    for e in entries.values():
        if e.kind == "country" and not e.refers_to:
            for alias in [e.name, *e.aliases]:
                for v in _name_variants(alias):
                    lex.add_name(v, Target(e.id, None, "country"))
    for e in entries.values():
        if e.kind == "country" and not e.refers_to:
            continue
        target = Target(e.refers_to or e.id, e.sector if e.refers_to else None,
                        "country" if e.refers_to and entries[e.refers_to].kind == "country" else "dict")
        for alias in [e.name, *e.aliases] if not e.refers_to else e.aliases:
            for v in _name_variants(alias):
                lex.add_name(v, target)
        for p in e.patterns:
            lex.patterns.append((re.compile(p), target))
    for e in entries.values():
        target_id = e.refers_to or e.id
        if e.kind == "country" or entries[target_id].kind in ("country", "person"):
            continue
        for alias in [e.name, *e.aliases] if not e.refers_to else e.aliases:
            first = alias.split()[0] if " " in alias else ""
            if first[:1].isupper() and first.isalpha():
                forms = lex.short_forms.setdefault(fold(first), [])
                if (target_id, e.sector if e.refers_to else None) not in forms:
                    forms.append((target_id, e.sector if e.refers_to else None))
    # Capitals and seats: names of a country entry that are not its own names.
    for e in entries.values():
        if e.kind == "country":
            for alias in e.aliases:
                lex.capitals.add(name_key(alias))
    return lex


_DEFAULT: dict[tuple[str, ...], ActorLexicon] = {}


def default(extra: Iterable[str | Path] = ()) -> ActorLexicon:
    """The dictionary (shipped + ``extra`` files), loaded once per process."""
    key = tuple(str(p) for p in extra)
    if key not in _DEFAULT:
        _DEFAULT[key] = load(key)
    return _DEFAULT[key]



__all__ = ["ARTICLES", "KINDS", "ActorLexicon", "Demonym", "Entry", "Target", "default", "load",
           "parse_entries"]
