"""What the web interface shows, read through the store's protocol (:class:`Reads`) and
shaped as plain JSON-ready dicts; the pages and the JSON API share these functions.

Query parameters arrive as given and are checked here (:mod:`.params`); an unknown id is
:class:`NotFound`. No SQL here: every read is one of the store's.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ..cluster.views import CENTRAL_TITLES, central_title, lead_title, mirror_links, story_summary
from ..store.base import Reads
from ..text import fold
from .charts import days_back
from .params import order, paging, story_filters, text
from .timeline import parse_day

STORY_ARTICLES = 300     # articles of one story shown on its page (the oldest first)
MIRROR_PROBES = 40       # timeline events of a story looked up for mirrored narratives


SUGGESTIONS = 5          # actors proposed when a name matches none
TREND_DAYS = 14          # days of a story's trend on the home page (two halves: growth)
MAIN_ACTORS = 6          # actors shown per story on the home page
MAIN_TYPES = 3           # event types shown per story on the home page
TYPES_READ = 300         # events of a story read to count its main types
PROFILE_EVENTS = 1000    # an actor's newest events read each way for its profile
PROFILE_OTHERS = 10      # actors shown as its most frequent recipients and actors

Names = Callable[[], list[tuple[str, str]]]  # (actor id, name or alias) pairs, maybe cached


class NotFound(Exception):
    """No story, article or actor with this id."""


def _key(name: str) -> str:
    """A name as compared: case, accents, punctuation and spacing do not matter."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(name)).split())


