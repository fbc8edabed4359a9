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


# -- the runner without the language model (fast) ---------------------------------------------
def _articles(n: int) -> list:
    from veille.records import Article

    subjects = ["Le Japon", "La Corée du Sud", "Le Canada", "La Norvège", "Le Chili", "Le Kenya"]
    return [Article(id=f"art{k}", source=f"presse/{k}.txt", lang="fr", published=f"2024-05-{k + 1:02d}",
                    title=f"{subjects[k % 6]} signe un accord",
                    text=f"{subjects[k % 6]} a signé lundi un accord de pêche numéro {k} avec ses voisins, "
                         "après des mois de négociations difficiles.")
            for k in range(n)]


@pytest.fixture
def no_nlp(monkeypatch):
    """The nlp stage replaced by one that annotates nothing (no model to load)."""
    from veille import nlp
    from veille.records import AnnotatedArticle, Article

    def run(items, cfg=None):
        for item in items:
            yield AnnotatedArticle.from_article(item) if isinstance(item, Article) else item

    monkeypatch.setattr(nlp, "run", run)


def test_counts_and_rerun(tmp_path, no_nlp):
    from veille.records import Failure
    from veille.runners.local import run_items

    with open_store(tmp_path / "r.db") as store:
        items = [*_articles(3), Failure("presse/x.txt", "unreadable")]
        summary = run_items(items, Config(), store)
        assert (summary.new, summary.failed, store.count()) == (3, 1, 3)
        assert summary.stages["dedupe"]["in"] == 3 and summary.stages["cluster"]["out"] == 3
        again = run_items(_articles(3), Config(), store)
        assert (again.new, again.known) == (0, 3)
        assert again.stages["known"]["dropped"] == 3 and again.stages["dedupe"]["in"] == 0


def test_runner_writes_the_same_into_any_store(tmp_path, no_nlp):
    """The runner writes through the store protocol: the tests' in-memory store ends with
    what the SQLite store holds, a second run included."""
    from memory_store import MemoryStore

    from veille.records import Failure
    from veille.runners.local import run_items

    cfg = Config().with_overrides(store={"batch_size": 2})
    items = [*_articles(5), Failure("presse/x.txt", "unreadable")]
    memory = MemoryStore()
    with open_store(tmp_path / "s.db") as sqlite:
        for store in (sqlite, memory):
            first, again = run_items(items, cfg, store), run_items(items, cfg, store)
            assert (first.new, first.failed, again.new, again.known) == (5, 1, 0, 5)
        assert list(memory.export()) == list(sqlite.export())
        assert memory.stories() == sqlite.stories()
        assert [(e["source"], e["reason"]) for e in memory.errors()] == \
            [(e["source"], e["reason"]) for e in sqlite.errors()]
        assert {n: memory.state(n) for n in ("dedupe", "cluster")} == \
            {n: sqlite.state(n) for n in ("dedupe", "cluster")}


def test_interrupt_keeps_the_store_consistent(tmp_path, no_nlp):
    from veille.runners.local import run_items

    cfg = Config().with_overrides(dedupe={"batch_size": 2}, cluster={"batch_size": 2})  # chunks of 2
    calls = []

    def progress(summary):
        calls.append(summary.new)
        if summary.new >= 2:
            raise KeyboardInterrupt

    with open_store(tmp_path / "i.db") as store:
        with pytest.raises(KeyboardInterrupt):
            run_items(_articles(6), cfg, store, progress=progress)
        assert store.count() == 2  # the first chunk, whole, with the states that describe it
        assert store.state("dedupe") is not None and store.state("cluster") is not None
        summary = run_items(_articles(6), cfg, store)
        assert (summary.new, summary.known) == (4, 2)
        assert store.count() == 6
        assert sum(s["n_articles"] for s in store.stories()) == 6


def test_closed_stories_are_stored_with_all_their_members(tmp_path, no_nlp):
    """Over a long span the cluster stage closes stories during the run: each is stored
    with every member, and the saved story state holds the open stories only."""
    from datetime import date, timedelta

    from veille.records import Article
    from veille.runners.local import run_items

    start = date(2023, 1, 1)
    nouns = ("pêche vent marée", "rail gare tunnel", "école maître cantine", "budget impôt dette",
             "climat glacier canicule", "vigne vendange cépage", "musée tableau sculpture", "hôpital urgence lit")
    topics = [n.split() for n in nouns]
    arts = []
    for k in range(80):  # two articles a topic, three days apart; a topic comes back 48 days later
        a, b, c = topics[(k // 2) % len(topics)]
        arts.append(Article(id=f"long{k}", source=f"presse/long{k}.txt", lang="fr",
                            published=(start + timedelta(days=3 * k)).isoformat(),
                            title=f"{a.capitalize()} et {b}", text=f"La {a}, le {b} et la {c} font parler."))
    cfg = Config().with_overrides(cluster={"late_days": 5, "batch_size": 7}, store={"batch_size": 3})
    with open_store(tmp_path / "long.db") as store:
        summary = run_items(arts, cfg, store)
        assert summary.new == 80
        stored = store.stories()
        assert sum(s["n_articles"] for s in stored) == 80
        saved = store.state("cluster")
        assert 0 < len(saved["stories"]) < len(stored)
        assert saved["closed"] == len(stored) - len(saved["stories"])


def test_error_inside_a_stage_is_not_hidden(tmp_path, no_nlp, monkeypatch):
    from veille import dedupe
    from veille.runners import local

    def run(items, cfg, *, state=None):
        for _ in items:
            raise RuntimeError("bug in the stage")
        yield from ()

    monkeypatch.setattr(dedupe, "run", run)
    with open_store(tmp_path / "e.db") as store, pytest.raises(RuntimeError, match="bug in the stage"):
        local.run_items(_articles(2), Config(), store)


def test_repeated_ids_are_skipped_with_bounded_memory():
    from veille.runners.local import RunSummary, _skip_known

    class Store:  # the store knows what was written: here, ids passed on 5 or more items ago
        def __init__(self):
            self.written: list[str] = []

        def known(self, ids):
            return set(self.written[:-5]) & set(ids)

    store, summary = Store(), RunSummary()
    arts = _articles(12)
    stream = [arts[0], arts[1], arts[0], arts[2], *arts[3:10], arts[1], arts[11], arts[2]]
    out = []
    for item in _skip_known(stream, store, summary, batch=1, recent=6):
        out.append(item.id)
        store.written.append(item.id)
    assert out == [a.id for a in arts[:10]] + ["art11"]
    assert summary.known == 3
