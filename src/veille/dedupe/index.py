"""The persistent duplicate index: exact content hashes and MinHash signatures.

Exact duplicates share ``content_hash`` (case and whitespace normalised). Near
duplicates are found with MinHash LSH over word shingles: the LSH band search is
tuned to a *lower* threshold than ``dedupe.threshold`` so that it finds candidates,
and each candidate is then accepted when the estimated Jaccard similarity **or** the
estimated containment of the smaller text in the larger one reaches
``dedupe.threshold`` (see :func:`similarity`). Containment is what catches a syndicated copy that kept an
extra paragraph of boilerplate, or a short version of a longer wire story.

Windows are measured from each article's own publication day, whatever the order in
which articles arrive: an article is compared with the remembered articles published
within ``dedupe.window_days`` of its day (before or after it), so an archive read out of
order finds the same copies as one read in order. An undated article counts for the day
of the dated article read just before it. The rule is written once, in :func:`near_in_time`.

Exact copies (same content hash) are found at any distance: in memory first, then, when
the index was given one (:attr:`DedupeIndex.stored`), through a look-up of the hashes
already stored (the store's ``content_hash`` column is indexed for it).

Memory stays flat: the articles of one publication day are let go once none of the last
``dedupe.recent`` articles read was published within ``window_days`` of that day (a
stream read in date order thus keeps about a window of days); undated articles read
before any dated one, once ``recent`` articles came after them. ``window_days = 0``
compares every article with every remembered one and forgets nothing.
"""
from __future__ import annotations

import base64
import logging
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..config import Config, DedupeSettings
from ..errors import ConfigError
from ..records import day_of
from ..text import words

log = logging.getLogger(__name__)

_FORMAT = 3
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


def near_in_time(day: int | None, other: int | None, window_days: float) -> bool:
    """Whether articles counted for ``day`` and ``other`` are close enough in time to be
    compared: at most ``window_days`` apart (0: always; an unknown day: always)."""
    if not window_days or day is None or other is None:
        return True
    return abs(day - other) <= window_days


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
    day: int | None = None  # the day it counts for in the windows
    chash: str = ""
    size: int = 0  # number of shingles
    hashvalues: np.ndarray | None = None  # MinHash signature (uint64), None for exact copies

    def key(self) -> tuple[str, int]:
        # Undated articles sort after dated ones; ties go to the first seen.
        return (self.published or "\uffff", self.seen)


@dataclass(slots=True, frozen=True)
class Verdict:
    """The duplicate decision for one article: ``of`` the earliest known copy (None: an
    original), ``kind`` "exact" or "near", and for a near copy much shorter or longer than
    the article it matched (a cut or extended version), ``longer`` the id of the longer
    of the two."""

    of: str | None = None
    kind: str | None = None
    longer: str | None = None


ORIGINAL = Verdict()

HashLookup = Callable[[str], "str | None"]
"""Content hash -> id of the original of the stored articles with that hash, or None."""


