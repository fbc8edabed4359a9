"""The Spark runner: the local pipeline's stage functions, run over Spark partitions.

``veille run INPUT... --engine spark [--master URL] --out DIR`` comes here. The work is
split the way the stages allow it, so that the output equals a local run:

* **ingest** (one input file per task) and **nlp** (articles spread evenly over the
  partitions, the spaCy model loaded once per executor process) are per-document and
  run anywhere, calling ``veille.ingest`` and ``veille.nlp.run`` exactly as the local
  runner does;
* **clean** remembers lines repeated across the pages of one site, so the documents of
  a site go to the same partition, in input order, before ``veille.clean.run`` sees them;
* **near-duplicates**: MinHash signatures are computed on the executors with the dedupe
  stage's own shingling and parameters, candidate pairs come from banded joins, and the
  driver applies the dedupe stage's rule to the (few) candidates;
* **stories**: the compact per-article features the cluster stage reads are collected to
  the driver in input order and ``veille.cluster.run`` assigns the stories there.

The output folder holds Parquet in the export's shape (``articles/``), the stories
(``stories/``), the inputs that failed with their reason (``failures/``) and a summary
(``summary.json``). ``veille import DIR --db FILE`` loads it into the SQLite store.

Inputs: local paths, folders and globs (listed on the driver with the same rules as a
local run, read by the executors, which must see the same file system: true for
``local[*]`` and for clusters with a shared mount), URIs such as ``hdfs://`` or
``s3a://`` (read with ``SparkContext.binaryFiles``), and Parquet files or folders whose
rows carry ``text`` or ``html`` plus optional ``title``, ``url``, ``published``,
``outlet``, ``lang`` (the JSONL input fields).
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from .. import records as R
from ..config import Config
from ..errors import InputError, MissingDependency, VeilleError
from ..records import AnnotatedArticle, Failure, RawDocument, day_of

log = logging.getLogger(__name__)

JAVA_HINT = ("install Java 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; "
             "macOS: brew install openjdk@17) or point JAVA_HOME at an existing one")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
INTERNAL = ("input_no", "doc_no")  # input order: which input, which document inside it


class JavaMissing(VeilleError):
    """Spark cannot start: no suitable Java."""


# -- Spark, Java ----------------------------------------------------------------------------
def find_java() -> tuple[str, int]:
    """The ``java`` executable Spark will use and its major version; raises JavaMissing."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        where = f"JAVA_HOME={home} has no bin/java" if home else "no 'java' on PATH"
        raise JavaMissing(f"the Spark engine needs Java ({where}): {JAVA_HINT}")
    try:
        proc = subprocess.run([java, "-version"], check=False, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise JavaMissing(f"cannot run {java} -version ({e}): {JAVA_HINT}") from e
    m = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
    if not m:
        raise JavaMissing(f"cannot tell the version of {java}: {JAVA_HINT}")
    major = int(m.group(2)) if m.group(1) == "1" and m.group(2) else int(m.group(1))
    if major < 17:
        raise JavaMissing(f"Spark 4 needs Java 17 or newer; {java} is Java {major}: {JAVA_HINT}")
    return java, major


def require_pyspark():
    """The pyspark module, or MissingDependency with the pip command."""
    try:
        import pyspark
    except ImportError as e:
        raise MissingDependency("pyspark", "spark") from e
    return pyspark


def session(master: str | None = None, *, app_name: str = "veille", conf: dict[str, str] | None = None):
    """A SparkSession on ``master`` (default ``local[*]``), with this Python for the workers.

    Under ``spark-submit`` the master and settings given there win (``getOrCreate``).
    """
    require_pyspark()
    find_java()
    from pyspark.sql import SparkSession

    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started the JVM: keep its settings
    local = (master or ("" if submitted else "local")).startswith("local")
    if local:  # on a cluster, PYSPARK_PYTHON must name a Python with veille on every node
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master or not submitted:
        builder = builder.master(master or "local[*]")
    settings: dict[str, str] = {}
    if not submitted:
        settings.update({
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "8",
            "spark.python.worker.reuse": "true",  # Python workers (and their spaCy model) live on
            "spark.driver.memory": os.environ.get("VEILLE_SPARK_DRIVER_MEMORY", "2g"),
        })
    if local and not submitted:
        settings.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"})
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as e:
        raise VeilleError(f"Spark did not start ({type(e).__name__}: {str(e).splitlines()[0][:300]}); "
                          f"check Java ({JAVA_HINT}) and the master URL") from e
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# -- the export-shaped schema, derived from records.py ----------------------------------------
def _spark_type(tp: Any):
    from pyspark.sql import types as T

    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"cannot map {tp} to a Spark type")
        return _spark_type(rest[0])
    if tp is str:
        return T.StringType()
    if tp is bool:
        return T.BooleanType()
    if tp is int:
        return T.LongType()
    if tp is float:
        return T.DoubleType()
    if origin in (list, tuple):
        return T.ArrayType(_spark_type(args[0]), containsNull=True)
    if origin is dict:
        return T.MapType(T.StringType(), T.StringType())
    if is_dataclass(tp):
        return _struct(tp)
    raise TypeError(f"cannot map {tp} to a Spark type")


