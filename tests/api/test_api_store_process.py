"""The store process on its own: restart after a crash, the time limit, the Repo proxy, start-up errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from rdflib import Graph, Literal, URIRef

from api.store_process import ProcessRepo, StoreProcess, StoreTimeout, resolve_spec
from kg.errors import StoreError
from kg.store import open_repo

from .conftest import REPO

G = "https://w3id.org/edukg/graph/test"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { 1 2 3 4 5 6 7 8 9 10 } ?b ?c ?d . ?e ?f ?g . ?h ?i ?j }"


@pytest.fixture
def store(tmp_path: Path):
    proc = StoreProcess(f"oxigraph:{tmp_path}/store", threads=4)
    proc.start()
    yield proc
    proc.close()
    assert proc.pid is None


def fill(repo: ProcessRepo, n: int = 200) -> Graph:
    graph = Graph()
    for i in range(n):
        graph.add((URIRef(f"urn:x:s{i}"), URIRef("urn:x:p"), Literal(i)))
    repo.replace_graph(G, graph)
    return graph


def test_repo_proxy_round_trip(store: StoreProcess) -> None:
    repo = ProcessRepo(store, timeout=10)
    graph = fill(repo, 5)
    assert len(repo) == 5
    assert repo.named_graphs() == [G]
    result = repo.query("SELECT ?o WHERE { ?s <urn:x:p> ?o } ORDER BY ?o")
    assert [int(r["o"].toPython()) for r in result.rows] == list(range(5))
    built = repo.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert built.graph is not None and set(built.graph) == set(graph)
    assert b"urn:x:s3" in repo.dump("nquads")
    repo.drop_graph(G)
    assert len(repo) == 0


def test_crash_is_survived(store: StoreProcess) -> None:
    repo = ProcessRepo(store, timeout=10)
    fill(repo)
    pid = store.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # a crash nobody asked for
    assert len(repo) == 200  # answered by the restarted process, data intact
    assert store.pid not in (None, pid)
    assert store.restarts == 1


def test_timeout_kills_and_restarts(store: StoreProcess) -> None:
    repo = ProcessRepo(store, timeout=10)
    fill(repo)
    pid = store.pid
    started = time.monotonic()
    with pytest.raises(StoreTimeout) as err:
        store.call("sparql", SLOW, "json", None, None, 10_000_000, timeout=1.0)
    assert 1.0 <= time.monotonic() - started < 5
    assert "1 s limit" in err.value.message
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE  # type: ignore[arg-type]
    assert len(repo) == 200
    assert store.timeouts == 1


def test_requests_in_flight_during_a_stop_are_resent(store: StoreProcess) -> None:
    repo = ProcessRepo(store, timeout=10)
    fill(repo)
    slow = store.submit("sparql", SLOW, "json", None, None, 10_000_000, timeout=1.0)
    time.sleep(0.2)
    fast = [store.submit("repo_call", "__len__", (), {}, timeout=20) for _ in range(20)]
    with pytest.raises(StoreTimeout):
        slow.result()
    assert [f.result() for f in fast] == [200] * 20


def test_memory_spec_is_a_temporary_disk_store() -> None:
    spec, cleanup = resolve_spec("memory")
    path = Path(spec.removeprefix("oxigraph:"))
    assert spec.startswith("oxigraph:") and path.parent.is_dir()
    proc = StoreProcess(spec, threads=2)
    proc.start()
    repo = ProcessRepo(proc, timeout=10)
    fill(repo, 3)
    os.kill(proc.pid, signal.SIGKILL)  # type: ignore[arg-type]
    assert len(repo) == 3  # survives a stopped query, unlike an in-process memory store
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
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode != 0
    assert "unknown store spec" in run.stderr + run.stdout
