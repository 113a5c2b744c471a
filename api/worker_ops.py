"""What the store process does on request: run SPARQL to bytes, REST look-ups, ingest, remove.

These functions run inside the store process (api/store_worker.py), next to the open `Repo`, so a
query result is serialised where it is computed and only bytes cross the process boundary. On
embedded Oxigraph, SPARQL runs and serialises natively (pyoxigraph releases the GIL while it
evaluates, so the worker's threads serve other requests meanwhile); any other `Repo` goes through
`Repo.query` and is serialised here.
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import asdict
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg import lookup
from kg.errors import BadQuery, KGError, StoreError
from kg.store.base import QueryResult, Repo
from kg.store.oxigraph import dataset_kwargs, to_ox
from ontology.namespace import PREFIXES

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
LOOKUPS = {
    "resolve_entity": lookup.resolve_entity,
    "search_entities": lookup.search_entities,
    "entity_detail": lookup.entity_detail,
    "neighbours": lookup.neighbours,
    "list_articles": lookup.list_articles,
    "article_detail": lookup.article_detail,
    "stats": lookup.stats,
}
REPO_READS = frozenset({"query", "named_graphs", "dump", "__len__", "has_graph"})
REPO_WRITES = frozenset({"update", "replace_graph", "drop_graph"})


class ResultTooLarge(KGError):
    """The serialised answer passed the size limit; the client should add LIMIT."""

    code = "result_too_large"


class _CappedBuffer(io.RawIOBase):
    """A write target that refuses to grow past `limit` bytes (stops a runaway serialisation)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buf = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.buf.tell() + len(data) > self.limit:
            raise ResultTooLarge(
                f"the result is larger than {self.limit // 1_000_000} MB: add a LIMIT or narrow the query"
            )
        return self.buf.write(data)

    def getvalue(self) -> bytes:
        return self.buf.getvalue()


class Worker:
    """State of one store process: the repo and a write lock (one writer at a time)."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.write_lock = threading.Lock()
        self._resolver: Any = None

    # -- SPARQL protocol ------------------------------------------------------------------
    def sparql(
        self,
        query: str,
        fmt: str,
        default_graphs: list[str] | None,
        named_graphs: list[str] | None,
        max_bytes: int,
    ) -> tuple[str, bytes]:
        """Run a read-only query and serialise it; returns (media type, body)."""
        store = getattr(self.repo, "store", None)
        if isinstance(store, ox.Store):
            return _native(store, query, fmt, default_graphs, named_graphs, max_bytes)
        result = self.repo.query(query, default_graphs=default_graphs, named_graphs=named_graphs)
        return _from_result(result, fmt, max_bytes)

    # -- REST -----------------------------------------------------------------------------
    def lookup(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        return LOOKUPS[name](self.repo, *args, **kwargs)

    def ingest(self, article: Any, extraction: Any) -> dict[str, Any]:
        from kg.ingest import ingest_extraction

        with self.write_lock:
            outcome = ingest_extraction(self.repo, article, extraction, resolver=self._resolver_for_write())
        return asdict(outcome)

    def remove(self, ref: str) -> dict[str, Any]:
        from kg.ingest import remove_article

        with self.write_lock:
            outcome = remove_article(self.repo, ref, resolver=self._resolver_for_write())
        return asdict(outcome)

    def _resolver_for_write(self) -> Any:
        """One entity index for the life of the process: this process is the store's only
        writer, and kg.ingest keeps the index current on every write it makes."""
        if self._resolver is None:
            from kg.resolve import Resolver

            self._resolver = Resolver.from_repo(self.repo)
        return self._resolver

    # -- the Repo interface, for code in the API process (ProcessRepo) --------------------
    def repo_call(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if method in REPO_WRITES:
            with self.write_lock:
                self._resolver = None  # a raw write may change names behind the index
                return getattr(self.repo, method)(*args, **kwargs)
        if method not in REPO_READS:
            raise BadQuery(f"unknown store operation {method!r}")
        if method == "__len__":
            return len(self.repo)
        if method == "has_graph" and not hasattr(self.repo, "has_graph"):
            result = self.repo.query(f"ASK {{ GRAPH <{args[0]}> {{ ?s ?p ?o }} }}")
            return bool(result.boolean)
        return getattr(self.repo, method)(*args, **kwargs)

    def ping(self) -> dict[str, Any]:
        return {"quads": len(self.repo), "backend": type(self.repo).__name__}


# -- native pyoxigraph path ----------------------------------------------------------------
def _native(
    store: ox.Store,
    query: str,
    fmt: str,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    max_bytes: int,
) -> tuple[str, bytes]:
    kwargs = dataset_kwargs(default_graphs, named_graphs)
    out = _CappedBuffer(max_bytes)
    try:
        result = store.query(query, **kwargs)
        if isinstance(result, ox.QueryTriples):
            fmt = fmt if fmt in RDF_FORMATS else "turtle"
            prefixes = PREFIXES if fmt == "turtle" else None
            ox.serialize(_dedup(result), out, RDF_FORMATS[fmt], prefixes=prefixes)
        else:
            fmt = fmt if fmt in RESULT_FORMATS else "json"
            result.serialize(out, RESULT_FORMATS[fmt])
    except SyntaxError as err:
        raise BadQuery(f"SPARQL syntax error: {_first_line(err)}") from None
    except KGError:
        raise
    except (ValueError, TypeError) as err:
        raise BadQuery(f"SPARQL query failed: {_first_line(err)}") from None
    except OSError as err:
        raise StoreError(f"store read failed: {_first_line(err)}") from None
    return MEDIA_TYPES[fmt], out.getvalue()


def _dedup(triples: Any) -> Any:
    """CONSTRUCT over the union default graph repeats a triple once per article asserting it;
    an RDF graph is a set, so drop repeats (bounded memory: the size cap stops huge answers)."""
    seen: set[Any] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


# -- any other Repo: from a materialised QueryResult ----------------------------------------
def _from_result(result: QueryResult, fmt: str, max_bytes: int) -> tuple[str, bytes]:
    out = _CappedBuffer(max_bytes)
    if result.kind == "graph":
        fmt = fmt if fmt in RDF_FORMATS else "turtle"
        triples = (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in (result.graph or []))
        ox.serialize(triples, out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)
        return MEDIA_TYPES[fmt], out.getvalue()
    fmt = fmt if fmt in RESULT_FORMATS else "json"
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        doc = {
            "head": {"vars": result.vars},
            "results": {"bindings": [{k: _json_term(v) for k, v in row.items()} for row in result.rows]},
        }
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "json":
        out.write(data)
    else:  # let pyoxigraph write XML/CSV/TSV from the JSON: one writer of the standards, not two
        ox.parse_query_results(data, ox.QueryResultsFormat.JSON).serialize(out, RESULT_FORMATS[fmt])
    return MEDIA_TYPES[fmt], out.getvalue()


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
