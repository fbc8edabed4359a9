"""Event records: the events of a story's articles that tell the same act, as one record.

``group(articles)`` takes the articles of one story (annotated records; only ``id``,
``outlet``, ``published``, ``duplicate_of``, ``story``, ``cited_sources``, ``actors`` and
``events`` are read) and returns its :class:`~veille.records.EventRecord` list. It is the one
place of the rule; the local runner calls it for every story a chunk touched, the Spark
runner for every story, so both give the same records.

The rule:

- **Same act.** Two events are the same act when they have the same actor, PLOVER type and
  recipient, and compatible dates. Two own dates ("2024", "2024-03", "2024-03-05") are
  compatible when one is a prefix of the other. An event without its own date happened by
  its article's publication: it fits a dated record when it was published within the
  record's date, or up to ``WINDOW_DAYS`` after it; a dated event fits a record of undated
  events when its date reaches from ``WINDOW_DAYS`` before their first report to their last.
  Events are taken in report order (publication date, article id, position); each joins
  the first record of its key it fits (an undated one, the record whose date is nearest its
  article's publication), or starts a new one.
- **Independent sources.** Each mention counts under one source: the actor it is
  attributed to (``according_to``), else a cited source named inside its evidence span
  ("selon le WSJ"), else its article's original (a copy, ``duplicate_of``, counts as the
  article it copies). Articles that copy each other or cite one report thus count once;
  ``sources[].chain`` keeps which article came through which.
- **Stable ids.** A record's id is a hash of actor, type, recipient and its first mention
  (article id and position): it stays as later reports arrive, and is the same on every
  runner. It changes only when an earlier report of the act arrives later.
- **How intense.** ``goldstein`` is the Goldstein value of the record's CAMEO code (the
  code most of its mentions carry), ``quad_class`` the PLOVER quad class of its type
  (:mod:`veille.scales`).
- **Where.** ``place`` is the place its mentions' sentences name most often with a
  locative marker ("à Kiev", "en Syrie"; :mod:`.place`), with the article and span that
  name it; None when no sentence names one.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from .. import places
from ..records import EventMention, EventRecord, day_of, stable_id
from ..scales import goldstein, quad_class
from ..text import fold

__all__ = ["WINDOW_DAYS", "compatible", "group"]


WINDOW_DAYS = 7
"""How long after an act an article may tell it without giving its date."""


def compatible(a: str | None, b: str | None) -> bool:
    """Whether two event dates can be the same day: either is missing, or one is a prefix
    of the other ("2024-03" and "2024-03-05")."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def _finer(a: str | None, b: str | None) -> str | None:
    """The more precise of two compatible dates."""
    if not a:
        return b
    if not b:
        return a
    return a if len(a) >= len(b) else b


def _period(date: str) -> tuple[int, int] | None:
    """First and last day (ordinals) a date names: "2024" is the year, "2024-03" the month."""
    start = day_of(date)
    if start is None:
        return None
    parts = date[:10].split("-")
    if len(parts) >= 3:
        return start, start
    if len(parts) == 2:
        y, m = int(parts[0]), int(parts[1])
        return start, (day_of(f"{y + 1}-01-01") if m == 12 else day_of(f"{y}-{m + 1:02d}-01")) - 1
    return start, day_of(f"{int(parts[0]) + 1}-01-01") - 1


def _fits(rec: _Open, date: str | None, day: int | None) -> bool:
    """Whether an event (own ``date``, its article's publication ``day``) fits a record."""
    if date and rec.date:
        return compatible(rec.date, date)
    if date:  # a dated event, a record of undated ones
        period = _period(date)
        return period is None or rec.first is None or (
            period[0] <= rec.last and period[1] >= rec.first - WINDOW_DAYS)
    if rec.date:  # an undated event, a dated record
        period = _period(rec.date)
        return period is None or day is None or period[0] <= day <= period[1] + WINDOW_DAYS
    return True


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def _source_key(name: str | None, actor: str | None) -> str:
    return f"actor:{actor}" if actor else f"name:{' '.join(fold(name or '').split())}"


class _Open:
    """A record being built."""

    __slots__ = ("date", "first", "last", "mentions")

    def __init__(self) -> None:
        self.date: str | None = None
        self.first: int | None = None  # publication days of its first and last reports
        self.last: int | None = None
        self.mentions: list[tuple[Any, int, Any]] = []  # (article, idx, event)


