"""The remote `Repo` against a real `oxigraph serve`: same answers as the embedded store,
atomic graph replacement, union-default-graph modes, and one-line errors."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace
from rdflib.compare import isomorphic

from kg.errors import BadQuery, BadSpec, StoreError, UnsupportedFormat
from kg.store import open_repo
from kg.store.oxigraph import OxigraphRepo
from kg.store.remote import RemoteRepo, open_remote, parse_spec
from tests.remote.remote_support import (
    dataset_from_trig,
    free_port,
    graph_of,
    result_bag,
    same_dataset,
    same_trig,
)

pytestmark = pytest.mark.slow

EX = Namespace("https://example.org/t/")
EDUKG = Namespace("https://w3id.org/edukg/ontology#")


def article_graph(n: int, *, extra: int = 0) -> Graph:
    """A graph shaped like an article's: typed entities, labels, a relation with evidence."""
    g = Graph()
    a, b = EX[f"org{n}"], EX[f"org{n + 1}"]
    g.add((a, RDF.type, EDUKG.University))
    g.add((b, RDF.type, EDUKG.Enterprise))
    g.add((a, EX.label, Literal(f'Org "{n}"\nwith\ttabs & ünïcode', lang="en")))
    g.add((b, EX.label, Literal(f"Org {n + 1}")))
    g.add((a, EDUKG.partnersWith, b))
    ev = BNode()
    g.add((ev, RDF.type, EDUKG.Evidence))
    g.add((ev, RDF.subject, a))
    g.add((ev, RDF.object, b))
    g.add((ev, EDUKG.confidence, Literal("0.9", datatype=XSD.decimal)))
    g.add((ev, EDUKG.start, Literal(n)))
    g.add((ev, EX.date, Literal("2024-05-01", datatype=XSD.date)))
    for i in range(extra):
        g.add((a, EX[f"p{i % 7}"], Literal(i)))
    return g


def fill(repo: object, count: int = 6) -> None:
    for n in range(count):
        repo.replace_graph(f"https://example.org/g/{n}", article_graph(n))  # type: ignore[attr-defined]


QUERIES = [
    "SELECT DISTINCT ?s ?o WHERE { ?s <https://w3id.org/edukg/ontology#partnersWith> ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t }",
    "SELECT ?l WHERE { ?s <https://example.org/t/label> ?l FILTER(lang(?l) = 'en') }",
    "SELECT ?ev ?c WHERE { ?ev <https://w3id.org/edukg/ontology#confidence> ?c }",
    "SELECT ?x ?missing WHERE { ?x a <https://w3id.org/edukg/ontology#University> "
    "OPTIONAL { ?x <https://example.org/t/nothing> ?missing } }",
    "ASK { ?s <https://w3id.org/edukg/ontology#partnersWith> <https://example.org/t/org3> }",
    "ASK { ?s <https://example.org/t/never> ?o }",
    "CONSTRUCT { ?o ?p ?s } WHERE { ?s <https://w3id.org/edukg/ontology#partnersWith> ?o ; ?p ?o }",
    "DESCRIBE <https://example.org/t/org2>",
]


def test_spec_parsing() -> None:
    spec = parse_spec("oxigraph-server:http://127.0.0.1:7878/,timeout=2.5,retries=3")
    assert (spec.query_url, spec.update_url, spec.gsp_url) == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
    )
    assert (spec.union, spec.timeout, spec.retries) == ("oxigraph", 2.5, 3)
    spec = parse_spec("sparql:https://h.example/ds/sparql?x=1,2,update=https://h.example/ds/update")
    assert spec.query_url == "https://h.example/ds/sparql?x=1,2"  # a comma inside the URL survives
    assert spec.update_url == "https://h.example/ds/update"
    assert (spec.gsp_url, spec.union) == (None, "server")
    assert parse_spec("https://h.example/q,union=explicit").union == "explicit"
    assert parse_spec("sparql+http://h.example/q").query_url == "http://h.example/q"
    assert (
        parse_spec("sparql:http://h/q,union=graph:urn:x-arq:UnionGraph").union == "graph:urn:x-arq:UnionGraph"
    )
    for bad in (
        "sparql:ftp://h/q",
        "sparql:",
        "sparql:http://h/q,colour=blue",
        "sparql:http://h/q,timeout=-1",
        "sparql:http://h/q,union=sometimes",
    ):
        with pytest.raises(BadSpec):
            parse_spec(bad)


