"""The report: what the store holds, in the terminal (rich) or as one HTML file.

One function per section; :func:`terminal_report` prints them in order and
:func:`html_report` writes the HTML file. Every section reads through the store's API.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..store.base import Reads
from .report_stories import clip

REPORT_STORIES = 20  # stories shown (most recently active first)
STORY_ARTICLES = 300  # articles of one story read for its summary

Section = Callable[[Reads, Console], None]


def overview_section(store: Reads, console: Console) -> None:
    """How many articles, from when, in which languages, from which outlets."""
    st = store.stats()
    console.rule("veille report")
    if not st["articles"]:
        console.print("The store holds no article yet: run [bold]veille run PATH[/bold] first.")
        return
    span = ""
    if st.get("earliest"):
        span = f", published {st['earliest']} → {st['latest']}"
    dup = f" ({st['duplicates']} duplicates)" if st["duplicates"] else ""
    console.print(Text(f"{st['articles']} articles{dup}{span}", style="bold"))
    langs = ", ".join(f"{lang} {n}" for lang, n in st["languages"].items())
    console.print(f"languages: {langs}")
    outlets = ", ".join(f"{o} {n}" for o, n in st["outlets"].items())
    console.print(Text(f"outlets: {outlets}"))


def cleaning_section(store: Reads, console: Console, *, top: int = 8) -> None:
    """What cleaning set apart: boilerplate segments and reader comments."""
    st = store.stats()
    if not st["articles"]:
        return
    console.rule("Cleaning")
    console.print(f"{st['dropped']} boilerplate segments removed, {st['comments']} reader comments set apart")
    rows = store.dropped(limit=top)
    if rows:
        table = Table("removed most often", "articles", box=None, header_style="bold")
        for r in rows:
            seg = r["segment"]
            table.add_row(Text(clip(seg, 90)), str(r["articles"]))
        console.print(table)


def annotations_section(store: Reads, console: Console, *, top: int = 10) -> None:
    """Counts of actors, events and quotes, with the most mentioned actors and event types."""
    st = store.stats()
    if not (st["actors"] or st["events"] or st["quotes"]):
        return
    console.rule("Actors, events, quotes")
    console.print(f"{st['actors']} actors ({st['actor_mentions']} mentions), {st['events']} events, "
                  f"{st['quotes']} quotes")
    actors = store.actors(limit=top)
    if actors:
        console.print(Text("top actors: " + ", ".join(f"{a['name']} ({a['articles']})" for a in actors)))
    if st["event_types"]:
        console.print(Text("event types: " + ", ".join(f"{t} {n}" for t, n in st["event_types"].items())))


def story_summaries(store: Reads, *, limit: int = REPORT_STORIES) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Summaries (``cluster.story_summary``) of the most recently active stories, and the
    mirrored narratives between them (``cluster.mirror_links``)."""
    from ..cluster.views import mirror_links, story_summary

    summaries = []
    for row in store.stories(limit=limit):
        record = store.story(row["id"]) or row
        record = dict(record, actors=[a["id"] if isinstance(a, dict) else a for a in record.get("actors", [])])
        summaries.append(story_summary(record, store.story_articles(row["id"], limit=STORY_ARTICLES)))
    from .report_html import distinct_pairs

    mirrors = distinct_pairs(mirror_links({s["id"]: s.get("timeline") or [] for s in summaries})) if summaries else []
    return summaries, mirrors


def stories_section(store: Reads, console: Console) -> None:
    """The stories with their source chains and timelines, and mirrored narratives."""
    if not store.stats()["stories"]:
        return
    from .report_stories import render_stories

    summaries, mirrors = story_summaries(store)
    render_stories(console, summaries, mirrors)


def errors_section(store: Reads, console: Console, *, top: int = 10) -> None:
    """The inputs that could not be processed."""
    errors = store.errors(limit=top)
    if not errors:
        return
    total = store.stats()["errors"]
    console.rule(f"Inputs not processed ({total})")
    for e in errors:
        where = f" [{e['locator']}]" if e["locator"] else ""
        console.print(Text(f"{e['source']}{where} ({e['stage']}): {e['reason']}"))
    if total > len(errors):
        console.print(Text(f"… and {total - len(errors)} more: veille errors", style="dim"))


SECTIONS: list[Section] = [overview_section, cleaning_section, annotations_section, stories_section,
                           errors_section]
"""The terminal report's sections, in order."""


def terminal_report(store: Reads, console: Console | None = None) -> None:
    """Print every section of the report."""
    console = console or Console()
    for section in SECTIONS:
        section(store, console)


def html_report(store: Reads, path: str | Path, *, language: str = "fr") -> Path:
    """Write the self-contained HTML report of the store to ``path``, in ``language`` (fr or en)."""
    if store.stats()["stories"]:
        from .report_html import write_html_report

        summaries, mirrors = story_summaries(store)
        return write_html_report(path, summaries, mirrors, volume=store.volume(), language=language)
    return _basic_html(store, path)


def _basic_html(store: Reads, path: str | Path) -> Path:
    """A plain HTML page of the counts and articles, for a store without stories."""
    st = store.stats()

    def e(v: Any) -> str:
        return html.escape("" if v is None else str(v), quote=True)

    rows = "".join(f"<tr><td>{e(a['published'])}</td><td>{e(a['outlet'])}</td><td>{e(a['title'])}</td>"
                   f"<td>{e(a['lang'])}</td></tr>" for a in store.articles(limit=1000))
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>veille report</title></head>"
            f"<body><h1>veille report</h1><p>{st['articles']} articles, {st['events']} events, "
            f"{st['quotes']} quotes, {st['actors']} actors, {st['errors']} inputs not processed.</p>"
            f"<table><tr><th>published</th><th>outlet</th><th>title</th><th>lang</th></tr>{rows}</table>"
            "</body></html>")
    p = Path(path)
    p.write_text(page, encoding="utf-8")
    return p


__all__ = ["SECTIONS", "annotations_section", "cleaning_section", "errors_section", "html_report",
           "overview_section", "stories_section", "story_summaries", "terminal_report"]
