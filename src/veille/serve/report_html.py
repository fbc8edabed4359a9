"""The self-contained HTML report: stories, an events timeline, an actor network.

``write_html_report(path, summaries, mirrors, actors_network)`` writes one HTML file
that needs no network to view: plotly.js is inlined once, there is no CDN link, and
every piece of article content is HTML-escaped (titles, sentences, names).
"""
from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#222;line-height:1.4}
h1{font-size:1.6rem} h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
.chain{font-style:italic;color:#444} .meta{color:#777;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
td,th{border-bottom:1px solid #eee;padding:.25rem .4rem;text-align:left;vertical-align:top}
.asserted{font-weight:bold}.reported{color:#06c}.hedged{color:#b80}.planned{color:#a0a}.negated{color:#c00}
.copy{color:#999} .mirror{background:#f7f7fb;padding:.5rem;margin:.5rem 0;border-left:3px solid #88a}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _day(date: str | None) -> str | None:
    if not date:
        return None
    parts = date[:10].split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    while len(parts) < 3:
        parts.append("01")
    return "-".join(parts[:3])


def actor_network(summaries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Edges ``{actor, recipient, type, count, actor_name, recipient_name}`` from the
    stories' timelines: who acted on whom, by event type."""
    counts: Counter = Counter()
    names: dict[str, str] = {}
    for s in summaries:
        for e in s.get("timeline") or []:
            if e.get("actor") and e.get("recipient") and e.get("type"):
                counts[(e["actor"], e["recipient"], e["type"])] += 1
                names.setdefault(e["actor"], e.get("actor_name") or e["actor"])
                names.setdefault(e["recipient"], e.get("recipient_name") or e["recipient"])
    return [{"actor": a, "recipient": r, "type": t, "count": n,
             "actor_name": names.get(a, a), "recipient_name": names.get(r, r)}
            for (a, r, t), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _timeline_figure(summaries: list[dict[str, Any]]):
    import plotly.graph_objects as go

    fig = go.Figure()
    by_type: dict[str, dict[str, list]] = {}
    for s in summaries:
        label = _e((s.get("title") or s.get("id") or "")[:60])
        for e in s.get("timeline") or []:
            day = _day(e.get("date"))
            if day is None:
                continue
            d = by_type.setdefault(e.get("type") or "?", {"x": [], "y": [], "text": []})
            d["x"].append(day)
            d["y"].append(label)
            d["text"].append(f"{_e(e.get('actor_name') or e.get('actor'))} → "
                             f"{_e(e.get('recipient_name') or e.get('recipient'))} "
                             f"({_e(e.get('modality'))})<br>{_e((e.get('sentence') or '')[:160])}")
    for typ, d in sorted(by_type.items()):
        fig.add_trace(go.Scatter(x=d["x"], y=d["y"], mode="markers", name=_e(typ),
                                 text=d["text"], hoverinfo="text+x", marker={"size": 11}))
    fig.update_layout(title="Events per story", height=max(300, 60 * len(summaries) + 120),
                      margin={"l": 260}, xaxis={"type": "date"})
    return fig


def _network_figure(edges: list[dict[str, Any]]):
    import plotly.graph_objects as go

    nodes: list[str] = []
    labels: dict[str, str] = {}
    for ed in edges:
        for key in ("actor", "recipient"):
            if ed[key] not in labels:
                nodes.append(ed[key])
                labels[ed[key]] = ed.get(f"{key}_name") or ed[key]
    pos = {n: (math.cos(2 * math.pi * k / max(1, len(nodes))),
               math.sin(2 * math.pi * k / max(1, len(nodes)))) for k, n in enumerate(nodes)}
    fig = go.Figure()
    by_type: dict[str, dict[str, list]] = {}
    for ed in edges:
        (x0, y0), (x1, y1) = pos[ed["actor"]], pos[ed["recipient"]]
        d = by_type.setdefault(ed["type"], {"x": [], "y": [], "text": []})
        d["x"] += [x0, x1, None]
        d["y"] += [y0, y1, None]
        hover = (f"{_e(labels[ed['actor']])} {_e(ed['type'])} {_e(labels[ed['recipient']])}"
                 f" ×{ed['count']}")
        d["text"] += [hover, hover, None]
    for typ, d in sorted(by_type.items()):
        fig.add_trace(go.Scatter(x=d["x"], y=d["y"], mode="lines+markers", name=_e(typ),
                                 text=d["text"], hoverinfo="text", line={"width": 2}))
    fig.add_trace(go.Scatter(x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes],
                             mode="markers+text", text=[_e(labels[n]) for n in nodes],
                             textposition="top center", name="actors", hoverinfo="text",
                             marker={"size": 16, "color": "#334"}))
    fig.update_layout(title="Who acted on whom (edges by event type)", height=560,
                      xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def _figure_html(fig, *, first: bool) -> str:
    # plotly.js inlined once (no CDN): the file works offline.
    return fig.to_html(full_html=False, include_plotlyjs=bool(first))


def render_html(summaries: Iterable[dict[str, Any]], mirrors: Iterable[dict[str, Any]] = (),
                actors_network: list[dict[str, Any]] | None = None, *,
                title: str = "veille — stories") -> str:
    """The report as one HTML string (see :func:`write_html_report`)."""
    summaries = list(summaries)
    mirrors = list(mirrors)
    edges = actors_network if actors_network is not None else actor_network(summaries)
    titles = {s.get("id"): s.get("title") or s.get("id") for s in summaries}
    n_articles = sum(len(s.get("articles") or []) for s in summaries)
    out = ["<!DOCTYPE html>", "<html lang='fr'><head><meta charset='utf-8'>",
           f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{_e(title)}</h1>",
           (f"<p class='meta'>{len(summaries)} stories, {n_articles} articles, "
            f"{len(mirrors)} mirrored narratives.</p>")]
    has_events = any(_day(e.get("date")) for s in summaries for e in s.get("timeline") or [])
    first = True
    if has_events:
        out.append(_figure_html(_timeline_figure(summaries), first=first))
        first = False
    if edges:
        out.append(_figure_html(_network_figure(edges), first=first))
        first = False
    for s in summaries:
        out.append(f"<h2 id='story-{_e(s.get('id'))}'>{_e(s.get('title') or '(untitled)')}</h2>")
        span = s.get("first_published") or "undated"
        if s.get("last_published") and s.get("last_published") != s.get("first_published"):
            span += f" → {s['last_published']}"
        out.append(f"<p class='meta'>{_e(span)} · story {_e(s.get('id'))}</p>")
        out.append(f"<p class='chain'>{_e(s['source_chain']['phrase'])}</p>")
        out.append("<table><tr><th>published</th><th>outlet</th><th>title</th></tr>")
        for a in s.get("articles") or []:
            cls = " class='copy'" if a.get("duplicate_of") else ""
            label = a.get("headline") or a.get("source") or a.get("id")
            if a.get("duplicate_of"):
                label = f"{label} (copy)"
            out.append(f"<tr{cls}><td>{_e(a.get('published') or '—')}</td>"
                       f"<td>{_e(a.get('outlet') or '?')}</td><td>{_e(label)}</td></tr>")
        out.append("</table>")
        if s.get("actors"):
            out.append("<p><b>Actors:</b> " + ", ".join(
                f"{_e(a['name'])} ({a['articles']})" for a in s["actors"]) + "</p>")
        if s.get("timeline"):
            out.append("<table><tr><th>date</th><th>who</th><th>did</th><th>to whom</th>"
                       "<th>modality</th><th>evidence</th></tr>")
            for e in s["timeline"]:
                mod = e.get("modality") or ""
                out.append(
                    f"<tr><td>{_e(e.get('date') or '—')}</td>"
                    f"<td>{_e(e.get('actor_name') or e.get('actor'))}</td><td>{_e(e.get('type'))}</td>"
                    f"<td>{_e(e.get('recipient_name') or e.get('recipient'))}</td>"
                    f"<td class='{_e(mod)}'>{_e(mod)}</td><td>{_e(e.get('sentence'))}</td></tr>")
            out.append("</table>")
    if mirrors:
        out.append("<h2>Mirrored narratives</h2>")
        for m in mirrors:
            ctx = f" [{', '.join(m.get('context') or [])}]" if m.get("context") else ""
            level = " (country level)" if m.get("level") == "country" else ""
            out.append(f"<div class='mirror'><b>{_e(m['sides'][0])} ⇄ {_e(m['sides'][1])}: "
                       f"{_e(m['type'])}{_e(ctx)}{_e(level)}</b>")
            for side in ("a", "b"):
                v = m[side]
                out.append(f"<br>{_e(v.get('actor'))} → {_e(v.get('recipient'))} "
                           f"({_e(v.get('modality'))}, {_e(v.get('date') or 'undated')}) in "
                           f"<a href='#story-{_e(v['story'])}'>{_e(titles.get(v['story'], v['story']))}"
                           f"</a>: {_e(v.get('sentence'))}")
            out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out)


def write_html_report(path: str | Path, summaries: Iterable[dict[str, Any]],
                      mirrors: Iterable[dict[str, Any]] = (),
                      actors_network: list[dict[str, Any]] | None = None) -> Path:
    """Write the self-contained HTML report to ``path`` and return the path.

    ``summaries`` come from ``veille.cluster.story_summary``, ``mirrors`` from
    ``veille.cluster.mirror_links``; ``actors_network`` is a list of edges
    ``{actor, recipient, type, count}`` (built from the summaries when None).
    """
    p = Path(path)
    p.write_text(render_html(summaries, mirrors, actors_network), encoding="utf-8")
    return p
