"""Bad input, each tried against the real server: the right status, a clear one-line message,
and the graph exactly as it was."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import psutil
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from .conftest import QUERY_TIMEOUT, Server

pytestmark = pytest.mark.slow

SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
# a cross product of the whole store with itself three times: far past any time limit
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# made of VALUES only: the kind `oxigraph serve --timeout-s` never cancels
_V = " ".join(str(i) for i in range(100))
VALUES_ONLY = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {_V} }} VALUES ?b {{ {_V} }} VALUES ?c {{ {_V} }} VALUES ?d {{ {_V} }} VALUES ?e {{ {_V} }} }}"


@pytest.fixture
def unchanged(server: Server) -> Iterator[None]:
    """The test must leave the store exactly as it found it (same quads)."""
    before = server.quads()
    yield
    assert server.quads() == before


def one_line(text: str) -> str:
    body = text.strip()
    assert "\n" not in body, body
    assert body
    return body


def assert_error(r: httpx.Response, status: int, *words: str) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    message = (
        r.json()["message"] if r.headers.get("content-type", "").startswith("application/json") else r.text
    )
    message = one_line(message)
    for word in words:
        assert word.lower() in message.lower(), message
    return message


# -- SPARQL ------------------------------------------------------------------------------------
def test_malformed_query_gets_the_parser_message(server: Server, unchanged: None) -> None:
    with server.client() as c:
        r = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
        assert_error(r, 400, "syntax error", "line 1, column")
        r = c.post("/sparql", content="SELECT * WHERE { ?s ?p ?o ", headers=SPARQL_QUERY)
        assert_error(r, 400, "syntax")
        r = c.get("/sparql", params={"query": "SELEC * WHERE { ?s ?p ?o }"})
        assert_error(r, 400, "expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery("SELECT * WHERE { ?s ?p ?o . FILTER( }")  # through a client: it shows the server's reason
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as err:
        sw.query()
    assert "syntax error" in str(err.value).lower()


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post(
            "/sparql", content="INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", headers=SPARQL_QUERY
        ),
        lambda c: c.get("/sparql", params={"query": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"}),
        lambda c: c.post("/sparql", data={"update": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"}),
        lambda c: c.post(
            "/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"}
        ),
        lambda c: c.post("/sparql", data={"query": "CLEAR ALL"}),
        lambda c: c.get("/sparql", params={"query": "LOAD <http://127.0.0.1:9/data.ttl>"}),
    ],
    ids=["direct-insert", "get-insert", "form-update", "sparql-update-type", "form-clear", "load"],
)
def test_update_is_refused_and_changes_nothing(server: Server, unchanged: None, send: object) -> None:
    with server.client() as c:
        r = send(c)  # type: ignore[operator]
        assert_error(r, 400, "read-only")
        ask = c.get("/sparql", params={"query": "ASK { <urn:x:a> ?p ?o }"})
        assert ask.json()["boolean"] is False


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP port that records any connection: the server must never dial it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            hits.append(conn.recv(1000))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], hits
    stop.set()
    thread.join()
    sock.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "select * {{ ?x ?y ?z . service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
def test_no_outbound_requests(server: Server, listener: tuple[int, list[bytes]], template: str) -> None:
    port, hits = listener
    with server.client() as c:
        r = c.get("/sparql", params={"query": template.format(port=port)})
        if "SERVICE" in template.upper():
            assert_error(r, 400)
            assert "service" in r.text.lower()
        else:  # the embedded store never fetches a graph it does not hold: it is just empty
            assert r.status_code == 200, r.text
            assert r.json()["results"]["bindings"] == []
        r = c.get(
            "/sparql",
            params={
                "query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                "default-graph-uri": f"http://127.0.0.1:{port}/g",
            },
        )
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"] == []
    time.sleep(0.5)
    assert hits == []


def test_oversized_query_is_refused(server: Server, unchanged: None) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_000_000
    with server.client() as c:
        for r in (
            c.post("/sparql", content=big, headers=SPARQL_QUERY),
            c.post("/sparql", data={"query": big}),
        ):
            assert_error(r, 413, "limit")
        assert c.get("/health").status_code == 200
    # a GET whose URL carries 200 kB (httpx refuses such URLs, so speak HTTP by hand)
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        target = "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%23" + "x" * 200_000
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        status_line = sock.makefile("rb").readline().decode()
    # uvicorn's HTTP parser refuses a request line this long before the app sees it (400);
    # whoever refuses, the server answers and stays up
    assert status_line.split()[1] in ("400", "413", "414", "431"), status_line
    assert httpx.get(f"{server.url}/health").status_code == 200


def test_wrong_content_type(server: Server) -> None:
    with server.client() as c:
        r = c.post("/sparql", content=b"\x89PNG\r\n", headers={"Content-Type": "image/png"})
        assert_error(r, 415, "application/sparql-query")


@pytest.mark.parametrize("query", [CROSS_PRODUCT, VALUES_ONLY], ids=["cross-product", "values-only"])
def test_slow_query_is_stopped_and_the_server_stays_responsive(server: Server, query: str) -> None:
    old_pid = server.store_pid()
    result: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        with server.client() as c:
            r = c.post("/sparql", content=query, headers=SPARQL_QUERY)
        result["response"] = r
        result["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    # meanwhile: other requests are answered at once, SPARQL included
    latencies = []
    with server.client() as c:
        while thread.is_alive():
            started = time.monotonic()
            r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert r.status_code == 200, r.text
            assert c.get("/health").status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
    thread.join()
    r = result["response"]
    assert isinstance(r, httpx.Response)
    message = assert_error(r, 503, f"{QUERY_TIMEOUT:g} s limit", "stopped")
    assert "LIMIT" in message
    assert QUERY_TIMEOUT <= float(result["seconds"]) < QUERY_TIMEOUT + 5  # type: ignore[arg-type]
    assert len(latencies) >= 3, latencies
    assert sorted(latencies)[len(latencies) // 2] < 0.5, latencies  # typically a few ms
    # (a request in flight at the moment of the stop waits for the new store process, ~1 s)
    assert max(latencies) < QUERY_TIMEOUT + 5, latencies
    # the process that ran the query is stopped once the live requests in it are done (at once
    # when none are): no core stays busy with it
    deadline = time.monotonic() + 5
    while psutil.pid_exists(old_pid) and psutil.Process(old_pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the store process running the abandoned query is still there"
        time.sleep(0.05)
    new_pid = server.store_pid()
    assert new_pid != old_pid
    # the server and its store process (a standby store process may be importing meanwhile: it
    # runs no query, and the old one is gone, as checked above)
    procs = [psutil.Process(server.proc.pid), psutil.Process(new_pid)]
    for p in procs:
        p.cpu_percent(None)
    time.sleep(1.0)
    busy = sum(p.cpu_percent(None) for p in procs if p.is_running())
    assert busy < 50, f"server processes still use {busy:.0f}% CPU after the stop"


# -- writes ------------------------------------------------------------------------------------
ARTICLE = (
    "Norvale Polytechnic University and Quillon Robotics Co., Ltd. signed a cooperation agreement "
    "on industrial robot training in Lisbon on 3 May. The two sides will build a joint laboratory."
)


def test_write_without_key_or_with_wrong_key(server: Server, unchanged: None) -> None:
    with server.client() as c:
        r = c.post("/articles", content=ARTICLE, headers={"Content-Type": "text/plain"})
        assert_error(r, 401, "X-API-Key")
        r = c.post("/articles", content=ARTICLE, headers={"Content-Type": "text/plain", "X-API-Key": "wrong"})
        assert_error(r, 401, "wrong API key")
        some = c.get("/articles").json()["items"][0]["id"]
        r = c.delete(f"/articles/{some}")
        assert_error(r, 401, "X-API-Key")
        r = c.delete(f"/articles/{some}", headers={"X-API-Key": server.key + "x"})  # type: ignore[operator]
        assert_error(r, 401)
        assert c.get(f"/articles/{some}").status_code == 200


def test_writes_disabled_without_configured_key(keyless_server: Server) -> None:
    with keyless_server.client() as c:
        r = c.post(
            "/articles", content=ARTICLE, headers={"Content-Type": "text/plain", "X-API-Key": "anything"}
        )
        assert_error(r, 403, "writes are disabled", "--api-key")
        assert keyless_server.quads() == 0  # memory store, not seeded


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"", "text/plain", 400, ("empty",)),
        (b"   \n\t ", "text/plain", 400, ("empty",)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "text/plain", 400, ("binary",)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "image/png", 415, ("image/png",)),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            "application/octet-stream",
            415,
            ("text/plain",),
        ),
        (b"\xff\xfe\xfa not utf-8 \xc3\x28 text", "text/plain", 400, ("utf-8",)),
        (b"{not json", "application/json", 400, ("json",)),
        (b'{"title": "x"}', "application/json", 400, ("text",)),
        (b"12345 67890 !!! ???", "text/plain", 400, ()),
    ],
    ids=[
        "empty",
        "blank",
        "binary-as-text",
        "png",
        "octet-stream",
        "bad-utf8",
        "bad-json",
        "json-no-text",
        "no-words",
    ],
)
def test_bad_bodies(
    server: Server, unchanged: None, body: bytes, content_type: str, status: int, words: tuple[str, ...]
) -> None:
    with server.client() as c:
        r = c.post("/articles", content=body, headers={"Content-Type": content_type, "X-API-Key": server.key})  # type: ignore[dict-item]
        assert_error(r, status, *words)


def test_twenty_megabyte_body(server: Server, unchanged: None) -> None:
    body = (ARTICLE + "\n") * (20_000_000 // len(ARTICLE))
    with server.client() as c:
        r = c.post(
            "/articles",
            content=body.encode(),
            headers={"Content-Type": "text/plain", "X-API-Key": server.key},
        )  # type: ignore[dict-item]
        assert_error(r, 413, "limit")

        def chunks() -> Iterator[bytes]:  # no Content-Length: refused while streaming
            data = body.encode()
            for i in range(0, len(data), 1 << 20):
                yield data[i : i + (1 << 20)]

        r = c.post(
            "/articles", content=chunks(), headers={"Content-Type": "text/plain", "X-API-Key": server.key}
        )  # type: ignore[dict-item]
        assert_error(r, 413, "limit")
        assert c.get("/health").status_code == 200


# -- look-ups ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/entities/no-such-entity-anywhere", 404, ("no entity",)),
        ("/entities/no-such-entity-anywhere/neighbours", 404, ("no entity",)),
        ("/entities/Bad%20Id!", 404, ("slug",)),
        ("/entities/x?type=Spaceship", 404, ("unknown entity type",)),
        ("/articles/0000000000000000", 404, ("no article",)),
        ("/articles/not-hex", 404, ("16 hex",)),
        ("/entities?limit=0", 422, ("limit",)),
        ("/entities/x/neighbours?depth=9", 422, ("depth",)),
        ("/nowhere", 404, ("no such path",)),
    ],
)
def test_unknown_ids(server: Server, path: str, status: int, words: tuple[str, ...]) -> None:
    with server.client() as c:
        assert_error(c.get(path), status, *words)


def test_delete_unknown_article(server: Server, unchanged: None) -> None:
    with server.client() as c:
        r = c.delete("/articles/0000000000000000", headers={"X-API-Key": server.key})  # type: ignore[dict-item]
        assert_error(r, 404, "no article")
