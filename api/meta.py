"""/health, /stats and /queries (the example queries of kg/queries, with their parameters, for the query page)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import StoreDep
from api.models import Stats
from api.result_cache import ResultCache
from kg.examples import NamedQuery, get_query, list_queries

router = APIRouter(tags=["Service"])


@router.get("/health", summary="Is the server up and the store process alive? (never waits for the store)")
async def health(request: Request, store: StoreDep) -> JSONResponse:
    """Answered from the API process's view of the store service (state, heartbeat, queries
    running and waiting), so a load balancer's probe is fast and never queues behind queries."""
    report = store.health()
    cache: ResultCache | None = request.app.state.result_cache
    report["result_cache"] = cache.stats() if cache is not None else {"enabled": False}
    return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)


@router.get(
    "/stats", summary="Counts: quads, articles, entities by type, relations by property", response_model=Stats
)
async def stats(store: StoreDep) -> dict[str, Any]:
    return await store.stats()


def _example_json(query: NamedQuery, text: str | None = None) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params": [asdict(p) for p in query.params],
        "query": text if text is not None else query.text,
    }


@router.get("/queries", summary="Example SPARQL queries (kg/queries/*.rq) for the query page")
async def examples() -> list[dict[str, Any]]:
    return [_example_json(q) for q in list_queries()]


@router.get(
    "/queries/{name}", summary="One example query, with its parameters filled in from the query string"
)
async def example(name: str, request: Request) -> dict[str, Any]:
    query = get_query(name)
    values = {k: v for k, v in request.query_params.items()}
    return _example_json(query, query.render(**values))
