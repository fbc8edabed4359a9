"""The HTML pages: one route per page, rendered on the server with Jinja2.

Autoescape is on and every piece of article text is escaped; highlight markup is built
from spans in :mod:`veille.serve.highlight`. The data of each page comes from
:mod:`veille.serve.reader`, as for the JSON API.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..cluster.views import lead_title, source_name
from ..errors import QueryError
from . import reader
from .charts import bars_svg, bucket_counts, months_svg, sparkline_svg
from .highlight import event_anchor, highlight, quote_anchor
from .i18n import LANGUAGES, MODALITY_NAMES, ORDER_NAMES, UNIT_NAMES, check_language, format_day, translations
from .params import EVENT_TYPES, MODALITIES, ORDERS, number, text
from .timeline import parse_day, timeline_svg

HERE = Path(__file__).resolve().parent

router = APIRouter(include_in_schema=False)
ACTORS_LISTED = 60  # actors listed on /actors, most mentioned first


# -- helpers for templates ------------------------------------------------------------------
def url_story(sid: Any) -> str:
    return "/story/" + quote(str(sid), safe="")


def url_article(aid: Any) -> str:
    return "/article/" + quote(str(aid), safe="")


def url_actor(aid: Any) -> str:
    return "/actor/" + quote(str(aid), safe="")


def url_event(article: Any, span: Any) -> str:
    anchor = event_anchor(span)
    return url_article(article) + (f"#{anchor}" if anchor else "")


def url_quote(article: Any, span: Any) -> str:
    anchor = quote_anchor(span)
    return url_article(article) + (f"#{anchor}" if anchor else "")


def _with_page(params: Mapping[str, Any], page: int) -> str:
    items = [(k, v) for k, v in params.items() if v not in (None, "") and k != "page"]
    items.append(("page", page))
    return urlencode(items)


def _with(params: Mapping[str, Any], key: str, value: Any) -> str:
    """The query string of ``params`` with ``key`` set to ``value`` (left out when None), page 1."""
    items = [(k, v) for k, v in params.items() if v not in (None, "") and k not in ("page", key)]
    if value not in (None, ""):
        items.append((key, value))
    return urlencode(items)


def _with_sort(params: Mapping[str, Any], sort: str) -> str:
    items = [(k, v) for k, v in params.items() if v not in (None, "") and k not in ("page", "sort")]
    if sort != "recent":
        items.append(("sort", sort))
    return urlencode(items)


def _web_url(value: Any) -> str | None:
    """The URL if it is http(s), else None: an article's URL comes from its input and could
    be ``javascript:…``."""
    text = str(value or "").strip()
    return text if re.match(r"(?i)https?://", text) else None


def _cssname(value: Any) -> str:
    return "".join(c for c in str(value).lower() if c.isalnum() or c == "-") or "x"


def snippet_markup(snippet: str | None, *, start: str = "\x02", end: str = "\x03") -> Markup:
    """Escape a search snippet whose matches are delimited by ``start``/``end`` control
    characters and turn only those delimiters into ``<mark>`` elements."""
    result: list[str] = []
    opened = False
    for ch_part in re.split(f"([{re.escape(start)}{re.escape(end)}])", snippet or ""):
        if ch_part == start:
            if not opened:
                result.append("<mark>")
                opened = True
        elif ch_part == end:
            if opened:
                result.append("</mark>")
                opened = False
        else:
            result.append(str(escape(ch_part)))
    if opened:
        result.append("</mark>")
    return Markup("".join(result))


def environment(language: str = LANGUAGES[0]) -> Environment:
    """The Jinja2 environment of the pages (templates in ``serve/templates``), speaking
    ``language`` (messages through gettext, dates through ``babel.dates``)."""
    lang = check_language(language)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html", "xml"], default=True),
                      trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.filters["day"] = lambda value: format_day(value, lang)
    gettext = translations(lang).gettext
    env.globals.update(modality_name=lambda m: gettext(MODALITY_NAMES.get(m, m)),
                       unit_name=lambda u: gettext(UNIT_NAMES.get(u, u)),
                       order_name=lambda o: gettext(ORDER_NAMES.get(o, o)))
    env.globals.update(url_story=url_story, url_article=url_article, url_actor=url_actor,
                       url_event=url_event, url_quote=url_quote, quote_anchor=quote_anchor)
    env.filters["with_page"] = _with_page
    env.filters["with_sort"] = _with_sort
    env.filters["with"] = _with
    env.filters["cssname"] = _cssname
    env.filters["web_url"] = _web_url
    return env


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """Template ``name`` with ``ctx``, the store's counts for the footer and its file name."""
    web = request.app.state.web
    ctx.setdefault("stats", web.stats())
    ctx.setdefault("db_name", web.name)
    return HTMLResponse(web.templates.get_template(name).render(request=request, **ctx), status_code=status)


