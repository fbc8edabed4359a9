"""A story's timeline as inline SVG, drawn on the server (no script, no inline style).

One lane for the articles, one lane per event type; each dot links to the article (for
an event: to its evidence sentence). Colours come from the stylesheet through classes
(``mod-hedged`` …), so the page keeps a strict Content-Security-Policy.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from .highlight import event_anchor

WIDTH = 920
LEFT = 110
RIGHT = 20
LANE = 26
TOP = 14
AXIS = 30


def parse_day(value: str | None) -> date | None:
    """A date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD…`` (first day when partial)."""
    if not value:
        return None
    parts = str(value)[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and parts[1] else 1
        day = int(parts[2]) if len(parts) > 2 and parts[2] else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    span = (hi - lo).days
    out: list[tuple[date, str]] = []
    if span <= 21:
        step = max(1, span // 7 or 1)
        d = lo
        while d <= hi:
            out.append((d, d.strftime("%d/%m")))
            d += timedelta(days=step)
        return out
    if span <= 900:
        months = span // 30
        step = 1 if months <= 8 else 3 if months <= 24 else 6
        y, m = lo.year, lo.month
        while True:
            d = date(y, m, 1)
            if d > hi:
                break
            if d >= lo:
                out.append((d, d.strftime("%m/%Y")))
            m += step
            while m > 12:
                m -= 12
                y += 1
        return out
    step = max(1, (span // 365) // 8 or 1)
    for y in range(lo.year + (0 if lo == date(lo.year, 1, 1) else 1), hi.year + 1, step):
        out.append((date(y, 1, 1), str(y)))
    return out


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def _linked(href: str | None, shape: str) -> str:
    return f'<a href="{escape(href)}">{shape}</a>' if href else shape


def _web_link(article: str, span: Any) -> str:
    anchor = event_anchor(span) if span is not None else None
    return "/article/" + quote(article, safe="") + (f"#{anchor}" if anchor else "")


def timeline_svg(timeline: Iterable[Mapping[str, Any]], articles: Iterable[Mapping[str, Any]], *,
                 link: Callable[[str, Any], str | None] = _web_link, sentences: bool = True,
                 gettext: Callable[[str], str] = str) -> Markup:
    """SVG markup for a story: ``timeline`` and ``articles`` as in a story summary.

    Dated articles and events sit on a time axis; undated ones in an "undated" band on
    the right, in article order (an undated event sits at its article's place). Each dot
    links to ``link(article id, event span or None)`` (the web interface's article page by
    default; no link when it gives None); its tooltip quotes the event's sentence unless
    ``sentences`` is false. ``gettext`` translates its words (English by default).
    """
    arts = [(parse_day(_get(a, "published")), a) for a in articles]
    evs = [(parse_day(_get(e, "date")), e) for e in timeline]
    if not arts and not evs:
        nothing = gettext("No article or event to draw.")
        return Markup(f'<p class="muted">{escape(nothing)}</p>')
    days = [d for d, _ in arts if d] + [d for d, _ in evs if d]
    undated_arts = [a for d, a in arts if d is None]
    inner = WIDTH - LEFT - RIGHT
    band = 0 if not undated_arts else (inner if not days else min(220, max(90, 40 * len(undated_arts))))
    dated_w = inner - band - (20 if band and days else 0)
    lo = hi = None
    if days:
        lo, hi = min(days), max(days)
        if lo == hi:
            lo, hi = lo - timedelta(days=1), hi + timedelta(days=1)
    total = (hi - lo).days if lo and hi else 1

    def x_date(d: date) -> float:
        return LEFT + dated_w * (d - lo).days / total  # type: ignore[operator]

    band_left = WIDTH - RIGHT - band
    art_x: dict[str, float] = {}
    for i, a in enumerate(undated_arts):
        art_x[str(_get(a, "id"))] = band_left + band * (i + 0.5) / len(undated_arts)
    for d, a in arts:
        if d is not None:
            art_x[str(_get(a, "id"))] = x_date(d)

    lanes = ["articles"]
    for _, e in evs:
        t = str(_get(e, "type") or "?")
        if t not in lanes:
            lanes.append(t)
    height = TOP + LANE * len(lanes) + AXIS

    def y(lane: str) -> float:
        return TOP + LANE * lanes.index(lane) + LANE / 2

    aria = gettext("timeline of the story")
    undated_words = gettext("undated (in article order)")
    out = [(f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'aria-label="{escape(aria)}" xmlns="http://www.w3.org/2000/svg">')]
    for lane in lanes:
        yy = y(lane)
        out.append(f'<line class="lane" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}"/>')
        shown = gettext("articles") if lane == "articles" else lane
        out.append(f'<text class="lane-label" x="{LEFT - 8}" y="{yy + 4:.1f}" '
                   f'text-anchor="end">{escape(shown)}</text>')
    base = TOP + LANE * len(lanes)
    out.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}"/>')
    if lo and hi:
        for d, label in _ticks(lo, hi):
            xx = x_date(d)
            out.append(f'<line class="tick" x1="{xx:.1f}" x2="{xx:.1f}" y1="{base}" y2="{base + 5}"/>')
            # a label at either end of the axis is kept inside it (and off the undated band)
            anchor = "start" if xx - LEFT < 20 else "end" if LEFT + dated_w - xx < 20 else "middle"
            out.append(f'<text class="tick-label" x="{xx:.1f}" y="{base + 18}" '
                       f'text-anchor="{anchor}">{escape(label)}</text>')
    if band:
        out.insert(1, f'<rect class="undated" x="{band_left:.1f}" y="{TOP}" width="{band:.1f}" '
                   f'height="{LANE * len(lanes)}"/>')
        out.append(f'<text class="tick-label" x="{band_left + band / 2:.1f}" y="{base + 18}" '
                   f'text-anchor="middle">'
                   f'{escape(gettext("undated") if band < 160 else undated_words)}</text>')
    taken: dict[tuple[str, int], int] = {}

    def place(lane: str, xx: float) -> float:
        """Spread dots that would sit on the same spot of a lane."""
        key = (lane, round(xx / 4))
        n = taken.get(key, 0)
        taken[key] = n + 1
        return xx + (n % 2 * 2 - 1) * ((n + 1) // 2) * 7 if n else xx

    for d, a in arts:
        aid = str(_get(a, "id") or "")
        href = link(aid, None)
        cls = "dot article copy" if _get(a, "duplicate_of") else "dot article"
        when = d.isoformat() if d else gettext("undated")
        outlet = _get(a, "outlet")
        label = f"{when} · {outlet + ': ' if outlet else ''}{_get(a, 'headline') or _get(a, 'title') or aid}"
        xx = place("articles", art_x[aid])
        out.append(_linked(href, f'<circle class="{cls}" cx="{xx:.1f}" '
                           f'cy="{y("articles"):.1f}" r="6"><title>{escape(label)}</title></circle>'))
    for d, e in evs:
        aid = str(_get(e, "article") or "")
        if d is not None and lo is not None:
            xx = x_date(d)
        elif aid in art_x:
            xx = art_x[aid]
        else:
            continue
        href = link(aid, _get(e, "span") or ())
        mod = str(_get(e, "modality") or "asserted")
        who = f"{_get(e, 'actor_name') or _get(e, 'actor') or '?'} → " \
              f"{_get(e, 'recipient_name') or _get(e, 'recipient') or '?'}"
        sentence = str(_get(e, "sentence") or "")
        label = f"{_get(e, 'date') or gettext('undated')} · {_get(e, 'type')} ({gettext(mod)}) {who}"
        if sentences:
            label += f": {sentence[:160]}"
        cls = "dot event mod-" + "".join(c for c in mod if c.isalnum())
        lane = str(_get(e, "type") or "?")
        xx = place(lane, xx)
        out.append(_linked(href, f'<circle class="{escape(cls)}" cx="{xx:.1f}" '
                           f'cy="{y(lane):.1f}" r="5"><title>{escape(label)}</title></circle>'))
    out.append("</svg>")
    return Markup("".join(out))
