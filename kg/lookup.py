"""Read-only look-ups behind the REST API: entities, their relations with evidence, articles, stats.

Every function takes a `Repo` and returns plain JSON-ready dicts, so it runs on any backend and
in any process (the API runs it inside the store process, under the query time limit). Queries
read the union default graph; labels come from the shared entities graph, which holds exactly
one skos:prefLabel per entity. User input never reaches SPARQL text except as escaped literals
or IRIs built from validated slugs.

Identifiers in URLs: an entity is `<type>/<slug>` in its IRI (`…/id/university/xian-…`); the API
accepts the slug alone and asks for the type only when two types share a slug. An article is the
16 hex digits ending its IRI.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from extract.model import ENTITY_TYPES
from kg.errors import Ambiguous, NotFound
from kg.name_index import name_pattern
from kg.store.base import Repo
from kg.store.sparql_text import term_sparql
from ontology.namespace import ARTICLE, ENTITIES_GRAPH, ID, SPARQL_PREFIXES, class_iri, relation_iri
from ontology.vocabulary import ALL_RELATIONS, MIRROR, canonical_edge

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,159}")
ARTICLE_ID = re.compile(r"[0-9a-f]{16}")
MAX_DEPTH = 3
MAX_NEIGHBOURS = 500  # nodes returned by `neighbours` before it stops and says `truncated`

# every relation property, with the materialised inverses (kg/mapping.py writes both directions)
INVERSE: dict[str, str] = MIRROR
RELATION_NAMES: tuple[str, ...] = ALL_RELATIONS
_REL_IRIS = {str(relation_iri(name)): name for name in RELATION_NAMES}
_REL_FILTER = "FILTER(?p IN (" + ", ".join(term_sparql(relation_iri(n)) for n in RELATION_NAMES) + "))"
_TYPE_BY_SEGMENT = {t.lower(): t for t in ENTITY_TYPES}
_CLASS_NAMES = {str(class_iri(t)): t for t in ENTITY_TYPES}
_ENTITIES = term_sparql(ENTITIES_GRAPH)


# -- identifiers -------------------------------------------------------------------------------
def entity_ref(iri: str) -> dict[str, Any]:
    """`{"id", "type", "iri"}` of an entity IRI: the slug and type name its URL segments give."""
    rest = iri[len(str(ID)) :] if iri.startswith(str(ID)) else ""
    segment, _, slug = rest.partition("/")
    return {"id": slug or iri, "type": _TYPE_BY_SEGMENT.get(segment), "iri": iri}


def article_ref(iri: str) -> dict[str, Any]:
    return {"id": iri[len(str(ARTICLE)) :] if iri.startswith(str(ARTICLE)) else iri, "iri": iri}


def article_iri(article_id: str) -> str:
    """The IRI of the article with this id (16 hex); NotFound for anything else."""
    if not ARTICLE_ID.fullmatch(article_id):
        raise NotFound(f"no article {article_id!r}: article ids are 16 hex digits")
    return str(ARTICLE[article_id])


def resolve_entity(repo: Repo, slug: str, entity_type: str | None = None) -> str:
    """The IRI of the entity a URL names. NotFound if none, Ambiguous if the slug exists under
    two types and no type was given."""
    if not SLUG.fullmatch(slug):
        raise NotFound(f"no entity {slug!r}: entity ids are lower-case slugs like 'tsinghua-university'")
    types = list(ENTITY_TYPES)
    if entity_type is not None:
        wanted = _TYPE_BY_SEGMENT.get(entity_type.lower())
        if wanted is None:
            raise NotFound(f"unknown entity type {entity_type!r} (types: {', '.join(ENTITY_TYPES)})")
        types = [wanted]
    candidates = " ".join(term_sparql(URIRef(f"{ID}{t.lower()}/{slug}")) for t in types)
    rows = _select(repo, f"SELECT DISTINCT ?e WHERE {{ VALUES ?e {{ {candidates} }} ?e a ?t }}")
    found = sorted(str(r["e"]) for r in rows)
    if not found:
        raise NotFound(f"no entity {slug!r} in the store")
    if len(found) > 1:
        kinds = ", ".join(str(entity_ref(i)["type"]) for i in found)
        raise Ambiguous(f"entity id {slug!r} names {len(found)} entities ({kinds}): add ?type=")
    return found[0]


# -- entities ----------------------------------------------------------------------------------
def search_entities(
    repo: Repo, q: str | None = None, entity_type: str | None = None, *, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Entities whose preferred or alternative label contains the words of `q` (any case,
    punctuation ignored), of one type if given, ordered by label; `total` counts all matches."""
    filters = []
    if entity_type is not None:
        wanted = _TYPE_BY_SEGMENT.get(entity_type.lower())
        if wanted is None:
            raise NotFound(f"unknown entity type {entity_type!r} (types: {', '.join(ENTITY_TYPES)})")
        filters.append(f"FILTER(STRSTARTS(STR(?e), {term_sparql(Literal(f'{ID}{wanted.lower()}/'))}))")
    if q is not None and q.strip():
        filters.insert(0, name_pattern("?e", q))  # words of a name, by index (kg/name_index.py)
    where = f"GRAPH {_ENTITIES} {{ ?e skos:prefLabel ?label }} {' '.join(filters)}"
    total_rows = _select(repo, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {where} }}")
    rows = _select(
        repo,
        f"SELECT ?e ?label WHERE {{ {where} }} ORDER BY LCASE(STR(?label)) ?e "
        f"LIMIT {int(limit)} OFFSET {int(offset)}",
    )
    iris = [str(r["e"]) for r in rows]
    aliases = _aliases(repo, iris)
    items = [
        {**entity_ref(str(r["e"])), "label": str(r["label"]), "aliases": aliases.get(str(r["e"]), [])}
        for r in rows
    ]
    return {"total": _int(total_rows[0]["n"]) if total_rows else 0, "limit": limit, "offset": offset, "items": items}


