"""Actor resolution: named entities and noun phrases mapped to canonical actors.

The actor dictionary (:class:`ActorLexicon`) is built from:

- every ISO 3166 country, with ids in alpha-3, names in French and English from CLDR
  (Babel) and pycountry's French translations, demonyms from ``data/demonyms.tsv``;
- ``data/actors.yaml``: capitals and seats of power, nicknames, international
  organisations, companies, media and people (format in the README, "Actors");
- ``data/actor_nouns.yaml``: the common nouns the rules read (government heads,
  company heads, titles, honorifics, source nouns);
- the user's files (settings ``[nlp] actors``, or ``veille run --actors FILE``),
  merged by id.

:func:`resolve_actors` finds, in one parsed Doc, dictionary names (longest match
first), nationality words ("le gouvernement chinois", "les Américains"), unknown
people and organisations from the NER, then the links that :mod:`.coref` makes.
"""
from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..errors import ConfigError
from ..records import Actor
from .facts import facts
from .resolution import Mention, Resolution

KINDS = ("country", "organisation", "company", "media", "person", "igo", "group")
_ARTICLES = ("le ", "la ", "les ", "l'", "the ")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes (for word lists)."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'").lower())
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The matching form of a name: accents, hyphens, apostrophes and spaces evened out,
    case kept (so "Washington Post" ≠ "washington post", "Maison-Blanche" = "Maison Blanche")."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\s\-‐‑–]+", " ", text)
    text = re.sub(r"' ", "'", text)
    return text.strip()


def clean_name(text: str) -> str:
    """A display name: straight apostrophes, single spaces."""
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip()


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
    country_heads: dict[str, str] = field(default_factory=dict)  # lemma -> sector
    company_heads: set[str] = field(default_factory=set)
    country_refs: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    source_nouns: set[str] = field(default_factory=set)
    source_verbs: set[str] = field(default_factory=set)
    group_heads: set[str] = field(default_factory=set)
    group_nouns: set[str] = field(default_factory=set)
    source_verbs_inverted: set[str] = field(default_factory=set)
    capitals: set[str] = field(default_factory=set)  # name keys that are countries by metonymy
    max_tokens: int = 1
    # word -> whether a dictionary name may start with it (filled by _dictionary)
    _starts: dict[str, bool] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"ActorLexicon({len(self.entries)} entries, {len(self.names)} names)"

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
        raise ConfigError(f"{where}: not valid YAML ({e}); see the README, section Actors") from e
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
        cells += [None] * (5 - len(cells))
        for form, (g, num) in _forms(cells[1], cells[2], cells[3], cells[4]).items():
            lex.demonyms[fold(form)] = Demonym(iso, g, num)


def _read_nouns(text: str, lex: ActorLexicon, where: str) -> None:
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"{where}: not valid YAML ({e})") from e
    for sector, words in (data.get("country_heads") or {}).items():
        for w in words:
            lex.country_heads.setdefault(fold(w), str(sector))
    lex.company_heads.update(fold(w) for w in data.get("company_heads") or [])
    lex.country_refs.update(fold(w) for w in data.get("country_refs") or [])
    lex.roles.update(fold(w) for w in data.get("roles") or [])
    lex.honorifics.update(w for w in data.get("honorifics") or [])
    lex.source_nouns.update(fold(w) for w in data.get("source_nouns") or [])
    lex.source_verbs.update(fold(w) for w in data.get("source_verbs") or [])
    lex.group_heads.update(fold(w) for w in data.get("group_heads") or [])
    lex.group_nouns.update(fold(w) for w in data.get("group_nouns") or [])
    lex.source_verbs_inverted.update(fold(w) for w in data.get("source_verbs_inverted") or [])


def _name_variants(alias: str) -> list[str]:
    out = [alias]
    low = alias.lower()
    for art in ("Le ", "La ", "Les ", "L'", "L’"):
        if alias.startswith(art) and len(alias) > len(art) + 1:
            out.append(art.lower() + alias[len(art):])
    for art in _ARTICLES:
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
        if where.endswith((".yaml", ".yml")) and re.search(r"^(country_heads|company_heads|roles|"
                                                           r"honorifics|source_nouns|source_verbs|country_refs|group_heads|group_nouns):",
                                                           text, re.MULTILINE):
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


# --------------------------------------------------------------------------- resolution

