"""SKOS labels of entities, derived from what every article calls them.

Each article graph says which names it uses for an entity (edukg:name). If labels lived in the
article graphs, an entity two articles name differently would have two skos:prefLabel values in
the union. So the shared graph ENTITIES_GRAPH holds, per entity, exactly one skos:prefLabel (and
the same rdfs:label) plus skos:altLabel for every other name, and kg/ingest.py recomputes the
entries of the entities an ingest or a removal touches, in the same transaction.

The preferred label is chosen deterministically, independent of ingest order: full names before
acronyms, names without a bracketed part first, then the name most articles use, then the longest,
then alphabetical order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import Graph, Literal, URIRef

from kg.name_index import add_index_triples
from kg.names import is_acronym
from kg.store.base import Repo
from kg.store.sparql_text import replace_graph_update, term_sparql, triples_block
from ontology.namespace import ENTITIES_GRAPH, RDFS, SKOS, SPARQL_PREFIXES

NameCounts = Mapping[str, Mapping[str, int]]  # entity IRI → name → number of articles using it


def preferred(names: Mapping[str, int]) -> str:
    """The preferred label among names with their article counts."""
    return min(names, key=lambda n: (is_acronym(n), "(" in n, -names[n], -len(n), n))


def label_triples(counts: NameCounts) -> Graph:
    """Entities-graph triples for the given entities."""
    graph = Graph()
    for iri, names in counts.items():
        if not names:
            continue
        node = URIRef(iri)
        pref = preferred(names)
        graph.add((node, SKOS.prefLabel, Literal(pref)))
        graph.add((node, RDFS.label, Literal(pref)))
        for name in names:
            if name != pref:
                graph.add((node, SKOS.altLabel, Literal(name)))
        add_index_triples(graph, node, names)  # name keys and type, for look-ups without scanning
    return graph


def name_counts(
    repo: Repo, iris: Iterable[str] | None, *, excluding: Iterable[str] = ()
) -> dict[str, dict[str, int]]:
    """How many article graphs use each name of each entity (all entities if `iris` is None),
    ignoring the graphs in `excluding` (those about to be dropped)."""
    values = ""
    if iris is not None:
        wanted = sorted(set(iris))
        if not wanted:
            return {}
        values = "VALUES ?e { " + " ".join(term_sparql(URIRef(i)) for i in wanted) + " }"
    skip = sorted(set(excluding))
    filt = ""
    if skip:
        filt = "FILTER(?g NOT IN (" + ", ".join(term_sparql(URIRef(g)) for g in skip) + "))"
    result = repo.query(
        SPARQL_PREFIXES
        + f"SELECT ?e ?name (COUNT(DISTINCT ?g) AS ?n) WHERE {{ {values} "
        + f"GRAPH ?g {{ ?e edukg:name ?name }} {filt} }} GROUP BY ?e ?name"
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in result.rows:
        out[str(row["e"])][str(row["name"])] = int(row["n"])  # type: ignore[call-overload]
    return dict(out)


def delete_labels_update(iris: Iterable[str]) -> str:
    """Update text removing the entities-graph entries of `iris` (empty if none)."""
    wanted = sorted(set(iris))
    if not wanted:
        return ""
    values = " ".join(term_sparql(URIRef(i)) for i in wanted)
    g = term_sparql(ENTITIES_GRAPH)
    return (
        f"DELETE {{ GRAPH {g} {{ ?e ?p ?o }} }} WHERE {{ VALUES ?e {{ {values} }} GRAPH {g} {{ ?e ?p ?o }} }}"
    )


def insert_labels_block(graph: Graph) -> str:
    """`GRAPH <entities> { … }` for an INSERT DATA (empty if nothing to insert)."""
    body = triples_block(graph)
    return f"GRAPH {term_sparql(ENTITIES_GRAPH)} {{\n{body}\n}}" if body else ""


def rebuild_labels(repo: Repo) -> int:
    """Recompute the whole entities graph from the article graphs (repair tool); returns the
    number of labelled entities."""
    counts = name_counts(repo, None)
    repo.update(replace_graph_update(str(ENTITIES_GRAPH), label_triples(counts)))
    return len(counts)
