"""`edukg serve`: the API (SPARQL endpoint, REST, query page) on uvicorn, 127.0.0.1:8000 by default.

On an empty store it first ingests the seed corpus (Settings.default_corpus, `data/articles`), so
a newcomer sees a graph at once; `--no-seed` skips that. Options override EDUKG_* settings.
While it runs, `<store dir>.server.json` tells `edukg ingest` where to send articles instead of
opening the store this server holds (cli/server_address.py).
"""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

# named, not left to uvicorn's "auto": the C HTTP parser and libuv event loop are what the
# throughput figures in bench/RESULTS.md were measured with, and a missing one should fail loudly
UVICORN: dict[str, Any] = {"http": "httptools", "loop": "uvloop"}
BACKLOG = 2048  # uvicorn's default, stated: bursts of new connections wait instead of failing


def _seed_if_empty(spec: str, corpus: Path, console: Any) -> None:
    """Ingest `corpus` into the store when the store holds nothing yet (before the server opens it)."""
    from kg.pipeline import Ingester
    from kg.store import open_repo

    repo = open_repo(spec)
    try:
        if len(repo) > 0:
            return
        if not corpus.exists():
            console.print(f"store is empty and the seed corpus {corpus} does not exist; starting empty")
            return
        console.print(f"store is empty: ingesting {corpus} first …")
        summary = Ingester(repo).run([str(corpus)])
        console.print(
            f"seeded: ingested {summary.ingested}, skipped {len(summary.skipped)}, "
            f"failed {len(summary.failed)} in {summary.seconds:.1f} s ({len(repo)} quads)"
        )
        for source, reason in summary.failed:
            console.print(f"  failed: {source}: {reason}")
    finally:
        repo.close()


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again for the handler that
    # was there before it; with the default handler the process dies on the spot and the
    # temporary store of `--store memory` is left in /tmp. Exiting normally runs the clean-up.
    raise SystemExit(128 + signum)


def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default 127.0.0.1: this machine only).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="TCP port (default 8000).")] = None,
    store: Annotated[
        str | None,
        typer.Option("--store", help="Store spec: oxigraph:PATH, memory, or a SPARQL endpoint URL."),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key", help="Key for writes (X-API-Key header); without one, writes are disabled."
        ),
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", min=0.1, help="Seconds a SPARQL query may run (default 10).")
    ] = None,
    seed: Annotated[
        bool, typer.Option("--seed/--no-seed", help="Ingest data/articles first if the store is empty.")
    ] = True,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log", help="Log every request (off by default: it costs throughput)."
        ),
    ] = False,
    backlog: Annotated[
        int, typer.Option(min=1, help="Connections the OS queues before the server accepts them.")
    ] = BACKLOG,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the query page."""
    import uvicorn
    from rich.console import Console

    from api.app import create_app
    from cli import server_address
    from kg.errors import KGError
    from kg.service.process import resolve_spec
    from kg.service.settings import Settings

    console = Console(stderr=True)
    overrides: dict[str, Any] = {
        k: v
        for k, v in {
            "host": host,
            "port": port,
            "store": store,
            "api_key": api_key,
            "query_timeout": timeout,
        }.items()
        if v is not None
    }
    settings = Settings(**overrides)
    # "memory" becomes a temporary on-disk store here, so the seed lands where the server reads
    spec, cleanup = resolve_spec(settings.store)
    held = server_address.store_dir(spec)  # where `edukg ingest` looks for this server
    running = server_address.read_live(held) if held is not None else None
    if running is not None:
        console.print(
            f"[red]error[/red]: edukg serve (pid {running.pid}, {running.url}) already holds {held}"
        )
        cleanup()
        raise typer.Exit(2)
    try:
        if seed:
            try:
                _seed_if_empty(spec, Path(settings.default_corpus), console)
            except KGError as err:
                console.print(f"[red]error[/red]: {err.message}")
                raise typer.Exit(2) from None
        app = create_app(settings.model_copy(update={"store": spec}))
        if not settings.api_key:
            console.print(
                "no API key set: POST/DELETE /articles are disabled (use --api-key or EDUKG_API_KEY)"
            )
        console.print(
            f"edukg: query page http://{settings.host}:{settings.port}/  ·  endpoint /sparql  ·  docs /docs"
        )
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        if held is not None:
            server_address.write(held, host=settings.host, port=settings.port, writes=bool(settings.api_key))
        try:
            uvicorn.run(
                app,
                host=settings.host,
                port=settings.port,
                log_level=log_level,
                access_log=access_log,
                backlog=backlog,
                **UVICORN,
            )
        finally:
            signal.signal(signal.SIGTERM, previous)
            if held is not None:
                server_address.remove(held)
    finally:
        cleanup()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
