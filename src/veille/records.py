"""The typed records that flow between stages.

Data flows one way::

    ingest  -> RawDocument | Failure
    clean   -> Article | Failure
    nlp     -> AnnotatedArticle | Failure
    dedupe  -> AnnotatedArticle (duplicate_of set)
    cluster -> AnnotatedArticle (story set), Story

:class:`RawDocument` and :class:`Failure` hold valid Unicode only (a lone surrogate in
any of their strings becomes U+FFFD when the record is made), so whatever an input
carries, the store can write it. A stage passes a :class:`Failure` it receives through
untouched, so the runner can record every input that could not be processed, whatever
the stage that gave up on it.
Later stages extend these records (subclass or new defaulted fields); they never
replace them. Every record converts to plain JSON-ready dicts with ``as_dict`` and
back with ``from_dict``.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

Span = tuple[int, int]
"""Character offsets ``[start, end)`` into an article's clean ``text``."""


def stable_id(*parts: str, length: int = 16) -> str:
    """A short hex id derived only from ``parts``: the same input always gives the same id."""
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def valid_text(text: str) -> str:
    """``text`` as valid Unicode: a surrogate pair left split is joined, a lone surrogate
    (JSON's ``"\\ud800"``, a file name decoded with ``surrogateescape``) becomes U+FFFD, the
    replacement character. Valid text comes back as it is. Every string of a
    :class:`RawDocument` or a :class:`Failure` goes through it, and so do the fields of a
    watched feed's entries: the store never meets a string it cannot write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def content_hash(text: str) -> str:
    """Hash of a text with case and whitespace normalised (exact-duplicate key)."""
    norm = " ".join(text.lower().split())
    return hashlib.sha1(norm.encode("utf-8", "surrogatepass")).hexdigest()


class _Record:
    """Shared (de)serialisation helpers."""

    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs = {k: v for k, v in data.items() if k in names}
        return cls(**kwargs)._revive()  # type: ignore[call-arg]

    def _revive(self):
        return self


def day_of(published: str | None) -> int | None:
    """Day number (proleptic ordinal) of an ISO date ("2024-03-05", "2024-03", "2024",
    with or without a time after it), or None when there is no readable date."""
    if not published:
        return None
    parts = published.strip()[:10].split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 and parts[1] else 1
        d = int(parts[2][:2]) if len(parts) > 2 and parts[2] else 1
        return date(y, m, d).toordinal()
    except (ValueError, IndexError):
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _span(value: Any) -> Span | None:
    if value is None:
        return None
    return (int(value[0]), int(value[1]))


@dataclass(slots=True)
class Failure(_Record):
    """An input (or part of one) that could not be processed, and why."""

    source: str
    reason: str
    stage: str = "ingest"
    locator: str = ""  # e.g. "line 12", "record 3", "entry 5"; "" for the whole input

    def __post_init__(self) -> None:
        _valid_strings(self)


@dataclass(slots=True)
class RawDocument(_Record):
    """One document read from an input, decoded but not yet cleaned.

    ``content`` is text (``format == "text"``) or markup (``format == "html"``).
    ``id`` is stable: it derives from the input's resolved location, the locator
    inside it and the content, so the same input always gives the same id.
    """

    id: str
    source: str  # the input's path or URL, as given by the user
    content: str
    format: str = "text"  # "text" | "html"
    locator: str = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601 date (or datetime) given by the input
    outlet: str | None = None
    encoding: str | None = None
    lang_hint: str | None = None

    def __post_init__(self) -> None:
        _valid_strings(self)


def _valid_strings(record: Any) -> None:
    """Make every string field of ``record`` valid Unicode (see :func:`valid_text`): what
    enters veille can always be written to the store and exported."""
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, str):
            fixed = valid_text(value)
            if fixed is not value:
                setattr(record, f.name, fixed)


@dataclass(slots=True)
class Comment(_Record):
    """A reader comment kept beside the article. ``duplicate_of`` is the index of the
    first identical comment of the same article, or None."""

    text: str
    duplicate_of: int | None = None


@dataclass(slots=True)
class Article(_Record):
    """A clean article: body text with boilerplate and reader comments set apart."""

    id: str
    source: str
    text: str
    locator: str = ""
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date: "YYYY-MM-DD" (or longer)
    published_inferred: str | None = None  # how a date the metadata did not give was found (dates.INFERRED)
    lang: str | None = None
    lang_score: float | None = None
    dropped: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)  # spans of body paragraphs in text
    content_hash: str = ""

    def _revive(self):
        self.comments = [c if isinstance(c, Comment) else Comment.from_dict(c) for c in self.comments]
        self.paragraphs = [_span(p) for p in self.paragraphs]  # type: ignore[misc]
        return self


@dataclass(slots=True)
class Actor(_Record):
    """A canonical actor of one article, with every mention of it in the text.

    ``id`` is an ISO 3166-1 alpha-3 code for countries (USA, CHN), else a stable
    readable id (``Huawei``, ``Mike Pompeo``). ``kind``: country, organisation,
    company, media, person, igo, group. ``sector``: GOV, MIL, BUS, MED, NGO, IGO…
    """

    id: str
    name: str
    kind: str = "organisation"
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    def _revive(self):
        self.mentions = [_span(m) for m in self.mentions]  # type: ignore[misc]
        return self


@dataclass(slots=True)
class Quote(_Record):
    """Reported speech. ``speaker`` is an actor id or None; ``span`` covers the quoted words."""

    text: str
    span: Span
    speaker: str | None = None
    speaker_name: str | None = None
    direct: bool = True
    speaker_span: Span | None = None

    def _revive(self):
        self.span = _span(self.span)  # type: ignore[assignment]
        self.speaker_span = _span(self.speaker_span)
        return self


@dataclass(slots=True)
class CitedSource(_Record):
    """An outlet, report or agency a claim is attributed to ("selon le WSJ")."""

    name: str
    span: Span
    actor: str | None = None

    def _revive(self):
        self.span = _span(self.span)  # type: ignore[assignment]
        return self


@dataclass(slots=True)
class Event(_Record):
    """Who did what to whom: one PLOVER event with its evidence sentence."""

    type: str  # one of the 16 PLOVER event types
    span: Span  # the evidence sentence (or clause) in text
    sentence: str
    cameo: str | None = None
    actor: str | None = None
    recipient: str | None = None
    context: list[str] = field(default_factory=list)
    modality: str = "asserted"  # asserted | reported | hedged | planned | negated
    according_to: str | None = None
    date: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    trigger: str | None = None  # the word(s) that express the event
    trigger_span: Span | None = None

    def _revive(self):
        self.span = _span(self.span)  # type: ignore[assignment]
        self.trigger_span = _span(self.trigger_span)
        return self


@dataclass(slots=True)
class AnnotatedArticle(Article):
    """An article with what the nlp and corpus stages found in it."""

    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    cited_sources: list[CitedSource] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tokens: int = 0
    duplicate_of: str | None = None
    story: str | None = None
    duplicate_kind: str | None = None  # "exact" or "near" when duplicate_of is set
    longer_version: str | None = None  # a cut or extended copy: the id of the longer text

    @classmethod
    def from_article(cls, article: Article, **extra: Any) -> AnnotatedArticle:
        base = {f.name: getattr(article, f.name) for f in fields(Article)}
        base.update(extra)
        return cls(**base)

    def _revive(self):
        Article._revive(self)
        self.actors = [a if isinstance(a, Actor) else Actor.from_dict(a) for a in self.actors]
        self.quotes = [q if isinstance(q, Quote) else Quote.from_dict(q) for q in self.quotes]
        self.cited_sources = [c if isinstance(c, CitedSource) else CitedSource.from_dict(c)
                              for c in self.cited_sources]
        self.events = [e if isinstance(e, Event) else Event.from_dict(e) for e in self.events]
        return self

    def export(self) -> dict[str, Any]:
        """The article as one line of the JSONL export (see the README)."""
        d = self.as_dict()
        for internal in ("locator", "lang_score", "paragraphs", "content_hash", "tokens"):
            d.pop(internal, None)
        return d


@dataclass(slots=True)
class EventMention(_Record):
    """One article's telling of an event record: where (article, position in its events,
    evidence span), how (modality, according to whom) and under which independent source
    it counts (``source``, a key of the record's ``sources``)."""

    article: str
    idx: int  # the event's position in the article's ``events``
    span: Span | None = None
    modality: str = "asserted"
    according_to: str | None = None
    date: str | None = None  # the event's own date, as the article gives it
    published: str | None = None  # the article's publication date
    outlet: str | None = None
    cameo: str | None = None
    source: str = ""

    def _revive(self):
        self.span = _span(self.span)
        return self


@dataclass(slots=True)
class EventRecord(_Record):
    """One act told by one or more articles of a story: the same actor, type and recipient
    at compatible dates, with every mention of it and who independently reported it.

    ``sources`` lists the independent sources (a copy counts as its original, articles
    citing one report count once): ``{"key", "name", "kind": "article" | "cited",
    "articles": [ids], "chain": [{"article", "outlet", "copy_of", "cites"}]}``.
    """

    id: str
    type: str
    story: str | None = None
    cameo: str | None = None
    actor: str | None = None
    recipient: str | None = None
    date: str | None = None  # the most precise date its mentions give, if any
    goldstein: float | None = None
    quad_class: str | None = None
    first_reported: str | None = None
    last_reported: str | None = None
    n_mentions: int = 0
    n_articles: int = 0
    n_outlets: int = 0
    n_sources: int = 0
    outlets: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    modalities: dict[str, int] = field(default_factory=dict)
    mentions: list[EventMention] = field(default_factory=list)
    # Where it happened, when a mention's sentence names the place: {"name", "kind" (city or
    # country), "country" (ISO3), "fips", "lat", "lon", "geonameid", "text", "span", "article"}.
    place: dict[str, Any] | None = None

    def _revive(self):
        self.mentions = [m if isinstance(m, EventMention) else EventMention.from_dict(m) for m in self.mentions]
        return self


@dataclass(slots=True)
class Story(_Record):
    """Articles about the same real-world story. ``id`` never changes once given."""

    id: str
    title: str | None = None
    article_ids: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    actors: list[str] = field(default_factory=list)  # top actor ids
    outlets: list[str] = field(default_factory=list)
    cited_sources: list[str] = field(default_factory=list)


Item = RawDocument | Article | AnnotatedArticle | Failure


def annotated_batch(batch: list[Any]) -> tuple[list[Any], list[int]]:
    """For the corpus stages: a copy of ``batch`` with every plain ``Article`` lifted to an
    ``AnnotatedArticle``, and the positions of the annotated articles in it (failures and
    anything else pass through untouched)."""
    out = list(batch)
    positions = []
    for pos, item in enumerate(batch):
        if isinstance(item, Article) and not isinstance(item, AnnotatedArticle):
            out[pos] = AnnotatedArticle.from_article(item)
        if isinstance(out[pos], AnnotatedArticle):
            positions.append(pos)
    return out, positions


def failures(items: Iterable[Any]) -> list[Failure]:
    """The failures among ``items`` (a helper for tests)."""
    return [i for i in items if isinstance(i, Failure)]


__all__ = [
    "Actor",
    "AnnotatedArticle",
    "Article",
    "CitedSource",
    "Comment",
    "Event",
    "EventMention",
    "EventRecord",
    "Failure",
    "Item",
    "Quote",
    "RawDocument",
    "Span",
    "Story",
    "annotated_batch",
    "content_hash",
    "day_of",
    "failures",
    "stable_id",
    "valid_text",
]
