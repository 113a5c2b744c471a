"""`edukg ingest --cluster`: extraction on a REAL Dask LocalCluster (2 worker processes).

- the cluster gives exactly the graph the local pipeline gives (same named graphs, each
  isomorphic, same quad count), with spaCy loaded once per worker and both workers used;
- a worker SIGKILLed mid-run (with the scheduler allowed no retry, so its batches fail rather
  than move) leaves only whole articles, its articles are reported failed, and running the batch
  again completes the set; with Dask's default retries nothing is lost in the first place.
- the CLI: `--cluster local:2` prints the usual summary; an unreachable scheduler is one line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import dask
import pytest

from extract.model import Article, Extraction
from extract.readers import read_paths
from kg.cluster import PLUGIN_NAME, ClusterExtractor, open_cluster
from kg.ingest import ingest_extraction
from kg.pipeline import Event, Ingester
from kg.store import open_repo
from kg.store.base import Repo
from tests.remote.remote_support import REPO_ROOT, free_port, same_dataset

pytestmark = pytest.mark.slow

N_ARTICLES = 56


@pytest.fixture(scope="module")
def articles_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N synthetic press releases from bench/make_corpus.py (seeded, so the same every run)."""
    out = tmp_path_factory.mktemp("cluster-corpus")
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "make_corpus.py"), str(N_ARTICLES), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    assert len(list(out.rglob("*.txt"))) == N_ARTICLES
    return out


@pytest.fixture(scope="module")
def extractions(articles_dir: Path, extractor) -> dict[str, tuple[Article, Extraction]]:
    """Each article's local extraction, by source (the reference for every order of ingest)."""
    articles = [a for a in read_paths([str(articles_dir)]) if isinstance(a, Article)]
    results = extractor.extract_many(articles, n_process=1, batch_size=16)
    return {a.source: (a, e) for a, e in zip(articles, results, strict=True) if isinstance(e, Extraction)}


def reference(extractions: dict[str, tuple[Article, Extraction]], sources: list[str]) -> Repo:
    """An embedded store holding these articles, ingested in this order by the local code."""
    repo = open_repo("memory")
    for source in sources:
        article, extraction = extractions[source]
        ingest_extraction(repo, article, extraction)
    return repo


def ingested_sources(events: list[Event]) -> list[str]:
    return [e.source for e in events if e.status in ("ingested", "replaced")]


def test_cluster_gives_the_local_graph(articles_dir: Path, extractions, extractor) -> None:
    local = open_repo("memory")
    summary = Ingester(local, extractor, n_process=1, batch_size=8).run([str(articles_dir)])
    assert summary.ok and summary.ingested == N_ARTICLES == len(extractions)

    cluster = open_cluster("local:2", batch_size=8)
    try:
        assert isinstance(cluster, ClusterExtractor) and cluster.workers == 2
        remote_events: list[Event] = []
        store = open_repo("memory")
        summary = Ingester(store, cluster, batch_size=8).run(
            [str(articles_dir)], on_event=remote_events.append
        )
        assert summary.ok, summary.failed
        assert summary.ingested == N_ARTICLES
        assert same_dataset(store, local) == []  # exactly the same quads
        # duplicates and known articles are never shipped: a second run sends nothing
        again = Ingester(store, cluster, batch_size=8).run([str(articles_dir)])
        assert again.unchanged == N_ARTICLES and again.ingested == 0

        def plugin_counts(dask_worker) -> tuple[int, int]:  # type: ignore[no-untyped-def]
            plugin = dask_worker.plugins[PLUGIN_NAME]
            return plugin.loads, plugin.batches

        counts = cluster.client.run(plugin_counts)
        assert sorted(loads for loads, _ in counts.values()) == [1, 1]  # spaCy loaded once per worker
        assert all(batches >= 1 for _, batches in counts.values())  # both workers extracted
        assert sum(batches for _, batches in counts.values()) == N_ARTICLES // 8
    finally:
        cluster.close()


def test_worker_killed_mid_run(articles_dir: Path, extractions) -> None:
    """No retry allowed: the dead worker's batches are reported failed, never half-written."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = open_cluster("local:2", batch_size=4)
    try:
        pids = cluster.client.run(os.getpid)
        victim = next(iter(pids.values()))
        events: list[Event] = []

        def on_event(event: Event) -> None:
            events.append(event)
            if len(events) == 8:  # mid-run: batches are in flight on both workers
                os.kill(victim, signal.SIGKILL)

        store = open_repo("memory")
        first = Ingester(store, cluster, batch_size=4).run([str(articles_dir)], on_event=on_event)
        assert first.failed, "the killed worker held no batch"
        assert all("workers died" in reason for _, reason in first.failed), first.failed
        assert first.ingested + len(first.failed) == N_ARTICLES
        done = ingested_sources(events)
        assert same_dataset(store, reference(extractions, done)) == []  # whole articles only

        rerun_events: list[Event] = []
        rerun = Ingester(store, cluster, batch_size=4).run([str(articles_dir)], on_event=rerun_events.append)
        assert rerun.ok and rerun.ingested == len(first.failed) and rerun.unchanged == first.ingested
        assert same_dataset(store, reference(extractions, done + ingested_sources(rerun_events))) == []
        assert len(cluster.client.run(os.getpid)) == 2  # the nanny restarted the worker
    finally:
        cluster.close()


def test_cli_cluster_option(articles_dir: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUKG_")}
    edukg = [sys.executable, "-m", "cli.main", "ingest", "--store", "memory", "--no-progress"]
    port = free_port()  # nobody listens here
    result = subprocess.run(
        [*edukg, str(articles_dir)],
        capture_output=True,
        text=True,
        env={**env, "EDUKG_DASK_SCHEDULER": f"tcp://127.0.0.1:{port}"},
        cwd=str(REPO_ROOT),
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "
    )
    result = subprocess.run(
        [*edukg, "--cluster", "local:2", "--json", str(articles_dir)],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(REPO_ROOT),
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["ingested"] == N_ARTICLES
    assert "extracting on the Dask cluster local:2 (2 workers)" in result.stderr
