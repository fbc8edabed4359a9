"""The Spark engine: the same results as the local engine, Parquet out, import into the store.

The tests that start Spark are marked ``spark`` and ``slow`` and are skipped, with the
reason, when PySpark or Java 17+ is missing (``make test`` installs Java from Debian
when it can: scripts/system-deps.sh).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.config import Config
from veille.records import AnnotatedArticle, Failure
from veille.store.parquet import import_output, read_output

spark_mod = pytest.importorskip("veille.runners.spark")

# Our own French news texts (written for these tests).
ARTICLES = {
    "a1_peche.txt": (
        "Pêche : Paris et Londres trouvent un accord sur les licences\n\n"
        "La France et le Royaume-Uni ont conclu mardi un accord sur les licences de pêche "
        "autour des îles anglo-normandes, a annoncé le ministère de la Mer. Selon le ministère, "
        "quarante navires français pourront de nouveau travailler dans les eaux de Jersey dès "
        "la semaine prochaine.\n\n"
        "Les pêcheurs normands saluent un soulagement après des mois de tension. « Nous attendions "
        "ce geste depuis longtemps », a déclaré le président du comité régional des pêches. "
        "Londres aurait toutefois exigé de nouvelles garanties sur le contrôle des prises.\n"),
    "a2_energie.txt": (
        "L'Allemagne menace de bloquer la réforme du marché de l'électricité\n\n"
        "Berlin a menacé jeudi de bloquer la réforme européenne du marché de l'électricité si "
        "Bruxelles ne revoit pas sa copie sur le nucléaire. Le gouvernement allemand reproche à "
        "la Commission européenne de favoriser les centrales françaises.\n\n"
        "Paris dénonce une manœuvre politique. D'après le quotidien Les Echos, les ministres de "
        "l'Énergie pourraient se réunir en urgence la semaine prochaine pour tenter un compromis.\n"),
    "a3_sante.txt": (
        "Les médecins généralistes appellent à une grève le 15 mars\n\n"
        "Les syndicats de médecins généralistes ont appelé lundi à une grève nationale le 15 mars "
        "pour protester contre le projet de loi sur l'accès aux soins. Ils accusent le gouvernement "
        "de vouloir imposer des gardes obligatoires sans concertation.\n\n"
        "Le ministre de la Santé a rejeté ces critiques et proposé de recevoir les représentants "
        "des médecins vendredi. Selon l'Agence France-Presse, plusieurs cabinets fermeront déjà "
        "dès la semaine prochaine en signe de soutien.\n"),
    "a4_peche_copie.txt": (
        "Pêche : Paris et Londres trouvent un accord sur les licences\n\n"
        "La France et le Royaume-Uni ont conclu mardi un accord sur les licences de pêche "
        "autour des îles anglo-normandes, a annoncé le ministère de la Mer. Selon le ministère, "
        "quarante navires français pourront de nouveau travailler dans les eaux de Jersey dès "
        "la semaine prochaine.\n\n"
        "Les pêcheurs normands saluent un soulagement après des mois de tension. « Nous attendions "
        "ce geste depuis longtemps », a déclaré le président du comité régional des pêches. "
        "Londres aurait toutefois exigé de nouvelles garanties sur le contrôle des prises.\n"),
    "a5_energie_suite.txt": (
        "Électricité : la réforme européenne toujours bloquée par Berlin\n\n"
        "La réforme du marché européen de l'électricité reste bloquée : l'Allemagne refuse "
        "toujours le compromis proposé par la Commission européenne sur le nucléaire. Berlin "
        "accuse Paris de vouloir subventionner ses centrales au détriment de ses voisins.\n\n"
        "Les ministres de l'Énergie se retrouveront mardi à Bruxelles. La présidence du Conseil "
        "espère un accord avant la fin du mois, selon un diplomate européen.\n"),
}


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "vide.txt").write_text("   \n", encoding="utf-8")  # empty: a failure, not fatal
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # unknown format: a failure
    return folder


# -- near-duplicate rule, without Spark ------------------------------------------------------------
def _edges_python(arts: list[AnnotatedArticle], eligible: set[str], cfg: Config):
    """The banded join of the Spark engine, done in plain Python."""
    from veille.dedupe import DedupeIndex, similarity

    index = DedupeIndex.from_config(cfg)
    sigs = {}
    for a in arts:
        sig = index.signature(a.text)
        if sig is not None and a.id in eligible:
            sigs[a.id] = sig
    buckets: dict = {}
    for aid, (_, hv) in sigs.items():
        for b, (s, e) in enumerate(index.bands):
            buckets.setdefault((b, *hv[s:e].tolist()), set()).add(aid)
    edges: dict = {}
    for members in buckets.values():
        ids = sorted(members)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                score = similarity(sigs[a][1], sigs[a][0], sigs[b][1], sigs[b][0])
                if score >= index.threshold and b not in {x for x, _ in edges.get(a, [])}:
                    edges.setdefault(a, []).append((b, score))
                    edges.setdefault(b, []).append((a, score))
    return edges


def _stage_and_replay(stream, cfg, size):
    """duplicate_of from the dedupe stage (batches of ``size``) and from its replay with
    the candidates of a banded join (the Spark engine's way), and both indexes."""
    from veille import dedupe

    cfg = cfg.with_overrides(dedupe={"batch_size": size})
    fresh = [AnnotatedArticle.from_dict(s.as_dict()) if isinstance(s, AnnotatedArticle) else s for s in stream]
    index = dedupe.DedupeIndex.from_config(cfg)
    judged = [it for it in dedupe.run(fresh, cfg, state=index) if isinstance(it, AnnotatedArticle)]
    expected = {it.id: it.duplicate_of for it in judged}
    arts = [s for s in stream if isinstance(s, AnnotatedArticle)]
    sigs = {a.id: index.signature(a.text) for a in arts}
    sketches = [None if isinstance(s, Failure) else
                dedupe.Sketch(s.id, s.published, s.content_hash, sigs[s.id][0] if sigs[s.id] else 0)
                for s in stream]
    edges = _edges_python(arts, {s.id for s in sketches if s is not None and s.size}, cfg)
    replayed = dedupe.DedupeIndex.from_config(cfg)
    counts: dict = {}
    verdicts = dict(dedupe.replay(sketches, cfg, state=replayed, candidates=edges, stats=counts))
    assert {k: (v.of, v.kind, v.longer) for k, v in verdicts.items()} == {
        it.id: (it.duplicate_of, it.duplicate_kind, it.longer_version) for it in judged}
    got = {k: v.of for k, v in verdicts.items()}
    replayed.sign((aid, sigs[aid][1]) for aid in replayed.unsigned())
    return expected, got, counts, index, replayed


def _duplicate_stream(plan):
    from veille.records import content_hash

    return [Failure("bad", "broken") if p is None else
            AnnotatedArticle(id=p[0], source=p[0], text=p[1], published=p[2], content_hash=content_hash(p[1]))
            for p in plan]


def _texts():
    return [" ".join(ARTICLES[n].split("\n\n")[1:]) for n in ("a1_peche.txt", "a2_energie.txt", "a3_sante.txt")]


def test_duplicate_rule_matches_dedupe_stage():
    """Banded candidates replayed through the stage's decision give what veille.dedupe.run
    gives, across batches, with failures in the stream and an earlier-published copy seen
    later; the replayed index, once signed, is the stage's index."""
    texts = _texts()
    near = texts[0].replace("quarante navires", "trente-huit bateaux")
    extra = texts[1] + " Une source diplomatique évoque un calendrier serré avant les élections."
    plan = [("x1", texts[0], "2024-03-05"), None, ("x2", texts[1], "2024-03-07"), ("x3", near, "2024-03-06"),
            ("x4", texts[0], "2024-03-04"), None, ("x5", extra, None), ("x6", texts[2], "2024-03-01"),
            ("x7", texts[0].upper(), "2024-03-08"), ("x8", texts[2], None)]
    stream = _duplicate_stream(plan)
    cfg = Config()
    for size in (3, 1000):
        expected, got, counts, index, replayed = _stage_and_replay(stream, cfg, size)
        assert got == expected, f"batch size {size}"
        assert counts["exact"] + counts["near"] == sum(1 for v in expected.values() if v)
        assert replayed.to_dict() == index.to_dict()
    assert expected["x3"] == "x4" and expected["x1"] == "x4" and expected["x8"] == "x6"


def test_duplicate_rule_forgets_like_the_stage():
    """With a window of 3 days, near copies further from each other are originals, exact
    copies are found at any distance, the same way in the stage and in its replay, and both
    remember the same articles at the end."""
    texts = _texts()
    near = texts[0].replace("quarante navires", "trente-huit bateaux")
    near_again = near + " Le ministère doit publier un bilan chiffré la semaine prochaine."
    other = texts[1] + " Une source diplomatique évoque un calendrier serré avant les élections."
    plan = [("y1", texts[0], "2024-03-01"), ("y2", texts[1], "2024-03-02"), ("y3", near, "2024-03-03"),
            ("y4", texts[2], None), ("y5", other, "2024-03-06"), ("y6", texts[0], "2024-03-09"),
            None, ("y7", near_again, "2024-03-10"), ("y8", texts[2], "2024-03-10"), ("y9", other, "2024-03-04")]
    stream = _duplicate_stream(plan)
    for overrides in ({"window_days": 3}, {"window_days": 3, "recent": 1}):
        cfg = Config().with_overrides(dedupe=overrides)
        for size in (1, 4, 1000):
            expected, got, _, index, replayed = _stage_and_replay(stream, cfg, size)
            assert got == expected, f"batch size {size}"
            assert replayed.to_dict() == index.to_dict()
    cfg = Config().with_overrides(dedupe={"window_days": 3})
    expected, *_ = _stage_and_replay(stream, cfg, 1)
    assert expected["y3"] == "y1"  # two days apart: a near copy
    assert expected["y5"] is None  # y2 is four days older: not compared
    assert expected["y6"] == "y1"  # an exact copy, eight days later
    assert expected["y7"] == "y1"  # near y6 (a day apart), whose original is y1
    assert expected["y8"] == "y4" and expected["y9"] == "y5"


class _Stage:
    def __init__(self, tasks, done, active):
        self.numTasks, self.numCompletedTasks, self.numActiveTasks = tasks, done, active


class _Tracker:
    def getActiveStageIds(self):
        return [3, 4]

    def getStageInfo(self, stage):
        return {3: _Stage(8, 5, 2), 4: _Stage(2, 0, 0)}[stage]


def test_steps_say_the_step_and_the_tasks_done():
    from types import SimpleNamespace

    from veille.runners.spark.progress import Steps

    said: list[str] = []
    sc = SimpleNamespace(statusTracker=lambda: _Tracker())
    steps = Steps(sc, said.append, every=0, started=0.0)
    steps.step("reading 4 input(s)")
    assert said[0].startswith("reading 4 input(s) (") and said[0].endswith(")")
    assert steps.tasks() == "5/10 tasks done (50%), 2 running"


def test_summary_line():
    summary = spark_mod.SparkSummary(out="out", master="local[2]", articles=5, stories=1, event_records=20,
                                     seconds=12.34)
    assert summary.line() == ("5 article(s), 0 exact and 0 near duplicate(s), 1 story, 20 event record(s), "
                              "0 failure(s) in 12.3s on local[2] → out (load it with: veille import out)")


def test_local_spark_logs_errors_only():
    from veille.runners.spark.session import LOG_CONFIG, _settings

    options = _settings(submitted=False, local=True, conf=None)["spark.driver.extraJavaOptions"]
    assert options == f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}"
    text = LOG_CONFIG.read_text(encoding="utf-8")
    assert "rootLogger.level = error" in text and "logger.gateway.level = error" in text
    assert "spark.driver.extraJavaOptions" not in _settings(submitted=True, local=True, conf=None)


