"""The self-contained HTML report: the store's volume, a directed actor network, and per
story its source chain, a timeline, its articles and its events.

``write_html_report(path, summaries, mirrors, actors_network)`` writes one HTML file that
needs no network to view and stays small: the charts are inline SVG drawn here (no
script at all), and every piece of article content is HTML-escaped (titles, sentences,
names).
"""
from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .charts import bars_svg, bucket_counts, network_svg
from .highlight import event_anchor
from .params import MODALITIES
from .timeline import parse_day, timeline_svg

NETWORK_NODES = 24  # actors drawn in the network (the most connected)

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#222;line-height:1.4}
h1{font-size:1.6rem} h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
.chain{font-style:italic;color:#444} .meta{color:#777;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
td,th{border-bottom:1px solid #eee;padding:.25rem .4rem;text-align:left;vertical-align:top}
.asserted{font-weight:bold}.reported{color:#06c}.hedged{color:#b80}.planned{color:#a0a}.negated{color:#c00}
.copy{color:#999} .mirror{background:#f7f7fb;padding:.5rem;margin:.5rem 0;border-left:3px solid #88a}
figure{margin:.5rem 0} svg{max-width:100%;height:auto} svg text{font-size:11px;fill:#555}
svg .lane{stroke:#e3e5e8} svg .axis,svg .tick{stroke:#9aa0a8} svg .lane-label{font-family:monospace;fill:#222}
svg .dot{stroke:#fff;stroke-width:1.5} svg .dot.article{fill:#6b7079} svg .dot.article.copy{fill:#c3c7cc}
svg .mod-asserted{fill:#2d6a2d} svg .mod-reported{fill:#1f5fbf} svg .mod-hedged{fill:#b26b00}
svg .mod-planned{fill:#8a3ab9} svg .mod-negated{fill:#c0392b} svg rect.undated{fill:#f6f7f9;stroke:#e3e5e8}
svg .bar{fill:#8fb1e3} svg .edge{fill:none;stroke:#7d8aa5;stroke-opacity:.8} svg .arrow-head{fill:#56617a}
svg .node circle{fill:#334;stroke:#fff;stroke-width:2} svg .node-label{fill:#111;font-size:12px;font-weight:600}
svg .edge-label{fill:#445;font-size:10px;paint-order:stroke;stroke:#fff;stroke-width:3px}
tr:target{background:#ffe58a}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


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


def _event_id(article: Any, span: Any) -> str:
    """The id of an event's row in the report (the timeline's dots link to it)."""
    anchor = event_anchor(span) if span else None
    return "ev-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in str(article)) + \
        (anchor[2:] if anchor else "")


def _report_link(article: str, span: Any) -> str | None:
    return "#" + _event_id(article, span) if span else None


def _story_timeline(s: dict[str, Any]) -> str:
    """A story's timeline (inline SVG) with a caption saying what it shows, or why it is absent."""
    timeline, articles = s.get("timeline") or [], s.get("articles") or []
    dated = any(parse_day(a.get("published")) for a in articles) or \
        any(parse_day(e.get("date")) for e in timeline)
    if not dated:
        return ("<p class='meta'>No timeline: none of these articles carries a publication date and no "
                "event is dated, so nothing can be placed in time.</p>")
    svg = timeline_svg(timeline, articles, link=_report_link, sentences=False)  # rows below have them
    undated = sum(1 for a in articles if not parse_day(a.get("published")))
    note = (f" {undated} undated article{'s sit' if undated != 1 else ' sits'} in the grey band, in article order."
            if undated else "")
    return (f"<figure class='timeline'>{svg}<figcaption class='meta'>Timeline: the top lane is the articles "
            "by publication date (copies pale); each other lane is one event type, its dots placed at the "
            "event's date (else its article's) and coloured by modality: "
            + " ".join(f"<span class='{m}'>{m}</span>" for m in MODALITIES)
            + f"; a dot links to its row below.{_e(note)}</figcaption></figure>")


def _according(e: dict[str, Any], names: dict[str, str]) -> str:
    who = e.get("according_to")
    return names.get(who, who) if who else "—"


def distinct_pairs(mirrors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One link per pair of events (the closest level kept: the list is best first)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for m in mirrors:
        key = (m.get("type"), *sorted((str(m[x].get("story")), " ".join(str(m[x].get("sentence") or "").split()))
                                      for x in ("a", "b")))
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def render_html(summaries: Iterable[dict[str, Any]], mirrors: Iterable[dict[str, Any]] = (),
                actors_network: list[dict[str, Any]] | None = None, *,
                title: str = "veille — stories", volume: dict[str, int] | None = None) -> str:
    """The report as one HTML string (see :func:`write_html_report`)."""
    summaries = list(summaries)
    mirrors = list(mirrors)
    edges = actors_network if actors_network is not None else actor_network(summaries)
    titles = {s.get("id"): s.get("title") or s.get("id") for s in summaries}
    names = {a["id"]: a.get("name") or a["id"] for s in summaries for a in s.get("actors") or []}
    for s in summaries:
        for e in s.get("timeline") or []:
            for key in ("actor", "recipient"):
                if e.get(key) and e.get(f"{key}_name"):
                    names.setdefault(e[key], e[f"{key}_name"])
    n_articles = sum(len(s.get("articles") or []) for s in summaries)
    out = ["<!DOCTYPE html>", "<html lang='fr'><head><meta charset='utf-8'>",
           f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{_e(title)}</h1>",
           (f"<p class='meta'>{len(summaries)} stories, {n_articles} articles, "
            f"{len(mirrors)} mirrored narratives.</p>")]
    if volume:
        buckets, unit = bucket_counts(volume)
        if buckets:
            out.append(f"<h2>Volume</h2><figure>{bars_svg(buckets, unit=unit, label=f'articles per {unit}')}"
                       f"<figcaption class='meta'>Articles in the store per {unit}, by publication date "
                       "(undated articles are not drawn).</figcaption></figure>")
    if edges:
        out.append("<h2>Who acted on whom</h2>")
        actors = {e[k] for e in edges for k in ("actor", "recipient") if e.get(k)}
        cut = (f" Only the {NETWORK_NODES} most connected of its {len(actors)} actors are drawn."
               if len(actors) > NETWORK_NODES else "")
        out.append(f"<figure>{network_svg(edges, max_nodes=NETWORK_NODES)}<figcaption class='meta'>Each arrow "
                   "goes from the actor to the recipient of its acts in these stories, labelled with the event "
                   "types and how many (a label with no free place is left to the arrow's tooltip); thicker "
                   f"arrows carry more events.{cut}</figcaption></figure>")
    for s in summaries:
        out.append(f"<h2 id='story-{_e(s.get('id'))}'>{_e(s.get('title') or '(untitled)')}</h2>")
        span = s.get("first_published") or "undated"
        if s.get("last_published") and s.get("last_published") != s.get("first_published"):
            span += f" → {s['last_published']}"
        out.append(f"<p class='meta'>{_e(span)} · story {_e(s.get('id'))}</p>")
        out.append(f"<p class='chain'>{_e(s['source_chain']['phrase'])}</p>")
        out.append(_story_timeline(s))
        out.append("<table><tr><th>published</th><th>outlet</th><th>title</th></tr>")
        for a in s.get("articles") or []:
            cls = " class='copy'" if a.get("duplicate_of") else ""
            label = a.get("headline") or a.get("source") or a.get("id")
            if a.get("duplicate_of"):
                label = f"{label} (copy)"
            out.append(f"<tr{cls}><td>{_e(a.get('published') or '—')}</td>"
                       f"<td>{_e(a.get('outlet') or 'unknown')}</td><td>{_e(label)}</td></tr>")
        out.append("</table>")
        if s.get("actors"):
            out.append("<p><b>Actors:</b> " + ", ".join(
                f"{_e(a['name'])} ({a['articles']})" for a in s["actors"]) + "</p>")
        if s.get("timeline"):
            out.append("<table class='events'><tr><th>date</th><th>who</th><th>did</th><th>to whom</th>"
                       "<th>modality</th><th>according to</th><th>evidence</th></tr>")
            for e in s["timeline"]:
                mod = e.get("modality") or ""
                out.append(
                    f"<tr id='{_e(_event_id(e.get('article'), e.get('span')))}'><td>{_e(e.get('date') or '—')}</td>"
                    f"<td>{_e(e.get('actor_name') or e.get('actor'))}</td><td>{_e(e.get('type'))}</td>"
                    f"<td>{_e(e.get('recipient_name') or e.get('recipient'))}</td>"
                    f"<td class='{_e(mod)}'>{_e(mod)}</td><td>{_e(_according(e, names))}</td>"
                    f"<td>{_e(e.get('sentence'))}</td></tr>")
            out.append("</table>")
    mirrors = distinct_pairs(mirrors)
    if mirrors:
        out.append("<h2>Mirrored narratives</h2>")
        out.append("<p class='meta'>The same charge with the roles swapped across two stories; each pair of "
                   "events once.</p>")
        for m in mirrors:
            ctx = f" [{', '.join(m.get('context') or [])}]" if m.get("context") else ""
            level = " (country level)" if m.get("level") == "country" else ""
            out.append(f"<div class='mirror'><b>{_e(names.get(m['sides'][0], m['sides'][0]))} ⇄ "
                       f"{_e(names.get(m['sides'][1], m['sides'][1]))}: {_e(m['type'])}{_e(ctx)}{_e(level)}</b>")
            for side in ("a", "b"):
                v = m[side]
                out.append(f"<br>{_e(names.get(v.get('actor'), v.get('actor')))} → "
                           f"{_e(names.get(v.get('recipient'), v.get('recipient')))} "
                           f"({_e(v.get('modality'))}, {_e(v.get('date') or 'undated')}) in "
                           f"<a href='#story-{_e(v['story'])}'>{_e(titles.get(v['story'], v['story']))}"
                           f"</a>: <a href='#{_e(_event_id(v.get('article'), v.get('span')))}'>"
                           f"{_e(v.get('sentence'))}</a>")
            out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out)


def write_html_report(path: str | Path, summaries: Iterable[dict[str, Any]],
                      mirrors: Iterable[dict[str, Any]] = (),
                      actors_network: list[dict[str, Any]] | None = None, *,
                      volume: dict[str, int] | None = None) -> Path:
    """Write the self-contained HTML report to ``path`` and return the path.

    ``summaries`` come from ``veille.cluster.story_summary``, ``mirrors`` from
    ``veille.cluster.mirror_links``; ``actors_network`` is a list of edges
    ``{actor, recipient, type, count}`` (built from the summaries when None); ``volume``
    (articles per publication day) adds the store's volume chart.
    """
    p = Path(path)
    p.write_text(render_html(summaries, mirrors, actors_network, volume=volume), encoding="utf-8")
    return p
