"""Story report: terminal rendering and the self-contained HTML file."""
from __future__ import annotations

import io
import re

from rich.console import Console

from veille.cluster import mirror_links, story_summary
from veille.records import Actor, AnnotatedArticle, CitedSource, Event, Story
from veille.serve.report_html import actor_network, write_html_report
from veille.serve.report_stories import render_stories

HOSTILE = "<script>alert('x')</script> Les dockers & <b>le port</b>"


def _summaries():
    a1 = AnnotatedArticle(
        id="a1", source="a1.html", title=HOSTILE, outlet="La <i>Gazette</i>", published="2024-05-02",
        text="Les dockers accusent le ministère de mépris.",
        actors=[Actor(id="CGT", name="CGT"), Actor(id="FRA", name="France", kind="country")],
        cited_sources=[CitedSource(name="L'Agence", span=(0, 3))],
        events=[Event(type="ACCUSE", span=(0, 20), sentence="<img src=x onerror=alert(1)>",
                      actor="CGT", recipient="FRA", context=["labour"], modality="asserted",
                      date="2024-05-02")])
    a2 = AnnotatedArticle(
        id="a2", source="a2.html", title="Le ministère répond aux dockers", outlet="Le Quotidien",
        published="2024-05-03", text="Le ministère accuse les dockers de blocage.",
        actors=[Actor(id="CGT", name="CGT"), Actor(id="FRA", name="France", kind="country")],
        events=[Event(type="ACCUSE", span=(0, 20), sentence="Le ministère accuse les dockers.",
                      actor="FRA", recipient="CGT", context=["labour"], modality="reported",
                      date="2024-05-03")])
    s1 = story_summary(Story(id="s1"), [a1])
    s2 = story_summary(Story(id="s2"), [a2])
    mirrors = mirror_links({s["id"]: s["timeline"] for s in (s1, s2)})
    return [s1, s2], mirrors


def test_html_report_is_self_contained_and_escapes(tmp_path):
    summaries, mirrors = _summaries()
    assert len(mirrors) == 1
    path = write_html_report(tmp_path / "r.html", summaries, mirrors, actor_network(summaries))
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=['\"]?https?:", page, re.IGNORECASE)
    assert not re.search(r"<link[^>]+href=['\"]?https?:", page, re.IGNORECASE)
    assert "Plotly.newPlot" in page or "Plotly.react" in page  # charts are there, inline
    assert "<script>alert('x')</script>" not in page
    assert "<img src=x onerror" not in page
    assert "<i>Gazette</i>" not in page
    assert "&lt;script&gt;alert(" in page
    assert "Mirrored narratives" in page
    assert "1 article, 1 outlet, citing L&#x27;Agence" in page


def test_html_report_without_events(tmp_path):
    s = story_summary({"id": "s"}, [{"id": "x", "title": "Un titre", "text": "Du texte."}])
    page = write_html_report(tmp_path / "r.html", [s]).read_text(encoding="utf-8")
    assert "Un titre" in page and "<script" not in page.lower().split("</style>")[0]


def test_terminal_rendering():
    summaries, mirrors = _summaries()
    buf = io.StringIO()
    render_stories(Console(file=buf, width=160, color_system=None), summaries, mirrors)
    out = buf.getvalue()
    assert "Stories (2)" in out and "Mirrored narratives (1)" in out
    assert "<script>alert('x')</script>" in out  # shown as text, not interpreted
    assert "ACCUSE" in out and "reported" in out
