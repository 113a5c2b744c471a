"""The /sparql fast path: GET and POST /sparql handled before FastAPI's own machinery.

Why: the endpoint's answer to a small query takes a few tens of microseconds in the store, so
what bounds its rate is the per-request work of the API process. Profiled under wrk, a third of
that work was the layers every FastAPI request passes through — the middleware stack (server
errors, exception handlers, the exit stack, body-limit and telemetry wrappers, each wrapping
`send`), the router trying each route's pattern, and the route's request/response wrapper —
none of which /sparql uses. `EdukgApp.__call__` sends GET/POST /sparql straight to the same
handlers the FastAPI routes call (api.sparql.handle_get / handle_post) and turns their errors
into answers with the same function the app's exception handlers use (api.errors.response_for),
so the behaviour is the routes' own; the routes stay registered, which keeps them in the
OpenAPI schema and serves every other method (OPTIONS, 405s) and GET without a query (the
service description needs the router to name its own URL).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from api import sparql
from api.errors import response_for

SPARQL_PATH = "/sparql"


def _takes(scope: Scope) -> bool:
    """Whether the fast path answers this request (else the full app does)."""
    if scope["type"] != "http" or scope["path"] != SPARQL_PATH or scope.get("root_path"):
        return False
    method = scope["method"]
    if method == "POST":
        return True
    # a GET without `query=` is the service description (or a browser sent to the page)
    return method == "GET" and b"query=" in scope.get("query_string", b"")


class EdukgApp(FastAPI):
    """FastAPI with GET/POST /sparql answered by the fast path (see the module docstring)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _takes(scope):
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self  # what Starlette sets: request.app, and through it the app's state
        request = Request(scope, receive)
        try:
            if scope["method"] == "POST":
                response = await sparql.handle_post(request)
            else:
                response = await sparql.handle_get(request)
        except Exception as err:  # noqa: BLE001 - every error becomes its answer, as in the app
            response = response_for(request, err)
        await response(scope, receive, send)
