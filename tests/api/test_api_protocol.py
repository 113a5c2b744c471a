"""Protocol details against a real server whose store holds two graphs named outside edukg's
namespace (`urn:g1`, `urn:g2`), as a protocol checker loads them: the dataset parameters and
FROM clauses select exactly those graphs, updates are refused on GET too, CORS lets a page on
another origin query the endpoint in a real Chromium, syntax errors say where, and a client that
hangs up mid-request costs one log line."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest

from .conftest import Server, start_server, stop_server

pytestmark = pytest.mark.slow

P = "urn:p"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def g_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("api-protocol")
    store = ox.Store(str(tmp / "store"))
    for name in ("g1", "g2"):
        store.add(
            ox.Quad(
                ox.NamedNode(f"urn:{name}"), ox.NamedNode(P), ox.Literal(name), ox.NamedNode(f"urn:{name}")
            )
        )
    store.flush()
    del store
    srv = start_server(tmp, "--no-seed", key=None, name="protocol", store=f"oxigraph:{tmp}/store")
    yield srv
    stop_server(srv)


def values(r: httpx.Response) -> list[str]:
    assert r.status_code == 200, r.text
    return sorted(b["o"]["value"] for b in r.json()["results"]["bindings"])


SELECT = f"SELECT ?o WHERE {{ ?s <{P}> ?o }}"
SELECT_NAMED = f"SELECT ?o WHERE {{ GRAPH ?g {{ ?s <{P}> ?o }} }}"


def test_dataset_parameters_select_the_graphs(g_server: Server) -> None:
    with g_server.client() as c:
        assert values(c.get("/sparql", params={"query": SELECT})) == ["g1", "g2"]  # no dataset: the union
        assert values(c.get("/sparql", params={"query": SELECT, "default-graph-uri": "urn:g1"})) == ["g1"]
        two = urlencode([("query", SELECT), ("default-graph-uri", "urn:g1"), ("default-graph-uri", "urn:g2")])
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        assert values(c.post("/sparql", content=two, headers=form)) == ["g1", "g2"]
        named = c.get("/sparql", params={"query": SELECT_NAMED, "named-graph-uri": "urn:g2"})
        assert values(named) == ["g2"]
        # named graphs only: the default graph is empty
        assert values(c.get("/sparql", params={"query": SELECT, "named-graph-uri": "urn:g2"})) == []
        direct = c.post(
            "/sparql?default-graph-uri=urn%3Ag2",
            content=SELECT,
            headers={"Content-Type": "application/sparql-query"},
        )
        assert values(direct) == ["g2"]
        # a graph the store does not hold is an empty graph, not an error
        assert values(c.get("/sparql", params={"query": SELECT, "default-graph-uri": "urn:nothing"})) == []


def test_from_clauses_and_their_override(g_server: Server) -> None:
    with g_server.client() as c:
        q = f"SELECT ?o FROM <urn:g1> WHERE {{ ?s <{P}> ?o }}"
        assert values(c.get("/sparql", params={"query": q})) == ["g1"]
        q = f"SELECT ?o FROM NAMED <urn:g2> WHERE {{ GRAPH ?g {{ ?s <{P}> ?o }} }}"
        assert values(c.get("/sparql", params={"query": q})) == ["g2"]
        q = f"SELECT ?o FROM <urn:g1> WHERE {{ ?s <{P}> ?o }}"  # the protocol's dataset wins over FROM
        assert values(c.get("/sparql", params={"query": q, "default-graph-uri": "urn:g2"})) == ["g2"]


def test_update_and_repeated_query_refused_on_get(g_server: Server) -> None:
    with g_server.client() as c:
        r = c.get("/sparql", params={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
        assert r.status_code == 400, r.text
        assert "read-only" in r.text
        r = c.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK { ?s ?p ?o }")])
        assert r.status_code == 400, r.text
        assert "exactly one 'query'" in r.text
        assert values(c.get("/sparql", params={"query": SELECT})) == ["g1", "g2"]  # unchanged


def test_cors_headers_and_preflight(g_server: Server) -> None:
    origin = {"Origin": "http://yasgui.example"}
    with g_server.client() as c:
        r = c.options(
            "/sparql",
            headers=origin
            | {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        )
        assert r.status_code == 204, r.text
        assert r.headers["access-control-allow-origin"] == "*"
        assert "POST" in r.headers["access-control-allow-methods"]
        assert "content-type" in r.headers["access-control-allow-headers"].lower()
        for r in (
            c.get("/sparql", params={"query": "ASK {}"}, headers=origin),
            c.post("/sparql", data={"query": "ASK {}"}, headers=origin),
            c.get("/sparql", params={"query": "ASK {"}, headers=origin),
        ):  # errors too
            assert r.headers.get("access-control-allow-origin") == "*", (r.status_code, r.headers)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_a_page_on_another_origin_can_query(g_server: Server) -> None:
    """What YASGUI does from its own site: a POST with a Content-Type that needs a preflight."""
    from playwright.sync_api import sync_playwright

    class ClientSite(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>client</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ClientSite)  # another port: another origin
    threading.Thread(target=site.serve_forever, daemon=True).start()
    script = f"""async () => {{
      const r = await fetch("{g_server.sparql}", {{method: "POST",
        headers: {{"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}},
        body: "SELECT ?o WHERE {{ ?s <{P}> ?o }} ORDER BY ?o"}});
      const data = await r.json();
      return data.results.bindings.map(b => b.o.value);
    }}"""
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{site.server_address[1]}/")
                got: Any = page.evaluate(script)
            finally:
                browser.close()
    finally:
        site.shutdown()
    assert got == ["g1", "g2"]


def test_syntax_error_names_line_column_and_token(g_server: Server) -> None:
    query = "PREFIX ex: <urn:ex:>\nSELECT ?o\nWHERE { ?s ex:p ?o }\nLIMT 5"
    offset = query.index("LIMT")
    line = query.count("\n", 0, offset) + 1
    column = offset - query.rfind("\n", 0, offset)
    with g_server.client() as c:
        r = c.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 400
        assert r.text.strip() == f"SPARQL syntax error at line {line}, column {column}, near 'LIMT'"
        r = c.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s nope:p ?o }"})
        assert r.status_code == 400
        assert "line 2, column 6" in r.text and "'nope:' is not declared" in r.text


def test_client_hanging_up_mid_request_is_one_log_line(g_server: Server) -> None:
    before = g_server.log_text()
    with socket.create_connection(("127.0.0.1", int(g_server.url.rsplit(":", 1)[1]))) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1000\r\n\r\nSELECT"
        )
        time.sleep(0.3)
    deadline = time.monotonic() + 10
    while "closed the connection" not in g_server.log_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    new = g_server.log_text()[len(before) :]
    assert "Traceback" not in new and "500" not in new, new
    assert [line for line in new.splitlines() if line.strip()] == [
        line for line in new.splitlines() if "closed the connection" in line
    ], new
    assert new.count("closed the connection") == 1
    with g_server.client() as c:  # and the server carries on
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
