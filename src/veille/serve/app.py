"""The web interface: a read-only FastAPI app over a veille store.

``create_app(db)`` returns the app; ``veille serve`` runs it with uvicorn on 127.0.0.1.
Pages are rendered on the server with Jinja2 (autoescape on, every piece of article text
escaped, highlight markup built from spans in :mod:`veille.serve.highlight`); a JSON API
under ``/api/`` mirrors them (schema at ``/openapi.json``). Every response carries a strict
Content-Security-Policy: scripts and styles come only from ``/static/``, which serves the
package's own ``static`` folder and nothing else.

Query parameters are checked here: a bad date, page or limit gives a 400 with a message
(an HTML page for pages, ``{"detail": ...}`` for the API), never a 500.
"""
from __future__ import annotations

import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import QueryError, StoreError, VeilleError
from .highlight import event_anchor, highlight, quote_anchor
from .reader import Reader
from .timeline import timeline_svg

HERE = Path(__file__).resolve().parent
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("asserted", "reported", "hedged", "planned", "negated")
MAX_LIMIT = 200
MAX_OFFSET = 100_000
CACHE_SECONDS = 30.0
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class ParamError(Exception):
    """A query parameter the app cannot use; the message says what is expected."""


# ---------------------------------------------------------------- parameters

def _date(value: str | None, name: str) -> str | None:
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


def _int(value: str | None, name: str, default: int, lo: int, hi: int) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        n = int(value.strip())
    except ValueError:
        raise ParamError(f"'{name}' must be a whole number, got {value[:40]!r}") from None
    if not lo <= n <= hi:
        raise ParamError(f"'{name}' must be between {lo} and {hi}, got {n}")
    return n


def _paging(page: str | None, limit: str | None, default_limit: int) -> tuple[int, int, int]:
    lim = _int(limit, "limit", default_limit, 1, MAX_LIMIT)
    pg = _int(page, "page", 1, 1, 1_000_000)
    if (pg - 1) * lim > MAX_OFFSET:
        raise ParamError(f"'page' {pg} is too far: at most {MAX_OFFSET // lim + 1} pages of {lim}; "
                         "narrow the filters instead")
    return pg, lim, (pg - 1) * lim


def _text(value: str | None, name: str, max_len: int = 200) -> str | None:
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if len(value) > max_len:
        raise ParamError(f"'{name}' is too long (at most {max_len} characters)")
    if any(ord(c) < 32 for c in value):
        raise ParamError(f"'{name}' contains control characters")
    return value


def _story_filters(since: str | None, until: str | None, actor: str | None, type: str | None,
                   lang: str | None) -> dict[str, Any]:
    f = {"since": _date(since, "since"), "until": _date(until, "until"),
         "actor": _text(actor, "actor"), "type": None, "lang": None}
    if f["since"] and f["until"] and f["since"] > f["until"]:
        raise ParamError(f"'since' ({f['since']}) is after 'until' ({f['until']})")
    t = _text(type, "type")
    if t:
        if t.upper() not in EVENT_TYPES:
            raise ParamError(f"'type' must be one of the PLOVER event types: {', '.join(EVENT_TYPES)}")
        f["type"] = t.upper()
    lg = _text(lang, "lang")
    if lg:
        if not re.fullmatch(r"[A-Za-z]{2,3}", lg):
            raise ParamError(f"'lang' must be a language code such as fr or en, got {lg!r}")
        f["lang"] = lg.lower()
    return f


# ---------------------------------------------------------------- helpers for templates

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


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html", "xml"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(url_story=url_story, url_article=url_article, url_actor=url_actor,
                       url_event=url_event, url_quote=url_quote, quote_anchor=quote_anchor)
    env.filters["with_page"] = _with_page
    env.filters["cssname"] = _cssname
    env.filters["web_url"] = _web_url
    return env


# ---------------------------------------------------------------- the app

