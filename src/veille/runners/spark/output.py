"""The output folder of a Spark run: Parquet in the export's shape, and the corpus states.

``articles/`` (one row an article, :func:`~veille.runners.spark.schema.article_schema`,
sorted by input order), ``failures/``, ``stories/``, ``event_records/`` (one row a record,
its ``sources``, ``modalities`` and ``mentions`` as JSON text, sorted by id), ``state/<stage>.json`` (the corpus
stages' indexes in their own saved form, so that ``veille import`` gives a store a later
local run adds to) and ``summary.json``. ``veille.store.parquet`` reads it back.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...records import Failure
from .inputs import URI
from .schema import (
    article_row,
    article_schema,
    event_record_row,
    event_record_schema,
    failure_row,
    failure_schema,
    story_schema,
)


def write_records(spark, annotated, *, out: str, dup_of: dict[str, Any], story_of: dict[str, str | None],
                  stories: list[Any]) -> None:
    """``articles/``, ``failures/`` and ``stories/`` from ``(key, record, signature)`` rows."""
    sc = spark.sparkContext
    dup_b, story_b = sc.broadcast(dup_of), sc.broadcast(story_of)
    arts = (annotated.filter(lambda t: not isinstance(t[1], Failure))
            .map(lambda t: article_row(t[1], t[0], dup_b.value.get(t[1].id), story_b.value.get(t[1].id))))
    fails = annotated.filter(lambda t: isinstance(t[1], Failure)).map(lambda t: failure_row(t[1], t[0]))
    spark.createDataFrame(arts, article_schema()).sort("input_no", "doc_no") \
        .write.mode("overwrite").parquet(f"{out}/articles")
    spark.createDataFrame(fails, failure_schema()).sort("input_no", "doc_no").coalesce(1) \
        .write.mode("overwrite").parquet(f"{out}/failures")
    spark.createDataFrame([s.as_dict() for s in stories], story_schema()).coalesce(1) \
        .write.mode("overwrite").parquet(f"{out}/stories")
    for b in (dup_b, story_b):
        b.unpersist()


def write_event_records(spark, records, *, out: str) -> int:
    """``event_records/`` from an RDD of event records; returns how many were written."""
    rows = records.map(event_record_row).persist()
    try:
        spark.createDataFrame(rows, event_record_schema()).sort("id").write.mode("overwrite") \
            .parquet(f"{out}/event_records")
        return rows.count()
    finally:
        rows.unpersist()


def write_json(sc, out: str, name: str, data: dict[str, Any]) -> None:
    """``data`` as ``out/name`` (a local folder), or through Spark for a URI."""
    if URI.match(out):
        sc.parallelize([json.dumps(data)], 1).saveAsTextFile(f"{out}/{name}")
        return
    path = Path(out, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2 if name == "summary.json" else None), encoding="utf-8")


def write_states(sc, out: str, states: dict[str, Any]) -> None:
    """Each corpus stage's index as ``state/<stage>.json``, in its ``to_dict()`` form."""
    for name, index in states.items():
        write_json(sc, out, f"state/{name}.json", index.to_dict())


__all__ = ["write_event_records", "write_json", "write_records", "write_states"]