# -- pages -------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(request: Request, since: str | None = None, until: str | None = None, actor: str | None = None,
         type: str | None = None, lang: str | None = None, sort: str | None = None, page: str | None = None,
         limit: str | None = None):
    web = request.app.state.web
    st = web.stats()
    latest = st.get("latest")
    data = reader.stories(web.store(), since, until, actor, type, lang, page, limit, names=web.actor_names,
                          sort=sort, latest=latest or "")
    recent = {}
    day = parse_day(latest)
    if day:
        recent = {n: (day - timedelta(days=n)).isoformat() for n in (7, 30, 365)}
    params = {**data["filters"], "sort": None if data["sort"] == "recent" else data["sort"], "limit": limit}
    _ = web.gettext
    buckets, unit = bucket_counts(web.cached("volume", lambda: web.store().volume()))
    unit_name = _(UNIT_NAMES[unit])
    volume = bars_svg(buckets, unit=unit_name, label=_("articles per %(unit)s, by publication date") % {
        "unit": unit_name}) if buckets else None
    for s in data["stories"]:
        t = s.get("trend")
        s["spark"] = sparkline_svg(t["counts"], label=_(
            "articles per day, %(first)s to %(last)s: %(recent)s in the last 7 days, %(before)s in the 7 before") % {
            "first": t["days"][0], "last": t["days"][-1], "recent": t["recent"], "before": t["before"]}) \
            if t and any(t["counts"]) else None
    return render(request, "home.html", stories=data["stories"], f=data["filters"],
                  filtered=any(data["filters"].values()), page=data["page"], has_next=data["has_next"],
                  params=params, event_types=EVENT_TYPES, latest=latest[:10] if latest else None,
                  recent=recent, stats=st, top_actors=_actors_of(data["stories"]),
                  actor_asked=data["actor_asked"], actor_unknown=data["actor_unknown"],
                  actor_suggestions=data["actor_suggestions"], sort=data["sort"], orders=ORDERS,
                  sort_params={k: v for k, v in params.items() if k != "sort"}, volume=volume, unit=unit,
                  undated=st.get("articles", 0) - sum(n for _, n in buckets), window=data["window"])


def _actors_of(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list({a["id"]: a for s in stories for a in s.get("actors") or []}.values())


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str):
    data = reader.story(request.app.state.web.store(), story_id)
    s = data["summary"]
    records, more = _event_records(request.app.state.web.store(), story_id)
    undated = sum(1 for a in s["articles"] if not parse_day(a.get("published")))
    dated = undated < len(s["articles"]) or any(parse_day(e.get("date")) for e in s["timeline"])
    return render(request, "story.html", s=s, dated=dated, undated_articles=undated,
                  svg=timeline_svg(s["timeline"], s["articles"], gettext=request.app.state.web.gettext),
                  quotes=data["quotes"], quote_count=data["quote_count"], mirrors=data["mirror_groups"],
                  modalities=MODALITIES,
                  truncated=data["truncated"], total_articles=data["total_articles"],
                  event_records=records, event_records_more=more)


STORY_RECORDS = 100  # event records shown on a story's page