def entity_detail(repo: Repo, iri: str) -> dict[str, Any]:
    """An entity with its types, labels, the articles naming it, and every relation with the
    sentence(s) and article(s) asserting it."""
    node = term_sparql(URIRef(iri))
    type_rows = _select(repo, f"SELECT DISTINCT ?t WHERE {{ {node} a ?t }}")
    if not type_rows:
        raise NotFound(f"no entity <{iri}> in the store")
    labels = _labels(repo, [iri])
    articles = _select(
        repo,
        f"SELECT DISTINCT ?a ?title ?date WHERE {{ GRAPH ?a {{ ?a schema:mentions {node} }} "
        f"OPTIONAL {{ ?a dcterms:title ?title }} OPTIONAL {{ ?a dcterms:date ?date }} }} ORDER BY ?a",
    )
    out_rows = _select(repo, f"SELECT DISTINCT ?p ?x WHERE {{ {node} ?p ?x . {_REL_FILTER} }}")
    in_rows = _select(repo, f"SELECT DISTINCT ?p ?x WHERE {{ ?x ?p {node} . {_REL_FILTER} }}")
    statements: list[tuple[str, str, str]] = []  # (direction, predicate, other entity)
    seen: set[tuple[str, str, str]] = set()
    for row in out_rows:
        pred, other = _REL_IRIS[str(row["p"])], str(row["x"])
        statements.append(("out", pred, other))
        seen.add((iri, pred, other))
    for row in in_rows:
        pred, other = _REL_IRIS[str(row["p"])], str(row["x"])
        inverse = INVERSE.get(pred)
        if inverse is not None and (iri, inverse, other) in seen:
            continue  # the materialised inverse of a statement already listed
        statements.append(("in", pred, other))
    evidence = _evidence(repo, f"{{ ?ev rdf:subject {node} }} UNION {{ ?ev rdf:object {node} }}")
    others = _labels(repo, sorted({s[2] for s in statements}))
    relations = []
    for direction, pred, other in sorted(statements, key=lambda s: (s[1], s[0], others.get(s[2], {}).get("label") or s[2])):
        triple = (iri, pred, other) if direction == "out" else (other, pred, iri)
        relations.append(
            {
                "direction": direction,
                "predicate": pred,
                "other": entity_ref(other) | {"label": others.get(other, {}).get("label")},
                "evidence": _evidence_for(evidence, triple),
            }
        )
    return {
        **entity_ref(iri),
        "types": sorted(_CLASS_NAMES.get(str(r["t"]), str(r["t"])) for r in type_rows),
        "label": labels.get(iri, {}).get("label"),
        "aliases": labels.get(iri, {}).get("aliases", []),
        "articles": [
            {**article_ref(str(r["a"])), "title": _str(r.get("title")), "date": _str(r.get("date"))}
            for r in articles
        ],
        "relations": relations,
    }