def test_same_answers_as_embedded(oxigraph_server) -> None:
    remote = open_repo(oxigraph_server.spec)
    assert isinstance(remote, RemoteRepo)
    local = OxigraphRepo(None)
    for repo in (remote, local):
        fill(repo)
        repo.update(
            "PREFIX ex: <https://example.org/t/> INSERT DATA { GRAPH <https://example.org/g/shared> "
            "{ ex:org1 ex:alias 'One' . ex:org3 ex:alias 'Three'@en } }"
        )
        repo.drop_graph("https://example.org/g/5")
        repo.drop_graph("https://example.org/g/never-existed")
    assert same_dataset(remote, local) == []
    for query in QUERIES:
        assert result_bag(remote.query(query)) == result_bag(local.query(query)), query
    # explicit datasets follow the embedded semantics (an omitted side keeps its default)
    datasets = [
        {"default_graphs": ["https://example.org/g/1"]},
        {"named_graphs": ["https://example.org/g/2"]},
        {"default_graphs": ["https://example.org/g/1"], "named_graphs": ["https://example.org/g/3"]},
        {"default_graphs": [], "named_graphs": []},
    ]
    query = "SELECT ?g ?s ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    for dataset in datasets:
        assert result_bag(remote.query(query, **dataset)) == result_bag(local.query(query, **dataset)), (
            dataset
        )
    for fmt in ("trig", "nquads", "turtle", "jsonld"):
        assert remote.dump(fmt), fmt
    assert same_trig(remote.dump("trig"), local.dump("trig"))
    assert isomorphic(
        Graph().parse(data=remote.dump("turtle"), format="turtle"),
        Graph().parse(data=local.dump("turtle"), format="turtle"),
    )
    with pytest.raises(UnsupportedFormat):
        remote.dump("pdf")
    remote.close()


def test_dump_without_graph_store_protocol(oxigraph_server) -> None:
    """Servers without a dataset-wide GSP GET are dumped through SELECT: same content."""
    with_gsp = open_remote(oxigraph_server.spec)
    fill(with_gsp, 3)
    without = open_remote(f"sparql:{oxigraph_server.base}/query,union=oxigraph")
    assert without.spec.gsp_url is None
    assert len(dataset_from_trig(with_gsp.dump("trig"))) == 3
    assert same_trig(with_gsp.dump("trig"), without.dump("trig"))


def test_replace_graph_is_atomic_for_readers(oxigraph_server) -> None:
    """A reader counting one graph while it is replaced again and again sees only whole
    versions, never the dropped-but-not-yet-inserted state nor a partial insert."""
    repo = open_remote(oxigraph_server.spec)
    graph = "https://example.org/g/hot"
    small, large = article_graph(1, extra=300), article_graph(1, extra=900)
    sizes = {len(small), len(large)}
    repo.replace_graph(graph, small)
    seen: list[int] = []
    done = threading.Event()

    def reader() -> None:
        reader_repo = open_remote(oxigraph_server.spec)
        while not done.is_set():
            row = reader_repo.query(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            ).rows[0]
            seen.append(int(row["n"].toPython()))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(40):
            repo.replace_graph(graph, large if i % 2 == 0 else small)
    finally:
        done.set()
        thread.join()
    assert len(seen) > 10
    assert set(seen) <= sizes, f"a reader saw a partial graph: {sorted(set(seen) - sizes)}"
    assert isomorphic(graph_of(repo, graph), small)


def test_union_default_graph_modes(tmp_path: Path, oxigraph_server, union_server) -> None:
    # a server started with --union-default-graph works with the generic spec (union=server)
    generic = open_repo(f"sparql:{union_server.base}/query,update={union_server.base}/update")
    fill(generic, 3)
    generic = open_repo(
        f"sparql:{union_server.base}/query,update={union_server.base}/update"
    )  # probe on data
    assert result_bag(generic.query(QUERIES[0])) == result_bag(
        open_remote(union_server.spec).query(QUERIES[0])
    )
    assert len(generic) == len(open_remote(union_server.spec)) == 3 * len(article_graph(0))

    # a stock server: the generic spec is refused at open with the fix in the message ...
    fill(open_remote(oxigraph_server.spec), 3)
    with pytest.raises(StoreError) as err:
        open_repo(f"sparql:{oxigraph_server.base}/query")
    assert "--union-default-graph" in str(err.value) and "\n" not in str(err.value)
    # ... and union=explicit or union=oxigraph give the union without any server flag
    explicit = open_repo(f"sparql:{oxigraph_server.base}/query,union=explicit")
    param = open_repo(f"sparql:{oxigraph_server.base}/query,union=oxigraph")
    for query in QUERIES[:4]:
        assert result_bag(explicit.query(query)) == result_bag(param.query(query)), query
    assert len(explicit.query(QUERIES[0]).rows) == 3


