"""Virtuoso 7 vs the embedded store: the shipped example queries (kg/queries/*.rq) on the same data.

    python bench/virtuoso_queries.py [--articles 500] [--repeat 15]

Starts a real `virtuoso-t` (Debian's virtuoso-opensource, the packaged ini with its database in a
temporary directory and both ports on free loopback ports, as the tests do), fills it and an
embedded in-memory Oxigraph store with the same N articles through `kg.ingest.ingest_extraction`
(what `edukg ingest` calls per article; the seed articles extracted once and made distinct by a
numbered closing line), checks both hold the same quads and give the same answers, then prints
each query's p50 on both stores and the ratio. Virtuoso is reached over HTTP (one request per
query, its dialect's pragmas included), the embedded store in-process, so the ratio includes
the protocol's cost, as a deployment would pay it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from remote_store import make_corpus, p50  # noqa: E402

from kg.examples import list_queries  # noqa: E402
from kg.ingest import ingest_extraction  # noqa: E402
from kg.store import open_repo  # noqa: E402
from tests.remote.remote_support import result_bag, same_dataset  # noqa: E402
from tests.remote.virtuoso_support import SKIP_REASON, VirtuosoServer, available  # noqa: E402

GROUP_SEPS = (" | ", "; ", " / ")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if not available():
        sys.exit(SKIP_REASON)

    corpus = make_corpus(args.articles)
    with tempfile.TemporaryDirectory(prefix="edukg-virtuoso-") as tmp:
        server = VirtuosoServer(Path(tmp))
        server.start()
        try:
            os.environ.update(server.env)
            virtuoso = open_repo(server.spec + ",timeout=300")
            embedded = open_repo("memory")
            for name, repo in (("embedded", embedded), ("virtuoso", virtuoso)):
                started = time.perf_counter()
                for article, extraction in corpus:
                    ingest_extraction(repo, article, extraction)
                seconds = time.perf_counter() - started
                print(
                    f"ingest {len(corpus)} articles into {name}: {seconds:.1f} s ({len(corpus) / seconds:.1f} articles/s)"
                )
            problems = same_dataset(virtuoso, embedded)
            print(
                f"quads: {len(embedded)}; same quads on both:",
                "yes" if not problems else f"NO {problems[:3]}",
            )

            print("\n| query | embedded p50 | Virtuoso p50 | ratio | same answer |")
            print("|---|---:|---:|---:|---|")
            for named in list_queries():
                same = result_bag(virtuoso.query(named.text), concat_sep=GROUP_SEPS) == result_bag(
                    embedded.query(named.text), concat_sep=GROUP_SEPS
                )
                left = p50(lambda q=named.text: embedded.query(q), args.repeat)
                right = p50(lambda q=named.text: virtuoso.query(q), args.repeat)
                print(
                    f"| {named.name} | {left * 1000:.1f} ms | {right * 1000:.1f} ms | {right / left:.1f}× | "
                    f"{'yes' if same else 'NO'} |"
                )
        finally:
            server.stop(signal.SIGTERM)


if __name__ == "__main__":
    main()
