"""The Spark run, step by step, on the driver.

1. ingest on the executors, one input file per task (:mod:`.inputs`);
2. clean with the documents of one site in one partition, in input order (the stage
   remembers lines repeated across the pages of a site);
3. nlp spread evenly (the spaCy model loaded once per executor process), then the
   per-article half of dedupe and the MinHash signatures (:mod:`.stages`);
4. the driver collects the stream's keys, drops the ids met before (the local runner's
   rule, :func:`veille.runners.repeats.first_seen`) and decides the duplicates
   (:mod:`.duplicates`);
5. stories: the compact records the cluster stage reads stream to the driver in input
   order and ``veille.cluster.run`` assigns the stories there;
6. event records: each story's articles meet on one executor, where
   ``veille.eventrecords.group`` (the local runner's rule) makes its records;
7. Parquet and states out (:mod:`.output`).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ... import cluster, dedupe, eventrecords
from ...config import Config
from ...records import AnnotatedArticle, Failure
from ..chunks import chunks
from ..repeats import first_seen
from .duplicates import Meta, find_duplicates
from .inputs import URI, Plan, plan_inputs, read_documents
from .output import write_event_records, write_json, write_records, write_states
from .progress import Steps
from .session import session
from .stages import clean_partition, compact, nlp_partition, signature_partition, site

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SparkSummary:
    """What a Spark run did."""

    out: str
    master: str
    inputs: int = 0
    articles: int = 0
    failures: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    stories: int = 0
    event_records: int = 0
    tokens: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def line(self) -> str:
        """A one-line account for the terminal, as the local run gives one."""
        return (f"{self.articles} article(s), {self.exact_duplicates} exact and {self.near_duplicates} near "
                f"duplicate(s), {self.stories} stor{'y' if self.stories == 1 else 'ies'}, "
                f"{self.event_records} event record(s), {self.failures} failure(s) in {self.seconds:.1f}s "
                f"on {self.master} → {self.out} (load it with: veille import {self.out})")


def run_pipeline(sources: Iterable[str], cfg: Config | None = None, *, out: str | Path,
                 master: str | None = None, spark: Any = None, partitions: int | None = None,
                 log_progress: Callable[[str], None] | None = None, every: float = 10.0) -> SparkSummary:
    """Run the whole pipeline on Spark and write Parquet under ``out`` (replaced if present).

    ``spark`` reuses an existing SparkSession (else one is started on ``master``, and
    stopped at the end). Raises InputError when no input could be listed. ``log_progress``
    gets one line as each step starts, and every ``every`` seconds the tasks done of the
    running Spark stages (:class:`~.progress.Steps`).
    """
    cfg = cfg or Config()
    t0, started = time.perf_counter(), time.monotonic()
    say = log_progress or log.info
    plan = plan_inputs(list(sources), cfg)
    own = spark is None
    if own:
        say(f"starting Spark ({master or 'local[*]'})")
    spark = spark or session(master)
    try:
        with Steps(spark.sparkContext, say, every=every, started=started) as steps:
            return _run(plan, cfg, spark, out=str(out), t0=t0, steps=steps,
                        parts=partitions or max(2, spark.sparkContext.defaultParallelism * 2))
    finally:
        if own:
            spark.stop()


def _run(plan: Plan, cfg: Config, spark, *, out: str, parts: int, steps: Steps,
         t0: float) -> SparkSummary:
    from pyspark import StorageLevel

    sc = spark.sparkContext
    timings: dict[str, float] = {}
    on_executors = _executor_settings(cfg)
    annotated = _annotate(read_documents(plan, spark, on_executors, parts), on_executors, parts)
    persisted = annotated.persist(StorageLevel.MEMORY_AND_DISK)
    inputs = len(plan.files) + len(plan.uris) + len(plan.parquet)
    steps.step(f"reading {inputs} input(s), cleaning and analysing them in {parts} partitions")
    stream, annotated = _first_seen(annotated, sc)
    timings["ingest_clean_nlp"] = round(time.perf_counter() - t0, 2)

    t1 = time.perf_counter()
    steps.step(f"{len(stream)} document(s) read; finding duplicates")
    dup_of, counts, dedupe_index = find_duplicates(annotated, stream, cfg, sc)
    timings["dedupe"] = round(time.perf_counter() - t1, 2)
    steps.step(f"duplicates: {counts['exact']} exact, {counts['near']} near; grouping stories")

    t1 = time.perf_counter()
    story_index = cluster.StoryIndex.from_config(cfg)
    dup_b = sc.broadcast(dup_of)
    in_order = (annotated.map(lambda t: (t[0], _for_cluster(t[1], dup_b.value)))
                .sortByKey().values().toLocalIterator())
    story_of, stories = assign_stories(in_order, cfg, state=story_index)
    dup_b.unpersist()
    timings["cluster"] = round(time.perf_counter() - t1, 2)

    t1 = time.perf_counter()
    steps.step(f"{len(stories)} stories; writing the event records")
    n_records = write_event_records(spark, event_records(annotated, dup_of, story_of, sc), out=out)
    timings["event_records"] = round(time.perf_counter() - t1, 2)

    t1 = time.perf_counter()
    steps.step(f"{n_records} event records; writing Parquet under {out}")
    write_records(spark, annotated, out=out, dup_of=dup_of, story_of=story_of, stories=stories)
    write_states(sc, out, {"dedupe": dedupe_index, "cluster": story_index})
    tokens = annotated.map(lambda t: getattr(t[1], "tokens", 0) or 0).sum()
    timings["write"] = round(time.perf_counter() - t1, 2)
    summary = SparkSummary(out=out, master=sc.master, inputs=plan.count, articles=counts["articles"],
                           failures=sum(1 for m in stream if m.sketch is None),
                           exact_duplicates=counts["exact"], near_duplicates=counts["near"],
                           stories=len(stories), event_records=n_records, tokens=int(tokens),
                           seconds=round(time.perf_counter() - t0, 2), timings=timings)
    if not URI.match(out):
        write_json(sc, out, "summary.json", summary.as_dict())
    persisted.unpersist()
    return summary


def _executor_settings(cfg: Config) -> Config:
    """The settings the executors get: each executor core runs its own Python worker, so
    no process pool inside the nlp stage."""
    return cfg.with_overrides(nlp={"workers": 1}) if cfg.nlp.workers != 1 else cfg


def _annotate(docs, cfg: Config, parts: int):
    """``(key, record, signature)`` rows: clean (a site's documents together, in input
    order), nlp (spread evenly), the per-article half of dedupe."""
    cleaned = (docs.map(lambda kr: ((site(kr[1]), kr[0]), kr[1]))
               .repartitionAndSortWithinPartitions(parts, partitionFunc=lambda k: _crc(k[0]))
               .mapPartitions(lambda rows: clean_partition(rows, cfg)))
    return (cleaned.partitionBy(parts, partitionFunc=lambda k: (k[0] * 1_000_003 + k[1]))
            .mapPartitions(lambda rows: nlp_partition(rows, cfg))
            .mapPartitions(lambda rows: signature_partition(rows, cfg)))


def _crc(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _first_seen(annotated, sc) -> tuple[list[Meta], Any]:
    """The stream's items in input order (:class:`Meta`), and ``annotated`` without the
    articles whose id was met earlier in the stream: as a local run into an empty store."""
    rows = annotated.map(lambda t: (t[0], None) if isinstance(t[1], Failure) else
                         (t[0], (t[1].id, t[1].published, t[1].content_hash, t[2][0] if t[2] else 0))).collect()
    stream = sorted((Meta(tuple(key), dedupe.Sketch(*s) if s is not None else None) for key, s in rows),
                    key=lambda m: m.key)
    repeated: set[tuple[int, int]] = set()
    kept = list(first_seen(stream, lambda m: m.sketch.id if m.sketch else None,
                           skipped=lambda m: repeated.add(m.key)))
    if not repeated:
        return stream, annotated
    rep_b = sc.broadcast(repeated)
    return kept, annotated.filter(lambda t: t[0] not in rep_b.value)


def _for_cluster(rec: Any, dup_of: dict[str, Any]) -> Any:
    """What the cluster stage reads of a stream item: a failure, or the compact article with
    its duplicate marked."""
    if isinstance(rec, Failure):
        return rec
    out = compact(rec)
    verdict = dup_of.get(rec.id)
    out.duplicate_of = verdict.of if verdict is not None else None
    return out


def event_records(annotated, dup_of: dict[str, Any], story_of: dict[str, str | None], sc):
    """The event records of every story (an RDD of :class:`~veille.records.EventRecord`): the
    articles of a story, with their duplicates (``dup_of``: id -> duplicate verdict, or the
    original's id) and story marked, grouped on one executor by ``veille.eventrecords.group``."""
    dup_b, story_b = sc.broadcast(dup_of), sc.broadcast(story_of)

    def keyed(t):
        rec = t[1]
        story = story_b.value.get(rec.id)
        if story is None or not rec.events:
            return []
        verdict = dup_b.value.get(rec.id)
        return [(story, AnnotatedArticle(id=rec.id, source=rec.source, text="", outlet=rec.outlet,
                                         published=rec.published, duplicate_of=getattr(verdict, "of", verdict),
                                         story=story, actors=rec.actors, cited_sources=rec.cited_sources,
                                         events=rec.events))]

    return (annotated.filter(lambda t: not isinstance(t[1], Failure)).flatMap(keyed).groupByKey()
            .flatMap(lambda kv: eventrecords.group(list(kv[1]))))


def assign_stories(stream: Iterable[Any], cfg: Config, *, state: Any = None
                   ) -> tuple[dict[str, str | None], list[Any]]:
    """Run ``veille.cluster.run`` over ``stream`` (articles with their duplicates marked,
    and failures, in input order), a chunk of articles at a time as the local runner does
    (``runners/chunks.py``: failures go round the stage); returns ``{article id: story
    id}`` and every story, open or closed, in the stream order of their founding articles."""
    index = state if state is not None else cluster.StoryIndex.from_config(cfg)
    by_article: dict[str, str | None] = {}
    closed: list[Any] = []
    for chunk in chunks((item for item in stream if not isinstance(item, Failure)), cfg):
        for out in cluster.run(chunk, cfg, state=index):
            if isinstance(out, AnnotatedArticle):
                by_article[out.id] = out.story
        closed.extend(index.take_closed())
    closed.extend(index.take_closed())
    position = {aid: k for k, aid in enumerate(by_article)}
    stories = closed + list(index.stories())
    stories.sort(key=lambda s: position.get(s.article_ids[0], len(position)) if s.article_ids else len(position))
    return by_article, stories


__all__ = ["SparkSummary", "assign_stories", "event_records", "run_pipeline"]
