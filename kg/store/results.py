"""A query's answer as bytes in a SPARQL results or RDF format, under a size cap.

`Repo.query_bytes` is what /sparql and `edukg query --format json|csv` print, so both give the
same bytes. Embedded Oxigraph serialises natively (kg/store/oxigraph.py); any other backend's
materialised `QueryResult` is written here, through pyoxigraph's writers too (one writer of the
standards, not two). The cap stops a runaway answer while it is written, not after.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.errors import ResultTooLarge
from kg.store.base import QueryResult
from kg.store.terms import json_term, to_ox
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
NO_LIMIT = 1 << 62


class CappedBuffer(io.RawIOBase):
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

    def sink(self) -> IO[bytes]:
        """This buffer as the binary file pyoxigraph's writers take."""
        return cast(IO[bytes], self)


def result_format(fmt: str, *, graph: bool) -> str:
    """`fmt` if it fits the query form, else the form's default (JSON results / Turtle)."""
    if graph:
        return fmt if fmt in RDF_FORMATS else "turtle"
    return fmt if fmt in RESULT_FORMATS else "json"


def distinct_triples(triples: Iterable[Any]) -> Iterator[Any]:
    """CONSTRUCT over the union default graph repeats a triple once per article asserting it;
    an RDF graph is a set, so drop repeats (bounded memory: the size cap stops huge answers)."""
    seen: set[Any] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def serialize_triples(triples: Iterable[Any], fmt: str, out: IO[bytes]) -> None:
    prefixes = PREFIXES if fmt == "turtle" else None
    ox.serialize(distinct_triples(triples), out, RDF_FORMATS[fmt], prefixes=prefixes)


def result_bytes(result: QueryResult, fmt: str, max_bytes: int = NO_LIMIT) -> tuple[str, bytes]:
    """A materialised result as (media type, body) in `fmt` (or the form's default)."""
    out = CappedBuffer(max_bytes)
    if result.kind == "graph":
        fmt = result_format(fmt, graph=True)
        triples = (
            ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type] # a graph's terms fit their positions
            for s, p, o in (result.graph or [])
        )
        serialize_triples(triples, fmt, out.sink())
        return MEDIA_TYPES[fmt], out.getvalue()
    fmt = result_format(fmt, graph=False)
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        doc = {
            "head": {"vars": result.vars},
            "results": {"bindings": [{k: json_term(v) for k, v in row.items()} for row in result.rows]},
        }
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "json":
        out.write(data)
    else:  # let pyoxigraph write XML/CSV/TSV from the JSON
        ox.parse_query_results(data, ox.QueryResultsFormat.JSON).serialize(out.sink(), RESULT_FORMATS[fmt])
    return MEDIA_TYPES[fmt], out.getvalue()
