"""The SQLite store: articles, their events, actors, quotes, stories, failures and the
corpus stages' state, in one file (WAL journal, FTS5 full-text index).

This is the only module of veille that writes SQL (with ``watchstate.py`` for the
watch tables). Writers call :meth:`SQLiteStore.add` with a batch of records: one
transaction per batch. Readers get plain JSON-ready dicts.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Self

from ..errors import QueryError, StoreError
from ..records import AnnotatedArticle, Article, EventRecord, Failure, Story
from ..scales import goldstein, quad_class
from .base import EVENT_RECORDS_STATE, MARK, STORY_ORDERS, AddResult
from .watchstate import WatchState

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: runs on one store are not serialised
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
"""Written to ``PRAGMA user_version``; change it together with ``schema.sql``.

Version 3 added the Goldstein value and quad class of each event (columns of ``events``,
filled in for the events stored before) and the ``event_records`` and ``event_mentions``
tables (filled by the next run, see ``EVENT_RECORDS_STATE``).

Version 4 indexed ``articles.content_hash`` (exact copies looked up at any distance).

Version 5 added where an event record happened (``event_records.place``); the records of
an older store are computed again by the next run."""

_DRIVING_ROWS = 2000
"""A story filter matching at most this many rows drives the story query (see ``stories``)."""


_JSON_COLUMNS = ("dropped", "comments", "paragraphs", "actors", "quotes", "cited_sources", "events")
_PLAIN_COLUMNS = ("id", "source", "locator", "url", "outlet", "title", "published", "lang", "lang_score",
                  "text", "content_hash", "tokens", "duplicate_of", "story")
_RECORD_FIELDS = tuple(f.name for f in fields(AnnotatedArticle))
_EXTRA_FIELDS = tuple(n for n in _RECORD_FIELDS if n not in _JSON_COLUMNS and n not in _PLAIN_COLUMNS)
_ARTICLE_COLUMNS = _PLAIN_COLUMNS + _JSON_COLUMNS + ("extra", "stored_at")
_SUMMARY = ("id", "source", "locator", "url", "outlet", "title", "published", "lang", "duplicate_of", "story")


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _schema() -> str:
    return resources.files("veille.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _migration(version: int) -> tuple[str, str]:
    """The statements that bring a store of ``version`` to this one, run in one transaction
    with ``schema.sql``: those before it (columns the schema's tables now have) and those
    after it (filling them in). New tables come from the schema itself."""
    if version == 0 or version >= 5:
        return "", ""
    before, after = "", ""
    if version < 3:
        before += "ALTER TABLE events ADD COLUMN goldstein REAL; ALTER TABLE events ADD COLUMN quad_class TEXT;"
        after += "UPDATE events SET goldstein = veille_goldstein(cameo), quad_class = veille_quad_class(type);"
    else:
        before += "ALTER TABLE event_records ADD COLUMN place TEXT;"
    after += (f"INSERT OR REPLACE INTO state(name, data, updated_at) VALUES ('{EVENT_RECORDS_STATE}', "
              "'{\"pending\":null}', datetime('now'));")
    return before, after


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Lock:
    """An exclusive lock on ``STORE.lock`` (``fcntl.flock``; where the system has no
    ``fcntl``, nothing is locked). Its file names the holder for whoever waits."""

    def __init__(self, fd: int | None):
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None


def _lock(path: Path) -> _Lock:
    if fcntl is None:  # pragma: no cover - Windows
        return _Lock(None)
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise StoreError(f"cannot write to the store {path}: cannot create {lock_path.name} beside it "
                         f"({e.strerror}); check the folder's permissions") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 1000, 0).decode("utf-8", "replace").strip() or "another process"
            log.warning("%s is writing to %s; waiting for it to finish (Ctrl-C to stop)", holder, path)
            fcntl.flock(fd, fcntl.LOCK_EX)
        command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:3]]) if sys.argv and sys.argv[0] else "python"
        me = f"veille (pid {os.getpid()}, '{command[:200]}', since {now()})"
        os.ftruncate(fd, 0)
        os.pwrite(fd, me.encode("utf-8", "replace"), 0)
    except BaseException:
        os.close(fd)
        raise
    return _Lock(fd)


def _cannot_write(e: sqlite3.OperationalError) -> bool:
    """Whether SQLite's error says a file could not be created or written (permissions)."""
    text = str(e).lower()
    return "unable to open" in text or "readonly" in text or "read-only" in text


# -- full-text queries ---------------------------------------------------------------------
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’ʼ`]", re.IGNORECASE)
_QUERY_TOKEN = re.compile(r'"[^"]*"\*?|[()]|[^\s()"]+')
_WORDS = re.compile(r"[^\W_]+")
_OPERATORS = {"AND", "OR", "NOT"}
QUERY_HELP = ('write words (accents and case do not matter), "an exact phrase" in double quotes, '
              "AND / OR / NOT between two terms, -word to leave a word out, word* for a prefix, "
              "parentheses to group")


def _words(text: str) -> list[str]:
    out = []
    for chunk in text.split():
        chunk = _ELISION.sub("", chunk)
        out.extend(_WORDS.findall(chunk))
    return out


def fts_query(query: str) -> str:
    """Turn a user's search into an FTS5 query: words are kept, French elisions dropped
    ("d’espionnage" → espionnage), hyphenated and apostrophe words become phrases
    ("États-Unis" → "États Unis"), quoted phrases, AND/OR/NOT (also in lower case between two
    terms), parentheses and a final * are kept; ``-word`` leaves out the articles with the word
    and ``AND NOT`` means NOT. Raises QueryError, saying what is wrong in one line, when nothing
    searchable is left or the query cannot be read."""
    if query.count('"') % 2:
        raise QueryError(f"cannot read the search {query!r}: a double quote is not closed; {QUERY_HELP}")
    items: list[str] = []  # phrases, "(", ")", AND, OR, NOT
    excluded: list[str] = []
    tokens = _QUERY_TOKEN.findall(query)
    for i, tok in enumerate(tokens):
        if tok in ("(", ")"):
            items.append(tok)
            continue
        op = tok.upper()
        if op in _OPERATORS and (tok == op or _operator_here(items, tokens[i + 1:], op)):
            if op == "NOT" and items and items[-1] == "AND":
                items[-1] = "NOT"  # "a AND NOT b": FTS5's NOT is already "and not"
            else:
                items.append(op)
            continue
        negative = tok.startswith("-") and len(tok) > 1
        prefix = tok.endswith("*")
        words = _words(tok.lstrip("-").rstrip("*").strip('"') if negative else tok.rstrip("*").strip('"'))
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"' + ("*" if prefix else "")
        if negative:
            excluded.append(phrase)
        else:
            items.append(phrase)
    return _checked(items, excluded, query)


def _unreadable(query: str, problem: str) -> QueryError:
    return QueryError(f"cannot read the search {query!r}: {problem}; {QUERY_HELP}")


def _operator_here(items: list[str], rest: list[str], op: str) -> bool:
    """Whether a lower-case and/or/not stands between two terms (else it is a word)."""
    after_term = bool(items) and (items[-1] == ")" or items[-1].startswith('"')
                                  or (op == "NOT" and items[-1] == "AND"))  # "a and not b"
    nxt = rest[0].upper() if rest else ")"
    before_term = nxt != ")" and (nxt not in _OPERATORS or (nxt == "NOT" and op != "NOT" and len(rest) > 1))
    return after_term and before_term


def _checked(items: list[str], excluded: list[str], query: str) -> str:
    """``items`` made a valid FTS5 expression, the ``excluded`` phrases taken out of it."""
    out: list[str] = []
    depth = 0
    for p in items:
        operand_before = bool(out) and (out[-1] == ")" or out[-1].startswith('"'))
        if p in _OPERATORS:
            if not operand_before:
                hint = " (or -word after a word to leave it out)" if p == "NOT" else ""
                raise _unreadable(query, f"{p} needs a term before it{hint}")
            out.append(p)
            continue
        if p == ")":
            if depth == 0:
                raise _unreadable(query, "a ')' has no '(' before it")
            if out and out[-1] in _OPERATORS:
                raise _unreadable(query, f"{out[-1]} needs a term after it")
            if out and out[-1] == "(":
                out.pop()  # "()" holds nothing
                depth -= 1
                continue
            depth -= 1
            out.append(p)
            continue
        if operand_before:  # FTS5 reads juxtaposed phrases as AND, but not next to a parenthesis
            out.append("AND")
        if p == "(":
            depth += 1
        out.append(p)
    if depth:
        raise _unreadable(query, "a '(' is not closed")
    if out and out[-1] in _OPERATORS:
        raise _unreadable(query, f"{out[-1]} needs a term after it")
    if not any(p.startswith('"') for p in out):
        if excluded:
            raise QueryError(f"cannot search {query!r}: it only leaves words out; add a word to look for")
        raise QueryError(f"nothing to search for in {query!r}: {QUERY_HELP}")
    expr = " ".join(out)
    if excluded:
        expr = f"({expr})" if len(out) > 1 else expr
        expr += "".join(f" NOT {x}" for x in excluded)
    return expr


class SQLiteStore:
    """A veille store in one SQLite file (the :class:`~veille.store.base.WatchStore`
    protocol). Use :func:`open_store` to get one.

    Reads return plain dicts (the export shape for whole articles). Writes happen in
    one transaction per call; a failed or interrupted call leaves the store as it was.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout: float = 30.0):
        self.path = Path(path)
        self.readonly = readonly
        self._conn: sqlite3.Connection | None = None
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; give a file name for the store (e.g. --db veille.db)")
        if readonly and not self.path.exists():
            raise StoreError(f"no store at {self.path}: run 'veille run PATH --db {self.path}' first")
        self.snapshot = False  # read as a snapshot (SQLite's immutable mode): see _open_readonly
        self._writing = 0  # depth of writer() blocks held by this object
        try:
            if readonly:
                self._open_readonly(timeout)
            else:
                if not self.path.parent.exists():
                    raise StoreError(f"cannot create the store {self.path}: the folder "
                                     f"{self.path.parent} does not exist")
                self._conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
                self._setup(timeout)
        except sqlite3.OperationalError as e:
            self.close()
            if not readonly and _cannot_write(e):
                what = "write to" if self.path.exists() else "create"
                raise StoreError(f"cannot {what} the store {self.path}: the file or its folder "
                                 f"{self.path.parent} cannot be written ({e}); check the permissions or "
                                 "give a store in another folder with --db") from e
            raise StoreError(f"{self.path}: cannot open the store ({e}); check that this user can read "
                             "it and its folder") from e
        except sqlite3.DatabaseError as e:
            self.close()
            raise StoreError(f"{self.path}: not a veille store or damaged ({e}); "
                             "give another file with --db") from e

    def _setup(self, timeout: float) -> None:
        conn = self.conn
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        self._prepare()

    def _open_readonly(self, timeout: float) -> None:
        """Open for reading only (``mode=ro``). A store in a folder this user cannot write
        (a read-only deployment of ``veille serve``) cannot get the shared-memory file that
        reading a WAL store needs: it is then read as a snapshot (``immutable=1``), unless a
        run's changes still wait in its ``-wal`` file, which a snapshot would not see."""
        uri = self.path.resolve().as_uri()
        try:
            self._conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
            self._setup(timeout)
            return
        except sqlite3.OperationalError as e:
            self.close()
            if not _cannot_write(e):
                raise
            wal = self.path.with_name(self.path.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise StoreError(f"cannot read the store {self.path}: its folder cannot be written, which "
                                 f"reading needs while a run's changes wait in {wal.name}; let a user who "
                                 "can write the folder open it once (veille errors --db ...) or copy "
                                 "the store elsewhere") from e
        self._conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout,
                                     isolation_level=None)
        self.snapshot = True
        self._setup(timeout)

    # -- set-up ------------------------------------------------------------------------
    def _prepare(self) -> None:
        conn = self.conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer veille (store version {version}, "
                             f"this one reads up to {SCHEMA_VERSION}); upgrade veille")
        self.version = version
        if self.readonly:
            if version == 0:
                raise StoreError(f"{self.path} is not a veille store yet: run 'veille run PATH --db "
                                 f"{self.path}' first")
            return
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        self.version = SCHEMA_VERSION
        if version < SCHEMA_VERSION:
            try:
                conn.create_function("veille_goldstein", 1, goldstein, deterministic=True)
                conn.create_function("veille_quad_class", 1, quad_class, deterministic=True)
                before, after = _migration(version)
                conn.executescript("BEGIN;" + before + _schema() + after
                                   + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
            except sqlite3.OperationalError as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if "fts5" in str(e).lower():
                    raise StoreError("this Python's SQLite has no FTS5 full-text search; "
                                     "install a Python built with a recent SQLite") from e
                raise

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection."""
        if self._conn is None:
            raise StoreError(f"the store {self.path} is closed")
        return self._conn

    def watch_state(self, *, readonly: bool = False) -> WatchState:
        """What ``veille watch`` remembers between rounds, in tables of the same file."""
        return WatchState(self.conn, readonly=readonly or self.readonly)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._conn is not None:
            try:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
            finally:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _writable(self) -> sqlite3.Connection:
        if self.readonly:
            raise StoreError(f"the store {self.path} was opened read-only")
        return self.conn

    def _transaction(self) -> _Transaction:
        return _Transaction(self._writable())

    # -- writes ------------------------------------------------------------------------
    def add(self, batch: Iterable[AnnotatedArticle | Article | Failure], *, stories: Iterable[Story] = (),
            states: Mapping[str, dict[str, Any]] | None = None) -> AddResult:
        """Store a batch of articles and failures in one transaction, with the stories and
        the corpus stages' states that describe them (so that the store never holds
        articles its saved states do not know, whatever stops the run).

        An article whose id is stored already is left unchanged. A new article from the
        same source and locator as a stored one (the file changed) replaces it. Storing
        an article clears the failures recorded for its source and locator.
        """
        result = AddResult()
        with self._transaction() as conn:
            stamp = now()
            for item in batch:
                if isinstance(item, Failure):
                    self._put_failure(conn, item, stamp)
                    result.failures += 1
                elif isinstance(item, Article):
                    art = item if isinstance(item, AnnotatedArticle) else AnnotatedArticle.from_article(item)
                    self._put_article(conn, art, stamp, result)
                else:
                    raise StoreError(f"cannot store a {type(item).__name__}: expected articles or failures")
            for story in stories:
                self._put_story(conn, story, stamp)
            for name, data in (states or {}).items():
                self._put_state(conn, name, data, stamp)
        return result

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the right to write as one run: one writer at a time per store. While another
        process holds it, say so (a warning naming it) and wait; Ctrl-C stops the wait. The
        lock is the file ``STORE.lock`` beside the store, released by the system when its
        holder ends, even killed."""
        if self._writing:
            self._writing += 1
            try:
                yield
            finally:
                self._writing -= 1
            return
        self._writable()
        handle = _lock(self.path)
        self._writing = 1
        try:
            yield
        finally:
            self._writing = 0
            handle.release()

    def _put_failure(self, conn: sqlite3.Connection, f: Failure, stamp: str) -> None:
        conn.execute("INSERT OR REPLACE INTO failures(source, locator, stage, reason, time) VALUES (?,?,?,?,?)",
                     (f.source, f.locator or "", f.stage or "", f.reason, stamp))

    def _put_article(self, conn: sqlite3.Connection, art: AnnotatedArticle, stamp: str,
                     result: AddResult) -> None:
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", (art.id,)).fetchone():
            result.known += 1
            return
        for row in conn.execute("SELECT id, story FROM articles WHERE source = ? AND locator = ? AND id != ?",
                                (art.source, art.locator or "", art.id)).fetchall():
            self._delete_article(conn, row["id"])
            result.replaced.append(row["id"])
            if row["story"]:
                result.touched_stories.add(row["story"])
        d = art.as_dict()
        values = [d.get(c) for c in _PLAIN_COLUMNS]
        values[_PLAIN_COLUMNS.index("locator")] = art.locator or ""
        values += [_dumps(d.get(c) or []) for c in _JSON_COLUMNS]
        values += [_dumps({k: d[k] for k in _EXTRA_FIELDS if k in d}), stamp]
        conn.execute(f"INSERT INTO articles({', '.join(_ARTICLE_COLUMNS)}) "
                     f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))})", values)
        conn.executemany(
            "INSERT INTO events(article_id, idx, type, cameo, actor, recipient, modality, according_to, date, "
            "span_start, span_end, sentence, context, trigger, goldstein, quad_class) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(art.id, i, e.type, e.cameo, e.actor, e.recipient, e.modality, e.according_to,
              e.date or art.published, e.span[0] if e.span else None, e.span[1] if e.span else None,
              e.sentence, _dumps(list(e.context)), e.trigger, goldstein(e.cameo), quad_class(e.type))
             for i, e in enumerate(art.events)])
        for a in art.actors:
            conn.execute("INSERT INTO actors(id, name, kind, country, sector) VALUES (?,?,?,?,?) "
                         "ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                         "country = coalesce(excluded.country, actors.country), "
                         "sector = coalesce(excluded.sector, actors.sector)",
                         (a.id, a.name or a.id, a.kind, a.country, a.sector))
            conn.execute("INSERT OR REPLACE INTO actor_mentions(article_id, actor_id, name, aliases, mentions, "
                         "n_mentions) VALUES (?,?,?,?,?,?)",
                         (art.id, a.id, a.name, _dumps(list(a.aliases)), _dumps([list(m) for m in a.mentions]),
                          len(a.mentions)))
        conn.executemany(
            "INSERT INTO quotes(article_id, idx, speaker, speaker_name, text, direct, span_start, span_end) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [(art.id, i, q.speaker, q.speaker_name, q.text, int(bool(q.direct)),
              q.span[0] if q.span else None, q.span[1] if q.span else None) for i, q in enumerate(art.quotes)])
        conn.execute("DELETE FROM failures WHERE source = ? AND locator IN (?, '')",
                     (art.source, art.locator or ""))
        result.added.append(art.id)

    def _delete_article(self, conn: sqlite3.Connection, article_id: str) -> None:
        for table, col in (("events", "article_id"), ("event_mentions", "article_id"),
                           ("actor_mentions", "article_id"), ("quotes", "article_id"),
                           ("story_articles", "article_id"), ("articles", "id")):
            conn.execute(f"DELETE FROM {table} WHERE {col} = ?", (article_id,))

    def put_failures(self, failures: Iterable[Failure]) -> int:
        """Record failures (one transaction); the same source, locator and stage is replaced."""
        n = 0
        with self._transaction() as conn:
            stamp = now()
            for f in failures:
                self._put_failure(conn, f, stamp)
                n += 1
        return n

    def put_stories(self, stories: Iterable[Story]) -> int:
        """Insert or replace stories and their membership (one transaction).

        Members that are not stored (yet, or any more) are left out of the membership.
        """
        n = 0
        with self._transaction() as conn:
            stamp = now()
            for s in stories:
                self._put_story(conn, s, stamp)
                n += 1
        return n

    def _put_story(self, conn: sqlite3.Connection, s: Story, stamp: str) -> None:
        conn.execute("DELETE FROM story_articles WHERE story_id = ?", (s.id,))
        conn.executemany("INSERT OR IGNORE INTO story_articles(story_id, article_id) "
                         "SELECT ?, id FROM articles WHERE id = ?",
                         [(s.id, aid) for aid in s.article_ids])
        count = conn.execute("SELECT count(*) FROM story_articles WHERE story_id = ?", (s.id,)).fetchone()[0]
        conn.execute(
            "INSERT OR REPLACE INTO stories(id, title, first_published, last_published, n_articles, "
            "actors, outlets, cited_sources, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (s.id, s.title, s.first_published, s.last_published, count, _dumps(list(s.actors)),
             _dumps(list(s.outlets)), _dumps(list(s.cited_sources)), stamp))

    def put_state(self, name: str, data: dict[str, Any]) -> None:
        """Save the JSON-ready state of a corpus stage under ``name``."""
        with self._transaction() as conn:
            self._put_state(conn, name, data, now())

    def _put_state(self, conn: sqlite3.Connection, name: str, data: dict[str, Any], stamp: str) -> None:
        conn.execute("INSERT OR REPLACE INTO state(name, data, updated_at) VALUES (?,?,?)",
                     (name, _dumps(data), stamp))

    # -- event records ---------------------------------------------------------------------
    def event_inputs(self, story_id: str) -> list[AnnotatedArticle]:
        """What the event records of a story are made from: its articles as records without
        their text (id, outlet, published, duplicate_of, story, actors, cited_sources, events)."""
        rows = self.conn.execute(
            "SELECT id, source, locator, outlet, published, duplicate_of, story, actors, cited_sources, events "
            "FROM articles WHERE story = ? ORDER BY seq", (story_id,))
        return [AnnotatedArticle.from_dict({
            "id": r["id"], "source": r["source"], "locator": r["locator"], "text": "", "outlet": r["outlet"],
            "published": r["published"], "duplicate_of": r["duplicate_of"], "story": r["story"],
            "actors": json.loads(r["actors"]), "cited_sources": json.loads(r["cited_sources"]),
            "events": json.loads(r["events"])}) for r in rows]

    def story_ids(self, *, batch: int = 1000) -> Iterator[str]:
        """Every story id, read ``batch`` at a time."""
        last = ""
        while True:
            rows = [r[0] for r in self.conn.execute("SELECT id FROM stories WHERE id > ? ORDER BY id LIMIT ?",
                                                    (last, batch))]
            if not rows:
                return
            yield from rows
            last = rows[-1]

    def put_event_records(self, by_story: Mapping[str, Iterable[EventRecord]], *,
                          states: Mapping[str, dict[str, Any]] | None = None) -> int:
        """Replace the event records of each story in ``by_story`` (one transaction, with the
        ``states`` given); returns the number of records written."""
        n = 0
        with self._transaction() as conn:
            stamp = now()
            for story_id, records in by_story.items():
                conn.execute("DELETE FROM event_mentions WHERE record_id IN "
                             "(SELECT id FROM event_records WHERE story = ?)", (story_id,))
                conn.execute("DELETE FROM event_records WHERE story = ?", (story_id,))
                for r in records:
                    self._put_event_record(conn, r)
                    n += 1
            for name, data in (states or {}).items():
                self._put_state(conn, name, data, stamp)
        return n

    def _put_event_record(self, conn: sqlite3.Connection, r: EventRecord) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO event_records(id, story, type, cameo, actor, recipient, date, goldstein, "
            "quad_class, first_reported, last_reported, n_mentions, n_articles, n_outlets, n_sources, outlets, "
            "sources, modalities, place) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.id, r.story, r.type, r.cameo, r.actor, r.recipient, r.date, r.goldstein, r.quad_class,
             r.first_reported, r.last_reported, r.n_mentions, r.n_articles, r.n_outlets, r.n_sources,
             _dumps(r.outlets), _dumps(r.sources), _dumps(r.modalities),
             _dumps(r.place) if r.place else None))
        conn.executemany("INSERT OR REPLACE INTO event_mentions(record_id, article_id, idx, source_key) "
                         "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)",
                         [(r.id, m.article, m.idx, m.source, m.article) for m in r.mentions])

    # -- reads: event records ------------------------------------------------------------
    _RECORD_SELECT = (
        "SELECT r.*, ac.name AS actor_name, ac.country AS actor_country, ac.sector AS actor_sector, "
        "rc.name AS recipient_name, rc.country AS recipient_country, rc.sector AS recipient_sector "
        "FROM event_records r LEFT JOIN actors ac ON ac.id = r.actor LEFT JOIN actors rc ON rc.id = r.recipient ")

    @staticmethod
    def _record_dict(row: sqlite3.Row) -> dict[str, Any]:
        d = dict(row)
        for c, empty in (("outlets", "[]"), ("sources", "[]"), ("modalities", "{}")):
            d[c] = json.loads(d[c] or empty)
        if "place" in d:
            d["place"] = json.loads(d["place"]) if d["place"] else None
        return d

    def _record_mentions(self, record_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT m.article_id AS article, m.idx, m.source_key AS source, e.modality, e.according_to, "
            "e.span_start, e.span_end, e.sentence, e.cameo, a.outlet, a.published, a.title, a.url, a.source "
            "AS article_source, a.duplicate_of FROM event_mentions m JOIN events e ON e.article_id = m.article_id "
            "AND e.idx = m.idx JOIN articles a ON a.id = m.article_id WHERE m.record_id = ? "
            "ORDER BY a.published IS NULL, a.published, a.id, m.idx LIMIT ?",
            (record_id, -1 if limit is None else int(limit)))
        out = []
        for r in rows:
            d = dict(r)
            d["span"] = [d.pop("span_start"), d.pop("span_end")]
            out.append(d)
        return out

    def _has_event_records(self) -> None:
        """StoreError, saying what to do, for a store older than event records (read-only)."""
        if getattr(self, "version", SCHEMA_VERSION) < SCHEMA_VERSION:
            raise StoreError(f"the store {self.path} was written by an older veille (store version {self.version}) "
                             f"and has no event records yet: run 'veille run PATH --db {self.path}' (or "
                             "'veille import') once to bring it up to date")

    def event_records(self, *, actor: str | None = None, recipient: str | None = None,
                      type: str | None = None, modality: str | None = None, outlet: str | None = None,
                      story: str | None = None, since: str | None = None, until: str | None = None,
                      limit: int | None = 50, offset: int = 0,
                      mentions: bool = False) -> list[dict[str, Any]]:
        """Event records, most recently reported first, with the names, countries and sectors
        of actor and recipient and ``evidence`` (the first report's sentence, article, outlet,
        date and span); with ``mentions``, every mention too. ``modality`` and ``outlet``
        keep the records one of whose mentions has it; ``since`` and ``until`` compare the
        record's date (else its first report) with a date or its start ("2024-01").
        Filters combine with AND."""
        self._has_event_records()
        cond, args = [], []
        for col, value in (("r.actor", actor), ("r.recipient", recipient), ("r.type", type),
                           ("r.story", story)):
            if value is not None:
                cond.append(f"{col} = ?")
                args.append(value)
        if modality is not None:
            cond.append("EXISTS (SELECT 1 FROM event_mentions m JOIN events e ON e.article_id = m.article_id "
                        "AND e.idx = m.idx WHERE m.record_id = r.id AND e.modality = ?)")
            args.append(modality)
        if outlet is not None:
            cond.append("EXISTS (SELECT 1 FROM event_mentions m JOIN articles a ON a.id = m.article_id "
                        "WHERE m.record_id = r.id AND a.outlet = ? COLLATE NOCASE)")
            args.append(outlet)
        when = "coalesce(r.date, r.first_reported)"
        if since:
            cond.append(f"{when} >= ?")
            args.append(since)
        if until:
            cond.append(f"substr({when}, 1, ?) <= ?")
            args += [len(until), until]
        where = "WHERE " + " AND ".join(cond) if cond else ""
        rows = self.conn.execute(
            self._RECORD_SELECT + f"{where} ORDER BY r.last_reported IS NULL, r.last_reported DESC, "
            "r.first_reported DESC, r.id LIMIT ? OFFSET ?", [*args, -1 if limit is None else int(limit), int(offset)])
        out = []
        for row in rows.fetchall():
            d = self._record_dict(row)
            found = self._record_mentions(d["id"], None if mentions else 1)
            d["evidence"] = found[0] if found else None
            if mentions:
                d["mentions"] = found
            out.append(d)
        return out

    def event_rows(self, *, per: str = "record", batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every event record (``per="record"``, with ``first_url`` and ``first_source``, the
        first report's URL and input) or every mention of one (``per="mention"``, the record's
        fields and the mention's article, modality, span and sentence), as flat rows read
        ``batch`` at a time: memory stays flat whatever the store's size."""
        if per not in ("record", "mention"):
            raise StoreError(f"unknown event row kind {per!r}: record or mention")
        self._has_event_records()
        if per == "record":
            last = 0
            while True:
                rows = self.conn.execute(
                    "SELECT r.rowid AS row_key, r.*, ac.name AS actor_name, ac.country AS actor_country, "
                    "ac.sector AS actor_sector, rc.name AS recipient_name, rc.country AS recipient_country, "
                    "rc.sector AS recipient_sector, (SELECT coalesce(a.url, '') || char(31) || a.source "
                    "FROM event_mentions m JOIN articles a ON a.id = m.article_id WHERE m.record_id = r.id "
                    "ORDER BY a.published IS NULL, a.published, a.id LIMIT 1) AS first_report "
                    "FROM event_records r LEFT JOIN actors ac ON ac.id = r.actor "
                    "LEFT JOIN actors rc ON rc.id = r.recipient WHERE r.rowid > ? ORDER BY r.rowid LIMIT ?",
                    (last, int(batch))).fetchall()
                if not rows:
                    return
                for row in rows:
                    d = self._record_dict(row)
                    url, _, source = (d.pop("first_report") or "\x1f").partition("\x1f")
                    d["first_url"], d["first_source"] = url or None, source or None
                    d.pop("row_key")
                    yield d
                last = rows[-1]["row_key"]
        key: tuple[str, str, int] = ("", "", -1)
        while True:
            rows = self.conn.execute(
                "SELECT m.record_id, m.article_id, m.idx, m.source_key, e.modality, e.according_to, "
                "e.span_start, e.span_end, e.sentence, e.cameo AS mention_cameo, e.goldstein AS mention_goldstein, "
                "a.published, a.outlet, a.url, a.source, r.story, r.type, r.cameo, r.actor, r.recipient, r.date, "
                "r.goldstein, r.quad_class, r.first_reported, r.last_reported, r.n_mentions, r.n_articles, "
                "r.n_outlets, r.n_sources, r.place, ac.name AS actor_name, ac.country AS actor_country, "
                "ac.sector AS actor_sector, rc.name AS recipient_name, rc.country AS recipient_country, "
                "rc.sector AS recipient_sector FROM event_mentions m "
                "JOIN event_records r ON r.id = m.record_id "
                "JOIN events e ON e.article_id = m.article_id AND e.idx = m.idx "
                "JOIN articles a ON a.id = m.article_id LEFT JOIN actors ac ON ac.id = r.actor "
                "LEFT JOIN actors rc ON rc.id = r.recipient WHERE (m.record_id, m.article_id, m.idx) > (?, ?, ?) "
                "ORDER BY m.record_id, m.article_id, m.idx LIMIT ?", (*key, int(batch))).fetchall()
            if not rows:
                return
            for row in rows:
                d = dict(row)
                d["id"] = d.pop("record_id")
                d["place"] = json.loads(d["place"]) if d["place"] else None
                yield d
            last_row = rows[-1]
            key = (last_row["record_id"], last_row["article_id"], last_row["idx"])

    # -- reads: state and membership ------------------------------------------------------
    def state(self, name: str) -> dict[str, Any] | None:
        """The state saved under ``name``, or None."""
        row = self.conn.execute("SELECT data FROM state WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else None

    def original_with_hash(self, content_hash: str) -> str | None:
        row = self.conn.execute("SELECT coalesce(duplicate_of, id) FROM articles WHERE content_hash = ? "
                                "ORDER BY seq LIMIT 1", (content_hash,)).fetchone()
        return row[0] if row else None

    def has(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def known(self, ids: Iterable[str]) -> set[str]:
        """The ids among ``ids`` that are stored."""
        ids = list(dict.fromkeys(ids))
        out: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.conn.execute(f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                                     chunk)
            out.update(r[0] for r in rows)
        return out

    # -- reads: articles ---------------------------------------------------------------
    def _record(self, row: sqlite3.Row) -> AnnotatedArticle:
        d: dict[str, Any] = {c: row[c] for c in _PLAIN_COLUMNS}
        for c in _JSON_COLUMNS:
            d[c] = json.loads(row[c])
        d.update(json.loads(row["extra"] or "{}"))
        return AnnotatedArticle.from_dict(d)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article in the export shape, plus ``locator`` and ``paragraphs``; None if unknown."""
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        rec = self._record(row)
        return rec.export() | {"locator": rec.locator, "paragraphs": [list(p) for p in rec.paragraphs]}

    def get(self, article_id: str) -> AnnotatedArticle | None:
        """One article as a record, or None."""
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return self._record(row) if row else None

    def articles(self, limit: int | None = 50, offset: int = 0, *, story: str | None = None,
                 lang: str | None = None, outlet: str | None = None, source: str | None = None,
                 since: str | None = None, until: str | None = None,
                 originals: bool = False) -> list[dict[str, Any]]:
        """Article summaries (no text), newest first; filters combine with AND.

        ``originals`` leaves out duplicates. Each has id, source, locator, url, outlet,
        title, published, lang, duplicate_of, story.
        """
        where, args = self._article_filters(story=story, lang=lang, outlet=outlet, source=source,
                                            since=since, until=until, originals=originals)
        sql = (f"SELECT {', '.join(_SUMMARY)} FROM articles {where} "
               "ORDER BY published IS NULL, published DESC, seq DESC LIMIT ? OFFSET ?")
        rows = self.conn.execute(sql, [*args, -1 if limit is None else int(limit), int(offset)])
        return [dict(r) for r in rows]

    def count(self, **filters: Any) -> int:
        """The number of articles matching the filters of :meth:`articles`."""
        where, args = self._article_filters(**filters)
        return self.conn.execute(f"SELECT count(*) FROM articles {where}", args).fetchone()[0]

    @staticmethod
    def _article_filters(*, story: str | None = None, lang: str | None = None, outlet: str | None = None,
                         source: str | None = None, since: str | None = None, until: str | None = None,
                         originals: bool = False) -> tuple[str, list[Any]]:
        cond, args = [], []
        for col, value in (("story", story), ("lang", lang), ("outlet", outlet), ("source", source)):
            if value is not None:
                cond.append(f"{col} = ?")
                args.append(value)
        if since:
            cond.append("published >= ?")
            args.append(since)
        if until:
            cond.append("substr(published, 1, ?) <= ?")
            args += [len(until), until]
        if originals:
            cond.append("duplicate_of IS NULL")
        return ("WHERE " + " AND ".join(cond) if cond else ""), args

    def export(self, *, story: str | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Every article in the export shape (one JSONL line each), in the order stored.

        Reads ``batch`` rows at a time, so memory stays flat on large stores.
        """
        last = 0
        while True:
            args: list[Any] = [last]
            extra = ""
            if story is not None:
                extra = " AND story = ?"
                args.append(story)
            rows = self.conn.execute(f"SELECT * FROM articles WHERE seq > ?{extra} ORDER BY seq LIMIT ?",
                                     [*args, batch]).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._record(row).export()
            last = rows[-1]["seq"]

    def records(self, *, batch: int = 500) -> Iterator[AnnotatedArticle]:
        """Every stored article as a record, in the order stored."""
        last = 0
        while True:
            rows = self.conn.execute("SELECT * FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                                     (last, batch)).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._record(row)
            last = rows[-1]["seq"]

    # -- reads: search -----------------------------------------------------------------
    def search(self, query: str, limit: int = 20, offset: int = 0, *,
               mark: tuple[str, str] = MARK, words: int = 16, **facets: str | None) -> list[dict[str, Any]]:
        """Articles matching ``query``, best first, with a snippet where matched words sit
        between ``mark[0]`` and ``mark[1]``. Accents, case and French elisions do not matter.
        ``facets`` narrow the hits (see :data:`~veille.store.base.SEARCH_FACETS`).

        Raises QueryError (with how to write the query) when it cannot be read.
        """
        match = fts_query(query)
        cond, args = self._search_facets(**facets)
        sql = ("SELECT a.id, a.title, a.outlet, a.published, a.source, a.story, a.duplicate_of, "
               "snippet(articles_fts, -1, ?, ?, '…', ?) AS snippet, bm25(articles_fts) AS rank "
               "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
               f"WHERE articles_fts MATCH ? {cond} ORDER BY rank, a.seq LIMIT ? OFFSET ?")
        try:
            rows = self.conn.execute(sql, (mark[0], mark[1], int(words), match, *args, int(limit), int(offset)))
            return [dict(r) for r in rows]
        except sqlite3.OperationalError as e:
            raise QueryError(f"cannot read the search {query!r} ({e}); {QUERY_HELP}") from e

    def search_count(self, query: str, **facets: str | None) -> int:
        """How many articles match ``query`` (and the ``facets``)."""
        match = fts_query(query)
        cond, args = self._search_facets(**facets)
        try:
            return self.conn.execute("SELECT count(*) FROM articles_fts JOIN articles a ON a.seq = "
                                     f"articles_fts.rowid WHERE articles_fts MATCH ? {cond}",
                                     (match, *args)).fetchone()[0]
        except sqlite3.OperationalError as e:
            raise QueryError(f"cannot read the search {query!r} ({e}); {QUERY_HELP}") from e

    @staticmethod
    def _search_facets(*, outlet: str | None = None, since: str | None = None, until: str | None = None,
                       actor: str | None = None, type: str | None = None) -> tuple[str, list[Any]]:
        cond, args = [], []
        if outlet:
            cond.append("a.outlet = ?")
            args.append(outlet)
        if since:
            cond.append("a.published >= ?")
            args.append(since)
        if until:
            cond.append("substr(a.published, 1, ?) <= ?")
            args += [len(until), until]
        if actor:
            cond.append("EXISTS (SELECT 1 FROM actor_mentions m WHERE m.article_id = a.id AND m.actor_id = ?)")
            args.append(actor)
        if type:
            # +e.type: the article's own events (primary key), not every event of the type
            cond.append("EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.id AND +e.type = ?)")
            args.append(type)
        return "".join(" AND " + c for c in cond), args

    # -- reads: failures ---------------------------------------------------------------
    def errors(self, limit: int | None = None, offset: int = 0, *,
               source: str | None = None) -> list[dict[str, Any]]:
        """Recorded failures (source, locator, stage, reason, time), oldest first."""
        cond, args = ("WHERE source = ?", [source]) if source is not None else ("", [])
        rows = self.conn.execute(f"SELECT source, locator, stage, reason, time FROM failures {cond} "
                                 "ORDER BY time, source, locator, stage LIMIT ? OFFSET ?",
                                 [*args, -1 if limit is None else int(limit), int(offset)])
        return [dict(r) for r in rows]

    # -- reads: events, actors, quotes ---------------------------------------------------
    def events(self, *, actor: str | None = None, recipient: str | None = None, type: str | None = None,
               modality: str | None = None, article: str | None = None, story: str | None = None,
               since: str | None = None, until: str | None = None, limit: int | None = 50,
               offset: int = 0) -> list[dict[str, Any]]:
        """Events, newest first, with their article (id, story, outlet, published) and the
        names and countries of actor and recipient. Filters combine with AND."""
        cond, args = [], []
        for col, value in (("e.actor", actor), ("e.recipient", recipient), ("e.type", type),
                           ("e.modality", modality), ("e.article_id", article), ("a.story", story)):
            if value is not None:
                cond.append(f"{col} = ?")
                args.append(value)
        if since:
            cond.append("e.date >= ?")
            args.append(since)
        if until:
            cond.append("substr(e.date, 1, ?) <= ?")
            args += [len(until), until]
        where = "WHERE " + " AND ".join(cond) if cond else ""
        sql = ("SELECT e.*, a.story, a.outlet, a.published, a.title AS article_title, "
               "ac.name AS actor_name, ac.country AS actor_country, "
               "rc.name AS recipient_name, rc.country AS recipient_country "
               "FROM events e JOIN articles a ON a.id = e.article_id "
               "LEFT JOIN actors ac ON ac.id = e.actor LEFT JOIN actors rc ON rc.id = e.recipient "
               f"{where} ORDER BY e.date DESC, e.article_id, e.idx LIMIT ? OFFSET ?")
        out = []
        for r in self.conn.execute(sql, [*args, -1 if limit is None else int(limit), int(offset)]):
            d = dict(r)
            d["article"] = d.pop("article_id")
            d["span"] = [d.pop("span_start"), d.pop("span_end")]
            d["context"] = json.loads(d["context"] or "[]")
            out.append(d)
        return out

    def actors(self, limit: int | None = 100, offset: int = 0, *,
               kind: str | None = None) -> list[dict[str, Any]]:
        """Actors by the number of articles that mention them: id, name, kind, country,
        sector, articles, mentions."""
        cond, args = ("WHERE a.kind = ?", [kind]) if kind else ("", [])
        sql = ("SELECT a.id, a.name, a.kind, a.country, a.sector, count(*) AS articles, "
               "sum(m.n_mentions) AS mentions FROM actor_mentions m JOIN actors a ON a.id = m.actor_id "
               f"{cond} GROUP BY a.id ORDER BY articles DESC, mentions DESC, a.id LIMIT ? OFFSET ?")
        rows = self.conn.execute(sql, [*args, -1 if limit is None else int(limit), int(offset)])
        return [dict(r) for r in rows]

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        """One actor with its aliases (as written in up to 500 of its articles), the number of
        articles and mentions; None if unknown."""
        row = self.conn.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
        if row is None:
            return None
        d = dict(row)
        articles, mentions = self.conn.execute(
            "SELECT count(*), coalesce(sum(n_mentions), 0) FROM actor_mentions WHERE actor_id = ?",
            (actor_id,)).fetchone()
        aliases: dict[str, None] = {}
        for m in self.conn.execute("SELECT aliases FROM actor_mentions WHERE actor_id = ? LIMIT 500",
                                   (actor_id,)):
            aliases.update(dict.fromkeys(json.loads(m["aliases"])))
        d.update(aliases=sorted(aliases), articles=articles, mentions=mentions)
        return d

    def actor_names(self) -> list[tuple[str, str]]:
        """Every (actor id, name) pair: names from the actors table, aliases from the mentions."""
        rows = self.conn.execute(
            "SELECT id, name FROM actors UNION SELECT m.actor_id, j.value FROM actor_mentions m, "
            "json_each(m.aliases) j WHERE j.type = 'text'")
        return [(aid, name) for aid, name in rows if name]

    def quotes(self, *, speaker: str | None = None, article: str | None = None, story: str | None = None,
               limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes with their article (id, story, outlet, published), newest first."""
        cond, args = [], []
        for col, value in (("q.speaker", speaker), ("q.article_id", article), ("a.story", story)):
            if value is not None:
                cond.append(f"{col} = ?")
                args.append(value)
        where = "WHERE " + " AND ".join(cond) if cond else ""
        sql = ("SELECT q.*, a.story, a.outlet, a.published FROM quotes q JOIN articles a ON a.id = q.article_id "
               f"{where} ORDER BY a.published IS NULL, a.published DESC, a.seq, q.idx LIMIT ? OFFSET ?")
        out = []
        for r in self.conn.execute(sql, [*args, -1 if limit is None else int(limit), int(offset)]):
            d = dict(r)
            d["article"] = d.pop("article_id")
            d["span"] = [d.pop("span_start"), d.pop("span_end")]
            d["direct"] = bool(d["direct"])
            out.append(d)
        return out

    # -- reads: stories ----------------------------------------------------------------
    def _story_dict(self, row: sqlite3.Row) -> dict[str, Any]:
        d = dict(row)
        for c in ("actors", "outlets", "cited_sources"):
            d[c] = json.loads(d[c] or "[]")
        d.pop("updated_at", None)
        return d

    def _with_actor_names(self, stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = sorted({a for s in stories for a in s["actors"]})
        names: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in self.conn.execute(f"SELECT id, name FROM actors WHERE id IN ({','.join('?' * len(chunk))})",
                                       chunk):
                names[r[0]] = r[1]
        for s in stories:
            s["actors"] = [{"id": a, "name": names.get(a, a)} for a in s["actors"]]
        return stories

    def stories(self, limit: int | None = None, offset: int = 0, *, since: str | None = None,
                until: str | None = None, actor: str | None = None, type: str | None = None,
                lang: str | None = None, order: str = "recent",
                growth: tuple[str, str] | None = None) -> list[dict[str, Any]]:
        """Stories, most recently active first: id, title, first_published, last_published,
        n_articles, actors ([{id, name}]), outlets, cited_sources. Filters combine with AND.

        ``order`` is ``recent`` (the default), ``size`` (most articles first) or ``growth``
        (``growth`` = (start, middle) dates: most articles published from ``middle`` on, less
        those published from ``start`` to before ``middle``, first); ties by recency."""
        if order not in STORY_ORDERS:
            raise ValueError(f"order must be one of {', '.join(STORY_ORDERS)}, got {order!r}")
        if order == "growth" and not growth:
            raise ValueError("order='growth' needs growth=(start, middle) dates")
        cond, args = [], []
        if since:
            cond.append("s.last_published >= ?")
            args.append(since)
        if until:
            cond.append("substr(s.first_published, 1, ?) <= ?")
            args += [len(until), until]
        # Each filter is written two ways: a rare value drives the query (its few articles
        # give the stories: IN), a common one is checked story by story in date order
        # (EXISTS, which stops at the page's end). Counting the matches decides, with a cap.
        for value, count_sql, in_sql, exists_sql in (
            (actor, "SELECT 1 FROM actor_mentions WHERE actor_id = ?",
             ("s.id IN (SELECT sa.story_id FROM actor_mentions m JOIN story_articles sa "
              "ON sa.article_id = m.article_id WHERE m.actor_id = ?)"),
             ("EXISTS (SELECT 1 FROM story_articles sa CROSS JOIN actor_mentions m WHERE sa.story_id = s.id "
             "AND m.article_id = sa.article_id AND m.actor_id = ?)")),
            (type, "SELECT 1 FROM events WHERE type = ?",
             ("s.id IN (SELECT sa.story_id FROM events e JOIN story_articles sa "
              "ON sa.article_id = e.article_id WHERE e.type = ?)"),
             ("EXISTS (SELECT 1 FROM story_articles sa CROSS JOIN events e WHERE sa.story_id = s.id "
             "AND e.article_id = sa.article_id AND +e.type = ?)")),
            (lang, "SELECT 1 FROM articles WHERE lang = ?",
             ("s.id IN (SELECT sa.story_id FROM articles a JOIN story_articles sa "
              "ON sa.article_id = a.id WHERE a.lang = ?)"),
             ("EXISTS (SELECT 1 FROM story_articles sa CROSS JOIN articles a WHERE sa.story_id = s.id "
             "AND a.id = sa.article_id AND a.lang = ?)")),
        ):
            if not value:
                continue
            n = self.conn.execute(f"SELECT count(*) FROM ({count_sql} LIMIT ?)",
                                  (value, _DRIVING_ROWS + 1)).fetchone()[0]
            cond.append(in_sql if n <= _DRIVING_ROWS else exists_sql)
            args.append(value)
        where = "WHERE " + " AND ".join(cond) if cond else ""
        join, head = "", []
        if order == "recent":
            # DESC puts NULL dates last; no expression in ORDER BY, so stories_last gives the order.
            order_by = "s.last_published DESC, s.n_articles DESC, s.id"
        elif order == "size":
            order_by = "s.n_articles DESC, s.last_published DESC, s.id"
        else:
            # only the articles of the two windows are read (articles_published; CROSS JOIN keeps
            # SQLite from scanning every membership instead)
            join = ("LEFT JOIN (SELECT sa.story_id, sum(CASE WHEN a.published >= ? THEN 1 ELSE -1 END) AS g "
                    "FROM articles a CROSS JOIN story_articles sa ON sa.article_id = a.id WHERE a.published >= ? "
                    "GROUP BY sa.story_id) g ON g.story_id = s.id")
            head = [growth[1], growth[0]]  # type: ignore[index]
            order_by = "coalesce(g.g, 0) DESC, s.last_published DESC, s.n_articles DESC, s.id"
        rows = self.conn.execute(f"SELECT s.* FROM stories s {join} {where} ORDER BY {order_by} LIMIT ? OFFSET ?",
                                 [*head, *args, -1 if limit is None else int(limit), int(offset)])
        return self._with_actor_names([self._story_dict(r) for r in rows])

    def volume(self, *, story: str | None = None, since: str | None = None) -> dict[str, int]:
        """Articles per publication day (``YYYY-MM-DD`` -> count, in date order), of the whole
        store or of one story, from ``since`` on; undated articles are not counted."""
        cond, args = ["a.published IS NOT NULL"], []
        join = ""
        if story is not None:
            join = "JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?"
            args.append(story)
        if since:
            cond.append("a.published >= ?")
            args.append(since)
        rows = self.conn.execute(f"SELECT substr(a.published, 1, 10) AS day, count(*) FROM articles a {join} "
                                 f"WHERE {' AND '.join(cond)} GROUP BY day ORDER BY day", args)
        return {r[0]: r[1] for r in rows}

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story as in :meth:`stories`, plus ``article_ids`` (oldest first); None if unknown."""
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        d = self._with_actor_names([self._story_dict(row)])[0]
        d["article_ids"] = [r[0] for r in self.conn.execute(
            "SELECT a.id FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? "
            "ORDER BY a.published IS NULL, a.published, a.seq", (story_id,))]
        return d

    def story_articles(self, story_id: str, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """The articles of a story in the export shape, oldest first."""
        rows = self.conn.execute(
            "SELECT a.* FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? "
            "ORDER BY a.published IS NULL, a.published, a.seq LIMIT ? OFFSET ?",
            (story_id, -1 if limit is None else int(limit), int(offset)))
        return [self._record(r).export() for r in rows]

    # -- reads: overview ---------------------------------------------------------------
    def counts(self) -> dict[str, Any]:
        """Cheap counts for every page of the web interface (no JSON parsed): articles,
        stories, events, quotes, actors, errors, latest and earliest publication date."""
        c = self.conn

        def one(sql: str) -> Any:
            return c.execute(sql).fetchone()[0]

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "stories": one("SELECT count(*) FROM stories"),
            "events": one("SELECT count(*) FROM events"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "actors": one("SELECT count(*) FROM actors"),
            "errors": one("SELECT count(*) FROM failures"),
            "latest": one("SELECT max(published) FROM articles"),
            "earliest": one("SELECT min(published) FROM articles"),
        }

    def stats(self) -> dict[str, Any]:
        """:meth:`counts` plus what reports need: duplicates, actor mentions, comments,
        dropped segments, languages, outlets, event types, failures by stage."""
        c = self.conn

        def one(sql: str) -> Any:
            return c.execute(sql).fetchone()[0]

        return self.counts() | {
            "duplicates": one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"),
            "actor_mentions": one("SELECT coalesce(sum(n_mentions), 0) FROM actor_mentions"),
            "comments": one("SELECT coalesce(sum(json_array_length(comments)), 0) FROM articles"),
            "dropped": one("SELECT coalesce(sum(json_array_length(dropped)), 0) FROM articles"),
            "languages": {(r[0] or "unknown"): r[1] for r in c.execute(
                "SELECT lang, count(*) FROM articles GROUP BY lang ORDER BY count(*) DESC, lang")},
            "outlets": {(r[0] or "unknown"): r[1] for r in c.execute(
                "SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet LIMIT 20")},
            "event_types": {r[0]: r[1] for r in c.execute(
                "SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC, type")},
            "failures_by_stage": {r[0]: r[1] for r in c.execute(
                "SELECT stage, count(*) FROM failures GROUP BY stage ORDER BY stage")},
        }

    def dropped(self, limit: int = 20) -> list[dict[str, Any]]:
        """The boilerplate segments removed most often, with how many articles lost them."""
        rows = self.conn.execute(
            "SELECT j.value AS segment, count(DISTINCT a.id) AS articles FROM articles a, json_each(a.dropped) j "
            "GROUP BY j.value ORDER BY articles DESC, segment LIMIT ?", (int(limit),))
        return [dict(r) for r in rows]


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back on any exception (Ctrl-C included)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise StoreError(f"the store is busy or locked ({e}); is another 'veille run' writing to it?") from e
        return self.conn

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return
            except sqlite3.Error as e:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"could not write to the store ({e})") from e
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"could not write to the store ({exc})") from exc
