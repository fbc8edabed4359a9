"""The store: where articles, events, stories and failures live between runs.

``open_store(path)`` opens (or creates) the SQLite store; use it as a context manager::

    with open_store("veille.db") as store:
        for hit in store.search("etats-unis espionnage"):
            print(hit["title"], hit["snippet"])

Only this package writes SQL; everything else reads through :class:`Store`.
"""
from __future__ import annotations

from pathlib import Path

from .sqlite import MARK, SCHEMA_VERSION, AddResult, SQLiteStore, fts_query

Store = SQLiteStore
"""The store type (SQLite for now)."""


def open_store(path: str | Path, *, readonly: bool = False) -> Store:
    """The store in the SQLite file at ``path``, created when missing (unless ``readonly``).

    Raises StoreError with what to do when the file is not a veille store, is newer than
    this veille, or (read-only) does not exist.
    """
    return SQLiteStore(path, readonly=readonly)


__all__ = ["MARK", "SCHEMA_VERSION", "AddResult", "SQLiteStore", "Store", "fts_query", "open_store"]
