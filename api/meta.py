"""/health, /stats and /queries (the example queries of kg/queries, with their parameters, for the query page)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from api.deps import get_settings, get_store
from api.store_process import StoreProcess
from kg.queries import NamedQuery, get_query, list_queries
from kg.settings import Settings

router = APIRouter(tags=["Service"])

HEALTH_TIMEOUT = 5.0


@router.get("/health", summary="Is the server up and the store answering?")
async def health(store: StoreProcess = Depends(get_store)) -> JSONResponse:
    info: dict[str, Any] = {"state": store.state, "restarts": store.restarts, "timeouts": store.timeouts}
    try:
        ping = await store.acall("ping", timeout=HEALTH_TIMEOUT)
        info.update(ping)
        status, code = "ok", 200
    except Exception as err:  # health reports, it never raises
        info["error"] = getattr(err, "message", str(err))
        status, code = "unavailable", 503
    info["pid"] = store.pid
    return JSONResponse({"status": status, "store": info}, status_code=code)


@router.get("/stats", summary="Counts: quads, articles, entities by type, relations by property")
async def stats(settings: Settings = Depends(get_settings), store: StoreProcess = Depends(get_store)) -> dict[str, Any]:
    return await store.acall("lookup", "stats", (), {}, timeout=settings.query_timeout)  # type: ignore[no-any-return]


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


@router.get("/queries/{name}", summary="One example query, with its parameters filled in from the query string")
async def example(name: str, request: Request) -> dict[str, Any]:
    query = get_query(name)
    values = {k: v for k, v in request.query_params.items()}
    return _example_json(query, query.render(**values))
