"""Questions on event records: ``veille events`` and ``/api/events``, with the filters of
both (actor or recipient by id or name, type, modality, outlet, dates)."""
from __future__ import annotations

import json

import pytest
from test_eventrecords import SENTENCE, art, corpus, event
from typer.testing import CliRunner

from veille.cli import app
from veille.records import Story
from veille.runners.local import put_event_records
from veille.store import open_store

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The story of test_eventrecords (RUS ACCUSE UKR, 6 articles), and a second story where
    Ukraine threatens Russia, hedged, in 2023."""
    path = tmp_path_factory.mktemp("q") / "q.db"
    other = art("t", "Le Temps", "2023-05-02", events=[
        event(SENTENCE, etype="THREATEN", cameo="138", modality="hedged")])
    other.story = "s2"
    other.events[0].actor, other.events[0].recipient = "UKR", "RUS"
    with open_store(path) as store:
        arts = corpus()
        store.add([*arts, other], stories=[Story(id="s1", article_ids=[a.id for a in arts]),
                                           Story(id="s2", article_ids=["t"])])
        put_event_records(store, ["s1", "s2"])
    return path


def _json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_cli_filters_by_actor_name_type_and_date(db):
    res = invoke("events", "--db", db, "--actor", "Moscou", "--type", "accuse", "--since", "2024-03", "--json")
    assert res.exit_code == 0, res.output
    rows = _json_lines(res.stdout)
    assert len(rows) == 1
    r = rows[0]
    assert (r["actor"], r["type"], r["recipient"], r["n_sources"]) == ("RUS", "ACCUSE", "UKR", 3)
    assert len(r["mentions"]) == 6 and r["evidence"]["sentence"].startswith("Moscou accuse")
    assert _json_lines(invoke("events", "--db", db, "--actor", "RUS", "--since", "2024-04", "--json").stdout) == []
    assert len(_json_lines(invoke("events", "--db", db, "--until", "2023", "--json").stdout)) == 1


def test_cli_table_says_counts_sources_and_evidence(db):
    res = invoke("events", "--db", db, "--recipient", "Kiev")
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert "Russia ACCUSE Ukraine" in out and "-2.0, verbal conflict" in out
    assert "reported by 6 articles, 6 outlets, 3 independent sources: Reuters, Wall Street Journal, AFP" in out
    assert "Moscou accuse Kiev" in out


def test_cli_modality_and_outlet(db):
    hedged = _json_lines(invoke("events", "--db", db, "--modality", "hedged", "--json").stdout)
    assert [r["type"] for r in hedged] == ["THREATEN"]
    by_outlet = _json_lines(invoke("events", "--db", db, "--outlet", "le monde", "--json").stdout)
    assert [r["type"] for r in by_outlet] == ["ACCUSE"]


def test_cli_bad_filters_are_one_line(db):
    res = invoke("events", "--db", db, "--type", "SHOUT")
    assert res.exit_code == 1 and "PLOVER event types" in res.output
    res = invoke("events", "--db", db, "--since", "2024-13")
    assert res.exit_code == 1 and "--since must be a date as YYYY, YYYY-MM or YYYY-MM-DD" in res.output
    res = invoke("events", "--db", db, "--actor", "Russland")
    assert res.exit_code == 1 and "no actor" in res.output


def test_api_filters(db):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from veille.serve.app import create_app

    with TestClient(create_app(db, language="en")) as client:
        body = client.get("/api/events", params={"actor": "moscou", "type": "ACCUSE"}).json()
        assert [r["n_sources"] for r in body["records"]] == [3]
        assert body["filters"]["actor"] == "RUS" and body["more"] is False
        assert body["records"][0]["quad_class"] == "verbal conflict"
        assert "mentions" not in body["records"][0]
        full = client.get("/api/events", params={"recipient": "RUS", "mentions": "true"}).json()
        assert [r["type"] for r in full["records"]] == ["THREATEN"] and len(full["records"][0]["mentions"]) == 1
        assert client.get("/api/events", params={"modality": "hedged", "since": "2023"}).json()["records"]
        assert client.get("/api/events", params={"outlet": "AFP", "until": "2023-12"}).json()["records"] == []
        paged = client.get("/api/events", params={"limit": "1"}).json()
        assert len(paged["records"]) == 1 and paged["more"] is True
        assert client.get("/api/events", params={"since": "March"}).status_code == 400
        assert client.get("/api/events", params={"actor": "Atlantide"}).status_code == 404


def test_story_page_shows_records_with_counts_and_sources(db):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from veille.serve.app import create_app

    with TestClient(create_app(db, language="en")) as client:
        page = client.get("/story/s1")
        assert page.status_code == 200
        html = " ".join(page.text.split())
        assert "Event records" in html
        assert "reported by 6 articles, 6 outlets, 3 independent sources: Reuters, Wall Street Journal, AFP" in html
        assert "-2.0" in html and "verbal conflict" in html
        assert "/article/a#ev-" in html  # the first report's sentence, linked


def test_an_older_store_read_only_says_what_to_do(tmp_path):
    import sqlite3

    from test_eventrecords import _v2_schema

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(_v2_schema() + "PRAGMA user_version = 2;")
    conn.close()
    for args in (("events",), ("export", "--format", "events")):
        res = invoke(*args, "--db", path)
        assert res.exit_code == 1 and "older veille" in res.output and "veille run" in res.output


def test_pending_records_are_said(tmp_path):
    from veille.store import EVENT_RECORDS_STATE

    path = tmp_path / "p.db"
    with open_store(path) as store:
        store.put_state(EVENT_RECORDS_STATE, {"pending": None})
    res = invoke("events", "--db", path)
    assert res.exit_code == 0 and "not computed yet" in res.output
