"""Hostile inputs: whatever an input carries comes out as valid text or as a recorded
failure, and one bad document never stops the others (``veille run`` and watch rounds).

Every input is written by the test into a temporary folder.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from veille import clean, ingest
from veille.config import Config
from veille.records import AnnotatedArticle, Article, Failure, RawDocument, valid_text
from veille.store import open_store
from veille.text import valid_charrefs

BODY = ("Le gouvernement japonais a annoncé mardi un accord commercial avec la France, après des "
        "mois de négociations difficiles entre les deux pays. Les industriels des deux côtés ont "
        "salué une étape importante pour leurs exportations.")


def _valid(value) -> bool:
    """True when every string inside ``value`` can be encoded in UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_valid(k) and _valid(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_valid(v) for v in value)
    return True


def _records(items) -> list[dict]:
    return [i.as_dict() for i in items]


def test_valid_text_replaces_lone_surrogates_and_joins_pairs():
    assert valid_text("a\ud800b") == "a\ufffdb"
    assert valid_text("\udfff") == "\ufffd"
    assert valid_text("\ud83d\ude00") == "😀"  # a pair left split is one character again
    text = "déjà vu"
    assert valid_text(text) is text


def test_valid_charrefs_keeps_good_references():
    assert valid_charrefs(b"a&#xD800;b&#55296;c&#x41;d&#233;") == b"a&#xFFFD;b&#xFFFD;c&#x41;d&#233;"
    assert valid_charrefs(b"&#x110000;&#0;&#123456789012345678901234567890;") == b"&#xFFFD;" * 3
    assert valid_charrefs(b"no reference") == b"no reference"


def test_records_hold_valid_text_only():
    doc = RawDocument(id="x", source="s\ud800", content="c\udfff", title="t\ud800", outlet="o\ud800",
                      url="http://u/\ud800", lang_hint="f\ud800")
    assert _valid(doc.as_dict())
    fail = Failure("s\udce9", "reason \ud800", locator="line \ud800")
    assert _valid(fail.as_dict()) and fail.source == "s\ufffd"


def _jsonl_with_surrogates(path: Path) -> None:
    lines = [json.dumps({"title": "T\ud800", "text": BODY + " un"}),
             json.dumps({"outlet": "O\udfff", "text": BODY + " deux"}),
             json.dumps({"url": "http://exemple.test/\ud800", "text": BODY + " trois"}),
             json.dumps({"text": BODY + " quatre \ud800"}),
             json.dumps({"text": BODY + " cinq", "lang": "f\ud800", "published": "2024-01-01\ud800"}),
             json.dumps({"html": f"<html><body><article><p>{BODY} six \ud800</p><p>{BODY}</p></article>"
                                 "</body></html>"})]
    # json.dumps writes "\ud800" as the escape JSON allows: json.loads gives a lone surrogate back.
    assert "\\ud800" in lines[0]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_lone_surrogates_in_jsonl_fields_become_valid_text(tmp_path):
    _jsonl_with_surrogates(tmp_path / "a.jsonl")
    out = list(ingest.run([str(tmp_path / "a.jsonl")], Config()))
    docs = [d for d in out if isinstance(d, RawDocument)]
    assert len(docs) == 6 and _valid(_records(out))
    assert docs[0].title == "T\ufffd" and docs[1].outlet == "O\ufffd"
    assert docs[2].url == "http://exemple.test/\ufffd" and docs[3].content.endswith("quatre \ufffd")


