"""What the store does on request, next to the open `Repo`: the operations of `StoreClient`.

In the server these run inside the store process (kg/service/worker.py), so a query result is
serialised where it is computed and only bytes or small JSON-ready dicts cross the process
boundary; in tests they run in-process (`LocalStoreClient`). One `StoreOps` per open store: it
holds the one write lock (one writer at a time) and the entity index writes keep current.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import asdict
from typing import IO, TYPE_CHECKING, Any, Protocol

from kg import lookup
from kg.store.base import Repo

if TYPE_CHECKING:
    import networkx as nx

    from extract.model import Article, Extraction
    from kg.network import GraphFilter
    from kg.resolve import Resolver

JSON = dict[str, Any]


class StreamSink(Protocol):
    """Where a streamed answer is written (kg/service/worker.py's StreamWriter)."""

    def sink(self) -> IO[bytes]: ...

    def finish(self) -> bytes | None: ...


class StoreOps:
    """The operations on one open store; every method is safe to call from many threads."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        # per thread: where a streamed answer goes (set by the store process around a streamed call)
        self.local = threading.local()
        self.write_lock = threading.Lock()
        # writes attempted through this object, counted after each one ends: the heartbeat
        # recounts quads after one, and the API's result cache drops its answers when it grows
        self.writes = 0
        self._resolver: Resolver | None = None

    # -- SPARQL protocol ------------------------------------------------------------------
    def sparql(
        self,
        query: str,
        fmt: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        max_bytes: int,
    ) -> tuple[str, bytes]:
        """Run a read-only query and serialise it: (media type, body)."""
        return self.repo.query_bytes(
            query, fmt, default_graphs=default_graphs, named_graphs=named_graphs, max_bytes=max_bytes
        )

    def sparql_stream(
        self,
        query: str,
        fmt: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        max_bytes: int,
    ) -> bytes | None:
        """A results-format answer, written as it is produced to this thread's stream sink: the
        body when it was small enough to send whole, None when it went out in chunks. Without a
        sink (in-process) the answer comes back whole, under `max_bytes`."""
        sink: StreamSink | None = getattr(self.local, "sink", None)
        if sink is None:
            _, body = self.repo.query_bytes(
                query, fmt, default_graphs=default_graphs, named_graphs=named_graphs, max_bytes=max_bytes
            )
            return body
        self.repo.query_to(query, fmt, sink.sink(), default_graphs=default_graphs, named_graphs=named_graphs)
        return sink.finish()

    # -- REST look-ups --------------------------------------------------------------------
    def search_entities(self, q: str | None, entity_type: str | None, limit: int, offset: int) -> JSON:
        return lookup.search_entities(self.repo, q, entity_type, limit=limit, offset=offset)

    def entity_detail(self, entity_id: str, entity_type: str | None) -> JSON:
        return lookup.entity_detail(self.repo, lookup.resolve_entity(self.repo, entity_id, entity_type))

    def neighbours(self, entity_id: str, entity_type: str | None, depth: int) -> JSON:
        return lookup.neighbours(self.repo, lookup.resolve_entity(self.repo, entity_id, entity_type), depth)

    def list_articles(self, limit: int, offset: int) -> JSON:
        return lookup.list_articles(self.repo, limit=limit, offset=offset)

    def article_detail(self, article_id: str) -> JSON:
        return lookup.article_detail(self.repo, lookup.article_iri(article_id))

    def stats(self) -> JSON:
        return lookup.stats(self.repo)

    # -- pictures -------------------------------------------------------------------------
    def network(self, flt: GraphFilter) -> nx.MultiDiGraph:
        from kg.network import build_network

        return build_network(self.repo, flt)

    def entity_network(self, entity: str, depth: int, relations: Sequence[str]) -> nx.MultiDiGraph:
        from kg.network import neighbourhood

        return neighbourhood(self.repo, entity, depth, relations=relations)

    # -- writes ---------------------------------------------------------------------------
    def ingest(self, article: Article, extraction: Extraction) -> JSON:
        from kg.ingest import ingest_extraction

        with self.write_lock:
            try:
                outcome = ingest_extraction(
                    self.repo, article, extraction, resolver=self._resolver_for_write()
                )
            finally:  # counted even when it fails: a write that raised may still have committed
                self.writes += 1
        return asdict(outcome)

    def remove(self, article_id: str) -> JSON:
        from kg.ingest import remove_article

        with self.write_lock:
            try:
                outcome = remove_article(
                    self.repo, lookup.article_iri(article_id), resolver=self._resolver_for_write()
                )
            finally:
                self.writes += 1
        return asdict(outcome)

    def _resolver_for_write(self) -> Resolver:
        """One entity index for the life of the store: this is the store's only writer, and
        kg.ingest keeps the index current on every write it makes."""
        if self._resolver is None:
            from kg.resolve import Resolver

            self._resolver = Resolver.from_repo(self.repo)
        return self._resolver

    # -- state ----------------------------------------------------------------------------
    def describe(self) -> JSON:
        """What /health reports about the store itself (counted, so call it rarely)."""
        return {"quads": len(self.repo), "backend": type(self.repo).__name__}
