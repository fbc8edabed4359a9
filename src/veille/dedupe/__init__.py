"""Dedupe stage: exact and near-duplicate articles, and repeated reader comments.

``run(items, cfg, state=...)`` sets ``AnnotatedArticle.duplicate_of`` to the id of the
earliest copy (earliest ``published``, ties by first seen) and passes everything else
through in input order. It reads a batch at a time so that, inside a batch, the
earliest copy is always the one the others point to. ``DedupeIndex`` is the state a
later run (or a ``veille watch`` round) keeps adding to; the store saves it with
``to_dict()`` and loads it with ``DedupeIndex.from_dict()``.

Settings (``[dedupe]``): ``threshold`` (similarity at which two texts are copies:
the larger of Jaccard similarity and containment of the shorter text, estimated with
MinHash), ``num_perm`` (MinHash permutations: precision of that estimate), ``shingle``
(words per shingle: smaller catches heavier rewrites but also more look-alikes),
``window_days`` (how many days before the newest article seen the index remembers
articles: memory stays flat however long the corpus; 0 remembers everything),
``batch_size`` (articles read before deciding).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from ..records import AnnotatedArticle, Comment, annotated_batch, content_hash
from .index import DedupeIndex, remembered, shingles, similarity, words

log = logging.getLogger(__name__)

__all__ = ["DedupeIndex", "mark_comments", "remembered", "run", "shingles", "similarity", "words"]


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


def run(items: Iterable[Any], cfg: Any = None, *, state: DedupeIndex | None = None,
        stats: dict[str, int] | None = None) -> Iterator[Any]:
    """Mark duplicate articles and comments; yield the items in input order.

    ``state`` is the index to check against and add to (a fresh one from ``cfg`` if
    None). ``stats`` (optional dict) receives counts: articles, exact, near.
    """
    index = state if state is not None else DedupeIndex.from_config(cfg)
    batch_size = int(cfg.get("dedupe", "batch_size", 1000)) if cfg is not None else 1000
    counts = stats if stats is not None else {}
    for key in ("articles", "exact", "near"):
        counts.setdefault(key, 0)
    it = iter(items)
    while True:
        batch = list(islice(it, max(1, batch_size)))
        if not batch:
            return
        yield from _batch(batch, index, counts)


def _batch(batch: list[Any], index: DedupeIndex, counts: dict[str, int]) -> list[Any]:
    out, order = annotated_batch(batch)
    # Earliest published first (undated last), input order breaks ties.
    order.sort(key=lambda p: (out[p].published or "\uffff", p))
    for pos in order:
        art: AnnotatedArticle = out[pos]
        mark_comments(art.comments)
        chash = art.content_hash or content_hash(art.text)
        if not art.content_hash:
            art.content_hash = chash
        exact_before = index.knows_hash(chash)
        dup = index.check(art.id, art.text, published=art.published, chash=chash)
        counts["articles"] += 1
        if dup is not None and dup != art.id:
            art.duplicate_of = dup
            counts["exact" if exact_before else "near"] += 1
        else:
            art.duplicate_of = None
    return out
