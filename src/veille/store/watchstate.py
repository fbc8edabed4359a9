"""What `veille watch` remembers between rounds, in the same SQLite file as the articles.

* ``watch_fetch``: per URL, the validators for conditional GET (ETag, Last-Modified) and
  the outcome of the last fetch;
* ``watch_entries``: per article link seen in a feed, its fingerprint and whether it was
  processed (``done``) or is still to do (``pending``: new, changed, or failed last time);
* ``watch_alerts``: every alert raised, keyed by its match key so that it fires once, with
  what was delivered to the alerts file and the webhook.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS watch_fetch (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    status INTEGER,
    error TEXT,
    fetched_at TEXT
);
CREATE TABLE IF NOT EXISTS watch_entries (
    link TEXT PRIMARY KEY,
    feed TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    article_ids TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    entry TEXT NOT NULL DEFAULT '{}',
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS watch_entries_state ON watch_entries(state);
CREATE TABLE IF NOT EXISTS watch_alerts (
    key TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    rule TEXT NOT NULL,
    article_id TEXT,
    created TEXT NOT NULL,
    alert TEXT NOT NULL,
    sent_file INTEGER NOT NULL DEFAULT 0,
    sent_webhook INTEGER NOT NULL DEFAULT 0
);
"""


def now() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class WatchState:
    """The watch tables of one store connection. Every method commits its own change."""

    def __init__(self, conn: sqlite3.Connection, *, readonly: bool = False):
        self.conn = conn
        if not readonly:
            with self.conn:
                self.conn.executescript(SCHEMA)

    def exists(self) -> bool:
        """Whether the watch tables are there (a store 'veille watch' never wrote to has none)."""
        row = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'watch_alerts'")
        return row.fetchone() is not None

    # -- conditional GET ---------------------------------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The (ETag, Last-Modified) remembered for ``url``."""
        row = self.conn.execute("SELECT etag, last_modified FROM watch_fetch WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def fetched(self, url: str, *, status: int | None, etag: str | None = None,
                last_modified: str | None = None, error: str | None = None, keep: bool = False) -> None:
        """Records a fetch of ``url``. ``keep`` keeps the previous validators (a 304, a failure)."""
        with self.conn:
            if keep:
                self.conn.execute(
                    "INSERT INTO watch_fetch(url, status, error, fetched_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(url) DO UPDATE SET status = excluded.status, error = excluded.error, "
                    "fetched_at = excluded.fetched_at", (url, status, error, now()))
            else:
                self.conn.execute(
                    "INSERT OR REPLACE INTO watch_fetch(url, etag, last_modified, status, error, fetched_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (url, etag, last_modified, status, error, now()))

    def forget_validators(self, url: str) -> None:
        """Drops the validators of ``url`` so the next fetch is a full GET."""
        with self.conn:
            self.conn.execute("UPDATE watch_fetch SET etag = NULL, last_modified = NULL WHERE url = ?", (url,))

    def clear_failures(self, source: str, *, stage: str) -> None:
        """Forgets the failures of ``source`` at ``stage`` (a feed that answers again)."""
        exists = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'failures'")
        if exists.fetchone() is None:
            return
        with self.conn:
            self.conn.execute("DELETE FROM failures WHERE source = ? AND stage = ?", (source, stage))

    def first_of_story(self, story_id: str) -> str | None:
        """The id of the first stored article of a story (the one that started it)."""
        row = self.conn.execute(
            "SELECT a.id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = ? ORDER BY a.seq LIMIT 1", (story_id,)).fetchone()
        return row[0] if row else None

    # -- feed entries ------------------------------------------------------------------------
    def see_entry(self, link: str, *, feed: str, fingerprint: str, entry: dict[str, Any]) -> bool:
        """Notes an entry of a feed; True when it is new or changed (and so now pending)."""
        row = self.conn.execute("SELECT fingerprint, state FROM watch_entries WHERE link = ?", (link,)).fetchone()
        stamp = now()
        with self.conn:
            if row is None:
                self.conn.execute(
                    "INSERT INTO watch_entries(link, feed, fingerprint, state, entry, first_seen, updated_at) "
                    "VALUES (?, ?, ?, 'pending', ?, ?, ?)",
                    (link, feed, fingerprint, json.dumps(entry, ensure_ascii=False), stamp, stamp))
                return True
            if row[0] != fingerprint:
                self.conn.execute(
                    "UPDATE watch_entries SET fingerprint = ?, state = 'pending', attempts = 0, entry = ?, "
                    "updated_at = ? WHERE link = ?",
                    (fingerprint, json.dumps(entry, ensure_ascii=False), stamp, link))
                return True
        return row[1] == "pending"

    def requeue(self, link: str) -> None:
        """Makes ``link`` pending again (plain pages are re-read every round)."""
        with self.conn:
            self.conn.execute("UPDATE watch_entries SET state = 'pending', attempts = 0, updated_at = ? "
                              "WHERE link = ? AND state = 'done'", (now(), link))

    def entry_articles(self, link: str) -> list[str]:
        """The ids of the articles ``link`` gave when it was last processed."""
        row = self.conn.execute("SELECT article_ids FROM watch_entries WHERE link = ?", (link,)).fetchone()
        return json.loads(row[0]) if row else []

    def pending(self) -> list[tuple[str, dict[str, Any], int]]:
        """Entries still to process, oldest first: (link, entry, attempts so far)."""
        rows = self.conn.execute(
            "SELECT link, entry, attempts FROM watch_entries WHERE state = 'pending' ORDER BY first_seen, link")
        return [(link, json.loads(entry), attempts) for link, entry, attempts in rows]

    def entry_failed(self, link: str, error: str) -> int:
        """Counts one more failed attempt at ``link`` (still pending); returns the attempts so far."""
        with self.conn:
            self.conn.execute("UPDATE watch_entries SET attempts = attempts + 1, error = ?, updated_at = ? "
                              "WHERE link = ?", (error, now(), link))
        row = self.conn.execute("SELECT attempts FROM watch_entries WHERE link = ?", (link,)).fetchone()
        return int(row[0]) if row else 0

    def entry_done(self, link: str, article_ids: list[str], *, error: str | None = None) -> None:
        """Marks ``link`` processed, with the ids of the articles it gave."""
        with self.conn:
            self.conn.execute("UPDATE watch_entries SET state = 'done', article_ids = ?, error = ?, "
                              "updated_at = ? WHERE link = ?",
                              (json.dumps(article_ids), error, now(), link))

    def entry_counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, COUNT(*) FROM watch_entries GROUP BY state")
        return {state: n for state, n in rows}

    # -- alerts ------------------------------------------------------------------------------
    def add_alert(self, key: str, alert: dict[str, Any], *, sinks: tuple[str, ...] = ()) -> bool:
        """Records an alert unless one with ``key`` exists; True when it is new.

        ``sinks`` are where it is still to be delivered ("file", "webhook"); an alert raised
        while no alerts file is set is never written to a file set later.
        """
        with self.conn:
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM watch_alerts").fetchone()[0]
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO watch_alerts(key, seq, rule, article_id, created, alert, sent_file, "
                "sent_webhook) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, seq, alert.get("rule", ""), alert.get("article"), alert.get("created") or now(),
                 json.dumps(alert, ensure_ascii=False), int("file" not in sinks), int("webhook" not in sinks)))
        return cur.rowcount == 1

    def has_alert(self, key: str) -> bool:
        return self.conn.execute("SELECT 1 FROM watch_alerts WHERE key = ?", (key,)).fetchone() is not None

    def unsent(self, sink: str) -> list[tuple[str, dict[str, Any]]]:
        """Alerts not yet delivered to ``sink`` ("file" or "webhook"), in the order raised."""
        column = _sink(sink)
        rows = self.conn.execute(f"SELECT key, alert FROM watch_alerts WHERE {column} = 0 ORDER BY seq")
        return [(key, json.loads(alert)) for key, alert in rows]

    def sent(self, key: str, sink: str) -> None:
        column = _sink(sink)
        with self.conn:
            self.conn.execute(f"UPDATE watch_alerts SET {column} = 1 WHERE key = ?", (key,))

    def rules(self) -> list[str]:
        """The names of the rules that raised at least one alert, sorted."""
        if not self.exists():
            return []
        return [r for (r,) in self.conn.execute("SELECT DISTINCT rule FROM watch_alerts ORDER BY rule")]

    def alerts(self, *, rule: str | None = None, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The alerts raised so far, oldest first (or only the last ``limit``)."""
        if not self.exists():
            return
        sql = "SELECT alert, seq FROM watch_alerts"
        args: list[Any] = []
        if rule is not None:
            sql += " WHERE rule = ?"
            args.append(rule)
        if limit is not None:
            sql = f"SELECT alert, seq FROM ({sql} ORDER BY seq DESC LIMIT ?) AS last"
            args.append(int(limit))
        rows = self.conn.execute(sql + " ORDER BY seq", args)
        for alert, _seq in rows:
            yield json.loads(alert)


def _sink(sink: str) -> str:
    if sink not in ("file", "webhook"):
        raise ValueError(f"unknown alert sink '{sink}'; known: file, webhook")
    return f"sent_{sink}"
