"""The /sparql fast path (api/fastpath.py): GET/POST /sparql skip FastAPI's machinery, and answer
exactly as the routes do — including every error, which both map with api.errors.response_for.

In-process (TestClient on the seed store): the rest of tests/api checks the endpoint's behaviour
through the fast path already; this checks that the fast path is the one taken, that what it
does not take still reaches the app, and that its answers equal the routes' own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from api.fastpath import EdukgApp

from .conftest import InProcess

SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


@pytest.fixture
def routed(inproc: InProcess, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths of the requests that went through FastAPI (not the fast path)."""
    seen: list[str] = []
    original = FastAPI.__call__

    async def counting(self: FastAPI, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            seen.append(f"{scope['method']} {scope['path']}")
        await original(self, scope, receive, send)

    monkeypatch.setattr(FastAPI, "__call__", counting)
    yield seen


def test_sparql_queries_take_the_fast_path(inproc: InProcess, routed: list[str]) -> None:
    assert isinstance(inproc.app, EdukgApp)
    with inproc.client() as c:
        assert c.post("/sparql", content="ASK {}", headers=SPARQL_QUERY).json() == {
            "head": {},
            "boolean": True,
        }
        assert c.post("/sparql", data={"query": "ASK {}"}).status_code == 200
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert c.post("/sparql", content="INSERT DATA {}", headers=SPARQL_QUERY).status_code == 400
    assert routed == []


def test_the_rest_reaches_the_app(inproc: InProcess, routed: list[str]) -> None:
    with inproc.client() as c:
        assert c.get("/sparql", headers={"Accept": "text/turtle"}).status_code == 200  # description
        assert c.options("/sparql").status_code == 204  # CORS preflight
        assert c.put("/sparql", content="ASK {}").status_code == 405
        assert c.get("/health").status_code == 200
    assert routed == ["GET /sparql", "OPTIONS /sparql", "PUT /sparql", "GET /health"]


def routed_answer(app: FastAPI, method: str, **kwargs: Any) -> Any:
    """The same request answered by FastAPI's route (the fast path bypassed)."""
    from fastapi.testclient import TestClient

    async def routed_only(scope: Scope, receive: Receive, send: Send) -> None:
        await FastAPI.__call__(app, scope, receive, send)

    with TestClient(routed_only) as c:
        return c.request(method, "/sparql", **kwargs)


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        (
            "POST",
            {
                "content": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2",
                "headers": {**SPARQL_QUERY, "Accept": "text/csv"},
            },
        ),
        ("GET", {"params": {"query": "ASK {}", "format": "xml"}}),
        ("POST", {"content": "SELECT * WHERE { ?s ?p }", "headers": SPARQL_QUERY}),  # syntax error
        ("POST", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}),  # 415
        ("POST", {"content": "ASK {}", "headers": {**SPARQL_QUERY, "Accept": "image/png"}}),  # 406
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}),  # two queries
        ("POST", {"content": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "headers": SPARQL_QUERY}),
    ],
)
def test_same_answer_as_the_route(inproc: InProcess, method: str, kwargs: dict[str, Any]) -> None:
    with inproc.client() as c:
        fast = c.request(method, "/sparql", **kwargs)
    slow = routed_answer(inproc.app, method, **kwargs)
    assert (fast.status_code, fast.content) == (slow.status_code, slow.content)
    for name in ("content-type", "vary", "access-control-allow-origin", "retry-after"):
        assert fast.headers.get(name) == slow.headers.get(name), name
