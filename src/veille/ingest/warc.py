"""WARC archives, read record by record with every part accounted for.

The records are framed here, not by warcio: each record's header lines are read with a
length limit (a header line that never ends fails fast), its ``Content-Length`` is
checked against the record end that must follow it, a record larger than
``ingest.max_bytes`` is skipped, and a damaged part (a wrong ``Content-Length``, a
truncated record, a damaged gzip member, bytes that are no record) becomes a
:class:`Problem` with its position while reading goes on at the next record. Only the
inside of one well-framed record (HTTP status and headers, chunked or compressed
bodies) is read by warcio.

A ``.warc.gz`` is decompressed one gzip member at a time, a chunk at a time, and stops
after :data:`MAX_EXPANSION` times ``ingest.max_bytes`` of uncompressed data (a
decompression bomb).
"""
from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

MAX_LINE = 65_536
"""Bytes in one WARC header line, at most."""
MAX_HEADER = 1_048_576
"""Bytes in the header lines of one record, at most."""
MAX_EXPANSION = 10
"""A compressed WARC is read up to this many times ``ingest.max_bytes`` once decompressed."""
_CHUNK = 1 << 20
_RECORD_START = (b"WARC/1.", b"WARC/0.")
_NOT_BLANK = re.compile(rb"[^\r\n \t]")
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d{1,15})[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


@dataclass(slots=True)
class Record:
    """One well-framed record: its number in the archive, header bytes and block."""

    number: int
    head: bytes
    block: bytes


@dataclass(slots=True)
class Problem:
    """A part of the archive that could not be read: the record number and why."""

    number: int
    reason: str


class _Damaged(Exception):
    """The compressed data is damaged here; reading goes on at the next gzip member.
    ``number``: the record it hits when known (-1: the next one, 0: the current one)."""

    def __init__(self, message: str, number: int = 0):
        super().__init__(message)
        self.number = number


class _Chunks:
    """The uncompressed bytes of an archive, a chunk at a time (b"" at the end).

    Compressed data is read a gzip member at a time; a damaged member raises
    :class:`_Damaged` once and the next read goes on at the next member."""

    def __init__(self, data: bytes, *, limit: int):
        self.data = data
        self.gz = data[:2] == b"\x1f\x8b"
        self.limit = limit
        self.pos = 0  # start of the current gzip member (or the next plain chunk)
        self.inner = 0  # compressed bytes of the current member already fed
        self.out = 0  # uncompressed bytes given so far
        self.d: zlib._Decompress | None = None

    def read(self) -> bytes:
        if not self.gz:
            chunk = self.data[self.pos:self.pos + _CHUNK]
            self.pos += len(chunk)
            return chunk
        while True:
            if self.out > self.limit:
                self.pos = len(self.data)
                self.d = None
                raise _Damaged(f"more than {self.limit:,} bytes once decompressed; the rest of the "
                               "archive was not read")
            if self.d is None:
                if self.pos >= len(self.data):
                    return b""
                if self.data[self.pos:self.pos + 2] != b"\x1f\x8b":
                    start = self.pos
                    if not self.data[start:].strip(b"\x00 \r\n\t"):
                        self.pos = len(self.data)  # padding at the end
                        return b""
                    self._skip_member(start)
                    raise _Damaged(f"bytes that are not gzip data at byte {start:,} of the file")
                self.d = zlib.decompressobj(31)
                self.inner = self.pos
            try:
                if self.d.unconsumed_tail:
                    out = self.d.decompress(self.d.unconsumed_tail, _CHUNK)
                elif self.inner >= len(self.data):
                    start = self.pos
                    self.pos, self.d = len(self.data), None
                    raise _Damaged(f"archive truncated: the gzip member at byte {start:,} is incomplete")
                else:
                    piece = self.data[self.inner:self.inner + _CHUNK]
                    self.inner += len(piece)
                    out = self.d.decompress(piece, _CHUNK)
            except zlib.error as e:
                start = self.pos
                self._skip_member(start)
                raise _Damaged(f"damaged gzip data in the member at byte {start:,} ({e})") from None
            if self.d.eof:
                self.pos = self.inner - len(self.d.unused_data)
                self.d = None
            self.out += len(out)
            if out:
                return out

    def _skip_member(self, start: int) -> None:
        """Go on at the next gzip member after ``start`` (or at the end)."""
        nxt = self.data.find(b"\x1f\x8b\x08", start + 1)
        self.pos = nxt if nxt >= 0 else len(self.data)
        self.d = None


class _Stream:
    """Lines and blocks over :class:`_Chunks`, with bytes put back when a record overran."""

    def __init__(self, chunks: _Chunks):
        self.chunks = chunks
        self.buf = b""
        self.at = 0
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.chunks.read()
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.at:] + chunk
        self.at = 0
        return True

    def readline(self, limit: int) -> bytes:
        """A line with its end, or the first ``limit`` bytes of a longer line."""
        while True:
            end = self.buf.find(b"\n", self.at, self.at + limit)
            if end >= 0:
                line = self.buf[self.at:end + 1]
                break
            if len(self.buf) - self.at >= limit or not self._fill():
                line = self.buf[self.at:self.at + limit]
                break
        self.at += len(line)
        return line

    def read(self, n: int) -> bytes:
        parts = [self.buf[self.at:self.at + n]]
        have = len(parts[0])
        self.at += have
        while have < n and not self.eof:
            chunk = self.chunks.read()
            if not chunk:
                self.eof = True
                break
            parts.append(chunk[:n - have])
            have += len(parts[-1])
            self.buf, self.at = chunk[len(parts[-1]):], 0
        return b"".join(parts)

    def skip(self, n: int) -> int:
        """Pass over ``n`` bytes without keeping them; the number passed over."""
        done = 0
        while done < n:
            if self.at >= len(self.buf) and not self._fill():
                break
            step = min(n - done, len(self.buf) - self.at)
            self.at += step
            done += step
        return done

    def unread(self, data: bytes) -> None:
        self.buf = data + self.buf[self.at:]
        self.at = 0

    def drop(self) -> None:
        """Forget what is buffered (after damaged compressed data)."""
        self.buf, self.at = b"", 0

    def resync(self) -> None:
        """Pass over bytes up to the next line that starts a WARC record (left to be read)."""
        line_start = True
        while True:
            while len(self.buf) - self.at < 8 and self._fill():
                pass
            if line_start and self.buf.startswith(_RECORD_START, self.at):
                return
            found = self.buf.find(b"\nWARC/", self.at)
            if found >= 0:
                self.at, line_start = found + 1, True
                continue
            self.at, line_start = max(self.at, len(self.buf) - 5), False  # a start cut by the chunk end
            if not self._fill():
                self.at = len(self.buf)
                return

    def skip_blank(self) -> None:
        """Pass over blank lines and spaces (any number of them, without a loop per line)."""
        while True:
            m = _NOT_BLANK.search(self.buf, self.at)
            if m is not None:
                self.at = m.start()
                return
            self.at = len(self.buf)
            if not self._fill():
                return


