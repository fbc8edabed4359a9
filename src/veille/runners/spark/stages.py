"""The stages as the executors run them: ``veille.clean.run``, ``veille.nlp.run`` and the
per-article half of ``veille.dedupe`` over the ``(key, record)`` rows of one partition.

Nothing here decides anything a stage decides: each function feeds a stage (or a stage's
own index) and keeps every record's key.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from typing import Any

from ...config import Config
from ...errors import VeilleError
from ...records import AnnotatedArticle, Article, Failure, RawDocument, content_hash

CLUSTER_DROP = ("dropped", "comments", "paragraphs")  # fields the cluster stage never reads


def keyed(stage: Callable[[Iterable[Any]], Iterable[Any]], rows: Iterable[tuple[Any, Any]]
          ) -> Iterator[tuple[Any, Any]]:
    """Run a 1:1 stage over ``(key, record)`` rows, keeping each record's key."""
    keys: deque = deque()

    def feed():
        for key, rec in rows:
            keys.append((key, getattr(rec, "id", None)))
            yield rec

    for out in stage(feed()):
        key, rid = keys.popleft()
        if rid is not None and getattr(out, "id", rid) != rid and not isinstance(out, Failure):
            raise VeilleError(f"a stage changed the order of its records ({rid} became {out.id})")
        yield key, out
    if keys:
        raise VeilleError(f"a stage returned fewer records than it was given ({len(keys)} missing)")


def site(doc: Any) -> str:
    """The clean stage's site of a document ("" for a failure): one site, one partition."""
    from ... import clean

    return clean.site_of(doc) if isinstance(doc, RawDocument) else ""


def clean_partition(rows: Iterable[tuple[tuple[str, tuple[int, int]], Any]], cfg: Config):
    """Rows keyed ``(site, order)``, sorted: the clean stage over them, keyed by order."""
    from ... import clean

    pairs = ((order, rec) for (_site_key, order), rec in rows)
    yield from keyed(lambda items: clean.run(items, cfg), pairs)


def nlp_partition(rows: Iterable[tuple[tuple[int, int], Any]], cfg: Config):
    from ... import nlp

    yield from keyed(lambda items: nlp.run(items, cfg), rows)


def signature_partition(rows: Iterable[tuple[Any, Any]], cfg: Config):
    """After nlp: the per-article half of the dedupe stage (comment duplicates, content hash)
    and the article's MinHash signature ``(size, hash values)``, made by the dedupe index
    itself; ``(key, record, signature or None)``."""
    from ...dedupe import DedupeIndex, mark_comments

    index = DedupeIndex.from_config(cfg)
    for key, rec in rows:
        sig = None
        if isinstance(rec, Article):
            if not isinstance(rec, AnnotatedArticle):
                rec = AnnotatedArticle.from_article(rec)
            mark_comments(rec.comments)
            rec.content_hash = rec.content_hash or content_hash(rec.text)
            made = index.signature(rec.text)
            if made is not None:
                sig = (made[0], tuple(int(v) for v in made[1]))
        yield key, rec, sig


def score_partition(rows: Iterable[tuple[str, str, Any, Any]], cfg: Config):
    """The dedupe index's own similarity for candidate pairs ``(a, b, sig_a, sig_b)``; the
    pairs at or above its threshold as ``(a, b, score)``."""
    import numpy as np

    from ...dedupe import DedupeIndex, similarity

    threshold = DedupeIndex.from_config(cfg).threshold
    for a, b, (size_a, hv_a), (size_b, hv_b) in rows:
        score = similarity(np.array(hv_a, dtype=np.uint64), size_a, np.array(hv_b, dtype=np.uint64), size_b)
        if score >= threshold:
            yield a, b, float(score)


def compact(rec: AnnotatedArticle) -> AnnotatedArticle:
    """A copy of the article without the fields the cluster stage does not read."""
    data = {f.name: getattr(rec, f.name) for f in fields(AnnotatedArticle) if f.name not in CLUSTER_DROP}
    return AnnotatedArticle(**data)


__all__ = ["clean_partition", "compact", "keyed", "nlp_partition", "score_partition", "signature_partition",
           "site"]
