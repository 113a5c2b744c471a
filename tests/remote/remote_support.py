"""Helpers shared by the remote-store tests: a real `oxigraph serve` process and comparisons.

The server binary comes from the `oxigraph` PyPI package (a test dependency). Each server keeps
its data in a directory, so a test can kill it (SIGKILL, like a crash or a lost machine) and
start it again on the same data and port.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from kg.store.base import QueryResult, Repo


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


OXIGRAPH = shutil.which("oxigraph")
REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "data" / "articles"


class OxigraphServer:
    """One `oxigraph serve` process; `stop()` and `start()` keep the data directory and port."""

    def __init__(self, location: Path, *, union_default_graph: bool = False) -> None:
        self.location = location
        self.port = free_port()
        self.union_default_graph = union_default_graph
        self.process: subprocess.Popen[bytes] | None = None
        self.log = location.parent / f"{location.name}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def spec(self) -> str:
        """The edukg store spec of this server (shorthand form)."""
        return f"oxigraph-server:{self.base}"

    def start(self, timeout: float = 30.0) -> None:
        assert OXIGRAPH, "the oxigraph binary is missing: pip install 'oxigraph>=0.5.13,<0.6'"
        args = [OXIGRAPH, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        if self.union_default_graph:
            args.append("--union-default-graph")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                response = httpx.post(f"{self.base}/query", data={"query": "ASK {}"}, timeout=2.0)
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer on {self.base} within {timeout} s")

    def stop(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, sig)
            self.process.wait(timeout=30)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _key(term: Node, concat_sep: tuple[str, ...] = ()) -> object:
    # blank node labels are local to one answer: compare them as "some blank node"
    if isinstance(term, BNode):
        return "_:"
    for sep in concat_sep:
        if isinstance(term, Literal) and sep in term:
            # GROUP_CONCAT joins values in storage order, which SPARQL leaves unspecified
            return ("concat", tuple(sorted(str(term).split(sep))))
    return term


def result_bag(result: QueryResult, *, concat_sep: tuple[str, ...] = ()) -> object:
    """A comparable value for a query answer: a multiset of rows, a boolean, or a graph.
    `concat_sep`: compare literals joined with one of these separators as unordered parts."""
    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        assert result.graph is not None
        return Counter((_key(s), _key(p), _key(o)) for s, p, o in result.graph)
    return (
        sorted(result.vars),
        Counter(frozenset((k, _key(v, concat_sep)) for k, v in row.items()) for row in result.rows),
    )


def graph_of(repo: Repo, graph: str) -> Graph:
    """The triples of one named graph, read through the Repo interface."""
    result = repo.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert result.graph is not None
    return result.graph


def same_dataset(left: Repo, right: Repo) -> list[str]:
    """Differences between two stores, graph by graph (empty list = same named graphs, each
    isomorphic, same quad count)."""
    problems: list[str] = []
    left_graphs, right_graphs = set(left.named_graphs()), set(right.named_graphs())
    if left_graphs != right_graphs:
        problems.append(
            f"named graphs differ: only left {sorted(left_graphs - right_graphs)[:5]}, "
            f"only right {sorted(right_graphs - left_graphs)[:5]}"
        )
    for graph in sorted(left_graphs & right_graphs):
        if not isomorphic(graph_of(left, graph), graph_of(right, graph)):
            problems.append(f"graph {graph} differs")
    if len(left) != len(right):
        problems.append(f"quad counts differ: {len(left)} vs {len(right)}")
    return problems


def dataset_from_trig(data: bytes) -> dict[str, Graph]:
    """A TriG dump as {graph IRI: Graph} (the default graph under "")."""
    dataset = Dataset()
    dataset.parse(data=data, format="trig")
    graphs: dict[str, Graph] = {}
    for ctx in dataset.contexts():
        name = (
            ""
            if not isinstance(ctx.identifier, URIRef) or str(ctx.identifier).startswith("urn:x-rdflib:")
            else str(ctx.identifier)
        )
        if len(ctx):
            graphs[name] = ctx
    return graphs


def same_trig(left: bytes, right: bytes) -> bool:
    """Whether two TriG dumps hold the same graphs, each isomorphic (blank node labels aside)."""
    a, b = dataset_from_trig(left), dataset_from_trig(right)
    return a.keys() == b.keys() and all(isomorphic(a[k], b[k]) for k in a)
