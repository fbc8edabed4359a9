"""The events export: event records (or their mentions) as CSV or Parquet, one row each,
with the GDELT 2.0 event table's column names where a column means the same thing.

``write_events(store, path_or_file, per="record", kind="csv")`` reads the store's rows a
batch at a time (:meth:`~veille.store.base.EventReads.event_rows`) and writes them a batch
at a time, so memory stays flat on large stores. ``COLUMNS`` says what each column holds.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..errors import VeilleError
from ..scales import cameo_root, gdelt_quad

# name, type ("int", "float", "str"), meaning. GDELT 2.0 names first, then veille's own.
RECORD_COLUMNS: list[tuple[str, str, str]] = [
    ("GLOBALEVENTID", "int", "the event record's id as an integer (veille_id read as hexadecimal)"),
    ("SQLDATE", "int", "YYYYMMDD: the event's own date when it names a day, else its first report's date"),
    ("MonthYear", "int", "YYYYMM of the same date (also when it names a month only)"),
    ("Year", "int", "YYYY of the same date"),
    ("Actor1Name", "str", "the actor's name"),
    ("Actor1CountryCode", "str", "the actor's country (ISO 3166-1 alpha-3, as CAMEO country codes)"),
    ("Actor1Type1Code", "str", "the actor's sector (GOV, MIL, BUS, MED, NGO, IGO...), when known"),
    ("Actor2Name", "str", "the recipient's name"),
    ("Actor2CountryCode", "str", "the recipient's country"),
    ("Actor2Type1Code", "str", "the recipient's sector"),
    ("EventCode", "str", "the CAMEO code most mentions carry"),
    ("EventBaseCode", "str", "its first three digits"),
    ("EventRootCode", "str", "its first two digits"),
    ("QuadClass", "int", ("GDELT's quad class from the CAMEO root: 1 verbal cooperation, 2 material "
                          "cooperation, 3 verbal conflict, 4 material conflict")),
    ("GoldsteinScale", "float", "the Goldstein value of EventCode (-10 to +10)"),
    ("NumMentions", "int", "event mentions in all articles (an article may tell it twice)"),
    ("NumSources", "int", ("independent sources: copies count as their original, articles citing one "
                           "report count once")),
    ("NumArticles", "int", "articles that tell it"),
    ("SOURCEURL", "str", "the first report's URL (else its input path)"),
    ("veille_id", "str", "the event record's id in veille (stable as later reports arrive)"),
    ("Story", "str", "the story id"),
    ("PloverType", "str", "the PLOVER event type"),
    ("PloverQuadClass", "str", "the PLOVER quad class of the type"),
    ("Actor1Id", "str", "the actor's id in veille"),
    ("Actor2Id", "str", "the recipient's id in veille"),
    ("EventDate", "str", "the event's own date as precise as the articles give it (YYYY, YYYY-MM, YYYY-MM-DD)"),
    ("FirstReported", "str", "the first report's publication date"),
    ("LastReported", "str", "the last report's publication date"),
    ("NumOutlets", "int", "distinct outlets that tell it"),
    ("Outlets", "str", "those outlets, separated by ' | '"),
    ("Sources", "str", "the independent sources' names, separated by ' | '"),
    ("Modalities", "str", "mentions by modality, as JSON ({\"asserted\": 2, \"hedged\": 1})"),
]
MENTION_COLUMNS: list[tuple[str, str, str]] = RECORD_COLUMNS[:19] + [
    ("MentionTimeDate", "int", ("YYYYMMDDHHMMSS of the mentioning article's publication (time 000000 "
                                "when only the day is known)")),
    ("MentionSourceName", "str", "the mentioning article's outlet"),
    ("MentionIdentifier", "str", "the mentioning article's URL (else its input path)"),
] + RECORD_COLUMNS[19:29] + [
    ("ArticleId", "str", "the mentioning article's id in veille"),
    ("EventIndex", "int", "the event's position in that article's events"),
    ("Modality", "str", "asserted, reported, hedged, planned or negated"),
    ("AccordingTo", "str", "the actor id the article attributes it to"),
    ("SourceKey", "str", "the independent source this mention counts under"),
    ("SpanStart", "int", "evidence span start (character offset into the article's text)"),
    ("SpanEnd", "int", "evidence span end"),
    ("Sentence", "str", "the evidence sentence"),
]
# Where it happened (the record's place, when a mention's sentence names one).
PLACE_COLUMNS: list[tuple[str, str, str]] = [
    ("ActionGeo_Type", "int", "1 a country, 3 a US city, 4 a city elsewhere (GDELT's codes)"),
    ("ActionGeo_FullName", "str", "the place's name (the gazetteer's for a city, the French one for a country)"),
    ("ActionGeo_CountryCode", "str", "its country as a FIPS 10-4 code, as GDELT gives it"),
    ("ActionGeo_Lat", "float", "a city's latitude"),
    ("ActionGeo_Long", "float", "a city's longitude"),
    ("ActionCountry", "str", "its country as an ISO 3166-1 alpha-3 code"),
    ("ActionGeonameId", "int", "a city's GeoNames id"),
    ("ActionPlaceText", "str", "the place as the article writes it"),
]
RECORD_COLUMNS += PLACE_COLUMNS
MENTION_COLUMNS += PLACE_COLUMNS
COLUMNS = {"record": RECORD_COLUMNS, "mention": MENTION_COLUMNS}


def _ymd(date: str | None) -> int | None:
    """YYYYMMDD of a date that names a day, else None."""
    if not date or len(date) < 10:
        return None
    digits = date[:10].replace("-", "")
    return int(digits) if digits.isdigit() and len(digits) == 8 else None


def _ym(date: str | None) -> int | None:
    """YYYYMM of a date that names a month or a day, else None."""
    digits = (date or "")[:7].replace("-", "")
    return int(digits) if len(digits) == 6 and digits.isdigit() else None


def row(d: dict[str, Any], per: str = "record") -> dict[str, Any]:
    """One store row (:meth:`event_rows`) in the export's columns."""
    sqldate = _ymd(d.get("date")) or _ymd(d.get("first_reported"))
    month = sqldate // 100 if sqldate else _ym(d.get("date")) or _ym(d.get("first_reported"))
    cameo = d.get("cameo")
    out: dict[str, Any] = {
        "GLOBALEVENTID": int(d["id"], 16) if d.get("id") else None,
        "SQLDATE": sqldate,
        "MonthYear": month,
        "Year": month // 100 if month else None,
        "Actor1Name": d.get("actor_name") or d.get("actor"),
        "Actor1CountryCode": d.get("actor_country"),
        "Actor1Type1Code": d.get("actor_sector"),
        "Actor2Name": d.get("recipient_name") or d.get("recipient"),
        "Actor2CountryCode": d.get("recipient_country"),
        "Actor2Type1Code": d.get("recipient_sector"),
        "EventCode": cameo,
        "EventBaseCode": cameo[:3] if cameo else None,
        "EventRootCode": cameo_root(cameo),
        "QuadClass": gdelt_quad(cameo),
        "GoldsteinScale": d.get("goldstein"),
        "NumMentions": d.get("n_mentions"),
        "NumSources": d.get("n_sources"),
        "NumArticles": d.get("n_articles"),
        "veille_id": d.get("id"),
        "Story": d.get("story"),
        "PloverType": d.get("type"),
        "PloverQuadClass": d.get("quad_class"),
        "Actor1Id": d.get("actor"),
        "Actor2Id": d.get("recipient"),
        "EventDate": d.get("date"),
        "FirstReported": d.get("first_reported"),
        "LastReported": d.get("last_reported"),
        "NumOutlets": d.get("n_outlets"),
    }
    out.update(_place(d.get("place")))
    if per == "record":
        out["SOURCEURL"] = d.get("first_url") or d.get("first_source")
        out["Outlets"] = " | ".join(d.get("outlets") or [])
        out["Sources"] = " | ".join(s.get("name") or s.get("key") or "" for s in d.get("sources") or [])
        out["Modalities"] = json.dumps(d.get("modalities") or {}, ensure_ascii=False, sort_keys=True)
        return out
    day = _ymd(d.get("published"))
    out.update({
        "SOURCEURL": d.get("url") or d.get("source"),
        "MentionTimeDate": day * 1_000_000 if day else None,
        "MentionSourceName": d.get("outlet"),
        "MentionIdentifier": d.get("url") or d.get("source"),
        "ArticleId": d.get("article_id"),
        "EventIndex": d.get("idx"),
        "Modality": d.get("modality"),
        "AccordingTo": d.get("according_to"),
        "SourceKey": d.get("source_key"),
        "SpanStart": d.get("span_start"),
        "SpanEnd": d.get("span_end"),
        "Sentence": d.get("sentence"),
    })
    return out


