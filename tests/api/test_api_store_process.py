"""The store process on its own: restart after a crash, the time limit, abandoned queries,
the bound on concurrent queries, messages that do not pickle, start-up errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest

from kg.errors import ResultTooLarge, StoreBusy, StoreError, StoreTimeout
from kg.service.ops import StoreOps
from kg.service.process import ServiceLimits, StoreCallError, StoreProcess, Stream, resolve_spec
from kg.store import open_repo
from kg.store.oxigraph import OxigraphRepo

from .conftest import REPO

G = "https://w3id.org/edukg/graph/test"
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { 1 2 3 4 5 6 7 8 9 10 } ?b ?c ?d . ?e ?f ?g . ?h ?i ?j }"
MEDIUM = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { 1 2 } ?b ?c ?d . ?e ?f ?g . ?h ?i ?j }"  # a few s
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def fill(spec: str, n: int = 200) -> None:
    """Write `n` triples before the store process opens the store (it is the only writer after)."""
    repo = open_repo(spec)
    assert isinstance(repo, OxigraphRepo)
    p, g = ox.NamedNode("urn:x:p"), ox.NamedNode(G)
    repo.load_quads(
        ox.Quad(ox.NamedNode(f"urn:x:s{i}"), p, ox.Literal(str(i), datatype=INTEGER), g) for i in range(n)
    )
    repo.close()


def sparql(query: str) -> partial[tuple[str, bytes]]:
    return partial(
        StoreOps.sparql, query=query, fmt="csv", default_graphs=None, named_graphs=None, max_bytes=10**7
    )


def count(store: StoreProcess, timeout: float = 20) -> int:
    _, body = store.call(sparql(COUNT), timeout=timeout, query=True)
    return int(body.split()[-1])


@pytest.fixture
def store(tmp_path: Path):
    spec = f"oxigraph:{tmp_path}/store"
    fill(spec)
    proc = StoreProcess(spec, ServiceLimits(max_queries=2, max_waiting=2))
    proc.start()
    yield proc
    proc.close()
    assert proc.pid is None


def test_round_trip_and_errors_keep_their_code(store: StoreProcess) -> None:
    assert count(store) == 200
    assert store.call(StoreOps.stats, timeout=10)["quads"] == 200
    with pytest.raises(StoreCallError) as err:
        store.call(sparql("SELECT nonsense"), timeout=10)
    assert err.value.code == "bad_query"


def test_crash_is_survived(store: StoreProcess) -> None:
    pid = store.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # a crash nobody asked for
    assert count(store) == 200  # answered by the restarted process, data intact
    assert store.pid not in (None, pid)
    assert store.restarts == 1


def test_timeout_answers_at_the_limit_and_stops_the_query(store: StoreProcess) -> None:
    pid = store.pid
    started = time.monotonic()
    with pytest.raises(StoreTimeout) as err:
        store.call(sparql(SLOW), timeout=1.0, query=True)
    assert 1.0 <= time.monotonic() - started < 5
    assert "1 s limit" in err.value.message
    # nothing else was in flight, so the abandoned query was stopped with its process
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE  # type: ignore[arg-type]
    assert count(store) == 200
    assert store.timeouts == 1 and store.restarts == 0 and store.recycles == 1


def test_a_slow_query_does_not_stop_live_work(store: StoreProcess) -> None:
    """A query past its limit answers 503 at once; the store process is not stopped while a
    live request is in it, so the live request finishes on the same process."""
    pid = store.pid
    slow = store.submit(sparql(SLOW), timeout=1.0, query=True)
    live = store.submit(sparql(MEDIUM), timeout=60.0, query=True)
    started = time.monotonic()
    with pytest.raises(StoreTimeout):
        slow.result()
    assert time.monotonic() - started < 2.5
    assert live.result(timeout=90)[1].split()[-1] == b"16000000"  # finished, not killed
    assert store.restarts == 0 and store.timeouts == 1
    assert store.status()["pid"] in (pid, store.pid)


def test_queries_past_the_bound_wait_then_are_refused(store: StoreProcess) -> None:
    # 2 slots, 2 waiting places: the fifth query is refused at once
    futures = [store.submit(sparql(SLOW), timeout=1.5, query=True) for _ in range(4)]
    started = time.monotonic()
    with pytest.raises(StoreBusy):
        store.call(sparql(COUNT), timeout=10, query=True)
    assert time.monotonic() - started < 0.5
    assert store.refused == 1
    for future in futures:
        with pytest.raises(StoreTimeout):
            future.result(timeout=30)
    assert count(store) == 200  # free again


def test_an_unpicklable_request_fails_at_once(store: StoreProcess) -> None:
    started = time.monotonic()
    with pytest.raises(StoreCallError, match="cannot send request"):
        store.call(partial(StoreOps.sparql, query=lambda: None), timeout=10)  # type: ignore[arg-type]
    assert time.monotonic() - started < 0.5
    assert store.restarts == 0 and count(store) == 200


def test_memory_spec_is_a_temporary_disk_store() -> None:
    spec, cleanup = resolve_spec("memory")
    path = Path(spec.removeprefix("oxigraph:"))
    assert spec.startswith("oxigraph:") and path.parent.is_dir()
    fill(spec, 3)
    proc = StoreProcess(spec, ServiceLimits(max_queries=1))
    proc.start()
    os.kill(proc.pid, signal.SIGKILL)  # type: ignore[arg-type]
    assert count(proc) == 3  # survives a stopped process, unlike an in-process memory store
    proc.close()
    cleanup()
    assert not path.parent.exists()
    assert resolve_spec("oxigraph:/x")[0] == "oxigraph:/x"


def test_locked_store_fails_to_start_with_a_clear_message(tmp_path: Path) -> None:
    holder = open_repo(f"oxigraph:{tmp_path}/store")
    try:
        with pytest.raises(StoreError) as err:
            StoreProcess(f"oxigraph:{tmp_path}/store").start()
        assert "cannot open" in err.value.message
    finally:
        holder.close()


@pytest.mark.slow
def test_serve_with_a_bad_store_exits_nonzero(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--store", "nonsense:spec", "--port", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "unknown store spec" in run.stderr + run.stdout


def stream(query: str) -> partial[bytes | None]:
    return partial(
        StoreOps.sparql_stream,
        query=query,
        fmt="csv",
        default_graphs=None,
        named_graphs=None,
        max_bytes=10**6,
    )


def test_a_large_select_streams_whole_and_a_small_one_comes_whole(tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path}/store"
    fill(spec, 60_000)
    all_rows = "SELECT ?s ?o WHERE { ?s <urn:x:p> ?o } ORDER BY ?o"
    repo = open_repo(spec)
    expected = repo.query_bytes(all_rows, "csv")[1]
    repo.close()
    assert len(expected) > 1_000_000  # past the point where answers stream
    proc = StoreProcess(spec, ServiceLimits(max_queries=2))
    proc.start()
    try:
        answer = proc.call(stream(all_rows), timeout=60, query=True, stream=True)
        assert isinstance(answer, Stream)
        chunks = []
        while (chunk := answer.next_chunk()) is not None:
            chunks.append(chunk)
        assert len(chunks) > 1 and b"".join(chunks) == expected  # the 1 MB size cap does not apply
        small = proc.call(
            stream("SELECT ?o WHERE { ?s <urn:x:p> ?o } LIMIT 3"), timeout=10, query=True, stream=True
        )
        assert isinstance(small, bytes) and small.count(b"\r\n") == 4
        # a reader that leaves early stops the query: its slot comes back, nothing restarts
        endless = "SELECT * WHERE { ?a <urn:x:p> ?b . ?c <urn:x:p> ?d }"
        answer = proc.call(stream(endless), timeout=60, query=True, stream=True)
        assert isinstance(answer, Stream) and answer.next_chunk()
        answer.close()
        deadline = time.monotonic() + 10
        while proc.status()["queries_running"]:
            assert time.monotonic() < deadline, proc.status()
            time.sleep(0.05)
        assert proc.restarts == 0 and proc.recycles == 0
        assert count(proc) == 60_000
    finally:
        proc.close()


def test_a_query_past_the_memory_cap_is_stopped_alone(tmp_path: Path) -> None:
    """The store process stays under its memory cap: the query running when it is passed answers
    503 (result_too_large) and is not sent again; the store answers again afterwards."""
    spec = f"oxigraph:{tmp_path}/store"
    fill(spec, 3_000)
    proc = StoreProcess(spec, ServiceLimits(max_queries=2, memory_cap_mb=400))
    proc.start()
    try:
        greedy = "SELECT ?a ?c ?b WHERE { ?a <urn:x:p> ?b . ?c <urn:x:p> ?d } ORDER BY DESC(?b) ?c ?a"  # sorts 9M rows
        with pytest.raises(ResultTooLarge, match="memory limit of 400 MB"):
            proc.call(sparql(greedy), timeout=60, query=True)
        assert proc.restarts == 1
        assert count(proc) == 3_000
    finally:
        proc.close()
