"""The local runner: the whole pipeline as a chain of generators, into the store.

::

    ingest -> clean -> (skip ids already stored) -> nlp -> dedupe -> cluster -> store

Items stream one at a time (each stage may read a batch ahead), so memory does not grow
with the corpus. Writes go to the store ``[store] batch_size`` items per transaction.
The corpus stages' state (duplicate index, story index) is loaded from the store before
the run and saved after it, also when the run is interrupted: a state that holds a few
articles the store does not is harmless, since both stages answer again what they
answered the first time for an id they already know.

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
from ..store.base import Writes
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
    states: dict[str, Any] = {}
    stream: Iterable[Any] = _count("ingest", items, summary)
    stream = _count("clean", _stage("clean").run(_counted_in("clean", stream, summary), cfg), summary)
    stream = _count("known", _skip_known(_counted_in("known", stream, summary), store, summary,
                                         batch=cfg.store.batch_size, recent=_in_flight(cfg)), summary)
    for name in ("nlp", "dedupe", "cluster"):
        stream = _count(name, _when_needed(name, _counted_in(name, stream, summary), cfg, store, states),
                        summary)
    touched: set[str] = set()
    try:
        _write(stream, store, summary, touched, batch=cfg.store.batch_size, progress=progress, states=states)
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        summary.seconds = time.perf_counter() - t0
        for name, c in summary.stages.items():
            if name != "ingest":
                c["dropped"] = max(0, c["in"] - c["out"] - max(0, c["failed"]))
        _save(store, states, summary, touched)
    summary.seconds = time.perf_counter() - t0
    return summary


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


def _when_needed(name: str, items: Iterable[Any], cfg: Config, store: Writes,
                 states: dict[str, Any]) -> Iterator[Any]:
    """Load and start stage ``name`` only when a record it works on arrives (a re-run where
    every article is stored never imports nlp nor loads its model); failures met before
    are passed on in order."""
    it = iter(items)
    ahead: list[Any] = []
    for item in it:
        ahead.append(item)
        if isinstance(item, Failure):
            continue
        stream = chain(ahead, it)
        module = _stage(name)
        if name in CORPUS_STATES:
            states[name] = _load_state(module, name, store, cfg)
            yield from module.run(stream, cfg, state=states[name])
        else:
            yield from module.run(stream, cfg)
        return
    yield from ahead


def _in_flight(cfg: Config) -> int:
    """A bound, with a wide margin, on how many articles the stages after "known" hold
    before the store has them (every stage reads at most a batch ahead)."""
    held = (cfg.nlp.batch_size * (2 * cfg.nlp.workers + 1) + cfg.dedupe.batch_size + cfg.cluster.batch_size
            + cfg.store.batch_size)
    return max(10_000, 4 * held)


def _skip_known(items: Iterable[Any], store: Writes, summary: RunSummary, *, batch: int,
                recent: int = 10_000) -> Iterator[Any]:
    """Pass on what is not stored yet (:func:`first_seen`, the store asked a batch of ids at
    a time). The last ``recent`` ids passed on (more than the stages after this one hold
    unwritten) are remembered for the ids the store does not hold yet, so memory stays flat."""
    def skipped(_item: Any) -> None:
        summary.known += 1

    return first_seen(items, _article_id, batch=batch, stored=store.known, recent=recent, skipped=skipped)


def _article_id(item: Any) -> str | None:
    return item.id if isinstance(item, Article) else None


def _load_state(module: ModuleType, name: str, store: Writes, cfg: Config) -> Any:
    cls = getattr(module, CORPUS_STATES[name])
    data = store.state(name)
    return cls.from_config(cfg) if data is None else cls.from_dict(data, cfg=cfg)


def _write(items: Iterable[Any], store: Writes, summary: RunSummary, touched: set[str], *, batch: int,
           progress: Progress | None, states: dict[str, Any]) -> None:
    pending: list[Any] = []

    def flush() -> None:
        result = store.add(pending)
        summary.new += len(result.added)
        summary.known += result.known
        summary.replaced += len(result.replaced)
        touched.update(result.touched_stories)
        pending.clear()
        _put_closed(store, states, summary, touched)
        if progress is not None:
            progress(summary)

    for item in items:
        if isinstance(item, Failure):
            summary.failed += 1
            if len(summary.failures) < MAX_FAILURES_KEPT:
                summary.failures.append(item)
        elif isinstance(item, Article):
            story = getattr(item, "story", None)
            if story:
                touched.add(story)
            if getattr(item, "duplicate_of", None):
                summary.duplicates += 1
        else:
            log.warning("a %s reached the store and was left out", type(item).__name__)
            continue
        pending.append(item)
        if len(pending) >= batch:
            flush()
        elif progress is not None and not isinstance(item, Failure):
            progress(summary)
    if pending:
        flush()
    elif progress is not None:
        progress(summary)


def _put_closed(store: Writes, states: dict[str, Any], summary: RunSummary, touched: set[str]) -> None:
    """Save the stories the cluster stage closed (let go from its memory) since the last call.

    The stage closes stories between its batches, when all their articles have been passed
    on, so after a write every member is stored. Stories closed without a new article in
    this run were saved by the run that changed them last."""
    cluster = states.get("cluster")
    if cluster is not None:
        closed = [s for s in cluster.take_closed() if s.id in touched]
        if closed:
            summary.stories += store.put_stories(closed)


def _save(store: Writes, states: dict[str, Any], summary: RunSummary, touched: set[str]) -> None:
    """Save the stories touched and the corpus stages' state (nothing when nothing changed)."""
    _put_closed(store, states, summary, touched)
    cluster = states.get("cluster")
    if touched and cluster is not None:
        stories = [s for s in cluster.stories() if s.id in touched]
        summary.stories += store.put_stories(stories)
    for name, state in states.items():
        if summary.stages.get(name, {}).get("in", 0) > 0:
            store.put_state(name, state.to_dict())


__all__ = ["CORPUS_STATES", "STAGES", "Progress", "RunSummary", "run_items", "run_pipeline"]