def test_lone_surrogates_reach_the_store_as_valid_text(tmp_path):
    _jsonl_with_surrogates(tmp_path / "a.jsonl")
    cfg = Config()
    items = list(clean.run(ingest.run([str(tmp_path / "a.jsonl")], cfg), cfg))
    arts = [AnnotatedArticle.from_article(a) for a in items if isinstance(a, Article)]
    assert len(arts) == 6
    with open_store(tmp_path / "v.db") as store:
        result = store.add(arts + [f for f in items if isinstance(f, Failure)])
        assert len(result.added) == 6
        exported = list(store.export())
    assert len(exported) == 6 and _valid(exported)
    json.dumps(exported, ensure_ascii=False).encode("utf-8")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_file_name_that_is_not_utf8(tmp_path):
    name = "café".encode("latin-1")  # b"caf\xe9": not UTF-8
    try:
        (Path(os.fsdecode(tmp_path)) / os.fsdecode(name + b".txt")).write_text(BODY + "\n", encoding="utf-8")
        (Path(os.fsdecode(tmp_path)) / os.fsdecode(name + b".pdf")).write_bytes(b"%PDF")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    out = list(ingest.run([str(tmp_path)], Config()))
    assert _valid(_records(out))
    (doc,) = [d for d in out if isinstance(d, RawDocument)]
    assert doc.source.endswith("caf\\xe9.txt")
    (fail,) = [f for f in out if isinstance(f, Failure)]
    assert fail.source.endswith("caf\\xe9.pdf") and "unknown format" in fail.reason
    with open_store(tmp_path / "v.db") as store:
        store.add(out[:0] + [fail])
        assert store.errors()[0]["source"].endswith("caf\\xe9.pdf")


FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Out&#xD800;let</title>
<item><title>Titre &#xD800;</title><link>http://exemple.test/a&#xD800;</link>
<description>{body} &#xD800; un</description></item>
<item><title>Lien piégé</title><link>javascript:alert(1)</link><description>{body} deux</description></item>
<item><title>Bon</title><link>http://exemple.test/b</link><description>{body} trois</description></item>
</channel></rss>"""


def test_feed_with_references_to_no_character(tmp_path):
    (tmp_path / "flux.xml").write_text(FEED.format(body=BODY), encoding="utf-8")
    out = list(ingest.run([str(tmp_path / "flux.xml")], Config()))
    docs = [d for d in out if isinstance(d, RawDocument)]
    assert len(docs) == 3 and _valid(_records(out))
    assert docs[0].title == "Titre \ufffd" and docs[0].outlet == "Out\ufffdlet"
    assert docs[1].url is None  # a javascript: link is not the article's address
    assert docs[2].url == "http://exemple.test/b"


def test_watch_parse_feed_records_entries_it_cannot_follow():
    from veille.watch.feeds import parse_feed

    problems: list[tuple[str, str]] = []
    entries, error = parse_feed(FEED.format(body=BODY).encode("utf-8"), url="http://exemple.test/rss",
                                problems=problems)
    assert error is None and [e.link for e in entries] == ["http://exemple.test/a\ufffd",
                                                           "http://exemple.test/b"]
    assert _valid([e.title for e in entries] + [e.content for e in entries] + [entries[0].outlet])
    assert problems == [("entry 2", "feed entry without an http(s) link to follow (link: 'javascript:alert(1)')")]


# -- watch rounds --------------------------------------------------------------------------------
@pytest.fixture
def site():
    from test_watch_fetch import Site

    s = Site()
    yield s
    s.close()


def test_watch_round_survives_a_poisoned_feed_and_a_failing_page(site):
    from test_watch import FakePipeline, watcher
    from test_watch_fetch import static

    site.routes["/poison.xml"] = static(FEED.format(body=BODY).replace("http://exemple.test", site.base),
                                        "application/rss+xml")
    page = f"<html><body><article><p>{BODY}</p></article></body></html>"
    site.routes["/b"] = static(page.replace("mardi", "jeudi"))
    site.routes["/c"] = static(page.replace("mardi", "lundi"))
    site.routes["/good.xml"] = static(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Bon</title>"
        f"<item><title>Boum</title><link>{site.base}/c</link><description>x</description></item>"
        "</channel></rss>", "application/rss+xml")

    class Exploding(FakePipeline):
        def process(self, docs):
            if any("lundi" in d.content for d in docs):
                if len(docs) > 1:
                    raise ValueError("a bug met on one page")
                raise ValueError("a bug met on this page")
            yield from super().process(docs)

    pipe = Exploding()
    with watcher([site.url("/poison.xml"), site.url("/good.xml")], pipe) as w:
        s = w.run_round()
    stored = sorted(a.url for a in pipe.articles.values())
    assert site.url("/b") in stored  # the page after the poisoned entry is stored
    # The page that broke the pipeline fell back to its feed entry's own content.
    assert [a.text for a in pipe.articles.values() if a.url.endswith("/c")] == ["x"]
    reasons = {(f.source, f.locator): f.reason for f in pipe.failures}
    assert any("bug met on this page" in r for (src, _), r in reasons.items() if src.endswith("/c"))
    assert (site.url("/poison.xml"), "entry 2") in reasons
    assert _valid([f.as_dict() for f in pipe.failures])
    assert s.feeds == 2 and s.feeds_failed == 0


def test_watch_round_into_a_real_store_with_a_poisoned_feed(site, tmp_path):
    """The feed's entries go into the store's watch tables: nothing there may be invalid."""
    from test_watch import FakePipeline, watcher
    from test_watch_fetch import static

    site.routes["/poison.xml"] = static(FEED.format(body=BODY).replace("http://exemple.test", site.base),
                                        "application/rss+xml")
    with open_store(tmp_path / "v.db") as store:
        pipe = FakePipeline(conn=store.conn)
        with watcher([site.url("/poison.xml")], pipe) as w:
            s = w.run_round()
        assert s.feeds_failed == 0 and s.entries_new == 2


@pytest.mark.slow
def test_veille_run_on_hostile_inputs_stores_the_rest(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    _jsonl_with_surrogates(inputs / "a.jsonl")
    (inputs / "flux.xml").write_text(FEED.format(body=BODY.replace("japonais", "chinois")), encoding="utf-8")
    try:
        (Path(os.fsdecode(inputs)) / os.fsdecode(b"caf\xe9.txt")).write_text(
            BODY.replace("japonais", "allemand") + "\n", encoding="utf-8")
        odd_name = True
    except (OSError, UnicodeError):
        odd_name = False
    db = tmp_path / "v.db"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    veille = [sys.executable, "-m", "veille.cli"]
    run = subprocess.run([*veille, "run", str(inputs), "--db", str(db), "--quiet"], env=env,
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    assert "unexpected error" not in run.stderr
    export = subprocess.run([*veille, "export", "--db", str(db)], env=env, capture_output=True,
                            timeout=120, check=False)
    assert export.returncode == 0, export.stderr
    rows = [json.loads(line) for line in export.stdout.decode("utf-8").splitlines()]
    sources = {r["source"] for r in rows}
    assert len(rows) == 9 + odd_name  # 6 JSONL lines, 3 feed entries, the oddly named file
    assert any(s.endswith("flux.xml") for s in sources)
    if odd_name:
        assert any(s.endswith("caf\\xe9.txt") for s in sources)
    assert _valid(rows)


# -- every part of an input accounted for ---------------------------------------------------------
def _page(n: int) -> str:
    return (f"<html><head><title>Page {n}</title></head><body><article><p>Article numéro {n} : {BODY}</p>"
            f"<p>Les syndicats ont réagi vivement à cette annonce numéro {n}.</p></article></body></html>")


def _warc_record(n: int, *, length_error: int = 0, html: str | None = None) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + (html or _page(n)).encode()
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{n:08d}>\r\n"
            f"WARC-Target-URI: http://exemple.test/{n}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http) + length_error}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def _read(path: Path, **ingest_cfg) -> tuple[list[RawDocument], list[Failure]]:
    cfg = Config().with_overrides(ingest=ingest_cfg) if ingest_cfg else Config()
    out = list(ingest.run([str(path)], cfg))
    return ([d for d in out if isinstance(d, RawDocument)], [f for f in out if isinstance(f, Failure)])


@pytest.mark.parametrize("error", [-40, 40, 5000])
def test_warc_with_one_wrong_content_length(tmp_path, capfd, error):
    f = tmp_path / "a.warc"
    f.write_bytes(b"".join(_warc_record(n, length_error=error if n == 3 else 0) for n in range(1, 7)))
    docs, fails = _read(f)
    assert [d.locator for d in docs] == ["record 1", "record 2", "record 4", "record 5", "record 6"]
    assert all(d.content.endswith("</html>") for d in docs)
    (fail,) = fails
    assert fail.locator == "record 3" and "Content-Length" in fail.reason
    assert capfd.readouterr().err == ""  # nothing printed by warcio


@pytest.mark.parametrize("cut", [150, 400])
def test_warc_truncated_last_record_is_a_failure(tmp_path, capfd, cut):
    data = b"".join(_warc_record(n) for n in range(1, 7))
    f = tmp_path / "a.warc"
    f.write_bytes(data[:-cut])
    docs, fails = _read(f)
    assert [d.locator for d in docs] == [f"record {n}" for n in range(1, 6)]
    assert all(d.content.endswith("</html>") for d in docs)  # nothing stored half cut
    (fail,) = fails
    assert fail.locator == "record 6" and "truncated" in fail.reason
    assert capfd.readouterr().err == ""


def _gz(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


def test_warc_gz_with_a_damaged_member_keeps_the_others(tmp_path, capfd):
    members = [_gz(_warc_record(n)) for n in range(1, 6)]
    broken = bytearray(members[2])
    broken[30:60] = b"\xff" * 30
    members[2] = bytes(broken)
    f = tmp_path / "a.warc.gz"
    f.write_bytes(b"".join(members))
    docs, fails = _read(f)
    assert [d.url for d in docs] == [f"http://exemple.test/{n}" for n in (1, 2, 4, 5)]
    assert len(fails) == 1 and "gzip" in fails[0].reason and fails[0].locator == "record 3"
    f.write_bytes(b"".join(members[:2]) + members[3][:-20])  # the last member cut short
    docs, fails = _read(f)
    assert [d.url for d in docs] == ["http://exemple.test/1", "http://exemple.test/2"]
    assert len(fails) == 1 and "truncated" in fails[0].reason
    assert capfd.readouterr().err == ""


def test_warc_record_larger_than_the_limit_is_skipped_alone(tmp_path):
    big = _page(2).replace("</article>", "<p>" + "x" * 50_000 + "</p></article>")
    f = tmp_path / "a.warc.gz"  # small once compressed: under the file limit, not its record
    f.write_bytes(_gz(_warc_record(1)) + _gz(_warc_record(2, html=big)) + _gz(_warc_record(3)))
    docs, fails = _read(f, max_bytes=20_000)
    assert [d.locator for d in docs] == ["record 1", "record 3"]
    assert [f.locator for f in fails] == ["record 2"] and "max_bytes" in fails[0].reason


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_header_line_that_never_ends_fails_fast(tmp_path, compressed):
    import time

    endless = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://exemple.test/" + b"a" * 30_000_000
    data = _warc_record(1) + endless
    f = tmp_path / ("a.warc.gz" if compressed else "a.warc")
    f.write_bytes(_gz(data) if compressed else data)
    started = time.monotonic()
    docs, fails = _read(f)
    assert time.monotonic() - started < 10
    assert [d.locator for d in docs] == ["record 1"]
    assert [f.locator for f in fails] == ["record 2"] and "header line longer" in fails[0].reason


def test_warc_gz_bomb_stops_at_the_expansion_limit(tmp_path):
    import zlib as _zlib

    from veille.ingest import warc

    d = _zlib.compressobj(9, _zlib.DEFLATED, 31)
    head = _warc_record(1)
    blob = d.compress(head + b"WARC/1.0\r\nContent-Length: 10\r\n\r\n0123456789\r\n\r\n")
    blob += b"".join(d.compress(b"\r\n" * 1_000_000) for _ in range(60)) + d.flush()  # 120 MB of blank lines
    f = tmp_path / "bomb.warc.gz"
    f.write_bytes(blob)
    docs, fails = _read(f, max_bytes=1_000_000)
    assert [d.locator for d in docs] == ["record 1"]
    assert any(f"{warc.MAX_EXPANSION * 1_000_000:,} bytes once decompressed" in x.reason for x in fails)


def test_jsonl_deeply_nested_line_fails_alone(tmp_path):
    lines = [json.dumps({"text": BODY + " un"}), "[" * 100_000 + "]" * 100_000,
             json.dumps({"text": BODY + " deux", "x": [[[[1]]]]}),
             json.dumps({"text": BODY + " trois \u2028 quatre"})]
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, fails = _read(f)
    assert [d.locator for d in docs] == ["line 1", "line 3", "line 4"]
    assert "\u2028" in docs[2].content  # a line separator inside a JSON string does not cut the line
    (fail,) = fails
    assert fail.locator == "line 2" and "nested too deeply" in fail.reason


# -- bounded work: folder walks ---------------------------------------------------------------------
def test_folder_nested_1100_deep(tmp_path):
    deep = tmp_path / "racine"
    path = str(deep)
    os.mkdir(path)
    for _ in range(1100):  # os.makedirs and Path.mkdir(parents=True) recurse: one level at a time
        path = os.path.join(path, "d")
        os.mkdir(path)
    Path(path, "fond.txt").write_text(BODY + "\n", encoding="utf-8")
    (deep / "haut.txt").write_text(BODY.replace("mardi", "jeudi") + "\n", encoding="utf-8")
    try:
        docs, fails = _read(deep)
        assert not fails
        assert [Path(d.source).name for d in docs] == ["fond.txt", "haut.txt"]  # sorted: "d" first
        assert docs[0].source.split("/").count("d") == 1100
    finally:  # shutil.rmtree (pytest's clean-up) recurses too: empty the tree from the bottom
        os.remove(os.path.join(path, "fond.txt"))
        while path != str(deep):
            os.rmdir(path)
            path = os.path.dirname(path)


def test_links_out_of_the_folder_are_not_followed(tmp_path):
    folder = tmp_path / "entrée"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "1.txt").write_text(BODY + "\n", encoding="utf-8")
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "secret.txt").write_text(BODY.replace("mardi", "lundi") + "\n", encoding="utf-8")
    os.symlink("/", folder / "racine")  # the whole disk, /proc included
    os.symlink(outside, folder / "dehors")
    os.symlink(outside / "secret.txt", folder / "secret.txt")
    os.symlink(folder / "a", folder / "b")  # inside the folder: followed (and read once)
    docs, fails = _read(folder)
    assert [Path(d.source).name for d in docs] == ["1.txt"]
    assert sorted(Path(f.source).name for f in fails) == ["dehors", "racine", "secret.txt"]
    assert all("outside the folder given" in f.reason for f in fails)
    docs, fails = _read(folder / "dehors")  # named on its own, the target is read
    assert [Path(d.source).name for d in docs] == ["secret.txt"] and not fails


def test_system_folders_and_special_files_are_not_read(tmp_path):
    out = list(ingest.run(["/proc", "/dev/zero", "/sys/kernel"], Config()))
    assert len(out) == 3 and all(isinstance(f, Failure) and "operating system" in f.reason for f in out)
    fifo = tmp_path / "tube.txt"
    os.mkfifo(fifo)
    (fail,) = list(ingest.run([str(fifo)], Config()))  # would block forever if opened
    assert "not a regular file" in fail.reason
    (fail,) = list(ingest.run([str(tmp_path)], Config()))
    assert "not a regular file" in fail.reason and fail.source.endswith("tube.txt")


# -- messages that name the real cause ---------------------------------------------------------------
TEXT = BODY + "\nLes syndicats ont salué une étape importante pour les exportations.\n"


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b""), ("utf-16-be", b""), ("utf-32-le", b""),
                                          ("utf-32-be", b""), ("utf-32-le", b"\xff\xfe\x00\x00"),
                                          ("utf-32-be", b"\x00\x00\xfe\xff"), ("utf-16-le", b"\xff\xfe")])
def test_wide_unicode_with_or_without_bom_is_decoded(tmp_path, encoding, bom):
    f = tmp_path / "a.txt"
    f.write_bytes(bom + TEXT.encode(encoding))
    docs, fails = _read(f)
    assert not fails and docs[0].content.startswith("Le gouvernement japonais")
    assert docs[0].encoding == encoding


def test_random_bytes_are_not_an_article(tmp_path):
    import random

    rng = random.Random(7)
    cases = {"haut.txt": bytes(rng.randrange(128, 256) for _ in range(5000)),
             "imprimable.txt": bytes(rng.randrange(0xA0, 256) for _ in range(3000)),
             "motif.txt": b"\xa2\xa6" * 3000,  # reads as one CJK character repeated
             "motif2.txt": bytes([0x82, 0x74]) * 2000}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    docs, fails = _read(tmp_path)
    assert not docs
    assert len(fails) == 4 and all("no text in any encoding" in f.reason for f in fails), fails


def test_western_single_byte_text_still_reads(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(TEXT.encode("cp1252"))
    docs, fails = _read(f)
    assert not fails and "négociations" in docs[0].content


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deeply_nested_page_keeps_its_text(depth):
    paras = f"<p>{BODY}</p><p>{BODY.replace('mardi', 'jeudi')}</p>"
    html = "<html><head><title>Profond</title></head><body>" + "<div>" * depth + paras + "</div>" * depth \
        + "</body></html>"
    doc = RawDocument(id="p", source="profond.html", content=html, format="html")
    (art,) = list(clean.run([doc], Config()))
    assert isinstance(art, Article), art
    assert "jeudi" in art.text and "mardi" in art.text


def test_serve_without_the_web_extra_says_how_to_install_it(tmp_path, monkeypatch):
    import importlib.util

    from typer.testing import CliRunner

    from veille.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a))
    res = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "v.db")])
    assert res.exit_code == 1
    assert res.stderr.strip() == ("veille: this needs 'fastapi', which is not installed: "
                                  "pip install 'veille[web]'")


def test_serve_on_a_file_that_is_not_a_store_fails_at_start(tmp_path):
    from typer.testing import CliRunner

    from veille.cli import app

    bad = tmp_path / "notes.db"
    bad.write_text("pas une base\n" * 100, encoding="utf-8")
    res = CliRunner().invoke(app, ["serve", "--db", str(bad), "--port", "0"])
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a veille store" in lines[0] and "notes.db" in lines[0]


# -- stores in folders this user cannot write ------------------------------------------------------
@contextmanager
def read_only_folder(folder: Path):
    """``folder`` made unwritable for this user while the block runs (as root, whom the
    permission bits do not stop, with the immutable attribute), restored after."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("cannot make a folder read-only for root here (chattr +i refused)")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def _store_with_articles(path: Path) -> None:
    from test_store import article

    with open_store(path) as store:
        store.add([article("a1"), article("a2", source="presse/autre.html"),
                   Failure("presse/vide.html", "no article text found", stage="clean")])


