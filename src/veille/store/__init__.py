"""The store: where articles, events, stories and failures live between runs.

``open_store(path)`` opens (or creates) the SQLite store; use it as a context manager::

    with open_store("veille.db") as store:
        for hit in store.search("etats-unis espionnage"):
            print(hit["title"], hit["snippet"])

Only this package writes SQL. Everything else reads and writes through the protocols of
:mod:`veille.store.base`: :class:`Store` (:class:`Reads` and :class:`Writes`), and
:class:`WatchStore` for ``veille watch``.
"""
from __future__ import annotations

from pathlib import Path

from .base import (
    EVENT_RECORDS_STATE,
    MARK,
    AddResult,
    EventReads,
    EventWrites,
    Reads,
    Store,
    WatchStore,
    Writes,
)
from .sqlite import SCHEMA_VERSION, SQLiteStore, fts_query


def open_store(path: str | Path, *, readonly: bool = False) -> SQLiteStore:
    """The store in the SQLite file at ``path``, created when missing (unless ``readonly``).

    Raises StoreError with what to do when the file is not a veille store, is newer than
    this veille, or (read-only) does not exist.
    """
    return SQLiteStore(path, readonly=readonly)


__all__ = ["EVENT_RECORDS_STATE", "MARK", "SCHEMA_VERSION", "AddResult", "EventReads", "EventWrites", "Reads",
           "SQLiteStore", "Store", "WatchStore", "Writes", "fts_query", "open_store"]
