"""Batch ingestion: paths/URLs → articles → spaCy in parallel batches → one named graph each.

The stages are chained generators, so a batch of any size streams through in constant memory:
readers yield one article at a time, duplicates are dropped by content hash (within the batch
and against the store) *before* the expensive NLP, `Extractor.extract_many` runs `nlp.pipe`
with `n_process`/`batch_size`, and each extraction is written atomically as it arrives. A bad
input costs only itself: it is recorded in the `Summary` with a one-line reason and the batch
goes on. Because every article is written in its own transaction and known hashes are skipped
as "unchanged", an interrupted run is resumed by running it again.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from extract.errors import ExtractError, NotEnglish
from extract.model import Article, Extraction
from extract.readers import read_paths
from kg.store.base import Repo

if TYPE_CHECKING:
    from kg.ingest import IngestOutcome

Status = Literal["ingested", "unchanged", "replaced", "skipped", "failed"]
IngestFn = Callable[..., "IngestOutcome"]  # kg.ingest.ingest_extraction's shape
STATUSES: tuple[Status, ...] = ("ingested", "unchanged", "replaced", "skipped", "failed")


@dataclass
class Event:
    """What happened to one input: reported to the caller as it happens (progress, logs)."""

    status: Status
    source: str
    reason: str | None = None  # one line, for skipped/failed (and "same text as X" for unchanged)
    article: str | None = None  # the article IRI, when one was written or found


@dataclass
class Summary:
    """Counts of a run plus the reasons for everything skipped or failed."""

    ingested: int = 0
    unchanged: int = 0
    replaced: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the run, not one article
    seconds: float = 0.0
    interrupted: bool = False

    def add(self, event: Event) -> None:
        if event.status == "skipped":
            self.skipped.append((event.source, event.reason or ""))
        elif event.status == "failed":
            self.failed.append((event.source, event.reason or ""))
        else:
            setattr(self, event.status, getattr(self, event.status) + 1)

    def merge(self, other: Summary) -> None:
        self.ingested += other.ingested
        self.unchanged += other.unchanged
        self.replaced += other.replaced
        self.skipped.extend(other.skipped)
        self.failed.extend(other.failed)
        self.warnings.extend(other.warnings)
        self.seconds += other.seconds
        self.interrupted = self.interrupted or other.interrupted

    @property
    def total(self) -> int:
        return self.ingested + self.unchanged + self.replaced + len(self.skipped) + len(self.failed)

    @property
    def ok(self) -> bool:
        """True when nothing failed (skips are expected: duplicates, non-English)."""
        return not self.failed

    def to_json(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "warnings": list(self.warnings),
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
        }


def article_in_store(repo: Repo, text_hash: str) -> bool:
    """Is an article with this content hash already in the store? (one cheap lookup)"""
    from kg.iris import article_iri_for_hash

    iri = str(article_iri_for_hash(text_hash))
    has_graph = getattr(repo, "has_graph", None)
    if callable(has_graph):
        return bool(has_graph(iri))
    result = repo.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    return bool(result.boolean)


# Embedded Oxigraph keeps every write in RocksDB memtables until they are flushed, and its
# transactional database goes on holding flushed memtables as history while it stays open:
# measured, ~0.08 GiB per 100 articles (≈ 40k quads) that a flush alone does not give back.
# So every FLUSH_EVERY written articles the store is flushed, closed and reopened, and the
# freed heap returned to the OS (`Repo.release_memory`, ~50 ms); the main process's memory
# then saw-tooths within ~0.1 GiB instead of growing (bench/RESULTS.md, `--rss-over`).
FLUSH_EVERY = 100
# spaCy adds every new token string and lexeme to the main process's vocab and never lets go
# (with worker processes too: their Docs are rebuilt in the main process's vocab), so a
# long run or a months-long --watch grew without bound. Extraction runs in chunks of this many
# articles, each inside `nlp.memory_zone()`, which frees what the chunk added; a chunk restarts
# the worker processes, which costs a second or two per chunk.
ZONE_ARTICLES = 1000


def flush_store(repo: Repo) -> None:
    """Push the store's buffered writes to disk and let go of what it kept of them, so its
    memory does not grow with the batch (or with a months-long --watch)."""
    # a failed flush loses nothing (writes are already committed); memory just stays up
    with contextlib.suppress(OSError):
        repo.flush()
        repo.release_memory()


class Ingester:
    """Runs batches into one store with one loaded Extractor (reused across watch polls)."""

    def __init__(
        self,
        repo: Repo,
        extractor: Any = None,
        *,
        n_process: int = 1,
        batch_size: int = 32,
        min_parallel: int | None = None,
        ingest: IngestFn | None = None,
    ) -> None:
        self.repo = repo
        # how one extraction is written (kg.ingest.ingest_extraction; a test passes one that fails)
        self.ingest = ingest
        self._extractor = extractor
        self.n_process = max(1, n_process)
        self.batch_size = max(1, batch_size)
        # starting spaCy worker processes costs seconds (each loads the model): below this many
        # articles one process finishes first
        self.min_parallel = min_parallel if min_parallel is not None else 2 * self.n_process * self.batch_size
        self.warnings: list[str] = []  # run-level problems (not about one article), per run
        self.flush_every = FLUSH_EVERY
        self.zone_articles = ZONE_ARTICLES  # 0: one zone-less pass (the old behaviour, for benches)
        self._unflushed = 0

    @property
    def extractor(self) -> Any:
        if self._extractor is None:
            from extract.pipeline import Extractor

            self._extractor = Extractor()
        return self._extractor

    def _memory_zone(self) -> contextlib.AbstractContextManager[Any]:
        """spaCy's memory zone of the extractor's pipeline, if it has one (stand-ins do not)."""
        zone = getattr(getattr(self.extractor, "nlp", None), "memory_zone", None)
        return zone() if callable(zone) and self.zone_articles else contextlib.nullcontext()

    def run(
        self,
        paths: Iterable[str],
        *,
        on_event: Callable[[Event], None] | None = None,
        expected: int | None = None,
    ) -> Summary:
        """Ingest every article under `paths`; `on_event` hears each outcome as it happens.

        `expected` (an estimate of the article count) only decides whether worker processes are
        worth starting. KeyboardInterrupt stops the run between articles; what was written
        stays written and the summary says `interrupted`.
        """
        summary = Summary()
        self.warnings = summary.warnings
        started = time.perf_counter()

        def emit(event: Event) -> None:
            summary.add(event)
            if on_event is not None:
                on_event(event)

        try:
            self._run(read_paths(paths), emit, expected)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            if self._unflushed:
                flush_store(self.repo)
                self._unflushed = 0
            summary.seconds = time.perf_counter() - started
        return summary

    def _run(
        self,
        items: Iterator[Article | ExtractError],
        emit: Callable[[Event], None],
        expected: int | None,
    ) -> None:
        from kg.ingest import ingest_extraction
        from kg.iris import article_iri_for_hash
        from kg.resolve import Resolver

        # one entity index per run (one query over all names), kept current by each ingest;
        # rebuilt per run because another process may have written to a shared store meanwhile
        resolver = Resolver.from_repo(self.repo)
        pending: deque[tuple[Article, str]] = deque()  # articles handed to spaCy, in order
        first_source: dict[str, str] = {}  # content hash → first source seen in this batch

        def candidates() -> Iterator[Article]:
            """Articles worth extracting: readable, English, new to this batch and the store."""
            for item in items:
                if isinstance(item, NotEnglish):
                    emit(Event("skipped", _source_of(item), item.message))
                    continue
                if isinstance(item, ExtractError):
                    emit(Event("failed", _source_of(item), item.message))
                    continue
                text_hash = item.content_hash
                iri = str(article_iri_for_hash(text_hash))
                if text_hash in first_source:
                    emit(
                        Event(
                            "skipped",
                            item.source,
                            f"{item.source}: same text as {first_source[text_hash]}; skipped",
                            iri,
                        )
                    )
                    continue
                first_source[text_hash] = item.source
                try:
                    known = article_in_store(self.repo, text_hash)
                except Exception as err:  # a store hiccup fails this article, not the batch
                    emit(Event("failed", item.source, f"{item.source}: store lookup failed: {err}"))
                    continue
                if known:
                    emit(Event("unchanged", item.source, None, iri))
                    continue
                pending.append((item, text_hash))
                yield item

        parallel = expected is None or expected >= self.min_parallel
        n_process = self.n_process if parallel else 1
        fresh = candidates()

        exhausted = False

        def feed(retry: list[tuple[Article, str]]) -> Iterator[Article]:
            """Articles sent to spaCy but without a result yet (after a crash), then new ones, up
            to one chunk (`zone_articles`) in all."""
            nonlocal exhausted
            for article, text_hash in retry:
                pending.append((article, text_hash))
                yield article
            # next(), not `yield from`: when a crashed extractor drops this generator, closing it
            # must not close `fresh`, which the next chunk goes on reading
            room = range(max(0, self.zone_articles - len(retry))) if self.zone_articles else itertools.count()
            for _ in room:
                item = next(fresh, None)
                if item is None:
                    exhausted = True
                    return
                yield item

        def handle(article: Article, text_hash: str, result: Extraction | ExtractError) -> None:
            if isinstance(result, NotEnglish):
                emit(Event("skipped", article.source, _one_line(result, article.source)))
            elif isinstance(result, ExtractError):
                emit(Event("failed", article.source, _one_line(result, article.source)))
            else:
                event = self._ingest(self.ingest or ingest_extraction, article, result, text_hash, resolver)
                emit(event)
                if event.status in ("ingested", "replaced"):
                    self._unflushed += 1
                    if self._unflushed >= self.flush_every:
                        flush_store(self.repo)
                        self._unflushed = 0

        retry: list[tuple[Article, str]] = []
        while not exhausted:
            try:
                with self._memory_zone():  # results are plain data: nothing of the zone outlives it
                    for result in self.extractor.extract_many(
                        feed(retry), n_process=n_process, batch_size=self.batch_size
                    ):
                        article, text_hash = pending.popleft()
                        handle(article, text_hash, result)
                retry = []
                continue
            except KeyboardInterrupt:
                raise
            except Exception as err:  # the extractor itself broke: keep the batch alive
                retry = list(pending)
                pending.clear()
                reason = _last_line(err)
                if n_process > 1:
                    # a worker crash cannot be pinned on one article: redo its batch in-process
                    self.warnings.append(f"parallel extraction failed ({reason}); going on in one process")
                    n_process = 1
                    continue
                # in one process: find the article that breaks it by extracting one at a time
                for article, text_hash in retry:
                    try:
                        alone: Extraction | ExtractError = self.extractor.extract(article)
                    except ExtractError as one:
                        alone = one
                    except Exception as one:
                        emit(Event("failed", article.source, _one_line(one, article.source)))
                        continue
                    handle(article, text_hash, alone)
                retry = []

    def _ingest(
        self,
        ingest: IngestFn,
        article: Article,
        extraction: Extraction,
        text_hash: str,
        resolver: Any,
    ) -> Event:
        from kg.iris import article_iri_for_hash

        iri = str(article_iri_for_hash(text_hash))
        try:
            outcome = ingest(self.repo, article, extraction, resolver=resolver)
            return Event(outcome.status, article.source, None, iri)
        except KeyboardInterrupt:
            raise
        except Exception as err:  # one article's mapping/store error must not stop the batch
            return Event("failed", article.source, _one_line(err, article.source))


def _source_of(err: ExtractError) -> str:
    """The source an error message names: readers start every message with 'SOURCE: '."""
    message = err.message
    head, sep, _ = message.partition(": ")
    return head if sep else message


def _last_line(err: BaseException) -> str:
    """The telling line of an error whose message may carry a worker's whole traceback."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return (lines[-1] if lines else type(err).__name__)[:300]


def _one_line(err: BaseException, source: str) -> str:
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    line = " ".join(str(message).split())
    return line if line.startswith(source) else f"{source}: {line}"


def ingest_paths(
    repo: Repo,
    paths: Iterable[str],
    *,
    n_process: int = 1,
    batch_size: int = 32,
    on_event: Callable[[Event], None] | None = None,
) -> Summary:
    """One-shot convenience: ingest `paths` into `repo` with a fresh Extractor."""
    paths = list(paths)
    from extract.readers import estimate_articles

    return Ingester(repo, n_process=n_process, batch_size=batch_size).run(
        paths, on_event=on_event, expected=estimate_articles(paths)
    )
