"""The JSON API under ``/api/``: the pages' data as JSON (schema at ``/openapi.json``)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from ..errors import QueryError
from . import reader
from .params import MAX_LIMIT

router = APIRouter(prefix="/api")


@router.get("/stats", tags=["store"])
def api_stats(request: Request) -> dict[str, Any]:
    """Counts of articles, stories, events and failed inputs; the latest article date."""
    web = request.app.state.web
    return web.cached("stats", lambda: web.store().counts())


@router.get("/stories", tags=["stories"])
def api_stories(request: Request,
                since: str | None = Query(None, description="YYYY-MM-DD"),
                until: str | None = Query(None, description="YYYY-MM-DD"),
                actor: str | None = Query(None, description="actor id or any of its names, case and accents "
                                                             "aside, e.g. USA, Russie or huawei"),
                type: str | None = Query(None, description="PLOVER event type, e.g. ACCUSE"),
                lang: str | None = Query(None, description="language code, e.g. fr"),
                sort: str | None = Query(None, description="recent (default), size or growth"),
                page: str | None = Query(None, description="1, 2, …"),
                limit: str | None = Query(None, description=f"1 to {MAX_LIMIT}")) -> dict[str, Any]:
    """Stories, filtered and sorted like the home page, each with its title as its page shows
    it, main actors and event types, and its trend (articles per day over the 14 days that
    end on the store's latest publication date)."""
    web = request.app.state.web
    latest = web.stats().get("latest")
    return reader.stories(web.store(), since, until, actor, type, lang, page, limit, names=web.actor_names,
                          sort=sort, latest=latest or "")


@router.get("/volume", tags=["store"])
def api_volume(request: Request) -> dict[str, Any]:
    """Dated articles per publication day, for the whole store."""
    web = request.app.state.web
    return {"days": web.cached("volume", lambda: web.store().volume())}


@router.get("/stories/{story_id}", tags=["stories"])
def api_story(request: Request, story_id: str) -> dict[str, Any]:
    """One story: summary (articles in time order, actors, timeline, source chain), quotes
    (each once, ``repeats`` counting the articles that repeat it; ``direct`` false for
    indirect speech), mirrored narratives (``mirrors``, and ``mirror_groups``: each event of
    this story once, with the events of other stories that mirror it)."""
    data = reader.story(request.app.state.web.store(), story_id)
    return {**data["summary"], "quotes": data["quotes"], "mirrors": data["mirrors"],
            "mirror_groups": data["mirror_groups"], "total_articles": data["total_articles"]}


@router.get("/articles/{article_id}", tags=["articles"])
def api_article(request: Request, article_id: str) -> dict[str, Any]:
    """One article in the export's shape (text, dropped, comments, actors, quotes, events)."""
    return reader.article(request.app.state.web.store(), article_id)


@router.get("/events", tags=["events"])
def api_events(request: Request,
               actor: str | None = Query(None, description="who acted: actor id or any of its names, e.g. Russie"),
               recipient: str | None = Query(None, description="whom it was done to: actor id or name"),
               type: str | None = Query(None, description="PLOVER event type, e.g. ACCUSE"),
               modality: str | None = Query(None, description="asserted, reported, hedged, planned or negated"),
               outlet: str | None = Query(None, description="an outlet that tells it"),
               story: str | None = Query(None, description="story id"),
               since: str | None = Query(None, description="YYYY, YYYY-MM or YYYY-MM-DD"),
               until: str | None = Query(None, description="YYYY, YYYY-MM or YYYY-MM-DD (included)"),
               mentions: bool = Query(False, description="every mention of each record, not only the first"),
               page: str | None = Query(None, description="1, 2, …"),
               limit: str | None = Query(None, description=f"1 to {MAX_LIMIT}")) -> dict[str, Any]:
    """Event records (one act told by one or more articles of a story), most recently reported
    first, with Goldstein value, quad class, counts of articles, outlets and independent
    sources, the sources' chains and the first report's evidence."""
    from .eventquery import event_records

    web = request.app.state.web
    return event_records(web.store(), page=page, limit=limit, names=web.actor_names, mentions=mentions,
                         actor=actor, recipient=recipient, type=type, modality=modality, outlet=outlet,
                         story=story, since=since, until=until)


@router.get("/actors/{actor_id}", tags=["actors"])
def api_actor(request: Request, actor_id: str, page: str | None = Query(None),
              limit: str | None = Query(None)):
    """An actor (by its id or any of its names), with the events it is the actor of and those it
    is the target of; a name no actor has is a 404 naming close ones."""
    web = request.app.state.web
    return reader.actor(web.store(), actor_id, page, limit, names=web.actor_names)


@router.get("/search", tags=["search"])
def api_search(request: Request, q: str | None = Query(None, description="full-text query (FTS5 syntax)"),
               outlet: str | None = Query(None, description="only articles of this outlet"),
               since: str | None = Query(None, description="published on or after, YYYY-MM-DD"),
               until: str | None = Query(None, description="published on or before, YYYY-MM-DD"),
               actor: str | None = Query(None, description="only articles that mention this actor (any name)"),
               type: str | None = Query(None, description="only articles with an event of this PLOVER type"),
               page: str | None = Query(None), limit: str | None = Query(None)):
    """Full-text search, accents and case folded, narrowed by the facets; snippets mark
    matches with [ and ]; ``outlets`` counts the outlets of the best hits."""
    web = request.app.state.web
    try:
        data = reader.search(web.store(), q, page, limit, outlet=outlet, since=since, until=until, actor=actor,
                             type=type, names=web.actor_names)
    except QueryError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=400)
    for h in data["hits"]:
        h["snippet"] = (h.get("snippet") or "").replace("\x02", "[").replace("\x03", "]")
    return data


@router.get("/errors", tags=["store"])
def api_errors(request: Request, page: str | None = Query(None), limit: str | None = Query(None)):
    """Failed inputs with their reason and stage."""
    return reader.errors(request.app.state.web.store(), page, limit)


__all__ = ["router"]
