"""The stories part of the terminal report (rich).

Pure rendering: ``render_stories(console, summaries, mirrors)`` takes the dicts made
by ``veille.cluster.story_summary`` and ``veille.cluster.mirror_links``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text


def clip(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters at a word boundary, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"

_MODALITY_STYLE = {"asserted": "bold", "reported": "cyan", "hedged": "yellow",
                   "planned": "magenta", "negated": "red"}


def _who(e: dict[str, Any], key: str) -> str:
    return e.get(f"{key}_name") or e.get(key) or "?"


def render_stories(console: Console, summaries: Iterable[dict[str, Any]],
                   mirrors: Iterable[dict[str, Any]] = (), *, max_events: int = 12,
                   max_articles: int = 10) -> None:
    """Print each story (title, source chain, articles, actors, timeline), then mirrors."""
    summaries = list(summaries)
    if not summaries:
        console.print("No stories yet: run [bold]veille run PATH[/bold] first.")
        return
    console.rule(f"Stories ({len(summaries)})")
    for s in summaries:
        when = s.get("first_published") or "undated"
        if s.get("last_published") and s.get("last_published") != s.get("first_published"):
            when += f" → {s['last_published']}"
        console.print(Text.assemble(("■ ", "bold blue"), (s.get("title") or "(untitled)", "bold"),
                                    (f"  [{when}]", "dim")))
        console.print(Text(s["source_chain"]["phrase"], style="italic"))
        arts = s.get("articles") or []
        for a in arts[:max_articles]:
            mark = " (copy)" if a.get("duplicate_of") else ""
            console.print(Text(f"  · {a.get('published') or '—'}  {a.get('outlet') or 'outlet unknown'}: "
                               f"{a.get('headline') or a.get('source') or a.get('id')}{mark}"))
        if len(arts) > max_articles:
            console.print(Text(f"  · … and {len(arts) - max_articles} more", style="dim"))
        if s.get("actors"):
            console.print(Text("  actors: " + ", ".join(f"{a['name']} ({a['articles']})"
                                                        for a in s["actors"]), style="green"))
        events = s.get("timeline") or []
        if events:
            table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
            for col in ("date", "who", "did", "to whom", "modality", "according to", "evidence"):
                table.add_column(col, overflow="fold")
            for e in events[:max_events]:
                mod = e.get("modality") or ""
                sentence = e.get("sentence") or ""
                table.add_row(escape(e.get("date") or "—"), escape(_who(e, "actor")),
                              escape(e.get("type") or ""), escape(_who(e, "recipient")),
                              Text(mod, style=_MODALITY_STYLE.get(mod, "")),
                              escape(e.get("according_to_name") or e.get("according_to") or "—"),
                              Text(clip(sentence, 140)))
            console.print(table)
            if len(events) > max_events:
                console.print(Text(f"  … {len(events) - max_events} more events", style="dim"))
        console.print()
    mirrors = list(mirrors)
    if mirrors:
        titles = {s.get("id"): s.get("title") or s.get("id") for s in summaries}
        console.rule(f"Mirrored narratives ({len(mirrors)})")
        for m in mirrors:
            ctx = f" [{', '.join(m['context'])}]" if m.get("context") else ""
            level = " (country level)" if m.get("level") == "country" else ""
            console.print(Text(f"{m['sides'][0]} ⇄ {m['sides'][1]}: {m['type']}{ctx}{level}",
                               style="bold"))
            for side in ("a", "b"):
                v = m[side]
                console.print(Text(f"  {v.get('actor')} → {v.get('recipient')} "
                                   f"({v.get('modality') or '?'}, {v.get('date') or 'undated'}) in "
                                   f"“{titles.get(v['story'], v['story'])}”: "
                                   f"{clip(v.get('sentence') or '', 120)}"))