class _Builder:
    """Collects mentions and the actors they refer to, for one Doc."""

    def __init__(self, doc: Doc, lex: ActorLexicon):
        self.doc = doc
        self.lex = lex
        self.res = Resolution()
        self.taken: list[bool] = [False] * len(doc)
        self.ents: list[Span] = list(doc.ents)
        self.f = facts(doc)  # token columns, read once for every pass
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
        surface = clean_name(_strip_article(text))
        # Aliases are names as written ("Pékin", "Américains"), not descriptions or pronouns.
        if surface and surface[:1].isupper() and via in ("dict", "country", "ner") \
                and surface != a.name and surface not in a.aliases:
            a.aliases.append(surface)
        if mark:
            for i in range(ts, te):
                self.taken[i] = True
        return m


def _strip_article(text: str) -> str:
    low = text.lower().replace("’", "'")
    for art in _ARTICLES:
        if low.startswith(art) and len(text) > len(art):
            return text[len(art):]
    return text


def _dictionary(b: _Builder) -> None:
    """Longest dictionary names, left to right, on token boundaries."""
    doc, lex, text = b.doc, b.lex, b.text
    for pattern, target in lex.patterns:
        for m in pattern.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
            if span is None or len(span) == 0 or not b.free(span.start, span.end):
                continue
            b.add(span.start, span.end, target.actor_id, target.via, sector=target.sector)
    n = len(doc)
    words, idx, taken = b.f.words, b.f.idx, b.taken
    prefixes, prefixes_ci = lex.prefixes, lex.prefixes_ci
    starts = lex._starts
    if len(starts) > 500_000:
        starts.clear()
    for word in set(words).difference(starts):
        first = name_key(word)
        starts[word] = bool(first) and not word.isspace() and (
            first in prefixes or (first[:1].isupper() and first.lower() in prefixes_ci))
    after = 0  # tokens before this one are inside a name found
    for i in [k for k, word in enumerate(words) if starts[word]]:  # the tokens a name may start with
        if i < after:
            continue
        upper = name_key(words[i])[:1].isupper()
        best: tuple[int, Target] | None = None
        j = i
        start = idx[i]
        while j < n and j - i < lex.max_tokens and not taken[j] and not words[j].isspace():
            stop = idx[j] + len(words[j])
            key = name_key(text[start: stop])
            cs = key in prefixes
            ci = upper and key.lower() in prefixes_ci
            if not cs and not ci:
                break
            t = lex.names.get(key) if cs else None
            if t is None and ci:
                t = lex.names_ci.get(key.lower())
            if t is not None and text[stop - 1] not in "-‐‑–'’":
                best = (j + 1, t)
            j += 1
        if best is None:
            continue
        end, target = best
        if _accept_dict(b, i, end, target):
            b.add(i, end, target.actor_id, target.via, sector=target.sector)
            after = end


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _accept_dict(b: _Builder, i: int, end: int, target: Target) -> bool:
    """Reject names that are part of something longer: "Denzel Washington", "Chine" in an
    unknown title, lower-case words."""
    doc = b.doc
    first, last = doc[i], doc[end - 1]
    entry = b.lex.entries.get(target.actor_id)
    is_place = entry is not None and entry.kind == "country"
    if not is_place and entry is not None and entry.kind not in ("person",):
        # Organisations, companies, media: part of a longer person name is still unlikely.
        ent = first.ent_type_ == "PER" and last.ent_iob_ != "" and _ent_longer(b.ents, i, end, "PER")
        return not ent
    # A capitalised proper noun right before or after, not itself a dictionary name start
    # and not across punctuation, makes a longer name: "George Washington", "Pékin Express".
    if i > 0:
        prev = doc[i - 1]
        if (_capitalised(prev) and prev.pos_ in ("PROPN", "X") and not prev.is_sent_start
                and prev.text not in b.lex.honorifics and name_key(prev.text) not in b.lex.names
                and prev.whitespace_):
            return False
        if prev.text in b.lex.honorifics and is_place:
            return False  # "M. Washington"
    if end < len(doc):
        nxt = doc[end]
        if (_capitalised(nxt) and nxt.pos_ in ("PROPN", "X") and name_key(nxt.text) not in b.lex.prefixes
                and doc[end - 1].whitespace_ and nxt.ent_iob_ == "I"):
            return False
    return not (is_place and _ent_longer(b.ents, i, end, "PER"))


