"""How much there is to read, counted before reading: the total behind a progress bar."""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..records import Failure
from .readers import kind_of
from .sources import expand

_FEED_ITEM = re.compile(rb"<(?:\w+:)?(?:item|entry)[\s>/]")

COUNTED_BYTES = 200_000_000
"""Past this many bytes of JSONL and feeds, documents are no longer counted (only bytes)."""


@dataclass(frozen=True)
class Input:
    """One file to read: its name as given, its size in bytes, and the documents it holds
    (None when they cannot be counted cheaply, as in a WARC archive)."""

    source: str
    size: int
    documents: int | None


def survey(sources: Iterable[str], *, follow_symlinks: bool = True,
           counted_bytes: int = COUNTED_BYTES) -> list[Input]:
    """The files ``sources`` name, in the order :func:`~veille.ingest.run` reads them, each
    with its size and, where cheap, its documents: one for a text or HTML file, a line for
    JSONL, an item for a feed (the file read once, up to ``counted_bytes`` in all); None for
    WARC archives. Names that cannot be read are left out (the run reports them)."""
    found: list[Input] = []
    budget = counted_bytes
    for item in expand(sources, follow_symlinks=follow_symlinks):
        if isinstance(item, Failure):
            continue
        given, path = item
        try:
            size = path.stat().st_size
        except OSError:
            continue
        kind = kind_of(path.name)
        documents: int | None = 1
        if kind in ("jsonl", "feed"):
            documents = None
            if size <= budget:
                budget -= size
                documents = _count(path, kind)
        elif kind == "warc":
            documents = None
        found.append(Input(given, size, documents))
    return found


def _count(path: Path, kind: str) -> int | None:
    try:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # gzipped: a bounded part is enough for a count
            data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, COUNTED_BYTES)
    except (OSError, zlib.error):
        return 1  # read as one failure
    if kind == "jsonl":
        return max(1, sum(1 for line in data.splitlines() if line.strip()))
    return max(1, len(_FEED_ITEM.findall(data)))


__all__ = ["Input", "survey"]
