"""Progress of 'veille run': totals counted beforehand, share done, rate, time left; plain
lines when standard error is not a terminal, nothing with --quiet; readable --help."""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from veille.cli import app
from veille.ingest import survey
from veille.runners.progress import Meter, duration, human_bytes

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_survey_counts_documents_cheaply(tmp_path):
    (tmp_path / "a.txt").write_text("Un texte.\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "un"}\n\n{"text": "deux"}\n{"text": "trois"}', encoding="utf-8")
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(b'{"text": "un"}\n{"text": "deux"}\n'))
    (tmp_path / "d.xml").write_text("<rss><channel><item><title>a</title></item><item>b</item>"
                                    "</channel></rss>", encoding="utf-8")
    (tmp_path / "e.warc").write_bytes(b"WARC/1.0\r\n" * 10)
    found = {Path(x.source).name: x for x in survey([str(tmp_path), str(tmp_path / "absent.txt")])}
    assert {k: v.documents for k, v in found.items()} == {"a.txt": 1, "b.jsonl": 3, "c.jsonl.gz": 2,
                                                          "d.xml": 2, "e.warc": None}
    assert found["e.warc"].size == 100


def test_survey_estimates_the_pages_of_an_archive(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "a.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warc_record("https://a.example/", "request",
                                                      payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        for k in range(3):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://a.example/{k}", "response",
                                                          payload=BytesIO(b"<p>page</p>"), http_headers=headers))
    [found] = survey([str(path)])
    assert found.documents is None and found.estimate == 3 and found.size == path.stat().st_size


def _summary(done, current, known=0):
    return SimpleNamespace(done=done, current=current, known=known)


def test_meter_counts_documents_with_rate_and_time_left():
    now = [0.0]
    inputs = [SimpleNamespace(source=f"f{k}", size=10, documents=2) for k in range(5)]
    meter = Meter(inputs, clock=lambda: now[0])
    now[0] = 30.0  # the model loads: not counted in the rate
    status = meter.update(_summary(1, "f0"))
    assert (status.done, status.total, status.fraction) == (1, 10, 0.1)
    now[0] = 34.0
    status = meter.update(_summary(5, "f2"))
    assert status.fraction == 0.5 and status.rate == pytest.approx(1.0)
    assert status.left == pytest.approx(5.0)  # 40 % in 4 s, 50 % to go
    assert status.line() == "5/10 documents (50%) · 1.0/s · 5s left"


def test_meter_weighs_archives_in_bytes():
    inputs = [SimpleNamespace(source="a.warc", size=300, documents=None),
              SimpleNamespace(source="b.jsonl", size=100, documents=4)]
    meter = Meter(inputs, clock=lambda: 0.0)
    status = meter.update(_summary(3, "a.warc"))
    assert status.total is None and status.fraction == 0.0
    status = meter.update(_summary(5, "b.jsonl"))  # a.warc is read; 2 of 4 lines of b.jsonl
    assert status.fraction == pytest.approx(350 / 400)
    assert "5 documents (88% of 400 B)" in status.line()
    estimated = Meter([SimpleNamespace(source="a.warc", size=300, documents=None, estimate=10)],
                      clock=lambda: 0.0)
    assert estimated.update(_summary(4, "a.warc")).fraction == pytest.approx(0.4)  # 4 of ~10 records


def test_meter_without_inputs_counts_only():
    status = Meter(None, clock=lambda: 0.0).update(_summary(7, "-"))
    assert status.total is None and status.fraction is None and status.line().startswith("7 documents")


def test_words():
    assert duration(47) == "47s" and duration(190) == "3m10s" and duration(7500) == "2h05m"
    assert human_bytes(812) == "812 B" and human_bytes(4_100_000) == "4.1 MB"


def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(n):
        (folder / f"{k:02d}.html").write_text("   \n", encoding="utf-8")  # read, and failed: no nlp needed
    return folder


def test_run_progress_is_plain_lines_with_total_and_percent(tmp_path):
    res = invoke("run", _folder(tmp_path, 7), "--db", tmp_path / "p.db")
    assert res.exit_code == 1  # nothing could be processed
    lines = res.stderr.splitlines()
    assert "veille: 7 inputs (28 B), 7 documents to read" in lines
    assert any(re.fullmatch(r"veille: 7/7 documents \(100%\).*", line) for line in lines), lines
    assert "\x1b" not in res.stderr and "\r" not in res.stderr  # no control codes in logs


def test_run_quiet_prints_no_progress(tmp_path):
    res = invoke("run", _folder(tmp_path, 3), "--db", tmp_path / "q.db", "--quiet")
    assert "documents" not in res.stderr and "%" not in res.stderr
    # the failures and the final verdict are still said, one line each
    assert all(line.startswith("veille: ") for line in res.stderr.splitlines())


@pytest.mark.slow
def test_run_progress_of_real_articles(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [json.dumps({"text": f"Titre {k}\n\nLe gouvernement a annoncé mardi une mesure numéro {k} "
                                 "pour les agriculteurs, a indiqué le ministère."}, ensure_ascii=False)
             for k in range(6)]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("Un titre\n\nLa ministre a reçu mardi les syndicats à Paris.\n", encoding="utf-8")
    res = invoke("run", folder, "--db", tmp_path / "r.db")
    assert res.exit_code == 0, res.output
    assert "veille: 2 inputs" in res.stderr and "7 documents to read" in res.stderr
    assert re.search(r"^veille: 7/7 documents \(100%\)", res.stderr, re.MULTILINE), res.stderr


def commands() -> list[str]:
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_help_has_no_type_labels_and_keeps_brackets():
    for name in commands():
        proc = subprocess.run([sys.executable, "-c", "from veille.cli import main; main()", name, "--help"],
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "100"})
        text = proc.stdout
        assert proc.returncode == 0 and text.startswith("Usage: "), (name, proc.stderr)
        assert "<list[" not in text and "<path>" not in text.lower() and "x>=" not in text, text
        assert "{" not in text.splitlines()[0], text  # usage line: PATH..., not {PATH...}...
        assert "[store] path" in text
    usage = invoke("run", "--help").stdout.splitlines()[0]
    assert usage == "Usage: veille run [OPTIONS] PATH..."


def test_no_progress_when_no_file_is_found(tmp_path):
    res = invoke("run", tmp_path / "absent.txt", "--db", tmp_path / "n.db")
    assert res.exit_code == 1
    assert "document" not in res.stderr and "absent.txt: no such file" in res.stderr
