"""Fuzzing ingest and clean with hypothesis: whatever the bytes, documents or failures come
out (never an exception), every string is valid Unicode, and clean's articles are whole.

The examples are bounded and derandomized (the same cases every run), so the file runs in
a few seconds; raise ``FUZZ_EXAMPLES`` in the environment for a longer hunt.
"""
from __future__ import annotations

import gzip
import json
import os
from dataclasses import asdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veille import clean, ingest
from veille.config import Config
from veille.records import Article, Failure, RawDocument
from veille.watch.feeds import parse_feed

CFG = Config().with_overrides(ingest={"max_bytes": 200_000})
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Any code point, lone surrogates included (JSON's "\ud800" gives those).
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=80)
WORDS = st.lists(st.sampled_from(["Le", "gouvernement", "a", "annoncé", "mardi", "un", "accord", "avec",
                                  "la", "France", "après", "des", "négociations", "«", "»", ".", ",", "\n",
                                  "\n\n", "l’Union", "européenne", "Pékin", "&", "<", ">", "\u2028", "\x00",
                                  "\ud800", "\udfff", "&#xD800;", "&#0;", "&amp;", "\r\n", "\t"]),
                 min_size=0, max_size=60).map(" ".join)
KINDS = st.sampled_from(["text", "html", "jsonl", "feed", "warc", "auto"])


def valid(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(valid(k) and valid(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(valid(v) for v in value)
    return True


def check_ingest(out: list) -> list[RawDocument]:
    for item in out:
        assert isinstance(item, (RawDocument, Failure)), item
        assert valid(item.as_dict()), item
        if isinstance(item, RawDocument):
            assert item.content.strip() and item.format in ("text", "html")
        else:
            assert item.reason and item.stage == "ingest"
    return [d for d in out if isinstance(d, RawDocument)]


def check_clean(docs: list[RawDocument]) -> None:
    out = list(clean.run(docs, CFG))
    assert len(out) == len(docs)
    for doc, item in zip(docs, out):
        assert isinstance(item, (Article, Failure)), item
        assert valid(item.as_dict())
        if isinstance(item, Article):
            assert item.id == doc.id and item.text.strip()
            assert all(0 <= s <= e <= len(item.text) for s, e in item.paragraphs)


NAMES = {"text": "a.txt", "html": "a.html", "jsonl": "a.jsonl", "feed": "a.xml", "warc": "a.warc", "auto": "a"}


def read(data: bytes, kind: str) -> list:
    """Ingest's reading of ``data`` as a file of ``kind`` ("auto": no extension, sniffed)."""
    return list(ingest.read_bytes(data, source=NAMES[kind], cfg=CFG))


@FUZZ
@given(data=st.binary(max_size=3000), kind=KINDS)
def test_any_bytes_in_any_format(data, kind):
    check_clean(check_ingest(read(data, kind)))


@FUZZ
@given(data=st.binary(max_size=2000), kind=KINDS)
def test_any_bytes_gzipped(data, kind):
    check_ingest(read(gzip.compress(data, mtime=0), kind))


@FUZZ
@given(rows=st.lists(st.one_of(
    st.fixed_dictionaries({"text": WORDS}, optional={"title": ANY_TEXT, "outlet": ANY_TEXT, "url": ANY_TEXT,
                                                     "published": st.one_of(ANY_TEXT, st.integers(), st.floats()),
                                                     "lang": ANY_TEXT}),
    st.fixed_dictionaries({"html": WORDS.map(lambda w: f"<html><body><p>{w}</p></body></html>")}),
    st.recursive(st.none() | st.booleans() | ANY_TEXT, lambda c: st.lists(c, max_size=3), max_leaves=8),
), max_size=6))
def test_jsonl_lines_of_any_shape(rows):
    data = "\n".join(json.dumps(r) for r in rows).encode("utf-8")
    check_clean(check_ingest(read(data, "jsonl")))


ITEM = ("<item><title>{title}</title><link>{link}</link><description>{body}</description>"
        "<pubDate>{date}</pubDate></item>")


@FUZZ
@given(items=st.lists(st.fixed_dictionaries({"title": WORDS, "link": st.one_of(WORDS, st.just("http://x.test/a")),
                                             "body": WORDS, "date": ANY_TEXT}), min_size=1, max_size=4),
       outlet=WORDS)
def test_feeds_with_any_fields(items, outlet):
    def esc(text: str) -> str:  # keep the markup's shape, let character references through
        return text.replace("<", "&lt;").replace(">", "&gt;")

    body = "".join(ITEM.format(**{k: esc(v) for k, v in it.items()}) for it in items)
    feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>{esc(outlet)}</title>{body}</channel></rss>"
    data = feed.encode("utf-8", "surrogatepass")
    check_clean(check_ingest(read(data, "feed")))
    problems: list[tuple[str, str]] = []
    entries, error = parse_feed(data, url="http://x.test/rss", problems=problems)
    assert valid([asdict(e) for e in entries]) and valid(problems) and (error is None or valid(error))


def _record(body: bytes, length: int | None, kind: str) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    size = len(http) if length is None else length
    return (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: http://x.test/\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {size}\r\n\r\n").encode() \
        + http + b"\r\n\r\n"


@FUZZ
@given(records=st.lists(st.tuples(st.binary(max_size=400), st.one_of(st.none(), st.integers(0, 600)),
                                  st.sampled_from(["response", "resource", "request", "warcinfo"])),
                        min_size=1, max_size=5),
       cut=st.integers(0, 200), gz=st.booleans())
def test_warc_with_damaged_records(records, cut, gz):
    data = b"".join(_record(b, n, k) for b, n, k in records)
    data = data[:len(data) - cut] if cut < len(data) else data
    if gz:
        data = gzip.compress(data, mtime=0)
    docs = check_ingest(read(data, "warc"))
    assert len(docs) <= len(records)
