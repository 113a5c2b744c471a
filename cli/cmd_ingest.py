"""`edukg ingest`: batch ingestion with a progress bar, and `--watch` for a drop folder.

The command only wires things: settings → store → `kg.pipeline.Ingester` → display. The
progress bar and warnings go to stderr, the summary to stdout, so `--json` output can be piped.
Exit codes: 0 nothing failed, 1 something failed, 2 bad usage or store, 130 interrupted batch.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from cli.ingest_via_server import ServerIngester, connect, held_by, locked_message
from kg.pipeline import Event, Ingester, Summary

DEFAULT_N_PROCESS = 2 if (os.cpu_count() or 1) > 1 else 1
DEFAULT_BATCH_SIZE = 32  # measured: 32–64 suits articles; 256 makes memory explode
SETTLE_SECONDS = 1.0  # a drop-folder file younger than this may still be being written


class RateColumn(ProgressColumn):
    """Articles per second over rich's moving window (rich ships only a bytes/s column)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:6.1f} art/s" if speed else "   –  art/s", style="progress.data.speed")


def _progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def _report_line(console: Console, event: Event) -> None:
    """Warnings and errors as they happen, one line each (above the progress bar)."""
    if event.status == "skipped":
        console.print(f"[yellow]warning[/yellow]: {escape(event.reason or event.source)}")
    elif event.status == "failed":
        console.print(f"[red]error[/red]: {escape(event.reason or event.source)}")


def print_summary(summary: Summary, console: Console, *, as_json: bool, reported: bool = False) -> None:
    """The run's counts; `reported`: each skip and failure was already printed as it happened
    (stderr), so the summary does not print it a second time."""
    if as_json:
        console.print_json(json.dumps(summary.to_json()))
        return
    read = summary.ingested + summary.unchanged + summary.replaced
    # a rate over nothing read (only failures, or an empty folder) is noise
    rate = f" ({summary.total / summary.seconds:.1f} articles/s)" if read and summary.seconds > 0 else ""
    console.print(
        f"ingested {summary.ingested}, unchanged {summary.unchanged}, replaced {summary.replaced}, "
        f"skipped {len(summary.skipped)}, failed {len(summary.failed)} "
        f"in {summary.seconds:.1f} s{rate}" + (" [interrupted]" if summary.interrupted else ""),
        highlight=False,
        markup=False,
    )
    for warning in summary.warnings:
        console.print(f"warning: {warning}", markup=False, highlight=False)
    if reported:
        return
    for title, items in (("skipped", summary.skipped), ("failed", summary.failed)):
        if items:
            console.print(f"{title}:", markup=False, highlight=False)
            for _, reason in items:
                console.print(f"  {reason}", markup=False, highlight=False, soft_wrap=True)


def warn_unsupported(paths: list[str], err: Console) -> None:
    """One warning per folder that holds files of a type edukg does not read: the readers pass
    them over (a folder is a corpus), but a user who dropped PDFs in must hear why nothing came."""
    from extract.readers import ARTICLE_SUFFIXES

    for given in paths:
        root = Path(given)
        if not root.is_dir():
            continue
        kinds: dict[str, int] = {}
        for _dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                suffix = Path(name).suffix.lower()
                if not name.startswith(".") and suffix not in ARTICLE_SUFFIXES:
                    kinds[suffix or "(no suffix)"] = kinds.get(suffix or "(no suffix)", 0) + 1
        if kinds:
            count = sum(kinds.values())
            types = ", ".join(sorted(kinds))
            readable = ", ".join(sorted(ARTICLE_SUFFIXES))
            err.print(
                f"warning: {escape(given)}: {count} file(s) not read, of type {escape(types)} "
                f"(edukg reads {escape(readable)})"
            )


def run_batch(
    ingester: Ingester | ServerIngester, paths: list[str], err: Console, *, show_progress: bool
) -> Summary:
    """One batch with a progress bar (rate, ETA); the total grows if the estimate was low."""
    from extract.readers import estimate_articles

    expected = estimate_articles(paths)
    if not show_progress:
        return ingester.run(paths, on_event=lambda e: _report_line(err, e), expected=expected)
    with _progress(err) as progress:
        task = progress.add_task("ingesting", total=expected)

        def on_event(event: Event) -> None:
            _report_line(progress.console, event)
            current = progress.tasks[task]
            if current.total is not None and current.completed + 1 > current.total:
                progress.update(task, total=current.completed + 1)
            progress.advance(task)

        return ingester.run(paths, on_event=on_event, expected=expected)


