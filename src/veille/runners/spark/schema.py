"""The Spark schemas of the output, derived from the records (``veille.records``)."""
from __future__ import annotations

import types
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

from ... import records as R
from ...records import AnnotatedArticle, Failure

INTERNAL = ("input_no", "doc_no")  # input order: which input, which document inside it


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


_RECORD_JSON = ("outlets", "sources", "modalities", "mentions", "place")


def event_record_schema():
    """Spark schema of one event record row: its plain fields, and its lists as JSON text."""
    from pyspark.sql import types as T

    hints = get_type_hints(R.EventRecord, vars(R))
    out = T.StructType()
    for f in fields(R.EventRecord):
        kind = T.StringType() if f.name in _RECORD_JSON else _spark_type(hints[f.name])
        out = out.add(f.name, kind, nullable=True)
    return out


def event_record_row(rec: R.EventRecord) -> dict:
    """An event record as a row of :func:`event_record_schema`."""
    import json

    d = rec.as_dict()
    for name in _RECORD_JSON:
        d[name] = json.dumps(d[name], ensure_ascii=False, separators=(",", ":"))
    return d


def article_row(rec: AnnotatedArticle, key: tuple[int, int], dup: Any, story: str | None) -> dict:
    """An article as a row of :func:`article_schema` (``dup``: its duplicate verdict, or None)."""
    d = rec.as_dict()
    d["duplicate_of"] = dup.of if dup is not None else None
    d["duplicate_kind"] = dup.kind if dup is not None else None
    d["longer_version"] = dup.longer if dup is not None else None
    d["story"] = story
    d["input_no"], d["doc_no"] = int(key[0]), int(key[1])
    return d


def failure_row(rec: Failure, key: tuple[int, int]) -> dict:
    """A failure as a row of :func:`failure_schema`."""
    d = rec.as_dict()
    d["input_no"], d["doc_no"] = int(key[0]), int(key[1])
    return d


__all__ = ["INTERNAL", "article_row", "article_schema", "event_record_row", "event_record_schema", "failure_row",
           "failure_schema", "story_schema"]
