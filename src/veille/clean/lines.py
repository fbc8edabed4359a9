"""The line-based cleaner: body, boilerplate and reader comments from page text.

Two sources of evidence are combined:

* the pattern files (``data/boilerplate.txt`` plus the user's), matched line by line;
* statistics: runs of short unpunctuated lines (menus, link lists), and short lines
  repeated across pages of one site (remembered in bounded memory).

A line that reads like a real paragraph (long, ending like a sentence) is never
dropped by a statistical rule, and ends the "end matter" state set by a [stop] line.
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from .patterns import Patterns, normalise

BODY, DROP, COMMENT, TITLE = "body", "drop", "comment", "title"

_SENTENCE_END = re.compile(r"""[.!?…»"'”)\]]$""")
_BULLET = re.compile(r"^\s*(?:[•·▪◦►▶→⇒*–—-]|=>)\s+")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+")
_TITLE_BAD_END = re.compile(r"[.,;:]$")


@dataclass
class Cleaned:
    """What the line cleaner made of one page."""

    body: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    date_text: str | None = None


def is_paragraph(norm: str) -> bool:
    """A line that reads like a real paragraph: long, several sentences' worth, ends like one."""
    return len(norm) >= 150 and len(norm.split()) >= 20 and bool(_SENTENCE_END.search(norm))


def is_short_unpunctuated(norm: str) -> bool:
    """A headline- or menu-like line: short, no sentence ending, no introducing colon."""
    return 0 < len(norm) <= 160 and len(norm.split()) <= 20 and not _SENTENCE_END.search(norm) \
        and not norm.endswith((":", ";", ","))


def looks_like_title(norm: str) -> bool:
    words = norm.split()
    return 3 <= len(words) <= 30 and len(norm) <= 220 and not _TITLE_BAD_END.search(norm)


class SiteMemory:
    """Short lines seen per site, to drop template lines repeated across pages.

    Memory is bounded: at most ``max_lines`` remembered lines in all; the sites used
    least recently are forgotten first.
    """

    def __init__(self, *, min_pages: int, max_lines: int = 200_000):
        self.min_pages = max(2, int(min_pages))
        self.max_lines = max_lines
        self._sites: OrderedDict[str, dict[bytes, int]] = OrderedDict()
        self._size = 0

    @staticmethod
    def _key(norm: str) -> bytes:
        return hashlib.blake2b(norm.lower().encode("utf-8", "surrogatepass"), digest_size=8).digest()

    def repeated(self, site: str, norm: str) -> bool:
        """True when this line was seen on ``min_pages - 1`` earlier pages of the site."""
        counts = self._sites.get(site)
        return bool(counts) and counts.get(self._key(norm), 0) >= self.min_pages - 1

    def remember(self, site: str, norms: set[str]) -> None:
        counts = self._sites.setdefault(site, {})
        self._sites.move_to_end(site)
        for norm in norms:
            key = self._key(norm)
            if key not in counts:
                self._size += 1
            counts[key] = counts.get(key, 0) + 1
        while self._size > self.max_lines and len(self._sites) > 1:
            _, old = self._sites.popitem(last=False)
            self._size -= len(old)


def unwrap(text: str) -> str:
    """Join hard-wrapped lines (fixed-width text) back into paragraphs."""
    blocks = re.split(r"\n\s*\n", text)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 6:
        return text
    width = max(len(ln.rstrip()) for ln in lines)
    if width > 100 or sum(1 for ln in lines if len(ln.rstrip()) >= 0.6 * width) < 0.6 * len(lines):
        return text
    out = []
    for block in blocks:
        rows = [r.rstrip() for r in block.split("\n") if r.strip()]
        if len(rows) > 1 and all(len(r) >= 0.6 * width for r in rows[:-1]) and not any(
                _BULLET.match(r) or _NUMBERED.match(r) for r in rows[1:]):
            out.append(" ".join(r.strip() for r in rows))
        else:
            out.append("\n".join(rows))
    return "\n\n".join(out)


