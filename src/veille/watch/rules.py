"""Watchlists: named rules over what veille extracts from each new article.

A watchlist is a YAML file, a list of rules (or a mapping with a ``rules`` list). Every
key of a rule is optional except ``name``; the keys given must all hold (AND), and a
list matches when any of its items does (OR)::

    - name: accusations contre Huawei
      recipient: [Huawei]              # the target of the event (id or any alias)
      events: [ACCUSE, SANCTION]       # PLOVER event types
    - name: Pékin menace
      actor: [CHN]                     # the one who acts
      events: [THREATEN, COERCE]
      modality: [asserted, reported]
    - name: Huawei, de quelque côté que ce soit
      actors: [Huawei]                 # actor or recipient
      context: [cyber]
    - name: Pompeo parle
      speakers: [Mike Pompeo]          # a quote by this speaker
    - name: mots-clés
      keywords: [porte dérobée, "5G"]  # accent- and case-insensitive, whole words
      languages: [fr]
    - name: nouvelle affaire TikTok
      new_story: true                  # the article starts a new story...
      mentions: [TikTok]               # ...and mentions TikTok

What a rule matches depends on its keys:

* with ``actors``, ``actor``, ``recipient``, ``events``, ``context`` or ``modality``:
  each matching **event**; ``keywords`` must then appear in the event's sentence;
* with ``speakers``: each matching **quote**; ``keywords`` in the quoted words;
* otherwise the **article**; ``keywords`` anywhere in its title or text.

``mentions``, ``languages``, ``outlets`` and ``new_story`` filter the article in every
case. Articles marked as duplicates of an earlier one are skipped unless the rule says
``duplicates: true``. Actors are matched by id (``USA``, ``Huawei``), name or alias,
ignoring case and accents.

Each match has a key that names the rule and what matched: the page (its URL) plus the
event's type, actor, recipient and sentence, or the quoted words, or the page itself
(the story, for ``new_story``). An alert is raised once per key, so a page edited on its
site and analysed again does not raise the same alert twice.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, yaml_problem
from ..records import AnnotatedArticle, Event, Quote, stable_id
from ..text import fold_search, fold_search_map

EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("asserted", "reported", "hedged", "planned", "negated")
LIST_KEYS = ("actors", "actor", "recipient", "events", "context", "modality", "speakers", "keywords",
             "mentions", "languages", "outlets")
EVENT_KEYS = ("actors", "actor", "recipient", "events", "context", "modality")
KEYS = ("name", "new_story", "duplicates", *LIST_KEYS)


def _terms(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a word or a list of words")
    return tuple(str(v).strip() for v in value if str(v).strip())


@dataclass(frozen=True, slots=True)
class Rule:
    """One named rule; see the module documentation for the meaning of each key."""

    name: str
    actors: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    modality: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    new_story: bool = False
    duplicates: bool = False
    _patterns: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    @property
    def level(self) -> str:
        """What the rule matches: "event", "quote" or "article"."""
        if any(getattr(self, k) for k in EVENT_KEYS):
            return "event"
        if self.speakers:
            return "quote"
        return "article"

    @classmethod
    def from_dict(cls, data: Any, *, where: str) -> Rule:
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: a rule must be a mapping with at least 'name'")
        unknown = set(data) - set(KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                              f"known: {', '.join(KEYS)}")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: every rule needs a 'name'")
        where = f"{where} ('{name}')"
        values: dict[str, Any] = {k: _terms(data.get(k), k, where) for k in LIST_KEYS}
        values["events"] = tuple(t.upper() for t in values["events"])
        bad = [t for t in values["events"] if t not in EVENT_TYPES]
        if bad:
            raise ConfigError(f"{where}: unknown event type(s) {', '.join(bad)}; "
                              f"known: {', '.join(EVENT_TYPES)}")
        values["modality"] = tuple(t.lower() for t in values["modality"])
        bad = [t for t in values["modality"] if t not in MODALITIES]
        if bad:
            raise ConfigError(f"{where}: unknown modality {', '.join(bad)}; known: {', '.join(MODALITIES)}")
        for flag in ("new_story", "duplicates"):
            if not isinstance(data.get(flag, False), bool):
                raise ConfigError(f"{where}: '{flag}' must be true or false")
        if any(values[k] for k in EVENT_KEYS) and values["speakers"]:
            raise ConfigError(f"{where}: a rule matches events or quotes, not both; "
                              "write one rule for the events and one for the speakers")
        if not any(values.values()) and not data.get("new_story"):
            raise ConfigError(f"{where}: the rule has no condition; it would match every article")
        patterns = tuple(re.compile(r"(?<!\w)" + re.escape(fold_search(k)) + r"(?!\w)") for k in values["keywords"])
        return cls(name=name.strip(), new_story=bool(data.get("new_story", False)),
                   duplicates=bool(data.get("duplicates", False)), _patterns=patterns, **values)


def load_watchlist(path: str | Path) -> list[Rule]:
    """The rules of the YAML watchlist at ``path``; ConfigError names the file and the rule."""
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the watchlist ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML ({yaml_problem(e)})") from e
    return rules_from_data(data, where=str(p))


def rules_from_data(data: Any, *, where: str = "watchlist") -> list[Rule]:
    """Rules from already parsed YAML/JSON data (a list, or a mapping with ``rules``)."""
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    if not isinstance(data, list) or not data:
        raise ConfigError(f"{where}: a list of rules was expected (each starting with '- name: ...')")
    rules = [Rule.from_dict(item, where=f"{where}, rule {n}") for n, item in enumerate(data, start=1)]
    names = [r.name for r in rules]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ConfigError(f"{where}: rule names must be unique; repeated: {', '.join(dup)}")
    return rules


@dataclass(slots=True)
class Match:
    """One thing a rule found: an event, a quote or a whole article, with its evidence."""

    rule: str
    key: str  # rule + what matched: the same match always gives the same key
    level: str  # "event" | "quote" | "article"
    article_id: str
    evidence: str
    span: tuple[int, int] | None = None
    event: dict[str, Any] | None = None
    quote: dict[str, Any] | None = None


class _Names:
    """Folded names of each actor of an article, to match rule terms against ids."""

    def __init__(self, article: AnnotatedArticle):
        self.by_id: dict[str, set[str]] = {}
        for actor in article.actors:
            names = {fold_search(actor.id), fold_search(actor.name), *(fold_search(a) for a in actor.aliases)}
            self.by_id.setdefault(actor.id, set()).update(names)

    def names(self, actor_id: str | None) -> set[str]:
        if actor_id is None:
            return set()
        return self.by_id.get(actor_id, set()) | {fold_search(actor_id)}

    def hits(self, actor_id: str | None, terms: Iterable[str]) -> bool:
        names = self.names(actor_id)
        return any(fold_search(t) in names for t in terms)


def _keywords(rule: Rule, text: str) -> tuple[int, int] | None:
    """The span of the first keyword of ``rule`` in ``text``, None when none is there."""
    if not rule._patterns:
        return (0, 0)
    folded, where = fold_search_map(text)
    best: tuple[int, int] | None = None
    for pattern in rule._patterns:
        m = pattern.search(folded)
        if m and (best is None or where[m.start()] < best[0]):
            best = (where[m.start()], where[m.end() - 1] + 1)
    return best


def _where(article: AnnotatedArticle) -> str:
    """What identifies an article across edits: its URL when known (an updated page keeps
    its URL but gets a new id), else its id."""
    return article.url or article.id


def _sentence(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The sentence (or line) around ``span``."""
    start = max(text.rfind(c, 0, span[0]) for c in ".!?\n") + 1
    ends = [i for i in (text.find(c, span[1]) for c in ".!?\n") if i != -1]
    end = min(ends) + 1 if ends else len(text)
    while start < span[0] and text[start].isspace():
        start += 1
    return start, min(end, len(text))