def create_app(db: str | Path, *, reader_factory: Callable[[], Reader] | None = None) -> FastAPI:
    """The web app over the store at ``db``, opened read-only (one connection per thread)."""
    db_path = Path(db)
    local = threading.local()

    def make_reader() -> Reader:
        if reader_factory is not None:
            return reader_factory()
        return Reader.open(db_path)

    def reader() -> Reader:
        r = getattr(local, "reader", None)
        if r is None:
            r = local.reader = make_reader()
        return r

    env = _environment()
    # no /docs or /redoc: FastAPI's viewers load their scripts from a CDN
    app = FastAPI(title="veille", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Read-only JSON API over a veille store: stories, articles, "
                              "events, actors, search and failed inputs.")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    cache: dict[str, tuple[float, Any]] = {}

    def cached(key: str, compute: Callable[[], Any]) -> Any:
        """Counts and the actor list change only when the pipeline writes: keep them a while."""
        now = time.monotonic()
        hit = cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        value = compute()
        cache[key] = (now, value)
        return value

    def stats() -> dict[str, Any]:
        try:
            return cached("stats", lambda: reader().stats())
        except (sqlite3.Error, OSError, VeilleError):  # the footer must never break a page
            return {}

    def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("stats", stats())
        ctx.setdefault("db_name", db_path.name)
        return HTMLResponse(env.get_template(name).render(request=request, **ctx), status_code=status)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def error(request: Request, status: int, detail: str) -> Response:
        if is_api(request):
            return JSONResponse({"detail": detail}, status_code=status)
        heading = {400: "Bad request", 404: "Not found", 503: "The store cannot be read"}.get(status, "Error")
        return render(request, "error.html", status=status, heading=heading, detail=detail,
                      status_code=status)

    @app.exception_handler(ParamError)
    async def on_param_error(request: Request, exc: ParamError):
        return error(request, 400, str(exc))

    @app.exception_handler(StoreError)
    async def on_store_error(request: Request, exc: StoreError):
        return error(request, 503, str(exc))

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "path"))
            parts.append(f"'{where}': {e.get('msg')}")
        return error(request, 400, "bad parameter: " + "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404 and exc.detail in (None, "Not Found"):
            detail = f"there is no page at {request.url.path[:200]}"
        else:
            detail = str(exc.detail)
        return error(request, exc.status_code, detail)

    # ------------------------------------------------------------ data (shared by pages and API)

    def stories_data(since, until, actor, type, lang, page, limit) -> dict[str, Any]:
        f = _story_filters(since, until, actor, type, lang)
        pg, lim, off = _paging(page, limit, 20)
        rows = reader().stories(**f, limit=lim + 1, offset=off)
        return {"filters": f, "page": pg, "limit": lim, "has_next": len(rows) > lim, "stories": rows[:lim]}

    def story_data(story_id: str) -> dict[str, Any]:
        found = reader().story(story_id)
        if found is None:
            raise StarletteHTTPException(404, f"no story with id {story_id[:80]!r}")
        return found

    def article_data(article_id: str) -> dict[str, Any]:
        a = reader().article(article_id)
        if a is None:
            raise StarletteHTTPException(404, f"no article with id {article_id[:80]!r}")
        return a

    def actor_data(actor_id: str, page, limit) -> dict[str, Any]:
        pg, lim, off = _paging(page, limit, 50)
        r = reader()
        info = r.actor(actor_id)
        if info is None:
            raise StarletteHTTPException(404, f"no actor with id {actor_id[:80]!r}")
        did = r.events(actor=actor_id, limit=lim + 1, offset=off)
        done_to = r.events(recipient=actor_id, limit=lim + 1, offset=off)
        return {"actor": info, "page": pg, "limit": lim,
                "has_next": len(did) > lim or len(done_to) > lim,
                "did": did[:lim], "done_to": done_to[:lim]}

    def search_data(q, page, limit) -> dict[str, Any]:
        query = _text(q, "q", 500)
        pg, lim, off = _paging(page, limit, 20)
        if not query:
            return {"q": "", "page": pg, "limit": lim, "has_next": False, "hits": [], "total": None}
        hits = reader().search(query, limit=lim + 1, offset=off)
        return {"q": query, "page": pg, "limit": lim, "has_next": len(hits) > lim,
                "hits": hits[:lim], "total": None}

    def errors_data(page, limit) -> dict[str, Any]:
        pg, lim, off = _paging(page, limit, 50)
        rows = reader().errors(limit=lim + 1, offset=off)
        return {"page": pg, "limit": lim, "has_next": len(rows) > lim, "errors": rows[:lim]}

    # ------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, since: str | None = None, until: str | None = None,
             actor: str | None = None, type: str | None = None, lang: str | None = None,
             page: str | None = None, limit: str | None = None):
        data = stories_data(since, until, actor, type, lang, page, limit)
        st = stats()
        latest = st.get("latest")
        recent = {}
        if latest:
            day = date.fromisoformat(latest[:10])
            recent = {n: (day - timedelta(days=n)).isoformat() for n in (7, 30, 365)}
        params = {**data["filters"], "limit": limit}
        return render(request, "home.html", stories=data["stories"], f=data["filters"],
                      filtered=any(data["filters"].values()), page=data["page"],
                      has_next=data["has_next"], params=params, event_types=EVENT_TYPES,
                      latest=latest[:10] if latest else None, recent=recent, stats=st,
                      top_actors=list({a["id"]: a for s in data["stories"] for a in s.get("actors") or []}
                                      .values()))

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str):
        data = story_data(story_id)
        s = data["summary"]
        return render(request, "story.html", s=s, svg=timeline_svg(s["timeline"], s["articles"]),
                      quotes=data["quotes"], mirrors=data["mirrors"], modalities=MODALITIES,
                      truncated=data["truncated"], total_articles=data["total_articles"])

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str, extra: str | None = None):
        show_extra = _int(extra, "extra", 0, 0, 1) == 1
        a = article_data(article_id)
        body = highlight(a["text"], actors=a["actors"], quotes=a["quotes"], events=a["events"],
                         cited_sources=a["cited_sources"])
        names = {act["id"]: act.get("name") for act in a["actors"]}
        events = [dict(e, article=a["id"], actor_name=names.get(e.get("actor")),
                       recipient_name=names.get(e.get("recipient")),
                       according_to_name=names.get(e.get("according_to")),
                       date=e.get("date") or a.get("published"))
                  for e in a["events"]]
        return render(request, "article.html", a=a, body=body, events=events, show_extra=show_extra)

    @app.get("/actor/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, actor_id: str, page: str | None = None, limit: str | None = None):
        data = actor_data(actor_id, page, limit)
        return render(request, "actor.html", **data, params={"limit": limit})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str | None = None, page: str | None = None,
                    limit: str | None = None):
        try:
            data = search_data(q, page, limit)
        except QueryError as exc:
            return render(request, "search.html", status=400, q=q or "", hits=[], page=1, limit=20,
                          has_next=False, total=None, params={}, message=str(exc))
        for h in data["hits"]:
            h["snippet_html"] = snippet_markup(h.get("snippet"))
        return render(request, "search.html", **data, params={"q": data["q"], "limit": limit})

    @app.get("/errors", response_class=HTMLResponse, include_in_schema=False)
    def errors_page(request: Request, page: str | None = None, limit: str | None = None):
        data = errors_data(page, limit)
        return render(request, "errors.html", **data, params={"limit": limit})

    # ------------------------------------------------------------ JSON API

    @app.get("/api/stats", tags=["store"])
    def api_stats() -> dict[str, Any]:
        """Counts of articles, stories, events and failed inputs; the latest article date."""
        return cached("stats", lambda: reader().stats())

    @app.get("/api/stories", tags=["stories"])
    def api_stories(since: str | None = Query(None, description="YYYY-MM-DD"),
                    until: str | None = Query(None, description="YYYY-MM-DD"),
                    actor: str | None = Query(None, description="actor id, e.g. USA or Huawei"),
                    type: str | None = Query(None, description="PLOVER event type, e.g. ACCUSE"),
                    lang: str | None = Query(None, description="language code, e.g. fr"),
                    page: str | None = Query(None, description="1, 2, …"),
                    limit: str | None = Query(None, description=f"1 to {MAX_LIMIT}")) -> dict[str, Any]:
        """Stories, most recent first, filtered like the home page."""
        return stories_data(since, until, actor, type, lang, page, limit)

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: str) -> dict[str, Any]:
        """One story: summary (articles in time order, actors, timeline, source chain),
        quotes and mirrored narratives."""
        data = story_data(story_id)
        return {**data["summary"], "quotes": data["quotes"], "mirrors": data["mirrors"],
                "total_articles": data["total_articles"]}

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: str) -> dict[str, Any]:
        """One article in the export's shape (text, dropped, comments, actors, quotes, events)."""
        return article_data(article_id)

    @app.get("/api/actors/{actor_id}", tags=["actors"])
    def api_actor(actor_id: str, page: str | None = Query(None), limit: str | None = Query(None)):
        """An actor, with the events it is the actor of and those it is the target of."""
        return actor_data(actor_id, page, limit)

    @app.get("/api/search", tags=["search"])
    def api_search(q: str | None = Query(None, description="full-text query (FTS5 syntax)"),
                   page: str | None = Query(None), limit: str | None = Query(None)):
        """Full-text search, accents and case folded; snippets mark matches with [ and ]."""
        try:
            data = search_data(q, page, limit)
        except QueryError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=400)
        for h in data["hits"]:
            h["snippet"] = (h.get("snippet") or "").replace("\x02", "[").replace("\x03", "]")
        return data

    @app.get("/api/errors", tags=["store"])
    def api_errors(page: str | None = Query(None), limit: str | None = Query(None)):
        """Failed inputs with their reason and stage."""
        return errors_data(page, limit)

    return app


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web interface with uvicorn until interrupted (``veille serve``)."""
    import uvicorn

    from ..errors import ConfigError

    path = Path(db)
    if not path.is_file():
        raise StoreError(f"{path}: no store there; build one first with: veille run PATH --db {path}")
    if not 0 < port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, got {port}")
    app = create_app(path)
    print(f"veille: serving {path} on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
