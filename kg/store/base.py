"""The store interface every backend implements (embedded Oxigraph, memory, remote SPARQL).

Everything above kg/ (CLI, API, pictures, analytics) talks to a `Repo`, never to a backend, so
they work the same on every store. Results are materialised into plain Python objects holding
rdflib terms: they may cross threads and outlive the backend's cursor.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Literal

from rdflib import Graph
from rdflib.term import Node


@dataclass
class QueryResult:
    """A finished SPARQL query: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples."""

    kind: Literal["select", "ask", "graph"]
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)  # unbound variables are absent
    boolean: bool | None = None
    graph: Graph | None = None


class Repo(ABC):
    """A quad store holding one named graph per article plus shared graphs."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a read-only query. Without `default_graphs` the default graph is the union of
        all graphs, which is what a researcher expects from a one-graph-per-article store."""

    @abstractmethod
    def update(self, sparql_update: str) -> None:
        """Apply a SPARQL 1.1 Update atomically: one transaction or one request."""

    @abstractmethod
    def replace_graph(self, graph: str, triples: Graph) -> None:
        """Atomically make named graph `graph` hold exactly `triples` (readers never see half)."""

    @abstractmethod
    def drop_graph(self, graph: str) -> None:
        """Remove one named graph (no error if absent)."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of all named graphs."""

    def has_graph(self, graph: str) -> bool:
        """Does named graph `graph` hold anything? Backends with a cheaper test override this."""
        result = self.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return bool(result.boolean)

    def query_bytes(
        self,
        query: str,
        fmt: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_bytes: int | None = None,
    ) -> tuple[str, bytes]:
        """Run a read-only query and serialise its answer: (media type, body). `fmt` is a results
        format (json, xml, csv, tsv) or an RDF one (turtle, ntriples, jsonld, rdfxml); one that does
        not fit the query form falls back to the form's default. `ResultTooLarge` past `max_bytes`.
        This is what /sparql and `edukg query` print, so they print the same bytes."""
        from kg.store.results import NO_LIMIT, result_bytes

        result = self.query(query, default_graphs=default_graphs, named_graphs=named_graphs)
        return result_bytes(result, fmt, NO_LIMIT if max_bytes is None else max_bytes)

    def query_to(
        self,
        query: str,
        fmt: str,
        out: IO[bytes],
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> str:
        """Like `query_bytes`, but written to `out` as it is produced (no size cap: the caller
        streams it); returns the media type. Backends that cannot stream write it whole."""
        media, body = self.query_bytes(query, fmt, default_graphs=default_graphs, named_graphs=named_graphs)
        out.write(body)
        return media

    @abstractmethod
    def dump(self, format: str) -> bytes:
        """Serialise the whole dataset: "trig", "nquads", "turtle" (union), "jsonld"."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads in the store."""

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Push buffered writes to disk (a long batch calls it so memory stays flat); backends
        with nothing buffered do nothing."""

    def release_memory(self) -> bool:
        """Give back memory the open store keeps after its writes were flushed (a long batch
        calls it after each flush); True if it did. Backends that keep nothing do nothing."""
        return False

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files and connections."""
