"""Cluster stage: online story clustering, then story views (summaries, source chains,
mirrored narratives).

``run(items, cfg, state=...)`` sets ``AnnotatedArticle.story`` and yields the items in
input order. It reads a batch at a time and adds the batch's articles to the
:class:`StoryIndex` in publication order (undated articles after the dated ones, in
input order), so each article joins the best story already open or founds a new one.
A duplicate (``duplicate_of`` set by the dedupe stage) joins its original's story.

Settings (``[cluster]``), see README "Stories": ``threshold``, ``window_days``,
``actor_weight``, ``event_weight``, ``title_weight``, ``fade``, ``link_members``,
``candidates``, ``late_days``, ``batch_size``, ``stopwords``.

Between batches the stage closes the stories that can no longer be joined
(:meth:`StoryIndex.close_faded`); whoever saves stories collects them with
``state.take_closed()``, so that memory holds the open stories only.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from ..config import Config
from ..records import annotated_batch, day_of
from .index import StoryIndex
from .views import mirror_links, story_summary

__all__ = ["StoryIndex", "day_of", "mirror_links", "run", "story_summary"]


def run(items: Iterable[Any], cfg: Config, *, state: StoryIndex | None = None) -> Iterator[Any]:
    """Assign a story to every article; yield items in input order.

    ``state`` is the index to add to (a fresh one from ``cfg`` if None); keep it to add
    later articles to the same stories, and save it with ``state.to_dict()``.
    """
    index = state if state is not None else StoryIndex.from_config(cfg)
    it = iter(items)
    while True:
        batch = list(islice(it, cfg.cluster.batch_size))
        if not batch:
            return
        # Every article of the stories closed here has been passed on already.
        index.close_faded()
        yield from _batch(batch, index)


def _batch(batch: list[Any], index: StoryIndex) -> list[Any]:
    out, positions = annotated_batch(batch)
    dated, undated = [], []
    for pos in positions:
        (dated if day_of(out[pos].published) is not None else undated).append(pos)
    dated.sort(key=lambda p: (out[p].published, p))
    for pos in dated + undated:
        out[pos].story = index.add(out[pos])
    return out
