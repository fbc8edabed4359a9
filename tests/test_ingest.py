"""Ingest: formats, ordering, stable ids, and every kind of bad input."""
from __future__ import annotations

import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest

from veille import ingest
from veille.config import Config
from veille.records import Failure, RawDocument

ARTICLE = (
    "Le gouvernement annonce un plan de soutien aux agriculteurs\n"
    "Le ministre de l'Agriculture a présenté mardi un plan de deux milliards d'euros "
    "destiné aux exploitations touchées par la sécheresse de l'été.\n"
    "Les syndicats agricoles ont salué « un premier pas », tout en réclamant des mesures "
    "plus rapides pour les éleveurs.\n"
)

HTML = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Grève à la SNCF : le trafic perturbé jeudi</title></head>
<body><nav><a href="/">Accueil</a></nav><article><h1>Grève à la SNCF : le trafic perturbé jeudi</h1>
<p>Le trafic sera fortement perturbé jeudi sur l'ensemble du réseau, a annoncé la direction
de la SNCF mercredi soir, après l'appel à la grève lancé par quatre syndicats.</p>
<p>Seul un TGV sur deux circulera, et les trains régionaux seront très touchés en
Île-de-France comme en région, selon les prévisions publiées par l'entreprise.</p>
</article></body></html>"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>La Gazette du Centre</title><link>https://gazette.example/</link>
<item><title>Le conseil municipal vote le budget</title><link>https://gazette.example/budget</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate>
<description>&lt;p&gt;Le conseil municipal a adopté lundi soir le budget primitif de la commune,
en hausse de trois pour cent par rapport à l'an dernier.&lt;/p&gt;</description></item>
<item><title>Travaux sur la départementale</title><link>https://gazette.example/travaux</link>
<pubDate>Wed, 06 Mar 2024 08:00:00 +0100</pubDate>
<description>Les travaux de réfection de la chaussée dureront trois semaines.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Le Blog Tech</title>
<entry><title>Un nouveau processeur annoncé</title><link href="https://blog.example/cpu"/>
<updated>2024-02-01T09:00:00Z</updated>
<content type="html">&lt;p&gt;Le fabricant a dévoilé hier un processeur gravé en trois nanomètres.&lt;/p&gt;</content>
</entry></feed>"""


@pytest.fixture()
def cfg() -> Config:
    return Config()


def read(paths, cfg) -> list:
    return list(ingest.run([str(p) for p in paths], cfg))


def only_failure(items) -> Failure:
    fails = [i for i in items if isinstance(i, Failure)]
    assert len(fails) == 1, items
    return fails[0]


# -- formats ----------------------------------------------------------------------------------

def test_txt_headline_becomes_title(tmp_path, cfg):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    [doc] = read([f], cfg)
    assert isinstance(doc, RawDocument)
    assert doc.format == "text" and doc.source == str(f)
    assert doc.title == "Le gouvernement annonce un plan de soutien aux agriculteurs"
    assert "deux milliards" in doc.content


def test_txt_first_sentence_is_not_a_title(tmp_path, cfg):
    f = tmp_path / "b.txt"
    f.write_text("Le ministre a présenté mardi un plan d'aide aux éleveurs touchés.\nSuite.", encoding="utf-8")
    [doc] = read([f], cfg)
    assert doc.title is None


def test_html_is_kept_as_markup(tmp_path, cfg):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    [doc] = read([f], cfg)
    assert doc.format == "html" and "<article>" in doc.content


def test_jsonl_bad_line_is_a_failure_and_good_lines_count(tmp_path, cfg):
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "Premier article sur la réforme des retraites.", "url": "https://a.example/1",
                    "title": "Retraites", "published": "2024-01-15T08:00:00Z", "outlet": "Le Quotidien"}),
        "{not json",
        json.dumps({"html": "<p>Deuxième article, en HTML, sur le budget.</p>", "url": "https://a.example/2"}),
        json.dumps({"url": "https://a.example/3"}),
        "",
    ]
    f.write_text("\n".join(lines), encoding="utf-8")
    items = read([f], cfg)
    docs = [i for i in items if isinstance(i, RawDocument)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert [d.locator for d in docs] == ["line 1", "line 3"]
    assert docs[0].published == "2024-01-15" and docs[0].outlet == "Le Quotidien" and docs[0].title == "Retraites"
    assert docs[1].format == "html" and docs[1].url == "https://a.example/2"
    assert [(x.locator, x.stage) for x in fails] == [("line 2", "ingest"), ("line 4", "ingest")]
    assert "JSON" in fails[0].reason and "text" in fails[1].reason


def test_rss_entries(tmp_path, cfg):
    f = tmp_path / "flux.rss"
    f.write_text(RSS, encoding="utf-8")
    docs = read([f], cfg)
    assert [d.locator for d in docs] == ["entry 1", "entry 2"]
    first = docs[0]
    assert first.outlet == "La Gazette du Centre" and first.url == "https://gazette.example/budget"
    assert first.published == "2024-03-05" and first.title == "Le conseil municipal vote le budget"
    assert "budget primitif" in first.content


def test_atom_content(tmp_path, cfg):
    f = tmp_path / "blog.atom"
    f.write_text(ATOM, encoding="utf-8")
    [doc] = read([f], cfg)
    assert doc.format == "html" and "trois nanomètres" in doc.content
    assert doc.outlet == "Le Blog Tech" and doc.published == "2024-02-01"


def _warc_bytes(pages: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                        http_headers=headers)
        writer.write_record(rec)
    return buf.getvalue()


def test_warc_records(tmp_path, cfg):
    f = tmp_path / "crawl.warc.gz"
    f.write_bytes(_warc_bytes([("https://x.example/a", HTML), ("https://x.example/b", HTML.replace("jeudi", "vendredi"))]))
    docs = read([f], cfg)
    assert [d.url for d in docs] == ["https://x.example/a", "https://x.example/b"]
    assert all(d.format == "html" and d.locator.startswith("record ") for d in docs)


def test_truncated_warc_keeps_earlier_records(tmp_path, cfg):
    data = _warc_bytes([("https://x.example/a", HTML), ("https://x.example/b", HTML * 40)])
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(data[: len(data) - 300])
    items = read([f], cfg)
    assert isinstance(items[0], RawDocument) and items[0].url == "https://x.example/a"
    fail = only_failure(items)
    assert "truncated" in fail.reason and fail.locator.startswith("record")


def test_gzipped_text(tmp_path, cfg):
    f = tmp_path / "a.txt.gz"
    f.write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    [doc] = read([f], cfg)
    assert isinstance(doc, RawDocument) and "syndicats" in doc.content


# -- encodings -----------------------------------------------------------------------------------

def test_cp1252_french_is_detected(tmp_path, cfg):
    f = tmp_path / "ancien.txt"
    text = ("Les élèves de l'école Émile-Zola ont présenté leur œuvre à la mairie.\n"
            "Ça s'est passé dans une ambiance très détendue, à la fin de l'été.\n") * 3
    f.write_bytes(text.encode("cp1252"))
    [doc] = read([f], cfg)
    assert "élèves" in doc.content and "œuvre" in doc.content and "Ça" in doc.content
    assert doc.encoding in ("cp1252", "windows-1252")


def test_latin1_and_bom(tmp_path, cfg):
    f1 = tmp_path / "latin.txt"
    f1.write_bytes("Un député a déposé une proposition de loi sur la sécurité routière.".encode("latin-1"))
    f2 = tmp_path / "bom.txt"
    f2.write_bytes(b"\xef\xbb\xbf" + "Le préfet a pris un arrêté.".encode())
    d1, d2 = read([f1, f2], cfg)
    assert "député" in d1.content and "sécurité" in d1.content
    assert d2.content.startswith("Le préfet")


def test_nfc_normalisation(tmp_path, cfg):
    f = tmp_path / "nfd.txt"
    f.write_text("Le de\u0301pute\u0301 a parle\u0301 hier soir devant l'Assemblée.", encoding="utf-8")
    [doc] = read([f], cfg)
    assert "député" in doc.content


# -- folders, globs, order, ids ---------------------------------------------------------------------

def test_folder_recursive_sorted_and_symlink_loop(tmp_path, cfg):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Texte deux, assez long pour compter.", encoding="utf-8")
    (tmp_path / "a" / "1.txt").write_text("Texte un, assez long pour compter.", encoding="utf-8")
    (tmp_path / "a" / ".cache").write_text("caché", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    docs = read([tmp_path], cfg)
    assert [Path(d.source).name for d in docs] == ["1.txt", "2.txt"]
    assert all(isinstance(d, RawDocument) for d in docs)


def test_glob_and_stable_ids(tmp_path, cfg):
    for name in ("x.txt", "y.txt"):
        (tmp_path / name).write_text(f"Article {name} sur les élections municipales.", encoding="utf-8")
    first = list(ingest.run([str(tmp_path / "*.txt")], cfg))
    again = list(ingest.run([str(tmp_path / "*.txt")], cfg))
    assert [d.id for d in first] == [d.id for d in again]
    assert len({d.id for d in first}) == 2


def test_read_bytes_html_and_feed(cfg):
    [doc] = list(ingest.read_bytes(HTML.encode("utf-8"), source="https://x.example/p",
                                   url="https://x.example/p", content_type="text/html; charset=utf-8"))
    assert doc.format == "html" and doc.url == "https://x.example/p"
    again = list(ingest.read_bytes(HTML.encode("utf-8"), source="https://x.example/p", url="https://x.example/p"))
    assert again[0].id == doc.id
    entries = list(ingest.read_bytes(RSS.encode("utf-8"), source="https://gazette.example/rss"))
    assert len(entries) == 2 and entries[0].outlet == "La Gazette du Centre"


# -- bad input: a Failure with a reason, never an exception ------------------------------------------

def test_missing_path(cfg):
    fail = only_failure(read(["/nonexistent/nulle-part.txt"], cfg))
    assert "no such file" in fail.reason and fail.stage == "ingest"


def test_glob_without_match(tmp_path, cfg):
    fail = only_failure(read([tmp_path / "*.html"], cfg))
    assert "no file matches" in fail.reason


def test_empty_file(tmp_path, cfg):
    f = tmp_path / "vide.txt"
    f.write_bytes(b"")
    g = tmp_path / "blancs.txt"
    g.write_text("\n\n   \n", encoding="utf-8")
    fails = read([f, g], cfg)
    assert all(isinstance(x, Failure) and "empty" in x.reason for x in fails) and len(fails) == 2


def test_binary_and_nul_bytes(tmp_path, cfg):
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    g = tmp_path / "nul.html"
    g.write_bytes(b"<p>texte</p>\x00\x00\x00 suite")
    for item in read([f, g], cfg):
        assert isinstance(item, Failure) and "binary" in item.reason


def test_huge_single_line(tmp_path, cfg):
    f = tmp_path / "ligne.txt"
    f.write_bytes(b"mot " * 1_500_000)  # 6 MB, no newline
    fail = only_failure(read([f], cfg))
    assert "line" in fail.reason and "max_line_chars" in fail.reason


def test_max_bytes(tmp_path):
    f = tmp_path / "gros.txt"
    f.write_text("Une phrase d'article.\n" * 100, encoding="utf-8")
    small = Config().with_overrides(ingest={"max_bytes": 500})
    fail = only_failure(list(ingest.run([str(f)], small)))
    assert "max_bytes" in fail.reason


def test_broken_html_still_read(tmp_path, cfg):
    f = tmp_path / "casse.html"
    f.write_text("<html><body><p>Un paragraphe <b>non fermé <div> sur la réforme", encoding="utf-8")
    [doc] = read([f], cfg)
    assert isinstance(doc, RawDocument)


def test_truncated_gzip(tmp_path, cfg):
    data = gzip.compress(ARTICLE.encode("utf-8") * 50)
    f = tmp_path / "coupe.txt.gz"
    f.write_bytes(data[: len(data) // 2])
    fail = only_failure(read([f], cfg))
    assert "gzip" in fail.reason


def test_unknown_extension(tmp_path, cfg):
    f = tmp_path / "rapport.pdf"
    f.write_bytes(b"%PDF-1.4")
    fail = only_failure(read([f], cfg))
    assert "unknown format .pdf" in fail.reason and ".txt" in fail.reason


def test_not_a_feed(tmp_path, cfg):
    f = tmp_path / "config.xml"
    f.write_text("<?xml version='1.0'?><config><a>1</a></config>", encoding="utf-8")
    fail = only_failure(read([f], cfg))
    assert "feed" in fail.reason


def test_not_a_warc(tmp_path, cfg):
    f = tmp_path / "faux.warc"
    f.write_text("ceci n'est pas une archive", encoding="utf-8")
    items = read([f], cfg)
    assert items and all(isinstance(i, Failure) for i in items)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="permissions are not enforced")
def test_permission_denied(tmp_path, cfg):
    f = tmp_path / "secret.txt"
    f.write_text("Contenu protégé.", encoding="utf-8")
    f.chmod(0)
    try:
        fail = only_failure(read([f], cfg))
        assert "permission denied" in fail.reason
    finally:
        f.chmod(0o644)


def test_one_bad_file_does_not_stop_the_others(tmp_path, cfg):
    good = tmp_path / "bon.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "mauvais.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    items = read([bad, "/absent.txt", good], cfg)
    assert isinstance(items[-1], RawDocument) and items[-1].source == str(good)
    assert sum(isinstance(i, Failure) for i in items) == 2


def test_seeds_are_read(seeds_dir, cfg):
    docs = [d for d in ingest.run([str(seeds_dir)], cfg) if isinstance(d, RawDocument)]
    assert len(docs) >= 5
    assert docs == sorted(docs, key=lambda d: d.source)


def test_jsonl_month_date_is_kept_at_its_precision(tmp_path):
    cfg = Config()
    f = tmp_path / "feed.jsonl"
    rows = [{"text": "Un article daté du mois seulement.", "url": "https://a.example/m", "published": "2023-11"},
            {"text": "Un article à la date illisible.", "url": "https://a.example/x", "published": "2023-13"}]
    f.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    docs = [i for i in read([f], cfg) if isinstance(i, RawDocument)]
    assert [d.published for d in docs] == ["2023-11", None]