def _struct(cls: type, names: Iterable[str] | None = None):
    from pyspark.sql import types as T

    hints = get_type_hints(cls, vars(R))
    wanted = list(names) if names is not None else [f.name for f in fields(cls)]
    return T.StructType([T.StructField(n, _spark_type(hints[n]), nullable=True) for n in wanted])


def article_schema():
    """Spark schema of one article row: every field of :class:`AnnotatedArticle` (the export's
    fields first, in the export's order, then the internal ones) plus the input order."""
    from pyspark.sql import types as T

    export = list(AnnotatedArticle(id="", source="", text="").export())
    rest = [f.name for f in fields(AnnotatedArticle) if f.name not in export]
    struct = _struct(AnnotatedArticle, export + rest)
    for name in INTERNAL:
        struct = struct.add(name, T.LongType(), nullable=False)
    return struct


def story_schema():
    return _struct(R.Story)


def failure_schema():
    from pyspark.sql import types as T

    return _struct(Failure).add("input_no", T.LongType()).add("doc_no", T.LongType())


# -- inputs ----------------------------------------------------------------------------------------
@dataclass(slots=True)
class Plan:
    """What the driver found in the inputs: local files (in local-run order), URIs, Parquet."""

    files: list[tuple[int, str, str]] = field(default_factory=list)  # (input_no, as given, resolved)
    uris: list[str] = field(default_factory=list)
    parquet: list[str] = field(default_factory=list)
    failures: list[tuple[int, Failure]] = field(default_factory=list)  # (input_no, failure)
    count: int = 0  # input numbers given so far (files and failures share one sequence)

    def number(self) -> int:
        self.count += 1
        return self.count - 1


def _is_parquet(path: str) -> bool:
    p = Path(path)
    if p.suffix == ".parquet":
        return True
    return p.is_dir() and (any(p.glob("*.parquet")) or (p / "_SUCCESS").exists())


def plan_inputs(sources: Iterable[str], cfg: Config) -> Plan:
    """List the inputs with the local run's rules (sorted folders, globs, no file twice)."""
    from ..ingest.sources import expand

    plan = Plan()
    local: list[str] = []
    for source in map(str, sources):
        if _URI.match(source):  # hdfs://, s3a://, file://...: read by Spark itself
            is_parquet = source.rstrip("/").endswith(".parquet") or (
                source.startswith("file://") and _is_parquet(source.removeprefix("file://")))
            (plan.parquet if is_parquet else plan.uris).append(source)
        elif _is_parquet(source):
            plan.parquet.append(source)
        else:
            local.append(source)
    follow = bool(cfg.get("ingest", "follow_symlinks", True))
    for item in expand(local, follow_symlinks=follow):
        if isinstance(item, Failure):
            plan.failures.append((plan.number(), item))
            continue
        given, path = item
        try:
            ident = str(path.resolve())
        except (OSError, RuntimeError):
            ident = str(path.absolute())
        plan.files.append((plan.number(), given, ident))
    return plan


def _cfg(data: dict[str, Any]) -> Config:
    return Config(data)


def _unknown_format(name: str) -> Failure | None:
    """The local run's failure for a file name veille has no reader for, else None."""
    from ..ingest import kind_of
    from ..ingest.readers import KNOWN

    if kind_of(name.rsplit("/", 1)[-1]) is not None:
        return None
    suffix = Path(name).suffix or "(no extension)"
    return Failure(name, f"unknown format {suffix}; veille reads {KNOWN}")


def _read_local(rows: Iterable[tuple[int, str, str]], cfg_data: dict) -> Iterator[tuple[tuple[int, int], Any]]:
    """Executor side: each listed file read by ``veille.ingest.run`` itself, by its resolved
    path (which the ids derive from), then named as the user gave it."""
    from .. import ingest

    cfg = _cfg(cfg_data)
    for input_no, given, ident in rows:
        for doc_no, doc in enumerate(ingest.run([ident], cfg)):
            if isinstance(doc, (RawDocument, Failure)) and doc.source == ident:
                doc.source = given
            yield (input_no, doc_no), doc


