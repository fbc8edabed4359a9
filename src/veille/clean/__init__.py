"""Clean: from a :class:`RawDocument` to an :class:`Article`.

Sets the body apart from boilerplate and reader comments, and fills title, outlet,
publication date, language and paragraph spans. HTML goes through trafilatura, then
through the same line cleaner as plain text (pattern files plus statistics). Removed
lines are kept in ``Article.dropped`` and comments in ``Article.comments``: nothing is
thrown away. An input with no body left becomes a :class:`Failure`.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import urlsplit

from ..config import Config
from ..dates import infer_published
from ..records import Article, Comment, Failure, RawDocument, content_hash
from .html import extract, missing_paragraphs
from .lines import SiteMemory, clean_lines
from .patterns import Patterns, load_from, normalise

log = logging.getLogger(__name__)


def run(items: Iterable[RawDocument | Failure], cfg: Config) -> Iterator[Article | Failure]:
    """Clean every document; failures and unknown records pass through untouched."""
    settings = cfg.clean
    pats = load_from(settings.patterns)
    memory = SiteMemory(min_pages=settings.repeat_min_pages)
    min_par = settings.min_paragraph_chars
    for item in items:
        if not isinstance(item, RawDocument):
            yield item
            continue
        try:
            yield clean_document(item, pats, memory=memory, min_paragraph_chars=min_par)
        except Exception as e:
            log.debug("clean error on %s", item.source, exc_info=True)
            yield Failure(item.source, f"could not be cleaned ({type(e).__name__}: {e})",
                          stage="clean", locator=item.locator)


def clean_document(doc: RawDocument, pats: Patterns, *, memory: SiteMemory | None = None,
                   min_paragraph_chars: int = 0) -> Article | Failure:
    """One document to an Article (or a Failure saying why no body is left)."""
    site = site_of(doc)
    title = doc.title
    outlet = doc.outlet
    published = doc.published
    comments: list[str] = []
    if doc.format == "html":
        ex = extract(doc.content, url=doc.url)
        cleaned = clean_lines(ex.text, pats, mode="html", site=site, memory=memory)
        comments = ex.comments + cleaned.comments
        title = title or _clean_title(ex.title, ex.outlet)
        outlet = outlet or ex.outlet or cleaned.outlet
        published = published or _iso(ex.date)
        if ex.method == "trafilatura" and cleaned.body:
            _add_missing(cleaned, missing_paragraphs(doc.content, cleaned.body), pats)
        if title:
            _drop_title_line(cleaned, title)
        if not cleaned.body and "<" not in doc.content[:2000] and doc.content.strip():
            # Feed summaries marked as HTML are often plain text.
            cleaned = clean_lines(doc.content, pats, mode="text", site=site, memory=memory)
    else:
        first = next((ln.strip() for ln in doc.content.split("\n") if ln.strip()), "")
        # A title equal to the first line was guessed by ingest: let the cleaner decide.
        known = title if title and normalise(title) != normalise(first) else None
        cleaned = clean_lines(doc.content, pats, mode="text", site=site, memory=memory, known_title=known)
        comments = cleaned.comments
        title = known or cleaned.title
        outlet = outlet or cleaned.outlet

    body = [p for p in cleaned.body if len(p) >= min_paragraph_chars]
    dropped = cleaned.dropped + [p for p in cleaned.body if len(p) < min_paragraph_chars]
    if not body:
        why = (f"{len(dropped)} line(s) were all boilerplate" if dropped else "the page has no text")
        return Failure(doc.source, f"no article body left after cleaning: {why}", stage="clean",
                       locator=doc.locator)
    text, spans = _join(body)
    how = None
    if published is None:  # the metadata gave none: the page's dateline, date line, URL, text
        published, how = infer_published(text, url=doc.url, date_line=cleaned.date_text) or (None, None)
    lang, score = identify_language(text)
    return Article(
        id=doc.id, source=doc.source, text=text, locator=doc.locator, url=doc.url,
        outlet=_tidy(outlet), title=_tidy(title), published=published, published_inferred=how,
        lang=lang, lang_score=score,
        dropped=dropped, comments=_comments(comments), paragraphs=spans, content_hash=content_hash(text),
    )


def _join(paragraphs: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Paragraphs joined by blank lines, with the span of each in the result."""
    spans, pos = [], 0
    for p in paragraphs:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return "\n\n".join(paragraphs), spans


def _comments(texts: list[str]) -> list[Comment]:
    first: dict[str, int] = {}
    out = []
    for k, text in enumerate(texts):
        key = " ".join(text.lower().split())
        out.append(Comment(text=text, duplicate_of=first.get(key)))
        first.setdefault(key, k)
    return out


def site_of(doc: RawDocument) -> str:
    """The key under which lines repeated across pages of one site are counted (an engine
    that splits the work keeps the documents of one site together)."""
    if doc.url:
        host = urlsplit(doc.url).hostname
        if host:
            return host.removeprefix("www.")
    if doc.outlet:
        return doc.outlet.lower()
    return str(PurePath(doc.source).parent)


def _add_missing(cleaned, found: list[tuple[int, str]], pats: Patterns) -> None:
    """Insert paragraphs the extraction missed, unless a pattern calls them boilerplate."""
    for pos, text in reversed(found):
        norm = normalise(text)
        if any(pats.match(s, norm) for s in ("drop", "related", "stop", "comments")):
            continue
        if not cleaned.dropped or all(norm not in normalise(d) for d in cleaned.dropped):
            cleaned.body.insert(pos, text)


def _drop_title_line(cleaned, title: str) -> None:
    """Move a body line that repeats the title (the page's h1) to the dropped lines."""
    key = normalise(title).lower()
    for k, line in enumerate(cleaned.body[:3]):
        if normalise(line).lower() == key:
            cleaned.dropped.insert(0, cleaned.body.pop(k))
            return


def _tidy(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(unicodedata.normalize("NFC", value).split())
    return value or None


def _clean_title(title: str | None, outlet: str | None) -> str | None:
    """A page title without the " | Site" or " - Site" parts sites add to it."""
    if not title:
        return None
    title = " ".join(title.split())
    parts = [p.strip() for p in re.split(r"\s+\|\s+", title) if p.strip()]
    title = max(parts, key=len) if parts else title
    dashed = re.split(r"\s+[–—-]\s+", title)
    if len(dashed) > 1:
        site = re.sub(r"\.(com|fr|net|org|info|ch|be)$", "", (outlet or "").lower())
        last = dashed[-1]
        if (site and site in last.lower()) or (len(last.split()) <= 3 and last[:1].isupper()
                                                and len(last) < len(title) / 3):
            title = title[: title.rfind(last)].rstrip(" –—-")
    return title or None


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    m = re.match(r"\d{4}-\d{2}-\d{2}", value)
    return m.group(0) if m else None


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str | None, float | None]:
    """ISO 639-1 code and probability of the text's language (first 5,000 characters)."""
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None, None
    lang, prob = _identifier().classify(sample)
    return lang, round(float(prob), 4)


__all__ = ["clean_document", "identify_language", "run", "site_of"]
