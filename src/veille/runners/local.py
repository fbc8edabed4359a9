"""The local runner: the whole pipeline as a chain of generators, into the store.

::

    ingest -> clean -> (skip ids already stored) -> nlp -> dedupe -> cluster -> store

Items stream one at a time (each stage may read a batch ahead), so memory does not grow
with the corpus. The corpus stages read the articles a chunk at a time
(``runners/chunks.py``: the larger of ``[dedupe] batch_size`` and ``[cluster] batch_size``);
each chunk's articles and failures, the stories they touched and both stages' states
(duplicate index, story index) are written in one transaction. Whatever stops a run
(Ctrl-C, an error, kill -9), the store holds whole chunks and the states that describe
exactly them, so running the same command again goes on as if nothing had stopped it.
One run writes to a store at a time (:meth:`~veille.store.base.Writes.writer`); another
waits for it.

An error raised inside a stage is not caught here.
"""
from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from types import ModuleType
from typing import Any

from ..config import Config
from ..records import Article, Failure, RawDocument
from ..store.base import EVENT_RECORDS_STATE, EventWrites, Writes
from .chunks import chunk_size
from .repeats import first_seen

log = logging.getLogger(__name__)

STAGES = ("ingest", "clean", "known", "nlp", "dedupe", "cluster")
"""The stage names counted in :attr:`RunSummary.stages`, in order ("known" skips stored ids)."""

CORPUS_STATES = {"dedupe": "DedupeIndex", "cluster": "StoryIndex"}
"""Corpus stage -> the class (in that stage's package) of its persistent state."""

MAX_FAILURES_KEPT = 10_000


@dataclass
class RunSummary:
    """What a run did. ``stages[name]`` counts ``in``, ``out`` (records passed on),
    ``failed`` (new failures) and ``dropped`` (records that went no further)."""

    new: int = 0  # articles stored by this run
    known: int = 0  # articles already stored, skipped before nlp
    replaced: int = 0  # stored articles replaced by a changed input
    duplicates: int = 0  # new articles that copy an earlier one
    stories: int = 0  # stories created or changed
    failed: int = 0  # failures recorded (all of them, even beyond the list's cap)
    failures: list[Failure] = field(default_factory=list)
    stages: dict[str, dict[str, int]] = field(default_factory=dict)
    interrupted: bool = False
    seconds: float = 0.0
    done: int = 0  # documents that went as far as they go: stored, already stored or failed
    current: str = ""  # the input (as given) of the last of them

    def finished(self, item: Any) -> None:
        """Count one document that went as far as it goes."""
        self.done += 1
        self.current = getattr(item, "source", "") or ""

    @property
    def processed(self) -> int:
        """Articles that went through: stored now or stored already."""
        return self.new + self.known

    @property
    def documents(self) -> int:
        """Documents read from the inputs."""
        return self.stages.get("ingest", {}).get("out", 0)

    def line(self) -> str:
        """A one-line account for the terminal."""
        parts = [f"{self.new} new article(s)", f"{self.known} already stored"]
        if self.replaced:
            parts.append(f"{self.replaced} replaced")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate(s)")
        if self.stories:
            parts.append(f"{self.stories} stor{'y' if self.stories == 1 else 'ies'} updated")
        parts.append(f"{self.failed} failure(s)")
        return ", ".join(parts) + f" in {self.seconds:.1f}s"

    def as_dict(self) -> dict[str, Any]:
        return {"new": self.new, "known": self.known, "replaced": self.replaced,
                "duplicates": self.duplicates, "stories": self.stories, "failed": self.failed,
                "failures": [f.as_dict() for f in self.failures], "stages": self.stages,
                "interrupted": self.interrupted,
                "seconds": round(self.seconds, 3)}


Progress = Callable[[RunSummary], None]


def _stage(name: str) -> ModuleType:
    """The stage package ``veille.<name>``, imported when first needed."""
    return importlib.import_module(f"veille.{name}")


def run_pipeline(sources: Iterable[str], cfg: Config | None, store: Writes, *,
                 progress: Progress | None = None) -> RunSummary:
    """Read ``sources`` (paths, folders, globs) and run every stage into ``store``.

    Returns what was done; raises only for errors that stop the whole run (an
    unreadable store, a bug in a stage). Ctrl-C rolls back the batch being written.
    """
    cfg = cfg or Config()
    return run_items(_stage("ingest").run(list(sources), cfg), cfg, store, progress=progress)