def _read_uri(rows: Iterable[tuple[str, bytes]], cfg_data: dict, order: dict[str, int]
              ) -> Iterator[tuple[tuple[int, int], Any]]:
    """Executor side: documents in files read by ``binaryFiles`` (name, bytes)."""
    from .. import ingest

    cfg = _cfg(cfg_data)
    for uri, data in rows:
        unknown = _unknown_format(uri)
        docs = [unknown] if unknown is not None else ingest.read_bytes(bytes(data), source=uri, ident=uri, cfg=cfg)
        for doc_no, doc in enumerate(docs):
            yield (order.get(uri, 0), doc_no), doc


_PARQUET_FIELDS = ("text", "html", "title", "url", "published", "date", "outlet", "lang")


def _read_rows(rows: Iterable[tuple[Any, int]], cfg_data: dict, source: str, input_no: int
               ) -> Iterator[tuple[tuple[int, int], Any]]:
    """Executor side: Parquet rows go through the JSONL reader, one row at a time."""
    from .. import ingest

    cfg = _cfg(cfg_data)
    for row, n in rows:
        obj = {k: row[k] for k in _PARQUET_FIELDS if k in row and row[k] is not None}
        if "published" in obj and not isinstance(obj["published"], str):
            obj["published"] = str(obj["published"])
        line = json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8")
        loc = f"row {n + 1}"
        for doc in ingest.read_bytes(line, source=source, ident=f"{source}#{loc}", cfg=cfg,
                                     content_type="application/x-ndjson"):
            doc.locator = loc if doc.locator in ("", "line 1") else doc.locator
            yield (input_no, n), doc


# -- per-partition stage calls ------------------------------------------------------------------
def keyed(stage: Callable[[Iterable[Any]], Iterable[Any]], rows: Iterable[tuple[Any, Any]]
          ) -> Iterator[tuple[Any, Any]]:
    """Run a 1:1 stage over ``(key, record)`` rows, keeping each record's key."""
    keys: deque = deque()

    def feed():
        for key, rec in rows:
            keys.append((key, getattr(rec, "id", None)))
            yield rec

    for out in stage(feed()):
        key, rid = keys.popleft()
        if rid is not None and getattr(out, "id", rid) != rid and not isinstance(out, Failure):
            raise VeilleError(f"a stage changed the order of its records ({rid} became {out.id})")
        yield key, out
    if keys:
        raise VeilleError(f"a stage returned fewer records than it was given ({len(keys)} missing)")


def _site(doc: Any) -> str:
    from .. import clean

    site_of = getattr(clean, "site_of", None) or clean._site  # one definition of a site
    return site_of(doc) if isinstance(doc, RawDocument) else ""


def _clean_partition(rows: Iterable[tuple[tuple[str, tuple[int, int]], Any]], cfg_data: dict):
    from .. import clean

    cfg = _cfg(cfg_data)
    pairs = ((order, rec) for (_site_key, order), rec in rows)
    yield from keyed(lambda items: clean.run(items, cfg), pairs)


def _nlp_partition(rows: Iterable[tuple[tuple[int, int], Any]], cfg_data: dict):
    from .. import nlp

    cfg = _cfg(cfg_data)
    yield from keyed(lambda items: nlp.run(items, cfg), rows)


def _dedupe_index(cfg: Config):
    from ..dedupe import DedupeIndex

    return DedupeIndex.from_config(cfg)


def _signature_partition(rows: Iterable[tuple[Any, Any]], cfg_data: dict):
    """After nlp: the per-article half of the dedupe stage (comment duplicates, content hash)
    and the article's MinHash signature, made by the dedupe index itself."""
    from ..dedupe import mark_comments
    from ..records import Article, content_hash

    index = _dedupe_index(_cfg(cfg_data))
    for key, rec in rows:
        sig = None
        if isinstance(rec, Article):
            if not isinstance(rec, AnnotatedArticle):
                rec = AnnotatedArticle.from_article(rec)
            mark_comments(rec.comments)
            rec.content_hash = rec.content_hash or content_hash(rec.text)
            made = index.signature(rec.text)
            if made is not None:
                sig = (made[0], tuple(int(v) for v in made[1]))
        yield key, rec, sig


# -- near-duplicates: banded join on the executors, the stage's decision rule on the driver -------
@dataclass(slots=True)
class Meta:
    """What the driver keeps of one stream item (an article or a failure)."""

    key: tuple[int, int]
    id: str | None  # None for a failure
    published: str | None = None
    chash: str = ""
    has_grams: bool = False


def dedupe_order(stream: list[Meta], batch_size: int) -> list[Meta]:
    """The order in which ``veille.dedupe.run`` judges the articles of ``stream``: batches of
    ``batch_size`` stream items, earliest published first inside a batch (undated last)."""
    out: list[Meta] = []
    for start in range(0, len(stream), max(1, batch_size)):
        batch = [(pos, m) for pos, m in enumerate(stream[start:start + batch_size]) if m.id is not None]
        batch.sort(key=lambda pm: (pm[1].published or "\uffff", pm[0]))
        out.extend(m for _, m in batch)
    return out