def test_schema_has_every_export_field():
    pytest.importorskip("pyspark")
    schema = spark_mod.article_schema()
    export = AnnotatedArticle(id="", source="", text="").export()
    names = schema.fieldNames()
    assert names[: len(export)] == list(export)
    events = schema["events"].dataType.elementType
    assert {"type", "cameo", "actor", "recipient", "modality", "according_to", "date", "span",
            "sentence"} <= set(events.fieldNames())
    actors = schema["actors"].dataType.elementType
    assert actors["mentions"].dataType.simpleString() == "array<array<bigint>>"
    assert {"input_no", "doc_no"} <= set(names)


def test_missing_java_says_how_to_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nojava"))
    with pytest.raises(spark_mod.JavaMissing, match="openjdk-17-jre-headless"):
        spark_mod.find_java()


def test_plan_lists_inputs_like_a_local_run(tmp_path):
    folder = write_corpus(tmp_path / "in")
    plan = spark_mod.plan_inputs([str(folder), str(tmp_path / "absent")], Config())
    names = [Path(given).name for _, given, _ in plan.files]
    assert names == sorted(ARTICLES) + ["image.png", "vide.txt"]
    assert [f.source for _, f in plan.failures] == [str(tmp_path / "absent")]
    numbers = sorted([n for n, _, _ in plan.files] + [n for n, _ in plan.failures])
    assert numbers == list(range(len(names) + 1))


