"""Questions on event records, shared by ``veille events`` and ``/api/events``: filters
checked (a bad one is a :class:`~veille.serve.params.ParamError` saying what is expected),
actors found by id or any of their names, one page of records read through the store.
"""
from __future__ import annotations

import re
from typing import Any

from .params import MODALITIES, ParamError, event_type, paging, text
from .reader import Names, resolve_actor

_PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def partial_date(value: str | None, name: str) -> str | None:
    """A date as YYYY, YYYY-MM or YYYY-MM-DD, or None when empty."""
    v = text(value, name, 20)
    if v is None:
        return None
    if not _PARTIAL_DATE.fullmatch(v):
        raise ParamError(f"'{name}' must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got {v!r}")
    return v


def filters(*, actor: str | None = None, recipient: str | None = None, type: str | None = None,
            modality: str | None = None, outlet: str | None = None, story: str | None = None,
            since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """The filters as given, checked (actor and recipient names not resolved yet)."""
    f: dict[str, Any] = {"actor": text(actor, "actor"), "recipient": text(recipient, "recipient"),
                         "type": None, "modality": None, "outlet": text(outlet, "outlet"),
                         "story": text(story, "story", 64),
                         "since": partial_date(since, "since"), "until": partial_date(until, "until")}
    f["type"] = event_type(type)
    m = text(modality, "modality")
    if m:
        if m.lower() not in MODALITIES:
            raise ParamError(f"'modality' must be one of {', '.join(MODALITIES)}")
        f["modality"] = m.lower()
    if f["since"] and f["until"] and f["since"][:len(f["until"])] > f["until"]:
        raise ParamError(f"'since' ({f['since']}) is after 'until' ({f['until']})")
    return f


def event_records(store: Any, *, page: str | None = None, limit: str | None = None,
                  names: Names | None = None, mentions: bool = False, **given: str | None) -> dict[str, Any]:
    """One page of event records matching the filters (see :func:`filters`), most recently
    reported first: ``{"filters", "page", "limit", "more", "records"}``. An actor or recipient
    is found by its id or any of its names (NotFound, naming close ones, when none has it)."""
    if not hasattr(store, "event_records"):
        raise ParamError("this store keeps no event records")
    f = filters(**given)
    pg, lim, off = paging(page, limit, 50)
    for role in ("actor", "recipient"):
        if f[role]:
            f[role] = resolve_actor(store, f[role], names)
    found = store.event_records(**f, limit=lim + 1, offset=off, mentions=mentions)
    return {"filters": f, "page": pg, "limit": lim, "more": len(found) > lim, "records": found[:lim]}


def sources_phrase(record: dict[str, Any]) -> str:
    """"reported by 8 articles, 5 outlets, 2 independent sources: WSJ, Reuters"."""
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    names = [s.get("name") or s.get("key") for s in record.get("sources") or []]
    phrase = f"reported by {plural(record.get('n_articles') or 0, 'article')}"
    if record.get("n_outlets"):
        phrase += f", {plural(record['n_outlets'], 'outlet')}"
    phrase += f", {plural(record.get('n_sources') or 0, 'independent source')}"
    if names:
        phrase += ": " + ", ".join(names[:6]) + ("…" if len(names) > 6 else "")
    return phrase


__all__ = ["event_records", "filters", "partial_date", "sources_phrase"]
