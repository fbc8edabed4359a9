"""Dedupe stage: exact and near-duplicate articles, and repeated reader comments.

``run(items, cfg, state=...)`` sets ``AnnotatedArticle.duplicate_of`` to the id of the
earliest copy (earliest ``published``, ties by first seen; a copy already stored stays the
original, even when a copy published earlier arrives later), ``duplicate_kind`` ("exact" or
"near") and, for a cut or extended copy, ``longer_version`` (the id of the longer of it and
the article it matched), and passes everything else through in input order. It reads a batch at a time so that, inside a batch, the
earliest copy is always the one the others point to. ``DedupeIndex`` is the state a
later run (or a ``veille watch`` round) keeps adding to; the store saves it with
``to_dict()`` and loads it with ``DedupeIndex.from_dict()``.

Settings (``[dedupe]``): ``threshold`` (similarity at which two texts are copies:
the larger of Jaccard similarity and containment of the shorter text, estimated with
MinHash), ``num_perm`` (MinHash permutations: precision of that estimate), ``shingle``
(words per shingle: smaller catches heavier rewrites but also more look-alikes),
``window_days`` (near copies are looked for among the articles published within that many
days of each article's own date, whatever the order they arrive in; 0: all), ``recent``
(a day's articles are let go once none of the last ``recent`` articles read was published
near it: memory stays flat however long the corpus), ``batch_size`` (articles read before
deciding). Exact copies are found at any distance (see :mod:`veille.dedupe.index`).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ..config import Config
from ..records import AnnotatedArticle, Comment, annotated_batch, content_hash
from .index import ORIGINAL, DedupeIndex, HashLookup, Verdict, near_in_time, pack, shingles, similarity, words

log = logging.getLogger(__name__)

__all__ = ["ORIGINAL", "DedupeIndex", "HashLookup", "Sketch", "Verdict", "mark_comments", "near_in_time", "pack",
           "replay", "run", "shingles", "similarity", "words"]


def mark_comments(comments: list[Comment]) -> list[Comment]:
    """Set ``duplicate_of`` (index of the first identical comment) where it is missing."""
    first: dict[str, int] = {}
    for k, c in enumerate(comments):
        key = " ".join(words(c.text))
        if not key:
            continue
        if c.duplicate_of is None and key in first:
            c.duplicate_of = first[key]
        first.setdefault(key, k)
    return comments


def run(items: Iterable[Any], cfg: Config, *, state: DedupeIndex | None = None,
        stats: dict[str, int] | None = None) -> Iterator[Any]:
    """Mark duplicate articles and comments; yield the items in input order.

    ``state`` is the index to check against and add to (a fresh one from ``cfg`` if
    None). ``stats`` (optional dict) receives counts: articles, exact, near.
    """
    index = state if state is not None else DedupeIndex.from_config(cfg)
    counts = _counts(stats)
    for batch in _batches(items, cfg):
        out, positions = annotated_batch(batch)
        for pos in _judging_order((p, out[p].published) for p in positions):
            art: AnnotatedArticle = out[pos]
            mark_comments(art.comments)
            art.content_hash = art.content_hash or content_hash(art.text)
            verdict = _judge(index, counts, art.id, art.text, published=art.published,
                             chash=art.content_hash)
            art.duplicate_of, art.duplicate_kind, art.longer_version = verdict.of, verdict.kind, verdict.longer
        yield from out


@dataclass(slots=True, frozen=True)
class Sketch:
    """What the duplicate decision reads of one article whose near-copy candidates are
    found elsewhere: its id, date, content hash and number of shingles (0: no words)."""

    id: str
    published: str | None
    chash: str
    size: int


def replay(sketches: Iterable[Sketch | None], cfg: Config, *, state: DedupeIndex,
           candidates: Mapping[str, Iterable[tuple[str, float]]],
           stats: dict[str, int] | None = None) -> Iterator[tuple[str, Verdict]]:
    """The stage's decisions for a stream whose near-copy candidates were found and scored
    elsewhere (the Spark engine: MinHash and banded join on the executors, this on the
    driver): ``sketches`` is the stream :func:`run` would see, in order, with None for a
    failure (failures count in the batches as they do in :func:`run`); ``candidates`` maps
    an id to its ``(id, score)`` pairs. Yields ``(id, verdict)`` in the order judged;
    ``state`` ends as :func:`run` would leave it, but for the signatures
    (:meth:`DedupeIndex.unsigned`)."""
    counts = _counts(stats)
    for batch in _batches(sketches, cfg):
        for pos in _judging_order((p, s.published) for p, s in enumerate(batch) if s is not None):
            s = batch[pos]
            yield s.id, _judge(state, counts, s.id, published=s.published, chash=s.chash,
                               candidates=candidates.get(s.id, ()), size=s.size)


def _counts(stats: dict[str, int] | None) -> dict[str, int]:
    counts = stats if stats is not None else {}
    for key in ("articles", "exact", "near"):
        counts.setdefault(key, 0)
    return counts


def _batches(items: Iterable[Any], cfg: Config) -> Iterator[list[Any]]:
    """The stream read ``[dedupe] batch_size`` items at a time (failures included)."""
    it = iter(items)
    while batch := list(islice(it, cfg.dedupe.batch_size)):
        yield batch


def _judging_order(dates: Iterable[tuple[int, str | None]]) -> list[int]:
    """The positions of a batch's articles, given with their dates, in the order they are
    judged: earliest published first (undated last), input order breaking ties, so that
    the earliest copy is the one the others point to."""
    return [pos for pos, _ in sorted(dates, key=lambda pd: (pd[1] or "\uffff", pd[0]))]


def _judge(index: DedupeIndex, counts: dict[str, int], article_id: str, text: str = "", *,
           published: str | None, chash: str, candidates: Iterable[tuple[str, float]] | None = None,
           size: int = 0) -> Verdict:
    """The decision for one article (see :meth:`DedupeIndex.decide`), counted."""
    verdict = index.decide(article_id, text, published=published, chash=chash, candidates=candidates, size=size)
    counts["articles"] += 1
    if verdict.of is not None:
        counts[verdict.kind or "near"] += 1
    return verdict