def run_items(items: Iterable[RawDocument | Article | Failure], cfg: Config | None, store: Writes, *,
              progress: Progress | None = None) -> RunSummary:
    """Run documents (or articles, or failures) through the stages after ingest, into ``store``.

    The entry for callers that read their own documents (``veille watch``).
    """
    cfg = cfg or Config()
    summary = RunSummary(stages={name: {"in": 0, "out": 0, "failed": 0, "dropped": 0} for name in STAGES})
    t0 = time.perf_counter()
    stream: Iterable[Any] = _count("ingest", items, summary)
    stream = _count("clean", _stage("clean").run(_counted_in("clean", stream, summary), cfg), summary)
    stream = _count("known", _skip_known(_counted_in("known", stream, summary), store, summary,
                                         batch=cfg.store.batch_size, recent=_in_flight(cfg),
                                         progress=progress), summary)
    stream = _count("nlp", _when_needed("nlp", _counted_in("nlp", stream, summary), cfg), summary)
    corpus = _Corpus(cfg, store, summary)
    try:
        with store.writer():
            catch_up_event_records(store)
            for unit in corpus.units(stream, progress):
                corpus.commit(unit)
                if progress is not None:
                    progress(summary)
        if progress is not None:
            progress(summary)
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        summary.seconds = time.perf_counter() - t0
        for name, c in summary.stages.items():
            if name != "ingest":
                c["dropped"] = max(0, c["in"] - c["out"] - max(0, c["failed"]))
    return summary


@dataclass
class _Unit:
    """One chunk, decided: what to write in one transaction."""

    items: list[Any]  # articles and failures, in stream order
    stories: list[Any] = field(default_factory=list)
    states: dict[str, dict[str, Any]] | None = None


class _Corpus:
    """The corpus stages over chunks of the stream, and the writes of each chunk."""

    def __init__(self, cfg: Config, store: Writes, summary: RunSummary):
        self.cfg, self.store, self.summary = cfg, store, summary
        self.size = chunk_size(cfg)
        self.states: dict[str, Any] = {}  # stage name -> its state, loaded with the first chunk
        self.touched: set[str] = set()  # stories this run put articles in
        self.saved: set[str] = set()  # stories this run wrote

    def units(self, stream: Iterable[Any], progress: Progress | None) -> Iterator[_Unit]:
        """The stream cut into chunks of ``size`` articles, each decided by the corpus stages."""
        items: list[Any] = []
        articles = 0
        for item in stream:
            items.append(item)
            self.summary.finished(item)
            if not isinstance(item, Failure):
                articles += 1
            if progress is not None:
                progress(self.summary)
            if articles >= self.size:
                yield self.decide(items)
                items, articles = [], 0
            elif len(items) - articles >= 4 * self.size:
                # Many failures: written now, so that memory stays bounded; the chunk's
                # articles stay (chunks are counted in articles only).
                yield _Unit([i for i in items if isinstance(i, Failure)])
                items = [i for i in items if not isinstance(i, Failure)]
        if items:
            yield self.decide(items)

    def decide(self, items: list[Any]) -> _Unit:
        """Duplicates and stories for the chunk's articles (failures stay in their place)."""
        positions = [k for k, item in enumerate(items) if not isinstance(item, Failure)]
        if not positions:
            return _Unit(items)
        if not self.states:
            for name in CORPUS_STATES:
                self.states[name] = _load_state(_stage(name), name, self.store, self.cfg)
            self.states["dedupe"].stored = self.store.original_with_hash  # exact copies at any distance
        stream: Iterable[Any] = [items[k] for k in positions]
        for name in CORPUS_STATES:
            stream = _count(name, _stage(name).run(_counted_in(name, stream, self.summary), self.cfg,
                                                   state=self.states[name]), self.summary)
        decided = list(stream)
        out = list(items)
        for k, item in zip(positions, decided, strict=True):
            out[k] = item
        touched = {a.story for a in decided if getattr(a, "story", None)}
        self.touched |= touched
        cluster = self.states["cluster"]
        stories = [s for s in cluster.take_closed() if s.id in self.touched]
        stories += [s for s in cluster.stories() if s.id in touched]
        return _Unit(out, stories, {name: state.to_dict() for name, state in self.states.items()})

    def commit(self, unit: _Unit) -> None:
        """Write one decided chunk in one transaction, and count it."""
        s = self.summary
        for item in unit.items:
            if isinstance(item, Failure):
                s.failed += 1
                if len(s.failures) < MAX_FAILURES_KEPT:
                    s.failures.append(item)
            elif getattr(item, "duplicate_of", None):
                s.duplicates += 1
        events = isinstance(self.store, EventWrites)
        touched = {i.story for i in unit.items if not isinstance(i, Failure) and getattr(i, "story", None)}
        states = unit.states
        if events and touched and states is not None:
            # Marked in the chunk's transaction, cleared once their records are written:
            # whatever stops the run in between, the next run computes them.
            states = {**states, EVENT_RECORDS_STATE: {"pending": sorted(touched)}}
        result = self.store.add(unit.items, stories=unit.stories, states=states)
        s.new += len(result.added)
        s.known += result.known
        s.replaced += len(result.replaced)
        self.saved.update(st.id for st in unit.stories)
        cluster = self.states.get("cluster")
        if result.touched_stories and cluster is not None:
            # Stories that lost an article to a changed input: their membership, again.
            again = [st for st in cluster.stories() if st.id in result.touched_stories]
            if again:
                self.store.put_stories(again)
                self.saved.update(st.id for st in again)
        if events and (touched or result.touched_stories):
            put_event_records(self.store, sorted(touched | result.touched_stories))
        s.stories = len(self.saved)


