"""Health checks never kill work: 32 slow queries at once and a /health probe every 200 ms.

Every probe answers in < 100 ms (from the API process, not the store), the store process is not
restarted, and every slow query ends with its own 503 at the time limit (8 run, the others wait
for a slot within their own limit)."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

from .conftest import QUERY_TIMEOUT, Server

pytestmark = pytest.mark.slow

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # far past any limit
CLIENTS = 32


async def slow_queries(server: Server) -> list[tuple[int, str, float]]:
    async def one(client: httpx.AsyncClient) -> tuple[int, str, float]:
        started = time.monotonic()
        r = await client.post("/sparql", content=SLOW, headers={"Content-Type": "application/sparql-query"})
        return r.status_code, r.text, time.monotonic() - started

    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        return list(await asyncio.gather(*(one(client) for _ in range(CLIENTS))))


def test_probes_stay_fast_and_slow_queries_end_alone(server: Server) -> None:
    before = httpx.get(f"{server.url}/health").json()["store"]
    probes: list[tuple[int, float, dict]] = []
    stop = threading.Event()

    def probe() -> None:
        with server.client() as c:
            while not stop.is_set():
                started = time.monotonic()
                r = c.get("/health")
                probes.append((r.status_code, time.monotonic() - started, r.json()["store"]))
                stop.wait(0.2)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        answers = asyncio.run(slow_queries(server))
    finally:
        stop.set()
        prober.join()
    for status, text, seconds in answers:
        assert status == 503, text
        assert f"{QUERY_TIMEOUT:g} s limit" in text
        assert QUERY_TIMEOUT <= seconds < QUERY_TIMEOUT + 1.5, seconds
    assert len(probes) >= 8
    assert all(status == 200 for status, _, _ in probes), probes
    assert max(seconds for _, seconds, _ in probes) < 0.1, [round(s, 3) for _, s, _ in probes]
    assert max(info["queries_running"] for _, _, info in probes) <= 8  # the bound held
    assert any(info["queries_waiting"] > 0 for _, _, info in probes)
    after = server.store_pid() and httpx.get(f"{server.url}/health").json()["store"]
    assert after["restarts"] == before["restarts"]  # no restart: nothing crashed or hung
    assert after["timeouts"] - before["timeouts"] == CLIENTS
    with server.client() as c:  # and the store answers again
        r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200 and r.json()["boolean"] is True, r.text


def test_answers_larger_than_a_socket_buffer_arrive_whole(server: Server) -> None:
    """The served event loop (uvloop) watches the store's socket: an answer bigger than one socket
    buffer must still be read whole, not taken for a store crash and a restart."""
    before = httpx.get(f"{server.url}/health").json()["store"]
    with server.client() as c:
        for _ in range(3):
            r = c.get("/graph")
            assert r.status_code == 200, r.text[:300]
            r = c.get("/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"})
            assert r.status_code == 200, r.text[:300]
            assert len(r.content) > 300_000  # many socket buffers' worth
    after = httpx.get(f"{server.url}/health").json()["store"]
    assert after["restarts"] == before["restarts"], server.log_text()[-2000:]