def test_store_in_a_read_only_folder_opens_read_only(tmp_path):
    from typer.testing import CliRunner

    from veille.cli import app

    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "v.db"
    _store_with_articles(db)
    runner = CliRunner()
    with read_only_folder(folder):
        for args in (["export"], ["errors"], ["search", "Nordtel"], ["report"]):
            res = runner.invoke(app, [*args, "--db", str(db)])
            assert res.exit_code == 0, (args, res.output)
            assert "not a veille store" not in res.output
        res = runner.invoke(app, ["export", "--db", str(db)])
        assert [json.loads(x)["id"] for x in res.stdout.splitlines()] == ["a1", "a2"]
        with open_store(db, readonly=True) as store:
            assert store.snapshot and store.count() == 2
        from fastapi.testclient import TestClient

        from veille.serve.app import create_app

        with TestClient(create_app(db, language="en")) as client:
            page = client.get("/")
            assert page.status_code == 200
            assert client.get("/api/articles/a1").json()["id"] == "a1"
            assert client.get("/api/stats").status_code == 200
        assert sorted(p.name for p in folder.iterdir()) == ["v.db"]  # nothing written beside it


def test_new_store_in_a_read_only_folder_says_so(tmp_path):
    from veille.errors import StoreError

    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only_folder(folder), pytest.raises(StoreError) as caught:
        open_store(folder / "new.db")
    message = str(caught.value)
    assert "cannot create the store" in message and "cannot be written" in message
    assert "damaged" not in message


