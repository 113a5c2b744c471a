"""Relation edges and the neighbourhood walk, shared by the REST look-ups and the pictures.

Both answer "what is around this entity": kg.lookup as JSON for /entities/{id}/neighbours,
kg.network as a graph to draw. They walk the same way (hop by hop through SPARQL, both
directions, so a large store is never read whole), count an edge once (ontology.vocabulary's
canonical_edge) and splice IRIs into SPARQL the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from kg.errors import UnknownFilter
from kg.store.base import Repo
from kg.store.sparql_text import term_sparql
from ontology.namespace import EDUKG, SPARQL_PREFIXES
from ontology.vocabulary import ALL_RELATIONS, FOLDED, SYMMETRIC, canonical_edge

CHUNK = 400  # IRIs per VALUES block: small enough for any SPARQL server's request limits


@dataclass
class Walk:
    """What `walk` found: each entity's hop count from the centre, the edges among them."""

    depth: dict[str, int]
    edges: list[tuple[str, str, str]]
    truncated: bool  # `max_nodes` stopped the walk before it was complete


def walk(
    repo: Repo,
    center: str,
    depth: int,
    *,
    relations: Sequence[str] | None = None,
    max_nodes: int | None = None,
) -> Walk:
    """Entities within `depth` relation hops of `center` (either direction) and every edge among
    them, like `networkx.ego_graph(..., undirected=True)`; past `max_nodes` entities the walk
    adds no more (nearest first, then by IRI) and says `truncated`."""
    dist = {center: 0}
    frontier = [center]
    truncated = False
    for hop in range(1, depth + 1):
        if not frontier:
            break
        found: list[str] = []
        for s, _p, o in relation_edges(repo, relations, touching=set(frontier)):
            for end in (s, o):
                if end in dist:
                    continue
                if max_nodes is not None and len(dist) >= max_nodes:
                    truncated = True
                    continue
                dist[end] = hop
                found.append(end)
        frontier = found
    edges = [t for t in relation_edges(repo, relations, touching=set(dist)) if t[0] in dist and t[2] in dist]
    return Walk(dist, edges, truncated)


def relation_edges(
    repo: Repo,
    relations: Sequence[str] | None,
    *,
    article_iri: str | None = None,
    touching: set[str] | None = None,
) -> list[tuple[str, str, str]]:
    """Distinct (subject, relation, object) triples between IRIs, canonicalised (inverse folded,
    symmetric pairs ordered) so each fact appears once; sorted."""
    props: Sequence[str] = ALL_RELATIONS
    if relations:
        props = tuple(p for p in ALL_RELATIONS if FOLDED.get(p, p) in relations)
    values_p = "VALUES ?p { " + " ".join(f"edukg:{p}" for p in props) + " }"

    def run(extra: str) -> list[dict[str, Node]]:
        pattern = "?s ?p ?o ."
        if article_iri:
            pattern = f"GRAPH {iri_term(article_iri)} {{ ?s ?p ?o . }}"
        q = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {values_p} {extra} {pattern} FILTER(isIRI(?s) && isIRI(?o)) }}"
        return repo.query(SPARQL_PREFIXES + q).rows

    rows: list[dict[str, Node]] = []
    if touching is not None:
        # both directions, so an inverse (hasMember) or reversed symmetric triple is found too
        for chunk in chunks(touching):
            vals = " ".join(iri_term(i) for i in chunk)
            rows += run(f"VALUES ?s {{ {vals} }}")
            rows += run(f"VALUES ?o {{ {vals} }}")
    else:
        rows = run("")
    out: set[tuple[str, str, str]] = set()
    prefix = str(EDUKG._NS)
    for r in rows:
        s, p, o = canonical_edge(str(r["s"]), str(r["p"])[len(prefix) :], str(r["o"]))
        if s != o or p not in SYMMETRIC:
            out.add((s, p, o))
    return sorted(out)


def iri_term(iri: str) -> str:
    """An IRI as a SPARQL term; refuses text that is no IRI (a user's typo, not an escape job)."""
    if any(c in iri for c in '<>"{}|^`\\ \n\t'):
        raise UnknownFilter(f"not a valid IRI: {iri!r}")
    return term_sparql(URIRef(iri))


def chunks(items: Iterable[str]) -> Iterator[list[str]]:
    """`items` sorted, in VALUES-sized lists."""
    seq = sorted(items)
    for i in range(0, len(seq), CHUNK):
        yield seq[i : i + CHUNK]