def lsh_eligible(order: list[Meta]) -> set[str]:
    """Articles whose signature goes into the banded join: every article with words (which
    of them the index holds when an article arrives is decided on the driver)."""
    return {m.id for m in order if m.id is not None and m.has_grams}


def resolve_duplicates(order: list[Meta], edges: dict[str, list[tuple[str, float]]], *,
                       window_days: float = 0, state: dict[str, Any] | None = None
                       ) -> tuple[dict[str, str | None], dict[str, int]]:
    """``duplicate_of`` for every article, with the same rule as ``DedupeIndex.check``:
    an exact copy points to the root of the remembered article with its content hash;
    otherwise the best-scoring remembered earlier candidate at or above the threshold
    (``edges`` holds only those), ties to the earliest root; the article then shares that
    candidate's root. Remembered: :func:`veille.dedupe.remembered` with the clock the
    index would have. ``state`` (optional dict) receives what the index would remember at
    the end: ``entries`` (``id -> (seen, root, root key, day, exact copy?)``), ``hashes``,
    ``clock`` and ``seen``."""
    from ..dedupe import remembered

    key: dict[str, tuple[str, int]] = {}
    root: dict[str, str] = {}
    day_at: dict[str, int | None] = {}
    by_hash: dict[str, str] = {}
    inserted: set[str] = set()
    exact: set[str] = set()
    result: dict[str, str | None] = {}
    counts = {"articles": 0, "exact": 0, "near": 0}
    seen = 0
    clock: int | None = None
    for m in order:
        aid = m.id
        if aid is None:
            continue
        if aid in root:  # the same id twice: what it got the first time
            result[aid] = None if root[aid] == aid else root[aid]
            continue
        day = day_of(m.published)
        if day is not None and (clock is None or day > clock):
            clock = day
        seen += 1
        counts["articles"] += 1
        key[aid] = (m.published or "\uffff", seen)
        day_at[aid] = day if day is not None else clock
        first = by_hash.get(m.chash) if m.chash else None
        if first is not None and remembered(day_at[first], clock, window_days):
            root[aid] = root[first]
            exact.add(aid)
            result[aid] = None if root[aid] == aid else root[aid]
            if result[aid] is not None:
                counts["exact"] += 1
            continue
        best, best_score = None, 0.0
        if m.has_grams:
            for other, score in edges.get(aid, ()):
                if other not in inserted or not remembered(day_at[other], clock, window_days):
                    continue
                if best is None or score > best_score or (
                        score == best_score and key[root[other]] < key[root[best]]):
                    best, best_score = other, score
        root[aid] = root[best] if best is not None else aid
        if m.chash:
            by_hash[m.chash] = aid
        if m.has_grams:
            inserted.add(aid)
        result[aid] = None if root[aid] == aid else root[aid]
        if result[aid] is not None:
            counts["near"] += 1
    if state is not None:
        alive = {aid for aid in key if remembered(day_at[aid], clock, window_days)}
        state["entries"] = {aid: (key[aid][1], root[aid], key[root[aid]], day_at[aid], aid in exact)
                            for aid in key if aid in alive}
        state["hashes"] = {h: aid for h, aid in by_hash.items() if aid in alive}
        state["clock"] = clock
        state["seen"] = seen
    return result, counts


def _score_partition(rows: Iterable[tuple[str, str, Any, Any]], cfg_data: dict):
    """Executor side: the dedupe index's own similarity (max of the Jaccard and containment
    estimates) for candidate pairs ``(a, b, sig_a, sig_b)``."""
    import numpy as np

    from ..dedupe import similarity

    threshold = _dedupe_index(_cfg(cfg_data)).threshold
    for a, b, (size_a, hv_a), (size_b, hv_b) in rows:
        score = similarity(np.array(hv_a, dtype=np.uint64), size_a, np.array(hv_b, dtype=np.uint64), size_b)
        if score >= threshold:
            yield a, b, float(score)


