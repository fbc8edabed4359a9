"""The ``veille`` command: every command, exit codes, bad paths, one-line errors, docs."""
from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from test_store import article
from typer.testing import CliRunner

from veille.cli import app
from veille.records import Failure
from veille.store import open_store

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "cli.db"
    with open_store(path) as s:
        s.add([article("a1"), article("a2", source="presse/autre.html", published="2024-03-08"),
               Failure("presse/vide.html", "no article text found", stage="clean")])
    return path


def test_export_to_stdout_and_file(db, tmp_path):
    res = invoke("export", "--db", db)
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [d["id"] for d in lines] == ["a1", "a2"]
    assert {"id", "source", "text", "dropped", "comments", "actors", "quotes", "events", "story"} <= set(lines[0])
    out = tmp_path / "out.jsonl"
    res = invoke("export", "--db", db, "--format", "jsonl", "-o", out)
    assert res.exit_code == 0
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a1", "a2"]
    assert "2 articles" in res.stderr


def test_export_unknown_format(db):
    res = invoke("export", "--db", db, "--format", "csv")
    assert res.exit_code != 0


def test_search(db):
    res = invoke("search", "etats-unis", "--db", db)
    assert res.exit_code == 0, res.output
    assert "Nordtel dans le viseur" in res.stdout and "États-Unis" in res.stdout
    res = invoke("search", "tokyo", "--db", db)
    assert res.exit_code == 0 and "no article matches" in res.stdout


def test_search_bad_query_is_one_line(db):
    res = invoke("search", '"au profit', "--db", db)
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert res.stderr.count("\n") == 1 and "double quote" in res.stderr


def test_errors(db, tmp_path):
    res = invoke("errors", "--db", db)
    assert res.exit_code == 0
    assert "presse/vide.html" in res.stdout and "no article text found" in res.stdout
    clean = tmp_path / "clean.db"
    open_store(clean).close()
    res = invoke("errors", "--db", clean)
    assert res.exit_code == 0 and "no errors" in res.stdout


def test_report_terminal_and_html(db, tmp_path):
    res = invoke("report", "--db", db)
    assert res.exit_code == 0, res.output
    assert "2 articles" in res.stdout and "languages: fr 2" in res.stdout
    assert "boilerplate" in res.stdout and "events" in res.stdout
    out = tmp_path / "r.html"
    res = invoke("report", "--db", db, "-o", out)
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Nordtel" in page
    assert "<script src=" not in page  # self-contained


@pytest.mark.parametrize("command", ["export", "search", "errors", "report"])
def test_missing_store_is_one_line(command, tmp_path):
    args = [command] + (["mot"] if command == "search" else []) + ["--db", tmp_path / "absent.db"]
    res = invoke(*args)
    assert res.exit_code == 1
    assert "no store at" in res.stderr and "veille run" in res.stderr and "Traceback" not in res.output
    assert not (tmp_path / "absent.db").exists()


