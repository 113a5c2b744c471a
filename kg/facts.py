"""The fact layer: one statement per distinct relation triple, kept in step with the article graphs.

Provenance lives per article graph (one edukg:Evidence node per asserted triple), so "who
partners with X, said by how many articles" used to mean visiting every article graph and
evidence node that mentions X and de-duplicating. The facts graph (FACTS_GRAPH) states it
directly:

- the relation triple itself, once, with its materialised inverse (`o partnersWith s`,
  `o hasMember s`), exactly as the article graphs state them;
- a fact node `FACT/<16 hex>` (IRI derived from the triple, so every writer agrees on it), typed
  edukg:Fact, reifying the triple (rdf:subject/predicate/object; partnersWith is symmetric, so its
  two ends are put in IRI order and articles stating either direction support one fact), with
  edukg:support (number of articles), edukg:bestConfidence, edukg:firstDate / edukg:lastDate (of
  the supporting articles' dcterms:date), edukg:evidence links to the evidence nodes and
  prov:wasDerivedFrom links to the supporting articles (so "how many distinct articles" over
  several facts needs no visit to the article graphs).

Every article write (kg/ingest.py) appends `refresh_update(keys)` to its one SPARQL Update: the
facts of the triples the write touches (those of the new graph and of the graphs it drops) are
deleted and recomputed from the article graphs *after* the drop/insert, inside the same request
(a write that only adds a new article adds its evidence instead: support + 1, confidence and
dates widened). So the fact layer is never out of step (same transaction on embedded Oxigraph,
same request on a server). Each per-triple operation names its triple's IRIs as constants, so
the store answers it from its indexes: the cost per article is a few look-ups per triple,
independent of the size of the graph (bench/ingest_scale.py --facts-overhead).
`rebuild_facts` recomputes the whole layer: after a bulk load, after several workers wrote to one
server at once (two concurrent increments of one fact may overwrite each other), or as repair.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.store.base import Repo
from kg.store.sparql_text import term_sparql
from ontology import vocabulary
from ontology.namespace import (
    DCTERMS,
    EDUKG,
    FACT,
    FACTS_GRAPH,
    PREFIXES,
    PROV,
    RDF,
    SPARQL_PREFIXES,
    relation_iri,
)
from ontology.vocabulary import RELATIONS

Key = tuple[str, str, str]  # (subject IRI, predicate IRI, object IRI), canonical order

SYMMETRIC = frozenset(str(relation_iri(p)) for p in vocabulary.SYMMETRIC)
# materialised inverses, as kg/mapping.py writes them in article graphs
INVERSE = {
    str(relation_iri(p)): str(relation_iri(vocabulary.MIRROR[p])) for p in RELATIONS if p in vocabulary.MIRROR
}
_F = term_sparql(FACTS_GRAPH)


def canonical(s: str, p: str, o: str) -> Key:
    """The key of a triple: a symmetric triple's ends in IRI order, so A–B and B–A are one fact."""
    if p in SYMMETRIC and o < s:
        return (o, p, s)
    return (s, p, o)


def fact_iri(key: Key) -> URIRef:
    """The fact node of a (canonical) triple: FACT/ + 16 hex of SHA-256 of 's p o'."""
    digest = hashlib.sha256(" ".join(key).encode("utf-8")).hexdigest()
    return FACT[digest[:16]]


def keys_of_graph(graph: Graph) -> set[Key]:
    """Fact keys of the evidence nodes in one (not yet written) article graph."""
    out: set[Key] = set()
    for ev in graph.subjects(RDF.type, EDUKG.Evidence):
        s, p, o = graph.value(ev, RDF.subject), graph.value(ev, RDF.predicate), graph.value(ev, RDF.object)
        if s is not None and p is not None and o is not None:
            out.add(canonical(str(s), str(p), str(o)))
    return out


def keys_in_store(repo: Repo, graphs: Iterable[str]) -> set[Key]:
    """Fact keys of the evidence nodes stored in these article graphs (those about to be dropped)."""
    wanted = sorted(set(graphs))
    if not wanted:
        return set()
    values = " ".join(term_sparql(URIRef(g)) for g in wanted)
    result = repo.query(
        SPARQL_PREFIXES + f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} "
        "GRAPH ?g { ?ev a edukg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }"
    )
    return {canonical(str(r["s"]), str(r["p"]), str(r["o"])) for r in result.rows}


def write_hook(repo: Repo, new_graph: Graph | None, dropped: Iterable[str]) -> str:
    """Update operations to append to an article write (`" ;\\n…"`, or "" if it touches no
    relation): `new_graph` is the article graph being inserted, `dropped` the stored graphs
    being dropped. A write that only adds an article (the common case) adds its evidence to the
    facts incrementally; a write that drops graphs recomputes the facts it touches."""
    dropped = sorted(set(dropped))
    if not dropped and new_graph is not None:
        text = add_article_update(new_graph)
    else:
        keys = keys_in_store(repo, dropped)
        if new_graph is not None:
            keys |= keys_of_graph(new_graph)
        text = refresh_update(keys)
    return " ;\n" + text if text else ""


