"""The list of feeds to watch, and the entries of one fetched feed.

A feeds file is either plain text, one URL a line::

    # French news about the tech war
    https://www.example.fr/rss/international.xml
    https://www.example.org/feed/   # comments may end a line too

or YAML, a list of URLs or of mappings (``url`` required; ``kind`` is ``feed``, the
default, or ``page`` for a plain page to re-read each round; ``name`` is free text)::

    - https://www.example.fr/rss/international.xml
    - url: https://www.example.org/dossier/5g.html
      kind: page
      name: Dossier 5G

YAML is recognised by the file name (``.yaml``/``.yml``) or by a first entry that starts
with ``- ``.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, yaml_problem
from ..records import valid_text
from ..text import valid_charrefs

KINDS = ("feed", "page")


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One thing to watch: a feed (RSS/Atom) or a plain page."""

    url: str
    kind: str = "feed"
    name: str | None = None


@dataclass(slots=True)
class Entry:
    """One entry of a feed: the page to read, and what the feed itself says about it."""

    link: str
    key: str  # the entry's identity in its feed: its guid, else its link
    fingerprint: str  # changes when the feed says the entry changed
    title: str | None = None
    published: str | None = None  # ISO date
    content: str = ""  # the entry's content or summary (HTML or text), the fallback body
    content_format: str = "html"
    outlet: str | None = None


def load_feeds(path: str | Path) -> list[FeedSpec]:
    """The feeds listed in ``path`` (text or YAML); ConfigError says what is wrong and where."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the feeds file ({e.strerror})") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: the feeds file must be UTF-8 text ({e.reason})") from e
    first = next((ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")), "")
    if p.suffix.lower() in (".yaml", ".yml") or first.startswith("- ") or first == "-":
        specs = _from_yaml(text, p)
    else:
        specs = _from_text(text, p)
    if not specs:
        raise ConfigError(f"{p}: no feed URL in this file; write one URL a line (lines starting "
                          "with # are comments)")
    seen: set[str] = set()
    unique = []
    for spec in specs:
        if spec.url not in seen:
            seen.add(spec.url)
            unique.append(spec)
    return unique


def _check(url: Any, where: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: a URL was expected")
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"{where}: '{url}' is not an http:// or https:// URL")
    return url


def _from_text(text: str, p: Path) -> list[FeedSpec]:
    specs = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        specs.append(FeedSpec(_check(line, f"{p}, line {n}")))
    return specs


def _from_yaml(text: str, p: Path) -> list[FeedSpec]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML ({yaml_problem(e)})") from e
    if isinstance(data, dict) and "feeds" in data:
        data = data["feeds"]
    if not isinstance(data, list):
        raise ConfigError(f"{p}: a YAML list of feeds was expected (lines starting with '- ')")
    specs = []
    for n, item in enumerate(data, start=1):
        where = f"{p}, item {n}"
        if isinstance(item, str):
            specs.append(FeedSpec(_check(item, where)))
            continue
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: a URL or a mapping with 'url' was expected")
        unknown = set(item) - {"url", "kind", "name"}
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: url, kind, name")
        kind = item.get("kind", "feed")
        if kind not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}, not '{kind}'")
        name = item.get("name")
        specs.append(FeedSpec(_check(item.get("url"), where), kind=kind,
                              name=str(name) if name is not None else None))
    return specs


def parse_feed(data: bytes, *, url: str, problems: list[tuple[str, str]] | None = None
               ) -> tuple[list[Entry], str | None]:
    """The entries of a fetched feed, and an error message (None when the feed is usable).

    Entries without an http(s) link cannot be followed: they are left out, and when
    ``problems`` is given, ``(locator, reason)`` is appended to it for each ("entry 3").
    A feed with no usable entry gives an error. Every text field is valid Unicode (a
    character reference such as ``&#xD800;`` that names no character becomes U+FFFD).
    """
    import feedparser

    try:
        parsed = feedparser.parse(valid_charrefs(data), response_headers={"content-location": url})
    except Exception as e:  # noqa: BLE001 - feedparser's loose parser raises assorted errors
        return [], f"not an RSS/Atom feed that can be read ({type(e).__name__}: {e})"
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        version = parsed.get("version") or ""
        if version:
            return [], None  # a well-formed feed that is empty for now
        return [], f"not an RSS/Atom feed, or a feed with no entries{why}"
    outlet = _text(parsed.feed.get("title")) or None
    entries = []
    for n, entry in enumerate(parsed.entries, start=1):
        link = _text(entry.get("link")).strip()
        if not link.lower().startswith(("http://", "https://")):
            if problems is not None:
                shown = f"'{link[:200]}'" if link else "none"
                problems.append((f"entry {n}", f"feed entry without an http(s) link to follow (link: {shown})"))
            continue
        body, fmt = "", "html"
        for content in entry.get("content") or []:
            if _text(content.get("value")).strip():
                body = _text(content["value"])
                fmt = "html" if "html" in _text(content.get("type", "text/html")) else "text"
                break
        if not body:
            body = _text(entry.get("summary"))
            detail = entry.get("summary_detail") or {}
            fmt = "html" if "html" in _text(detail.get("type", "text/html")) else "text"
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", stamp) if stamp else None
        title = _text(entry.get("title")) or None
        updated = " ".join(_text(entry[k]) for k in ("updated", "published") if k in entry)
        fingerprint = hashlib.sha1("\x1f".join([link, title or "", updated, body]).encode(
            "utf-8")).hexdigest()[:16]
        entries.append(Entry(link=link, key=(_text(entry.get("id")) or link).strip(), fingerprint=fingerprint,
                             title=title, published=published, content=body, content_format=fmt,
                             outlet=outlet))
    if not entries:
        if parsed.get("bozo"):
            return [], f"not an RSS/Atom feed, or a malformed one ({parsed.bozo_exception})"
        return [], "feed entries have no http(s) link to follow"
    return entries, None


def _text(value: Any) -> str:
    """A feed field as valid text ("" for a missing one)."""
    if value is None:
        return ""
    return valid_text(value if isinstance(value, str) else str(value))
