"""The store interface every backend implements (embedded Oxigraph, memory, remote SPARQL).

Everything above kg/ (CLI, API, pictures, analytics) talks to a `Repo`, never to a backend, so
they work the same on every store. Results are materialised into plain Python objects holding
rdflib terms: they may cross threads and outlive the backend's cursor.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

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