# -- event records ---------------------------------------------------------------------------
def put_event_records(store: EventWrites, story_ids: Iterable[str], *, batch: int = 200) -> int:
    """Compute the event records of these stories from what the store holds
    (``veille.eventrecords.group``) and replace theirs, ``batch`` stories a transaction; the
    last one clears the pending mark. Returns the number of records written."""
    group = _stage("eventrecords").group
    ids = list(story_ids)
    n = 0
    for start in range(0, len(ids), batch) or [0]:
        chunk = ids[start:start + batch]
        last = start + batch >= len(ids)
        n += store.put_event_records({sid: group(store.event_inputs(sid)) for sid in chunk},
                                     states={EVENT_RECORDS_STATE: {"pending": []}} if last else None)
    return n


def catch_up_event_records(store: Any) -> int:
    """The event records a store still waits for: the stories marked pending (a run stopped
    before writing them), or every story of a store made before event records. Returns the
    number of records written."""
    if not isinstance(store, EventWrites):
        return 0
    state = store.state(EVENT_RECORDS_STATE)
    if state is None:
        ids = list(store.story_ids())
        if not ids:
            return 0
    elif state.get("pending") is None:
        ids = list(store.story_ids())
    else:
        ids = list(state["pending"])
        if not ids:
            return 0
    return put_event_records(store, ids)


# -- the pieces ------------------------------------------------------------------------------
def _counted_in(name: str, items: Iterable[Any], summary: RunSummary) -> Iterator[Any]:
    c = summary.stages.setdefault(name, {"in": 0, "out": 0, "failed": 0, "dropped": 0})
    for item in items:
        if isinstance(item, Failure):
            c["failed"] -= 1  # passed through: not this stage's failure
        else:
            c["in"] += 1
        yield item


def _count(name: str, items: Iterable[Any], summary: RunSummary) -> Iterator[Any]:
    c = summary.stages.setdefault(name, {"in": 0, "out": 0, "failed": 0, "dropped": 0})
    for item in items:
        if isinstance(item, Failure):
            c["failed"] += 1
        else:
            c["out"] += 1
        yield item


def _when_needed(name: str, items: Iterable[Any], cfg: Config) -> Iterator[Any]:
    """Import and start stage ``name`` only when a record it works on arrives (a re-run where
    every article is stored never imports nlp nor loads its model); failures met before
    are passed on in order."""
    it = iter(items)
    ahead: list[Any] = []
    for item in it:
        ahead.append(item)
        if isinstance(item, Failure):
            continue
        yield from _stage(name).run(chain(ahead, it), cfg)
        return
    yield from ahead


def _in_flight(cfg: Config) -> int:
    """A bound, with a wide margin, on how many articles the stages after "known" hold
    before the store has them (every stage reads at most a batch ahead)."""
    held = (cfg.nlp.batch_size * (2 * cfg.nlp.workers + 1) + cfg.dedupe.batch_size + cfg.cluster.batch_size
            + cfg.store.batch_size)
    return max(10_000, 4 * held)


def _skip_known(items: Iterable[Any], store: Writes, summary: RunSummary, *, batch: int,
                recent: int = 10_000, progress: Progress | None = None) -> Iterator[Any]:
    """Pass on what is not stored yet (:func:`first_seen`, the store asked a batch of ids at
    a time). The last ``recent`` ids passed on (more than the stages after this one hold
    unwritten) are remembered for the ids the store does not hold yet, so memory stays flat."""
    def skipped(item: Any) -> None:
        summary.known += 1
        summary.finished(item)
        if progress is not None:
            progress(summary)

    return first_seen(items, _article_id, batch=batch, stored=store.known, recent=recent, skipped=skipped)


def _article_id(item: Any) -> str | None:
    return item.id if isinstance(item, Article) else None


def _load_state(module: ModuleType, name: str, store: Writes, cfg: Config) -> Any:
    cls = getattr(module, CORPUS_STATES[name])
    data = store.state(name)
    return cls.from_config(cfg) if data is None else cls.from_dict(data, cfg=cfg)


__all__ = ["CORPUS_STATES", "STAGES", "Progress", "RunSummary", "catch_up_event_records", "put_event_records",
           "run_items", "run_pipeline"]