def match_article(rules: Iterable[Rule], article: AnnotatedArticle, *, new_story: bool) -> list[Match]:
    """Every match of ``rules`` in ``article``. ``new_story`` says the article began its story."""
    names = _Names(article)
    mentioned = set().union(*names.by_id.values()) if names.by_id else set()
    out: list[Match] = []
    for rule in rules:
        if article.duplicate_of and not rule.duplicates:
            continue
        if rule.new_story and not new_story:
            continue
        if rule.languages and fold_search(article.lang or "") not in {fold_search(x) for x in rule.languages}:
            continue
        if rule.outlets and fold_search(article.outlet or "") not in {fold_search(x) for x in rule.outlets}:
            continue
        if rule.mentions and not any(fold_search(t) in mentioned for t in rule.mentions):
            continue
        if rule.level == "event":
            out.extend(_events(rule, article, names))
        elif rule.level == "quote":
            out.extend(_quotes(rule, article, names))
        else:
            m = _article(rule, article)
            if m is not None:
                out.append(m)
    return out


def _event_ok(rule: Rule, event: Event, names: _Names) -> bool:
    if rule.events and event.type not in rule.events:
        return False
    if rule.modality and event.modality not in rule.modality:
        return False
    if rule.context and not {fold_search(c) for c in event.context} & {fold_search(c) for c in rule.context}:
        return False
    if rule.actor and not names.hits(event.actor, rule.actor):
        return False
    if rule.recipient and not names.hits(event.recipient, rule.recipient):
        return False
    return not rule.actors or names.hits(event.actor, rule.actors) or names.hits(event.recipient, rule.actors)


