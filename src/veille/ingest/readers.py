"""One reader per input format. Each takes bytes and yields RawDocument or Failure."""
from __future__ import annotations

import contextlib
import gzip
import io
import json
import re
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from ..records import Failure, RawDocument, stable_id
from ..text import valid_charrefs
from . import warc
from .decode import DecodeError, declared_charset, decode

FORMATS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc", ".arc": "warc",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
KNOWN = ", ".join(sorted(FORMATS)) + " (and the same names ending in .gz)"


def kind_of(name: str) -> str | None:
    """The format a file name stands for ("text", "html", "jsonl", "warc", "feed"), or None."""
    lower = name.lower()
    if lower.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    lower = lower.removesuffix(".gz")
    return FORMATS.get(PurePosixPath(lower).suffix)


_HEADLINE_END = re.compile(r"[.;,]$")


class Reader:
    """Reads one input's bytes; ``ident`` is the resolved path or URL used in ids."""

    def __init__(self, *, source: str, ident: str, url: str | None, max_bytes: int,
                 max_line_chars: int):
        self.source = source
        self.ident = ident
        self.url = url
        self.max_bytes = max_bytes
        self.max_line_chars = max_line_chars

    def fail(self, reason: str, locator: str = "") -> Failure:
        return Failure(self.source, reason, stage="ingest", locator=locator)

    def doc(self, content: str, *, fmt: str, locator: str = "", **meta: Any) -> RawDocument | Failure:
        if not content.strip():
            return self.fail("empty: no text in this input", locator)
        if fmt == "text":
            longest = max((len(line) for line in content.split("\n")), default=0)
            if longest > self.max_line_chars:
                return self.fail(f"one line of {longest:,} characters, longer than ingest.max_line_chars "
                                 f"({self.max_line_chars:,}); this is not article text", locator)
        url = meta.pop("url", None) or self.url
        return RawDocument(id=stable_id(self.ident, locator, content), source=self.source, content=content,
                           format=fmt, locator=locator, url=url, **meta)

    # -- dispatch -------------------------------------------------------------------------
    def read(self, data: bytes, kind: str, *, content_type: str | None = None) -> Iterator[RawDocument | Failure]:
        if not data.strip():
            yield self.fail("empty file")
            return
        if kind == "warc":
            yield from self.read_warc(data)
            return
        if data[:2] == b"\x1f\x8b":
            try:
                data = _gunzip(data, self.max_bytes)
            except ValueError as e:
                yield self.fail(str(e))
                return
            if kind == "auto":
                kind = sniff(data)
        if kind == "feed":
            yield from self.read_feed(data)
            return
        try:
            text, encoding = decode(data, declared=declared_charset(data, content_type))
        except DecodeError as e:
            yield self.fail(str(e))
            return
        if kind == "jsonl":
            yield from self.read_jsonl(text, encoding)
        elif kind == "html":
            yield self.doc(text, fmt="html", encoding=encoding)
        else:
            yield self.read_text(text, encoding)

    # -- formats ----------------------------------------------------------------------------
    def read_text(self, text: str, encoding: str) -> RawDocument | Failure:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return self.doc(text, fmt="text", encoding=encoding, title=headline(text))

    def read_jsonl(self, text: str, encoding: str) -> Iterator[RawDocument | Failure]:
        good = 0
        # Lines end at "\n" only (or "\r" in a file without any "\n"): JSON strings may hold
        # U+2028 and other characters str.splitlines() would cut at.
        for n, line in enumerate(text.split("\n" if "\n" in text else "\r"), start=1):
            if not line.strip():
                continue
            loc = f"line {n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield self.fail(f"not valid JSON ({e.msg} at column {e.colno})", loc)
                continue
            except RecursionError:
                yield self.fail("JSON nested too deeply to be read (thousands of levels); "
                                "an article is one flat object", loc)
                continue
            if not isinstance(obj, dict):
                yield self.fail("a JSON object with 'text' or 'html' was expected", loc)
                continue
            body, fmt = obj.get("text"), "text"
            if not isinstance(body, str) or not body.strip():
                body, fmt = obj.get("html"), "html"
            if not isinstance(body, str) or not body.strip():
                yield self.fail("no 'text' or 'html' field with content", loc)
                continue
            meta = {k: obj.get(k) if isinstance(obj.get(k), str) else None
                    for k in ("url", "title", "outlet")}
            meta["published"] = _iso_date(obj.get("published") or obj.get("date"))
            if fmt == "text":
                body = body.replace("\r\n", "\n")
                meta["title"] = meta["title"] or None
            good += 1
            yield self.doc(body, fmt=fmt, locator=loc, encoding=encoding,
                           lang_hint=obj.get("lang") if isinstance(obj.get("lang"), str) else None, **meta)
        if good == 0:
            yield self.fail("no usable article in this JSONL file")

    def read_warc(self, data: bytes) -> Iterator[RawDocument | Failure]:
        head = data[:8192]
        if head[:2] == b"\x1f\x8b":
            try:
                head = zlib.decompressobj(31).decompress(head, 64)
            except zlib.error:
                head = b""
        head = head.lstrip()
        if head.startswith(b"filedesc://"):
            yield from self.read_arc(data)
            return
        if not head.startswith(b"WARC/"):
            yield self.fail("not a WARC archive (it should start with a WARC/1.x header)")
            return
        n = found = 0
        for part in warc.records(data, max_bytes=self.max_bytes):
            n = part.number
            loc = f"record {n}"
            if isinstance(part, warc.Problem):
                yield self.fail(part.reason, loc)
                continue
            try:
                record, noise = warc.parse(part)
                if record.rec_type not in ("response", "resource"):
                    continue
                doc = self._warc_page(record, noise, loc)
            except Exception as e:  # noqa: BLE001 - warcio raises many types on a damaged record
                yield self.fail(f"record could not be read ({type(e).__name__}: {e})", loc)
                continue
            if doc is not None:
                found += isinstance(doc, RawDocument)
                yield doc
        if n == 0:
            yield self.fail("no record in this archive")
        elif found == 0:
            yield self.fail(f"no HTML page in this archive ({n} record(s) read)")

    def _warc_page(self, record, noise, loc: str) -> RawDocument | Failure | None:
        """The HTML page of one WARC response or resource record (None when it holds none)."""
        uri = record.rec_headers.get_header("WARC-Target-URI")
        if record.http_headers is not None:
            ctype = record.http_headers.get_header("Content-Type") or ""
            status = record.http_headers.get_statuscode()
            if status and not str(status).startswith("2"):
                return None
        else:
            ctype = record.rec_headers.get_header("Content-Type") or ""
        if "html" not in ctype.lower():
            return None
        body, complaint = warc.payload(record, noise, self.max_bytes)
        if complaint:
            return self.fail(f"record body could not be decoded ({complaint})", loc)
        if len(body) > self.max_bytes:
            return self.fail(f"record larger than ingest.max_bytes ({self.max_bytes:,} bytes)", loc)
        try:
            html, encoding = decode(body, declared=declared_charset(body, ctype))
        except DecodeError as e:
            return self.fail(str(e), loc)
        return self.doc(html, fmt="html", locator=loc, url=uri, encoding=encoding)

    def read_arc(self, data: bytes) -> Iterator[RawDocument | Failure]:
        """An old ARC archive, read by warcio (what it prints is kept off standard error)."""
        from warcio.archiveiterator import ArchiveIterator

        n = found = 0
        noise = io.StringIO()
        try:
            with contextlib.redirect_stderr(noise):
                archive = ArchiveIterator(io.BytesIO(data), arc2warc=True)
                for record in archive:
                    n += 1
                    if record.rec_type not in ("response", "resource"):
                        continue
                    doc = self._warc_page(record, noise, f"record {n}")
                    if doc is not None:
                        found += isinstance(doc, RawDocument)
                        yield doc
        except Exception as e:  # noqa: BLE001 - warcio raises many types on damaged archives
            yield self.fail(f"archive truncated or corrupt after record {n} ({type(e).__name__}: {e})",
                            f"record {n + 1}")
            return
        if found == 0:
            yield self.fail(f"no HTML page in this archive ({n} record(s) read)")

    def read_feed(self, data: bytes) -> Iterator[RawDocument | Failure]:
        import feedparser

        parsed = feedparser.parse(valid_charrefs(data))
        if not parsed.entries:
            why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
            yield self.fail(f"not an RSS/Atom feed, or a feed with no entries{why}")
            return
        outlet = parsed.feed.get("title") or None
        for n, entry in enumerate(parsed.entries, start=1):
            loc = f"entry {n}"
            body, fmt = "", "text"
            for content in entry.get("content") or []:
                if content.get("value", "").strip():
                    body = content["value"]
                    fmt = "html" if "html" in content.get("type", "html") else "text"
                    break
            if not body:
                body = entry.get("summary", "") or ""
                detail = entry.get("summary_detail") or {}
                fmt = "html" if "html" in detail.get("type", "text/html") else "text"
            if not body.strip():
                yield self.fail("feed entry without content or summary", loc)
                continue
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            published = time.strftime("%Y-%m-%d", stamp) if stamp else None
            link = (entry.get("link") or "").strip()
            # Only a web address is the article's URL (not "javascript:…", not a bare name).
            url = link if link.lower().startswith(("http://", "https://")) else None
            yield self.doc(body, fmt=fmt, locator=loc, url=url,
                           title=entry.get("title") or None, published=published, outlet=outlet)


def sniff(data: bytes) -> str:
    """Guess a format from the first bytes, for inputs without a file name."""
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return "warc"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<p>" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def _gunzip(data: bytes, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(limit + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise ValueError(f"corrupt or truncated gzip data ({e})") from e
    if len(out) > limit:
        raise ValueError(f"larger than ingest.max_bytes ({limit:,} bytes) once decompressed")
    return out


def headline(text: str) -> str | None:
    """The first line when it looks like a headline: short, several words, no final period."""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        words = line.split()
        if 3 <= len(words) <= 25 and len(line) <= 180 and not _HEADLINE_END.search(line):
            return line
        return None
    return None


def _iso_date(value: Any) -> str | None:
    """An ISO date from a JSONL 'published' value (ISO string or epoch seconds)."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, tz=UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        m = re.match(r"\d{4}-\d{2}-\d{2}", value.strip())
        if m:
            return m.group(0)
        if re.fullmatch(r"\d{4}-(?:0[1-9]|1[0-2])", value.strip()):
            return value.strip()  # a month: ISO 8601 reduced precision, kept as given
        try:
            from email.utils import parsedate_to_datetime
            return parsedate_to_datetime(value).date().isoformat()
        except (TypeError, ValueError, IndexError):
            return None
    return None
