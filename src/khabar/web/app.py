"""``khabar serve``: the JSON API of CONTRACT.md and right-to-left Arabic pages over one database.

Every page has a JSON twin (``/search`` ↔ ``/api/search``, ``/articles/{id}`` ↔ ``/api/articles/{id}``,
``/entities/{id}`` ↔ ``/api/entities/{id}``, ``/quotes`` ↔ ``/api/quotes``, ``/`` ↔ ``/api/stats``).
Requests read through a fresh read-only SQLite connection with a time limit (Datasette's habit),
so the server can never change the knowledge base and a pathological query cannot hang it.
Errors are 400/404/503 pages (or JSON under ``/api``), never a traceback.
"""
# No ``from __future__ import annotations`` here: FastAPI reads the parameter annotations at
# runtime, and some refer to names local to create_app().
import sqlite3
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar import __version__
from khabar.errors import InputError, KhabarError, StoreError
from khabar.store import queries as Q
from khabar.store.db import QueryTimeout, open_reader
from khabar.store.fts import MAX_QUERY_CHARS
from khabar.web.render import ENTITY_TYPES, article_path, render_article, safe_url

HERE = Path(__file__).resolve().parent
# Pages allow no script at all: even if escaping failed somewhere, injected code would not run.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

Limit = Annotated[int, Query(ge=1, le=Q.MAX_LIMIT, description="Hits per page (1-100).")]
Offset = Annotated[int, Query(ge=0, le=Q.MAX_OFFSET, description="Hits to skip.")]


@lru_cache(maxsize=1)
def _templates() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("khabar.web", "templates"),
                      autoescape=select_autoescape(["html"], default=True), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(article_path=article_path, safe_url=safe_url, entity_types=ENTITY_TYPES)
    return env


def _page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    html = _templates().get_template(template).render(request=request, **ctx)
    return HTMLResponse(html, status_code=status)


