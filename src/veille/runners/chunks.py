"""The rule both engines apply after nlp: the corpus stages decide a chunk of articles at a time.

The dedupe and cluster stages read the articles (failures go round them) a chunk of
:func:`chunk_size` at a time, each chunk with the states the chunks before it left. The
local runner writes each decided chunk with those states in one transaction, so a run
stopped anywhere and run again decides the same chunks as a run never stopped; the Spark
driver replays the same chunks.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from ..config import Config

T = TypeVar("T")


def chunk_size(cfg: Config) -> int:
    """Articles decided together: the larger of ``[dedupe] batch_size`` and ``[cluster]
    batch_size`` (the smaller stage's batches start again with each chunk)."""
    return max(cfg.dedupe.batch_size, cfg.cluster.batch_size)


def chunks(articles: Iterable[T], cfg: Config) -> Iterator[list[T]]:
    """``articles`` (failures already left out) in lists of :func:`chunk_size`."""
    it = iter(articles)
    size = chunk_size(cfg)
    while chunk := list(islice(it, size)):
        yield chunk


__all__ = ["chunk_size", "chunks"]
