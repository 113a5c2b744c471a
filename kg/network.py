"""The store as a networkx graph: entities are nodes, relation triples are edges with evidence.

Pictures (kg.viz), analytics (kg.analytics) and exports all start from the graph built here, so a
drawn page, an `edukg analyze` table and a GraphML file agree on what the store holds. Everything
is read through SPARQL over the fixed vocabulary (ontology.namespace) on the union default graph,
with DISTINCT, so the same code works on every `Repo` backend.

Graph shape: a `networkx.MultiDiGraph` whose node keys are entity IRIs and whose edge keys are
relation names. `partnersWith` is symmetric: it is stored once per pair (lower IRI first) with
`symmetric=True`, whichever direction(s) the articles wrote. `hasMember` is folded into
`memberOf` (its inverse) so one fact is one edge.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from rdflib import Literal, URIRef
from rdflib.term import Node

from extract.model import ENTITY_TYPES, RELATIONS
from kg import lookup
from kg.errors import Ambiguous, NotFound, UnknownFilter
from kg.lookup import SLUG
from kg.store.base import Repo
from kg.store.sparql_text import term_sparql
from ontology import vocabulary
from ontology.namespace import ARTICLE, EDUKG, ENTITIES_GRAPH, ID, SPARQL_PREFIXES
from ontology.vocabulary import canonical_edge

SYMMETRIC = vocabulary.SYMMETRIC
# inverse properties folded onto the relation extract/ emits
INVERSES = vocabulary.FOLDED
_EDGE_PROPS = (*RELATIONS, *INVERSES)
_CHUNK = 400  # IRIs per VALUES block: small enough for any SPARQL server's request limits


AmbiguousName = Ambiguous  # a name matching several entities/organisations (kg.errors.Ambiguous)


@dataclass(frozen=True)
class GraphFilter:
    """What part of the store to draw or analyse; empty fields mean "no restriction".

    - types: keep entities of these types (the subgraph they induce).
    - relations: keep only edges of these relations (and the entities they join).
    - article: keep what one article asserts (article IRI or its 16-hex id).
    - search: keep entities whose label or alias contains this text (case-insensitive), plus
      their direct neighbours so the match is shown in context.
    """

    types: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    article: str | None = None
    search: str | None = None

    def describe(self) -> str:
        parts = []
        if self.types:
            parts.append("type " + ", ".join(self.types))
        if self.relations:
            parts.append("relation " + ", ".join(self.relations))
        if self.article:
            parts.append(f"article {self.article}")
        if self.search:
            parts.append(f"search “{self.search}”")
        return "; ".join(parts) or "whole graph"


@dataclass
class _NodeInfo:
    types: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    canonical: str | None = None
    aliases: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)


# -- public API ------------------------------------------------------------------------------


def build_network(
    repo: Repo,
    flt: GraphFilter | None = None,
    *,
    types: Sequence[str] | None = None,
    relations: Sequence[str] | None = None,
    article: str | None = None,
    search: str | None = None,
) -> nx.MultiDiGraph:
    """The whole graph, or the part a filter selects (see `GraphFilter`).

    Keyword arguments are a shorthand for a `GraphFilter`; unknown type or relation names raise
    `UnknownFilter`, an article not in the store raises `NotFound`.
    """
    if flt is None:
        flt = GraphFilter(
            types=tuple(types or ()),
            relations=tuple(relations or ()),
            article=article,
            search=search,
        )
    type_names = normalise_types(flt.types)
    rel_names = normalise_relations(flt.relations)
    article_iri = resolve_article(repo, flt.article) if flt.article else None

    triples = _fetch_edges(repo, rel_names or None, article_iri=article_iri)
    if rel_names:
        node_iris: set[str] | None = {t[0] for t in triples} | {t[2] for t in triples}
    else:
        node_iris = _fetch_entity_iris(repo, article_iri)
        node_iris |= {t[0] for t in triples} | {t[2] for t in triples}
    infos = _fetch_node_info(repo, node_iris)
    graph = _assemble(infos, triples)

    if type_names:
        keep = [n for n, d in graph.nodes(data=True) if set(d["types"]) & set(type_names)]
        graph = graph.subgraph(keep).copy()
    if flt.search:
        matches = search_nodes(graph, flt.search)
        keep_set = set(matches)
        for n in matches:
            keep_set.update(graph.successors(n))
            keep_set.update(graph.predecessors(n))
        graph = graph.subgraph(keep_set).copy()
    graph.graph["filter"] = flt.describe()
    _attach_evidence(repo, graph, article_iri)
    _set_degrees(graph)
    return graph


def neighbourhood(
    repo: Repo, entity: str, depth: int = 1, *, relations: Sequence[str] | None = None
) -> nx.MultiDiGraph:
    """Entities within `depth` relation hops of `entity` (either direction) and every edge among
    them, like `networkx.ego_graph(..., undirected=True)`, walked hop by hop through SPARQL so
    a large store is never read whole. `entity` is resolved by `resolve_entity`."""
    if depth < 0:
        raise UnknownFilter(f"depth must be 0 or more, not {depth}")
    center = resolve_entity(repo, entity)
    rel_names = normalise_relations(relations or ())
    seen = {center}
    frontier = {center}
    for _ in range(depth):
        if not frontier:
            break
        found: set[str] = set()
        for s, _p, o in _fetch_edges(repo, rel_names or None, touching=frontier):
            found.add(s)
            found.add(o)
        frontier = found - seen
        seen |= frontier
    triples = [
        t for t in _fetch_edges(repo, rel_names or None, touching=seen) if t[0] in seen and t[2] in seen
    ]
    graph = _assemble(_fetch_node_info(repo, seen), triples)
    graph.graph["center"] = center
    graph.graph["depth"] = depth
    graph.graph["filter"] = f"neighbourhood of {graph.nodes[center]['label']} (depth {depth})"
    _attach_evidence(repo, graph, None)
    _set_degrees(graph)
    return graph


def resolve_entity(repo: Repo, ref: str) -> str:
    """The IRI of an entity named by its IRI, `type/slug`, slug, label or alias.

    Why so lenient: people type what they see in a picture or a table. An IRI, path or slug
    wins; then a label or alias equal to `ref` (case-insensitive); then a unique label or alias
    containing it. Raises NotFound, or Ambiguous when several entities match.
    """
    ref = ref.strip()
    if not ref:
        raise NotFound("empty entity reference")
    candidates: list[str] = []
    if ref.startswith(("http://", "https://")):
        candidates = [ref]
    elif "/" in ref:
        candidates = [str(ID) + ref.strip("/")]
    if candidates:
        if _entity_exists(repo, candidates[0]):
            return candidates[0]
        raise NotFound(f"no entity {ref!r} in the store")
    wanted = ref.casefold()
    found: set[str] = set()
    if SLUG.fullmatch(ref):  # a slug: the REST API's resolver (every type's IRI for it)
        with contextlib.suppress(NotFound):
            found = {lookup.resolve_entity(repo, ref)}
    if not found:
        rows = repo.query(
            SPARQL_PREFIXES
            + f"""SELECT DISTINCT ?e ?v WHERE {{
  {_types_values("?t")} ?e a ?t .
  {{ ?e skos:prefLabel ?v }} UNION {{ ?e skos:altLabel ?v }} UNION {{ ?e rdfs:label ?v }}
  FILTER(CONTAINS(LCASE(STR(?v)), {_literal(ref.lower())}))
}}"""
        ).rows
        exact = {str(r["e"]) for r in rows if str(r["v"]).casefold() == wanted}
        found = exact or {str(r["e"]) for r in rows if wanted in str(r["v"]).casefold()}
    if not found:
        raise NotFound(f"no entity named {ref!r} in the store")
    if len(found) > 1:
        shown = ", ".join(sorted(found)[:5])
        raise Ambiguous(f"{ref!r} names {len(found)} entities ({shown}); give the full IRI")
    return found.pop()


def resolve_article(repo: Repo, ref: str) -> str:
    """The IRI of one article named by its IRI, a content-hash prefix, or its source path/URL
    (kg.ingest.find_articles rules); NotFound / Ambiguous otherwise."""
    from kg.ingest import find_articles  # the one place those rules live

    found = find_articles(repo, ref)
    if len(found) > 1:
        raise Ambiguous(f"{ref!r} names {len(found)} articles; give the article IRI")
    return found[0]


def search_nodes(graph: nx.MultiDiGraph, text: str) -> list[str]:
    """Nodes whose label or an alias contains `text`, case-insensitively."""
    needle = text.casefold().strip()
    if not needle:
        return list(graph.nodes)
    return [
        n
        for n, d in graph.nodes(data=True)
        if needle in d["label"].casefold() or any(needle in a.casefold() for a in d["aliases"])
    ]


def normalise_types(names: Iterable[str]) -> tuple[str, ...]:
    """Type names as the vocabulary spells them; matching ignores case so `--type university`
    works. Unknown names raise `UnknownFilter` with the list of valid ones."""
    return _normalise(names, ENTITY_TYPES, "entity type")


def normalise_relations(names: Iterable[str]) -> tuple[str, ...]:
    """Relation names as the vocabulary spells them (`hasMember` counts as `memberOf`)."""
    out = _normalise(names, (*RELATIONS, *INVERSES), "relation")
    return tuple(dict.fromkeys(INVERSES.get(n, n) for n in out))


def truncate(
    graph: nx.MultiDiGraph, max_nodes: int, *, keep: str | None = None
) -> tuple[nx.MultiDiGraph, int]:
    """At most `max_nodes` nodes, and how many were dropped.

    Keeps the nodes nearest `keep` (if given), then the best connected, so the cut loses the
    periphery rather than the hubs a reader came for. Degrees are left as in the full graph.
    """
    total = graph.number_of_nodes()
    if max_nodes <= 0 or total <= max_nodes:
        return graph, 0
    dist: dict[str, int] = {}
    if keep is not None and keep in graph:
        dist = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), keep)
    far = total + 1
    ranked = sorted(
        graph.nodes(data=True),
        key=lambda nd: (dist.get(nd[0], far), -nd[1].get("degree", 0), nd[1]["label"], nd[0]),
    )
    kept = [n for n, _ in ranked[:max_nodes]]
    return graph.subgraph(kept).copy(), total - max_nodes


def type_of_iri(iri: str) -> str | None:
    """The entity type an edukg entity IRI spells (`id/<type lowercase>/<slug>`), if any."""
    if not iri.startswith(str(ID)):
        return None
    head = iri[len(str(ID)) :].split("/", 1)[0]
    return {t.lower(): t for t in ENTITY_TYPES}.get(head)


def local_name(iri: str) -> str:
    """A readable fallback label: the last path segment of an IRI."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# -- SPARQL ----------------------------------------------------------------------------------