def near_duplicate_edges(sigs, eligible: set[str], cfg: Config, sc) -> dict[str, list[tuple[str, float]]]:
    """Pairs of eligible articles that share an LSH band and score at or above the threshold.

    ``sigs`` is an RDD of ``(id, (size, hashvalues))``. Bands are those of the dedupe
    index's own LSH (same number of bands and rows), so the candidates are the ones the
    local run's LSH returns.
    """
    index = _dedupe_index(cfg)
    ranges = index.bands
    cfg_data = cfg.data
    if len(eligible) < 2:
        return {}
    parts = max(2, sc.defaultParallelism)
    keep = sc.broadcast(eligible)
    elig = sigs.filter(lambda t: t[0] in keep.value)

    def bands(t):
        aid, (_size, hv) = t
        for b, (s, e) in enumerate(ranges):
            yield (b, *hv[s:e]), aid

    def pairs(members):
        ids = sorted(set(members))
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                yield a, b

    cand = elig.flatMap(bands).groupByKey(parts).flatMap(lambda kv: pairs(kv[1])).distinct(parts)
    scored = (cand.join(elig, parts).map(lambda t: (t[1][0], (t[0], t[1][1])))
              .join(elig, parts)
              .map(lambda t: (t[1][0][0], t[0], t[1][0][1], t[1][1]))
              .mapPartitions(lambda rows: _score_partition(rows, cfg_data)))
    edges: dict[str, list[tuple[str, float]]] = {}
    for a, b, score in scored.collect():
        edges.setdefault(a, []).append((b, score))
        edges.setdefault(b, []).append((a, score))
    keep.unpersist()
    return edges


# -- stories on the driver ----------------------------------------------------------------------
CLUSTER_DROP = ("dropped", "comments", "paragraphs")  # fields the cluster stage never reads


def _compact(rec: AnnotatedArticle) -> AnnotatedArticle:
    """A copy of the article without the fields the cluster stage does not read."""
    data = {f.name: getattr(rec, f.name) for f in fields(AnnotatedArticle) if f.name not in CLUSTER_DROP}
    return AnnotatedArticle(**data)


def assign_stories(stream: Iterable[Any], cfg: Config, *, state: Any = None
                   ) -> tuple[dict[str, str | None], list[Any]]:
    """Run ``veille.cluster.run`` over ``stream`` (articles with their duplicates marked,
    and failures, in input order: the stage batches count both); returns
    ``{article id: story id}`` and every story, open or closed, in the stream order of
    their founding articles."""
    from .. import cluster

    index = state if state is not None else cluster.StoryIndex.from_config(cfg)
    by_article: dict[str, str | None] = {}
    closed: list[Any] = []
    for out in cluster.run(stream, cfg, state=index):
        if isinstance(out, AnnotatedArticle):
            by_article[out.id] = out.story
        closed.extend(index.take_closed())
    closed.extend(index.take_closed())
    position = {aid: k for k, aid in enumerate(by_article)}
    stories = closed + list(index.stories())
    stories.sort(key=lambda s: position.get(s.article_ids[0], len(position)) if s.article_ids else len(position))
    return by_article, stories


def _story_index(cfg: Config) -> Any:
    from .. import cluster

    return cluster.StoryIndex.from_config(cfg)


def _write_states(spark, sc, annotated, dedupe_state: dict[str, Any], stream: list[Meta],
                  cfg: Config, story_index: Any, out: str) -> None:
    """The corpus stages' state, so that ``veille import`` gives a store a later local run
    can add to: ``state/cluster.json`` (the story index) and ``state/dedupe/`` (Parquet:
    one row per article the dedupe index remembers, with its signature, in the index's
    own terms) beside ``state/dedupe.json`` (its settings, clock and content hashes)."""
    import numpy as np
    from pyspark.sql import types as T

    from ..dedupe.index import pack

    index = _dedupe_index(cfg)
    entries = dedupe_state["entries"]
    published = {m.id: m.published for m in stream if m.id in entries}
    info = {aid: (seen, root, list(root_key), day, exact, published.get(aid))
            for aid, (seen, root, root_key, day, exact) in entries.items()}
    info_b = sc.broadcast(info)

    def row(t):
        rec, sig = t[1], t[2]
        seen, root, root_key, day, exact, pub = info_b.value[rec.id]
        # An exact copy of a remembered article: the index keeps no signature for it.
        size, hv = sig if sig is not None and not exact else (0, None)
        return (rec.id, pub, int(seen), root, root_key[0], int(root_key[1]), day, rec.content_hash or "",
                int(size), pack(np.array(hv, dtype=np.uint64)) if hv is not None else None)

    schema = T.StructType([T.StructField("id", T.StringType()), T.StructField("published", T.StringType()),
                           T.StructField("seen", T.LongType()), T.StructField("root", T.StringType()),
                           T.StructField("root_published", T.StringType()),
                           T.StructField("root_seen", T.LongType()), T.StructField("day", T.LongType()),
                           T.StructField("content_hash", T.StringType()), T.StructField("size", T.LongType()),
                           T.StructField("signature", T.StringType())])
    rows = annotated.filter(lambda t: not isinstance(t[1], Failure) and t[1].id in info_b.value).map(row)
    spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(f"{out}/state/dedupe")
    meta = {"threshold": index.threshold, "num_perm": index.num_perm, "shingle": index.shingle,
            "candidate_ratio": index.candidate_ratio, "window_days": index.window_days,
            "seen": dedupe_state["seen"], "clock": dedupe_state["clock"], "hashes": dedupe_state["hashes"]}
    cluster_state = story_index.to_dict() if hasattr(story_index, "to_dict") else None
    if not _URI.match(out):
        Path(out, "state").mkdir(parents=True, exist_ok=True)
        Path(out, "state", "dedupe.json").write_text(json.dumps(meta), encoding="utf-8")
        if cluster_state is not None:
            Path(out, "state", "cluster.json").write_text(json.dumps(cluster_state), encoding="utf-8")
    else:
        sc.parallelize([json.dumps(meta)], 1).saveAsTextFile(f"{out}/state/dedupe.json")
        if cluster_state is not None:
            sc.parallelize([json.dumps(cluster_state)], 1).saveAsTextFile(f"{out}/state/cluster.json")
    info_b.unpersist()