def group(articles: Iterable[Any]) -> list[EventRecord]:
    """The event records of one story's articles (see the module's rule), in the order of
    their first report."""
    arts = {_get(a, "id"): a for a in articles}
    rows = []
    for a in arts.values():
        for idx, e in enumerate(_get(a, "events") or []):
            rows.append((_get(a, "published") or "\uffff", _get(a, "id"), idx, a, e))
    rows.sort(key=lambda r: r[:3])
    open_: dict[tuple, list[_Open]] = defaultdict(list)
    order: list[tuple[tuple, _Open]] = []
    for _, _, idx, art, e in rows:
        key = (_get(e, "actor"), _get(e, "type"), _get(e, "recipient"))
        date = _get(e, "date")
        day = day_of(_get(art, "published"))
        candidates = [r for r in open_[key] if _fits(r, date, day)]
        if not candidates:
            rec = _Open()
            open_[key].append(rec)
            order.append((key, rec))
        elif date or day is None:
            rec = candidates[0]
        else:
            rec = min(candidates, key=lambda r: abs((day_of(r.date) or r.last or day) - day))
        rec.date = _finer(rec.date, date)
        if day is not None:
            rec.first = day if rec.first is None else min(rec.first, day)
            rec.last = day if rec.last is None else max(rec.last, day)
        rec.mentions.append((art, idx, e))
    return [_record(key, rec, arts) for key, rec in order]


def _root(art: Any, arts: dict[str, Any]) -> tuple[str, str | None]:
    """The original an article copies (``duplicate_of`` followed to its end, inside the
    story or just out of it), and the article it directly copies."""
    copy_of = _get(art, "duplicate_of")
    cur = _get(art, "id")
    seen = {cur}
    up = copy_of
    while up and up not in seen:
        seen.add(up)
        cur = up
        if up not in arts:
            break
        up = _get(arts[up], "duplicate_of")
    return cur, copy_of


def _cited_in(art: Any, e: Any) -> tuple[str, str] | None:
    """The (key, name) of the source a mention is attributed to, if any."""
    according = _get(e, "according_to")
    cited = _get(art, "cited_sources") or []
    if according:
        for c in cited:
            if _get(c, "actor") == according:
                return _source_key(None, according), _get(c, "name") or according
        for a in _get(art, "actors") or []:
            if _get(a, "id") == according:
                return _source_key(None, according), _get(a, "name") or according
        return _source_key(None, according), according
    span = _get(e, "span")
    if span:
        for c in cited:
            cs = _get(c, "span")
            if cs and span[0] <= cs[0] and cs[1] <= span[1]:
                return _source_key(_get(c, "name"), _get(c, "actor")), _get(c, "name") or ""
    return None


def _record(key: tuple, rec: _Open, arts: dict[str, Any]) -> EventRecord:
    actor, etype, recipient = key
    first_art, first_idx, _ = rec.mentions[0]
    sources: dict[str, dict[str, Any]] = {}
    mentions: list[EventMention] = []
    cameos: Counter = Counter()
    modalities: Counter = Counter()
    found: dict[tuple, dict[str, Any]] = {}
    named: Counter = Counter()
    for art, idx, e in rec.mentions:
        aid = _get(art, "id")
        root, copy_of = _root(art, arts)
        cited = _cited_in(art, e)
        if cited is not None:
            skey, name, kind = cited[0], cited[1], "cited"
        else:
            original = arts.get(root)
            skey = f"article:{root}"
            name = ((_get(original, "outlet") if original is not None else None) or _get(art, "outlet")
                    or f"article {root[:8]}")
            kind = "article"
        src = sources.setdefault(skey, {"key": skey, "name": name, "kind": kind, "articles": [], "chain": []})
        if aid not in src["articles"]:
            src["articles"].append(aid)
            src["chain"].append({"article": aid, "outlet": _get(art, "outlet"), "copy_of": copy_of,
                                 "cites": name if kind == "cited" else None})
        span = _get(e, "span")
        cameo = _get(e, "cameo")
        modality = _get(e, "modality") or "asserted"
        cameos[cameo] += 1
        modalities[modality] += 1
        where = places.find(_get(e, "sentence") or "", span[0] if span else 0, _get(art, "actors") or (),
                            parties=(actor, recipient))
        if where is not None:
            key = (where["kind"], where["name"])
            found.setdefault(key, dict(where, article=aid))
            named[key] += 1
        mentions.append(EventMention(article=aid, idx=idx, span=tuple(span) if span else None, modality=modality,
                                     according_to=_get(e, "according_to"), date=_get(e, "date"),
                                     published=_get(art, "published"), outlet=_get(art, "outlet"),
                                     cameo=cameo, source=skey))
    # max keeps the first of equals: among codes as frequent, the first mention's wins.
    cameo = max(cameos, key=lambda c: (cameos[c], c is not None)) if cameos else None
    dates = sorted(m.published for m in mentions if m.published)
    outlets = sorted({m.outlet for m in mentions if m.outlet})
    articles = {m.article for m in mentions}
    return EventRecord(
        id=stable_id("event", actor or "", etype or "", recipient or "", _get(first_art, "id"), str(first_idx),
                     length=15),
        type=etype, story=_get(first_art, "story"), cameo=cameo, actor=actor, recipient=recipient,
        date=rec.date, goldstein=goldstein(cameo), quad_class=quad_class(etype),
        first_reported=dates[0] if dates else None, last_reported=dates[-1] if dates else None,
        n_mentions=len(mentions), n_articles=len(articles), n_outlets=len(outlets), n_sources=len(sources),
        outlets=outlets, sources=list(sources.values()), modalities=dict(modalities), mentions=mentions,
        place=found[max(named, key=named.__getitem__)] if named else None)
