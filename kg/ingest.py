"""Writing articles into the store: ingest one extraction, remove one article.

Every write is ONE SPARQL update (one transaction on embedded Oxigraph, one request on a remote
server): drop the graphs being replaced, insert the article graph, and rewrite the entities-graph
labels it touches. A crash or SIGKILL leaves either the old state or the new one.
Writes in one process are serialised by a lock; edukg assumes one writing process per store.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from rdflib import Graph, Literal, URIRef

from extract.model import Article, Extraction
from kg.errors import Ambiguous, NotFound
from kg.facts import write_hook as facts_update
from kg.labels import delete_labels_update, insert_labels_block, label_triples, name_counts
from kg.mapping import map_extraction, name_unnamed_publisher
from kg.resolve import Resolver
from kg.store.base import Repo
from kg.store.sparql_text import term_sparql, triples_block
from ontology.namespace import ARTICLE, SPARQL_PREFIXES

_WRITE_LOCK = threading.RLock()

Status = TypingLiteral["ingested", "unchanged", "replaced"]


@dataclass
class IngestOutcome:
    """What `ingest_extraction` did with one article."""

    status: Status
    article: str  # article IRI = named-graph IRI
    source: str
    triples: int = 0  # triples in the article graph written (0 when unchanged)
    entities: int = 0  # distinct entity nodes in the article graph
    new_entities: int = 0  # of which the store did not know before
    relations: int = 0  # evidence nodes (relations asserted)
    replaced: list[str] = field(default_factory=list)  # graphs dropped (older versions of the source)
    skipped: list[str] = field(default_factory=list)  # relations left out (ill-typed, self-loops)


@dataclass
class RemoveOutcome:
    """What `remove_article` dropped."""

    removed: list[str]  # article / graph IRIs
    triples: int  # triples those graphs held
    entities_gone: int  # entities no other article mentions any more


def ingest_extraction(
    repo: Repo,
    article: Article,
    extraction: Extraction,
    *,
    resolver: Resolver | None = None,
    force: bool = False,
) -> IngestOutcome:
    """Put one article into the store, atomically.

    - same content already stored (by content hash): no-op, status "unchanged" (`force=True`
      rewrites it, e.g. after the extractor improved);
    - the same `article.source` stored with other content: its graph is replaced, "replaced";
    - otherwise "ingested".
    Pass a `Resolver.from_repo(repo)` kept across a batch; without one it is built per call
    (one query over all entity names).
    Raises kg.errors.BadExtraction for an extraction that breaks the contract (nothing written).
    """
    with _WRITE_LOCK:
        content = article.content_hash
        iri = str(ARTICLE[content[:16]])
        stored = _stored_hash(repo, iri)
        if stored == content and not force:
            return IngestOutcome(status="unchanged", article=iri, source=article.source)
        old = [g for g in _graphs_of_source(repo, article.source) if g != iri]
        if resolver is None:
            resolver = Resolver.from_repo(repo)
        extraction = name_unnamed_publisher(article, extraction)
        resolution = resolver.resolve(extraction, content)
        mapped = map_extraction(article, extraction, resolution)
        dropped = sorted({*old, iri})
        new_entities = {str(e) for e in mapped.names}
        affected = new_entities | _entities_in(repo, old + ([iri] if stored else []))

        counts = name_counts(repo, affected, excluding=dropped)
        for ent, names in mapped.names.items():
            slot = counts.setdefault(str(ent), {})
            for name in names:
                slot[name] = slot.get(name, 0) + 1
        labels = label_triples(counts)
        stored_graphs = old + ([iri] if stored else [])
        # the fact layer (kg/facts.py) is recomputed for the touched triples in the same update
        update = _write_update(iri, mapped.graph, dropped, affected, labels)
        repo.update(update + facts_update(repo, mapped.graph, stored_graphs))

        resolver.commit(resolution)
        if old:  # entities the old version named but the new one does not: re-index from the store
            stale = affected - new_entities
            resolver.forget(stale)
            resolver.load(repo, stale)
        status: Status = "replaced" if (old or stored) else "ingested"
        return IngestOutcome(
            status=status,
            article=iri,
            source=article.source,
            triples=len(mapped.graph),
            entities=len(mapped.names),
            new_entities=len(resolution.new),
            relations=mapped.relations,
            replaced=sorted(set(old) | ({iri} if stored else set())),
            skipped=mapped.skipped,
        )


def remove_article(repo: Repo, article_ref: str, *, resolver: Resolver | None = None) -> RemoveOutcome:
    """Drop one article (by IRI, content-hash prefix, or source path/URL) and whatever only it
    asserted; labels of entities it shared with other articles are recomputed from theirs.
    Raises NotFound / Ambiguous; the store is unchanged then."""
    with _WRITE_LOCK:
        graphs = find_articles(repo, article_ref)
        entities = _entities_in(repo, graphs)
        triples = sum(_graph_size(repo, g) for g in graphs)
        counts = name_counts(repo, entities, excluding=graphs)
        labels = label_triples(counts)
        repo.update(_write_update(None, None, graphs, entities, labels) + facts_update(repo, None, graphs))
        if resolver is not None:
            resolver.forget(entities)
            resolver.load(repo, entities)
        return RemoveOutcome(removed=graphs, triples=triples, entities_gone=len(entities - set(counts)))


def find_articles(repo: Repo, article_ref: str) -> list[str]:
    """Article graph IRIs an argument names: an article IRI, a content-hash prefix (8+ hex), a
    source exactly as ingested, or (if unique) the file name at the end of a source."""
    ref = article_ref.strip()
    if not ref:
        raise NotFound("no article given")
    if ref.startswith(str(ARTICLE)):
        found = _select_graphs(repo, f"FILTER(?g = {term_sparql(URIRef(ref))})")
    elif re.fullmatch(r"[0-9a-fA-F]{8,64}", ref):
        found = _select_graphs(repo, f'?g edukg:contentHash ?h . FILTER(STRSTARTS(?h, "{ref.lower()}"))')
    else:
        found = []
    if not found:
        found = _graphs_of_source(repo, ref)
    if not found:
        literal = term_sparql(Literal(ref))
        found = _select_graphs(
            repo, f"?g dcterms:source ?src . FILTER(STRENDS(?src, CONCAT('/', {literal})))"
        )
        if len(found) > 1:
            raise Ambiguous(f"{ref!r} matches {len(found)} articles; give the article IRI or hash")
    if not found:
        raise NotFound(f"no article {ref!r} in the store")
    return found


# -- helpers ------------------------------------------------------------------------------
def _write_update(
    iri: str | None, graph: Graph | None, dropped: list[str], affected: set[str], labels: Graph
) -> str:
    parts = [f"DROP SILENT GRAPH {term_sparql(URIRef(g))}" for g in dropped]
    delete = delete_labels_update(affected)
    if delete:
        parts.append(delete)
    blocks = []
    if iri is not None and graph is not None and len(graph):
        blocks.append(f"GRAPH {term_sparql(URIRef(iri))} {{\n{triples_block(graph)}\n}}")
    label_block = insert_labels_block(labels)
    if label_block:
        blocks.append(label_block)
    if blocks:
        parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(parts)


def _stored_hash(repo: Repo, iri: str) -> str | None:
    result = repo.query(
        SPARQL_PREFIXES + f"SELECT ?h WHERE {{ GRAPH {term_sparql(URIRef(iri))} "
        f"{{ {term_sparql(URIRef(iri))} edukg:contentHash ?h }} }} LIMIT 1"
    )
    return str(result.rows[0]["h"]) if result.rows else None


def _graphs_of_source(repo: Repo, source: str) -> list[str]:
    return _select_graphs(repo, f"?g dcterms:source {term_sparql(Literal(source))} .")


def _select_graphs(repo: Repo, pattern: str) -> list[str]:
    result = repo.query(
        SPARQL_PREFIXES + f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a edukg:Article . {pattern} }} }}"
    )
    return sorted(str(row["g"]) for row in result.rows)


def _entities_in(repo: Repo, graphs: list[str]) -> set[str]:
    if not graphs:
        return set()
    values = " ".join(term_sparql(URIRef(g)) for g in graphs)
    result = repo.query(
        SPARQL_PREFIXES
        + f"SELECT DISTINCT ?e WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?e edukg:name ?n }} }}"
    )
    return {str(row["e"]) for row in result.rows}


def _graph_size(repo: Repo, graph: str) -> int:
    result = repo.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {term_sparql(URIRef(graph))} {{ ?s ?p ?o }} }}"
    )
    return int(result.rows[0]["n"]) if result.rows else 0  # type: ignore[call-overload]
