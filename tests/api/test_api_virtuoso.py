"""`edukg serve --store virtuoso:…` in front of a REAL Virtuoso 7: the same answers as the embedded
store, and the endpoint's safety rules hold there too (read-only, no SERVICE, no FROM that the
server might dereference, the time limit), with the credentials never in the logs."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import pytest

from tests.remote.virtuoso_support import SKIP_REASON, VirtuosoServer, available

from .conftest import QUERY_TIMEOUT, Server, start_server, stop_server
from .test_api_sparql import PARTNERS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def virtuoso_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, VirtuosoServer]]:
    if not available():
        pytest.skip(SKIP_REASON)
    tmp = tmp_path_factory.mktemp("api-virtuoso")
    virtuoso = VirtuosoServer(tmp / "virtuoso")
    virtuoso.start()
    try:
        srv = start_server(tmp, key="k", name="virtuoso-api", store=virtuoso.spec, env=virtuoso.env)
        yield srv, virtuoso
        stop_server(srv)
    finally:
        virtuoso.stop(signal.SIGTERM)


def answer(server: Server, query: str, accept: str) -> str:
    with server.client() as c:
        r = c.post(
            "/sparql", content=query, headers={"Content-Type": "application/sparql-query", "Accept": accept}
        )
    assert r.status_code == 200, r.text
    return r.text


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_same_answers_as_the_embedded_store(server: Server, virtuoso_api, accept: str) -> None:
    remote, _ = virtuoso_api
    assert answer(remote, PARTNERS, accept) == answer(server, PARTNERS, accept)
    assert "Huawei" in answer(remote, PARTNERS, accept)
    with remote.client() as c, server.client() as d:
        assert c.get("/stats").json()["articles"] == d.get("/stats").json()["articles"] > 0


def test_safety_rules_hold_in_front_of_virtuoso(virtuoso_api) -> None:
    remote, virtuoso = virtuoso_api
    with remote.client() as c:
        before = c.get("/stats").json()
        r = c.post("/sparql", data={"update": "DROP ALL"})
        assert r.status_code == 400, r.text
        for query in (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
        ):
            r = c.get("/sparql", params={"query": query})
            assert r.status_code == 400, r.text
        assert c.get("/stats").json() == before  # nothing changed

        started = time.monotonic()
        r = c.post(
            "/sparql",
            content="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            headers={"Content-Type": "application/sparql-query"},
        )
        assert r.status_code in (400, 503) and time.monotonic() - started < QUERY_TIMEOUT + 10, r.text
        r = c.post(
            "/sparql",
            content="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(CONCAT(STR(?c), STR(?f)) != STR(?a)) }",
            headers={"Content-Type": "application/sparql-query"},
        )
        assert r.status_code == 503 and "limit" in r.text
        assert time.monotonic() - started < 2 * QUERY_TIMEOUT + 20
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    assert virtuoso.password not in remote.log_text()
