"""The extractor `edukg ingest` runs: spaCy in this process (and its worker processes), or on a
Dask cluster when `--cluster` / EDUKG_DASK_SCHEDULER names one (kg/cluster.py).

Kept out of cli/cmd_ingest.py so the command only gains an option and one call.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from kg.service.settings import Settings


def ingest_extractor(cluster: str | None, settings: Settings, err: Console, *, batch_size: int) -> Any:
    """An `Extractor`, or a `ClusterExtractor` on the cluster given (the option wins over the
    environment); a cluster that cannot be reached is one line on stderr and exit code 2."""
    address = cluster or settings.dask_scheduler
    if not address:
        from extract.pipeline import Extractor

        return Extractor(max_chars=settings.max_article_chars)
    from kg.cluster import ClusterError, open_cluster

    try:
        extractor = open_cluster(address, max_chars=settings.max_article_chars, batch_size=batch_size)
    except ClusterError as exc:
        err.print(f"error: {escape(exc.message)}")
        raise typer.Exit(2) from None
    err.print(f"extracting on the Dask cluster {escape(address)} ({extractor.workers} workers)")
    return extractor
