"""The same API over a remote SPARQL store (a real `oxigraph serve`): seeded through edukg, it
gives the same answers, in every format, as the embedded store; a slow query is still stopped."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from .conftest import QUERY_TIMEOUT, Server, free_port, start_server, stop_server
from .test_api_sparql import PARTNERS, PREFIXES

pytestmark = pytest.mark.slow

OXIGRAPH = shutil.which("oxigraph")


@pytest.fixture(scope="module")
def remote_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    tmp = tmp_path_factory.mktemp("api-remote")
    port = free_port()
    log = (tmp / "oxigraph.log").open("wb")
    oxigraph = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp / "data"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        srv = start_server(tmp, key="k", name="remote", store=f"oxigraph-server:http://127.0.0.1:{port}")
        yield srv
        stop_server(srv)
    finally:
        oxigraph.terminate()
        oxigraph.wait(30)
        log.close()


def rows(server: Server, query: str, accept: str) -> str:
    with server.client() as c:
        r = c.post(
            "/sparql", content=query, headers={"Content-Type": "application/sparql-query", "Accept": accept}
        )
    assert r.status_code == 200, r.text
    return r.text


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_same_answers_as_the_embedded_store(server: Server, remote_server: Server, accept: str) -> None:
    assert rows(remote_server, PARTNERS, accept) == rows(server, PARTNERS, accept)
    assert "Huawei" in rows(remote_server, PARTNERS, accept)


def test_construct_and_rest_on_remote(server: Server, remote_server: Server) -> None:
    query = PREFIXES + "CONSTRUCT { ?a edukg:partnersWith ?b } WHERE { ?a edukg:partnersWith ?b }"
    remote = Graph().parse(data=rows(remote_server, query, "text/turtle"), format="turtle")
    local = Graph().parse(data=rows(server, query, "text/turtle"), format="turtle")
    assert len(remote) > 0 and set(remote) == set(local)
    with remote_server.client() as c, server.client() as d:
        xut = c.get("/entities", params={"q": "Xi'an University of Technology"}).json()["items"][0]
        assert (
            c.get(f"/entities/{xut['id']}").json()["relations"]
            == d.get(f"/entities/{xut['id']}").json()["relations"]
        )
        assert c.get("/health").json()["store"]["backend"] != d.get("/health").json()["store"]["backend"]


def test_slow_query_stopped_on_remote_too(remote_server: Server) -> None:
    started = time.monotonic()
    with remote_server.client() as c:
        r = c.post(
            "/sparql",
            content="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            headers={"Content-Type": "application/sparql-query"},
        )
        assert r.status_code == 503 and "limit" in r.text
        assert time.monotonic() - started < QUERY_TIMEOUT + 5
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_remote_unreachable_at_start_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError) as err:
        start_server(
            tmp_path,
            "--no-seed",
            key=None,
            name="unreachable",
            store=f"oxigraph-server:http://127.0.0.1:{free_port()}",
            timeout=60,
        )
    assert "refused" in str(err.value) or "cannot" in str(err.value).lower()


def test_foreign_graph_refused_only_behind_a_remote_store(remote_server: Server) -> None:
    """A remote server might dereference a graph IRI it does not hold, so there the refusal stays,
    with a message that says why; edukg's own graphs are still accepted."""
    with remote_server.client() as c:
        for params in (
            {"query": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"},
            {"query": "SELECT * WHERE { ?s ?p ?o }", "named-graph-uri": "urn:g1"},
        ):
            r = c.get("/sparql", params=params)
            assert r.status_code == 400, r.text
            assert "remote SPARQL server" in r.text and "might fetch" in r.text
        r = c.get(
            "/sparql",
            params={
                "query": "ASK { ?s ?p ?o }",
                "default-graph-uri": "https://w3id.org/edukg/article/0000000000000000",
            },
        )
        assert r.status_code == 200, r.text