def _ent_longer(ents: list[Span], i: int, end: int, label: str) -> bool:
    for ent in ents:
        if ent.label_ == label and ent.start <= i and ent.end >= end and (ent.end - ent.start) > (end - i):
            return True
    return False


def _np_left(head: Token) -> int:
    start = head.i
    for c in head.lefts:
        if c.dep_ in ("det", "amod", "nummod") and c.i < start and head.i - c.i <= 3:
            start = c.i
    return start


def _demonyms(b: _Builder) -> None:
    """Nationality words: "les Américains", "le gouvernement chinois", "les sanctions américaines"."""
    doc, lex = b.doc, b.lex
    ftext, toks = b.f.ftext, b.f.toks
    for i in range(len(doc)):
        if b.taken[i]:
            continue
        d = lex.demonyms.get(ftext[i])
        if d is None:
            continue
        if d.country not in lex.entries:
            continue
        tok = toks[i]
        if _capitalised(tok) and tok.pos_ in ("NOUN", "PROPN") or (
                _capitalised(tok) and not tok.is_sent_start and tok.dep_ != "amod"):
            # "les Américains": the people, i.e. the country.
            start = tok.i - 1 if tok.i > 0 and doc[tok.i - 1].lower_ in ("les", "des", "aux") else tok.i
            b.add(start, tok.i + 1, d.country, "country")
            continue
        if tok.pos_ != "ADJ" and tok.dep_ != "amod":
            continue
        head = tok.head
        if head.i == tok.i or head.pos_ not in ("NOUN", "PROPN"):
            b.add(tok.i, tok.i + 1, d.country, "country", mark=True)
            continue
        if b.taken[head.i] or any(b.taken[c.i] for c in head.children if c.dep_ in ("appos", "flat:name")
                                  and c.pos_ == "PROPN"):
            continue  # "le géant chinois Huawei": the name says who; coref reads the adjective
        lemma = fold(head.lemma_)
        sector = lex.country_heads.get(lemma)
        plural = "Plur" in head.morph.get("Number")
        if not plural and lemma in lex.company_heads:
            continue  # "la firme chinoise": a company, found by coref
        if sector is None or (sector == "BUS" and not plural) or (lemma in lex.roles and not plural):
            # Not a country head ("les sanctions américaines", "la firme chinoise",
            # "le ministre chinois"): the adjective alone names the country.
            b.add(tok.i, tok.i + 1, d.country, "country", mark=False)
            continue
        start = _np_left(head)
        end = tok.i + 1
        # "le ministère chinois des Affaires étrangères": keep a short complement.
        for c in head.rights:
            if c.dep_ == "nmod" and c.i >= end and c.left_edge.i == end and c.right_edge.i - end < 4 \
                    and doc[end].pos_ == "ADP" and fold(doc[end].text) in ("de", "du", "des", "d'") \
                    and not any(b.taken[t.i] for t in c.subtree) and not any(t.pos_ == "VERB" for t in c.subtree):
                end = c.right_edge.i + 1
        if not b.free(start, end):
            start = head.i if b.free(head.i, end) else tok.i
        b.add(start, end, d.country, "country", sector=sector)


def _owner(b: _Builder, tok: Token) -> tuple[Mention, Token] | None:
    """The country (or a person's country) in a "de X" complement of ``tok``."""
    for c in tok.children:
        if c.dep_ in ("nmod", "obl:arg", "obl") and c.i > tok.i and any(
                x.dep_ == "case" and fold(x.text) in ("de", "du", "des", "d'") for x in c.children):
            m = b.res.mention_at_token(c.i)
            if m is None:
                continue
            a = b.res.actors.get(m.actor_id)
            if a is not None and (a.kind == "country" or (a.kind == "person" and a.country)):
                return m, c
    return None


