"""Extraction on a Dask `distributed` cluster: spaCy runs in the workers, the store stays here.

Why Dask: it already does what a home-made work queue would have to learn — shipping Python
objects to worker processes on many machines, restarting a worker that dies (its nanny), and
re-running the tasks a dead worker held on another one (the scheduler), up to
`distributed.scheduler.allowed-failures` times before it gives up with `KilledWorker`.

How it fits: `ClusterExtractor` stands in for `extract.pipeline.Extractor` inside
`kg.pipeline.Ingester`, with the same `extract_many` contract (one result per article, in input
order). So everything else stays as it is: articles are read and hashed here, duplicates and
articles already in the store are dropped *before* anything is shipped, each result comes back as
the plain extract/ dataclasses, and this process writes it to the store in one atomic update per
article, with the same progress events. A worker that dies mid-batch can therefore never leave a
half-written article: it holds no store connection; its batch is re-run elsewhere, or, once the
scheduler gives up, each of its articles is reported failed and the run goes on.

spaCy is loaded once per worker process by `ExtractorPlugin` (a Dask worker plugin, also run on
workers that join or are restarted later), never once per task; one lock per worker keeps one
pipeline call at a time, so start workers with `--nthreads 1` and scale with `--nworkers`.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from distributed import WorkerPlugin

from extract.errors import ExtractError
from extract.model import Article, Extraction
from kg.errors import KGError

PLUGIN_NAME = "edukg-extractor"
SCHEDULER_ENV = "EDUKG_DASK_SCHEDULER"
CONNECT_TIMEOUT = "10s"


class ClusterError(KGError):
    """The cluster cannot be reached or started."""

    code = "cluster_error"


class ExtractorPlugin(WorkerPlugin):
    """Loads edukg's spaCy pipeline once when a worker starts (Dask calls `setup(worker)`).

    Only kg/cluster.py imports distributed, and only `--cluster` imports this module, so the
    local pipeline never pays for it.
    """

    name = PLUGIN_NAME

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.extractor: Any = None
        self.loads = 0  # how many times this worker loaded the model (tests check it is 1)
        self.batches = 0  # batches extracted here
        self.lock = threading.Lock()

    def setup(self, worker: Any = None) -> None:
        from extract.pipeline import Extractor

        self.extractor = Extractor(max_chars=self.max_chars)
        self.loads += 1

    def teardown(self, worker: Any = None) -> None:
        self.extractor = None

    def __getstate__(self) -> dict[str, Any]:  # shipped to workers without a model or a lock
        return {"max_chars": self.max_chars}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["max_chars"])  # type: ignore[misc]


def extract_batch(
    articles: list[Article], batch_size: int
) -> list[tuple[str | None, Extraction | ExtractError]]:
    """Runs IN A WORKER: the batch's results, each with the language the checks found (the
    client's copy of the article does not see that assignment, and the graph records it)."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, ExtractorPlugin) or plugin.extractor is None:
        raise RuntimeError("the edukg extractor plugin is not set up on this worker")
    with plugin.lock:
        extractor = plugin.extractor
        zone = getattr(extractor.nlp, "memory_zone", None)
        # the zone frees the strings this batch added to the worker's vocab; results are plain data
        with zone() if callable(zone) else contextlib.nullcontext():
            results = list(extractor.extract_many(articles, n_process=1, batch_size=batch_size))
        plugin.batches += 1
    return [(article.language, result) for article, result in zip(articles, results, strict=True)]


class ClusterExtractor:
    """`Extractor.extract_many` on a Dask cluster, results in input order."""

    def __init__(self, client: Any, *, max_chars: int, batch_size: int = 32, cluster: Any = None) -> None:
        self.client = client
        self.cluster = cluster  # a LocalCluster this object started (closed with it)
        self.max_chars = max_chars
        self.batch_size = max(1, batch_size)
        self._closed = False
        client.register_plugin(ExtractorPlugin(max_chars), name=PLUGIN_NAME)
        atexit.register(self.close)

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def _window(self) -> int:
        """Batches kept in flight: two per worker thread, so no worker waits for the next one
        while memory stays bounded (a batch is ~32 articles)."""
        threads = sum(self.client.nthreads().values()) or 1
        return max(2, 2 * threads)

    def extract_many(
        self, articles: Iterable[Article], *, n_process: int = 1, batch_size: int | None = None
    ) -> Iterator[Extraction | ExtractError]:
        """One result per article, in input order (`n_process` is the workers' business here)."""
        from distributed import KilledWorker

        size = batch_size or self.batch_size
        window = self._window()
        inflight: deque[tuple[list[Article], Any]] = deque()
        batch: list[Article] = []

        def submit(chunk: list[Article]) -> None:
            future = self.client.submit(extract_batch, chunk, size, pure=False)
            inflight.append((chunk, future))

        def drain_one() -> Iterator[Extraction | ExtractError]:
            chunk, future = inflight.popleft()
            try:
                answers = future.result()
            except KilledWorker as err:
                # the scheduler re-ran this batch on other workers and they died too: give up on it
                reason = f"the cluster's workers died while extracting it ({_short(err)}); not ingested"
                for article in chunk:
                    yield ExtractError(f"{article.source}: {reason}")
                return
            finally:
                future.release()
            for article, (language, result) in zip(chunk, answers, strict=True):
                if language and not article.language:
                    article.language = language
                yield result

        for article in articles:
            batch.append(article)
            if len(batch) >= size:
                submit(batch)
                batch = []
                while len(inflight) >= window:
                    yield from drain_one()
        if batch:
            submit(batch)
        while inflight:
            yield from drain_one()

    def extract(self, article: Article) -> Extraction:
        """One article (the Ingester's one-at-a-time fallback); raises its ExtractError."""
        (result,) = list(self.extract_many([article]))
        if isinstance(result, ExtractError):
            raise result
        return result

    def worker_memory(self) -> dict[str, int]:
        """Resident memory (bytes) of each worker process, for docs and benches."""

        def rss() -> int:
            import psutil

            return int(psutil.Process().memory_info().rss)

        return {str(k): int(v) for k, v in self.client.run(rss).items()}

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


def _short(err: BaseException) -> str:
    return " ".join(str(err).split())[:200] or type(err).__name__


def open_cluster(address: str, *, max_chars: int = 1_000_000, batch_size: int = 32) -> ClusterExtractor:
    """`tcp://HOST:PORT` (a running scheduler) or `local:N` (a LocalCluster of N worker
    processes on this machine, bound to 127.0.0.1, closed when the extractor is)."""
    from distributed import Client, LocalCluster

    address = address.strip()
    cluster = None
    if address.startswith("local:"):
        try:
            workers = int(address.removeprefix("local:"))
            if workers < 1:
                raise ValueError
        except ValueError:
            raise ClusterError(f"bad cluster {address!r}: local:N needs a worker count N ≥ 1") from None
        try:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        except Exception as err:
            raise ClusterError(f"cannot start a local cluster of {workers} workers: {_short(err)}") from None
    elif address.startswith(("tcp://", "tls://", "ws://", "wss://")):
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT)
        except Exception as err:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {_short(err)}") from None
    else:
        raise ClusterError(f"bad cluster {address!r}: use tcp://HOST:8786 (a scheduler) or local:N")
    try:
        return ClusterExtractor(client, max_chars=max_chars, batch_size=batch_size, cluster=cluster)
    except Exception as err:
        client.close()
        if cluster is not None:
            cluster.close()
        raise ClusterError(
            f"the cluster at {address} could not load edukg's extractor: {_short(err)}"
        ) from None