def records(data: bytes, *, max_bytes: int) -> Iterator[Record | Problem]:
    """The records of a WARC archive (plain or gzipped) and the parts that could not be read."""
    stream = _Stream(_Chunks(data, limit=MAX_EXPANSION * max_bytes))
    n = 0
    while True:
        try:
            line = _first_line(stream)
            if not line:
                return
            n += 1
            if not line.startswith(_RECORD_START):
                yield Problem(n, "no WARC record starts here (expected a 'WARC/1.x' line); skipped to the "
                                 "next record")
                stream.resync()
                continue
            head, problem = _header(stream, line)
            if problem:
                yield Problem(n, problem)
                if not stream.eof or stream.at < len(stream.buf):
                    stream.resync()
                continue
            m = _CONTENT_LENGTH.search(head)
            if m is None:
                yield Problem(n, "record without a valid Content-Length header; skipped to the next record")
                stream.resync()
                continue
            length = int(m.group(1))
            if length > max_bytes:
                got = stream.skip(length)
                if got < length:
                    yield Problem(n, f"archive truncated: the record announces {length:,} bytes, "
                                     f"{got:,} are there")
                    return
                yield Problem(n, f"record of {length:,} bytes, larger than ingest.max_bytes ({max_bytes:,})")
                _end_of_record(stream)
                continue
            block = stream.read(length)
            complete = len(block) == length
            try:
                ended = complete and _end_of_record(stream)
            except _Damaged as e:  # the record is whole: the damage lies after it
                yield Record(n, head, block)
                raise _Damaged(str(e), n + 1) from None
            if not ended:
                inside = block.find(b"\nWARC/1.")
                if not complete and inside < 0:
                    yield Problem(n, f"archive truncated: the record announces {length:,} bytes, "
                                     f"{len(block):,} are there; the records before it were kept")
                    return
                if inside >= 0:  # the next record starts inside this one: the length is too long
                    stream.unread(block[inside + 1:])
                yield Problem(n, f"its Content-Length ({length:,}) does not match the record: the record "
                                 "end does not follow it; the record was skipped")
                stream.resync()
                continue
            yield Record(n, head, block)
        except _Damaged as e:
            if e.number > 0:
                n = e.number
            elif e.number < 0 or n == 0:
                n += 1
            yield Problem(n, str(e.args[0]))
            stream.drop()
            stream.resync()


