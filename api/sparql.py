"""/sparql: the W3C SPARQL 1.1 Protocol query operation, read-only.

Split as parse → negotiate → execute → serialise, each step with its own error:
- request: GET ?query=, POST form (query=), POST application/sparql-query; the
  default-graph-uri / named-graph-uri parameters set the dataset (and override FROM, as the
  protocol says); size limited (Settings.max_query_bytes → 413);
- pre-check (api.sparql_scan): UPDATE (also `update=` on GET), SERVICE and, behind a remote
  store only, graphs outside edukg's namespace → 400, before the store sees anything; the store's
  parser finds syntax errors and api.sparql_syntax says where (400, line, column, token);
- negotiate (api.negotiate): Accept or `format=` → a format, else 406;
- execute + serialise next to the store (`StoreClient.sparql`), under Settings.query_timeout
  (→ 503, and the query is really stopped: see kg/service/process.py); too many queries at once
  → 503 with Retry-After. The event loop only awaits a future meanwhile.
GET /sparql without a query returns a SPARQL service description (Turtle), or the query page
for a browser. Answers carry CORS headers and OPTIONS answers the preflight (api/cors.py).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.bodies import charset, media_type, read_limited
from api.cors import allow_origin, preflight
from api.deps import app_settings, app_store
from api.errors import ApiError
from api.negotiate import NotAcceptable, choose
from api.result_cache import ResultCache, cache_key
from api.sparql_scan import check_graph_iris, scan_query
from api.sparql_syntax import explain
from kg.errors import KGError
from kg.service.client import StoreClient
from kg.service.settings import Settings
from kg.store import REMOTE_PREFIXES
from kg.store.results import MEDIA_TYPES, RESULT_FORMATS
from ontology.namespace import BASE

router = APIRouter(tags=["SPARQL"])

SCAN_INLINE_BYTES = 20_000  # longer queries are pre-checked in a worker thread
MEDIA_TYPES_BY_RESULT = {name: MEDIA_TYPES[name] for name in RESULT_FORMATS}

_QUERY_BODY = {
    "requestBody": {
        "content": {
            "application/sparql-query": {"schema": {"type": "string"}, "example": "ASK { ?s ?p ?o }"},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                }
            },
        },
        "required": True,
    }
}
_RESULTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results in the negotiated format",
        "content": {
            t: {}
            for t in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
                "text/turtle",
                "application/n-triples",
                "application/ld+json",
                "application/rdf+xml",
            )
        },
    },
    400: {"description": "Malformed query, UPDATE, SERVICE or a graph outside the store"},
    406: {"description": "No acceptable result format"},
    413: {"description": "Query larger than the limit"},
    503: {"description": "Query ran past the time limit and was stopped"},
}


@router.get("/sparql", responses=_RESULTS, summary="SPARQL query (GET)")
async def sparql_get(
    request: Request,
    query: Annotated[
        str | None, Query(description="SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    ] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
    format: Annotated[
        str | None, Query(description="json, xml, csv, tsv | turtle, ntriples, jsonld, rdfxml")
    ] = None,
) -> Response:
    # the parameters are declared for the OpenAPI schema; `handle_get` reads them from the URL,
    # as api/fastpath.py calls it without FastAPI in between
    return await handle_get(request)


async def handle_get(request: Request) -> Response:
    """GET /sparql: a query in the URL, or the service description without one."""
    settings, store = app_settings(request), app_store(request)
    params = request.query_params
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise ApiError("update_refused", "SPARQL Update is not accepted: /sparql is read-only")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise ApiError("bad_request", "the request must carry exactly one 'query' parameter")
    if not queries:
        return _service_description(request, settings)
    query = queries[0]
    if len(query.encode("utf-8")) > settings.max_query_bytes:
        raise ApiError("too_large", f"query is larger than the limit of {settings.max_query_bytes:,} bytes")
    return await answer(
        request,
        settings,
        store,
        query,
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
        params.get("format"),
    )


@router.options("/sparql", include_in_schema=False)
async def sparql_options(request: Request) -> Response:
    """CORS preflight, so browser clients on other origins can POST queries (api/cors.py)."""
    return preflight(request)


@router.post("/sparql", responses=_RESULTS, openapi_extra=_QUERY_BODY, summary="SPARQL query (POST)")
async def sparql_post(request: Request) -> Response:
    return await handle_post(request)


async def handle_post(request: Request) -> Response:
    """POST /sparql: application/sparql-query, or a form with `query=`.

    No Depends here: the hottest route reads the app's settings and store directly, since
    FastAPI's dependency solving cost ~0.1 ms a request, measured (bench/RESULTS.md)."""
    settings, store = app_settings(request), app_store(request)
    kind = media_type(request)
    if kind == "application/sparql-update":
        raise ApiError("update_refused", "SPARQL Update is not accepted: /sparql is read-only")
    if kind not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        raise ApiError(
            "unsupported_media_type",
            f"POST /sparql takes application/sparql-query or application/x-www-form-urlencoded, not {kind or 'no Content-Type'!r}",
        )
    body = await read_limited(request, settings.max_query_bytes, "query")
    text = _decode(body, charset(request) or "utf-8")
    params = request.query_params
    if kind == "application/sparql-query":
        query = text
        default, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    else:
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            raise ApiError("update_refused", "SPARQL Update is not accepted: /sparql is read-only")
        queries = form.get("query", [])
        if len(queries) != 1:
            raise ApiError("bad_request", "the form must carry exactly one 'query' field")
        query = queries[0]
        default, named = form.get("default-graph-uri", []), form.get("named-graph-uri", [])
    return await answer(request, settings, store, query, default, named, params.get("format"))


