"""The FastAPI app: `create_app(settings)` builds it; the lifespan opens the store and the model.

Nothing opens a store at import time. The lifespan starts the store process (api/store_process.py;
a "memory" store is served from a temporary on-disk store so it survives a query being stopped),
loads the spaCy extractor once for POST /articles, and closes both at shutdown. Routers: /sparql
(protocol), /entities, /articles, /stats + /health + /queries, the query page, and /graph when
api/graph_routes.py is present (pictures, another module).

Run one uvicorn worker per embedded store: the store process is the concurrency (a second
worker would find the store locked). With a remote store, run as many as you like.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api import __version__, articles, entities, errors, meta, page, sparql
from api.store_process import ProcessRepo, StoreProcess, resolve_spec
from kg.settings import Settings

DESCRIPTION = """
A knowledge graph of university–industry cooperation, extracted from press releases.

* **/sparql** — SPARQL 1.1 Protocol (read-only): GET `?query=`, POST form or `application/sparql-query`.
* **/entities**, **/articles** — REST look-ups; POST/DELETE /articles need the `X-API-Key` header.
* **/** — a query page; **/graph** — pictures of the graph.
"""


def load_extractor(settings: Settings) -> Any:
    from extract.pipeline import Extractor

    return Extractor(max_chars=settings.max_article_chars)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    spec, cleanup = resolve_spec(settings.store)
    store = StoreProcess(spec)
    try:
        await run_in_threadpool(store.start)
    except BaseException:
        cleanup()
        raise
    app.state.store = store
    app.state.repo = ProcessRepo(store, settings.query_timeout)
    try:
        app.state.extractor = await run_in_threadpool(load_extractor, settings)
        yield
    finally:
        await run_in_threadpool(store.close)
        cleanup()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The edukg API. `settings` defaults to `Settings()` (read from EDUKG_* once, here)."""
    settings = settings if settings is not None else Settings()
    app = FastAPI(
        title="edukg",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by api.page from vendored files (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    errors.install(app)
    app.include_router(sparql.router)
    app.include_router(entities.router)
    app.include_router(articles.router)
    app.include_router(meta.router)
    app.include_router(page.router)
    graph_router = _optional_router("api.graph_routes")
    if graph_router is not None:
        app.include_router(graph_router)
    app.mount("/static", StaticFiles(directory=page.STATIC_DIR), name="static")
    return app


def _optional_router(module_name: str) -> Any:
    """`router` of a module that may not be written yet; its own import errors still surface."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name != module_name:
            raise
        return None
    return getattr(module, "router", None)
