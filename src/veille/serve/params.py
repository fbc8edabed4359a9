"""The web interface's query parameters, checked: a bad date, page or limit is a
:class:`ParamError` whose message says what is expected (a 400, never a 500)."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from .i18n import N_

EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("asserted", "reported", "hedged", "planned", "negated")
ORDERS = {"recent": N_("most recent first"), "size": N_("most articles first"),
          "growth": N_("growing fastest first (articles of the last 7 days, less the 7 before)")}
MAX_LIMIT = 200
MAX_OFFSET = 100_000


class ParamError(Exception):
    """A query parameter the app cannot use; the message says what is expected."""


def day(value: str | None, name: str) -> str | None:
    """A date as YYYY-MM-DD, or None when empty."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ParamError(f"'{name}' must be a date as YYYY-MM-DD, got {value[:40]!r}")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ParamError(f"'{name}' is not a real date: {value!r}") from None
    return value


def number(value: str | None, name: str, default: int, lo: int, hi: int) -> int:
    """A whole number between ``lo`` and ``hi``, or ``default`` when empty."""
    if value is None or value.strip() == "":
        return default
    try:
        n = int(value.strip())
    except ValueError:
        raise ParamError(f"'{name}' must be a whole number, got {value[:40]!r}") from None
    if not lo <= n <= hi:
        raise ParamError(f"'{name}' must be between {lo} and {hi}, got {n}")
    return n


def paging(page: str | None, limit: str | None, default_limit: int) -> tuple[int, int, int]:
    """(page, limit, offset)."""
    lim = number(limit, "limit", default_limit, 1, MAX_LIMIT)
    pg = number(page, "page", 1, 1, 1_000_000)
    if (pg - 1) * lim > MAX_OFFSET:
        raise ParamError(f"'page' {pg} is too far: at most {MAX_OFFSET // lim + 1} pages of {lim}; "
                         "narrow the filters instead")
    return pg, lim, (pg - 1) * lim


def text(value: str | None, name: str, max_len: int = 200) -> str | None:
    """A short text without control characters, or None when empty."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if len(value) > max_len:
        raise ParamError(f"'{name}' is too long (at most {max_len} characters)")
    if any(ord(c) < 32 for c in value):
        raise ParamError(f"'{name}' contains control characters")
    return value


def order(value: str | None) -> str:
    """The order of the story list: recent (the default), size or growth."""
    v = text(value, "sort")
    if v is None:
        return "recent"
    if v.lower() not in ORDERS:
        raise ParamError(f"'sort' must be one of {', '.join(ORDERS)}, got {v[:40]!r}")
    return v.lower()


def event_type(value: str | None) -> str | None:
    """A PLOVER event type, any case, or None when empty."""
    t = text(value, "type")
    if t and t.upper() not in EVENT_TYPES:
        raise ParamError(f"'type' must be one of the PLOVER event types: {', '.join(EVENT_TYPES)}")
    return t.upper() if t else None


def story_filters(since: str | None, until: str | None, actor: str | None, type: str | None,
                  lang: str | None) -> dict[str, Any]:
    """The filters of the story list: since, until, actor, type (PLOVER), lang."""
    f = {"since": day(since, "since"), "until": day(until, "until"),
         "actor": text(actor, "actor"), "type": None, "lang": None}
    if f["since"] and f["until"] and f["since"] > f["until"]:
        raise ParamError(f"'since' ({f['since']}) is after 'until' ({f['until']})")
    f["type"] = event_type(type)
    lg = text(lang, "lang")
    if lg:
        if not re.fullmatch(r"[A-Za-z]{2,3}", lg):
            raise ParamError(f"'lang' must be a language code such as fr or en, got {lg!r}")
        f["lang"] = lg.lower()
    return f


__all__ = ["EVENT_TYPES", "MAX_LIMIT", "MAX_OFFSET", "MODALITIES", "ORDERS", "ParamError", "day", "number", "order",
           "paging",
           "story_filters", "text"]