def _index(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """Compared name -> {actor id: the actor's display name}."""
    display: dict[str, str] = {}
    for aid, name in pairs:
        display.setdefault(aid, name)
    index: dict[str, dict[str, str]] = {}
    for aid, name in [*((aid, aid) for aid in display), *pairs]:
        index.setdefault(_key(name), {})[aid] = display[aid]
    return index


def find_actor(store: Reads, name: str, names: Names | None = None) -> tuple[str | None, list[dict[str, str]]]:
    """The id of the actor called ``name`` (its id, name or any alias it was written as; case,
    accents and punctuation aside), and when there is none, up to five actors with a close name."""
    if store.actor(name) is not None:
        return name, []
    index = _index((names or store.actor_names)())
    key = _key(name)
    found = index.get(key)
    if found:
        # several actors written the same way: the one whose id is that name, else the first by id
        best = next((aid for aid in found if _key(aid) == key), min(found))
        return best, []
    near = [k for k in index if key and (key in k or k in key and len(k) > 2)]
    near += difflib.get_close_matches(key, list(index), n=SUGGESTIONS, cutoff=0.75)
    out: dict[str, dict[str, str]] = {}
    for k in near:
        for aid, display in index[k].items():
            out.setdefault(aid, {"id": aid, "name": display})
    return None, list(out.values())[:SUGGESTIONS]


def no_actor(name: str, suggestions: list[dict[str, str]]) -> str:
    """The one-line message for a name no actor has."""
    hint = ("; did you mean " + ", ".join(f"{s['name']} ({s['id']})" if s["name"] != s["id"] else s["id"]
                                          for s in suggestions)) if suggestions else ""
    return f"no actor named {name[:80]!r}{hint}"


def trend_window(latest: str | None) -> dict[str, Any] | None:
    """The days a story's trend covers: the :data:`TREND_DAYS` days that end on the store's
    latest publication date (``days``), and the ``growth`` windows of :meth:`Reads.stories`
    (the first day of the earlier half, the first day of the later half)."""
    end = parse_day(latest)
    if end is None:
        return None
    days = [d.isoformat() for d in days_back(end, TREND_DAYS)]
    return {"days": days, "growth": (days[0], days[TREND_DAYS // 2])}


def stories(store: Reads, since, until, actor, type, lang, page, limit,
            names: Names | None = None, sort: str | None = None,
            latest: str | None = None) -> dict[str, Any]:
    """A page of stories, filtered and sorted (``sort``: recent, size or growth); the actor is
    found by any of its names (``actor_asked`` is the name given; ``actor_unknown`` when no
    actor has it, with ``actor_suggestions``, close names).

    Each story carries its ``title`` as its page shows it, its main ``actors``, its main event
    ``types`` and its ``trend``: articles per day over the :data:`TREND_DAYS` days that end on
    the store's latest publication date (``latest``, read when not given), with ``recent``
    (the last 7 days) and ``before`` (the 7 days before)."""
    f = story_filters(since, until, actor, type, lang)
    how = order(sort)
    pg, lim, off = paging(page, limit, 20)
    asked, suggestions = f["actor"], []
    base = {"filters": f, "sort": how, "page": pg, "limit": lim, "actor_asked": asked}
    if asked:
        found, suggestions = find_actor(store, asked, names)
        if found is None:
            return {**base, "has_next": False, "stories": [], "actor_unknown": True,
                    "actor_suggestions": suggestions, "window": None}
        f["actor"] = found
    window = trend_window(latest if latest is not None else store.counts().get("latest"))
    extra: dict[str, Any] = {"order": how}
    if how == "growth":
        if window is None:  # nothing dated: growth cannot be measured, recency decides
            extra["order"] = "recent"
        else:
            extra["growth"] = window["growth"]
    rows = store.stories(lim + 1, off, **f, **extra)[:lim + 1]
    for row in rows[:lim]:
        _describe(store, row, window)
    return {**base, "has_next": len(rows) > lim, "stories": rows[:lim], "actor_unknown": False,
            "actor_suggestions": suggestions, "window": window}


def _describe(store: Reads, row: dict[str, Any], window: dict[str, Any] | None) -> None:
    """What the home page shows of a story besides its stored row: title, trend, event types."""
    sid = row["id"]
    row["title"] = story_title(store, sid, row.get("title"), row.get("n_articles"))
    row["actors"] = (row.get("actors") or [])[:MAIN_ACTORS]
    types = Counter(e.get("type") for e in store.events(story=sid, limit=TYPES_READ) if e.get("type"))
    row["types"] = [{"type": t, "events": n} for t, n in types.most_common(MAIN_TYPES)]
    if window is None:
        row["trend"] = None
        return
    per_day = store.volume(story=sid, since=window["days"][0])
    counts = [0] * len(window["days"])
    where = {d: i for i, d in enumerate(window["days"])}
    for d, n in per_day.items():
        i = where.get(d[:10])
        if i is not None:
            counts[i] += n
    half = len(counts) // 2
    row["trend"] = {"days": window["days"], "counts": counts, "recent": sum(counts[half:]),
                    "before": sum(counts[:half])}


def story_title(store: Reads, story_id: str, stored: str | None = None, size: int | None = None) -> str | None:
    """A story's title as its page shows it (``cluster.story_summary``): the most central of
    its articles' titles, else the stored one, else its first article's first line. Only the
    oldest :data:`~veille.cluster.views.CENTRAL_TITLES` articles are read when the story's
    ``size`` (articles) is given."""
    # articles() lists the newest first: the oldest are the last rows
    skip = max(0, size - CENTRAL_TITLES) if size else 0
    arts = sorted(store.articles(limit=None, offset=skip, story=story_id),
                  key=lambda a: (a.get("published") or "\uffff", a.get("id") or ""))
    title = central_title(a.get("title") for a in arts) or stored
    if not title and arts:
        first = store.article(arts[0]["id"])
        title = lead_title(first.get("text")) if first else None
    return title


def story(store: Reads, story_id: str) -> dict[str, Any]:
    """A story's summary (see ``cluster.story_summary``), its quotes and mirrored narratives."""
    record = store.story(story_id)
    if record is None:
        raise NotFound(f"no story with id {story_id[:80]!r}")
    articles = store.story_articles(story_id, STORY_ARTICLES)
    total = store.count(story=story_id)
    summary = story_summary(record, articles)
    names = {act.get("id"): act.get("name") for a in articles for act in a.get("actors") or []}
    for e in summary["timeline"]:
        e["according_to_name"] = names.get(e.get("according_to"))
    quotes, told = _quotes(articles)
    mirrors = _mirrors(store, story_id, summary)
    known = {a["id"]: a["name"] for a in summary["actors"]}
    for m in mirrors:
        for side in (m["here"], m["other"]):
            for key in ("actor", "recipient"):
                if side.get(key) and side[key] not in known:
                    found = store.actor(side[key])
                    known[side[key]] = (found or {}).get("name") or side[key]
    return {"summary": summary, "quotes": quotes, "quote_count": told, "mirrors": mirrors,
            "mirror_groups": mirror_groups(mirrors, known),
            "truncated": total > len(articles), "total_articles": total}


def _quotes(articles: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The story's quotes, each once: the same words of the same speaker, repeated by other
    articles (copies, wire stories taken up), are one quote whose ``repeats`` counts them and
    whose ``articles`` lists where; the first (oldest) place is kept. Also how many there were
    with repeats."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    told = 0
    for a in articles:
        names = {act.get("id"): act.get("name") for act in a.get("actors") or []}
        for q in a.get("quotes") or []:
            told += 1
            speaker = q.get("speaker") or fold(q.get("speaker_name") or "")
            key = (speaker, bool(q.get("direct", True)), _key(q.get("text") or ""))
            group = groups.get(key)
            if group is None:
                groups[key] = dict(q, article=a.get("id"), outlet=a.get("outlet"), published=a.get("published"),
                                   speaker_name=q.get("speaker_name") or names.get(q.get("speaker")),
                                   repeats=1, articles=[a.get("id")])
            else:
                group["repeats"] += 1
                if a.get("id") not in group["articles"]:
                    group["articles"].append(a.get("id"))
    return list(groups.values()), told


def mirror_groups(links: list[dict[str, Any]], names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Mirrored narratives of one story grouped by its event (``here``): each event once, with
    the events of other stories that mirror it (``others``, each once, the closest level
    first: the actors themselves before their countries); ``names`` gives the actors' names."""
    names = names or {}

    def named(side: dict[str, Any]) -> dict[str, Any]:
        return dict(side, actor_name=names.get(side.get("actor") or "", side.get("actor")),
                    recipient_name=names.get(side.get("recipient") or "", side.get("recipient")))

    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for m in sorted(links, key=lambda m: m.get("level") != "actor"):
        here, other = m["here"], m["other"]
        key = (m["type"], here.get("article"), " ".join(str(here.get("sentence") or "").split()))
        group = groups.setdefault(key, {"type": m["type"], "context": list(m.get("context") or []),
                                        "event": named(here), "others": [], "_seen": set()})
        # a copy of an article tells the same event in the same words: listed once
        okey = (other.get("story"), " ".join(str(other.get("sentence") or "").split()))
        if okey in group["_seen"]:
            continue
        group["_seen"].add(okey)
        group["others"].append(dict(named(other), level=m.get("level")))
        for c in m.get("context") or []:
            if c not in group["context"]:
                group["context"].append(c)
    out = list(groups.values())
    for g in out:
        g.pop("_seen")
    return out


def _mirrors(store: Reads, story_id: str, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Mirrored narratives between this story and others, found by indexed event look-ups
    (B→A of the same type for each A→B here), never by reading every story."""
    others: dict[str, list[dict[str, Any]]] = {}
    probes = [e for e in summary["timeline"] if e.get("actor") and e.get("recipient")][:MIRROR_PROBES]
    seen: set[tuple[str, str, str]] = set()
    for e in probes:
        for a, r in _side_pairs(e):
            key = (e["type"], a, r)
            if key in seen:
                continue
            seen.add(key)
            for other in store.events(actor=r, recipient=a, type=e["type"], limit=10):
                sid = other.get("story")
                if sid and sid != story_id:
                    others.setdefault(sid, []).append(other)
    if not others:
        return []
    out = []
    for m in mirror_links({story_id: summary["timeline"], **others}):
        if m["a"]["story"] == story_id:
            out.append(dict(m, other=m["b"], here=m["a"]))
        elif m["b"]["story"] == story_id:
            out.append(dict(m, other=m["a"], here=m["b"]))
    return out[:20]


def _side_pairs(e: dict[str, Any]) -> Iterable[tuple[str, str]]:
    actors = [x for x in (e.get("actor"), e.get("actor_country")) if x]
    recipients = [x for x in (e.get("recipient"), e.get("recipient_country")) if x]
    for a in dict.fromkeys(actors):
        for r in dict.fromkeys(recipients):
            if a != r:
                yield a, r


def article(store: Reads, article_id: str) -> dict[str, Any]:
    """One article in the export's shape, plus locator and paragraphs."""
    found = store.article(article_id)
    if found is None:
        raise NotFound(f"no article with id {article_id[:80]!r}")
    return found


def resolve_actor(store: Reads, name: str, names: Names | None = None) -> str:
    """The id of the actor called ``name`` (see :func:`find_actor`); NotFound, with close
    names, when there is none."""
    found, suggestions = find_actor(store, name, names)
    if found is None:
        raise NotFound(no_actor(name, suggestions))
    return found


def actor(store: Reads, actor_id: str, page, limit, names: Names | None = None) -> dict[str, Any]:
    """An actor, found by its id or any of its names, the events it is the actor of and those
    it is the target of."""
    pg, lim, off = paging(page, limit, 50)
    info = store.actor(actor_id)
    if info is None:
        actor_id = resolve_actor(store, actor_id, names)
        info = store.actor(actor_id)
    if info is None:
        raise NotFound(f"no actor with id {actor_id[:80]!r}")
    did = store.events(actor=actor_id, limit=lim + 1, offset=off)
    done_to = store.events(recipient=actor_id, limit=lim + 1, offset=off)
    _according_names(store, did[:lim] + done_to[:lim])
    return {"actor": info, "page": pg, "limit": lim, "has_next": len(did) > lim or len(done_to) > lim,
            "did": did[:lim], "done_to": done_to[:lim], "profile": actor_profile(store, actor_id)}


def _according_names(store: Reads, events: list[dict[str, Any]]) -> None:
    """``according_to_name`` on each event whose source is a known actor."""
    names: dict[str, str | None] = {}
    for e in events:
        who = e.get("according_to")
        if who and who not in names:
            found = store.actor(who)
            names[who] = found.get("name") if found else None
        e["according_to_name"] = names.get(who) if who else None


def _once(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events counted once: the same act told in the same words (a copy of an article, a
    wire story taken up) is one event."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in events:
        key = (e.get("type"), e.get("actor"), e.get("recipient"), e.get("modality"),
               " ".join(str(e.get("sentence") or "").split()))
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def actor_profile(store: Reads, actor_id: str) -> dict[str, Any]:
    """What an actor did and what was done to it, counted from its newest
    :data:`PROFILE_EVENTS` events each way (the same act in the same words counted once): ``did`` and ``done_to`` by event type (each with
    its modalities), ``acted_on`` (recipients of its acts) and ``acted_by`` (actors acting on
    it) with their counts, ``months`` (events per month, both ways) and ``capped`` when more
    events exist than were counted."""
    did = store.events(actor=actor_id, limit=PROFILE_EVENTS + 1)
    done_to = store.events(recipient=actor_id, limit=PROFILE_EVENTS + 1)
    capped = len(did) > PROFILE_EVENTS or len(done_to) > PROFILE_EVENTS
    did, done_to = _once(did[:PROFILE_EVENTS]), _once(done_to[:PROFILE_EVENTS])

    def by_type(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        counts: dict[str, Counter] = {}
        for e in events:
            counts.setdefault(e.get("type") or "?", Counter())[e.get("modality") or "asserted"] += 1
        return [{"type": t, "events": sum(c.values()), "modalities": dict(c.most_common())}
                for t, c in sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))]

    def who(events: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        counts: Counter = Counter()
        names: dict[str, str] = {}
        types: dict[str, Counter] = {}
        for e in events:
            other = e.get(key)
            if not other:
                continue
            counts[other] += 1
            names.setdefault(other, e.get(f"{key}_name") or other)
            types.setdefault(other, Counter())[e.get("type") or "?"] += 1
        return [{"id": o, "name": names[o], "events": n, "types": [t for t, _ in types[o].most_common(3)]}
                for o, n in counts.most_common(PROFILE_OTHERS)]

    months: dict[str, dict[str, int]] = {}
    for way, events in (("did", did), ("done_to", done_to)):
        for e in events:
            when = str(e.get("date") or e.get("published") or "")[:7]
            if re.fullmatch(r"\d{4}-\d{2}", when):
                months.setdefault(when, {"did": 0, "done_to": 0})[way] += 1
    return {"did": by_type(did), "done_to": by_type(done_to), "acted_on": who(did, "recipient"),
            "acted_by": who(done_to, "actor"), "months": dict(sorted(months.items())), "capped": capped,
            "counted": PROFILE_EVENTS}


COPIES_READ = 3  # search rows read per hit shown, so that copies can be folded into their original
FACET_READ = 200  # best hits read to count the outlets a search can be narrowed to
FACET_OUTLETS = 12  # outlets proposed


def search_hits(store: Reads, query: str, limit: int, offset: int = 0,
                **facets: str | None) -> tuple[list[dict[str, Any]], bool]:
    """Hits ``offset`` to ``offset + limit`` of ``query``, best first, the copies of one article
    folded into one hit (the original when it matched; ``copies`` lists the others' ids), and
    whether there are more; ``facets`` narrow them (:meth:`Reads.search`). QueryError when the
    query cannot be read."""
    hits, more, _rows = _search_page(store, query, limit, offset, 0, facets)
    return hits, more


def _search_page(store: Reads, query: str, limit: int, offset: int, at_least: int,
                 facets: dict[str, Any]) -> tuple[list[dict[str, Any]], bool, list[dict[str, Any]]]:
    """:func:`search_hits`, reading at least ``at_least`` rows, and the rows read."""
    want = offset + limit
    need = want * COPIES_READ + 1
    read = max(need, at_least)
    rows = store.search(query, read, 0, **{k: v for k, v in facets.items() if v})
    groups: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = r.get("duplicate_of") or r["id"]
        group = groups.get(key)
        if group is None:
            groups[key] = dict(r, copies=[])
        elif r["id"] == key:  # the original, found after one of its copies: it leads
            groups[key] = dict(r, copies=[group["id"], *group["copies"]])
        else:
            group["copies"].append(r["id"])
    ordered = list(groups.values())
    return ordered[offset:want], len(ordered) > want or len(rows) == read, rows


def search(store: Reads, q, page, limit, *, outlet=None, since=None, until=None, actor=None, type=None,
           names: Names | None = None) -> dict[str, Any]:
    """A page of search hits, copies folded (see :func:`search_hits`), narrowed by the facets
    ``outlet``, ``since`` and ``until`` (publication dates), ``actor`` (any of its names) and
    event ``type``; matches in snippets sit between \\x02 and \\x03. ``outlets`` counts the
    outlets of the best :data:`FACET_READ` hits (for narrowing by outlet). QueryError when
    the query cannot be read."""
    query = text(q, "q", 500)
    pg, lim, off = paging(page, limit, 20)
    f = story_filters(since, until, actor, type, None)
    facets = {"outlet": text(outlet, "outlet"), "since": f["since"], "until": f["until"],
              "actor": f["actor"], "type": f["type"]}
    base = {"q": query or "", "page": pg, "limit": lim, "has_next": False, "hits": [], "total": None,
            "facets": facets, "outlets": [], "actor_asked": facets["actor"], "actor_unknown": False,
            "actor_suggestions": []}
    if facets["actor"]:
        found, suggestions = find_actor(store, facets["actor"], names)
        if found is None:
            return {**base, "actor_unknown": True, "actor_suggestions": suggestions}
        facets["actor"] = found
    if not query:
        return base
    # one ranked read serves the page and the outlets of the best hits
    hits, more, rows = _search_page(store, query, lim, off, 0 if facets["outlet"] else FACET_READ, facets)
    outlets: Counter = Counter()
    if not facets["outlet"]:
        outlets.update(r.get("outlet") or "" for r in rows[:FACET_READ])
    return {**base, "has_next": more, "hits": hits, "facet_read": FACET_READ,
            "outlets": [{"outlet": o, "articles": n} for o, n in outlets.most_common(FACET_OUTLETS) if o]}


def errors(store: Reads, page, limit) -> dict[str, Any]:
    """A page of failed inputs, oldest first."""
    pg, lim, off = paging(page, limit, 50)
    rows = store.errors(lim + 1, off)
    return {"page": pg, "limit": lim, "has_next": len(rows) > lim, "errors": rows[:lim]}


__all__ = ["MIRROR_PROBES", "STORY_ARTICLES", "TREND_DAYS", "NotFound", "actor", "article", "errors",
           "find_actor", "mirror_groups", "no_actor", "resolve_actor", "search", "search_hits", "stories", "story", "story_title",
           "trend_window"]
