"""`edukg ingest` into a store that a running `edukg serve` holds: through the server's POST /articles.

An embedded Oxigraph store admits one process, so while the server runs the ingest cannot
open it. Stopping the server to ingest would take the graph offline; instead the ingest finds
the server by the address file it left beside the store (cli/server_address.py) and sends
every article to `POST /articles` with the key from EDUKG_API_KEY. The server extracts and
writes each one in one store transaction, and its queries see the article whole at once.

Reading stays here (files, folders, feeds, URLs, duplicate and language checks, exactly as
a local ingest reads them); extraction happens in the server, which has the model loaded
already (docs/ingest.md says why). `ServerIngester.run` answers with the same `Event`s and
`Summary` as `kg.pipeline.Ingester.run`, so the progress bar, `--watch` and the summary work
unchanged. Where it cannot work (no key, a server without writes, a wrong key) one line says
why and what to do, before anything is read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx

from cli import server_address
from cli.server_address import ServerAddress
from extract.errors import ExtractError, NotEnglish
from extract.model import Article
from kg.errors import KGError
from kg.pipeline import Event, Summary

API_KEY_HEADER = "X-API-Key"
POST_TIMEOUT = 300.0  # one article: the server's extraction queue plus its write time limit
START_WAIT = 90.0  # a server that just wrote its address may still be loading the model
RETRIES = 4  # a 503 (store process restarting) is retried; an ingest is idempotent by content


class LiveIngestError(KGError):
    """Ingesting through the running server is impossible; the message says what to do."""

    code = "live_ingest"


def held_by(spec: str) -> ServerAddress | None:
    """The live `edukg serve` holding the store `spec` names, if any."""
    store = server_address.store_dir(spec)
    return server_address.read_live(store) if store is not None else None


def locked_message(spec: str, err: KGError) -> str:
    """One line for a store that would not open: RocksDB's raw 'LOCK: Resource temporarily
    unavailable' means another process holds it, which a user can act on."""
    if "lock" not in err.message.lower():
        return err.message
    store = server_address.store_dir(spec)
    return (
        f"the store {store} is in use by another process (an `edukg ingest`, or a server that "
        "left no address file): wait for it to finish or stop it, then run this again"
    )


def connect(address: ServerAddress, api_key: str | None) -> ServerIngester:
    """A ServerIngester for `address`, once the server answers and accepts the key."""
    where = f"edukg serve (pid {address.pid}, {address.url}) holds {address.store}"
    if not address.writes:
        raise LiveIngestError(
            f"{where} and takes no writes (started without an API key): restart it with "
            "--api-key KEY and set EDUKG_API_KEY=KEY here, or stop it to ingest directly"
        )
    if not api_key:
        raise LiveIngestError(
            f"{where}: set EDUKG_API_KEY to the server's key to ingest through it, or stop it to ingest directly"
        )
    ingester = ServerIngester(address, api_key)
    try:
        ingester.check(where)
    except BaseException:
        ingester.close()
        raise
    return ingester


