"""The persistent duplicate index: exact content hashes and MinHash signatures.

Exact duplicates share ``content_hash`` (case and whitespace normalised). Near
duplicates are found with MinHash LSH over word shingles: the LSH band search is
tuned to a *lower* threshold than ``dedupe.threshold`` so that it finds candidates,
and each candidate is then accepted when the estimated Jaccard similarity **or** the
estimated containment of the smaller text in the larger one reaches
``dedupe.threshold`` (see :func:`similarity`). Containment is what catches a syndicated copy that kept an
extra paragraph of boilerplate, or a short version of a longer wire story.

The index remembers a sliding window of days, not the whole corpus, so that its
memory stays flat however many articles go through: its *clock* is the newest
publication day seen so far, and an article is forgotten once its day falls more
than ``dedupe.window_days`` before the clock (an undated article counts for the
clock's day when it arrives). The rule, written once in :func:`remembered`, reads:
an article can be marked as a copy only of an article still remembered after its
own day moved the clock. ``window_days = 0`` remembers everything.
"""
from __future__ import annotations

import base64
import heapq
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..config import Config, DedupeSettings
from ..errors import ConfigError
from ..records import day_of
from ..text import words

log = logging.getLogger(__name__)

_FORMAT = 2
CANDIDATE_RATIO = 1 / 3
"""The LSH looks for candidates at this share of ``dedupe.threshold`` (each is then scored).
Low because a trimmed or extended copy is found by its containment, while the LSH bands
see Jaccard similarity: a text wholly contained in one 2.5 times its length has a Jaccard
similarity of 0.4 only."""


def shingles(text: str, size: int) -> set[str]:
    """The set of ``size``-word shingles of ``text`` (the whole text if shorter)."""
    w = words(text)
    if len(w) <= size:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + size]) for i in range(len(w) - size + 1)}


def remembered(day: int | None, clock: int | None, window_days: float) -> bool:
    """Whether an article counted for ``day`` is still in a window of ``window_days``
    days ending at ``clock`` (the newest day seen). Undated before any clock: kept."""
    if not window_days or day is None or clock is None:
        return True
    return day >= clock - window_days


def similarity(hv_a: np.ndarray, size_a: int, hv_b: np.ndarray, size_b: int) -> float:
    """max(estimated Jaccard, estimated containment of the smaller set in the other) of two
    signatures (MinHash hash values) of shingle sets of ``size_a`` and ``size_b`` elements.

    Containment of A in B is read from the permutations whose minimum over A ∪ B falls in
    A: the share of those where it falls in B too (equal minimums) estimates |A ∩ B| / |A|,
    and a text wholly contained in the other scores exactly 1.0 (its minimum is never
    below the other's).
    """
    same = hv_a == hv_b
    j = float(np.count_nonzero(same)) / len(hv_a)
    if min(size_a, size_b) <= 0:
        return j
    small, large = (hv_a, hv_b) if size_a <= size_b else (hv_b, hv_a)
    in_small = np.count_nonzero(same) + np.count_nonzero(small < large)
    if not in_small:
        return j
    return max(j, float(np.count_nonzero(same)) / in_small)


def pack(hashvalues: np.ndarray | None) -> str | None:
    """A signature as text for JSON (base64 of the little-endian 64-bit values)."""
    if hashvalues is None:
        return None
    return base64.b64encode(np.asarray(hashvalues, dtype="<u8").tobytes()).decode("ascii")


def unpack(text: str | list[int] | None) -> np.ndarray | None:
    """The signature saved by :func:`pack` (a list of integers is read too)."""
    if text is None:
        return None
    if isinstance(text, list):
        return np.array(text, dtype=np.uint64)
    return np.frombuffer(base64.b64decode(text), dtype="<u8").astype(np.uint64)


@dataclass(slots=True)
class Entry:
    """What the index remembers of one article."""

    id: str
    published: str | None
    seen: int  # order in which the index first saw it
    root: str  # id of the earliest copy of its duplicate group (itself if original)
    root_key: tuple[str, int]  # that earliest copy's key(), kept when it is forgotten
    day: int | None = None  # the day it counts for in the window
    chash: str = ""
    size: int = 0  # number of shingles
    hashvalues: np.ndarray | None = None  # MinHash signature (uint64), None for exact copies

    def key(self) -> tuple[str, int]:
        # Undated articles sort after dated ones; ties go to the first seen.
        return (self.published or "\uffff", self.seen)


