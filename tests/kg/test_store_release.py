"""`OxigraphRepo.release_memory`: the store is closed and reopened under the caller's feet, so
everything written must still be there, writes must go on, and it must refuse when another
object holds the pyoxigraph Store (closing would then not close, and the reopen would fail)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg.store.oxigraph import OxigraphRepo

G = "http://example.org/g/"


def _graph(i: int) -> Graph:
    g = Graph()
    for j in range(20):
        g.add((URIRef(f"http://example.org/s{i}"), URIRef(f"http://example.org/p{j}"), Literal(f"v{i}-{j}")))
    return g


def _count(repo: OxigraphRepo) -> int:
    return int(repo.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]["n"])  # type: ignore[call-overload]


def test_release_keeps_data_and_writes_go_on(tmp_path: Path) -> None:
    repo = OxigraphRepo(tmp_path / "store")
    for i in range(30):
        repo.replace_graph(f"{G}{i}", _graph(i))
    assert repo.release_memory() is True
    assert _count(repo) == 30 * 20
    repo.replace_graph(f"{G}30", _graph(30))
    assert _count(repo) == 31 * 20
    repo.close()
    # and another process sees it all: the release closed the files cleanly
    reopened = OxigraphRepo(tmp_path / "store")
    assert _count(reopened) == 31 * 20
    reopened.close()


def test_release_refused_while_the_store_is_shared(tmp_path: Path) -> None:
    repo = OxigraphRepo(tmp_path / "store")
    repo.replace_graph(f"{G}0", _graph(0))
    dataset = repo.rdflib_dataset()  # holds the same pyoxigraph Store
    assert repo.release_memory() is False
    assert len(dataset) >= 0 and _count(repo) == 20  # both still work
    del dataset
    assert repo.release_memory() is True
    repo.close()


def test_release_is_a_no_op_in_memory() -> None:
    repo = OxigraphRepo(None)
    repo.replace_graph(f"{G}0", _graph(0))
    assert repo.release_memory() is False
    assert _count(repo) == 20


def test_release_gives_back_what_writes_left(tmp_path: Path) -> None:
    """In a fresh process (so other tests' memory does not blur it): after ~40k quads written in
    per-article transactions and flushed, releasing returns memory that the flush alone kept."""
    script = textwrap.dedent(f"""
        import psutil
        from rdflib import Graph, Literal, URIRef
        from kg.store.oxigraph import OxigraphRepo
        repo = OxigraphRepo({str(tmp_path / "store")!r})
        proc = psutil.Process()
        for i in range(400):
            g = Graph()
            for j in range(100):
                g.add((URIRef(f"http://example.org/s{{i}}-{{j}}"), URIRef("http://example.org/p"), Literal(j)))
            repo.replace_graph(f"http://example.org/g/{{i}}", g)
            if i % 100 == 99:
                repo.flush()
        flushed = proc.memory_info().rss
        assert repo.release_memory()
        print(flushed, proc.memory_info().rss)
    """)
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    flushed, released = map(int, out.stdout.split())
    assert released < flushed, (flushed, released)
