"""Quality gate: export the sample articles and score them against the hand-made gold.

Each metric of tests/quality_floors.json must reach its floor; a metric missing from the
file is not checked. Raise a floor when a change makes a metric better for good.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOLD, SCORE
from typer.testing import CliRunner

from veille.cli import app

FLOORS = Path(__file__).with_name("quality_floors.json")


def test_floors_file_is_plain_json():
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    assert floors and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in floors.values())


@pytest.mark.slow
def test_seed_scores_reach_their_floors(seeds_dir, tmp_path):
    db, out = tmp_path / "gate.db", tmp_path / "seeds.jsonl"
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(seeds_dir), "--db", str(db), "--quiet"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    proc = subprocess.run([sys.executable, str(SCORE), "--gold", str(GOLD), "--export", str(out), "--quiet"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    scores = json.loads(proc.stdout.strip().splitlines()[-1])
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    below = {k: (scores.get(k), floor) for k, floor in floors.items()
             if scores.get(k) is None or scores[k] < floor}
    assert not below, f"metrics below their floor (score, floor): {below}"