def watch_folder(
    ingester: Ingester | ServerIngester, folder: Path, interval: float, out: Console, err: Console
) -> Summary:
    """Poll `folder` every `interval` s and ingest new or changed article files until Ctrl-C.

    A file is taken once its modification time is `SETTLE_SECONDS` old, so a file still being
    copied in is read on a later poll (writing to a temporary name and renaming is safest).
    Files already there at start are ingested too; ones already in the store come out
    "unchanged", which is what makes a restart after an interruption safe.
    """
    from extract.readers import article_files

    seen: dict[str, tuple[int, int]] = {}
    total = Summary()

    def on_event(event: Event) -> None:
        if event.status in ("skipped", "failed"):
            _report_line(err, event)
        else:
            out.print(f"{event.status}: {event.source}", markup=False, highlight=False)

    err.print(f"watching {escape(str(folder))} every {interval:g} s (Ctrl-C to stop)")
    try:
        while True:
            now = time.time()
            ready: list[str] = []
            for path in article_files(folder):
                try:
                    stat = path.stat()
                except OSError:  # vanished between listing and stat
                    continue
                signature = (stat.st_mtime_ns, stat.st_size)
                key = str(path)
                if seen.get(key) == signature or now - stat.st_mtime < SETTLE_SECONDS:
                    continue
                seen[key] = signature
                ready.append(key)
            if ready:
                summary = ingester.run(ready, on_event=on_event, expected=len(ready))
                total.merge(summary)
                if summary.interrupted:
                    break
            time.sleep(interval)
    except KeyboardInterrupt:
        pass
    err.print("stopped watching")
    return total


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def ingest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, folders (recursive), feed files or http(s) URLs.")
    ] = None,
    store: Annotated[str | None, typer.Option("--store", help="Store spec (default: EDUKG_STORE).")] = None,
    n_process: Annotated[
        int, typer.Option("--n-process", min=1, help="spaCy worker processes.")
    ] = DEFAULT_N_PROCESS,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Texts per spaCy batch.")
    ] = DEFAULT_BATCH_SIZE,
    watch: Annotated[
        Path | None, typer.Option("--watch", help="Drop folder to poll until interrupted.")
    ] = None,
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="Seconds between polls of --watch.")
    ] = 5.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: when stderr is a terminal)."),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Extract on a Dask cluster: tcp://HOST:8786 or local:N (default: EDUKG_DASK_SCHEDULER).",
        ),
    ] = None,
) -> None:
    """Ingest press releases into the knowledge graph; with --watch, keep ingesting a drop folder.

    Duplicates (the same text under another name or URL) and articles already in the store are
    not extracted again; non-English articles are skipped with a warning. Exit code 1 if any
    input failed.
    """
    from kg.errors import KGError
    from kg.service.settings import Settings
    from kg.store import open_repo

    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    paths = list(paths or [])
    if not paths and watch is None:
        err.print("error: give PATH... to ingest, or --watch DIR")
        raise typer.Exit(2)
    if watch is not None and not watch.is_dir():
        err.print(f"error: {escape(str(watch))}: no such folder to watch")
        raise typer.Exit(2)

    settings = Settings()
    spec = store or settings.store
    live: ServerIngester | None = None
    repo = None
    try:
        held = held_by(spec)  # a running `edukg serve` holds the store: ingest through it
        if held is not None:
            live = connect(held, settings.api_key)
            err.print(f"edukg serve (pid {held.pid}) holds the store: sending articles to {held.url}")
        else:
            repo = open_repo(spec)
    except KGError as exc:
        err.print(f"error: {escape(locked_message(spec, exc))}")
        raise typer.Exit(2) from None

    summary = Summary()
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _raise_interrupt)  # `kill` stops as cleanly as Ctrl-C
    try:
        from cli.ingest_extractor import ingest_extractor

        ingester: Ingester | ServerIngester
        if live is not None:
            ingester = live
        else:
            assert repo is not None  # opened above when no server holds the store
            extractor = ingest_extractor(cluster, settings, err, batch_size=batch_size)
            ingester = Ingester(repo, extractor, n_process=n_process, batch_size=batch_size)
        show = err.is_terminal if progress is None else progress
        if paths:
            warn_unsupported(paths, err)
            summary.merge(run_batch(ingester, paths, err, show_progress=show))
        if watch is not None and not summary.interrupted:
            summary.merge(watch_folder(ingester, watch, interval, out, err))
            summary.interrupted = False  # Ctrl-C is how a watch ends
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous)
        (live or repo).close()  # type: ignore[union-attr]
    print_summary(summary, out, as_json=as_json, reported=True)
    if summary.interrupted:
        raise typer.Exit(130)
    raise typer.Exit(0 if summary.ok else 1)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