def _place(place: dict[str, Any] | None) -> dict[str, Any]:
    if not place:
        return {}
    kind = 1 if place.get("kind") == "country" else 3 if place.get("country") == "USA" else 4
    return {"ActionGeo_Type": kind, "ActionGeo_FullName": place.get("name"),
            "ActionGeo_CountryCode": place.get("fips"), "ActionGeo_Lat": place.get("lat"),
            "ActionGeo_Long": place.get("lon"), "ActionCountry": place.get("country"),
            "ActionGeonameId": place.get("geonameid"), "ActionPlaceText": place.get("text")}


def rows(store: Any, per: str = "record", *, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """The export's rows, streamed from the store."""
    if not hasattr(store, "event_rows"):
        raise VeilleError("this store keeps no event records")
    for d in store.event_rows(per=per, batch=batch):
        yield row(d, per)


def write_csv(items: Iterable[dict[str, Any]], fh: IO[str], per: str = "record") -> int:
    """Write rows as CSV (a header line first, comma-separated, UTF-8); returns the count."""
    names = [c[0] for c in COLUMNS[per]]
    writer = csv.DictWriter(fh, fieldnames=names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for item in items:
        writer.writerow(item)
        n += 1
    return n


def _arrow_schema(per: str):
    import pyarrow as pa

    kinds = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    return pa.schema([(name, kinds[kind]) for name, kind, _ in COLUMNS[per]])


def write_parquet(items: Iterable[dict[str, Any]], path: str, per: str = "record", *, batch: int = 10_000) -> int:
    """Write rows as a Parquet file, ``batch`` rows a row group; returns the count. Needs
    pyarrow (``pip install 'veille[parquet]'``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise VeilleError("writing Parquet needs pyarrow: pip install 'veille[parquet]'") from e
    schema = _arrow_schema(per)
    names = schema.names
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema) if chunk else
                               pa.table({name: pa.array([], type=schema.field(name).type) for name in names}))
            n += len(chunk)
    return n


__all__ = ["COLUMNS", "MENTION_COLUMNS", "PLACE_COLUMNS", "RECORD_COLUMNS", "row", "rows", "write_csv", "write_parquet"]