def _governments(b: _Builder) -> None:
    """ "le gouvernement des États-Unis", "l'administration de Trump" -> the country, GOV."""
    doc, lex = b.doc, b.lex
    pos, flemma, toks = b.f.pos, b.f.flemma, b.f.toks
    for i in range(len(doc)):
        if b.taken[i] or pos[i] != "NOUN":
            continue
        sector = lex.country_heads.get(flemma[i])
        if sector is None or sector in ("BUS", "MED"):
            continue
        tok = toks[i]
        if fold(tok.lemma_) in lex.roles and "Plur" not in tok.morph.get("Number"):
            continue  # "le ministre de X" is a person
        found = _owner(b, tok)
        if found is None:
            continue
        m, comp = found
        a = b.res.actors[m.actor_id]
        country = a.id if a.kind == "country" else a.country
        start, end = _np_left(tok), comp.right_edge.i + 1
        if end - start > 8 or any(b.taken[i] for i in range(start, comp.left_edge.i)):
            continue
        b.add(start, end, country, "country", sector=sector, mark=False)
        for i in range(start, comp.left_edge.i):
            b.taken[i] = True


def _groups(b: _Builder) -> None:
    """ "les alliés de Washington", "les pays alliés des États-Unis", "les Occidentaux"."""
    doc, lex = b.doc, b.lex
    pos, flemma, ftext, toks = b.f.pos, b.f.flemma, b.f.ftext, b.f.toks
    for i in range(len(doc)):
        if b.taken[i] or pos[i] not in ("NOUN", "PROPN"):
            continue
        lemma = flemma[i]
        if lemma not in lex.group_nouns and lemma not in lex.group_heads \
                and ftext[i].rstrip("s") not in lex.group_heads:
            continue  # neither a group noun nor a group head (read before the morphology)
        tok = toks[i]
        if "Sing" in tok.morph.get("Number"):
            continue
        qual = None
        if lemma in lex.group_nouns:
            qual = next((c for c in tok.children if c.dep_ in ("amod", "acl") and c.i == tok.i + 1
                         and fold(c.lemma_) in lex.group_heads), None)
            if qual is None:
                continue
        generic = qual is None and not _capitalised(tok) and lemma != "allie"
        if not any(c.dep_ == "det" for c in tok.children) and tok.pos_ != "PROPN":
            continue
        last = qual or tok
        owner = _owner(b, last) or (_owner(b, tok) if qual is not None else None)
        if generic and owner is None:
            continue  # "les membres", "les partenaires": too vague without "de X"
        start = tok.i
        end = (owner[1].right_edge.i + 1) if owner else last.i + 1
        if end - start > 7:
            continue
        name = clean_name(doc[start:end].text)
        name = name[:1].upper() + name[1:]
        b.add(start, end, name, "group", actor=Actor(id=name, name=name, kind="group"), mark=False)
        for i in range(start, (owner[1].left_edge.i if owner else end)):
            b.taken[i] = True


_NER_KINDS = {"PER": "person", "ORG": "organisation"}


