"""The store contract against a REAL Virtuoso 7 (Debian's virtuoso-opensource): the same checks the
Oxigraph server passes — same answers as the embedded store, atomic replacement, the seed corpus
with the shipped queries, re-ingest, removal, a server killed mid-ingest — plus Virtuoso's own
edges: credentials only from the environment, Digest auth, its system graphs kept out of sight.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.errors import BadSpec, StoreError
from kg.examples import list_queries
from kg.ingest import remove_article
from kg.pipeline import Ingester
from kg.stats import store_stats
from kg.store import open_repo
from kg.store.oxigraph import OxigraphRepo
from kg.store.remote import VIRTUOSO_SYSTEM_GRAPHS, RemoteRepo, open_remote, parse_spec
from ontology.namespace import SPARQL_PREFIXES
from tests.remote.remote_support import (
    REPO_ROOT,
    SEED_DIR,
    graph_of,
    result_bag,
    same_dataset,
    same_trig,
)
from tests.remote.test_faults import EDUKG, N_ARTICLES, article_count, assert_prefix_state, corpus, wait_until
from tests.remote.test_parity import GROUP_SEPS
from tests.remote.test_parity import QUERIES as SEED_QUERIES
from tests.remote.test_remote_store import QUERIES, article_graph, fill
from tests.remote.virtuoso_support import VirtuosoServer

pytestmark = pytest.mark.slow
__all__ = ["corpus"]  # the generated-articles fixture, shared with test_faults


def test_spec_and_credentials(virtuoso: VirtuosoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = parse_spec("virtuoso:http://kg.example:8890/,timeout=5")
    assert (spec.query_url, spec.update_url, spec.gsp_url, spec.union, spec.dialect) == (
        "http://kg.example:8890/sparql",
        "http://kg.example:8890/sparql-auth",
        None,
        "server",
        "virtuoso",
    )
    assert parse_spec("sparql:http://h/sparql,dialect=virtuoso,auth=basic").auth == "basic"
    for text in (
        f"virtuoso:http://dba:{virtuoso.password}@127.0.0.1:{virtuoso.http_port}",
        f"sparql:http://h/sparql,update=http://dba:{virtuoso.password}@h/sparql-auth",
    ):
        with pytest.raises(BadSpec) as err:
            open_repo(text)
        assert virtuoso.password not in str(err.value) and "EDUKG_STORE_PASSWORD" in str(err.value)

    repo = open_repo(virtuoso.spec)
    assert isinstance(repo, RemoteRepo) and virtuoso.password not in repr(repo)
    repo.replace_graph("https://example.org/g/1", article_graph(1))  # Digest auth with the env's secret

    monkeypatch.setenv("EDUKG_STORE_PASSWORD", "wrong-" + virtuoso.password)
    with pytest.raises(StoreError) as err:
        open_repo(virtuoso.spec).drop_graph("https://example.org/g/1")
    assert "HTTP 401" in str(err.value) and "EDUKG_STORE_USER" in str(err.value)
    assert virtuoso.password not in str(err.value)
    monkeypatch.delenv("EDUKG_STORE_PASSWORD")
    with pytest.raises(BadSpec, match="only one is set"):
        open_repo(virtuoso.spec)
    monkeypatch.delenv("EDUKG_STORE_USER")
    reader = open_repo(virtuoso.spec)  # reading needs no credentials
    assert reader.named_graphs() == ["https://example.org/g/1"]
    with pytest.raises(StoreError, match="HTTP 401"):
        reader.drop_graph("https://example.org/g/1")
    assert reader.named_graphs() == ["https://example.org/g/1"]


def test_same_answers_as_embedded(virtuoso: VirtuosoServer) -> None:
    remote = open_repo(virtuoso.spec)
    local = OxigraphRepo(None)
    for repo in (remote, local):
        fill(repo)
        repo.update(
            "PREFIX ex: <https://example.org/t/> INSERT DATA { GRAPH <https://example.org/g/shared> "
            "{ ex:org1 ex:alias 'One' . ex:org3 ex:alias 'Three'@en } }"
        )
        repo.drop_graph("https://example.org/g/5")
        repo.drop_graph("https://example.org/g/never-existed")
    # Virtuoso's own graphs (its RDF views, OWL, LDP, DAV) stay out of every answer
    assert not set(VIRTUOSO_SYSTEM_GRAPHS) & set(remote.named_graphs())
    assert same_dataset(remote, local) == []
    for query in QUERIES:
        assert result_bag(remote.query(query)) == result_bag(local.query(query)), query
    assert remote.query("ASK { GRAPH <https://example.org/g/5> { ?s ?p ?o } }").boolean is False
    query = "SELECT ?g ?s ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    for dataset in (
        {"default_graphs": ["https://example.org/g/1"]},
        {"named_graphs": ["https://example.org/g/2"]},
        {"default_graphs": ["https://example.org/g/1"], "named_graphs": ["https://example.org/g/3"]},
    ):
        assert result_bag(remote.query(query, **dataset)) == result_bag(local.query(query, **dataset)), (
            dataset
        )
    assert same_trig(remote.dump("trig"), local.dump("trig"))
    assert isomorphic(
        Graph().parse(data=remote.dump("turtle"), format="turtle"),
        Graph().parse(data=local.dump("turtle"), format="turtle"),
    )


def test_replace_graph_is_atomic_for_readers(virtuoso: VirtuosoServer) -> None:
    repo = open_remote(virtuoso.spec)
    graph = "https://example.org/g/hot"
    small, large = article_graph(1, extra=300), article_graph(1, extra=900)
    sizes = {len(small), len(large)}
    repo.replace_graph(graph, small)
    seen: list[int] = []
    done = threading.Event()

    def reader() -> None:
        reader_repo = open_remote(virtuoso.spec)
        while not done.is_set():
            row = reader_repo.query(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            ).rows[0]
            seen.append(int(row["n"].toPython()))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(16):
            repo.replace_graph(graph, large if i % 2 == 0 else small)
    finally:
        done.set()
        thread.join()
    assert len(seen) > 10
    assert set(seen) <= sizes, f"a reader saw a partial graph: {sorted(set(seen) - sizes)}"
    assert isomorphic(graph_of(repo, graph), small)


def test_seed_corpus_ingest_reingest_remove(virtuoso: VirtuosoServer, extractor) -> None:
    remote = open_repo(virtuoso.spec)
    local = open_repo("memory")
    for repo in (remote, local):
        summary = Ingester(repo, extractor, n_process=1).run([str(SEED_DIR)])
        assert summary.ok, summary.failed
        assert summary.ingested == len(list(SEED_DIR.glob("*.txt"))) > 0
    assert same_dataset(remote, local) == []

    shipped = list_queries()
    assert shipped
    for named in shipped:
        left, right = remote.query(named.text), local.query(named.text)
        assert left.rows, named.name  # the comparison is not vacuous
        assert result_bag(left, concat_sep=GROUP_SEPS) == result_bag(right, concat_sep=GROUP_SEPS), named.name
    for query in SEED_QUERIES:
        answer = remote.query(SPARQL_PREFIXES + query)
        assert result_bag(answer) == result_bag(local.query(SPARQL_PREFIXES + query)), query
    assert store_stats(remote) == store_stats(local)

    again = Ingester(remote, extractor, n_process=1).run([str(SEED_DIR)])
    assert again.ingested == 0 and again.unchanged == summary.ingested
    assert same_dataset(remote, local) == []

    victim = sorted(SEED_DIR.glob("*.txt"))[0]
    for repo in (remote, local):
        removed = remove_article(repo, str(victim))
        assert len(removed.removed) == 1
    assert same_dataset(remote, local) == []
    for named in shipped:
        left, right = remote.query(named.text), local.query(named.text)
        assert result_bag(left, concat_sep=GROUP_SEPS) == result_bag(right, concat_sep=GROUP_SEPS), named.name


def test_query_time_limit_is_a_clear_error(virtuoso: VirtuosoServer) -> None:
    """Virtuoso stops a query at edukg's limit itself, but then answers HTTP 200 with what it had
    (here: no row at all for a COUNT); that must be an error, never a quiet partial answer."""
    # the server stops at 0.8 of the limit, on a 2 s tick; 12 s leaves the client room under load
    repo = open_remote(virtuoso.spec + ",timeout=12")
    for n in (0, 1):  # ~15k quads with Virtuoso's own: 2e8 pairs, far more than 12 s of work
        repo.replace_graph(f"https://example.org/g/big{n}", article_graph(n, extra=3000))
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        repo.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(CONCAT(STR(?c), STR(?f)) != STR(?a)) }"
        )
    assert time.monotonic() - started < 30
    assert str(err.value).startswith(
        f"SPARQL server at {virtuoso.base}/sparql stopped the query at the time limit"
    )
    with pytest.raises(StoreError) as err:  # refused up front: its cost estimate is over the server's cap
        repo.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert "estimated execution time" in str(err.value) and "DEFINE" not in str(err.value)
    assert repo.query("ASK { ?s ?p ?o }").boolean is True  # the server is fine afterwards


def run_ingest(server: VirtuosoServer, folder: Path) -> subprocess.Popen[str]:
    """`edukg ingest --store virtuoso:… FOLDER` with the credentials in its environment only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUKG_")}
    env.update(server.env, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [EDUKG, "ingest", "--store", server.spec, "--n-process", "1", "--no-progress", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(REPO_ROOT),
        start_new_session=True,
    )


def test_server_killed_during_ingest(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    virtuoso_session: VirtuosoServer,
    corpus,  # noqa: F811
) -> None:
    """On its own fresh database: crash recovery is about this run's transactions only."""
    virtuoso = VirtuosoServer(tmp_path / "virtuoso")
    virtuoso.start()
    try:
        for key, value in virtuoso.env.items():
            monkeypatch.setenv(key, value)
        _kill_during_ingest(virtuoso, corpus)
    finally:
        virtuoso.stop()


def _kill_during_ingest(virtuoso: VirtuosoServer, corpus) -> None:  # noqa: F811
    proc = run_ingest(virtuoso, corpus.folder)
    watcher = open_remote(virtuoso.spec)
    wait_until(lambda: article_count(watcher) >= 4, 300, "4 articles on the server", proc)
    virtuoso.stop(signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode not in (0, None), out + err
    assert f"cannot reach SPARQL server at {virtuoso.base}/" in err, err
    assert "Traceback" not in err and virtuoso.password not in out + err

    virtuoso.start()  # same database (rolled forward from its transaction log), same ports
    after = open_remote(virtuoso.spec)
    k = article_count(after)
    facts = "https://w3id.org/edukg/graph/facts"
    _, only_here, only_ref = graph_diff(
        to_isomorphic(graph_of(after, facts)), to_isomorphic(graph_of(corpus.reference(k), facts))
    )
    assert not only_here and not only_ref, (sorted(only_here)[:20], sorted(only_ref)[:20])
    k = assert_prefix_state(after, corpus)
    assert 4 <= k < N_ARTICLES, f"the kill did not land midway ({k} articles)"

    rerun = run_ingest(virtuoso, corpus.folder)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, out + err
    assert same_dataset(open_remote(virtuoso.spec), corpus.reference()) == []
