"""Story report: terminal rendering and the self-contained HTML file."""
from __future__ import annotations

import io
import re

import pytest
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
    path = write_html_report(tmp_path / "r.html", summaries, mirrors, actor_network(summaries), language="en")
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=['\"]?https?:", page, re.IGNORECASE)
    assert not re.search(r"<link[^>]+href=['\"]?https?:", page, re.IGNORECASE)
    assert "<script" not in page.lower()  # the charts are inline SVG, no script at all
    assert '<svg class="network"' in page and '<svg class="timeline"' in page
    assert "<script>alert('x')</script>" not in page
    assert "<img src=x onerror" not in page
    assert "<i>Gazette</i>" not in page
    assert "&lt;script&gt;alert(" in page
    assert "Mirrored narratives" in page
    assert "1 article, 1 outlet, citing L&#39;Agence" in page


def test_html_report_without_events(tmp_path):
    s = story_summary({"id": "s"}, [{"id": "x", "title": "Un titre", "text": "Du texte."}])
    page = write_html_report(tmp_path / "r.html", [s], language="en").read_text(encoding="utf-8")
    assert "Un titre" in page and "<script" not in page.lower().split("</style>")[0]


def test_terminal_rendering():
    summaries, mirrors = _summaries()
    buf = io.StringIO()
    render_stories(Console(file=buf, width=160, color_system=None), summaries, mirrors)
    out = buf.getvalue()
    assert "Stories (2)" in out and "Mirrored narratives (1)" in out
    assert "<script>alert('x')</script>" in out  # shown as text, not interpreted
    assert "ACCUSE" in out and "reported" in out


def test_html_report_events_say_according_to_whom(tmp_path):
    summaries, mirrors = _summaries()
    summaries[0]["timeline"][0]["according_to"] = "Agence Bleue"
    page = write_html_report(tmp_path / "r.html", summaries, mirrors, language="en").read_text(encoding="utf-8")
    assert page.count("<th>according to</th>") == 2
    assert "<td>Agence Bleue</td>" in page
    # each event row has an id the timeline's dots link to
    assert 'id="ev-a1-0-20"' in page and 'href="#ev-a1-0-20"' in page


def test_html_report_timeline_says_what_it_shows_or_why_absent(tmp_path):
    summaries, _ = _summaries()
    page = write_html_report(tmp_path / "r.html", summaries, language="en").read_text(encoding="utf-8")
    assert "Timeline: the top lane is the articles by publication date" in page
    undated = story_summary({"id": "s"}, [{"id": "x", "title": "Un titre", "text": "Du texte.",
                                           "events": [{"type": "ACCUSE", "actor": "A", "recipient": "B"}]}])
    page = write_html_report(tmp_path / "u.html", [undated], language="en").read_text(encoding="utf-8")
    assert "No timeline: none of these articles carries a publication date" in page
    assert '<svg class="timeline"' not in page


def test_html_report_stays_small(tmp_path):
    """40 stories of 30 articles and 60 events each: the file grows with what it shows (under
    500 bytes per article and event, all charts included), not with a charting library."""
    stories = []
    for k in range(40):
        arts = [{"id": f"s{k}a{i}", "title": f"Titre {k} {i}", "outlet": f"Journal {i % 7}",
                 "published": f"2024-05-{1 + i % 28:02d}", "text": "Du texte. " * 50,
                 "actors": [{"id": f"P{j}", "name": f"Pays {j}"} for j in range(6)],
                 "events": [{"type": "ACCUSE", "actor": f"P{(i + j) % 6}", "recipient": f"P{(i + j + 1) % 6}",
                             "span": [j, j + 5], "sentence": "Une phrase de preuve assez longue. " * 3,
                             "date": f"2024-05-{1 + i % 28:02d}"} for j in range(2)]}
                for i in range(30)]
        stories.append(story_summary({"id": f"s{k}"}, arts))
    page = write_html_report(tmp_path / "r.html", stories, mirror_links({s["id"]: s["timeline"] for s in stories}),
                             language="en")
    assert page.stat().st_size < 500 * 40 * (30 + 60)


def _svg_paths(svg: str) -> list[tuple[float, float, float, float]]:
    return [tuple(map(float, m)) for m in re.findall(r'd="M([\d.]+),([\d.]+) Q[\d.]+,[\d.]+ ([\d.]+),([\d.]+)"', svg)]


def test_actor_network_is_directed_and_its_labels_do_not_overlap():
    from veille.serve.charts import network_svg, text_box

    edges = [{"actor": "A", "recipient": "B", "type": "ACCUSE", "count": 3, "actor_name": "Alphaland"},
             {"actor": "B", "recipient": "A", "type": "ACCUSE", "count": 1, "recipient_name": "Alphaland"}]
    edges += [{"actor": "A", "recipient": f"N{i}", "type": "SANCTION", "count": 1} for i in range(15)]
    edges += [{"actor": f"N{i}", "recipient": f"N{i + 1}", "type": "CONSULT", "count": 1} for i in range(14)]
    svg = str(network_svg(edges))
    assert 'marker-end="url(#arrow)"' in svg and "<marker id=\"arrow\"" in svg
    nodes = {m[2]: (float(m[0]), float(m[1])) for m in re.findall(
        r'<circle cx="([\d.]+)" cy="([\d.]+)" r="8"><title>([^<]+)</title>', svg)}
    paths = _svg_paths(svg)
    assert len(paths) == 2 + 15 + 14
    # the first path drawn is the heaviest pair, Alphaland -> B: it starts at A and ends at B
    sx, sy, ex, ey = paths[0]
    ax, ay = nodes["Alphaland"]
    bx, by = nodes["B"]
    assert abs(sx - ax) + abs(sy - ay) < 25 and abs(ex - bx) + abs(ey - by) < 25
    # A -> B and B -> A are two arrows, bent apart
    assert "Alphaland → B: ACCUSE 3" in svg and "B → Alphaland: ACCUSE" in svg
    boxes = []
    for x, y, anchor, cls, text in re.findall(
            r'<text class="(?:edge-label|node-label)" x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"()>([^<]*)</text>',
            svg):
        boxes.append(text_box(float(x), float(y), text, anchor, 10))
    assert len(boxes) > 20
    for i, b in enumerate(boxes):
        for c in boxes[i + 1:]:
            assert not (b[0] < c[2] and c[0] < b[2] and b[1] < c[3] and c[1] < b[3]), (b, c)


@pytest.mark.slow
def test_html_report_of_the_seeds_is_small(tmp_path, seeds_dir):
    from typer.testing import CliRunner

    from veille.cli import app

    db, out = tmp_path / "s.db", tmp_path / "r.html"
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(seeds_dir), "--db", str(db), "--quiet"]).exit_code == 0
    assert runner.invoke(app, ["report", "--db", str(db), "-o", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 100_000, out.stat().st_size  # 4.8 MB when plotly.js was inlined
    assert "<script" not in page.lower() and '<svg class="network"' in page
    assert "marker-end" in page


def test_html_report_speaks_french_first(tmp_path):
    summaries, mirrors = _summaries()
    page = write_html_report(tmp_path / "r.html", summaries, mirrors).read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "Récits en miroir" in page and "<th>selon</th>" in page
    assert "1 article, 1 média, citant L&#39;Agence" in page and "2 mai 2024" in page
    assert "Mirrored narratives" not in page and "according to" not in page