def add_article_update(graph: Graph) -> str:
    """Operations adding one new article's evidence to the facts: support + 1, best confidence and
    dates widened, evidence and article linked; the old values are read by the store when the
    operation runs. Correct only for an article not yet counted (kg/ingest.py uses it when the
    write drops no graph, so the article is new)."""
    by_key: dict[Key, list[tuple[Node, Node]]] = {}
    article: Node | None = None
    for ev in graph.subjects(RDF.type, EDUKG.Evidence):
        subj, pred, obj = (
            graph.value(ev, RDF.subject),
            graph.value(ev, RDF.predicate),
            graph.value(ev, RDF.object),
        )
        conf = graph.value(ev, EDUKG.confidence)
        article = graph.value(ev, PROV.wasDerivedFrom)
        if subj is None or pred is None or obj is None or conf is None:
            continue
        by_key.setdefault(canonical(str(subj), str(pred), str(obj)), []).append((ev, conf))
    if not by_key or article is None:
        return ""
    date = graph.value(article, DCTERMS.date)
    a = term_sparql(article)
    ops: list[str] = []
    for key in sorted(by_key):
        s, p, o, f, plain = _fact_terms(key)
        evidence = " ".join(f"{f} edukg:evidence {term_sparql(ev)} ." for ev, _ in by_key[key])
        top = term_sparql(max((c for _, c in by_key[key]), key=lambda c: c.toPython()))  # type: ignore[attr-defined]
        insert_dates = delete_dates = where_dates = ""
        if date is not None:
            d = term_sparql(date)
            delete_dates = f"{f} edukg:firstDate ?first0 ; edukg:lastDate ?last0 ."
            insert_dates = f"{f} edukg:firstDate ?first ; edukg:lastDate ?last ."
            where_dates = (
                f"OPTIONAL {{ GRAPH {_F} {{ {f} edukg:firstDate ?first0 ; edukg:lastDate ?last0 }} }} "
                f"BIND(IF(BOUND(?first0) && ?first0 < {d}, ?first0, {d}) AS ?first) "
                f"BIND(IF(BOUND(?last0) && ?last0 > {d}, ?last0, {d}) AS ?last) "
            )
        ops.append(
            f"DELETE {{ GRAPH {_F} {{ {f} edukg:support ?n0 ; edukg:bestConfidence ?best0 . {delete_dates} }} }}\n"
            f"INSERT {{ GRAPH {_F} {{ {plain} {f} a edukg:Fact ; rdf:subject {s} ; rdf:predicate {p} ; "
            f"rdf:object {o} ; edukg:support ?n ; edukg:bestConfidence ?best ; prov:wasDerivedFrom {a} . "
            f"{evidence} {insert_dates} }} }}\n"
            f"WHERE {{ OPTIONAL {{ GRAPH {_F} {{ {f} edukg:support ?n0 ; edukg:bestConfidence ?best0 }} }} "
            f"BIND(COALESCE(?n0 + 1, 1) AS ?n) "
            f"BIND(IF(BOUND(?best0) && ?best0 > {top}, ?best0, {top}) AS ?best) {where_dates}}}"
        )
    return _expand(" ;\n".join(ops))


def _fact_terms(key: Key) -> tuple[str, str, str, str, str]:
    """SPARQL terms of a fact: its s, p, o, its node, and its plain triple(s) with the inverse
    direction where the property has one."""
    s, p, o = (term_sparql(URIRef(t)) for t in key)
    plain = f"{s} {p} {o} ."
    inverse = INVERSE.get(key[1])
    if inverse:
        plain += f" {o} {term_sparql(URIRef(inverse))} {s} ."
    return s, p, o, term_sparql(fact_iri(key)), plain


def refresh_update(keys: Iterable[Key]) -> str:
    """SPARQL Update operations that make the facts of `keys` match the article graphs as they
    are when the operations run: delete each fact, then recompute it (nothing is inserted for a
    triple no article asserts any more)."""
    ops: list[str] = []
    for key in sorted(set(keys)):
        s, p, o, f, plain = _fact_terms(key)
        ops.append(f"DELETE WHERE {{ GRAPH {_F} {{ {f} ?x ?y }} }}")
        ops.append(f"DELETE DATA {{ GRAPH {_F} {{ {plain} }} }}")
        evidence = _evidence_pattern(s, p, o, symmetric=key[1] in SYMMETRIC, dated=False)
        dated = _evidence_pattern(s, p, o, symmetric=key[1] in SYMMETRIC, dated=True)
        # support and best confidence over all evidence; dates over the dated articles only (a
        # separate aggregate, so an undated article neither hides nor blanks the dates)
        ops.append(
            f"INSERT {{ GRAPH {_F} {{ {plain} {f} a edukg:Fact ; rdf:subject {s} ; rdf:predicate {p} ; "
            f"rdf:object {o} ; edukg:support ?n ; edukg:bestConfidence ?best ; edukg:firstDate ?first ; "
            f"edukg:lastDate ?last ; edukg:evidence ?ev ; prov:wasDerivedFrom ?a . }} }}\n"
            f"WHERE {{ {{ SELECT (COUNT(DISTINCT ?a) AS ?n) (MAX(?conf) AS ?best) WHERE {{ {evidence} }} "
            f"HAVING (COUNT(DISTINCT ?a) > 0) }} "
            f"{{ SELECT (MIN(?date) AS ?first) (MAX(?date) AS ?last) WHERE {{ {dated} }} }} {evidence} }}"
        )
    return _expand(" ;\n".join(ops))