# -- Spark against the local engine ------------------------------------------------------------------
def _spark_or_skip():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("PySpark is not installed: pip install 'veille[spark]'")
    try:
        spark_mod.find_java()
    except spark_mod.JavaMissing as e:
        pytest.skip(f"no Java for Spark: {e}")


@pytest.fixture(scope="module")
def spark():
    _spark_or_skip()
    session = spark_mod.session("local[2]", app_name="veille-tests")
    yield session
    session.stop()


def local_engine(sources: list[str], cfg: Config, db: Path) -> tuple[list[AnnotatedArticle], list[dict], dict]:
    """The local engine's articles (in the order stored), failures and corpus states."""
    from veille.runners.local import run_pipeline
    from veille.store import open_store

    with open_store(db) as store:
        run_pipeline(sources, cfg, store)
        return (list(store.records()), _failures(store),
                {name: store.state(name) for name in ("dedupe", "cluster")})


def _failures(store) -> list[tuple]:
    return sorted((f["source"], f["locator"], f["stage"], f["reason"]) for f in store.errors())


def _events(a: AnnotatedArticle) -> list[tuple]:
    return [(e.type, e.actor, e.recipient, e.modality, tuple(e.span)) for e in a.events]


def _groups(arts: list[AnnotatedArticle]) -> set[frozenset]:
    by: dict = {}
    for a in arts:
        by.setdefault(a.story, set()).add(a.id)
    return {frozenset(v) for v in by.values()}