def _event_records(store: Any, story_id: str) -> tuple[list[dict[str, Any]], bool]:
    """A story's event records (most reported first) with their sources phrase, and whether
    there are more; none for a store that keeps no records."""
    from .eventquery import sources_phrase

    if not hasattr(store, "event_records"):
        return [], False
    found = store.event_records(story=story_id, limit=STORY_RECORDS + 1)
    found.sort(key=lambda r: (-r["n_sources"], -r["n_articles"], r.get("first_reported") or "", r["id"]))
    return [dict(r, phrase=sources_phrase(r)) for r in found[:STORY_RECORDS]], len(found) > STORY_RECORDS


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, extra: str | None = None):
    show_extra = number(extra, "extra", 0, 0, 1) == 1
    a = reader.article(request.app.state.web.store(), article_id)
    body = highlight(a["text"], actors=a["actors"], quotes=a["quotes"], events=a["events"],
                     cited_sources=a["cited_sources"])
    names = {act["id"]: act.get("name") for act in a["actors"]}
    events = [dict(e, article=a["id"], actor_name=names.get(e.get("actor")),
                   recipient_name=names.get(e.get("recipient")),
                   according_to_name=names.get(e.get("according_to")),
                   date=e.get("date") or a.get("published"))
              for e in a["events"]]
    cited: dict[str, dict[str, Any]] = {}
    for c in a.get("cited_sources") or []:  # each name once, as the story's source chain shows it
        name = source_name(c.get("name"), c.get("actor"))
        if name:
            cited.setdefault(name, dict(c, name=name))
    return render(request, "article.html", a=a, body=body, events=events, show_extra=show_extra,
                  headline=a.get("title") or lead_title(a.get("text")), cited=list(cited.values()))


@router.get("/actor/{actor_id}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str, page: str | None = None, limit: str | None = None):
    web = request.app.state.web
    store = web.store()
    if store.actor(actor_id) is None:  # a name or an alias: the page lives at the actor's id
        found, suggestions = reader.find_actor(store, actor_id, web.actor_names)
        if found is None:
            return _actors(request, actor_id, suggestions)
        target = url_actor(found) + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(target, status_code=307)
    data = reader.actor(store, actor_id, page, limit)
    prof = data["profile"]
    name = data["actor"].get("name") or actor_id
    _ = web.gettext
    of, on = _("acts of %(name)s") % {"name": name}, _("acts on %(name)s") % {"name": name}
    chart = months_svg(prof["months"], [("did", of), ("done_to", on)],
                       label=_("events per month: %(of)s and %(on)s") % {"of": of, "on": on})
    return render(request, "actor.html", **data, params={"limit": limit}, months=chart)


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, q: str | None = None):
    """Find an actor by any of its names (case and accents aside), or list the most mentioned."""
    web = request.app.state.web
    name = text(q, "q")
    if name:
        found, suggestions = reader.find_actor(web.store(), name, web.actor_names)
        if found is not None:
            return RedirectResponse(url_actor(found), status_code=303)
        return _actors(request, name, suggestions)
    return render(request, "actors.html", q="", asked=None, suggestions=[],
                  actors=web.store().actors(limit=ACTORS_LISTED))


def _actors(request: Request, asked: str, suggestions: list[dict[str, str]]) -> HTMLResponse:
    """The actors page for a name no actor has: a 404 that proposes close names."""
    return render(request, "actors.html", status=404, q=asked, asked=asked, suggestions=suggestions,
                  actors=request.app.state.web.store().actors(limit=ACTORS_LISTED))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str | None = None, outlet: str | None = None, since: str | None = None,
                until: str | None = None, actor: str | None = None, type: str | None = None,
                page: str | None = None, limit: str | None = None):
    web = request.app.state.web
    asked = {"outlet": outlet, "since": since, "until": until, "actor": actor, "type": type}
    try:
        data = reader.search(web.store(), q, page, limit, names=web.actor_names, **asked)
    except QueryError as exc:
        return render(request, "search.html", status=400, q=q or "", hits=[], page=1, limit=20,
                      has_next=False, total=None, params={}, message=str(exc), facets=asked, outlets=[],
                      event_types=EVENT_TYPES, actor_asked=None, actor_unknown=False, actor_suggestions=[])
    for h in data["hits"]:
        h["snippet_html"] = snippet_markup(h.get("snippet"))
        if not h.get("title"):  # an untitled article is named by its first line, as everywhere
            found = web.store().article(h["id"])
            h["title"] = lead_title(found.get("text")) if found else None
    f = data["facets"]
    shown = {**f, "actor": data["actor_asked"] if data["actor_unknown"] else f["actor"]}
    params = {"q": data["q"], **shown, "limit": limit}
    return render(request, "search.html", **{**data, "facets": shown}, params=params, event_types=EVENT_TYPES,
                  narrowed=any(f.values()))


@router.get("/errors", response_class=HTMLResponse)
def errors_page(request: Request, page: str | None = None, limit: str | None = None):
    data = reader.errors(request.app.state.web.store(), page, limit)
    return render(request, "errors.html", **data, params={"limit": limit})


__all__ = ["environment", "render", "router", "snippet_markup"]
