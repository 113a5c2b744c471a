"""Ingest throughput: the local pipeline (spaCy with n_process=2) vs a Dask LocalCluster of 2
worker processes (`edukg ingest --cluster local:2`), on the same articles into a memory store.

    python bench/make_corpus.py 2000 --out /tmp/edukg-corpus
    python bench/ingest_cluster.py /tmp/edukg-corpus [--limit 2000] [--batch-size 32]

Both runs go through `kg.pipeline.Ingester` (reading, hashing, mapping and the per-article store
writes included, exactly as `edukg ingest` does them); only the extractor differs. The cluster
is started (and spaCy loaded in its workers) before the clock starts, as a long-lived cluster
would be; the local run's worker processes start inside its clock, as they do in `edukg ingest`.
Prints articles/s for each, the overhead ratio (local rate / cluster rate, ≤ 1.2 wanted) and the
resident memory of each cluster worker and of the client.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.pipeline import Ingester  # noqa: E402
from kg.store import open_repo  # noqa: E402
from tests.remote.remote_support import same_dataset  # noqa: E402


def corpus_paths(root: Path, limit: int) -> list[str]:
    files = sorted(root.rglob("*.txt"))[:limit]
    if len(files) < limit:
        sys.exit(f"{root} holds {len(files)} articles, fewer than --limit {limit}: run bench/make_corpus.py")
    return [str(p) for p in files]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    paths = corpus_paths(args.corpus, args.limit)

    from extract.pipeline import Extractor

    local_store = open_repo("memory")
    ingester = Ingester(local_store, Extractor(), n_process=args.workers, batch_size=args.batch_size)
    started = time.perf_counter()
    local = ingester.run(paths, expected=len(paths))
    local_s = time.perf_counter() - started
    assert local.ok and local.ingested == len(paths), local.failed[:3]
    local_rate = local.ingested / local_s
    print(
        f"local n_process={args.workers}: {local.ingested} articles in {local_s:.1f} s = {local_rate:.1f} articles/s"
    )

    from kg.cluster import open_cluster

    cluster = open_cluster(f"local:{args.workers}", batch_size=args.batch_size)
    try:
        cluster_store = open_repo("memory")
        started = time.perf_counter()
        remote = Ingester(cluster_store, cluster, batch_size=args.batch_size).run(paths, expected=len(paths))
        cluster_s = time.perf_counter() - started
        assert remote.ok and remote.ingested == len(paths), remote.failed[:3]
        cluster_rate = remote.ingested / cluster_s
        memory = cluster.worker_memory()
    finally:
        cluster.close()
    print(
        f"LocalCluster {args.workers} workers: {remote.ingested} articles in {cluster_s:.1f} s "
        f"= {cluster_rate:.1f} articles/s"
    )
    print(f"overhead ratio (local rate / cluster rate): {local_rate / cluster_rate:.2f}")
    for worker, rss in sorted(memory.items()):
        print(f"worker {worker}: RSS {rss / 2**20:.0f} MiB")
    print(
        f"client (this process, both stores in memory): RSS {psutil.Process().memory_info().rss / 2**20:.0f} MiB"
    )
    problems = same_dataset(cluster_store, local_store)
    print("same quads as the local run:", "yes" if not problems else f"NO: {problems[:3]}")


if __name__ == "__main__":
    main()
