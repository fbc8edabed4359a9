"""The rule both engines apply before nlp: an article id goes through a run once.

An article whose id is stored already, or was met earlier in the run, goes no further
(re-running the same input changes nothing; an input read twice counts once).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def first_seen(items: Iterable[T], id_of: Callable[[T], str | None], *, batch: int = 1000,
               stored: Callable[[list[str]], set[str]] | None = None, recent: int | None = None,
               skipped: Callable[[T], None] | None = None) -> Iterator[T]:
    """The items whose id is neither stored nor met before, in order (items whose
    ``id_of`` is None, failures, always pass).

    ``stored`` answers, a batch of ``batch`` ids at a time, which ids the store holds.
    ``recent`` bounds memory: only the last ``recent`` ids passed on are remembered (the
    store must hold the older ones by then); None remembers them all. ``skipped`` is told
    of every item left out.
    """
    it = iter(items)
    seen: set[str] = set()
    order: deque[str] = deque()  # the same ids, oldest first
    while chunk := list(islice(it, max(1, batch))):
        ids = [i for i in map(id_of, chunk) if i is not None]
        known = stored(ids) if stored is not None and ids else set()
        for item in chunk:
            key = id_of(item)
            if key is None:
                yield item
                continue
            if key in known or key in seen:
                if skipped is not None:
                    skipped(item)
                continue
            seen.add(key)
            if recent is not None:
                order.append(key)
                if len(order) > recent:
                    seen.discard(order.popleft())
            yield item


__all__ = ["first_seen"]