def test_not_a_store_is_one_line(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00\x01pas une base" * 200)
    res = invoke("export", "--db", bad)
    assert res.exit_code == 1 and "not a veille store" in res.stderr and "Traceback" not in res.output


def test_run_with_only_bad_paths_fails(tmp_path):
    db = tmp_path / "run.db"
    res = invoke("run", tmp_path / "nulle-part.txt", tmp_path / "absent" / "*.html", "--db", db)
    assert res.exit_code == 1
    assert "nulle-part.txt" in res.stderr and "nothing could be processed" in res.stderr
    assert "Traceback" not in res.output
    with open_store(db, readonly=True) as s:
        assert any("nulle-part.txt" in e["source"] for e in s.errors())


def test_run_bad_config_is_one_line(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[store]\nbatch_sizes = 3\n", encoding="utf-8")
    res = invoke("run", tmp_path, "--db", tmp_path / "x.db", "--config", cfg)
    assert res.exit_code == 1 and "batch_sizes" in res.stderr and "Traceback" not in res.output
    res = invoke("run", tmp_path, "--db", tmp_path / "x.db", "--config", tmp_path / "none.toml")
    assert res.exit_code == 1 and "none.toml" in res.stderr


def test_run_db_in_missing_folder(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("Un titre\n\nUn paragraphe.\n", encoding="utf-8")
    res = invoke("run", page, "--db", tmp_path / "pas" / "là.db")
    assert res.exit_code == 1 and "does not exist" in res.stderr and "Traceback" not in res.output


def test_spark_engine_needs_out(tmp_path):
    res = invoke("run", tmp_path, "--engine", "spark")
    assert res.exit_code == 1 and "--out" in res.stderr


def test_unexpected_error_is_one_line(db, monkeypatch):
    from veille.store.sqlite import SQLiteStore

    def broken(self, **kw):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(SQLiteStore, "export", broken)
    monkeypatch.delenv("VEILLE_DEBUG", raising=False)
    res = invoke("export", "--db", db)
    assert res.exit_code == 1
    assert "unexpected error: RuntimeError: disk on fire" in res.stderr and "Traceback" not in res.output


@pytest.mark.slow
def test_run_own_articles(tmp_path):
    folder = tmp_path / "presse"
    folder.mkdir()
    (folder / "un.txt").write_text(
        "Le Japon convoque l’ambassadeur de Chine\n\nTokyo a convoqué mardi l’ambassadeur de Chine après "
        "l’incursion de navires chinois près des îles Senkaku, a indiqué le ministère des Affaires "
        "étrangères.\n\nPékin a rejeté ces accusations.\n", encoding="utf-8")
    (folder / "casse.html").write_bytes(b"")
    db = tmp_path / "own.db"
    res = invoke("run", folder, "--db", db, "--workers", "1")
    assert res.exit_code == 0, res.output
    assert "casse.html" in res.stderr  # one line for the failed input, the run goes on
    res2 = invoke("run", folder, "--db", db)
    assert res2.exit_code == 0 and "0 new article(s), 1 already stored" in res2.stderr
    hits = json.loads("[" + ",".join(invoke("export", "--db", db).stdout.splitlines()) + "]")
    assert len(hits) == 1 and hits[0]["lang"] == "fr"


# -- docs as code ------------------------------------------------------------------------------
def commands() -> list[str]:
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_every_command_has_help_text():
    for name in commands():
        res = invoke(name, "--help")
        assert res.exit_code == 0, name
        cmd = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name)
        doc = (cmd.help or cmd.callback.__doc__ or "").strip()
        assert doc, f"'veille {name}' has no help text"


def test_every_command_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    for name in commands():
        assert re.search(rf"veille {name}\b", section), f"'veille {name}' is not in README.md, Commands"


# -- a Unix tool: pipes, usage errors, help, version ----------------------------------------------
VEILLE = [sys.executable, "-c", "from veille.cli import main; main()"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "VEILLE_DEBUG": ""}


@pytest.mark.parametrize("args", [["export"], ["alerts", "--json"]])
def test_closed_pipe_is_quiet(args, tmp_path):
    db = tmp_path / "big.db"
    with open_store(db) as s:
        s.add([article(f"a{i:03}", source=f"presse/{i}.txt") for i in range(150)])
        state = s.watch_state()
        for i in range(3000):
            state.add_alert(f"k{i}", {"rule": "r", "article": "a000", "created": "2026-01-01T00:00",
                                      "text": "x" * 40})
    proc = subprocess.Popen([*VEILLE, *args, "--db", str(db)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env())
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what 'head -1' does
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) != 1
    assert stderr == ""


def test_broken_pipe_inside_a_command_is_quiet(db, monkeypatch):
    from veille.store.sqlite import SQLiteStore

    def closed(self, **kw):
        raise BrokenPipeError(32, "Broken pipe")
        yield {}

    monkeypatch.setattr(SQLiteStore, "export", closed)
    res = invoke("export", "--db", db)
    assert res.exit_code == 141 and res.stderr == ""


@pytest.mark.parametrize("args, words", [
    (["export", "--formt", "x"], "--formt"),
    (["nope"], "nope"),
    (["run"], "PATH"),
    (["run", "x", "--workers", "0"], "--workers"),
    (["export", "--format", "csv"], "csv"),
])
def test_usage_errors_are_one_line(args, words):
    proc = subprocess.run([*VEILLE, *args], capture_output=True, text=True, env=_env(), check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("veille: ") and words in proc.stderr
    assert "--help" in proc.stderr and "╭" not in proc.stderr and proc.stdout == ""


def test_version():
    from veille import __version__

    res = invoke("--version")
    assert res.exit_code == 0 and res.stdout.strip() == f"veille {__version__}"


def test_help_is_plain():
    for name in commands():
        text = invoke(name, "--help").stdout
        assert not re.search(r"<[a-z]+[^>]*>", text), (name, text)  # no <list[Path]>, <str>
        assert "╭" not in text
        assert "[store] path" in text  # brackets are text, not markup
    assert "PATH..." in invoke("run", "--help").stdout and "--version" in invoke("--help").stdout


def test_no_arguments_show_the_help():
    proc = subprocess.run(VEILLE, capture_output=True, text=True, env=_env(), check=False)
    assert proc.returncode == 0 and "Commands:" in proc.stdout and proc.stderr == ""


def test_alerts_of_an_unknown_rule(db):
    with open_store(db) as s:
        s.watch_state().add_alert("k1", {"rule": "huawei", "article": "a1", "created": "2026-01-01T00:00"})
    res = invoke("alerts", "--db", db, "--rule", "nope")
    assert res.exit_code == 1
    assert "no alert from a rule named 'nope'" in res.stderr and "huawei" in res.stderr
    assert "no alert raised yet" not in res.output
    res = invoke("alerts", "--db", db, "--rule", "huawei")
    assert res.exit_code == 0 and res.stdout.count("\n") == 1


def test_serve_on_a_busy_port(db):
    pytest.importorskip("fastapi")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = invoke("serve", "--db", db, "--port", port)
    assert res.exit_code == 1
    assert f"port {port}" in res.stderr and "in use" in res.stderr and "serving" not in res.output
    assert res.stderr.count("\n") == 1


def test_search_folds_copies_and_reads_exclusions(tmp_path):
    db = tmp_path / "copies.db"
    with open_store(db) as s:
        copy = dataclasses.replace(article("a2", source="b.txt", duplicate_of="a1", published=None), outlet=None)
        s.add([article("a1"), copy])
    res = invoke("search", "nordtel", "--db", db)
    assert res.exit_code == 0, res.output
    assert res.stdout.count("Nordtel dans le viseur") == 1 and "and 1 copy" in res.stdout
    res = invoke("search", "nordtel -espionnage", "--db", db)
    assert res.exit_code == 0 and "no article matches" in res.stdout
    res = invoke("search", "huawei AND", "--db", db)
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "AND needs a term after it" in res.stderr


@pytest.mark.parametrize("args", [["report"], ["search", "nordtel", "-n", "150"]])
def test_closed_pipe_on_rich_output_is_quiet(args, tmp_path):
    db = tmp_path / "big.db"
    with open_store(db) as s:
        s.add([article(f"a{i:03}", source=f"presse/{i}.txt") for i in range(150)])
    proc = subprocess.Popen([*VEILLE, *args, "--db", str(db)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**_env(), "COLUMNS": "80"})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
