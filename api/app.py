"""The FastAPI app: `create_app(settings)` builds it; the lifespan opens the store and the model.

Nothing opens a store at import time. The lifespan starts the store service (kg/service/process.py;
a "memory" store is served from a temporary on-disk store so it survives a query being stopped),
loads the spaCy extractor once for POST /articles, and closes both at shutdown. Given a `store`
(e.g. `LocalStoreClient` over a test store), the app uses it as it is and leaves its life to the
caller. Routers: /sparql (protocol), /entities, /articles, /stats + /health + /queries, the query
page, and /graph (pictures).

Run one uvicorn worker per embedded store: the store process is the concurrency (a second
worker would find the store locked). With a remote store, run as many as you like.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api import __version__, articles, entities, errors, graph_routes, meta, page, sparql
from api.fastpath import EdukgApp
from api.result_cache import ResultCache
from kg.service.client import Limits, StoreClient
from kg.service.process import ProcessStoreClient, ServiceLimits, resolve_spec
from kg.service.settings import Settings
from kg.store import REMOTE_PREFIXES

DESCRIPTION = """
A knowledge graph of university–industry cooperation, extracted from press releases.

* **/sparql** — SPARQL 1.1 Protocol (read-only): GET `?query=`, POST form or `application/sparql-query`.
* **/entities**, **/articles** — REST look-ups; POST/DELETE /articles need the `X-API-Key` header.
* **/** — a query page; **/graph** — pictures of the graph.
"""


def load_extractor(settings: Settings) -> Any:
    from extract.pipeline import Extractor

    return Extractor(max_chars=settings.max_article_chars)


def result_cache(settings: Settings) -> ResultCache | None:
    """The /sparql result cache, or None when it is off: by setting (result_cache_mb=0), or with
    a remote store, whose data other servers may change without this one seeing it."""
    if settings.result_cache_mb <= 0 or settings.store.strip().startswith(REMOTE_PREFIXES):
        return None
    return ResultCache(settings.result_cache_mb * 1_000_000)


def store_client(settings: Settings, spec: str) -> ProcessStoreClient:
    """The server's store: a supervised store process with the settings' limits."""
    limits = Limits(query_timeout=settings.query_timeout)
    service = ServiceLimits(
        max_queries=settings.max_queries,
        max_waiting=settings.max_waiting,
        memory_cap_mb=settings.store_memory_mb,
    )
    return ProcessStoreClient(spec, limits, service)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.store is not None:  # given by the caller, who opens and closes it
        yield
        return
    settings: Settings = app.state.settings
    spec, cleanup = resolve_spec(settings.store)
    store = store_client(settings, spec)
    try:
        await store.start()
    except BaseException:
        cleanup()
        raise
    app.state.store = store
    try:
        if app.state.extractor is None:
            app.state.extractor = await run_in_threadpool(load_extractor, settings)
        yield
    finally:
        await store.close()
        app.state.store = None
        cleanup()


def create_app(
    settings: Settings | None = None, *, store: StoreClient | None = None, extractor: Any = None
) -> FastAPI:
    """The edukg API. `settings` defaults to `Settings()` (read from EDUKG_* once, here); without
    `store` the lifespan starts a store process on `settings.store`; without `extractor` spaCy is
    loaded at start (server) or on the first POST /articles (given store)."""
    settings = settings if settings is not None else Settings()
    app = EdukgApp(
        title="edukg",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by api.page from vendored files (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.extractor = extractor
    app.state.result_cache = result_cache(settings)
    errors.install(app)
    for module in (sparql, entities, articles, meta, page, graph_routes):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=page.STATIC_DIR), name="static")
    return app