class DedupeIndex:
    """Exact and near-duplicate memory over a sliding window of days.

    ``check(id, text, published, content_hash)`` returns the id of the earliest known
    copy (or None) and remembers the article. ``to_dict()``/``from_dict()`` give a
    JSON-ready form (signatures packed as base64) for the store.
    """

    def __init__(self, settings: DedupeSettings, *, candidate_ratio: float = CANDIDATE_RATIO):
        self.threshold = float(settings.threshold)
        self.num_perm = int(settings.num_perm)
        self.shingle = int(settings.shingle)
        self.candidate_ratio = float(candidate_ratio)
        self.window_days = float(settings.window_days)
        self._template = MinHash(num_perm=self.num_perm, seed=1)
        self._lsh = MinHashLSH(threshold=max(0.1, self.threshold * self.candidate_ratio),
                               num_perm=self.num_perm)
        self._entries: dict[str, Entry] = {}
        self._by_hash: dict[str, str] = {}
        self._queue: list[tuple[int, int, str]] = []  # (day, seen, id): next to forget first
        self._seen = 0
        self.clock: int | None = None
        self.forgotten = 0

    @classmethod
    def from_config(cls, cfg: Config) -> DedupeIndex:
        return cls(cfg.dedupe)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._entries

    def root_of(self, article_id: str) -> str | None:
        e = self._entries.get(article_id)
        return e.root if e else None

    def knows_hash(self, chash: str) -> bool:
        """Whether an article with this content hash is remembered (as an original)."""
        return chash in self._by_hash

    @property
    def bands(self) -> list[tuple[int, int]]:
        """The LSH bands, as (start, end) slices of a signature."""
        return list(self._lsh.hashranges)

    def signature(self, text: str) -> tuple[int, np.ndarray] | None:
        """(number of shingles, MinHash hash values) of ``text``, or None when it has no words."""
        grams = shingles(text, self.shingle)
        if not grams:
            return None
        m = MinHash(num_perm=self.num_perm, seed=1, permutations=self._template.permutations,
                    scheme=self._template.scheme)
        m.update_batch([g.encode("utf-8") for g in grams])
        return len(grams), m.hashvalues

    def _as_minhash(self, hashvalues: np.ndarray) -> MinHash:
        return MinHash(num_perm=self.num_perm, seed=1, permutations=self._template.permutations,
                       scheme=self._template.scheme, hashvalues=hashvalues)

    def _tick(self, day: int | None) -> None:
        """Move the clock to ``day`` if it is newer and forget what falls out of the window."""
        if day is not None and (self.clock is None or day > self.clock):
            self.clock = day
        if not self.window_days or self.clock is None:
            return
        while self._queue and not remembered(self._queue[0][0], self.clock, self.window_days):
            _, _, art_id = heapq.heappop(self._queue)
            self._forget(art_id)

    def _forget(self, art_id: str) -> None:
        e = self._entries.pop(art_id, None)
        if e is None:
            return
        self.forgotten += 1
        if e.chash and self._by_hash.get(e.chash) == art_id:
            del self._by_hash[e.chash]
        if e.hashvalues is not None and e.size:
            self._lsh.remove(art_id)

    def _remember(self, e: Entry) -> None:
        """Hold ``e`` (already in the hash map and the LSH if it belongs there) until it
        leaves the window, which may be at once for an article older than the window."""
        self._entries[e.id] = e
        if e.day is not None:
            heapq.heappush(self._queue, (e.day, e.seen, e.id))
            self._tick(None)

    def check(self, article_id: str, text: str = "", *, published: str | None = None, chash: str = "",
              candidates: Iterable[tuple[str, float]] | None = None, size: int = 0) -> str | None:
        """The id of the earliest remembered copy of this article, or None.

        The article is remembered either way. Checking an id the index still holds
        returns what it returned the first time (re-runs change nothing).

        Near-copy candidates come from the index's own LSH over the MinHash signature of
        ``text``; an engine that found and scored them elsewhere (the Spark engine's
        banded join, over the same bands) passes them instead as ``candidates``, ``(id,
        score)`` pairs, with ``size`` the article's number of shingles (0: no words), and
        the index then keeps no signature (see :meth:`unsigned`). Either way one rule
        decides: an exact copy (same ``chash``) takes the root of the remembered article
        with that hash; otherwise the best-scoring remembered candidate at or above the
        threshold, ties to the earliest root, gives its root.
        """
        known = self._entries.get(article_id)
        if known is not None:
            return None if known.root == article_id else known.root
        day = day_of(published)
        self._tick(day)
        self._seen += 1
        entry = Entry(article_id, published, self._seen, article_id, ("", 0),
                      day if day is not None else self.clock, chash)
        entry.root_key = entry.key()
        if chash and chash in self._by_hash:
            first = self._entries[self._by_hash[chash]]
            entry.root, entry.root_key = first.root, first.root_key
            self._remember(entry)
            return entry.root
        if candidates is None:
            sig = self.signature(text)
            if sig is not None:
                entry.size, entry.hashvalues = sig
                candidates = self._lsh_candidates(entry.hashvalues, entry.size)
        else:
            entry.size = int(size)
        best = self._best(candidates) if entry.size else None
        if best is not None:
            entry.root, entry.root_key = best.root, best.root_key
        if chash:
            self._by_hash.setdefault(chash, article_id)
        if entry.hashvalues is not None:
            self._lsh.insert(article_id, self._as_minhash(entry.hashvalues), check_duplication=False)
        self._remember(entry)
        return None if entry.root == article_id else entry.root

    def _lsh_candidates(self, hashvalues: np.ndarray, size: int) -> Iterator[tuple[str, float]]:
        for cand in self._lsh.query(self._as_minhash(hashvalues)):
            yield cand, self._similarity(hashvalues, size, self._entries[cand])

    def _best(self, candidates: Iterable[tuple[str, float]] | None) -> Entry | None:
        """The remembered article with words that scores highest at or above the threshold
        (ties: the earliest root)."""
        best: Entry | None = None
        best_score = 0.0
        for cand, score in candidates or ():
            other = self._entries.get(cand)
            if other is None or not other.size or score < self.threshold:
                continue
            if best is None or score > best_score or (score == best_score and other.root_key < best.root_key):
                best, best_score = other, score
        return best

    def unsigned(self) -> list[str]:
        """Remembered articles with words whose signature the index does not hold (it was
        given their candidates instead), oldest first: what :meth:`sign` needs before the
        index is saved."""
        return [e.id for e in sorted(self._entries.values(), key=lambda e: e.seen)
                if e.size and e.hashvalues is None]

    def sign(self, signatures: Iterable[tuple[str, np.ndarray | str]]) -> None:
        """Give remembered articles their signatures (``(id, hash values)``, or the text of
        :func:`pack`), so that the saved index finds their copies as a local run's would."""
        for art_id, hv in signatures:
            e = self._entries.get(art_id)
            if e is None or not e.size or e.hashvalues is not None:
                continue
            e.hashvalues = unpack(hv) if isinstance(hv, str) else np.asarray(hv, dtype=np.uint64)
            self._lsh.insert(art_id, self._as_minhash(e.hashvalues), check_duplication=False)

    @staticmethod
    def _similarity(hv: np.ndarray, size: int, other: Entry) -> float:
        if other.hashvalues is None:
            return 0.0
        return similarity(hv, size, other.hashvalues, other.size)

    # -- persistence -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of what the index remembers."""
        return {
            "format": _FORMAT,
            "threshold": self.threshold, "num_perm": self.num_perm, "shingle": self.shingle,
            "candidate_ratio": self.candidate_ratio, "window_days": self.window_days,
            "seen": self._seen, "clock": self.clock,
            "entries": [[e.id, e.published, e.seen, e.root, list(e.root_key), e.day, e.chash, e.size,
                         pack(e.hashvalues)] for e in sorted(self._entries.values(), key=lambda e: e.seen)],
            "hashes": dict(self._by_hash),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, cfg: Config | None = None) -> DedupeIndex:
        """Rebuild an index saved with :meth:`to_dict`. ``cfg`` (optional) gives the
        threshold and window, else the saved ones are kept; shingles and permutations stay
        those the signatures were made with."""
        fmt = data.get("format")
        if fmt != _FORMAT:
            raise ConfigError(f"unknown duplicate index format {fmt!r}; "
                              "delete the saved index to rebuild it from the articles")
        settings = cfg.dedupe if cfg is not None else replace(
            Config().dedupe, threshold=data["threshold"], window_days=data["window_days"])
        for name in ("num_perm", "shingle"):
            if cfg is not None and getattr(settings, name) != data[name]:
                log.warning("the saved duplicate index was made with dedupe.%s = %s, not %s: keeping %s "
                            "(delete the saved state to change it)", name, data[name], getattr(settings, name),
                            data[name])
        idx = cls(replace(settings, num_perm=data["num_perm"], shingle=data["shingle"]),
                  candidate_ratio=data["candidate_ratio"])
        idx._seen = int(data.get("seen", 0))
        idx.clock = data.get("clock")
        for art_id, published, seen, root, root_key, day, chash, size, hv in data.get("entries", []):
            e = Entry(art_id, published, int(seen), root, (root_key[0], int(root_key[1])), day, chash,
                      int(size), unpack(hv))
            if e.hashvalues is not None and e.size:
                idx._lsh.insert(art_id, idx._as_minhash(e.hashvalues), check_duplication=False)
            idx._entries[art_id] = e
            if e.day is not None:
                idx._queue.append((e.day, e.seen, e.id))
        heapq.heapify(idx._queue)
        idx._by_hash = {h: i for h, i in data.get("hashes", {}).items() if i in idx._entries}
        idx._tick(None)
        return idx
