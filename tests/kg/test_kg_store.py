"""The embedded Oxigraph backend behind the Repo interface (real pyoxigraph, memory and disk)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import BadQuery, BadSpec, StoreError, UnsupportedFormat
from kg.store import Repo, open_repo
from kg.store.oxigraph import OxigraphRepo

S, P = URIRef("http://example.org/s"), URIRef("http://example.org/p")


def _graph(*values: object) -> Graph:
    g = Graph()
    for v in values:
        g.add((S, P, Literal(v)))
    return g


def test_replace_graph_and_union_default(repo: Repo) -> None:
    repo.replace_graph("http://example.org/g1", _graph("a", 1))
    repo.replace_graph("http://example.org/g2", _graph("a"))
    assert repo.named_graphs() == ["http://example.org/g1", "http://example.org/g2"]
    assert len(repo) == 3
    # union default graph: both graphs visible; DISTINCT gives the set
    rows = repo.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o }").rows
    assert {r["o"] for r in rows} == {Literal("a"), Literal(1)}
    # explicit default graph restricts to it
    rows = repo.query("SELECT ?o WHERE { ?s ?p ?o }", default_graphs=["http://example.org/g2"]).rows
    assert [r["o"] for r in rows] == [Literal("a")]
    repo.replace_graph("http://example.org/g1", _graph("b"))
    assert len(repo) == 2
    repo.drop_graph("http://example.org/g1")
    repo.drop_graph("http://example.org/absent")
    assert repo.named_graphs() == ["http://example.org/g2"]


def test_result_kinds_and_terms(repo: Repo) -> None:
    repo.replace_graph("http://example.org/g", _graph('quote " and\nnewline', 2.5))
    ask = repo.query("ASK { ?s ?p 2.5e0 }")
    assert ask.kind == "ask" and ask.boolean is True
    sel = repo.query("SELECT ?o ?missing WHERE { ?s ?p ?o } ORDER BY ?o")
    assert sel.kind == "select" and sel.vars == ["o", "missing"]
    assert all("missing" not in row for row in sel.rows)
    assert Literal('quote " and\nnewline') in {row["o"] for row in sel.rows}
    con = repo.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert con.kind == "graph" and con.graph is not None and len(con.graph) == 2


def test_bad_query_is_a_domain_error(repo: Repo) -> None:
    with pytest.raises(BadQuery):
        repo.query("SELECT WHERE")
    with pytest.raises(BadQuery):
        repo.update("INSERT DATA { nonsense }")


def test_dump_formats(repo: Repo) -> None:
    repo.replace_graph("http://example.org/g", _graph("x"))
    for fmt in ("trig", "nquads", "jsonld"):
        assert b"http://example.org/g" in repo.dump(fmt)
    turtle = repo.dump("turtle")
    parsed = Graph().parse(data=turtle, format="turtle")
    assert (S, P, Literal("x")) in parsed
    with pytest.raises(UnsupportedFormat):
        repo.dump("pdf")


def test_disk_store_persists_and_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "store"
    first = open_repo(f"oxigraph:{path}")
    first.replace_graph("http://example.org/g", _graph("kept"))
    with pytest.raises(StoreError):
        open_repo(f"oxigraph:{path}")  # one writer per directory
    reader = open_repo(f"oxigraph:{path}", read_only=True)  # readers are fine
    assert len(reader) == 1
    reader.close()
    first.close()
    del first
    again = open_repo(f"oxigraph:{path}")
    assert again.query("ASK { ?s ?p 'kept' }").boolean is True
    again.close()


def test_open_repo_specs() -> None:
    assert isinstance(open_repo("memory"), OxigraphRepo)
    with pytest.raises(BadSpec):
        open_repo("postgres://nope")
    with pytest.raises(BadSpec):
        open_repo("oxigraph:")


def test_rdflib_dataset_reads_the_same_store(repo: OxigraphRepo) -> None:
    repo.replace_graph("http://example.org/g", _graph("via rdflib"))
    ds = repo.rdflib_dataset()
    rows = list(ds.query("SELECT ?o WHERE { ?s ?p ?o }"))
    assert [str(r[0]) for r in rows] == ["via rdflib"]