def test_read_only_folder_with_unsaved_changes_in_the_wal(tmp_path):
    import shutil
    import sqlite3

    from veille.errors import StoreError

    folder = tmp_path / "ro"
    folder.mkdir()
    _store_with_articles(tmp_path / "w.db")
    writer = sqlite3.connect(tmp_path / "w.db")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE articles SET title = 'changé'")
    writer.commit()
    shutil.copy(tmp_path / "w.db", folder / "v.db")  # as a crashed run leaves them
    shutil.copy(tmp_path / "w.db-wal", folder / "v.db-wal")
    writer.close()
    with read_only_folder(folder), pytest.raises(StoreError) as caught:
        open_store(folder / "v.db", readonly=True)
    assert "v.db-wal" in str(caught.value) and "cannot be written" in str(caught.value)


# -- corpus state that survives a crash and a second run ----------------------------------------------
RUNNER = """
import logging, os, signal, sys, time
logging.basicConfig(level=logging.WARNING, format="%(message)s")
from veille import nlp
from veille.config import Config
from veille.records import AnnotatedArticle, Article
from veille.runners.local import run_pipeline
from veille.store import open_store

def passthrough(items, cfg=None, **kw):  # no language model: the corpus stages are what is tested
    for item in items:
        if isinstance(item, Article):
            time.sleep(float(os.environ.get("SLOW", "0")))
            yield AnnotatedArticle.from_article(item)
        else:
            yield item

nlp.run = passthrough
db, inputs, kill_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
cfg = Config().with_overrides(dedupe={"batch_size": 10}, cluster={"batch_size": 10})
with open_store(db) as store:
    if kill_after:
        add, calls = store.add, []
        def add_then_die(*a, **kw):
            calls.append(1)
            if len(calls) > kill_after:  # killed in the middle of a transaction
                store.conn.execute("BEGIN IMMEDIATE")
                store.conn.execute("DELETE FROM articles")
                os.kill(os.getpid(), signal.SIGKILL)
            return add(*a, **kw)
        store.add = add_then_die
    summary = run_pipeline([inputs], cfg, store)
print(summary.new, summary.known, summary.duplicates)
"""


