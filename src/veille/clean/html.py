"""Main text, comments and metadata from HTML with trafilatura, plus recall fall-backs."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"""[.!?…»"”)]$""")


@dataclass
class Extracted:
    text: str = ""
    comments: list[str] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    method: str = "trafilatura"


def _bare(html: str, url: str | None, **opts):
    import trafilatura

    try:
        return trafilatura.bare_extraction(html, url=url, with_metadata=True, include_tables=True,
                                           deduplicate=False, **opts)
    except Exception:
        log.debug("trafilatura failed", exc_info=True)
        return None


def _field(doc, name: str):
    if doc is None:
        return None
    if isinstance(doc, dict):
        return doc.get(name)
    return getattr(doc, name, None)


def extract(html: str, *, url: str | None = None, min_chars: int = 250) -> Extracted:
    """Body, comments, title, date and site name of one page.

    trafilatura's default extraction comes first. When its body is shorter than
    ``min_chars``, its recall mode is tried, then the baseline extractor, and the longest
    body wins. (Paragraphs it missed inside the article: see :func:`missing_paragraphs`.)
    """
    doc = _bare(html, url, include_comments=True)
    text = (_field(doc, "text") or "").strip()
    out = Extracted(text=text, title=_field(doc, "title"), outlet=_field(doc, "sitename"),
                    date=_field(doc, "date"))
    comments = (_field(doc, "comments") or "").strip()
    if comments:
        out.comments = [c.strip() for c in comments.split("\n") if c.strip()]
    recall = None
    if len(text) < min_chars:
        recall = _bare(html, url, include_comments=False, favor_recall=True)
        recall_text = (_field(recall, "text") or "").strip()
        if len(recall_text) > len(text):
            out.text, out.method = recall_text, "trafilatura-recall"
        if len(out.text) < min_chars:
            try:
                import trafilatura

                _, base_text, _ = trafilatura.baseline(html)
            except Exception:  # noqa: BLE001
                base_text = ""
            if len(base_text or "") > len(out.text):
                out.text, out.method = base_text.strip(), "baseline"
    for key in ("title", "outlet", "date"):
        if recall is not None and not getattr(out, key):
            setattr(out, key, _field(recall, "sitename" if key == "outlet" else key))
    if len(out.text) < min_chars and nesting(html) > MAX_DEPTH:
        # The HTML parser stops reading at MAX_DEPTH levels: the text below is lost. Read the
        # page again with its nesting flattened (only paragraphs and headings kept as tags).
        flat = extract(_flatten(html), url=url, min_chars=min_chars)
        if len(flat.text) > len(out.text):
            flat.method += "-flattened"
            return flat
    return out


MAX_DEPTH = 255
"""Levels of nested elements libxml2's HTML parser reads (deeper ones it drops)."""
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}
_KEPT = {"html", "head", "title", "meta", "body", "p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "script",
         "style"}


def nesting(html: str) -> int:
    """The deepest nesting of elements in ``html`` (counted from its tags, without parsing)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if name in _VOID or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _flatten(html: str) -> str:
    """``html`` with every tag but the document's frame, paragraphs and headings turned into
    a line break: what was nested too deeply for the parser becomes flat text."""
    return _TAG.sub(lambda m: m.group(0) if m.group(2).lower() in _KEPT else "\n", html)


_BLOCK_TAGS = {"p", "div", "section", "article", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
               "table", "tr", "td", "header", "footer", "nav", "aside", "form", "blockquote", "figure",
               "main", "dl", "pre", "body", "html"}
_SKIP_TAGS = {"script", "style", "noscript", "nav", "aside", "footer", "form", "header", "figcaption",
              "button", "select", "template", "svg"}


_NOISY = re.compile(r"comment|(?<!no-)sidebar|related|promo|newsletter|share|social|footer|widget|teaser|"
                    r"outbrain|taboola|cookie|banner|subscri|abonn|paywall|(?:^|[\s_-])(?:ad|ads|pub)(?:[\s_-]|$)",
                    re.IGNORECASE)


def _leaves(root) -> list[str]:
    """Texts of the page's leaf text blocks (no block inside), in document order."""
    out = []
    for el in root.iter("p", "div", "section"):
        skip = False
        for anc in [el, *el.iterancestors()]:
            if not isinstance(anc.tag, str) or anc.tag in ("body", "html"):
                continue
            if anc.tag in _SKIP_TAGS or _NOISY.search(f"{anc.get('class', '')} {anc.get('id', '')}"):
                skip = True
                break
        if skip or any(isinstance(ch.tag, str) and ch.tag in _BLOCK_TAGS for ch in el.iterdescendants()):
            continue
        text = " ".join(el.text_content().split())
        if text:
            out.append(text)
    return out


def missing_paragraphs(html: str, body: list[str], *, lead_window: int = 4) -> list[tuple[int, str]]:
    """Real paragraphs of the page that the extraction left out, with where they go.

    Only paragraphs inside the article's span are considered: between the first and last
    extracted paragraphs, or among the few blocks right before the first one (a
    standfirst). Returns ``(index in body before which to insert, text)`` pairs.
    """
    try:
        from lxml import html as lxml_html

        root = lxml_html.fromstring(html)
    except Exception:  # noqa: BLE001 - unparsable markup: nothing to add
        return []
    leaves = _leaves(root)
    keys = [(k, " ".join(line.split())[:60]) for k, line in enumerate(body) if len(line) >= 60]
    if not keys:
        return []
    matched: dict[int, int] = {}  # leaf index -> body index
    start = 0
    for k, key in keys:
        for li in range(start, len(leaves)):
            if key in leaves[li]:
                matched[li] = k
                start = li + 1
                break
    if not matched:
        return []
    first, last = min(matched), max(matched)
    have = " ".join(" ".join(body).split())
    out: list[tuple[int, str]] = []
    next_body = 0
    for li in range(max(0, first - lead_window), last):
        if li in matched:
            next_body = matched[li] + 1
            continue
        text = leaves[li]
        if len(text) >= 150 and len(text.split()) >= 25 and _SENTENCE_END.search(text) \
                and text[:80] not in have:
            out.append((next_body, text))
            have += " " + text
    return out
