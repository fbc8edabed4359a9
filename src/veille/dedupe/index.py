"""The persistent duplicate index: exact content hashes and MinHash signatures.

Exact duplicates share ``content_hash`` (case and whitespace normalised). Near
duplicates are found with MinHash LSH over word shingles: the LSH band search is
tuned to a *lower* threshold than ``dedupe.threshold`` so that it finds candidates,
and each candidate is then accepted when the estimated Jaccard similarity **or** the
estimated containment of the smaller text in the larger one reaches
``dedupe.threshold``. Containment is what catches a syndicated copy that kept an
extra paragraph of boilerplate, or a short version of a longer wire story.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..errors import ConfigError

_WORD = re.compile(r"\w+", re.UNICODE)
_FORMAT = 1


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words of ``text`` (punctuation and spacing ignored)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def shingles(text: str, size: int) -> set[str]:
    """The set of ``size``-word shingles of ``text`` (the whole text if shorter)."""
    w = words(text)
    if len(w) <= size:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + size]) for i in range(len(w) - size + 1)}


@dataclass(slots=True)
class Entry:
    """What the index remembers of one article."""

    id: str
    published: str | None
    seen: int  # order in which the index first saw it
    root: str  # id of the earliest copy of its duplicate group (itself if original)
    size: int = 0  # number of shingles
    hashvalues: list[int] | None = None

    def key(self) -> tuple[str, int]:
        # Undated articles sort after dated ones; ties go to the first seen.
        return (self.published or "\uffff", self.seen)


class DedupeIndex:
    """Exact and near-duplicate memory that grows across runs.

    ``check(id, text, published, content_hash)`` returns the id of the earliest known
    copy (or None) and remembers the article. ``to_dict()``/``from_dict()`` give a
    JSON-ready form (MinHash hash values as lists of integers) for the store.
    """

    def __init__(self, *, threshold: float = 0.8, num_perm: int = 128, shingle: int = 5,
                 candidate_ratio: float = 0.6):
        if not 0.0 < threshold <= 1.0:
            raise ConfigError(f"dedupe.threshold must be in (0, 1], got {threshold}")
        if num_perm < 16:
            raise ConfigError(f"dedupe.num_perm must be at least 16, got {num_perm}")
        if shingle < 1:
            raise ConfigError(f"dedupe.shingle must be at least 1 word, got {shingle}")
        self.threshold = float(threshold)
        self.num_perm = int(num_perm)
        self.shingle = int(shingle)
        self.candidate_ratio = float(candidate_ratio)
        self._template = MinHash(num_perm=self.num_perm, seed=1)
        self._lsh = MinHashLSH(threshold=max(0.1, self.threshold * self.candidate_ratio),
                               num_perm=self.num_perm)
        self._entries: dict[str, Entry] = {}
        self._by_hash: dict[str, str] = {}
        self._seen = 0

    @classmethod
    def from_config(cls, cfg: Any) -> DedupeIndex:
        sec = cfg.section("dedupe") if cfg is not None else {}
        return cls(threshold=sec.get("threshold", 0.8), num_perm=sec.get("num_perm", 128),
                   shingle=sec.get("shingle", 5))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._entries

    def root_of(self, article_id: str) -> str | None:
        e = self._entries.get(article_id)
        return e.root if e else None

    def _minhash(self, grams: set[str]) -> MinHash:
        m = MinHash(num_perm=self.num_perm, seed=1, permutations=self._template.permutations,
                    scheme=self._template.scheme)
        if grams:
            m.update_batch([g.encode("utf-8") for g in grams])
        return m

    def _restore(self, hashvalues: list[int]) -> MinHash:
        return MinHash(num_perm=self.num_perm, seed=1, permutations=self._template.permutations,
                       scheme=self._template.scheme,
                       hashvalues=np.array(hashvalues, dtype=self._template.hashvalues.dtype))

    def check(self, article_id: str, text: str, *, published: str | None = None,
              chash: str = "") -> str | None:
        """The id of the earliest earlier-known copy of this article, or None.

        The article is remembered either way. Checking an id the index already holds
        returns what it returned the first time (re-runs change nothing).
        """
        known = self._entries.get(article_id)
        if known is not None:
            return None if known.root == article_id else known.root
        self._seen += 1
        entry = Entry(article_id, published, self._seen, article_id)
        if chash and chash in self._by_hash:
            entry.root = self._entries[self._by_hash[chash]].root
            self._entries[article_id] = entry
            return entry.root
        grams = shingles(text, self.shingle)
        entry.size = len(grams)
        m = self._minhash(grams)
        best, best_score = None, 0.0
        if grams:
            for cand in self._lsh.query(m):
                other = self._entries[cand]
                score = self._similarity(m, entry.size, other)
                if score < self.threshold:
                    continue
                if (best is None or score > best_score
                        or (score == best_score and self._entries[other.root].key()
                            < self._entries[best.root].key())):
                    best, best_score = other, score
        if best is not None:
            entry.root = best.root
        entry.hashvalues = [int(v) for v in m.hashvalues]
        self._entries[article_id] = entry
        if chash:
            self._by_hash.setdefault(chash, article_id)
        if grams:
            self._lsh.insert(article_id, m, check_duplication=False)
        return None if entry.root == article_id else entry.root

    def _similarity(self, m: MinHash, size: int, other: Entry) -> float:
        """max(estimated Jaccard, estimated containment of the smaller set)."""
        if other.hashvalues is None:
            return 0.0
        j = float(np.count_nonzero(m.hashvalues == np.asarray(other.hashvalues, dtype=m.hashvalues.dtype))
                   ) / self.num_perm
        small = min(size, other.size)
        if small <= 0:
            return j
        # |A ∩ B| = J (|A| + |B|) / (1 + J); containment = |A ∩ B| / min(|A|, |B|).
        inter = j * (size + other.size) / (1.0 + j)
        return max(j, min(1.0, inter / small))

    # -- persistence -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the whole index."""
        return {
            "format": _FORMAT,
            "threshold": self.threshold, "num_perm": self.num_perm, "shingle": self.shingle,
            "candidate_ratio": self.candidate_ratio, "seen": self._seen,
            "entries": [[e.id, e.published, e.seen, e.root, e.size, e.hashvalues]
                        for e in self._entries.values()],
            "hashes": dict(self._by_hash),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DedupeIndex:
        """Rebuild an index saved with :meth:`to_dict`."""
        if data.get("format") != _FORMAT:
            raise ConfigError(f"unknown duplicate index format {data.get('format')!r}; "
                              "delete the saved index to rebuild it from the articles")
        idx = cls(threshold=data["threshold"], num_perm=data["num_perm"], shingle=data["shingle"],
                  candidate_ratio=data.get("candidate_ratio", 0.6))
        idx._seen = int(data.get("seen", 0))
        for art_id, published, seen, root, size, hv in data.get("entries", []):
            e = Entry(art_id, published, int(seen), root, int(size), hv)
            idx._entries[art_id] = e
            if hv is not None and size:
                idx._lsh.insert(art_id, idx._restore(hv), check_duplication=False)
        idx._by_hash = dict(data.get("hashes", {}))
        return idx