async def answer(
    request: Request,
    settings: Settings,
    store: StoreClient,
    query: str,
    default_graph_uri: list[str],
    named_graph_uri: list[str],
    format_param: str | None,
) -> Response:
    """Pre-check, negotiate, run in the store process, answer (or answer from the cache)."""
    cache: ResultCache | None = request.app.state.result_cache
    key, version = None, None
    if cache is not None:
        version = store.data_version()
        key = cache_key(
            query, request.headers.get("accept"), format_param, default_graph_uri, named_graph_uri
        )
        hit = cache.get(key, version)
        if hit is not None:
            headers = {"Vary": "Accept", **allow_origin(request)}
            return Response(content=hit.body, media_type=hit.media_type, headers=headers)
    # the embedded store never dereferences a graph IRI (one it does not hold is just empty), so
    # any IRI may name a graph there; a remote server might fetch one, so only edukg's are allowed
    allowed = BASE if settings.store.strip().startswith(REMOTE_PREFIXES) else None
    if len(query) > SCAN_INLINE_BYTES:
        info = await run_in_threadpool(scan_query, query, allowed_graph_base=allowed)
    else:
        info = scan_query(query, allowed_graph_base=allowed)
    check_graph_iris(default_graph_uri + named_graph_uri, allowed)
    try:
        fmt = choose(request.headers.get("accept"), graph=info.returns_graph, format_param=format_param)
    except NotAcceptable as err:
        raise ApiError("not_acceptable", str(err)) from None
    if default_graph_uri or named_graph_uri:  # the protocol's dataset replaces FROM/FROM NAMED
        default: list[str] | None = default_graph_uri
        named: list[str] | None = named_graph_uri
    elif info.has_dataset_clause:
        default, named = info.from_graphs, info.from_named
    else:  # no dataset given: the union of all graphs, every named graph visible
        default, named = None, None
    headers = {"Vary": "Accept", **allow_origin(request)}
    try:
        if info.returns_graph or fmt.name not in MEDIA_TYPES_BY_RESULT:
            media, body = await store.sparql(query, fmt.name, default_graphs=default, named_graphs=named)
            if cache is not None and key is not None and not info.volatile:
                cache.put(key, version, store.data_version(), media, body)
            return Response(content=body, media_type=media, headers=headers)
        # SELECT/ASK: a large answer streams (no size cap, flat memory), a small one comes whole
        answer = await store.sparql_stream(query, fmt.name, default_graphs=default, named_graphs=named)
    except KGError as err:
        readable = explain(query, err.message) if err.code == "bad_query" else None
        if readable is None:
            raise
        raise ApiError("bad_query", readable) from None
    media = MEDIA_TYPES_BY_RESULT[fmt.name]
    if isinstance(answer, bytes):
        if cache is not None and key is not None and not info.volatile:
            cache.put(key, version, store.data_version(), media, answer)
        return Response(content=answer, media_type=media, headers=headers)
    return StreamingResponse(answer, media_type=media, headers=headers)


def _decode(body: bytes, encoding: str) -> str:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise ApiError("bad_request", f"the request body is not valid {encoding} text") from None


_FORMATS = "http://www.w3.org/ns/formats/"


def _service_description(request: Request, settings: Settings) -> Response:
    """SPARQL 1.1 Service Description of this endpoint (a browser is sent to the query page)."""
    accept = request.headers.get("accept", "")
    if "text/html" in accept and "text/turtle" not in accept:
        return RedirectResponse(url="/", status_code=303)
    endpoint = str(request.url_for("sparql_get"))
    formats = ", ".join(
        f"<{_FORMATS}{name}>"
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        )
    )
    body = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

[] a sd:Service ;
    rdfs:label "edukg SPARQL endpoint (read-only)" ;
    rdfs:comment "Union of all article graphs as the default graph; queries stop after {settings.query_timeout:g} s; SERVICE and updates are refused." ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat {formats} ;
    sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> .
"""
    return Response(content=body, media_type="text/turtle; charset=utf-8", headers=allow_origin(request))
