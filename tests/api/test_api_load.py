"""Load: 50 concurrent SPARQL clients on loopback while articles are POSTed. Zero errors, and
every posted article is queryable afterwards. Bounded: a few hundred queries, ~20-40 s."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from .conftest import Server

pytestmark = pytest.mark.slow

CLIENTS = 50
MIN_QUERIES_PER_CLIENT = 5
PLACES = ["Arden", "Belmora", "Castrel", "Dunmere", "Elbrook", "Fennick", "Galvora", "Hollin"]
FIRMS = [
    "Zentrix Robotics",
    "Orvane Microsystems",
    "Pellucid Energy",
    "Tamsin Biotech",
    "Velloran Motors",
    "Kestrel Photonics",
    "Brindle Software",
    "Marrow Materials",
]
QUERIES = [
    """PREFIX edukg: <https://w3id.org/edukg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?a ?b WHERE { ?x edukg:partnersWith ?y . ?x skos:prefLabel ?a . ?y skos:prefLabel ?b } LIMIT 50""",
    "ASK { ?s a <https://w3id.org/edukg/ontology#Article> }",
    """PREFIX edukg: <https://w3id.org/edukg/ontology#>
    SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t""",
]


def article(i: int) -> str:
    place, firm = PLACES[i], FIRMS[i]
    return (
        f"{place} University of Technology and {firm} Co., Ltd. sign cooperation agreement\n\n"
        f"On {i + 3} June, {place} University of Technology and {firm} Co., Ltd. signed a strategic "
        f"cooperation agreement in {place}. The university and the company will jointly establish the "
        f"{place}-{firm.split()[0]} Joint Laboratory, train engineers and share research equipment. "
        f"The president of {place} University of Technology said the partnership with {firm} would give "
        f"students practical training in industry."
    )


async def query_client(client: httpx.AsyncClient, n: int, done: asyncio.Event, log: list[str]) -> int:
    count = 0
    while count < MIN_QUERIES_PER_CLIENT or not done.is_set():
        query = QUERIES[(n + count) % len(QUERIES)]
        try:
            if count % 4 == 3:
                r = await client.get("/entities", params={"q": "university", "limit": 5})
            else:
                r = await client.post(
                    "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
                )
            if r.status_code != 200:
                log.append(f"client {n}: {r.status_code} {r.text[:200]}")
            count += 1
        except httpx.HTTPError as err:
            log.append(f"client {n}: {type(err).__name__}: {err}")
            count += 1
    return count


async def poster(server: Server, posted: list[dict], log: list[str], done: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
        try:
            for i in range(len(PLACES)):
                r = await client.post(
                    "/articles",
                    content=article(i),
                    headers={"Content-Type": "text/plain", "X-API-Key": server.key},
                )  # type: ignore[dict-item]
                if r.status_code != 201:
                    log.append(f"POST {i}: {r.status_code} {r.text[:200]}")
                else:
                    posted.append(r.json()["article"])
        finally:
            done.set()


async def run_load(server: Server) -> tuple[list[int], list[dict], list[str], float]:
    errors: list[str] = []
    posted: list[dict] = []
    done = asyncio.Event()
    started = time.monotonic()
    clients = [httpx.AsyncClient(base_url=server.url, timeout=60) for _ in range(CLIENTS)]
    try:
        results = await asyncio.gather(
            poster(server, posted, errors, done),
            *(query_client(c, n, done, errors) for n, c in enumerate(clients)),
        )
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return list(results[1:]), posted, errors, time.monotonic() - started


def test_concurrent_queries_while_posting(server: Server) -> None:
    before = server.quads()
    counts, posted, errors, seconds = asyncio.run(run_load(server))
    assert errors == [], errors[:10]
    assert len(posted) == len(PLACES)
    assert all(c >= MIN_QUERIES_PER_CLIENT for c in counts)
    assert seconds < 90, f"load test took {seconds:.0f} s"
    total = sum(counts)
    print(
        f"\n{total} queries by {CLIENTS} clients and {len(posted)} POSTs in {seconds:.1f} s "
        f"({total / seconds:.0f} queries/s)"
    )
    with server.client() as c:
        for art in posted:  # every posted article is queryable, by REST and by SPARQL
            assert c.get(f"/articles/{art['id']}").status_code == 200
            r = c.get("/sparql", params={"query": f"ASK {{ GRAPH <{art['iri']}> {{ ?s ?p ?o }} }}"})
            assert r.json()["boolean"] is True
        label = f"{PLACES[0]} University of Technology"
        found = c.get("/entities", params={"q": label}).json()["items"]
        assert any(e["label"] == label for e in found)
        for art in posted:  # leave the store as the other tests expect it
            assert c.delete(f"/articles/{art['id']}", headers={"X-API-Key": server.key}).status_code == 200  # type: ignore[dict-item]
    assert server.quads() == before
