"""Small charts as inline SVG, drawn on the server: a story's sparkline, the store's volume
over time, counts by type and month, and the directed actor network of the report.

No script and no inline style: shapes carry classes (``spark``, ``bar`` …) that the page's
stylesheet colours, so the web pages keep their strict Content-Security-Policy and the HTML
report stays a few hundred kilobytes. Every label is escaped.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

from .timeline import parse_day


def days_back(end: date, n: int) -> list[date]:
    """The ``n`` days that end on ``end``, oldest first."""
    return [end - timedelta(days=n - 1 - i) for i in range(n)]


def sparkline_svg(values: Sequence[int], *, label: str, width: int = 120, height: int = 24) -> Markup:
    """A sparkline of ``values`` (one per day, oldest first): a line over the days and a dot on
    the last one; ``label`` is its accessible name and tooltip."""
    n = len(values)
    top = max(values, default=0) or 1
    step = (width - 4) / max(1, n - 1)

    def y(v: int) -> float:
        return height - 3 - (height - 6) * v / top

    points = " ".join(f"{2 + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    last = (2 + (n - 1) * step, y(values[-1])) if n else (2, height - 3)
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
        f'<line class="spark-base" x1="2" x2="{width - 2}" y1="{height - 3}" y2="{height - 3}"/>'
        f'<polyline class="spark-line" points="{points}"/>'
        f'<circle class="spark-end" cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2"/></svg>')


def bucket_counts(days: Mapping[str, int]) -> tuple[list[tuple[str, int]], str]:
    """Counts per day grouped into days, weeks or months so that about 120 bars at most are
    drawn: ([(label, count)], unit), every bucket of the span present (0 when empty)."""
    parsed = sorted((d, n) for d, n in ((parse_day(k), v) for k, v in days.items()) if d is not None)
    if not parsed:
        return [], "day"
    lo, hi = parsed[0][0], parsed[-1][0]
    span = (hi - lo).days + 1
    if span <= 120:
        unit = "day"

        def key(d: date) -> date:
            return d
    elif span <= 7 * 120:
        unit = "week"

        def key(d: date) -> date:
            return d - timedelta(days=d.weekday())
    else:
        unit = "month"

        def key(d: date) -> date:
            return d.replace(day=1)
    counts: Counter = Counter()
    for d, n in parsed:
        counts[key(d)] += n
    out: list[tuple[str, int]] = []
    cur = key(lo)
    while cur <= hi:
        out.append((cur.isoformat()[:7] if unit == "month" else cur.isoformat(), counts.get(cur, 0)))
        if unit == "day":
            cur += timedelta(days=1)
        elif unit == "week":
            cur += timedelta(days=7)
        else:
            cur = (cur.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out, unit


def bars_svg(buckets: Sequence[tuple[str, int]], *, label: str, unit: str = "day", width: int = 920,
             height: int = 120, css: str = "volume") -> Markup:
    """A bar chart of ``(label, count)`` buckets in time order, with the first, middle and last
    labels under the axis and each bar's count in its tooltip."""
    if not buckets:
        return Markup("")
    left, bottom, top_pad = 36, 18, 6
    inner_w, inner_h = width - left - 4, height - bottom - top_pad
    top = max(n for _, n in buckets) or 1
    bw = min(inner_w / len(buckets), 40.0)
    out = [(f'<svg class="bars {escape(css)}" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'),
           f'<line class="axis" x1="{left}" x2="{width - 4}" y1="{top_pad + inner_h}" y2="{top_pad + inner_h}"/>',
           f'<text class="tick-label" x="{left - 4}" y="{top_pad + 8}" text-anchor="end">{top}</text>',
           f'<text class="tick-label" x="{left - 4}" y="{top_pad + inner_h}" text-anchor="end">0</text>']
    for i, (when, n) in enumerate(buckets):
        h = inner_h * n / top
        x = left + i * bw
        out.append(f'<rect class="bar" x="{x + 0.5:.1f}" y="{top_pad + inner_h - h:.1f}" '
                   f'width="{max(1.0, bw - 1):.1f}" height="{h:.1f}"><title>{escape(when)} '
                   f'({escape(unit)}): {n}</title></rect>')
    marks = sorted({0, len(buckets) // 2, len(buckets) - 1})
    for i in marks:
        x = left + (i + 0.5) * bw
        anchor = "start" if i == 0 and len(marks) > 1 else "end" if i == len(buckets) - 1 and i else "middle"
        out.append(f'<text class="tick-label" x="{x:.1f}" y="{height - 4}" text-anchor="{anchor}">'
                   f'{escape(buckets[i][0])}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def months_svg(months: Mapping[str, Mapping[str, int]], series: Sequence[tuple[str, str]], *, label: str,
               width: int = 920, height: int = 130) -> Markup:
    """Bars per month (``YYYY-MM`` -> {series key: count}), one bar per series side by side
    (``series``: (key, legend) pairs, coloured by the classes ``s0``, ``s1`` …), every month of
    the span drawn (0 when empty), a legend under the axis."""
    keys = sorted(k for k in months if parse_day(k))
    if not keys:
        return Markup("")
    first, last = parse_day(keys[0]), parse_day(keys[-1])
    if first is None or last is None:
        return Markup("")
    span: list[str] = []
    cur = first.replace(day=1)
    while cur <= last and len(span) < 240:
        span.append(cur.isoformat()[:7])
        cur = (cur.replace(day=28) + timedelta(days=4)).replace(day=1)
    left, bottom, top_pad = 36, 32, 6
    inner_w, inner_h = width - left - 4, height - bottom - top_pad
    top = max((months.get(m, {}).get(k, 0) for m in span for k, _ in series), default=0) or 1
    mw = min(inner_w / len(span), 48.0)  # a few months do not fill the width with slabs
    bw = max(1.0, (mw - 2) / len(series))
    out = [(f'<svg class="bars months" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'),
           f'<line class="axis" x1="{left}" x2="{width - 4}" y1="{top_pad + inner_h}" y2="{top_pad + inner_h}"/>',
           f'<text class="tick-label" x="{left - 4}" y="{top_pad + 8}" text-anchor="end">{top}</text>']
    for i, m in enumerate(span):
        for j, (k, legend) in enumerate(series):
            n = months.get(m, {}).get(k, 0)
            if not n:
                continue
            h = inner_h * n / top
            out.append(f'<rect class="bar s{j}" x="{left + i * mw + 1 + j * bw:.1f}" y="{top_pad + inner_h - h:.1f}" '
                       f'width="{bw:.1f}" height="{h:.1f}"><title>{escape(m)}: {n} {escape(legend)}</title></rect>')
    for i in sorted({0, len(span) // 2, len(span) - 1}):
        anchor = "start" if i == 0 else "end" if i == len(span) - 1 else "middle"
        x = left + (i + (0 if anchor == "start" else 1 if anchor == "end" else 0.5)) * mw
        out.append(f'<text class="tick-label" x="{x:.1f}" y="{top_pad + inner_h + 13}" '
                   f'text-anchor="{anchor}">{escape(span[i])}</text>')
    x = left
    for j, (_, legend) in enumerate(series):
        out.append(f'<rect class="bar s{j}" x="{x}" y="{height - 10}" width="10" height="8"/>'
                   f'<text class="tick-label" x="{x + 14}" y="{height - 3}">{escape(legend)}</text>')
        x += 24 + 7 * len(legend)
    out.append("</svg>")
    return Markup("".join(out))


def _arrow_end(x0: float, y0: float, x1: float, y1: float, r: float) -> tuple[float, float]:
    d = math.hypot(x1 - x0, y1 - y0) or 1
    return x1 - (x1 - x0) * r / d, y1 - (y1 - y0) * r / d


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def text_box(x: float, y: float, text: str, anchor: str, size: float) -> Box:
    """The box a label of ``size`` pixels takes (an average glyph is ~0.6 em wide)."""
    w = 0.6 * size * len(text)
    x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
    return (x0 - 2, y - size, x0 + w + 2, y + 0.3 * size)


def _overlaps(box: Box, boxes: Iterable[Box]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes)


def _circle_order(nodes: list[str]) -> list[str]:
    """Nodes (most connected first) spread around the circle: the most connected far apart,
    so that the arrows between them cross the middle and their labels have room."""
    n = len(nodes)
    slots: list[int] = []
    step = n
    while len(slots) < n:
        step = max(1, step // 2)
        for k in range(0, n, step):
            if k not in slots:
                slots.append(k)
    placed: list[str | None] = [None] * n
    for node, slot in zip(nodes, slots, strict=False):
        placed[slot] = node
    return [p for p in placed if p is not None]


def network_svg(edges: Iterable[Mapping[str, Any]], *, max_nodes: int = 24, width: int = 920,
                height: int = 620, label: str = "who acted on whom: arrows go from the actor to the recipient") -> Markup:
    """The directed actor network: one node per actor (the ``max_nodes`` most connected),
    one arrow from actor to recipient per pair, labelled with its event types and counts.

    Nodes sit on a circle, the most connected spread apart; a node's label is written
    outside the circle, on its side. Labels never overlap: an edge's label is tried at
    several places along its arrow and left out (its arrow keeps it as a tooltip) when none
    is free of the labels already written. Two actors that acted on each other get two
    curved arrows.
    """
    pairs: dict[tuple[str, str], Counter] = {}
    names: dict[str, str] = {}
    degree: Counter = Counter()
    for e in edges:
        a, r = e.get("actor"), e.get("recipient")
        if not a or not r or a == r:
            continue
        pairs.setdefault((a, r), Counter())[e.get("type") or "?"] += int(e.get("count") or 1)
        names.setdefault(a, e.get("actor_name") or a)
        names.setdefault(r, e.get("recipient_name") or r)
        degree[a] += int(e.get("count") or 1)
        degree[r] += int(e.get("count") or 1)
    if not pairs:
        return Markup("")
    nodes = _circle_order([n for n, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:max_nodes]])
    keep = set(nodes)
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 70
    pos = {n: (cx + radius * math.cos(2 * math.pi * k / len(nodes) - math.pi / 2),
               cy + radius * math.sin(2 * math.pi * k / len(nodes) - math.pi / 2)) for k, n in enumerate(nodes)}
    out = [(f'<svg class="network" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg">'),
           ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
            'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            '<path class="arrow-head" d="M0,0 L10,5 L0,10 z"/></marker></defs>')]
    taken: list[Box] = []
    node_labels = []
    for n in nodes:
        x, y = pos[n]
        ux, uy = (x - cx) / radius, (y - cy) / radius
        anchor = "start" if ux > 0.25 else "end" if ux < -0.25 else "middle"
        for push in (14, 28, 42, 56):
            tx, ty = x + ux * push, y + uy * push + (4 if abs(uy) < 0.9 else (12 if uy > 0 else -4))
            box = text_box(tx, ty, names[n], anchor, 12)
            if not _overlaps(box, taken):
                break
        taken.append(box)
        taken.append((x - 9, y - 9, x + 9, y + 9))
        node_labels.append(f'<g class="node"><circle cx="{x:.1f}" cy="{y:.1f}" r="8"><title>{escape(names[n])}'
                           f'</title></circle><text class="node-label" x="{tx:.1f}" y="{ty:.1f}" '
                           f'text-anchor="{anchor}">{escape(names[n])}</text></g>')
    labels = []
    for (a, r), types in sorted(pairs.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        if a not in keep or r not in keep:
            continue
        (x0, y0), (x1, y1) = pos[a], pos[r]
        total = sum(types.values())
        text = ", ".join(f"{t} {n}" if n > 1 else t for t, n in types.most_common(3))
        # a curved path: the two directions between two actors bend to opposite sides
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        dx, dy = x1 - x0, y1 - y0
        d = math.hypot(dx, dy) or 1
        bend = 0.12 * d if (r, a) in pairs else 0.0
        qx, qy = mx - dy / d * bend, my + dx / d * bend
        sx, sy = _arrow_end(qx, qy, x0, y0, 9)
        ex, ey = _arrow_end(qx, qy, x1, y1, 10)
        w = min(5.0, 1.0 + math.log2(total))
        title = f"{names[a]} → {names[r]}: {text}"
        out.append(f'<path class="edge" d="M{sx:.1f},{sy:.1f} Q{qx:.1f},{qy:.1f} {ex:.1f},{ey:.1f}" '
                   f'stroke-width="{w:.1f}" marker-end="url(#arrow)"><title>{escape(title)}</title></path>')
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78):
            lx = (1 - t) ** 2 * sx + 2 * (1 - t) * t * qx + t * t * ex
            ly = (1 - t) ** 2 * sy + 2 * (1 - t) * t * qy + t * t * ey + 3
            box = text_box(lx, ly, text, "middle", 10)
            if not _overlaps(box, taken):
                taken.append(box)
                labels.append(f'<text class="edge-label" x="{lx:.1f}" y="{ly:.1f}" '
                              f'text-anchor="middle">{escape(text)}</text>')
                break
    out.extend(labels)
    out.extend(node_labels)
    out.append("</svg>")
    return Markup("".join(out))


__all__ = ["bars_svg", "bucket_counts", "days_back", "months_svg", "network_svg", "sparkline_svg", "text_box"]