# -- the whole run -----------------------------------------------------------------------------
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
    tokens: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _row(rec: AnnotatedArticle, key: tuple[int, int], dup: str | None, story: str | None) -> dict:
    d = rec.as_dict()
    d["duplicate_of"] = dup
    d["story"] = story
    d["input_no"], d["doc_no"] = int(key[0]), int(key[1])
    return d


def _failure_row(rec: Failure, key: tuple[int, int]) -> dict:
    d = rec.as_dict()
    d["input_no"], d["doc_no"] = int(key[0]), int(key[1])
    return d


def _crc(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _hadoop_files(sc, uri: str) -> list[str]:
    """Files under ``uri`` (recursively, hidden names skipped), sorted, as Spark names them."""
    jvm = sc._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    if not fs.exists(path):
        return []
    found = []
    it = fs.listFiles(path, True)
    while it.hasNext():
        p = it.next().getPath()
        if not p.getName().startswith((".", "_")):
            found.append(p.toString())
    return sorted(found)


def run_pipeline(sources: Iterable[str], cfg: Config | None = None, *, out: str | Path,
                 master: str | None = None, spark: Any = None, partitions: int | None = None,
                 log_progress: Callable[[str], None] | None = None) -> SparkSummary:
    """Run the whole pipeline on Spark and write Parquet under ``out`` (replaced if present).

    ``spark`` reuses an existing SparkSession (else one is started on ``master``, and
    stopped at the end). Raises InputError when no input could be listed.
    """
    from pyspark import StorageLevel

    cfg = cfg or Config()
    say = log_progress or (lambda msg: log.info(msg))
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    plan = plan_inputs(list(sources), cfg)
    own = spark is None
    spark = spark or session(master)
    sc = spark.sparkContext
    try:
        return _run(plan, cfg, spark, sc, out=Path(out) if not _URI.match(str(out)) else out,
                    partitions=partitions or max(2, sc.defaultParallelism * 2), say=say,
                    t0=t0, timings=timings, storage=StorageLevel.MEMORY_AND_DISK)
    finally:
        if own:
            spark.stop()


def _run(plan: Plan, cfg: Config, spark, sc, *, out, partitions: int, say, t0: float,
         timings: dict[str, float], storage) -> SparkSummary:
    # Each executor core runs its own Python worker: no process pool inside the nlp stage.
    cfg_data = cfg.with_overrides(nlp={"workers": 1}).data if cfg.get("nlp", "workers", 1) != 1 else cfg.data
    parts = partitions
    # 1. ingest: one file per record, files spread over the partitions
    raw = []
    if plan.files:
        raw.append(sc.parallelize(plan.files, min(len(plan.files), parts * 4))
                   .mapPartitions(lambda rows: _read_local(rows, cfg_data)))
    for uri in plan.uris:
        names = _hadoop_files(sc, uri)
        if not names:
            plan.failures.append((plan.number(), Failure(uri, "no such file or folder, or it is empty")))
            continue
        order = {name: plan.number() for name in names}
        sc._jsc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
        raw.append(sc.binaryFiles(uri, minPartitions=parts)
                   .mapPartitions(lambda rows, order=order: _read_uri(rows, cfg_data, order)))
    for path in plan.parquet:
        no = plan.number()
        try:
            df = spark.read.parquet(path)
        except Exception as e:  # noqa: BLE001 - AnalysisException and friends
            plan.failures.append((no, Failure(path, f"cannot read as Parquet ({str(e).splitlines()[0][:200]})")))
            continue
        if not {"text", "html"} & set(df.columns):
            plan.failures.append((no, Failure(path, "Parquet input needs a 'text' or 'html' column")))
            continue
        cols = [c for c in _PARQUET_FIELDS if c in df.columns]
        raw.append(df.select(*cols).rdd.map(lambda r: r.asDict()).zipWithIndex()
                   .mapPartitions(lambda rows, p=path, n=no: _read_rows(rows, cfg_data, p, n)))
    if plan.failures:
        raw.append(sc.parallelize([((no, 0), f) for no, f in plan.failures], 1))
    if not raw:
        raise InputError("no input to read: " + "; ".join(f"{f.source}: {f.reason}" for _, f in plan.failures))
    docs = sc.union(raw) if len(raw) > 1 else raw[0]

    # 2. clean: the documents of one site in one partition, in input order
    cleaned = (docs.map(lambda kr: ((_site(kr[1]), kr[0]), kr[1]))
               .repartitionAndSortWithinPartitions(parts, partitionFunc=lambda k: _crc(k[0]))
               .mapPartitions(lambda rows: _clean_partition(rows, cfg_data)))
    # 3. nlp, spread evenly, then the per-article half of dedupe and the signatures
    annotated = (cleaned.partitionBy(parts, partitionFunc=lambda k: (k[0] * 1_000_003 + k[1]))
                 .mapPartitions(lambda rows: _nlp_partition(rows, cfg_data))
                 .mapPartitions(lambda rows: _signature_partition(rows, cfg_data))
                 .persist(storage))
    persisted = annotated
    say("ingest, clean and nlp on the executors")
    meta_rows = annotated.map(lambda t: (t[0], None, None, "", False) if isinstance(t[1], Failure)
                              else (t[0], t[1].id, t[1].published, t[1].content_hash, t[2] is not None)
                              ).collect()
    timings["ingest_clean_nlp"] = round(time.perf_counter() - t0, 2)
    stream = sorted((Meta(key=tuple(k), id=i, published=p, chash=h, has_grams=g)
                     for k, i, p, h, g in meta_rows), key=lambda m: m.key)
    # As a local run into an empty store: an article id met a second time goes no further.
    ids_seen: set[str] = set()
    repeated: set[tuple[int, int]] = set()
    for m in stream:
        if m.id is not None:
            if m.id in ids_seen:
                repeated.add(m.key)
            ids_seen.add(m.id)
    del ids_seen
    if repeated:
        stream = [m for m in stream if m.key not in repeated]
        rep_b = sc.broadcast(repeated)
        annotated = annotated.filter(lambda t: t[0] not in rep_b.value)

    # 4. near-duplicates
    t1 = time.perf_counter()
    batch_size = int(cfg.get("dedupe", "batch_size", 1000))
    order = dedupe_order(stream, batch_size)
    sigs = annotated.filter(lambda t: t[2] is not None).map(lambda t: (t[1].id, t[2]))
    edges = near_duplicate_edges(sigs, lsh_eligible(order), cfg, sc)
    dedupe_state: dict[str, Any] = {}
    dup_of, counts = resolve_duplicates(order, edges, window_days=_dedupe_index(cfg).window_days,
                                        state=dedupe_state)
    timings["dedupe"] = round(time.perf_counter() - t1, 2)
    say(f"duplicates: {counts['exact']} exact, {counts['near']} near")

    # 5. stories on the driver, in stream order
    t1 = time.perf_counter()
    dup_b = sc.broadcast(dup_of)

    def compact(t):
        if isinstance(t[1], Failure):
            return t[0], t[1]
        rec = _compact(t[1])
        rec.duplicate_of = dup_b.value.get(rec.id)
        return t[0], rec

    stream_in_order = annotated.map(compact).sortByKey().values().toLocalIterator()
    story_index = _story_index(cfg)
    story_of, stories = assign_stories(stream_in_order, cfg, state=story_index)
    timings["cluster"] = round(time.perf_counter() - t1, 2)
    say(f"stories: {len(stories)}")

    # 6. Parquet out
    t1 = time.perf_counter()
    story_b = sc.broadcast(story_of)
    out_s = str(out)
    arts = (annotated.filter(lambda t: not isinstance(t[1], Failure))
            .map(lambda t: _row(t[1], t[0], dup_b.value.get(t[1].id), story_b.value.get(t[1].id))))
    fails = annotated.filter(lambda t: isinstance(t[1], Failure)).map(lambda t: _failure_row(t[1], t[0]))
    art_df = spark.createDataFrame(arts, article_schema()).sort("input_no", "doc_no")
    art_df.write.mode("overwrite").parquet(f"{out_s}/articles")
    spark.createDataFrame(fails, failure_schema()).sort("input_no", "doc_no").coalesce(1) \
        .write.mode("overwrite").parquet(f"{out_s}/failures")
    spark.createDataFrame([s.as_dict() for s in stories], story_schema()).coalesce(1) \
        .write.mode("overwrite").parquet(f"{out_s}/stories")
    _write_states(spark, sc, annotated, dedupe_state, stream, cfg, story_index, out_s)
    n_fail = sum(1 for m in stream if m.id is None)
    tokens = annotated.map(lambda t: getattr(t[1], "tokens", 0) or 0).sum()
    timings["write"] = round(time.perf_counter() - t1, 2)
    summary = SparkSummary(out=out_s, master=sc.master, inputs=plan.count, articles=counts["articles"],
                           failures=n_fail, exact_duplicates=counts["exact"], near_duplicates=counts["near"],
                           stories=len(stories), tokens=int(tokens),
                           seconds=round(time.perf_counter() - t0, 2), timings=timings)
    if not _URI.match(out_s):
        Path(out_s, "summary.json").write_text(json.dumps(summary.as_dict(), indent=2), encoding="utf-8")
    persisted.unpersist()
    for b in (dup_b, story_b):
        b.unpersist()
    return summary


# -- Parquet back into the store -----------------------------------------------------------------
def read_output(out: str | Path) -> tuple[list[AnnotatedArticle], list[Any], list[Failure]]:
    """Articles (input order), stories and failures of a Spark run's output folder, read with
    pyarrow (no Spark, no Java needed)."""
    try:
        import pyarrow.parquet as pq
    except ImportError as e:
        raise MissingDependency("pyarrow", "spark") from e
    from ..records import Story

    base = Path(out)
    if not (base / "articles").is_dir():
        raise InputError(f"{base}: no articles/ folder here; give the --out folder of "
                         "'veille run --engine spark'")

    def rows(name: str) -> list[dict]:
        folder = base / name
        if not folder.is_dir() or not any(folder.glob("*.parquet")):
            return []
        return pq.read_table(folder).to_pylist()

    arts = sorted(rows("articles"), key=lambda r: (r.get("input_no", 0), r.get("doc_no", 0)))
    fails = sorted(rows("failures"), key=lambda r: (r.get("input_no", 0), r.get("doc_no", 0)))
    return ([AnnotatedArticle.from_dict(r) for r in arts], [Story.from_dict(r) for r in rows("stories")],
            [Failure.from_dict(r) for r in fails])


@dataclass(slots=True)
class ImportSummary:
    """What ``veille import`` stored."""

    added: int = 0
    known: int = 0
    failures: int = 0
    stories: int = 0
    states: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.added} new article(s), {self.known} already stored, {self.failures} failure(s), "
                f"{self.stories} stor{'y' if self.stories == 1 else 'ies'}")


