"""Highlight markup for an article's clean text, built from character spans.

``highlight(text, actors=..., quotes=..., events=...)`` cuts the text at every span
boundary and wraps each piece in a ``<span>`` whose classes name every annotation that
covers it, so overlapping spans (a mention inside a quote inside an event sentence) need
no nesting. Every piece of text is HTML-escaped on its own; only the markup around it is
ours. The result is a :class:`markupsafe.Markup` ready for a Jinja2 template.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape


@dataclass(slots=True)
class _Mark:
    start: int
    end: int
    classes: tuple[str, ...]
    anchor: str | None = None  # id put at the start of the span (first one wins)
    actor: str | None = None   # actor id: the piece links to the actor page
    title: str | None = None
    keys: tuple[str, ...] = field(default_factory=tuple)  # data-ev keys for the script


def event_anchor(span: Any) -> str | None:
    """The anchor id of an event's evidence in the article page (``ev-START-END``)."""
    s = _span(span)
    return f"ev-{s[0]}-{s[1]}" if s else None


def quote_anchor(span: Any) -> str | None:
    """The anchor id of a quote in the article page (``q-START-END``)."""
    s = _span(span)
    return f"q-{s[0]}-{s[1]}" if s else None


def _span(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        start, end = int(value[0]), int(value[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (start, end) if 0 <= start < end else None


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _marks(n: int, actors: Iterable[Any], quotes: Iterable[Any], events: Iterable[Any],
           cited_sources: Iterable[Any]) -> list[_Mark]:
    marks: list[_Mark] = []

    def add(span: Any, *args: Any, **kwargs: Any) -> None:
        s = _span(span)
        if s is None or s[0] >= n:
            return
        marks.append(_Mark(s[0], min(s[1], n), *args, **kwargs))

    for ev in events:
        anchor = event_anchor(_get(ev, "span"))
        mod = str(_get(ev, "modality") or "asserted")
        title = f"{_get(ev, 'type') or '?'} ({mod}): {_get(ev, 'actor') or '?'} → " \
                f"{_get(ev, 'recipient') or '?'}"
        add(_get(ev, "span"), ("ev", f"mod-{_css(mod)}"), anchor=anchor, title=title,
            keys=(anchor,) if anchor else ())
        add(_get(ev, "trigger_span"), ("trigger",), keys=(anchor,) if anchor else ())
    for q in quotes:
        anchor = quote_anchor(_get(q, "span"))
        who = _get(q, "speaker_name") or _get(q, "speaker")
        add(_get(q, "span"), ("quote",), anchor=anchor,
            title=f"quote of {who}" if who else "quote, speaker unknown")
        add(_get(q, "speaker_span"), ("speaker",), actor=_get(q, "speaker"))
    for c in cited_sources:
        add(_get(c, "span"), ("cited",), title=f"cited source: {_get(c, 'name') or '?'}",
            actor=_get(c, "actor"))
    for a in actors:
        aid = _get(a, "id")
        for m in _get(a, "mentions") or ():
            add(m, ("actor",), actor=aid, title=_get(a, "name") or aid)
    return marks


def _css(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum() or ch == "-") or "x"


def highlight(text: str, *, actors: Iterable[Any] = (), quotes: Iterable[Any] = (),
              events: Iterable[Any] = (), cited_sources: Iterable[Any] = ()) -> Markup:
    """The text as escaped HTML with each annotated piece wrapped in a classed span.

    Spans outside the text or empty are ignored. Actor mentions link to ``/actor/ID``.
    """
    text = text or ""
    marks = _marks(len(text), actors, quotes, events, cited_sources)
    if not marks:
        return Markup(escape(text))
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[_Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[_Mark] = []
    seen_anchor: set[str] = set()
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = [m for m in active if m.end > a]
        for m in starts.get(a, ()):
            active.append(m)
            if m.anchor and m.anchor not in seen_anchor:
                seen_anchor.add(m.anchor)
                out.append(f'<span class="anchor" id="{escape(m.anchor)}"></span>')
        piece = escape(text[a:b])
        if not active:
            out.append(str(piece))
            continue
        classes: list[str] = []
        keys: list[str] = []
        titles: list[str] = []
        actor = None
        for m in active:
            for c in m.classes:
                if c not in classes:
                    classes.append(c)
            keys.extend(k for k in m.keys if k not in keys)
            if m.title and m.title not in titles:
                titles.append(m.title)
            if m.actor and actor is None:
                actor = m.actor
        attrs = f' class="{escape(" ".join(classes))}"'
        if keys:
            attrs += f' data-ev="{escape(" ".join(keys))}"'
        if titles:
            attrs += f' title="{escape(" · ".join(titles))}"'
        if actor:
            href = "/actor/" + quote(str(actor), safe="")
            out.append(f'<a{attrs} href="{escape(href)}">{piece}</a>')
        else:
            out.append(f"<span{attrs}>{piece}</span>")
    return Markup("".join(out))
