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
_WARC_PAGE = re.compile(rb"^WARC-Type: *(?:response|resource)\r?$", re.MULTILINE)

COUNTED_BYTES = 200_000_000
"""Past this many bytes of JSONL and feeds, documents are no longer counted (only bytes)."""


@dataclass(frozen=True)
class Input:
    """One file to read: its name as given, its size in bytes, and the documents it holds
    (None when they cannot be counted cheaply, as in a WARC archive)."""

    source: str
    size: int
    documents: int | None
    estimate: int | None = None  # for a WARC archive: its response and resource records, an upper bound


def survey(sources: Iterable[str], *, follow_symlinks: bool = True,
           counted_bytes: int = COUNTED_BYTES) -> list[Input]:
    """The files ``sources`` name, in the order :func:`~veille.ingest.run` reads them, each
    with its size and, where cheap, its documents: one for a text or HTML file, a line for
    JSONL, an item for a feed (the file read once, up to ``counted_bytes`` in all); None for
    WARC archives, whose ``estimate`` is their response and resource records (not all of
    them HTML pages). Names that cannot be read are left out (the run reports them)."""
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
        estimate = None
        if kind in ("jsonl", "feed", "warc"):
            documents = None
            if size <= budget:
                budget -= size
                if kind == "warc":
                    estimate = _count(path, kind)
                else:
                    documents = _count(path, kind)
        found.append(Input(given, size, documents, estimate))
    return found


def _count(path: Path, kind: str) -> int:
    try:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data, COUNTED_BYTES)
    except (OSError, zlib.error):
        return 1  # read as one failure
    if kind == "jsonl":
        return max(1, sum(1 for line in data.splitlines() if line.strip()))
    if kind == "warc":
        return max(1, len(_WARC_PAGE.findall(data)))
    return max(1, len(_FEED_ITEM.findall(data)))


def _gunzip(data: bytes, limit: int) -> bytes:
    """Up to ``limit`` bytes of gzipped ``data``, every member (a WARC archive gzips each
    record apart); a damaged end keeps what came before it."""
    out: list[bytes] = []
    left = limit
    while data and left > 0:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out.append(d.decompress(data, left))
        except zlib.error:
            break
        left -= len(out[-1])
        if not d.eof:
            break
        data = d.unused_data
    return b"".join(out)


__all__ = ["Input", "survey"]
