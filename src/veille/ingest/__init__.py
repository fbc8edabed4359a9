"""Ingest: read files, folders, globs or fetched bytes into :class:`RawDocument` records.

Entry points: :func:`run` for paths the user names, :func:`read_bytes` for data that
is already in memory (a fetched page or feed). Neither raises on bad input: every
input that cannot be read becomes a :class:`Failure` with a one-line reason.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from ..config import Config
from ..records import Failure, RawDocument
from .readers import KNOWN, Reader, kind_of, sniff
from .sources import expand
from .survey import Input, survey

log = logging.getLogger(__name__)

def _limits(cfg: Config | None) -> tuple[int, int]:
    settings = (cfg or Config()).ingest
    return settings.max_bytes, settings.max_line_chars


def unknown_format(source: str, name: str) -> Failure:
    """The failure for an input whose file ``name`` no reader takes (see :func:`kind_of`)."""
    suffix = PurePosixPath(name).suffix or "(no extension)"
    return Failure(source, f"unknown format {suffix}; veille reads {KNOWN}")


def run(sources: Iterable[str], cfg: Config) -> Iterator[RawDocument | Failure]:
    """Every document in ``sources`` (paths, folders, globs), in a stable order."""
    max_bytes, max_line = _limits(cfg)
    for item in expand(sources, follow_symlinks=cfg.ingest.follow_symlinks):
        if isinstance(item, Failure):
            yield item
            continue
        given, path = item
        yield from _read_path(given, path, max_bytes=max_bytes, max_line=max_line)


def _read_path(given: str, path: Path, *, max_bytes: int, max_line: int) -> Iterator[RawDocument | Failure]:
    kind = kind_of(path.name)
    if kind is None:
        yield unknown_format(given, path.name)
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Failure(given, f"file of {size:,} bytes is larger than ingest.max_bytes ({max_bytes:,}); "
                                 "raise the limit in your settings to read it")
            return
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        yield Failure(given, "permission denied; check the file's read permission")
        return
    except IsADirectoryError:
        yield Failure(given, "is a folder, not a file")
        return
    except OSError as e:
        yield Failure(given, f"cannot read: {e.strerror or e}")
        return
    if len(data) > max_bytes:
        yield Failure(given, f"larger than ingest.max_bytes ({max_bytes:,} bytes)")
        return
    try:
        ident = str(path.resolve())
    except (OSError, RuntimeError):
        ident = str(path.absolute())
    reader = Reader(source=given, ident=ident, url=None, max_bytes=max_bytes, max_line_chars=max_line)
    yield from _guarded(reader, data, kind)


def read_bytes(data: bytes, *, source: str, url: str | None = None, content_type: str | None = None,
               cfg: Config | None = None, ident: str | None = None) -> Iterator[RawDocument | Failure]:
    """Documents in ``data`` fetched from ``url`` (or named ``source``); the format comes
    from ``content_type``, the URL's extension, or the first bytes.

    ``ident`` is the location used in document ids (default: ``url`` or ``source``); pass
    a file's resolved path to get the ids :func:`run` gives when it reads the file itself.
    """
    max_bytes, max_line = _limits(cfg)
    if len(data) > max_bytes:
        yield Failure(source, f"larger than ingest.max_bytes ({max_bytes:,} bytes)")
        return
    kind = _kind_from_content_type(content_type) or kind_of((url or source).split("?")[0]) or "auto"
    if kind == "auto":
        kind = sniff(data)
        if kind == "gzip":
            kind = "auto"
    reader = Reader(source=source, ident=ident or url or source, url=url, max_bytes=max_bytes,
                    max_line_chars=max_line)
    yield from _guarded(reader, data, kind, content_type=content_type)


def _kind_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    ct = content_type.split(";")[0].strip().lower()
    if ct in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    if "html" in ct:
        return "html"
    if ct in ("application/warc",):
        return "warc"
    if ct in ("application/x-ndjson", "application/jsonl", "application/jsonlines"):
        return "jsonl"
    if ct in ("text/plain",):
        return "text"
    if ct.endswith("xml"):
        return "feed"
    return None


def _guarded(reader: Reader, data: bytes, kind: str, *, content_type: str | None = None
             ) -> Iterator[RawDocument | Failure]:
    """Run a reader; an unexpected error becomes a Failure instead of stopping the run."""
    try:
        yield from reader.read(data, kind, content_type=content_type)
    except Exception as e:
        log.debug("ingest error on %s", reader.source, exc_info=True)
        yield reader.fail(f"could not be read ({type(e).__name__}: {e})")


__all__ = ["Input", "kind_of", "read_bytes", "run", "survey", "unknown_format"]
