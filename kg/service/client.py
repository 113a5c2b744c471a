"""`StoreClient`: the typed face of the store service, one async method per operation.

Each method names a `StoreOps` method with its arguments (a `functools.partial`, checked by the
type checker) and hands it to `_run`, which a transport implements: `LocalStoreClient` runs it
in a thread of this process, `ProcessStoreClient` (kg/service/process.py) in the store process
under the time limit. No operation is named by a string, so a renamed or mistyped operation is a
type error, not a runtime "unknown operation".
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from kg.service.ops import JSON, StoreOps
from kg.store.base import Repo

if TYPE_CHECKING:
    import networkx as nx

    from extract.model import Article, Extraction
    from kg.network import GraphFilter

T = TypeVar("T")
Job = Callable[[StoreOps], T]
MIN_WRITE_TIMEOUT = 60.0  # an ingest is one transaction of a few ms; this only catches a hang


@dataclass(frozen=True)
class Limits:
    """Time limits of the calls: reads stop at `query_timeout`; writes get at least a minute."""

    query_timeout: float = 10.0
    max_result_bytes: int = 50_000_000  # a serialised /sparql answer larger than this is refused

    @property
    def write_timeout(self) -> float:
        return max(self.query_timeout, MIN_WRITE_TIMEOUT)


class StoreClient(ABC):
    """The store, as the API sees it. Errors are kg/ errors (`KGError` with a code)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    @abstractmethod
    async def _run(self, job: Job[T], *, timeout: float, retry: bool = True, query: bool = False) -> T:
        """Run `job(ops)` next to the store. `retry`: may be sent again if the store process is
        restarted meanwhile (reads); `query`: counts against the bound on concurrent queries."""

    @abstractmethod
    def health(self) -> JSON:
        """The service's state, answered at once without asking the store (never raises)."""

    def data_version(self) -> Hashable | None:
        """A value that changes whenever the store's data may have changed (compared with `==`
        only), read without asking the store; None when this transport cannot tell, and then
        nothing may be answered from a cache. The API's result cache (api/result_cache.py) keys
        its contents by it. A transport that sees every write can say; this one cannot."""
        return None

    async def start(self) -> None:  # noqa: B027 - a transport with nothing to start
        """Open the store (the app's lifespan calls this)."""

    async def close(self) -> None:  # noqa: B027
        """Close the store."""

    # -- reads ----------------------------------------------------------------------------
    async def sparql(
        self,
        query: str,
        fmt: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> tuple[str, bytes]:
        dg = list(default_graphs) if default_graphs is not None else None
        ng = list(named_graphs) if named_graphs is not None else None
        job = partial(
            StoreOps.sparql,
            query=query,
            fmt=fmt,
            default_graphs=dg,
            named_graphs=ng,
            max_bytes=self.limits.max_result_bytes,
        )
        return await self._run(job, timeout=self.limits.query_timeout, query=True)

    async def sparql_stream(
        self,
        query: str,
        fmt: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> bytes | AsyncIterator[bytes]:
        """A SELECT/ASK answer in a results format (json, xml, csv, tsv): the body whole when it
        is small, else its chunks as the store produces them (no size cap: nothing is whole)."""
        dg = list(default_graphs) if default_graphs is not None else None
        ng = list(named_graphs) if named_graphs is not None else None
        job = partial(
            StoreOps.sparql_stream,
            query=query,
            fmt=fmt,
            default_graphs=dg,
            named_graphs=ng,
            max_bytes=self.limits.max_result_bytes,
        )
        return await self._run_stream(job, timeout=self.limits.query_timeout)

    async def _run_stream(self, job: Job[bytes | None], *, timeout: float) -> bytes | AsyncIterator[bytes]:
        """Transports that cannot stream run the job whole (it then returns the body)."""
        body = await self._run(job, timeout=timeout, query=True)
        assert body is not None
        return body

    async def search_entities(
        self, q: str | None, entity_type: str | None, *, limit: int = 50, offset: int = 0
    ) -> JSON:
        job = partial(StoreOps.search_entities, q=q, entity_type=entity_type, limit=limit, offset=offset)
        return await self._run(job, timeout=self.limits.query_timeout)

    async def entity_detail(self, entity_id: str, entity_type: str | None = None) -> JSON:
        job = partial(StoreOps.entity_detail, entity_id=entity_id, entity_type=entity_type)
        return await self._run(job, timeout=self.limits.query_timeout)

    async def neighbours(self, entity_id: str, entity_type: str | None = None, *, depth: int = 1) -> JSON:
        job = partial(StoreOps.neighbours, entity_id=entity_id, entity_type=entity_type, depth=depth)
        return await self._run(job, timeout=self.limits.query_timeout)

    async def list_articles(self, *, limit: int = 50, offset: int = 0) -> JSON:
        job = partial(StoreOps.list_articles, limit=limit, offset=offset)
        return await self._run(job, timeout=self.limits.query_timeout)

    async def article_detail(self, article_id: str) -> JSON:
        return await self._run(
            partial(StoreOps.article_detail, article_id=article_id), timeout=self.limits.query_timeout
        )

    async def stats(self) -> JSON:
        return await self._run(StoreOps.stats, timeout=self.limits.query_timeout)

    async def network(self, flt: GraphFilter) -> nx.MultiDiGraph:
        return await self._run(partial(StoreOps.network, flt=flt), timeout=self.limits.query_timeout)

    async def entity_network(self, entity: str, depth: int, relations: Sequence[str] = ()) -> nx.MultiDiGraph:
        job = partial(StoreOps.entity_network, entity=entity, depth=depth, relations=tuple(relations))
        return await self._run(job, timeout=self.limits.query_timeout)

    # -- writes ---------------------------------------------------------------------------
    async def ingest(self, article: Article, extraction: Extraction) -> JSON:
        job = partial(StoreOps.ingest, article=article, extraction=extraction)
        return await self._run(job, timeout=self.limits.write_timeout)

    async def remove(self, article_id: str) -> JSON:
        # not re-sent after a store restart: a removal that committed would then answer 404
        job = partial(StoreOps.remove, article_id=article_id)
        return await self._run(job, timeout=self.limits.write_timeout, retry=False)


class LocalStoreClient(StoreClient):
    """The operations over a `Repo` in this process, in worker threads: for tests and scripts.

    No time limit is enforced (a thread cannot be stopped); the server uses `ProcessStoreClient`.
    The caller owns the repo and closes it.
    """

    def __init__(self, repo: Repo, limits: Limits | None = None) -> None:
        super().__init__(limits or Limits())
        self.ops = StoreOps(repo)

    async def _run(self, job: Job[T], *, timeout: float, retry: bool = True, query: bool = False) -> T:
        return await asyncio.to_thread(job, self.ops)

    def health(self) -> JSON:
        return {
            "status": "ok",
            "store": {
                "state": "running",
                "in_process": True,
                "restarts": 0,
                "timeouts": 0,
                "pid": None,
                "backend": type(self.ops.repo).__name__,
                "quads": len(self.ops.repo),
            },
        }