def _corpus(folder: Path, n: int = 60, *, seed: int = 0) -> Path:
    """``n`` short French articles over a few topics and days, one in six a copy of an
    earlier one (republished later, or earlier: the earliest copy is the original)."""
    import random

    rng = random.Random(seed)
    topics = ["la pêche en mer du Nord", "le rail à grande vitesse", "les écoles rurales", "la dette publique",
              "les glaciers des Alpes", "les vendanges en Bourgogne", "les musées de province"]
    rows = []
    for k in range(n):
        if k > 5 and k % 6 == 0:
            row = dict(rng.choice(rows))
            row["published"] = f"2024-05-{rng.randint(1, 28):02d}"
        else:
            topic = topics[rng.randrange(len(topics))]
            row = {"title": f"Nouvelles sur {topic} ({k})", "published": f"2024-05-{1 + k // 3:02d}",
                   "text": f"Le gouvernement a présenté un plan sur {topic}, numéro {k}. "
                           f"Les élus locaux ont réagi à ce plan sur {topic} avec prudence, "
                           f"et les syndicats attendent des précisions sur le calendrier {k % 5}."}
        rows.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def _runner(tmp_path: Path, db: Path, inputs: Path, kill_after: int = 0, **env: str):
    script = tmp_path / "runner.py"
    script.write_text(RUNNER, encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), str(db), str(inputs), str(kill_after)],
                            env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"),
                                     **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _snapshot(db: Path) -> tuple:
    with open_store(db, readonly=True) as store:
        return ([(a["id"], a["duplicate_of"], a["story"]) for a in store.export()],
                sorted((s["id"], s["n_articles"], s["title"]) for s in store.stories()),
                store.state("dedupe"), store.state("cluster"))


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 3])
def test_killed_run_then_rerun_gives_the_clean_run(tmp_path, kill_after):
    inputs = _corpus(tmp_path / "in")
    clean_db, db = tmp_path / "clean.db", tmp_path / "k.db"
    assert _runner(tmp_path, clean_db, inputs).wait(timeout=120) == 0
    killed = _runner(tmp_path, db, inputs, kill_after=kill_after)
    assert killed.wait(timeout=120) == -9  # SIGKILL in the middle of a write
    with open_store(db, readonly=True) as store:
        assert store.count() == 10 * kill_after  # whole chunks only
    again = _runner(tmp_path, db, inputs)
    assert again.wait(timeout=120) == 0, again.stderr.read()
    clean = _snapshot(clean_db)
    assert sum(1 for _, dup, _ in clean[0] if dup) >= 5
    assert _snapshot(db) == clean


