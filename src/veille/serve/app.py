"""The web interface: a read-only FastAPI app over a veille store.

``create_app(db)`` returns the app; ``veille serve`` runs it with uvicorn on 127.0.0.1.
The HTML pages (:mod:`.pages`) and the JSON API under ``/api/`` (:mod:`.api`) are two
routers over the same data (:mod:`.reader`), read through the store's protocol
(:class:`veille.store.Reads`): any store that implements it can be served. Every
response carries a strict Content-Security-Policy: scripts and styles come only from
``/static/``, which serves the package's own ``static`` folder and nothing else.

Query parameters are checked (:mod:`.params`): a bad date, page or limit gives a 400
with a message (an HTML page for pages, ``{"detail": ...}`` for the API), never a 500.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import StoreError, VeilleError
from ..store.base import Reads
from . import api, pages
from .i18n import LANGUAGES, N_, check_language, translations
from .pages import snippet_markup
from .params import ParamError
from .reader import NotFound

HERE = Path(__file__).resolve().parent
CACHE_SECONDS = 30.0
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_ERROR_HEADINGS = {400: N_("Bad request"), 404: N_("Not found"), 503: N_("The store cannot be read")}
_ERROR = N_("Error")


class Web:
    """What the routes share (``app.state.web``): one store per thread (a SQLite connection
    stays in its thread), a short cache for the counts, the templates."""

    def __init__(self, name: str, open_store: Callable[[], Reads], language: str = LANGUAGES[0]):
        self.name = name
        self.language = check_language(language)
        self.templates = pages.environment(self.language)
        self.gettext = translations(self.language).gettext
        self._open = open_store
        self._local = threading.local()
        self._cache: dict[str, tuple[float, Any]] = {}

    def store(self) -> Reads:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = self._open()
        return store

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """Counts change only when the pipeline writes: keep them a while."""
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        value = compute()
        self._cache[key] = (now, value)
        return value

    def actor_names(self) -> list[tuple[str, str]]:
        """The store's (actor id, name) pairs, kept a while like the counts."""
        return self.cached("actor_names", lambda: self.store().actor_names())

    def stats(self) -> dict[str, Any]:
        """The counts for a page's footer; {} when the store cannot be read (the footer must
        never break a page)."""
        try:
            return self.cached("stats", lambda: self.store().counts())
        except (sqlite3.Error, OSError, VeilleError):
            return {}


def create_app(db: str | Path, *, store_factory: Callable[[], Reads] | None = None,
               language: str = LANGUAGES[0]) -> FastAPI:
    """The web app over the store at ``db``, opened read-only (one connection per thread),
    or over the stores ``store_factory`` makes (called once per thread); its pages speak
    ``language`` (one of :data:`~veille.serve.i18n.LANGUAGES`, French first)."""
    db_path = Path(db)
    if store_factory is None:
        def store_factory() -> Reads:
            from ..store import open_store
            return open_store(db_path, readonly=True)

    # no /docs or /redoc: FastAPI's viewers load their scripts from a CDN
    app = FastAPI(title="veille", version=__version__, docs_url=None, redoc_url=None,
                  description="Read-only JSON API over a veille store: stories, articles, "
                              "events, actors, search and failed inputs.")
    app.state.web = Web(db_path.name, store_factory, language)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.middleware("http")(_security_headers)
    for exc_class, handler in _HANDLERS.items():
        app.add_exception_handler(exc_class, handler)
    app.include_router(pages.router)
    app.include_router(api.router)
    return app


async def _security_headers(request: Request, call_next):
    response = await call_next(request)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _error(request: Request, status: int, detail: str) -> Response:
    """The error as JSON under /api/, as a page elsewhere."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": detail}, status_code=status)
    _ = request.app.state.web.gettext
    return pages.render(request, "error.html", status=status, heading=_(_ERROR_HEADINGS.get(status, _ERROR)),
                        detail=detail, status_code=status)


async def _on_param_error(request: Request, exc: Exception) -> Response:
    return _error(request, 400, str(exc))


async def _on_not_found(request: Request, exc: Exception) -> Response:
    return _error(request, 404, str(exc))


async def _on_store_error(request: Request, exc: Exception) -> Response:
    return _error(request, 503, str(exc))


async def _on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"'{where}': {e.get('msg')}")
    return _error(request, 400, "bad parameter: " + "; ".join(parts))


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 404 and exc.detail in (None, "Not Found"):
        detail = f"there is no page at {request.url.path[:200]}"
    else:
        detail = str(exc.detail)
    return _error(request, exc.status_code, detail)


_HANDLERS: dict[type[Exception], Callable[..., Any]] = {
    ParamError: _on_param_error, NotFound: _on_not_found, StoreError: _on_store_error,
    RequestValidationError: _on_validation_error, StarletteHTTPException: _on_http_error,
}


def check_port(host: str, port: int) -> None:
    """Check that ``host:port`` can be listened on: a ConfigError naming the port
    when another program holds it, before anything says "serving"."""
    import errno
    import socket

    from ..errors import ConfigError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise ConfigError(f"--host {host}: not an address of this machine ({e.strerror or e})") from e
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise ConfigError(f"port {port} on {host} is already in use; choose another with "
                                  f"--port N") from e
            raise ConfigError(f"cannot listen on {host}:{port} ({e.strerror or e})") from e


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8000, language: str = LANGUAGES[0]) -> None:
    """Run the web interface with uvicorn until interrupted (``veille serve``), in ``language``."""
    import uvicorn

    from ..errors import ConfigError

    path = Path(db)
    if not path.is_file():
        raise StoreError(f"{path}: no store there; build one first with: veille run PATH --db {path}")
    if not 0 < port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, got {port}")
    try:
        language = check_language(language)
    except ValueError as e:
        raise ConfigError(f"--language: {e}") from None
    check_port(host, port)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"veille: warning: listening on {host}: anyone who can reach it can read the store",
              file=sys.stderr, flush=True)
    app = create_app(path, language=language)
    print(f"veille: serving {path} on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


__all__ = ["CSP", "Web", "create_app", "serve", "snippet_markup"]