def neighbours(repo: Repo, iri: str, depth: int = 1, *, max_nodes: int = MAX_NEIGHBOURS) -> dict[str, Any]:
    """The entities within `depth` relation hops (either direction) and the edges between them.

    Breadth-first, one query per hop; stops adding nodes at `max_nodes` and says `truncated`.
    Materialised inverses are folded: `A memberOf B` and `B hasMember A` are one edge.
    """
    depth = max(1, min(int(depth), MAX_DEPTH))
    node = term_sparql(URIRef(iri))
    if not _select(repo, f"SELECT ?t WHERE {{ {node} a ?t }} LIMIT 1"):
        raise NotFound(f"no entity <{iri}> in the store")
    dist: dict[str, int] = {iri: 0}
    edges: set[tuple[str, str, str]] = set()
    frontier = [iri]
    truncated = False
    for hop in range(1, depth + 1):
        if not frontier:
            break
        values = " ".join(term_sparql(URIRef(x)) for x in frontier)
        rows = _select(
            repo,
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?x {{ {values} }} "
            f"{{ ?x ?p ?o . BIND(?x AS ?s) }} UNION {{ ?s ?p ?x . BIND(?x AS ?o) }} {_REL_FILTER} }}",
        )
        nxt: list[str] = []
        for row in sorted(rows, key=lambda r: (str(r["s"]), str(r["p"]), str(r["o"]))):
            s, pred, o = str(row["s"]), _REL_IRIS[str(row["p"])], str(row["o"])
            for end in (s, o):
                if end not in dist:
                    if len(dist) >= max_nodes:
                        truncated = True
                        continue
                    dist[end] = hop
                    nxt.append(end)
            if s in dist and o in dist:
                edges.add(canonical_edge(s, pred, o))
        frontier = nxt
    labels = _labels(repo, list(dist))
    nodes = [
        {**entity_ref(x), "label": labels.get(x, {}).get("label"), "depth": d}
        for x, d in sorted(dist.items(), key=lambda kv: (kv[1], kv[0]))
    ]
    return {
        "center": entity_ref(iri),
        "depth": depth,
        "nodes": nodes,
        "edges": [
            {"source": entity_ref(s)["id"], "predicate": p, "target": entity_ref(o)["id"], "source_iri": s, "target_iri": o}
            for s, p, o in sorted(edges)
        ],
        "truncated": truncated,
    }


# -- articles ----------------------------------------------------------------------------------
_ARTICLE_FIELDS = """
  OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a dcterms:date ?date }
  OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a dcterms:publisher ?publisher }
  OPTIONAL { ?a dcterms:language ?language } OPTIONAL { ?a dcterms:source ?source }
  OPTIONAL { ?a edukg:contentHash ?hash }"""