def _fetch_edges(
    repo: Repo,
    relations: Sequence[str] | None,
    *,
    article_iri: str | None = None,
    touching: set[str] | None = None,
) -> list[tuple[str, str, str]]:
    """Distinct (subject, relation, object) triples between IRIs, canonicalised (inverse folded,
    symmetric pairs ordered) so each fact appears once."""
    props = _EDGE_PROPS
    if relations:
        props = tuple(p for p in _EDGE_PROPS if INVERSES.get(p, p) in relations)
    values_p = "VALUES ?p { " + " ".join(f"edukg:{p}" for p in props) + " }"

    def run(extra: str) -> list[dict[str, Node]]:
        pattern = "?s ?p ?o ."
        if article_iri:
            pattern = f"GRAPH {_iri(article_iri)} {{ ?s ?p ?o . }}"
        q = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {values_p} {extra} {pattern} FILTER(isIRI(?s) && isIRI(?o)) }}"
        return repo.query(SPARQL_PREFIXES + q).rows

    rows: list[dict[str, Node]] = []
    if touching is not None:
        # both directions, so an inverse (hasMember) or reversed symmetric triple is found too
        for chunk in _chunks(touching):
            vals = " ".join(f"{_iri(i)}" for i in chunk)
            rows += run(f"VALUES ?s {{ {vals} }}")
            rows += run(f"VALUES ?o {{ {vals} }}")
    else:
        rows = run("")
    out: set[tuple[str, str, str]] = set()
    prefix = str(EDUKG._NS)
    for r in rows:
        s, p, o = str(r["s"]), str(r["p"])[len(prefix) :], str(r["o"])
        s, p, o = canonical_edge(s, p, o)
        if s != o or p not in SYMMETRIC:
            out.add((s, p, o))
    return sorted(out)