def _events(rule: Rule, article: AnnotatedArticle, names: _Names) -> Iterable[Match]:
    for event in article.events:
        if not _event_ok(rule, event, names):
            continue
        if _keywords(rule, event.sentence) is None:
            continue
        span = tuple(event.span) if event.span else None
        key = stable_id(rule.name, "event", _where(article), event.type, event.actor or "",
                        event.recipient or "", " ".join(fold_search(event.sentence).split()))
        yield Match(rule=rule.name, key=key, level="event", article_id=article.id,
                    evidence=event.sentence, span=span, event=event.as_dict())  # type: ignore[arg-type]


def _quotes(rule: Rule, article: AnnotatedArticle, names: _Names) -> Iterable[Match]:
    for quote in article.quotes:
        speaker_names = names.names(quote.speaker)
        if quote.speaker_name:
            speaker_names = speaker_names | {fold_search(quote.speaker_name)}
        if not any(fold_search(t) in speaker_names for t in rule.speakers):
            continue
        if _keywords(rule, quote.text) is None:
            continue
        yield _quote_match(rule, article, quote)


def _quote_match(rule: Rule, article: AnnotatedArticle, quote: Quote) -> Match:
    span = tuple(quote.span) if quote.span else None
    key = stable_id(rule.name, "quote", _where(article), " ".join(fold_search(quote.text).split()))
    return Match(rule=rule.name, key=key, level="quote", article_id=article.id, evidence=quote.text,
                 span=span, quote=quote.as_dict())  # type: ignore[arg-type]


def _article(rule: Rule, article: AnnotatedArticle) -> Match | None:
    text = article.text or ""
    evidence, span = (article.title or text[:200]), None
    if rule._patterns:
        found = _keywords(rule, text)
        if found is not None:
            span = _sentence(text, found)
            evidence = text[span[0]:span[1]].strip()
        elif article.title and _keywords(rule, article.title) is not None:
            evidence = article.title
        else:
            return None
    key = stable_id(rule.name, "article", article.story if rule.new_story and article.story else _where(article))
    return Match(rule=rule.name, key=key, level="article", article_id=article.id, evidence=evidence, span=span)