def _pager(request: Request, res: dict[str, Any]) -> dict[str, str | None]:
    """Links to the previous and next page of a result that has total/limit/offset."""
    params = dict(request.query_params)
    limit, offset, total = res["limit"], res["offset"], res["total"]

    def link(off: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'offset': off, 'limit': limit})}"

    return {"prev": link(max(0, offset - limit)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total else None}


def _listing(request: Request, template: str, res: dict[str, Any], api: str, **ctx: Any) -> HTMLResponse:
    """A page of hits with its pager and its JSON twin (same query parameters under ``api``)."""
    twin = {k: v for k, v in request.query_params.items() if v}
    twin.update(limit=str(res["limit"]), offset=str(res["offset"]))
    return _page(request, template, res=res, pager=_pager(request, res), json_url=f"{api}?{urlencode(twin)}", **ctx)


def create_app(db: str | Path, time_limit: float = 2.0) -> FastAPI:
    db_path = Path(db)
    open_reader(db_path).close()  # fail now, with a remedy, rather than on the first request

    app = FastAPI(title="khabar", version=__version__,
                  description="Arabic news as structured knowledge: articles with their entities, quotes "
                              "(with speakers), figures and dates. Search folds Arabic spelling variants.")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def conn() -> Iterator[sqlite3.Connection]:
        c = open_reader(db_path, time_limit=time_limit)
        try:
            yield c
        finally:
            c.close()

    Conn = Annotated[sqlite3.Connection, Depends(conn)]

    # -- errors: JSON under /api, an Arabic page elsewhere ------------------------------
    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"error": message, "status": status}, status_code=status)
        titles = {400: "طلب غير صالح", 404: "غير موجود", 503: "الخادم مشغول"}
        return _page(request, "error.html", status=status, status_code=status,
                     heading=titles.get(status, "خطأ"), message=message)

    def _handler(status: int) -> Any:
        async def handle(request: Request, exc: Exception) -> Response:
            return _error(request, status, str(exc))
        return handle

    # Most specific first: Starlette picks the handler of the nearest class in the MRO.
    for exc_type, status in ((Q.NotFound, 404), (InputError, 400), (QueryTimeout, 503), (StoreError, 500)):
        app.add_exception_handler(exc_type, _handler(status))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
            parts.append(f"{where}: {err.get('msg')}")
        return _error(request, 400, "; ".join(parts) or "bad request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        msg = "no such page" if exc.status_code == 404 else str(exc.detail)
        return _error(request, exc.status_code, msg)

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.url.path.startswith(("/docs", "/redoc")):
            response.headers["Content-Security-Policy"] = CSP
        return response

    # -- JSON API ---------------------------------------------------------------------
    Q_SEARCH = Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS,
                                    description='Words (all must occur); "double quotes" make a phrase.')]

    @app.get("/api/search", tags=["api"], summary="Full-text search (Arabic spelling folded)")
    def api_search(c: Conn, q: Q_SEARCH, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        return Q.search(c, q, limit=limit, offset=offset)

    @app.get("/api/quotes", tags=["api"], summary="Quotes, optionally by speaker name or entity id")
    def api_quotes(c: Conn, speaker: Annotated[str | None, Query(max_length=200)] = None,
                   entity: Annotated[int | None, Query(ge=1)] = None,
                   limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        return Q.quotes(c, speaker=speaker, entity=entity, limit=limit, offset=offset)

    @app.get("/api/articles/{article_id:path}", tags=["api"], summary="One article's analysis (CONTRACT.md)")
    def api_article(c: Conn, article_id: str) -> dict[str, Any]:
        return Q.article(c, article_id)

    @app.get("/api/entities", tags=["api"], summary="Entities across articles, most frequent first")
    def api_entities(c: Conn, q: Annotated[str | None, Query(max_length=200)] = None,
                     type: Annotated[str | None, Query(pattern="^(PER|ORG|LOC|MISC)$")] = None,
                     limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        return Q.entities(c, q=q, etype=type, limit=limit, offset=offset)

    @app.get("/api/entities/{entity_id}", tags=["api"], summary="One entity with its quotes and articles")
    def api_entity(c: Conn, entity_id: int, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return Q.entity(c, entity_id, limit=limit, offset=offset)

    @app.get("/api/stats", tags=["api"], summary="What the knowledge base holds")
    def api_stats(c: Conn) -> dict[str, Any]:
        return Q.stats(c)

    # -- pages ------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, c: Conn) -> HTMLResponse:
        return _page(request, "index.html", stats=Q.stats(c), top=Q.entities(c, limit=20)["hits"],
                     json_url="/api/stats")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, c: Conn, q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
                    limit: Limit = 20, offset: Offset = 0) -> HTMLResponse:
        if not q.strip():
            return _page(request, "search.html", q="", res=None, json_url=None)
        res = Q.search(c, q, limit=limit, offset=offset)
        return _listing(request, "search.html", res, "/api/search", q=q)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(request: Request, c: Conn, speaker: Annotated[str | None, Query(max_length=200)] = None,
                    limit: Limit = 20, offset: Offset = 0) -> HTMLResponse:
        res = Q.quotes(c, speaker=speaker or None, limit=limit, offset=offset)
        return _listing(request, "quotes.html", res, "/api/quotes", speaker=speaker or "")

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, c: Conn, q: Annotated[str | None, Query(max_length=200)] = None,
                      limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
        res = Q.entities(c, q=q or None, limit=limit, offset=offset)
        return _listing(request, "entities.html", res, "/api/entities", q=q or "")

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, c: Conn, entity_id: str, limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
        if not entity_id.isdigit() or len(entity_id) > 18:
            raise Q.NotFound(f"no entity {entity_id!r}", "entity ids are numbers; search at /entities")
        e = Q.entity(c, int(entity_id), limit=limit, offset=offset)
        return _page(request, "entity.html", e=e, pager=_pager(request, e["quote_list"]),
                     json_url=f"/api/entities/{int(entity_id)}")

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, c: Conn, article_id: str) -> HTMLResponse:
        a = Q.article(c, article_id)
        links = Q.article_links(c, article_id)
        return _page(request, "article.html", a=a, body=render_article(a, links), links=links,
                     json_url="/api" + article_path(article_id))

    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory khabar.web.app:app_from_env`` (reads KHABAR_DB)."""
    import os

    return create_app(os.environ.get("KHABAR_DB", "khabar.db"))


__all__ = ["create_app", "app_from_env", "KhabarError"]