def _fetch_entity_iris(repo: Repo, article_iri: str | None) -> set[str]:
    pattern = "?e a ?t ."
    if article_iri:
        pattern = f"GRAPH {_iri(article_iri)} {{ ?e a ?t . }}"
    q = f"SELECT DISTINCT ?e WHERE {{ {_types_values('?t')} {pattern} FILTER(isIRI(?e)) }}"
    return {str(r["e"]) for r in repo.query(SPARQL_PREFIXES + q).rows}


def _fetch_node_info(repo: Repo, iris: set[str] | None) -> dict[str, _NodeInfo]:
    """Types, labels, aliases and mentioning articles of the given entities."""
    infos: dict[str, _NodeInfo] = defaultdict(_NodeInfo)
    if not iris:
        return {}
    prefix = str(EDUKG._NS)
    for chunk in _chunks(iris):
        vals = "VALUES ?e { " + " ".join(f"{_iri(i)}" for i in chunk) + " }"
        q = f"""SELECT DISTINCT ?e ?k ?v WHERE {{ {vals}
  {{ ?e a ?v . BIND("type" AS ?k) }}
  UNION {{ ?e skos:prefLabel ?v . BIND("label" AS ?k) }}
  UNION {{ ?e rdfs:label ?v . BIND("label" AS ?k) }}
  UNION {{ ?e skos:altLabel ?v . BIND("alias" AS ?k) }}
  UNION {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e skos:prefLabel ?v }} BIND("canonical" AS ?k) }}
  UNION {{ GRAPH ?v {{ ?e a ?t }} BIND("article" AS ?k) FILTER(STRSTARTS(STR(?v), "{ARTICLE}")) }}
}}"""
        for r in repo.query(SPARQL_PREFIXES + q).rows:
            e, k, v = str(r["e"]), str(r["k"]), r["v"]
            info = infos[e]
            if k == "type":
                if str(v).startswith(prefix) and str(v)[len(prefix) :] in ENTITY_TYPES:
                    info.types.add(str(v)[len(prefix) :])
            elif k == "label":
                info.labels.add(str(v))
            elif k == "alias":
                info.aliases.add(str(v))
            elif k == "canonical":
                info.canonical = min(str(v), info.canonical or str(v))
            elif k == "article":
                info.articles.add(str(v))
    for i in iris:  # entities with no attributes still become nodes
        infos.setdefault(i, _NodeInfo())
    return dict(infos)


