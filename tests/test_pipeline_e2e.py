"""End to end over the sample articles: `veille run`, then `veille export`; a second run
changes nothing. Reads the samples at run time; copies none of their text."""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from veille.cli import app
from veille.config import Config
from veille.runners.local import run_pipeline
from veille.store import open_store

runner = CliRunner()


def export_bytes(db) -> str:
    res = runner.invoke(app, ["export", "--db", str(db)])
    assert res.exit_code == 0, res.output
    return res.stdout


@pytest.mark.slow
def test_run_export_rerun(seeds_dir, tmp_path):
    db = tmp_path / "seeds.db"
    res = runner.invoke(app, ["run", str(seeds_dir), "--db", str(db)])
    assert res.exit_code == 0, res.output
    first = export_bytes(db)
    rows = [json.loads(line) for line in first.splitlines()]
    assert len(rows) == 5
    assert len({r["id"] for r in rows}) == 5
    for r in rows:
        assert r["text"] and r["lang"] == "fr" and r["story"]
        for e in r["events"]:
            assert r["text"][e["span"][0]:e["span"][1]]
    res = runner.invoke(app, ["run", str(seeds_dir), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "0 new article(s), 5 already stored" in res.stderr
    assert export_bytes(db) == first
    with open_store(db, readonly=True) as s:
        st = s.stats()
        assert st["articles"] == 5 and st["stories"] >= 1 and st["errors"] == 0
        assert sum(sto["n_articles"] for sto in s.stories()) == 5
        assert s.state("cluster") is not None and s.state("dedupe") is not None


@pytest.mark.slow
def test_changed_file_replaces_its_article(seeds_dir, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(seeds_dir, folder)
    one = min(folder.glob("*.txt"))
    with open_store(tmp_path / "c.db") as store:
        summary = run_pipeline([str(folder)], Config(), store)
        assert summary.new == 5 and summary.failed == 0
        stages = summary.stages
        assert stages["ingest"]["out"] == 5 and stages["known"]["dropped"] == 0
        one.write_text(one.read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté après coup par la "
                       "rédaction pour préciser le contexte.\n", encoding="utf-8")
        again = run_pipeline([str(folder)], Config(), store)
        assert (again.new, again.known, again.replaced) == (1, 4, 1)
        assert store.count() == 5
        assert any("ajouté après coup" in a["text"] for a in store.export())