def _ner(b: _Builder) -> list[Mention]:
    """Unknown people and organisations from the NER, merged by name variants."""
    doc, lex = b.doc, b.lex
    pos, words, span_text = b.f.pos, b.f.words, b.f.span_text
    found: list[tuple[int, int, str]] = []
    for ent in b.ents:
        kind = _NER_KINDS.get(ent.label_)
        if kind is None:
            continue
        s, e = ent.start, ent.end
        honor = None
        while s < e and (pos[s] in ("DET", "ADP", "PUNCT") or words[s] in lex.honorifics):
            if words[s] in lex.honorifics:
                honor = s
            s += 1
        if honor is None and s > 0 and words[s - 1] in lex.honorifics:
            honor = s - 1
        while e > s and (words[e - 1].isspace() or pos[e - 1] in ("DET", "ADP", "CCONJ")
                         or doc[e - 1].is_punct):
            e -= 1
        if s >= e:
            continue
        home = None
        if not b.free(s, e):
            home = _inner_country(b, s, e) if kind == "organisation" else None
            if home is None:
                continue
        toks = doc[s:e]
        if not _capitalised(toks[0]) or not any(c.isalpha() for c in span_text(s, e)):
            continue
        if all(t.is_upper or not t.is_alpha for t in toks) and any(len(t) > 5 for t in toks):
            continue  # a headline in capitals, not a name ("LA RENTREE REPORTEE")
        if kind == "person":
            if any(not (_capitalised(t) or t.text in ("-", "'", "’") or t.lower_ in _PARTICLES) for t in toks):
                continue
            if len(toks) == 1 and toks[0].pos_ not in ("PROPN", "X"):
                continue
            if len(toks) == 1 and toks[0].is_sent_start and not _seen_elsewhere(b, toks[0]):
                continue  # a capitalised word opening a sentence is not a person by itself
        else:
            if len(toks) == 1 and toks[0].pos_ not in ("PROPN", "X") and not toks[0].is_upper:
                continue
            if len(toks) == 1 and toks[0].is_sent_start and toks[0].pos_ != "PROPN":
                continue
            if fold(toks[0].text) in lex.demonyms or fold(toks[0].lemma_) in lex.country_heads:
                continue
        found.append((s, e, kind, honor if kind == "person" and honor == s - 1 else None, home))
    # Name variants: the fullest form is the id ("Robert O'Brien" for "O'Brien").
    fulls: dict[str, str] = {}
    out: list[Mention] = []
    people = sorted({clean_name(span_text(s, e)) for s, e, k, _, _ in found if k == "person"}
                    | {a.id for a in b.res.actors.values() if a.kind == "person"}, key=len, reverse=True)
    for s, e, kind, honor, home in found:
        name = clean_name(span_text(s, e))
        aid = fulls.get(name)
        if aid is None:
            aid = name
            if kind == "person":
                parts = name.split()
                fits = [full for full in people if len(full.split()) > len(parts) and (
                    full.split()[-len(parts):] == parts or full.split()[: len(parts)] == parts)]
                if len(fits) == 1:  # two Milosevic: no merge
                    aid = fits[0]
            if aid in lex.entries and lex.entries[aid].kind != kind and kind == "organisation":
                aid = name  # same text as a known actor: keep the known one
            fulls[name] = aid
        known = b.res.actors.get(aid)
        if known is not None and known.kind != kind:
            aid, known = name, b.res.actors.get(name)
        actor = known or Actor(id=aid, name=aid, kind=kind, country=home)
        via = "ner" if aid == name else "coref"
        if honor is not None and b.free(honor, s):
            s = honor
        if home is not None:
            # "la Banque de France": the name is the organisation's, not a mention of France.
            b.drop(s, e)
        out.append(b.add(s, e, aid, via, actor=actor))
    return out


def _inner_country(b: _Builder, s: int, e: int) -> str | None:
    """The country named inside an organisation's name ("Banque de France",
    "Alliance de l'industrie de la cybersécurité de Chine"), if that is all that overlaps."""
    doc = b.doc
    if b.taken[s] or not _capitalised(doc[s]):
        return None
    found = None
    for i in range(s, e):
        if not b.taken[i]:
            continue
        m = b.res.mention_at_token(i)
        if m is None or m.via != "country" or m.sector or m.token_start < s or m.token_end > e:
            return None
        if doc[m.token_start - 1].pos_ not in ("ADP", "DET"):
            return None
        found = m.actor_id
    return found


_PARTICLES = {"de", "du", "des", "van", "von", "der", "den", "la", "le", "al", "el", "bin", "ben", "da", "di", "dos"}


def _seen_elsewhere(b: _Builder, tok: Token) -> bool:
    doc, text = b.doc, b.text
    for m in re.finditer(r"(?<!\w)" + re.escape(tok.text) + r"(?!\w)", text):
        if m.start() == tok.idx:
            continue
        other = doc.char_span(m.start(), m.end())
        if other is not None and not other[0].is_sent_start:
            return True
    for ent in b.ents:
        if ent.label_ == "PER" and len(ent) > 1 and tok.text in [t.text for t in ent] and not (
                ent.start <= tok.i < ent.end):
            return True
    return False


def resolve_actors(doc: Doc, lexicon: ActorLexicon | None = None, *, coref: bool = True,
                   sources: bool = True, outlet: str | None = None) -> Resolution:
    """The actors of a parsed French Doc, every mention of them in text order, and the
    cited sources (``outlet``: the article's own outlet, never a source of itself)."""
    lex = lexicon or default()
    b = _Builder(doc, lex)
    _dictionary(b)
    _demonyms(b)
    _ner(b)
    b.res.finish()
    _governments(b)
    _groups(b)
    if coref:
        from . import coref as corefmod

        corefmod.link(b)
    res = b.res
    for a in res.actors.values():
        a.mentions.sort()
    res.finish()
    if sources:
        from . import sources as sourcesmod

        res.cited_sources = sourcesmod.find(doc, res, lex, outlet=outlet)
    return res


__all__ = ["ActorLexicon", "Demonym", "Entry", "Target", "clean_name", "default", "fold", "load",
           "name_key", "resolve_actors"]
