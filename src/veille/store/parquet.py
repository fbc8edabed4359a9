"""A Spark run's output folder (``veille run --engine spark --out DIR``) into the store.

Read with pyarrow: no Spark and no Java needed. ``articles/`` and ``failures/`` are
sorted back into input order; ``state/<stage>.json`` holds each corpus stage's index in
the form the store saves it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, MissingDependency
from ..records import AnnotatedArticle, Failure, Story
from .base import Writes


def read_output(out: str | Path) -> tuple[list[AnnotatedArticle], list[Story], list[Failure]]:
    """Articles (input order), stories and failures of a Spark run's output folder."""
    try:
        import pyarrow.parquet as pq
    except ImportError as e:
        raise MissingDependency("pyarrow", "spark") from e

    base = Path(out)
    if not (base / "articles").is_dir():
        raise InputError(f"{base}: no articles/ folder here; give the --out folder of "
                         "'veille run --engine spark'")

    def rows(name: str) -> list[dict]:
        folder = base / name
        if not folder.is_dir() or not any(folder.glob("*.parquet")):
            return []
        return pq.read_table(folder).to_pylist()

    arts = sorted(rows("articles"), key=lambda r: (r.get("input_no", 0), r.get("doc_no", 0)))
    fails = sorted(rows("failures"), key=lambda r: (r.get("input_no", 0), r.get("doc_no", 0)))
    return ([AnnotatedArticle.from_dict(r) for r in arts], [Story.from_dict(r) for r in rows("stories")],
            [Failure.from_dict(r) for r in fails])


def read_states(out: str | Path) -> dict[str, dict[str, Any]]:
    """The corpus stages' saved indexes in ``state/`` of a Spark output folder, by stage."""
    folder = Path(out) / "state"
    if not folder.is_dir():
        return {}
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.json"))
            if f.is_file()}


@dataclass(slots=True)
class ImportSummary:
    """What ``veille import`` stored."""

    added: int = 0
    known: int = 0
    failures: int = 0
    stories: int = 0
    states: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.added} new article(s), {self.known} already stored, {self.failures} failure(s), "
                f"{self.stories} stor{'y' if self.stories == 1 else 'ies'}")


def import_output(out: str | Path, store: Writes, *, batch_size: int) -> ImportSummary:
    """Load a Spark run's output folder into ``store`` through its write API: articles
    (input order) and failures, the stories, and the duplicate and story indexes (so a
    later local run adds to the same duplicates and stories). Only when the store held no
    corpus state before are the indexes taken over; otherwise they are left as they are.

    The import holds the store's writer lock (a run on the same store waits); the stories,
    failures and indexes are written with the last articles, in one transaction, so an
    import stopped midway leaves no index that describes articles it did not store (run it
    again to finish)."""
    arts, stories, fails = read_output(out)
    summary = ImportSummary()
    with store.writer():
        states = {name: data for name, data in read_states(out).items() if store.state(name) is None}
        batches = [arts[start:start + batch_size] for start in range(0, len(arts), batch_size)] or [[]]
        for k, batch in enumerate(batches):
            last = k == len(batches) - 1
            result = store.add([*batch, *fails] if last else batch, stories=stories if last else (),
                               states=states if last else None)
            summary.added += len(result.added)
            summary.known += result.known
    summary.failures, summary.stories, summary.states = len(fails), len(stories), list(states)
    return summary


__all__ = ["ImportSummary", "import_output", "read_output", "read_states"]