def _attach_evidence(repo: Repo, graph: nx.MultiDiGraph, article_iri: str | None) -> None:
    """Fill each edge's `evidence` (sentence, confidence, article IRI, article title) from the
    reified Evidence nodes; with an article filter only that article's evidence is kept."""
    if graph.number_of_edges() == 0:
        return
    prefix = str(EDUKG._NS)
    restrict = f"FILTER(?article = {_iri(article_iri)})" if article_iri else ""
    subjects = {u for u, _v in graph.edges()} | {v for _u, v in graph.edges()}
    found: dict[tuple[str, str, str], set[tuple[str, float | None, str, str]]] = defaultdict(set)
    for chunk in _chunks(subjects):
        vals = "VALUES ?s { " + " ".join(f"{_iri(i)}" for i in chunk) + " }"
        q = f"""SELECT DISTINCT ?s ?p ?o ?sentence ?conf ?article ?title WHERE {{ {vals}
  ?ev a edukg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL {{ ?ev edukg:sentence ?sentence }}
  OPTIONAL {{ ?ev edukg:confidence ?conf }}
  OPTIONAL {{ ?ev prov:wasDerivedFrom ?article . OPTIONAL {{ ?article dcterms:title ?title }} }}
  {restrict}
}}"""
        for r in repo.query(SPARQL_PREFIXES + q).rows:
            s, p, o = str(r["s"]), str(r["p"])[len(prefix) :], str(r["o"])
            s, p, o = canonical_edge(s, p, o)
            conf = r.get("conf")
            found[(s, p, o)].add(
                (
                    str(r.get("sentence", "")),
                    float(conf.toPython()) if isinstance(conf, Literal) else None,
                    str(r.get("article", "")),
                    str(r.get("title", "")),
                )
            )
    for u, v, key, data in graph.edges(keys=True, data=True):
        ev = sorted(found.get((u, key, v), ()), key=lambda e: (e[2], e[0]))
        data["evidence"] = [{"sentence": s, "confidence": c, "article": a, "title": t} for s, c, a, t in ev]
        data["articles"] = sorted({e[2] for e in ev if e[2]})
        data["titles"] = sorted({e[3] for e in ev if e[3]})