@pytest.mark.slow
def test_two_runs_on_one_store_are_serialised(tmp_path):
    first = _corpus(tmp_path / "a", 40, seed=1)
    second = _corpus(tmp_path / "b", 40, seed=2)
    db, seq = tmp_path / "two.db", tmp_path / "seq.db"
    a = _runner(tmp_path, db, first, SLOW="0.25")  # 10 s: the second run starts meanwhile
    time.sleep(0.2)
    while not Path(str(db) + ".lock").exists() or not Path(str(db) + ".lock").read_text():
        time.sleep(0.05)  # the first run holds the store
    b = _runner(tmp_path, db, second)
    assert a.wait(timeout=120) == 0 and b.wait(timeout=120) == 0
    assert "is writing to" in b.stderr.read()  # the second run said whom it waited for
    for inputs in (first, second):
        assert _runner(tmp_path, seq, inputs).wait(timeout=120) == 0
    assert _snapshot(db) == _snapshot(seq)  # as if run one after the other: nothing overwritten


def _no_nlp(monkeypatch):
    from veille import nlp
    from veille.records import AnnotatedArticle

    def run(items, cfg=None, **kw):
        for item in items:
            yield AnnotatedArticle.from_article(item) if isinstance(item, Article) else item

    monkeypatch.setattr(nlp, "run", run)


