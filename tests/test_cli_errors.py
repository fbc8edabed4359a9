"""Every failure of a command ends in one line on standard error and a non-zero status."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app
from veille.errors import yaml_problem
from veille.store import open_store

runner = CliRunner()


@pytest.fixture
def place(tmp_path: Path) -> Path:
    (tmp_path / "damaged.db").write_bytes(b"hello\n")
    with open_store(tmp_path / "empty.db"):
        pass
    (tmp_path / "broken.yaml").write_text("rules: [\n", encoding="utf-8")
    (tmp_path / "broken.toml").write_text("[nlp\n", encoding="utf-8")
    (tmp_path / "zero.toml").write_text("[nlp]\nbatch_size = 0\n", encoding="utf-8")
    (tmp_path / "feeds.txt").write_text("https://example.invalid/feed\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Un titre\n\nLe gouvernement a annoncé mardi une réforme.\n", encoding="utf-8")
    return tmp_path


CASES = [
    (["export", "--db", "{p}/absent.db"], "no store at"),
    (["export", "--db", "{p}/damaged.db"], "not a veille store"),
    (["search", "x", "--db", "{p}/damaged.db"], "not a veille store"),
    (["search", '"pas fermé', "--db", "{p}/empty.db"], "double quote"),
    (["errors", "--db", "{p}/absent.db"], "no store at"),
    (["report", "--db", "{p}/empty.db", "-o", "{p}/no/such/folder/r.html"], "cannot write"),
    (["export", "--db", "{p}/empty.db", "-o", "{p}/no/such/folder/x.jsonl"], "cannot write"),
    (["alerts", "--db", "{p}/damaged.db"], "not a veille store"),
    (["events", "--db", "{p}/empty.db", "--since", "2024-13-45"], "--since"),
    (["import", "{p}/no-such-folder", "--db", "{p}/x.db"], "no articles/ folder"),
    (["run", "{p}/a.txt", "--db", "{p}/x.db", "--config", "{p}/broken.toml"], "not valid TOML"),
    (["run", "{p}/a.txt", "--db", "{p}/x.db", "--config", "{p}/zero.toml"], "nlp.batch_size must be at least 1"),
    (["run", "{p}/a.txt", "--db", "{p}/x.db", "--config", "{p}/absent.toml"], "cannot read the settings file"),
    (["run", "{p}/a.txt", "--db", "{p}/no/such/folder/x.db"], "does not exist"),
    (["run", "{p}/a.txt", "--db", "{p}/damaged.db"], "not a veille store"),
    (["watch", "{p}/absent.txt", "--once", "--db", "{p}/w.db"], "cannot read the feeds file"),
    (["watch", "{p}/feeds.txt", "--once", "--db", "{p}/w.db", "--watchlist", "{p}/broken.yaml"],
     "not valid YAML (line 2, column 1: expected the node content"),
]


@pytest.mark.parametrize(("args", "words"), CASES, ids=[" ".join(a[:2]) + " " + w for a, w in CASES])
def test_every_failure_is_one_line(place, args, words, monkeypatch):
    monkeypatch.delenv("VEILLE_DEBUG", raising=False)
    res = runner.invoke(app, [a.format(p=place) for a in args])
    assert res.exit_code == 1, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("veille: ") and words in lines[0], res.stderr
    assert "Traceback" not in res.output


@pytest.mark.slow
def test_bad_actors_file_is_one_line(place):
    res = runner.invoke(app, ["run", str(place / "a.txt"), "--db", str(place / "x.db"), "--quiet",
                              "--actors", str(place / "broken.yaml")])
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "not valid YAML (line 2, column 1:" in res.stderr, res.stderr


def test_yaml_problem_is_one_line():
    import yaml

    with pytest.raises(yaml.YAMLError) as info:
        yaml.safe_load("a: [\n  b: c\n")
    text = yaml_problem(info.value)
    assert "\n" not in text and text.startswith("line ") and "^" not in text
    assert yaml_problem(ValueError("deux\nlignes")) == "deux lignes"
