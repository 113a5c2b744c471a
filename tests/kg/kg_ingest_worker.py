"""Subprocess for the crash test: ingest synthetic articles into an on-disk store, one line of
output per finished article, so the test can SIGKILL it midway."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg_synthetic import make_article  # noqa: E402

from kg.ingest import ingest_extraction  # noqa: E402
from kg.resolve import Resolver  # noqa: E402
from kg.store.oxigraph import OxigraphRepo  # noqa: E402


def main() -> None:
    store, count, relations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    repo = OxigraphRepo(store)
    resolver = Resolver.from_repo(repo)
    for i in range(count):
        article, extraction = make_article(i, relations=relations)
        outcome = ingest_extraction(repo, article, extraction, resolver=resolver)
        print(f"{i} {outcome.status}", flush=True)
    repo.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()