def _first_line(stream: _Stream) -> bytes:
    """The first line of the next record, past blank lines (b"" at the end); damaged
    compressed data met here belongs to the next record."""
    try:
        stream.skip_blank()
        return stream.readline(MAX_LINE)
    except _Damaged as e:
        raise _Damaged(str(e), -1) from None


def _header(stream: _Stream, first: bytes) -> tuple[bytes, str | None]:
    """The header lines of a record (up to the blank line), or a reason they cannot be read."""
    lines = [first]
    size = len(first)
    if len(first) >= MAX_LINE and not first.endswith(b"\n"):
        return b"", f"a header line longer than {MAX_LINE:,} bytes; skipped to the next record"
    while True:
        line = stream.readline(MAX_LINE)
        if not line:
            return b"", "archive truncated inside a record's header"
        if len(line) >= MAX_LINE and not line.endswith(b"\n"):
            return b"", f"a header line longer than {MAX_LINE:,} bytes; skipped to the next record"
        size += len(line)
        if size > MAX_HEADER:
            return b"", f"record headers longer than {MAX_HEADER:,} bytes; skipped to the next record"
        lines.append(line)
        if line in (b"\r\n", b"\n"):
            return b"".join(lines), None


def _end_of_record(stream: _Stream) -> bool:
    """Read the blank lines that end a record: True when they are there (or the archive ends)."""
    tail = stream.read(4)
    if tail == b"\r\n\r\n" or tail == b"":
        return True
    if tail.startswith(b"\n\n"):
        stream.unread(tail[2:])
        return True
    if tail in (b"\r\n", b"\n"):  # the archive ends after a shorter end of record
        return stream.eof
    stream.unread(tail)
    return False


def parse(record: Record):
    """warcio's reading of one well-framed record (HTTP headers, decoded body), with what
    warcio would have printed on standard error: ``(warcio record, messages)``."""
    from warcio.archiveiterator import ArchiveIterator

    noise = io.StringIO()
    with contextlib.redirect_stderr(noise):
        parsed = next(iter(ArchiveIterator(io.BytesIO(record.head + record.block + b"\r\n\r\n"))))
    return parsed, noise


def payload(parsed, noise: io.StringIO, limit: int) -> tuple[bytes, str]:
    """The decoded body of a parsed record (at most ``limit`` + 1 bytes) and what warcio
    complained about while decoding it ("" when nothing)."""
    with contextlib.redirect_stderr(noise):
        body = parsed.content_stream().read(limit + 1)
    return body, " ".join(noise.getvalue().split())


__all__ = ["MAX_EXPANSION", "MAX_HEADER", "MAX_LINE", "Problem", "Record", "parse", "payload", "records"]
