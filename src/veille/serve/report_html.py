"""The self-contained HTML report: the store's volume, a directed actor network, and per
story its source chain, a timeline, its articles and its events (template
``templates/report.html``, in the web interface's language and with its catalog).

``write_html_report(path, summaries, mirrors, actors_network)`` writes one HTML file that
needs no network to view and stays small: the charts are inline SVG drawn here (no
script at all), and every piece of article content is HTML-escaped (titles, sentences,
names).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .charts import bars_svg, bucket_counts, network_svg
from .highlight import event_anchor
from .i18n import LANGUAGES, UNIT_NAMES, translations
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
                title: str | None = None, volume: dict[str, int] | None = None,
                language: str = LANGUAGES[0]) -> str:
    """The report as one HTML string (see :func:`write_html_report`), in ``language``."""
    from .pages import environment

    env = environment(language)
    gettext = translations(language).gettext
    summaries = list(summaries)
    mirrors = distinct_pairs(list(mirrors))
    edges = actors_network if actors_network is not None else actor_network(summaries)
    names = {a["id"]: a.get("name") or a["id"] for s in summaries for a in s.get("actors") or []}
    for s in summaries:
        for e in s.get("timeline") or []:
            for key in ("actor", "recipient"):
                if e.get(key) and e.get(f"{key}_name"):
                    names.setdefault(e[key], e[f"{key}_name"])
    timelines = []
    for s in summaries:
        timeline, articles = s.get("timeline") or [], s.get("articles") or []
        dated = any(parse_day(a.get("published")) for a in articles) or \
            any(parse_day(e.get("date")) for e in timeline)
        timelines.append({"dated": dated,
                          "undated": sum(1 for a in articles if not parse_day(a.get("published"))),
                          # the rows below quote the sentences: the dots' tooltips do not
                          "svg": timeline_svg(timeline, articles, link=_report_link, sentences=False,
                                              gettext=gettext) if dated else None})
    volume_svg, unit = None, "day"
    if volume:
        buckets, unit = bucket_counts(volume)
        if buckets:
            volume_svg = bars_svg(buckets, unit=gettext(UNIT_NAMES[unit]),
                                  label=gettext("articles per %(unit)s, by publication date")
                                  % {"unit": gettext(UNIT_NAMES[unit])})
    actors = {e[k] for e in edges for k in ("actor", "recipient") if e.get(k)}
    return env.get_template("report.html").render(
        title=title or gettext("veille — stories"), css=Markup(_CSS), summaries=summaries, mirrors=mirrors,
        names=names, titles={s.get("id"): s.get("title") or s.get("id") for s in summaries},
        n_articles=sum(len(s.get("articles") or []) for s in summaries), timelines=timelines,
        volume=volume_svg, unit=unit, modalities=MODALITIES, event_id=_event_id,
        network=network_svg(edges, max_nodes=NETWORK_NODES, label=gettext(
            "who acted on whom: arrows go from the actor to the recipient")) if edges else None,
        network_cut=len(actors) > NETWORK_NODES, network_nodes=NETWORK_NODES, network_actors=len(actors))


def write_html_report(path: str | Path, summaries: Iterable[dict[str, Any]],
                      mirrors: Iterable[dict[str, Any]] = (),
                      actors_network: list[dict[str, Any]] | None = None, *,
                      volume: dict[str, int] | None = None, language: str = LANGUAGES[0]) -> Path:
    """Write the self-contained HTML report to ``path`` and return the path.

    ``summaries`` come from ``veille.cluster.story_summary``, ``mirrors`` from
    ``veille.cluster.mirror_links``; ``actors_network`` is a list of edges
    ``{actor, recipient, type, count}`` (built from the summaries when None); ``volume``
    (articles per publication day) adds the store's volume chart. The report speaks
    ``language`` (French first, as the web interface; dates the locale's way).
    """
    p = Path(path)
    p.write_text(render_html(summaries, mirrors, actors_network, volume=volume, language=language),
                 encoding="utf-8")
    return p