_QNAME = re.compile(r"\b(edukg|rdf|dcterms|prov):(\w+)")


def _expand(text: str) -> str:
    """Prefixed names as full IRIs: these operations are appended to another update, and a
    PREFIX in the middle of an update request is not accepted by every store (Oxigraph refuses
    it)."""
    return _QNAME.sub(lambda m: f"<{PREFIXES[m.group(1)]}{m.group(2)}>", text)


def _evidence_pattern(s: str, p: str, o: str, *, symmetric: bool, dated: bool) -> str:
    """Evidence nodes (?ev in article graph ?a, with ?conf, and the article's ?date if `dated`)
    of one triple, as one basic graph pattern per direction so the store joins it by index
    look-ups. The confidence is required, which also keeps fact nodes (reified too, but without
    edukg:confidence) out."""
    date = " . ?a dcterms:date ?date" if dated else ""

    def one(x: str, y: str) -> str:
        return f"GRAPH ?a {{ ?ev rdf:subject {x} ; rdf:predicate {p} ; rdf:object {y} ; edukg:confidence ?conf{date} }}"

    return f"{{ {one(s, o)} }} UNION {{ {one(o, s)} }}" if symmetric else one(s, o)


def rebuild_update() -> str:
    """One update recomputing the whole fact layer from the article graphs (the same rules as
    `refresh_update`, for every evidence node at once)."""
    sym = ", ".join(term_sparql(URIRef(p)) for p in sorted(SYMMETRIC))
    inverses = " ".join(f"({term_sparql(URIRef(p))} {term_sparql(URIRef(i))})" for p, i in INVERSE.items())
    ev = "?ev a edukg:Evidence ; rdf:subject ?s0 ; rdf:predicate ?p ; rdf:object ?o0 ; edukg:confidence ?conf ."
    canon = _canonical_binds(sym)
    fact = (
        f"BIND(IRI(CONCAT({term_sparql(Literal(str(FACT)))}, "
        'SUBSTR(SHA256(CONCAT(STR(?s), " ", STR(?p), " ", STR(?o))), 1, 16))) AS ?f)'
    )
    return SPARQL_PREFIXES + (
        f"DROP SILENT GRAPH {_F} ;\n"
        f"INSERT {{ GRAPH {_F} {{ ?s ?p ?o . ?o ?ip ?s . ?f a edukg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; "
        "rdf:object ?o ; edukg:support ?n ; edukg:bestConfidence ?best . } }\n"
        "WHERE { { SELECT ?s ?p ?o (COUNT(DISTINCT ?a) AS ?n) (MAX(?conf) AS ?best) "
        f"WHERE {{ GRAPH ?a {{ {ev} }} {canon} }} GROUP BY ?s ?p ?o }} {fact} "
        f"OPTIONAL {{ VALUES (?p ?ip) {{ {inverses} }} }} }} ;\n"
        f"INSERT {{ GRAPH {_F} {{ ?f edukg:firstDate ?first ; edukg:lastDate ?last }} }}\n"
        "WHERE { { SELECT ?s ?p ?o (MIN(?date) AS ?first) (MAX(?date) AS ?last) "
        f"WHERE {{ GRAPH ?a {{ {ev} ?a dcterms:date ?date }} {canon} }} GROUP BY ?s ?p ?o }} {fact} }} ;\n"
        f"INSERT {{ GRAPH {_F} {{ ?f edukg:evidence ?ev ; prov:wasDerivedFrom ?a }} }} WHERE {{ GRAPH ?a {{ {ev} }} {canon} {fact} }}"
    )


def _canonical_binds(sym: str) -> str:
    swap = f"(?p IN ({sym}) && STR(?o0) < STR(?s0))"
    return f"BIND(IF({swap}, ?o0, ?s0) AS ?s) BIND(IF({swap}, ?s0, ?o0) AS ?o)"


def rebuild_facts(repo: Repo) -> int:
    """Recompute the whole facts graph from the article graphs; returns the number of facts."""
    repo.update(rebuild_update())
    result = repo.query(
        SPARQL_PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_F} {{ ?f a edukg:Fact }} }}"
    )
    return int(result.rows[0]["n"]) if result.rows else 0  # type: ignore[call-overload]
