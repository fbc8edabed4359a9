"""Quality gate: run the pipeline on a gold set, export it and score it with the shared scorer.

Two gold sets are checked: the five sample articles (``../shared/seeds`` with
``eval/seeds.gold.json``, floors in ``tests/quality_floors.json``) and the development set
of real French news excerpts (``../shared/eval/dev``, floors in
``tests/quality_floors_dev.json``). Each metric of a floors file must reach its floor; a
metric missing from the file is not checked. Raise a floor when a change makes a metric
better for good; never lower one to let a change pass.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOLD, SCORE, SHARED
from typer.testing import CliRunner

from veille.cli import app

HERE = Path(__file__).parent
FLOORS = {"seeds": HERE / "quality_floors.json", "dev": HERE / "quality_floors_dev.json"}
DEV = SHARED / "eval" / "dev"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_floors_file_is_plain_json(name):
    floors = json.loads(FLOORS[name].read_text(encoding="utf-8"))
    assert floors and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in floors.values())


def _scores(inputs: Path, gold: Path, tmp_path: Path) -> dict:
    db, out = tmp_path / "gate.db", tmp_path / "export.jsonl"
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(inputs), "--db", str(db), "--quiet"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    proc = subprocess.run([sys.executable, str(SCORE), "--gold", str(gold), "--export", str(out), "--quiet"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _below(scores: dict, floors_file: Path) -> dict:
    floors = json.loads(floors_file.read_text(encoding="utf-8"))
    return {k: (scores.get(k), floor) for k, floor in floors.items()
            if scores.get(k) is None or scores[k] < floor}


@pytest.mark.slow
def test_seed_scores_reach_their_floors(seeds_dir, tmp_path):
    below = _below(_scores(seeds_dir, GOLD, tmp_path), FLOORS["seeds"])
    assert not below, f"seed metrics below their floor (score, floor): {below}"


@pytest.mark.slow
def test_dev_scores_reach_their_floors(shared_dir, tmp_path):
    articles = DEV / "articles.jsonl"
    if not articles.is_file():
        pytest.fail(f"the development set is missing: expected {articles}")
    inputs = tmp_path / "dev-in"
    inputs.mkdir()
    shutil.copy(articles, inputs / "articles.jsonl")  # the scorer finds articles by url
    below = _below(_scores(inputs, DEV / "gold.json", tmp_path), FLOORS["dev"])
    assert not below, f"development-set metrics below their floor (score, floor): {below}"
