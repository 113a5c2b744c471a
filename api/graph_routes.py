"""Graph pages served by the API: GET /graph (filters as query parameters) and
GET /graph/entity/{id} (one entity's neighbourhood), plus the vendored vis-network script.

The pages reference only this server (`/graph/assets/vis-network.min.js`), so they draw on a
machine with no internet. The network is built next to the store (`StoreClient.network`, one
round trip under the query time limit); laying out the page runs in a worker thread.
"""

from __future__ import annotations

import html
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from api.errors import status_of
from extract.model import ENTITY_TYPES, RELATIONS
from kg.errors import KGError
from kg.network import GraphFilter
from kg.viz import DEFAULT_MAX_NODES, VIS_JS, render_page

ASSET_PATH = "/graph/assets/vis-network.min.js"
MAX_NODES_LIMIT = 5000  # a page beyond this is too slow to lay out in a browser

router = APIRouter(tags=["graph"])


def _list(values: list[str] | None) -> tuple[str, ...]:
    """Repeated or comma-separated query values, blanks (the form's "any") dropped."""
    return tuple(v.strip() for raw in values or () for v in raw.split(",") if v.strip())


def _error_page(err: KGError) -> HTMLResponse:
    status = status_of(err.code)
    body = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>edukg graph: error</title></head>"
        f"<body style='font:15px system-ui,sans-serif;margin:2em'><h1>Cannot draw this graph</h1>"
        f"<p id='error' data-code='{html.escape(err.code)}'>{html.escape(err.message)}</p>"
        "<p><a href='/graph'>Whole graph</a> · <a href='/'>Query page</a></p></body></html>"
    )
    return HTMLResponse(body, status_code=status)


def _links(*extra: dict[str, str]) -> list[dict[str, str]]:
    return [*extra, {"href": "/", "text": "Query page"}]


async def _page(
    graph: nx.MultiDiGraph, max_nodes: int, links: list[dict[str, str]], form: dict[str, Any] | None = None
) -> HTMLResponse:
    """The picture page, drawn off the event loop, its script served from ASSET_PATH."""
    page = await run_in_threadpool(
        render_page,
        graph,
        max_nodes=max_nodes,
        assets="url",
        asset_url=ASSET_PATH,
        form=form,
        links=links,
        entity_url="/graph/entity/",
    )
    return HTMLResponse(page.html)


@router.get("/graph", response_class=HTMLResponse, summary="Interactive picture of the graph")
async def graph_page(
    store: StoreDep,
    type: Annotated[list[str] | None, Query(description="Entity type(s) to keep")] = None,
    relation: Annotated[list[str] | None, Query(description="Relation(s) to keep")] = None,
    article: Annotated[str | None, Query(description="Article IRI, content-hash prefix or source")] = None,
    search: Annotated[str | None, Query(description="Text in an entity's name or alias")] = None,
    max_nodes: Annotated[int, Query(ge=1, le=MAX_NODES_LIMIT)] = DEFAULT_MAX_NODES,
) -> Response:
    flt = GraphFilter(
        _list(type), _list(relation), (article or "").strip() or None, (search or "").strip() or None
    )
    try:
        graph = await store.network(flt)
    except KGError as err:
        return _error_page(err)
    form: dict[str, Any] = {
        "action": "/graph",
        "types": ENTITY_TYPES,
        "relations": RELATIONS,
        "current": {
            "type": flt.types[0] if len(flt.types) == 1 else "",
            "relation": flt.relations[0] if len(flt.relations) == 1 else "",
            "article": flt.article,
            "search": flt.search,
            "max_nodes": max_nodes,
        },
    }
    links = _links({"href": "/graph", "text": "Whole graph"}) if flt != GraphFilter() else _links()
    return await _page(graph, max_nodes, links, form)


@router.get(
    "/graph/entity/{entity_id:path}", response_class=HTMLResponse, summary="One entity's neighbourhood"
)
async def entity_page(
    request: Request,
    store: StoreDep,
    entity_id: str,
    depth: Annotated[int, Query(ge=0, le=6)] = 1,
    relation: Annotated[list[str] | None, Query(description="Relation(s) to follow")] = None,
    max_nodes: Annotated[int, Query(ge=1, le=MAX_NODES_LIMIT)] = DEFAULT_MAX_NODES,
) -> Response:
    try:
        graph = await store.entity_network(entity_id, depth, _list(relation))
    except KGError as err:
        return _error_page(err)
    here = request.url.path
    links = _links(
        *({"href": f"{here}?depth={d}", "text": f"depth {d}"} for d in (1, 2, 3) if d != depth),
        {"href": "/graph", "text": "Whole graph"},
    )
    return await _page(graph, max_nodes, links)


@router.get(ASSET_PATH, include_in_schema=False)
def vis_network_asset() -> FileResponse:
    """The vendored vis-network build (see kg/static/vendor/vis-network/README.md)."""
    return FileResponse(
        VIS_JS,
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )
