"""`edukg ingest` while `edukg serve` holds the store: the articles go through the server.

A real server (uvicorn on a free loopback port) on an on-disk store, a real `edukg ingest` in a
subprocess, and 8 clients asking /sparql for every article graph's size throughout. Each article
is written in one store transaction, so a client may see an article's graph absent or complete,
never in between; at the end every article is there, and no query failed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.make_corpus import make_corpus
from cli import server_address
from ontology.namespace import ARTICLE

from .conftest import REPO, Server, start_server, stop_server

pytestmark = pytest.mark.slow

KEY = "live-ingest-key"
CLIENTS = 8
SIZES = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
    f'FILTER(STRSTARTS(STR(?g), "{ARTICLE}")) }} GROUP BY ?g'
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("live")
    srv = start_server(tmp, "--no-seed", key=KEY, name="live", store=f"oxigraph:{tmp}/store")
    assert srv.store_dir is not None
    address = server_address.address_file(srv.store_dir.resolve())
    assert json.loads(address.read_text())["pid"] == srv.proc.pid
    yield srv
    assert not stop_server(srv)
    assert not address.exists(), "a cleanly stopped server must remove its address file"


def edukg(*args: str, key: str | None = KEY) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a real `edukg` run (EDUKG_API_KEY = `key`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUKG_")}
    if key is not None:
        env["EDUKG_API_KEY"] = key
    return [sys.executable, "-m", "cli.main", *args], env


def run_edukg(*args: str, key: str | None = KEY, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    cmd, env = edukg(*args, key=key)
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def graph_sizes(client: httpx.Client) -> dict[str, int]:
    r = client.post("/sparql", data={"query": SIZES}, headers={"Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


class Watchers:
    """`CLIENTS` threads querying every article graph's size until stopped."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.seen: dict[str, set[int]] = defaultdict(set)
        self.queries = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(CLIENTS)]

    def loop(self) -> None:
        with self.server.client() as client:
            while not self.stop.is_set():
                try:
                    sizes = graph_sizes(client)
                except Exception as err:  # every failure counts, whatever its kind
                    with self.lock:
                        self.errors.append(f"{type(err).__name__}: {err}")
                    continue
                with self.lock:
                    self.queries += 1
                    for graph, n in sizes.items():
                        self.seen[graph].add(n)

    def __enter__(self) -> Watchers:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(120)


def test_ingest_through_running_server(live: Server, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_corpus(20, drop, seed=11)
    before = live.quads()
    with Watchers(live) as watchers:
        done = run_edukg(
            "ingest", "--store", f"oxigraph:{live.store_dir}", str(drop), "--json", "--no-progress"
        )
        time.sleep(1.0)  # the clients go on querying the finished graph
    assert done.returncode == 0, done.stderr
    assert "holds the store: sending articles to" in done.stderr
    summary = json.loads(done.stdout)
    assert summary["ingested"] == 20 and not summary["failed"], summary
    assert watchers.errors == [], watchers.errors[:5]
    assert watchers.queries > 20  # the clients really ran during the ingest
    with live.client() as client:
        final = graph_sizes(client)
    assert len(final) == 20 and live.quads() > before
    for graph, sizes in watchers.seen.items():
        assert sizes == {final[graph]}, (
            f"{graph} was seen with {sorted(sizes)} triples, finally {final[graph]}"
        )
    # the same run again finds every article in the store and sends nothing new
    again = run_edukg("ingest", "--store", f"oxigraph:{live.store_dir}", str(drop), "--json", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["unchanged"] == 20


def test_watch_through_running_server(live: Server, tmp_path: Path) -> None:
    corpus, drop = tmp_path / "corpus", tmp_path / "drop"
    make_corpus(3, corpus, seed=23)
    drop.mkdir()
    cmd, env = edukg(
        "ingest", "--store", f"oxigraph:{live.store_dir}", "--watch", str(drop), "--interval", "0.3"
    )
    log = tmp_path / "watch.log"
    with log.open("wb") as fh:
        watch = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        with live.client() as client:
            known = set(graph_sizes(client))
            for i, path in enumerate(sorted(corpus.rglob("*.txt"))):
                staged = drop / f".{path.name}.part"
                staged.write_bytes(path.read_bytes())
                staged.rename(drop / path.name)  # the drop folder's contract: complete files appear
                deadline = time.monotonic() + 120
                while len(set(graph_sizes(client)) - known) < i + 1:
                    assert watch.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, f"article {i} never appeared:\n{log.read_text()}"
                    time.sleep(0.2)
            assert len(set(graph_sizes(client)) - known) == 3
    finally:
        watch.send_signal(signal.SIGINT)
        watch.wait(60)
    text = log.read_text()
    assert watch.returncode == 0, text
    assert text.count("ingested: ") == 3, text


def test_no_key_says_what_to_do(live: Server, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_corpus(1, drop, seed=5)
    before = live.quads()
    for key, expected in ((None, "set EDUKG_API_KEY"), ("wrong", "refused the key")):
        done = run_edukg("ingest", "--store", f"oxigraph:{live.store_dir}", str(drop), key=key)
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0] and str(live.proc.pid) in lines[0], done.stderr
        assert "Resource temporarily unavailable" not in done.stderr
    assert live.quads() == before


def test_store_held_by_another_process_one_line(tmp_path: Path) -> None:
    """A store held by a process that left no address (here a plain Python process) cannot be
    ingested into: one line says so, not RocksDB's 'LOCK: Resource temporarily unavailable'."""
    store = tmp_path / "store"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import pyoxigraph,sys; s=pyoxigraph.Store({str(store)!r}); print('ok', flush=True); "
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        drop = tmp_path / "drop"
        make_corpus(1, drop, seed=5)
        done = run_edukg("ingest", "--store", f"oxigraph:{store}", str(drop))
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "in use by another process" in lines[0], done.stderr
    finally:
        holder.kill()
        holder.wait()


def test_stale_address_file_is_ignored(tmp_path: Path) -> None:
    """A server killed without clean-up leaves its address: its pid is gone, so the ingest
    opens the store itself."""
    store = tmp_path / "store"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    server_address.address_file(store).write_text(
        json.dumps({"host": "127.0.0.1", "port": 9, "pid": dead.pid, "store": str(store), "writes": True})
    )
    drop = tmp_path / "drop"
    make_corpus(2, drop, seed=5)
    done = run_edukg("ingest", "--store", f"oxigraph:{store}", str(drop), "--json", "--no-progress", key=None)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ingested"] == 2
    assert "sending articles" not in done.stderr
