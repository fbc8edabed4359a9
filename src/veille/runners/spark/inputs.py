"""Inputs of a Spark run: listed on the driver, read on the executors by ``veille.ingest``.

Local paths, folders and globs are listed with the local run's rules and read by the
executors, which must see the same file system (true for ``local[*]`` and for clusters
with a shared mount); URIs such as ``hdfs://`` or ``s3a://`` are read with
``SparkContext.binaryFiles``; Parquet files or folders give one document a row, through
the JSONL reader (columns ``text`` or ``html``, optional ``title``, ``url``,
``published``, ``outlet``, ``lang``). Every document is keyed by ``(input_no, doc_no)``,
the order of a local run.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...config import Config
from ...errors import InputError
from ...records import Failure, RawDocument

URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
PARQUET_FIELDS = ("text", "html", "title", "url", "published", "date", "outlet", "lang")

Keyed = tuple[tuple[int, int], Any]  # ((input_no, doc_no), document or failure)


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
    from ...ingest.sources import expand

    plan = Plan()
    local: list[str] = []
    for source in map(str, sources):
        if URI.match(source):  # hdfs://, s3a://, file://...: read by Spark itself
            is_parquet = source.rstrip("/").endswith(".parquet") or (
                source.startswith("file://") and _is_parquet(source.removeprefix("file://")))
            (plan.parquet if is_parquet else plan.uris).append(source)
        elif _is_parquet(source):
            plan.parquet.append(source)
        else:
            local.append(source)
    for item in expand(local, follow_symlinks=cfg.ingest.follow_symlinks):
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


# -- the driver side -------------------------------------------------------------------------------
def read_documents(plan: Plan, spark, cfg: Config, parts: int):
    """An RDD of :data:`Keyed` documents and failures for every input of ``plan`` (the
    failures of inputs that cannot be read are added to ``plan``). Raises InputError
    when there is nothing to read."""
    sc = spark.sparkContext
    raw = []
    if plan.files:
        raw.append(sc.parallelize(plan.files, min(len(plan.files), parts * 4))
                   .mapPartitions(lambda rows: _read_local(rows, cfg)))
    for uri in plan.uris:
        names = _hadoop_files(sc, uri)
        if not names:
            plan.failures.append((plan.number(), Failure(uri, "no such file or folder, or it is empty")))
            continue
        order = {name: plan.number() for name in names}
        sc._jsc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
        raw.append(sc.binaryFiles(uri, minPartitions=parts)
                   .mapPartitions(lambda rows, order=order: _read_uri(rows, cfg, order)))
    for path in plan.parquet:
        no = plan.number()
        rows = _parquet_rows(spark, plan, path, no)
        if rows is not None:
            raw.append(rows.mapPartitions(lambda rows, p=path, n=no: _read_rows(rows, cfg, p, n)))
    if plan.failures:
        raw.append(sc.parallelize([((no, 0), f) for no, f in plan.failures], 1))
    if not raw:
        raise InputError("no input to read: " + "; ".join(f"{f.source}: {f.reason}" for _, f in plan.failures))
    return sc.union(raw) if len(raw) > 1 else raw[0]


def _parquet_rows(spark, plan: Plan, path: str, no: int):
    """``(row as dict, row number)`` of the Parquet input number ``no``, or None with the
    failure added to ``plan``."""
    try:
        df = spark.read.parquet(path)
    except Exception as e:  # noqa: BLE001 - AnalysisException and friends
        plan.failures.append((no, Failure(path, f"cannot read as Parquet ({str(e).splitlines()[0][:200]})")))
        return None
    if not {"text", "html"} & set(df.columns):
        plan.failures.append((no, Failure(path, "Parquet input needs a 'text' or 'html' column")))
        return None
    cols = [c for c in PARQUET_FIELDS if c in df.columns]
    return df.select(*cols).rdd.map(lambda r: r.asDict()).zipWithIndex()


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


# -- the executor side -------------------------------------------------------------------------------
def _read_local(rows: Iterable[tuple[int, str, str]], cfg: Config) -> Iterator[Keyed]:
    """Each listed file read by ``veille.ingest.run`` itself, by its resolved path (which the
    ids derive from), then named as the user gave it."""
    from ... import ingest

    for input_no, given, ident in rows:
        for doc_no, doc in enumerate(ingest.run([ident], cfg)):
            if isinstance(doc, (RawDocument, Failure)) and doc.source == ident:
                doc.source = given
            yield (input_no, doc_no), doc


def _read_uri(rows: Iterable[tuple[str, bytes]], cfg: Config, order: dict[str, int]) -> Iterator[Keyed]:
    """Documents in files read by ``binaryFiles`` (name, bytes)."""
    from ... import ingest

    for uri, data in rows:
        if ingest.kind_of(uri.rsplit("/", 1)[-1]) is None:
            docs: Iterable[Any] = [ingest.unknown_format(uri, uri)]
        else:
            docs = ingest.read_bytes(bytes(data), source=uri, ident=uri, cfg=cfg)
        for doc_no, doc in enumerate(docs):
            yield (order.get(uri, 0), doc_no), doc


def _read_rows(rows: Iterable[tuple[Any, int]], cfg: Config, source: str, input_no: int) -> Iterator[Keyed]:
    """Parquet rows through the JSONL reader, one row at a time."""
    from ... import ingest

    for row, n in rows:
        obj = {k: row[k] for k in PARQUET_FIELDS if k in row and row[k] is not None}
        if "published" in obj and not isinstance(obj["published"], str):
            obj["published"] = str(obj["published"])
        line = json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8")
        loc = f"row {n + 1}"
        for doc in ingest.read_bytes(line, source=source, ident=f"{source}#{loc}", cfg=cfg,
                                     content_type="application/x-ndjson"):
            doc.locator = loc if doc.locator in ("", "line 1") else doc.locator
            yield (input_no, n), doc


__all__ = ["PARQUET_FIELDS", "URI", "Keyed", "Plan", "plan_inputs", "read_documents"]
