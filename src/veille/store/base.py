"""The store's declared interface: what the rest of veille reads and writes.

:class:`Store` is the protocol a store implements (:class:`~veille.store.sqlite.SQLiteStore`,
and the in-memory store of the tests): :class:`Writes` is what the runners and
``veille import`` need, :class:`Reads` what the reports, the export, the search and the
web interface read. A new query is one method here and one in each store.

Reads return plain JSON-ready dicts (whole articles in the export's shape); writes happen
in one transaction per call.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..records import AnnotatedArticle, Article, EventRecord, Failure, Story

if TYPE_CHECKING:
    from .watchstate import WatchState

MARK = ("\x02", "\x03")  # search snippets: a matched word sits between these
STORY_ORDERS = ("recent", "size", "growth")  # the orders of Reads.stories
SEARCH_FACETS = ("outlet", "since", "until", "actor", "type")  # what narrows Reads.search

EVENT_RECORDS_STATE = "eventrecords"
"""The state naming the stories whose event records wait to be (re)computed: ``{"pending":
[story ids]}``, or ``{"pending": null}`` for every story (a store from before event records)."""


@dataclass
class AddResult:
    """What one :meth:`Writes.add` call did."""

    added: list[str] = field(default_factory=list)  # ids of new articles
    known: int = 0  # articles already stored (left unchanged)
    replaced: list[str] = field(default_factory=list)  # ids removed: same source and locator, new content
    failures: int = 0
    touched_stories: set[str] = field(default_factory=set)  # stories that lost an article


@runtime_checkable
class Writes(Protocol):
    """What the runners write, and the few reads they need to do it."""

    def add(self, batch: Iterable[AnnotatedArticle | Article | Failure], *, stories: Iterable[Story] = (),
            states: Mapping[str, dict[str, Any]] | None = None) -> AddResult:
        """Store articles and failures in one transaction, with the ``stories`` and the
        corpus stages' ``states`` (by name) that describe them. An id stored already is left
        as it is; a new article from the same source and locator as a stored one replaces it."""
        ...

    def writer(self) -> AbstractContextManager[None]:
        """The right to write as one run, held while the block runs: one run at a time per
        store (another waits, and is told who it waits for)."""
        ...

    def put_failures(self, failures: Iterable[Failure]) -> int:
        """Record failures; the same source, locator and stage is replaced."""
        ...

    def put_stories(self, stories: Iterable[Story]) -> int:
        """Insert or replace stories and their stored members."""
        ...

    def put_state(self, name: str, data: dict[str, Any]) -> None:
        """Save the JSON-ready state of a corpus stage under ``name``."""
        ...

    def state(self, name: str) -> dict[str, Any] | None:
        """The state saved under ``name``, or None."""
        ...

    def known(self, ids: Iterable[str]) -> set[str]:
        """The ids among ``ids`` that are stored."""
        ...

    def has(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        ...

    def original_with_hash(self, content_hash: str) -> str | None:
        """The id of the original (``duplicate_of``, else its own id) of the first stored
        article with this content hash, or None."""
        ...

    def get(self, article_id: str) -> AnnotatedArticle | None:
        """One article as a record, or None."""
        ...


@runtime_checkable
class Reads(Protocol):
    """What the export, search, reports and web interface read."""

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article in the export shape, plus ``locator`` and ``paragraphs``."""
        ...

    def articles(self, limit: int | None = 50, offset: int = 0, *, story: str | None = None,
                 lang: str | None = None, outlet: str | None = None, source: str | None = None,
                 since: str | None = None, until: str | None = None,
                 originals: bool = False) -> list[dict[str, Any]]:
        """Article summaries (no text), newest first; filters combine with AND."""
        ...

    def count(self, **filters: Any) -> int:
        """The number of articles matching the filters of :meth:`articles`."""
        ...

    def export(self, *, story: str | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Every article in the export shape, in the order stored."""
        ...

    def records(self, *, batch: int = 500) -> Iterator[AnnotatedArticle]:
        """Every stored article as a record, in the order stored."""
        ...

    def search(self, query: str, limit: int = 20, offset: int = 0, *,
               mark: tuple[str, str] = MARK, words: int = 16, **facets: str | None) -> list[dict[str, Any]]:
        """Articles matching ``query``, best first, with a snippet; QueryError when unreadable.
        ``facets`` (:data:`SEARCH_FACETS`) narrow the hits: ``outlet``; ``since`` and ``until``
        (publication dates, YYYY-MM-DD); ``actor`` (an actor id the article mentions); ``type``
        (a PLOVER type among the article's events)."""
        ...

    def search_count(self, query: str, **facets: str | None) -> int:
        """How many articles match ``query`` and the ``facets``."""
        ...

    def errors(self, limit: int | None = None, offset: int = 0, *,
               source: str | None = None) -> list[dict[str, Any]]:
        """Recorded failures (source, locator, stage, reason, time), oldest first."""
        ...

    def events(self, *, actor: str | None = None, recipient: str | None = None, type: str | None = None,
               modality: str | None = None, article: str | None = None, story: str | None = None,
               since: str | None = None, until: str | None = None, limit: int | None = 50,
               offset: int = 0) -> list[dict[str, Any]]:
        """Events, newest first, with their article and the names and countries of actor and
        recipient."""
        ...

    def actors(self, limit: int | None = 100, offset: int = 0, *,
               kind: str | None = None) -> list[dict[str, Any]]:
        """Actors by the number of articles that mention them."""
        ...

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        """One actor with its aliases and counts."""
        ...

    def actor_names(self) -> list[tuple[str, str]]:
        """Every (actor id, name) pair the store knows: the actor's name and each alias it was
        written as, for finding an actor by any of its names."""
        ...

    def quotes(self, *, speaker: str | None = None, article: str | None = None, story: str | None = None,
               limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes with their article, newest first."""
        ...

    def stories(self, limit: int | None = None, offset: int = 0, *, since: str | None = None,
                until: str | None = None, actor: str | None = None, type: str | None = None,
                lang: str | None = None, order: str = "recent",
                growth: tuple[str, str] | None = None) -> list[dict[str, Any]]:
        """Stories, most recently active first; filters combine with AND. ``order`` (one of
        :data:`STORY_ORDERS`): ``size`` puts the most articles first; ``growth``, with
        ``growth=(start, middle)`` dates, the most articles published from ``middle`` on less
        those published between ``start`` and ``middle``."""
        ...

    def volume(self, *, story: str | None = None, since: str | None = None) -> dict[str, int]:
        """Dated articles per publication day (``YYYY-MM-DD`` -> count, in date order), of the
        whole store or of one story, from ``since`` on."""
        ...

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story as in :meth:`stories`, plus ``article_ids`` (oldest first)."""
        ...

    def story_articles(self, story_id: str, limit: int | None = None,
                       offset: int = 0) -> list[dict[str, Any]]:
        """The articles of a story in the export shape, oldest first."""
        ...

    def counts(self) -> dict[str, Any]:
        """Cheap counts: articles, stories, events, quotes, actors, errors, latest, earliest."""
        ...

    def stats(self) -> dict[str, Any]:
        """:meth:`counts` plus what reports need."""
        ...

    def dropped(self, limit: int = 20) -> list[dict[str, Any]]:
        """The boilerplate segments removed most often, with how many articles lost them."""
        ...


@runtime_checkable
class EventWrites(Protocol):
    """A store that keeps event records (the SQLite store): what the runners need to
    compute them (``veille.eventrecords.group``) and write them."""

    def event_inputs(self, story_id: str) -> list[AnnotatedArticle]:
        """A story's articles without their text, for grouping its events."""
        ...

    def story_ids(self, *, batch: int = 1000) -> Iterator[str]:
        """Every story id."""
        ...

    def put_event_records(self, by_story: Mapping[str, Iterable[EventRecord]], *,
                          states: Mapping[str, dict[str, Any]] | None = None) -> int:
        """Replace the event records of each story given, with ``states``, in one transaction."""
        ...


@runtime_checkable
class EventReads(Protocol):
    """A store that answers questions on event records (the SQLite store)."""

    def event_records(self, *, actor: str | None = None, recipient: str | None = None,
                      type: str | None = None, modality: str | None = None, outlet: str | None = None,
                      story: str | None = None, since: str | None = None, until: str | None = None,
                      limit: int | None = 50, offset: int = 0,
                      mentions: bool = False) -> list[dict[str, Any]]:
        """Event records, most recently reported first, filters combined with AND."""
        ...

    def event_rows(self, *, per: str = "record", batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every event record (``per="record"``) or mention (``per="mention"``) as a flat row,
        read ``batch`` rows at a time."""
        ...


@runtime_checkable
class Store(Reads, Writes, Protocol):
    """A veille store: every read and write, and ``close``."""

    def close(self) -> None:
        """Close the store (idempotent)."""
        ...


@runtime_checkable
class WatchStore(Store, Protocol):
    """A store that also keeps what ``veille watch`` remembers between rounds."""

    def watch_state(self, *, readonly: bool = False) -> WatchState:
        """The watch tables (fetch validators, feed entries, alerts)."""
        ...


__all__ = ["EVENT_RECORDS_STATE", "MARK", "SEARCH_FACETS", "STORY_ORDERS", "AddResult", "EventReads", "EventWrites",
           "Reads", "Store", "WatchStore", "Writes"]