class ServerIngester:
    """Sends articles, one request each, to a running server's POST /articles."""

    def __init__(self, address: ServerAddress, api_key: str, *, timeout: float = POST_TIMEOUT) -> None:
        self.address = address
        self.client = httpx.Client(
            base_url=address.url, headers={API_KEY_HEADER: api_key}, timeout=timeout, trust_env=False
        )
        self.warnings: list[str] = []

    def close(self) -> None:
        self.client.close()

    def check(self, where: str) -> None:
        """Wait until the server answers, then test the key without writing anything: an empty
        POST is refused for its emptiness (400) only after the key was accepted."""
        deadline = time.monotonic() + START_WAIT
        while True:
            try:
                answer = self.client.post("/articles", content=b"", headers={"Content-Type": "text/plain"})
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or not server_address.pid_alive(self.address.pid):
                    raise LiveIngestError(
                        f"{where} but does not answer at {self.address.url}: check it, or stop it to ingest directly"
                    ) from None
                time.sleep(0.5)
        if answer.status_code == 503:  # still starting (store not open yet): the first POST retries
            return
        if answer.status_code in (401, 403):
            raise LiveIngestError(
                f"{where} and refused the key: {_message(answer)} (set EDUKG_API_KEY to its key)"
            )
        if answer.status_code != 400:
            raise LiveIngestError(f"{where} and answered {answer.status_code} to a write: {_message(answer)}")

    def run(
        self,
        paths: Iterable[str],
        *,
        on_event: Callable[[Event], None] | None = None,
        expected: int | None = None,
    ) -> Summary:
        """Read every article under `paths` and send each new one; KeyboardInterrupt stops
        between articles, and what the server committed stays committed."""
        from extract.readers import read_paths

        summary = Summary()
        self.warnings = summary.warnings
        started = time.perf_counter()
        first_source: dict[str, str] = {}  # content hash → first source seen in this run

        def emit(event: Event) -> None:
            summary.add(event)
            if on_event is not None:
                on_event(event)

        try:
            for item in read_paths(paths):
                if isinstance(item, NotEnglish):
                    emit(Event("skipped", _source_of(item), item.message))
                elif isinstance(item, ExtractError):
                    emit(Event("failed", _source_of(item), item.message))
                elif item.content_hash in first_source:
                    emit(
                        Event(
                            "skipped",
                            item.source,
                            f"{item.source}: same text as {first_source[item.content_hash]}; skipped",
                        )
                    )
                else:
                    first_source[item.content_hash] = item.source
                    emit(self.send(item))
        except KeyboardInterrupt:
            summary.interrupted = True
        except LiveIngestError as err:  # the server went away or refused: the rest cannot go either
            emit(Event("failed", "edukg serve", f"error: {err.message}"))
            summary.interrupted = True
        finally:
            summary.seconds = time.perf_counter() - started
        return summary

    def send(self, article: Article) -> Event:
        """One article: skip it if the server has its text already, else POST it."""
        from kg.iris import article_iri_for_hash

        iri = str(article_iri_for_hash(article.content_hash))
        known = self._request("GET", f"/articles/{iri.rsplit('/', 1)[-1]}")
        if known.status_code == 200:
            return Event("unchanged", article.source, None, iri)
        body = {
            "text": article.text,
            "source": article.source,
            **{
                k: v
                for k, v in (
                    ("title", article.title),
                    ("date", article.date),
                    ("url", article.url),
                    ("publisher", article.publisher),
                )
                if v is not None
            },
        }
        answer = self._request("POST", "/articles", json=body)
        if answer.status_code in (200, 201):
            outcome = answer.json().get("outcome", {})
            status = outcome.get("status", "ingested" if answer.status_code == 201 else "unchanged")
            return Event(status, article.source, None, outcome.get("article", iri))
        reason = _message(answer)
        line = reason if reason.startswith(article.source) else f"{article.source}: {reason}"
        if answer.status_code in (401, 403):  # every later article would fail alike
            raise LiveIngestError(f"the server refused the write: {reason}")
        if _code(answer) == "not_english":
            return Event("skipped", article.source, line)
        return Event("failed", article.source, line)

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request, retried while the server answers 503 (its store process restarting)
        or, for up to START_WAIT s, while it is restarted (found again by its address file)."""
        deadline = time.monotonic() + START_WAIT
        attempt = 0
        while True:
            try:
                answer = self.client.request(method, path, **kwargs)
            except httpx.TransportError as err:
                if time.monotonic() > deadline:
                    raise LiveIngestError(
                        f"the server at {self.address.url} stopped answering ({type(err).__name__}); "
                        "what it committed stays: run the ingest again to go on"
                    ) from None
                time.sleep(1.0)
                self._follow()
                continue
            if answer.status_code != 503 or attempt == RETRIES:
                return answer
            time.sleep(0.5 * 2**attempt)
            attempt += 1

    def _follow(self) -> None:
        """Point the client at the server now holding the store, if it was restarted elsewhere."""
        live = server_address.read_live(Path(self.address.store))
        if live is not None and live.url != self.address.url:
            self.address = live
            self.client.base_url = httpx.URL(live.url)


def _code(answer: httpx.Response) -> str:
    try:
        return str(answer.json().get("error", ""))
    except ValueError:
        return ""


def _message(answer: httpx.Response) -> str:
    try:
        data = answer.json()
        message = data.get("message") or data.get("detail") or answer.text
    except ValueError:
        message = answer.text
    return " ".join(str(message).split())[:500] or f"HTTP {answer.status_code}"


def _source_of(err: ExtractError) -> str:
    head, sep, _ = err.message.partition(": ")
    return head if sep else err.message