def test_unreachable_server_is_one_clear_line() -> None:
    port = free_port()  # nobody listens there
    started = time.monotonic()
    for spec in (f"oxigraph-server:http://127.0.0.1:{port}", f"sparql:http://127.0.0.1:{port}/sparql"):
        with pytest.raises(StoreError) as err:
            open_repo(spec)
        message = str(err.value)
        assert (
            message
            == f"cannot reach SPARQL server at http://127.0.0.1:{port}/"
            + ("query" if spec.startswith("oxigraph") else "sparql")
            + ": connection refused"
        )
        assert err.value.code == "store_error"
    assert time.monotonic() - started < 5
    with pytest.raises(BadSpec) as err:  # credentials in a URL are refused, and never repeated
        open_repo(f"sparql:http://reader:s3cret@127.0.0.1:{port}/sparql")
    assert "s3cret" not in str(err.value) and "reader" not in str(err.value)
    assert "EDUKG_STORE_USER" in str(err.value)


def test_server_lost_and_back(oxigraph_server) -> None:
    """Requests fail with a clear error while the server is down and work once it is back,
    on the same Repo object (no reconnect needed); the data survived the kill."""
    repo = open_remote(oxigraph_server.spec)
    fill(repo, 2)
    oxigraph_server.stop()
    with pytest.raises(StoreError, match=r"^cannot reach SPARQL server at http://127\.0\.0\.1:\d+/update: "):
        repo.replace_graph("https://example.org/g/9", article_graph(9))
    with pytest.raises(StoreError, match="cannot reach SPARQL server"):
        repo.query("ASK {}")
    oxigraph_server.start()
    assert repo.named_graphs() == ["https://example.org/g/0", "https://example.org/g/1"]
    repo.replace_graph("https://example.org/g/9", article_graph(9))
    assert len(repo.named_graphs()) == 3


def test_retries_wait_for_a_restarting_server(oxigraph_server) -> None:
    repo = open_remote(oxigraph_server.spec + ",retries=6")
    oxigraph_server.stop()
    timer = threading.Timer(0.5, oxigraph_server.start)
    timer.start()
    try:
        repo.replace_graph("https://example.org/g/1", article_graph(1))  # refused, retried, applied
    finally:
        timer.join()
    assert repo.named_graphs() == ["https://example.org/g/1"]


def test_timeout_is_configurable_and_clear(oxigraph_server) -> None:
    repo = open_remote(oxigraph_server.spec + ",timeout=0.5")
    repo.replace_graph("https://example.org/g/big", article_graph(0, extra=3000))
    started = time.monotonic()
    with pytest.raises(StoreError) as err:  # ~2.7e10 solutions: never finishes in 0.5 s
        repo.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert time.monotonic() - started < 5
    assert str(err.value) == (
        f"SPARQL server at {oxigraph_server.base}/query gave no answer to the query within 0.5 s "
        "(raise timeout= in the store spec)"
    )


def test_bad_requests_and_http_errors(oxigraph_server) -> None:
    repo = open_remote(oxigraph_server.spec)
    fill(repo, 2)
    before = repo.dump("trig")
    with pytest.raises(BadQuery, match=r"^SPARQL server at .*/query refused the query: HTTP 400: "):
        repo.query("SELEKT * WHERE { ?s ?p ?o }")
    with pytest.raises(BadQuery, match="refused the update: HTTP 400"):
        repo.update("INSERT DATA { GRAPH <https://example.org/g/0> { <a:b> <a:b> }")
    with pytest.raises(BadQuery):  # an IRI that would break out of <...> never reaches the server
        repo.replace_graph("https://example.org/g/x> <y", article_graph(1))
    assert same_trig(repo.dump("trig"), before)  # untouched
    wrong_path = open_remote(f"sparql:{oxigraph_server.base}/nowhere,union=oxigraph,check=false")
    with pytest.raises(StoreError, match=r"refused the query: HTTP 404"):
        wrong_path.query("ASK {}")
    read_only = open_remote(f"sparql:{oxigraph_server.base}/query,union=oxigraph")
    with pytest.raises(StoreError, match="read-only"):
        read_only.drop_graph("https://example.org/g/0")
    assert len(repo.named_graphs()) == 2


def test_counts_and_dumps_on_a_union_server(union_server) -> None:
    """On a server whose default graph is the union, nothing is counted or dumped twice,
    whichever union mode the spec uses."""
    local = OxigraphRepo(None)
    fill(local, 3)
    fill(open_remote(union_server.spec), 3)
    specs = (
        union_server.spec,
        f"sparql:{union_server.base}/query",
        f"sparql:{union_server.base}/query,union=oxigraph",
        f"sparql:{union_server.base}/query,union=explicit",
    )
    for spec in specs:
        repo = open_repo(spec)
        assert len(repo) == len(local), spec
        dumped = dataset_from_trig(repo.dump("trig"))
        assert sorted(dumped) == local.named_graphs(), spec