class DedupeIndex:
    """Exact and near-duplicate memory over windows of days around each article's date.

    ``check(id, text, published, content_hash)`` returns the id of the earliest known
    copy (or None) and remembers the article (:meth:`decide` says more). ``stored``
    (optional) looks up content hashes beyond memory. ``to_dict()``/``from_dict()`` give
    a JSON-ready form (signatures packed as base64) for the store.
    """

    def __init__(self, settings: DedupeSettings, *, candidate_ratio: float = CANDIDATE_RATIO):
        self.threshold = float(settings.threshold)
        self.num_perm = int(settings.num_perm)
        self.shingle = int(settings.shingle)
        self.candidate_ratio = float(candidate_ratio)
        self.window_days = float(settings.window_days)
        self.recent = max(int(settings.recent), int(settings.batch_size))
        self._template = MinHash(num_perm=self.num_perm, seed=1)
        self._lsh = MinHashLSH(threshold=max(0.1, self.threshold * self.candidate_ratio),
                               num_perm=self.num_perm)
        self._entries: dict[str, Entry] = {}
        self._by_hash: dict[str, str] = {}
        # day -> [last arrival (seen) near it, ids counted for it]; least recently used first
        self._days: OrderedDict[int, list[Any]] = OrderedDict()
        self._undated: deque[tuple[int, str]] = deque()  # (seen, id): read before any dated article
        self._seen = 0
        self.current: int | None = None  # the day of the last dated article read
        self.forgotten = 0
        self.stored: HashLookup | None = None

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

    # -- memory ----------------------------------------------------------------------
    def _touch(self, day: int | None) -> None:
        """An article of ``day`` arrives: the days within the window of it are used now;
        days no article of the last ``recent`` ones came near are let go."""
        if not self.window_days:
            return
        if day is not None:
            w = int(self.window_days)
            if len(self._days) <= 2 * w + 1:
                near = [d for d in self._days if abs(d - day) <= w]
            else:
                near = [d for d in range(day - w, day + w + 1) if d in self._days]
            for d in near:
                self._days[d][0] = self._seen
                self._days.move_to_end(d)
        while self._days:
            d, (last, _ids) = next(iter(self._days.items()))
            if last > self._seen - self.recent:
                break
            for art_id in self._days.pop(d)[1]:
                self._forget(art_id)
        while self._undated and self._undated[0][0] <= self._seen - self.recent:
            self._forget(self._undated.popleft()[1])

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
        """Hold ``e`` (already in the hash map and the LSH if it belongs there) until its
        day is let go."""
        self._entries[e.id] = e
        if self.window_days and e.day is None:
            self._undated.append((e.seen, e.id))
        elif self.window_days:
            if e.day in self._days:
                self._days[e.day][1].append(e.id)
            else:
                self._days[e.day] = [self._seen, [e.id]]
            self._days.move_to_end(e.day)

    # -- the decision ----------------------------------------------------------------
    def check(self, article_id: str, text: str = "", *, published: str | None = None, chash: str = "",
              candidates: Iterable[tuple[str, float]] | None = None, size: int = 0) -> str | None:
        """The id of the earliest known copy of this article, or None (see :meth:`decide`)."""
        return self.decide(article_id, text, published=published, chash=chash, candidates=candidates,
                           size=size).of

    def decide(self, article_id: str, text: str = "", *, published: str | None = None, chash: str = "",
               candidates: Iterable[tuple[str, float]] | None = None, size: int = 0) -> Verdict:
        """Whether this article copies a known one, and which (a :class:`Verdict`).

        The article is remembered either way. Deciding on an id the index still holds
        gives what it gave the first time (re-runs change nothing).

        Near-copy candidates come from the index's own LSH over the MinHash signature of
        ``text``; an engine that found and scored them elsewhere (the Spark engine's
        banded join, over the same bands) passes them instead as ``candidates``, ``(id,
        score)`` pairs, with ``size`` the article's number of shingles (0: no words), and
        the index then keeps no signature (see :meth:`unsigned`). Either way one rule
        decides: an exact copy (same ``chash``) takes the root of the remembered article
        with that hash, else of the stored one (:attr:`stored`); otherwise the
        best-scoring remembered candidate published within the window of this article's
        day (:func:`near_in_time`), at or above the threshold, ties to the earliest root,
        gives its root.
        """
        known = self._entries.get(article_id)
        if known is not None:
            return ORIGINAL if known.root == article_id else Verdict(known.root, "near")
        day = day_of(published)
        if day is None:
            day = self.current
        else:
            self.current = day
        self._seen += 1
        self._touch(day)
        entry = Entry(article_id, published, self._seen, article_id, ("", 0), day, chash)
        entry.root_key = entry.key()
        root = self._exact(chash, article_id)
        if candidates is None:
            sig = self.signature(text)
            if sig is not None:
                entry.size, entry.hashvalues = sig
                if root is None:
                    candidates = self._lsh_candidates(entry.hashvalues, entry.size)
        else:
            entry.size = int(size)
        # An exact copy keeps its signature too: near copies published around its own day
        # find it there.
        best = self._best(candidates, day) if entry.size and root is None else None
        verdict = ORIGINAL
        if root is not None:
            entry.root, entry.root_key = root
            verdict = Verdict(entry.root, "exact") if entry.root != article_id else ORIGINAL
        elif best is not None:
            entry.root, entry.root_key = best.root, best.root_key
            small, large = sorted((entry.size, best.size))
            longer = None
            if small < self.threshold * large:  # Jaccard alone could not reach the threshold
                longer = article_id if entry.size > best.size else best.id
            verdict = Verdict(best.root, "near", longer) if best.root != article_id else ORIGINAL
        if chash:
            self._by_hash.setdefault(chash, article_id)
        if entry.hashvalues is not None:
            self._lsh.insert(article_id, self._as_minhash(entry.hashvalues), check_duplication=False)
        self._remember(entry)
        return verdict

    def _exact(self, chash: str, article_id: str) -> tuple[str, tuple[str, int]] | None:
        """(root, root key) of a known article with this content hash: remembered, else stored."""
        if not chash:
            return None
        if chash in self._by_hash:
            first = self._entries[self._by_hash[chash]]
            return first.root, first.root_key
        if self.stored is not None:
            root = self.stored(chash)
            if root is not None and root != article_id:
                return root, ("", 0)
        return None

    def _lsh_candidates(self, hashvalues: np.ndarray, size: int) -> Iterator[tuple[str, float]]:
        for cand in self._lsh.query(self._as_minhash(hashvalues)):
            yield cand, self._similarity(hashvalues, size, self._entries[cand])

    def _best(self, candidates: Iterable[tuple[str, float]] | None, day: int | None) -> Entry | None:
        """The remembered article with words, published within the window of ``day``, that
        scores highest at or above the threshold (ties: the earliest root)."""
        best: Entry | None = None
        best_score = 0.0
        for cand, score in candidates or ():
            other = self._entries.get(cand)
            if other is None or not other.size or score < self.threshold:
                continue
            if not near_in_time(day, other.day, self.window_days):
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
            "seen": self._seen, "current": self.current,
            "days": [[d, last] for d, (last, _ids) in self._days.items()],
            "entries": [[e.id, e.published, e.seen, e.root, list(e.root_key), e.day, e.chash, e.size,
                         pack(e.hashvalues)] for e in sorted(self._entries.values(), key=lambda e: e.seen)],
            "hashes": dict(self._by_hash),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, cfg: Config | None = None) -> DedupeIndex:
        """Rebuild an index saved with :meth:`to_dict` (or by the version before, whose
        days all count as used now). ``cfg`` (optional) gives the threshold and windows,
        else the saved ones are kept; shingles and permutations stay those the signatures
        were made with."""
        fmt = data.get("format")
        if fmt not in (_FORMAT, 2):
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
        idx.current = data.get("current", data.get("clock"))
        for d, last in data.get("days", []):
            idx._days[int(d)] = [int(last), []]
        for art_id, published, seen, root, root_key, day, chash, size, hv in data.get("entries", []):
            e = Entry(art_id, published, int(seen), root, (root_key[0], int(root_key[1])), day, chash,
                      int(size), unpack(hv))
            if e.hashvalues is not None and e.size:
                idx._lsh.insert(art_id, idx._as_minhash(e.hashvalues), check_duplication=False)
            idx._entries[art_id] = e
            if idx.window_days and e.day is None:
                idx._undated.append((e.seen, art_id))
            elif idx.window_days:
                if e.day not in idx._days:
                    idx._days[e.day] = [idx._seen, []]
                idx._days[e.day][1].append(art_id)
        idx._by_hash = {h: i for h, i in data.get("hashes", {}).items() if i in idx._entries}
        idx._touch(None)
        return idx