def clean_lines(text: str, pats: Patterns, *, mode: str = "text", site: str | None = None,
                memory: SiteMemory | None = None, known_title: str | None = None) -> Cleaned:
    """Split page ``text`` into body lines, dropped lines and comments.

    ``mode`` is "text" for plain-text pages (title found here, list-run rule on) or
    "html" for text already extracted from HTML (title known, list rule off).
    """
    if mode == "text":
        text = unwrap(text)
    raw = text.split("\n")
    # Pages that separate paragraphs with blank lines separate comments the same way.
    blank_separated = text.count("\n\n") * 3 >= sum(1 for r in raw if r.strip())
    norms = [normalise(r) if len(r) < 100_000 else r.strip() for r in raw]
    n = len(raw)
    label: list[str | None] = [None] * n  # None = blank line
    comment_of: list[int] = [-1] * n
    state = "body"
    body_chars = 0
    comment_no = -1
    numbered = False
    last_blank = True
    i = 0
    while i < n:
        norm = norms[i]
        if not norm:
            last_blank = True
            i += 1
            continue
        huge = len(norm) >= 100_000  # never run patterns over giant lines
        if state == "comments":
            if not huge and pats.match("comments-end", norm):
                label[i], state = DROP, "tail"
            elif not huge and (pats.match("drop", norm) or pats.match("stop", norm)):
                label[i] = DROP
            else:
                label[i] = COMMENT
                m = _NUMBERED.match(raw[i])
                if comment_no < 0:
                    numbered = bool(m)
                if comment_no < 0 or (numbered and m) or (not numbered and (last_blank or not blank_separated)):
                    comment_no += 1
                comment_of[i] = comment_no
            last_blank = False
            i += 1
            continue
        if state == "tail":
            if not huge and pats.match("comments", norm):
                label[i], state, comment_no = DROP, "comments", -1
            elif is_paragraph(norm):
                state = "body"
                continue  # read it again as body
            else:
                label[i] = DROP
            last_blank = False
            i += 1
            continue
        last_blank = False
        if huge:
            label[i] = BODY
            body_chars += len(norm)
            i += 1
            continue
        if pats.match("comments", norm):
            label[i] = DROP
            if body_chars >= 300:  # a counter above the article is not the comment section
                state, comment_no = "comments", -1
            i += 1
            continue
        if pats.match("comments-end", norm):
            label[i], state = DROP, "tail"
            i += 1
            continue
        if pats.match("stop", norm):
            label[i], state = DROP, "tail"
            i += 1
            continue
        rule = pats.match("related", norm)
        if rule is not None:
            label[i] = DROP
            i = _drop_related(i, rule.regex.search(norm).end(), raw, norms, label, pats)
            continue
        if pats.match("drop", norm):
            label[i] = DROP
        else:
            label[i] = BODY
            body_chars += len(norm)
        i += 1

    title = None
    if mode == "text":
        title = _find_title(label, norms, raw, known_title)
        _drop_list_runs(label, norms, raw)
    if site and memory is not None:
        shorts = set()
        for k in range(n):
            if label[k] == BODY and is_short_unpunctuated(norms[k]) and len(norms[k]) <= 120:
                shorts.add(norms[k])
                if memory.repeated(site, norms[k]):
                    label[k] = DROP
        memory.remember(site, shorts)

    out = Cleaned(title=title)
    comments: dict[int, list[str]] = {}
    for k in range(n):
        if label[k] == BODY:
            out.body.append(raw[k].strip())
        elif label[k] == DROP:
            out.dropped.append(raw[k].strip())
        elif label[k] == COMMENT:
            line = raw[k].strip()
            if numbered:
                line = _NUMBERED.sub("", line, count=1) if _NUMBERED.match(raw[k]) else line
            comments.setdefault(comment_of[k], []).append(line.strip())
    out.comments = ["\n".join(parts) for _, parts in sorted(comments.items())]
    dropped_norms = [norms[k] for k in range(n) if label[k] == DROP]
    for norm in dropped_norms:
        out.outlet = out.outlet or pats.group("outlet", "outlet", norm)
    for norm in dropped_norms + [norms[k] for k in range(n) if label[k] == BODY][:5]:
        out.date_text = out.date_text or pats.group("date", "date", norm)
    return out


def _drop_related(i: int, end: int, raw: list[str], norms: list[str], label: list[str | None],
                  pats: Patterns) -> int:
    """Drop the links after a "read also" header at ``i``; return the next index to read."""
    rest = norms[i][end:].strip(" :-–—»>")
    inline = len(rest.split()) >= 3
    j = i + 1
    taken = 0
    bulleted: bool | None = None
    while j < len(raw) and taken < 15:
        norm = norms[j]
        if not norm:
            j += 1
            continue
        if pats.match("related", norm) or pats.match("comments", norm) or pats.match("stop", norm):
            break
        is_bullet = bool(_BULLET.match(raw[j]))
        if inline:
            # One short promotional sentence may follow a link given on the header line.
            if is_bullet or (len(norm) <= 100 and len(norm.split()) <= 15 and _SENTENCE_END.search(norm)
                             and not is_paragraph(norm)):
                label[j] = DROP
                j += 1
            break
        if bulleted is None:
            bulleted = is_bullet
        if (bulleted and is_bullet) or (not bulleted and is_short_unpunctuated(norm)):
            label[j] = DROP
            taken += 1
            j += 1
            continue
        break
    return j


def _find_title(label: list[str | None], norms: list[str], raw: list[str], known: str | None) -> str | None:
    """The headline: the first body line that reads like one, above the first paragraph.

    Lines above it that are too short to be a headline (menu items) are left to the
    list-run rule. With a ``known`` title (from the input's metadata), only a line equal
    to it is taken.
    """
    body_idx = [k for k, lab in enumerate(label) if lab == BODY]
    if len(body_idx) < 2:
        return None
    for pos, k in enumerate(body_idx[:8]):
        if known:
            if normalise(known).lower() == norms[k].lower():
                label[k] = TITLE
                return " ".join(raw[k].split())
            continue
        if is_paragraph(norms[k]) or (len(norms[k]) > 80 and _SENTENCE_END.search(norms[k])):
            return None  # the body started: no headline above it
        if looks_like_title(norms[k]) and (pos == 0 or len(norms[k].split()) >= 4) and pos < len(body_idx) - 1:
            label[k] = TITLE
            return " ".join(raw[k].split())
    return None


def _drop_list_runs(label: list[str | None], norms: list[str], raw: list[str], *, min_run: int = 3) -> None:
    """Drop runs of ``min_run`` or more short unpunctuated body lines (menus, link lists).

    Dropped lines inside a run do not break it; a real paragraph does. A run right after a
    line ending with ":" is an enumeration that belongs to the article, and is kept.
    """
    k = 0
    n = len(label)
    while k < n:
        if label[k] != BODY or not is_short_unpunctuated(norms[k]):
            k += 1
            continue
        run = []
        j = k
        while j < n:
            if label[j] is None or label[j] == DROP:
                j += 1
                continue
            if label[j] == BODY and is_short_unpunctuated(norms[j]):
                run.append(j)
                j += 1
                continue
            break
        prev = next((p for p in range(k - 1, -1, -1) if label[p] in (BODY, TITLE)), None)
        introduced = prev is not None and norms[prev].endswith(":")
        if len(run) >= min_run and not introduced:
            for r in run:
                label[r] = DROP
        k = j if j > k else k + 1
