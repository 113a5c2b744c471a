"""The SPARQL 1.1 Protocol through real clients: SPARQLWrapper (GET, form POST, direct POST) and
httpx, against the server seeded from data/articles."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from .conftest import REPO, Server

pytestmark = pytest.mark.slow

PREFIXES = """PREFIX edukg: <https://w3id.org/edukg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
PARTNERS = (
    PREFIXES
    + """
SELECT DISTINCT ?partner ?label WHERE {
  ?u skos:prefLabel "Xi'an University of Technology" ; edukg:partnersWith ?partner .
  ?partner skos:prefLabel ?label .
} ORDER BY ?label"""
)
ARTICLES = PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a edukg:Article } }"
N_SEED = len([p for p in (REPO / "data" / "articles").iterdir() if p.suffix == ".txt"])


def wrapper(server: Server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method == "POST":
        sw.setMethod(POST)
    elif method == "POSTDIRECTLY":
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
    return sw


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
def test_select_json_finds_the_seed_partnership(server: Server, method: str) -> None:
    result = wrapper(server, PARTNERS, JSON, method).query().convert()
    labels = [b["label"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    assert "Huawei" in labels, labels
    assert result["head"]["vars"] == ["partner", "label"]  # type: ignore[index]


def test_select_xml_csv_tsv_agree_with_json(server: Server) -> None:
    as_json = wrapper(server, PARTNERS, JSON).query().convert()
    rows = [(b["partner"]["value"], b["label"]["value"]) for b in as_json["results"]["bindings"]]  # type: ignore[index]
    assert rows

    doc = wrapper(server, PARTNERS, XML).query().convert()
    xml_rows = []
    for result in doc.getElementsByTagName("result"):  # type: ignore[union-attr]
        cells = {
            b.getAttribute("name"): b.firstChild.firstChild.data
            for b in result.getElementsByTagName("binding")
        }
        xml_rows.append((cells["partner"], cells["label"]))
    assert xml_rows == rows

    text = wrapper(server, PARTNERS, CSV).query().convert().decode("utf-8")  # type: ignore[union-attr]
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["partner", "label"]
    assert [tuple(r) for r in table[1:]] == rows

    tsv = wrapper(server, PARTNERS, TSV).query().convert().decode("utf-8")  # type: ignore[union-attr]
    lines = tsv.strip().split("\n")
    assert lines[0].split("\t") == ["?partner", "?label"]
    assert len(lines) == len(rows) + 1


def test_ask(server: Server) -> None:
    yes = (
        PREFIXES
        + 'ASK { ?u skos:prefLabel "Xi\'an University of Technology" ; edukg:partnersWith ?p . ?p skos:prefLabel "Huawei" }'
    )
    no = PREFIXES + 'ASK { ?u skos:prefLabel "No Such University of Nowhere" }'
    assert wrapper(server, yes, JSON).query().convert()["boolean"] is True  # type: ignore[index]
    assert wrapper(server, no, JSON).query().convert()["boolean"] is False  # type: ignore[index]
    xml = wrapper(server, yes, XML).query().convert()
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


def test_construct_turtle_parses_and_matches_select(server: Server) -> None:
    query = (
        PREFIXES
        + """
CONSTRUCT { ?u edukg:partnersWith ?p . ?p skos:prefLabel ?l }
WHERE { ?u skos:prefLabel "Xi'an University of Technology" ; edukg:partnersWith ?p . ?p skos:prefLabel ?l }"""
    )
    data = wrapper(server, query, TURTLE).query().convert()
    graph = Graph().parse(data=data, format="turtle")
    labels = {str(o) for o in graph.objects(None, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
    selected = wrapper(server, PARTNERS, JSON).query().convert()
    assert labels == {b["label"]["value"] for b in selected["results"]["bindings"]}  # type: ignore[index]
    assert b"@prefix edukg:" in data  # prefixes make the Turtle readable


@pytest.mark.parametrize(
    ("accept", "content_type", "parse_as"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        (None, "text/turtle", "turtle"),
    ],
)
def test_construct_formats(server: Server, accept: str | None, content_type: str, parse_as: str) -> None:
    query = PREFIXES + "CONSTRUCT { ?a edukg:partnersWith ?b } WHERE { ?a edukg:partnersWith ?b }"
    headers = {"Accept": accept} if accept else {}
    with server.client() as c:
        r = c.get("/sparql", params={"query": query}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(content_type)
    graph = Graph().parse(data=r.content, format=parse_as)
    assert len(graph) > 0
    if parse_as == "nt":  # the union default graph repeats a triple per article; the answer is a set
        lines = r.text.strip().split("\n")
        assert len(lines) == len(set(lines)) == len(graph)


def test_dataset_parameters_restrict_the_default_graph(server: Server) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with server.client() as c:
        graphs = c.get("/articles", params={"limit": 500}).json()["items"]
        assert len(graphs) == N_SEED
        one = graphs[0]["iri"]
        size = c.get(f"/articles/{graphs[0]['id']}").json()["triples"]
        r = c.get("/sparql", params={"query": count, "default-graph-uri": one})
        assert r.status_code == 200, r.text
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == size
        # FROM in the query does the same; the protocol parameter overrides it
        r = c.post(
            "/sparql",
            content=f"SELECT (COUNT(*) AS ?n) FROM <{one}> WHERE {{ ?s ?p ?o }}",
            headers={"Content-Type": "application/sparql-query"},
        )
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == size
        two = graphs[1]["iri"]
        r = c.post(
            "/sparql",
            data={
                "query": f"SELECT (COUNT(*) AS ?n) FROM <{one}> WHERE {{ ?s ?p ?o }}",
                "default-graph-uri": two,
            },
        )
        size2 = c.get(f"/articles/{graphs[1]['id']}").json()["triples"]
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == size2
        # named-graph-uri: only the named graphs given are visible to GRAPH ?g
        r = c.get(
            "/sparql",
            params={
                "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                "named-graph-uri": [one, two],
            },
        )
        assert sorted(b["g"]["value"] for b in r.json()["results"]["bindings"]) == sorted([one, two])


def test_union_default_graph_sees_every_article(server: Server) -> None:
    result = wrapper(server, ARTICLES, JSON).query().convert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) >= N_SEED  # type: ignore[index]


def test_not_acceptable(server: Server) -> None:
    with server.client() as c:
        r = c.get(
            "/sparql",
            params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
            headers={"Accept": "image/png"},
        )
        assert r.status_code == 406
        assert "application/sparql-results+json" in r.text
        r = c.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
            headers={"Accept": "text/csv"},
        )
        assert r.status_code == 406
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "format": "csv"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")


def test_service_description_and_browser_redirect(server: Server) -> None:
    with server.client() as c:
        r = c.get("/sparql", headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        graph = Graph().parse(data=r.text, format="turtle")
        sd = "http://www.w3.org/ns/sparql-service-description#"
        assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
        assert (None, URIRef(sd + "endpoint"), URIRef(server.sparql)) in graph
        r = c.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"


def test_example_queries_run(server: Server) -> None:
    """Every example the query page offers runs on the seeded store (each as its own form)."""
    with server.client() as c:
        examples = c.get("/queries").json()
        folder = Path(REPO / "kg" / "queries")
        assert len(examples) == len(list(folder.glob("*.rq")))
        for ex in examples:
            r = c.post("/sparql", content=ex["query"], headers={"Content-Type": "application/sparql-query"})
            assert r.status_code == 200, (ex["name"], r.text)
            if r.headers["content-type"].startswith("application/sparql-results+json"):
                json.loads(r.text)


def test_describe(server: Server) -> None:
    with server.client() as c:
        xut = [
            e
            for e in c.get("/entities", params={"q": "Xi'an University of Technology"}).json()["items"]
            if e["label"] == "Xi'an University of Technology"
        ][0]
        r = c.get("/sparql", params={"query": f"DESCRIBE <{xut['iri']}>"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=r.text, format="turtle")
    assert set(graph.subjects()) == {URIRef(xut["iri"])}
    assert (URIRef(xut["iri"]), URIRef("https://w3id.org/edukg/ontology#partnersWith"), None) in graph
