"""The /sparql result cache (api/result_cache.py): repeated queries are answered from the API
process, and a read after a write always sees the write.

The cache itself is checked on its own (versions, LRU by bytes, what it refuses to keep); the
invalidation is checked on a real server (uvicorn + store process on 127.0.0.1): an answer kept,
then POST /articles and DELETE /articles through the key-protected write path, and a killed
store process, each followed at once by the same query, which must see the new data and must
not be a cache hit. A server started with EDUKG_RESULT_CACHE_MB=0 keeps nothing.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.result_cache import ENTRY_OVERHEAD, ResultCache, cache_key
from api.sparql_scan import scan_query
from ontology.namespace import ARTICLE

from .conftest import Server, start_server, stop_server

KEY = "X-API-Key"
JSON = "application/sparql-results+json"


def key(query: str, accept: str | None = JSON) -> Any:
    return cache_key(query, accept, None, [], [])


# -- the cache on its own ----------------------------------------------------------------------
def test_hit_only_at_the_version_it_was_made() -> None:
    cache = ResultCache(10_000)
    assert cache.put(key("ASK {}"), (1, 0), (1, 0), JSON, b"yes")
    found = cache.get(key("ASK {}"), (1, 0))
    assert found is not None and found.body == b"yes" and found.media_type == JSON
    assert cache.get(key("ASK {}"), (1, 1)) is None  # a write: everything dropped
    assert cache.get(key("ASK {}"), (1, 0)) is None  # and not back when the version is
    assert cache.stats()["entries"] == 0 and cache.invalidations == 1


def test_not_kept_when_a_write_was_seen_or_the_version_is_unknown() -> None:
    cache = ResultCache(10_000)
    assert not cache.put(key("ASK {}"), (1, 0), (1, 1), JSON, b"x")  # a write while it ran
    assert not cache.put(key("ASK {}"), (1, 3), (2, 0), JSON, b"x")  # a new store process
    assert not cache.put(key("ASK {}"), None, None, JSON, b"x")  # no store process running
    assert cache.get(key("ASK {}"), None) is None
    assert cache.stats()["entries"] == 0


def test_key_is_the_whole_request() -> None:
    cache = ResultCache(10_000)
    cache.put(key("ASK {}"), 1, 1, JSON, b"json")
    assert cache.get(key("ASK {}", "text/csv"), 1) is None  # another Accept
    assert cache.get(cache_key("ASK {}", JSON, "xml", [], []), 1) is None  # format=
    assert cache.get(cache_key("ASK {}", JSON, None, ["urn:g"], []), 1) is None  # the dataset
    assert cache.get(key("  ASK {}\n"), 1) is not None  # surrounding white space is not the query


def test_bounded_by_bytes_least_recently_used_out() -> None:
    room = 100 + len("ASK {} #000") + len(JSON) + ENTRY_OVERHEAD
    cache = ResultCache(3 * room, max_item_bytes=1_000)  # room for 3
    for n in range(3):
        assert cache.put(key(f"ASK {{}} #{n:03d}"), 1, 1, JSON, b"x" * 100)
    assert cache.get(key("ASK {} #000"), 1) is not None  # now the most recently used
    cache.put(key("ASK {} #003"), 1, 1, JSON, b"x" * 100)
    assert cache.get(key("ASK {} #001"), 1) is None  # the least recently used went
    assert cache.get(key("ASK {} #000"), 1) is not None
    assert cache.bytes <= cache.max_bytes
    assert not cache.put(key("big"), 1, 1, JSON, b"x" * 1_001)  # over the item limit


def test_volatile_queries_are_recognised() -> None:
    for q in (
        "SELECT (NOW() AS ?t) {}",
        "SELECT (rand() AS ?r) {}",
        "SELECT (STRUUID() AS ?u) {}",
        "CONSTRUCT { ?s <urn:p> ?b } WHERE { ?s ?p ?o BIND(BNODE() AS ?b) }",
    ):
        assert scan_query(q).volatile, q
    for q in ('SELECT ?now WHERE { ?now <urn:p> "RAND" }', "SELECT * { ?s <urn:UUID> ?o }"):
        assert not scan_query(q).volatile, q


# -- on a real server --------------------------------------------------------------------------
def cache_stats(c: httpx.Client) -> dict[str, Any]:
    stats: dict[str, Any] = c.get("/health").json()["result_cache"]
    return stats


def count_articles(c: httpx.Client, tag: str) -> int:
    """The number of articles, by a query text of its own (`tag`), so no other test shares it."""
    query = f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{ARTICLE}')) }} # {tag}"
    r = c.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_repeated_query_is_a_hit_and_a_write_is_seen_at_once(server: Server) -> None:
    tag = secrets.token_hex(8)
    text = (
        f"Carrow Institute of Technology ({tag}) and Brightwell Systems signed a cooperation "
        "agreement on battery research in Porto on 2 June. They will open a joint laboratory."
    )
    with server.client() as c:
        before = count_articles(c, tag)
        hits = cache_stats(c)["hits"]
        assert count_articles(c, tag) == before
        assert cache_stats(c)["hits"] == hits + 1, "the repeated query was not answered from the cache"

        r = c.post("/articles", content=text, headers={"Content-Type": "text/plain", KEY: server.key})  # type: ignore[dict-item]
        assert r.status_code == 201, r.text
        assert count_articles(c, tag) == before + 1, "a read after POST /articles did not see it"
        assert cache_stats(c)["hits"] == hits + 1

        article = r.json()["article"]["id"]
        assert count_articles(c, tag) == before + 1
        hits = cache_stats(c)["hits"]
        assert hits > 0
        r = c.delete(f"/articles/{article}", headers={KEY: server.key})  # type: ignore[dict-item]
        assert r.status_code == 200, r.text
        assert count_articles(c, tag) == before, "a read after DELETE /articles did not see it"
        assert cache_stats(c)["hits"] == hits


def test_new_store_process_drops_the_cache(server: Server) -> None:
    tag = secrets.token_hex(8)
    with server.client() as c:
        n = count_articles(c, tag)
        assert count_articles(c, tag) == n
        pid = server.store_pid()
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while server.store_pid() == pid and time.monotonic() < deadline:
            time.sleep(0.1)
        hits = cache_stats(c)["hits"]
        assert count_articles(c, tag) == n
        assert cache_stats(c)["hits"] == hits, "an answer from a stopped store process was reused"


def test_volatile_answers_are_not_reused(server: Server) -> None:
    with server.client() as c:
        answers = {
            c.get("/sparql", params={"query": "SELECT (STRUUID() AS ?u) {}"}, headers={"Accept": JSON}).text
            for _ in range(2)
        }
    assert len(answers) == 2


def test_hit_answers_like_the_store(server: Server) -> None:
    """Same status, body and headers (content type, Vary, CORS) from the cache as from the store."""
    query = f"SELECT ?s WHERE {{ ?s ?p ?o }} ORDER BY ?s LIMIT 3 # {secrets.token_hex(8)}"
    with server.client() as c:
        first = c.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        hits = cache_stats(c)["hits"]
        second = c.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        assert cache_stats(c)["hits"] == hits + 1
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    for name in ("content-type", "vary", "access-control-allow-origin", "content-length"):
        assert first.headers.get(name) == second.headers.get(name), name


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp: Path = tmp_path_factory.mktemp("api-uncached")
    srv = start_server(
        tmp, "--no-seed", key=None, name="uncached", store="memory", env={"EDUKG_RESULT_CACHE_MB": "0"}
    )
    yield srv
    assert not stop_server(srv)


def test_cache_off_by_setting(uncached: Server) -> None:
    with uncached.client() as c:
        for _ in range(3):
            r = c.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": JSON})
            assert r.status_code == 200 and r.json()["boolean"] is True
        assert cache_stats(c) == {"enabled": False}


def test_off_by_setting_and_behind_a_remote_store() -> None:
    """A remote store may be written to by other servers, unseen here: no cache there."""
    from api.app import result_cache
    from kg.service.settings import Settings

    on = result_cache(Settings(store="oxigraph:/tmp/x"))
    assert on is not None and on.max_bytes == 64_000_000
    assert result_cache(Settings(store="oxigraph:/tmp/x", result_cache_mb=0)) is None
    for remote in ("http://127.0.0.1:7878/query", "sparql+https://example.org/sparql", "virtuoso:host"):
        assert result_cache(Settings(store=remote)) is None, remote
