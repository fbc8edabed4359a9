"""Duplicates on Spark: candidates found on the executors, decided on the driver.

As in datatrove's MinHash deduplication, the executors compute the MinHash signatures
(with the dedupe index's own shingling and permutations), group the articles sharing a
band of the index's own LSH, and score each candidate pair with the index's own
similarity. The driver then replays the dedupe stage over the stream, in the stage's
batches and order, with :func:`veille.dedupe.replay`: the very rule
(:meth:`veille.dedupe.DedupeIndex.check`) a local run applies, fed with those scored
candidates instead of its own LSH. The driver holds what a local run's index holds
(the articles of the window), not the signatures of the corpus.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ... import dedupe
from ...config import Config
from ..chunks import chunks
from .stages import score_partition


@dataclass(slots=True)
class Meta:
    """What the driver keeps of one stream item: its key and, for an article, what the
    duplicate decision reads of it (None for a failure)."""

    key: tuple[int, int]
    sketch: dedupe.Sketch | None


def near_duplicate_edges(sigs, eligible: set[str], cfg: Config, sc) -> dict[str, list[tuple[str, float]]]:
    """Pairs of eligible articles that share an LSH band and score at or above the threshold,
    as ``{id: [(other id, score), ...]}``.

    ``sigs`` is an RDD of ``(id, (size, hashvalues))``. Bands are those of the dedupe
    index's own LSH (same number of bands and rows), so the candidates are the ones the
    local run's LSH returns.
    """
    ranges = dedupe.DedupeIndex.from_config(cfg).bands
    if len(eligible) < 2:
        return {}
    parts = max(2, sc.defaultParallelism)
    keep = sc.broadcast(eligible)
    elig = sigs.filter(lambda t: t[0] in keep.value)

    def bands(t):
        aid, (_size, hv) = t
        for b, (s, e) in enumerate(ranges):
            yield (b, *hv[s:e]), aid

    def pairs(members):
        ids = sorted(set(members))
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                yield a, b

    cand = elig.flatMap(bands).groupByKey(parts).flatMap(lambda kv: pairs(kv[1])).distinct(parts)
    scored = (cand.join(elig, parts).map(lambda t: (t[1][0], (t[0], t[1][1])))
              .join(elig, parts)
              .map(lambda t: (t[1][0][0], t[0], t[1][0][1], t[1][1]))
              .mapPartitions(lambda rows: score_partition(rows, cfg)))
    edges: dict[str, list[tuple[str, float]]] = {}
    for a, b, score in scored.collect():
        edges.setdefault(a, []).append((b, score))
        edges.setdefault(b, []).append((a, score))
    keep.unpersist()
    return edges


def find_duplicates(annotated, stream: list[Meta], cfg: Config, sc
                    ) -> tuple[dict[str, dedupe.Verdict], dict[str, int], dedupe.DedupeIndex]:
    """``{id: verdict}`` for the copies in ``stream`` (the items a local run's dedupe
    stage would see, in order), the stage's counts, and the index as the stage would leave
    it, signatures included (ready to save). ``annotated`` holds ``(key, record,
    signature)`` rows. The content hashes of the chunks decided before stand for the
    store a local run looks exact copies up in."""
    sketches = [m.sketch for m in stream if m.sketch is not None]  # failures go round the stage
    eligible = {s.id for s in sketches if s.size}
    sigs = annotated.filter(lambda t: t[2] is not None).map(lambda t: (t[1].id, t[2]))
    edges = near_duplicate_edges(sigs, eligible, cfg, sc)
    index = dedupe.DedupeIndex.from_config(cfg)
    decided: dict[str, str] = {}  # content hash -> original, of the chunks decided before
    index.stored = decided.get
    counts: dict[str, int] = {}
    dup_of: dict[str, dedupe.Verdict] = {}
    for chunk in chunks(sketches, cfg):
        verdicts = dict(dedupe.replay(chunk, cfg, state=index, candidates=edges, stats=counts))
        for s in chunk:
            if s is not None and s.id in verdicts:
                decided.setdefault(s.chash, verdicts[s.id].of or s.id)
        dup_of.update((aid, v) for aid, v in verdicts.items() if v.of is not None)
    del edges, decided
    index.stored = None
    _sign(index, annotated, sc)
    return dup_of, counts, index


def _sign(index: dedupe.DedupeIndex, annotated, sc) -> None:
    """Give the index the signatures of the articles it remembers, streamed from the executors."""
    wanted = sc.broadcast(set(index.unsigned()))
    rows: Iterable[tuple[str, Any]] = (annotated.filter(lambda t: t[2] is not None and t[1].id in wanted.value)
                                       .map(lambda t: (t[1].id, t[2][1])).toLocalIterator())
    index.sign(rows)
    wanted.unpersist()


__all__ = ["Meta", "find_duplicates", "near_duplicate_edges"]