# -- assembly --------------------------------------------------------------------------------


def _assemble(infos: dict[str, _NodeInfo], triples: Iterable[tuple[str, str, str]]) -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    for iri, info in infos.items():
        types = sorted(info.types, key=order.__getitem__)
        if not types and (guess := type_of_iri(iri)):
            types = [guess]
        label = info.canonical or (min(info.labels, key=lambda s: (len(s), s)) if info.labels else "")
        label = label or local_name(iri)
        aliases = sorted((info.aliases | info.labels) - {label})
        graph.add_node(
            iri,
            label=label,
            types=types,
            type=types[0] if types else "Thing",
            aliases=aliases,
            articles=sorted(info.articles),
        )
    for s, p, o in triples:
        for n in (s, o):
            if n not in graph:
                t = type_of_iri(n)
                graph.add_node(
                    n, label=local_name(n), types=[t] if t else [], type=t or "Thing", aliases=[], articles=[]
                )
        graph.add_edge(s, o, key=p, relation=p, symmetric=p in SYMMETRIC, evidence=[], articles=[], titles=[])
    return graph


def _set_degrees(graph: nx.MultiDiGraph) -> None:
    for n, deg in graph.degree():
        graph.nodes[n]["degree"] = int(deg)


# -- small helpers ---------------------------------------------------------------------------


def _normalise(names: Iterable[str], allowed: Sequence[str], what: str) -> tuple[str, ...]:
    by_fold = {a.casefold(): a for a in allowed}
    out: list[str] = []
    for raw in names:
        for name in str(raw).split(","):
            name = name.strip()
            if not name:
                continue
            if name.casefold() not in by_fold:
                raise UnknownFilter(f"unknown {what} {name!r}; use one of: {', '.join(allowed)}")
            out.append(by_fold[name.casefold()])
    return tuple(dict.fromkeys(out))


def _types_values(var: str) -> str:
    return f"VALUES {var} {{ " + " ".join(f"edukg:{t}" for t in ENTITY_TYPES) + " }"


def _entity_exists(repo: Repo, iri: str) -> bool:
    q = f"ASK {{ {_types_values('?t')} {_iri(iri)} a ?t }}"
    return bool(repo.query(SPARQL_PREFIXES + q).boolean)


def _iri(iri: str) -> str:
    """An IRI as a SPARQL term; refuses text that is no IRI (a user's typo, not an escape job)."""
    if any(c in iri for c in '<>"{}|^`\\ \n\t'):
        raise UnknownFilter(f"not a valid IRI: {iri!r}")
    return term_sparql(URIRef(iri))


def _literal(text: str) -> str:
    return term_sparql(Literal(text))


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    seq = sorted(items)
    for i in range(0, len(seq), _CHUNK):
        yield seq[i : i + _CHUNK]


def graph_summary(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts by type and relation: the numbers a page, a table or a test compares."""
    by_type: dict[str, int] = defaultdict(int)
    for _n, t in graph.nodes(data="type"):
        by_type[str(t)] += 1
    by_rel: dict[str, int] = defaultdict(int)
    for _u, _v, k in graph.edges(keys=True):
        by_rel[k] += 1
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "types": dict(sorted(by_type.items())),
        "relations": dict(sorted(by_rel.items())),
    }