class Killed(BaseException):
    """Stands for the process being killed: nothing in veille catches it."""


def test_crash_between_chunks_then_rerun_gives_the_clean_run(tmp_path, monkeypatch):
    """In one process (the slow tests kill a real one): the run stops in the middle of its
    third write; what is stored is whole chunks with the states describing them, and a
    rerun ends where a clean run ends."""
    from veille.runners.local import run_pipeline

    _no_nlp(monkeypatch)
    inputs = _corpus(tmp_path / "in")
    cfg = Config().with_overrides(dedupe={"batch_size": 10}, cluster={"batch_size": 10})
    with open_store(tmp_path / "clean.db") as store:
        run_pipeline([str(inputs)], cfg, store)
    with open_store(tmp_path / "k.db") as store:
        add, calls = store.add, []

        def add_then_die(*args, **kw):
            calls.append(1)
            if len(calls) == 3:
                raise Killed
            return add(*args, **kw)

        monkeypatch.setattr(store, "add", add_then_die)
        with pytest.raises(Killed):
            run_pipeline([str(inputs)], cfg, store)
        assert store.count() == 20
    with open_store(tmp_path / "k.db") as store:
        summary = run_pipeline([str(inputs)], cfg, store)
        assert (summary.known, summary.new) == (20, 40)
    assert _snapshot(tmp_path / "k.db") == _snapshot(tmp_path / "clean.db")


def test_a_second_writer_waits_and_says_for_whom(tmp_path, caplog):
    import threading

    db = tmp_path / "v.db"
    open_store(db).close()
    held, release = threading.Event(), threading.Event()

    def first():
        with open_store(db) as store, store.writer():
            held.set()
            release.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    with caplog.at_level("WARNING", logger="veille"), open_store(db) as store, store.writer():
        waited = time.monotonic() - started
    thread.join()
    assert waited >= 0.4
    assert any("is writing to" in r.getMessage() and "waiting for it to finish" in r.getMessage()
               for r in caplog.records)