def _dedupe_state(base: Path) -> dict[str, Any] | None:
    """The dedupe index (its ``to_dict`` form) from ``state/`` of a Spark output folder."""
    import pyarrow.parquet as pq

    from ..dedupe.index import _FORMAT

    meta_file, folder = base / "state" / "dedupe.json", base / "state" / "dedupe"
    if not meta_file.is_file() or not folder.is_dir():
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    rows = sorted(pq.read_table(folder).to_pylist(), key=lambda r: r["seen"])
    return {"format": _FORMAT, "threshold": meta["threshold"], "num_perm": meta["num_perm"],
            "shingle": meta["shingle"], "candidate_ratio": meta["candidate_ratio"],
            "window_days": meta["window_days"], "seen": meta["seen"], "clock": meta["clock"],
            "entries": [[r["id"], r["published"], r["seen"], r["root"], [r["root_published"], r["root_seen"]],
                         r["day"], r["content_hash"], r["size"], r["signature"]] for r in rows],
            "hashes": meta["hashes"]}


def import_output(out: str | Path, store: Any, *, batch_size: int = 100) -> ImportSummary:
    """Load a Spark run's output folder into ``store`` through its write API: articles
    (input order) and failures, the stories, and the dedupe and story indexes (so a later
    local run adds to the same duplicates and stories). Only when the store held no corpus
    state before are the indexes taken over; otherwise they are left as they are."""
    base = Path(out)
    arts, stories, fails = read_output(base)
    summary = ImportSummary()
    for start in range(0, len(arts), batch_size):
        result = store.add(arts[start:start + batch_size])
        summary.added += len(result.added)
        summary.known += result.known
    if fails:
        summary.failures = store.put_failures(fails)
    if stories:
        summary.stories = store.put_stories(stories)
    states = {"dedupe": _dedupe_state(base)}
    cluster_file = base / "state" / "cluster.json"
    states["cluster"] = json.loads(cluster_file.read_text(encoding="utf-8")) if cluster_file.is_file() else None
    for name, data in states.items():
        if data is not None and store.state(name) is None:
            store.put_state(name, data)
            summary.states.append(name)
    return summary


__all__ = [
    "ImportSummary",
    "JavaMissing",
    "SparkSummary",
    "article_schema",
    "dedupe_order",
    "find_java",
    "import_output",
    "plan_inputs",
    "read_output",
    "require_pyspark",
    "resolve_duplicates",
    "run_pipeline",
    "session",
]