def _compare(sources: list[str], tmp_path: Path, spark) -> tuple[list, list]:
    """Spark's output, imported into a new store, equals the local engine's store."""
    from veille.store import open_store

    cfg = Config()
    local_arts, local_fails, local_states = local_engine(sources, cfg, tmp_path / "local.db")
    said: list[str] = []
    summary = spark_mod.run_pipeline(sources, cfg, out=tmp_path / "out", spark=spark, partitions=3,
                                     log_progress=said.append)
    steps = [line.split(" (")[0] for line in said]
    assert steps[0].startswith("reading") and "in 3 partitions" in steps[0], said
    assert any("finding duplicates" in x for x in steps) and any("writing Parquet" in x for x in steps), said
    arts, stories, fails = read_output(tmp_path / "out")
    assert [a.id for a in arts] == [a.id for a in local_arts]
    assert [a.text for a in arts] == [a.text for a in local_arts]
    assert [a.duplicate_of for a in arts] == [a.duplicate_of for a in local_arts]
    assert [a.story for a in arts] == [a.story for a in local_arts]
    assert _groups(arts) == _groups(local_arts)
    assert [_events(a) for a in arts] == [_events(a) for a in local_arts]
    assert [[q.text for q in a.quotes] for a in arts] == [[q.text for q in a.quotes] for a in local_arts]
    assert summary.articles == len(arts) and summary.stories == len(stories)
    assert summary.line().startswith(f"{len(arts)} article(s), ") and "veille import" in summary.line()
    assert {a for s in stories for a in s.article_ids} == {a.id for a in arts}
    with open_store(tmp_path / "imported.db") as store:
        result = import_output(tmp_path / "out", store, batch_size=cfg.store.batch_size)
        assert result.added == len(arts) and sorted(result.states) == ["cluster", "dedupe"]
        assert [a.export() for a in store.records()] == [a.export() for a in local_arts]
        assert [(f[0], f[1], f[2], f[3]) for f in _failures(store)] == local_fails
        assert {n: store.state(n) for n in ("dedupe", "cluster")} == local_states
    _same_event_records(tmp_path / "out", tmp_path / "local.db", summary)
    return arts, fails


def _same_event_records(out: Path, db: Path, summary) -> None:
    """Spark's event records (grouped on the executors) are the local run's."""
    import pyarrow.parquet as pq

    from veille.store import open_store

    columns = ["id", "story", "type", "actor", "recipient", "n_mentions", "n_articles", "n_sources", "sources"]
    rows = pq.read_table(out / "event_records").to_pylist()
    spark_side = sorted(tuple(r[c] if c != "sources" else json.loads(r[c]) for c in columns) for r in rows)
    with open_store(db) as store:
        local_side = sorted(tuple(r[c] if c != "sources" else json.loads(r[c]) for c in columns)
                            for r in store.conn.execute(f"SELECT {', '.join(columns)} FROM event_records"))
    assert spark_side == local_side
    assert summary.event_records == len(rows)