def _article_json(row: dict[str, Node]) -> dict[str, Any]:
    return {
        **article_ref(str(row["a"])),
        **{k: _str(row.get(k)) for k in ("title", "date", "url", "publisher", "language", "source")},
        "content_hash": _str(row.get("hash")),
    }


def list_articles(repo: Repo, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Articles newest first (undated last), with their metadata."""
    total = _select(repo, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a edukg:Article } }")
    rows = _select(
        repo,
        f"SELECT ?a ?title ?date ?url ?publisher ?language ?source ?hash WHERE {{ "
        f"{{ SELECT DISTINCT ?a WHERE {{ GRAPH ?a {{ ?a a edukg:Article }} }} }} "
        f"GRAPH ?a {{ {_ARTICLE_FIELDS} }} }} ORDER BY DESC(?date) ?a LIMIT {int(limit)} OFFSET {int(offset)}",
    )
    items = list({str(r["a"]): _article_json(r) for r in rows}.values())
    return {"total": _int(total[0]["n"]) if total else 0, "limit": limit, "offset": offset, "items": items}


def article_detail(repo: Repo, iri: str) -> dict[str, Any]:
    """One article: metadata, the entities it names (with the names it uses) and its relations
    with evidence."""
    graph = term_sparql(URIRef(iri))
    rows = _select(
        repo,
        f"SELECT ?a ?title ?date ?url ?publisher ?language ?source ?hash WHERE {{ "
        f"GRAPH {graph} {{ ?a a edukg:Article . FILTER(?a = {graph}) {_ARTICLE_FIELDS} }} }} LIMIT 1",
    )
    if not rows:
        raise NotFound(f"no article <{iri}> in the store")
    names: dict[str, list[str]] = {}
    for row in _select(
        repo,
        f"SELECT DISTINCT ?e ?name WHERE {{ GRAPH {graph} {{ {graph} schema:mentions ?e . "
        f"OPTIONAL {{ ?e edukg:name ?name }} }} }} ORDER BY ?e ?name",
    ):
        slot = names.setdefault(str(row["e"]), [])  # listed even when it has no name
        if row.get("name") is not None:
            slot.append(str(row["name"]))
    labels = _labels(repo, list(names))
    size = _select(repo, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    evidence = _evidence(repo, f"GRAPH {graph} {{ ?ev a edukg:Evidence }}")
    relations = [
        {
            "subject": {**entity_ref(e["_s"]), "label": labels.get(e["_s"], {}).get("label")},
            "predicate": e["_p"],
            "object": {**entity_ref(e["_o"]), "label": labels.get(e["_o"], {}).get("label")},
            **_public(e),
        }
        for e in evidence
    ]
    return {
        **_article_json(rows[0]),
        "triples": _int(size[0]["n"]) if size else 0,
        "entities": [
            {**entity_ref(e), "label": labels.get(e, {}).get("label"), "names": n} for e, n in sorted(names.items())
        ],
        "relations": relations,
    }


# -- stats -------------------------------------------------------------------------------------
def stats(repo: Repo) -> dict[str, Any]:
    """Counts a dashboard shows: quads, articles, entities per type, relations per property."""
    articles = _select(repo, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a edukg:Article } }")
    by_type = _select(
        repo,
        f"SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ?t . "
        f"FILTER(STRSTARTS(STR(?e), {term_sparql(Literal(str(ID)))})) }} GROUP BY ?t",
    )
    by_rel = _select(
        repo,
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o . {_REL_FILTER} }} }} GROUP BY ?p",
    )
    evidence = _select(repo, "SELECT (COUNT(DISTINCT ?ev) AS ?n) WHERE { ?ev a edukg:Evidence }")
    entities = {_CLASS_NAMES.get(str(r["t"]), str(r["t"])): _int(r["n"]) for r in by_type}
    return {
        "quads": len(repo),
        "named_graphs": len(repo.named_graphs()),
        "articles": _int(articles[0]["n"]) if articles else 0,
        "entities": sum(entities.values()),
        "entities_by_type": dict(sorted(entities.items())),
        "relations_by_predicate": dict(sorted((_REL_IRIS[str(r["p"])], _int(r["n"])) for r in by_rel)),
        "evidence": _int(evidence[0]["n"]) if evidence else 0,
    }


# -- helpers -----------------------------------------------------------------------------------
def _select(repo: Repo, body: str) -> list[dict[str, Node]]:
    return repo.query(SPARQL_PREFIXES + body).rows


def _int(node: Node | None) -> int:
    return int(node.toPython()) if isinstance(node, Literal) else 0


def _str(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _labels(repo: Repo, iris: list[str]) -> dict[str, dict[str, Any]]:
    """Preferred label and sorted alternative labels per entity IRI (from the entities graph)."""
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(iris), 200):
        chunk = iris[start : start + 200]
        values = " ".join(term_sparql(URIRef(i)) for i in chunk)
        rows = _select(
            repo,
            f"SELECT ?e ?label ?alt WHERE {{ VALUES ?e {{ {values} }} GRAPH {_ENTITIES} {{ "
            f"OPTIONAL {{ ?e skos:prefLabel ?label }} OPTIONAL {{ ?e skos:altLabel ?alt }} }} }}",
        )
        for row in rows:
            slot = out.setdefault(str(row["e"]), {"label": None, "aliases": []})
            if row.get("label") is not None:
                slot["label"] = str(row["label"])
            if row.get("alt") is not None and str(row["alt"]) not in slot["aliases"]:
                slot["aliases"].append(str(row["alt"]))
    for slot in out.values():
        slot["aliases"].sort()
    return out


def _aliases(repo: Repo, iris: list[str]) -> dict[str, list[str]]:
    return {iri: slot["aliases"] for iri, slot in _labels(repo, iris).items()}


def _evidence(repo: Repo, pattern: str) -> list[dict[str, Any]]:
    """Evidence nodes matching `pattern` (which binds ?ev), with their article's title."""
    rows = _select(
        repo,
        f"SELECT DISTINCT ?ev ?s ?p ?o ?sentence ?confidence ?start ?end ?a ?title WHERE {{ {pattern} "
        f"?ev a edukg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?a . "
        f"OPTIONAL {{ ?ev edukg:sentence ?sentence }} OPTIONAL {{ ?ev edukg:confidence ?confidence }} "
        f"OPTIONAL {{ ?ev edukg:start ?start }} OPTIONAL {{ ?ev edukg:end ?end }} "
        f"OPTIONAL {{ ?a dcterms:title ?title }} }} ORDER BY ?a ?ev",
    )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in rows:
        pred = _REL_IRIS.get(str(row["p"]))
        if pred is None or str(row["ev"]) in seen:
            continue
        seen.add(str(row["ev"]))
        conf = row.get("confidence")
        out.append(
            {
                "_s": str(row["s"]),
                "_p": pred,
                "_o": str(row["o"]),
                "sentence": _str(row.get("sentence")),
                "confidence": float(conf.toPython()) if isinstance(conf, Literal) else None,
                "start": _int(row.get("start")) if row.get("start") is not None else None,
                "end": _int(row.get("end")) if row.get("end") is not None else None,
                "article": {**article_ref(str(row["a"])), "title": _str(row.get("title"))},
            }
        )
    return out


def _public(evidence: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in evidence.items() if not k.startswith("_")}


def _evidence_for(evidence: list[dict[str, Any]], triple: tuple[str, str, str]) -> list[dict[str, Any]]:
    """Evidence supporting `triple` directly or through its materialised inverse."""
    s, p, o = triple
    keys = {(s, p, o)}
    if p in INVERSE:
        keys.add((o, INVERSE[p], s))
    return [_public(e) for e in evidence if (e["_s"], e["_p"], e["_o"]) in keys]