@pytest.mark.spark
@pytest.mark.slow
def test_spark_equals_local_on_own_corpus(tmp_path, spark):
    folder = write_corpus(tmp_path / "in")
    arts, fails = _compare([str(folder)], tmp_path, spark)
    by_name = {Path(a.source).name: a for a in arts}
    assert by_name["a4_peche_copie.txt"].duplicate_of == by_name["a1_peche.txt"].id
    assert by_name["a4_peche_copie.txt"].story == by_name["a1_peche.txt"].story
    assert {Path(f.source).name for f in fails} == {"vide.txt", "image.png"}
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["failures"] == 2 and summary["exact_duplicates"] == 1


@pytest.mark.spark
@pytest.mark.slow
def test_spark_equals_local_on_seeds(tmp_path, spark, seeds_dir):
    arts, _ = _compare([str(seeds_dir)], tmp_path, spark)
    assert len(arts) == len(list(seeds_dir.glob("*.txt")))
    assert any(a.events for a in arts)


@pytest.mark.spark
@pytest.mark.slow
def test_uris_and_parquet_inputs(tmp_path, spark):
    """file:// URIs go through binaryFiles; Parquet rows through the JSONL reader."""
    folder = write_corpus(tmp_path / "in")
    rows = [{"text": ARTICLES[n].split("\n\n", 1)[1], "title": ARTICLES[n].split("\n", 1)[0],
             "published": f"2024-03-0{k + 1}", "outlet": "Le Quotidien"}
            for k, n in enumerate(sorted(ARTICLES)[:3])]
    spark.createDataFrame(rows).write.parquet(str(tmp_path / "rows.parquet"))
    summary = spark_mod.run_pipeline([f"file://{folder}", str(tmp_path / "rows.parquet")], Config(),
                                     out=tmp_path / "out", spark=spark)
    arts, _, fails = read_output(tmp_path / "out")
    from_uri = [a for a in arts if a.source.startswith("file:")]
    from_rows = [a for a in arts if a.source.endswith("rows.parquet")]
    assert len(from_uri) == len(ARTICLES) and len(from_rows) == 3
    assert [a.published for a in from_rows] == ["2024-03-01", "2024-03-02", "2024-03-03"]
    assert len({a.id for a in arts}) == len(arts)
    assert len(fails) == 2 and summary.failures == 2


@pytest.mark.slow
def test_local_engine_two_workers_equal_one(tmp_path, seeds_dir):
    """--workers 2 (nlp in two processes) stores exactly what one worker stores."""
    folder = write_corpus(tmp_path / "in")
    sources = [str(folder), str(seeds_dir)]
    results = []
    for workers in (1, 2):
        cfg = Config().with_overrides(nlp={"workers": workers})
        arts, fails, states = local_engine(sources, cfg, tmp_path / f"w{workers}.db")
        results.append(([a.export() for a in arts], fails, states))
    assert results[0] == results[1]
    assert len(results[0][0]) == len(ARTICLES) + len(list(seeds_dir.glob("*.txt")))


@pytest.mark.spark
@pytest.mark.slow
def test_spark_event_records_are_the_local_rule(spark):
    """The Spark step groups each story's articles with veille.eventrecords.group: the same
    records as the function gives locally, whatever the partitions."""
    from test_eventrecords import corpus

    from veille import eventrecords
    from veille.runners.spark.driver import event_records

    arts = corpus()
    dup_of = {a.id: a.duplicate_of for a in arts if a.duplicate_of}
    story_of = {a.id: a.story for a in arts}
    bare = [AnnotatedArticle(id=a.id, source=a.source, text=a.text, outlet=a.outlet, published=a.published,
                             actors=a.actors, cited_sources=a.cited_sources, events=a.events) for a in arts]
    rdd = spark.sparkContext.parallelize([((0, k), a, None) for k, a in enumerate(bare)], 3)
    got = event_records(rdd, dup_of, story_of, spark.sparkContext).collect()
    assert [r.as_dict() for r in got] == [r.as_dict() for r in eventrecords.group(arts)]
