"""Memory of the ingest main process over many articles, with spaCy taken out of the picture.

bench/ingest_scale.py measures the whole `edukg ingest` (spaCy included) at ~8 articles/s, so
20k articles take most of an hour; the growth it showed is in the main process, which does the
kg/ side: duplicate checks, entity resolution, mapping, label upkeep and the store writes. This
bench drives the same `kg.pipeline.Ingester` into a fresh on-disk Oxigraph store with articles
and exact extractions from tests/kg/kg_synthetic.py (a stand-in extractor returns them), so
every byte it measures is kg/'s, at a few hundred articles/s. It prints the process RSS after
every `--every` articles and the sizes of the structures that live for the whole run.

    python bench/ingest_memory.py --articles 20000 --every 2000 [--json out.json]

With `--spacy CORPUS` (files from bench/make_corpus.py) the real extractor runs instead, to
measure what spaCy's vocab adds in the main process; `--zone N` sets the Ingester's memory-zone
chunk (0 = none, the behaviour before zones):

    python bench/make_corpus.py 2000 --out /tmp/edukg-corpus
    python bench/ingest_memory.py --spacy /tmp/edukg-corpus --articles 2000 --every 250 --zone 500
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024**2


class SyntheticExtractor:
    """Returns the exact extraction tests/kg/kg_synthetic.py made for each article."""

    def __init__(self, extractions: dict[str, Any]) -> None:
        self.extractions = extractions

    def extract_many(
        self, articles: Iterable[Any], *, n_process: int = 1, batch_size: int = 32
    ) -> Iterator[Any]:
        for article in articles:
            yield self.extractions.pop(article.source)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--every", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--spacy", type=Path, help="corpus folder: run the real extractor on its files")
    parser.add_argument("--zone", type=int, default=None, help="articles per spaCy memory zone (0: none)")
    parser.add_argument("--n-process", type=int, default=2)
    args = parser.parse_args()

    import kg.pipeline
    from kg.pipeline import Ingester
    from kg.store import open_repo
    from tests.kg.kg_synthetic import make_article

    extractions: dict[str, Any] = {}

    def synthetic(paths: Iterable[str]) -> Iterator[Any]:
        for i in range(args.articles):
            article, extraction = make_article(i)
            extractions[article.source] = extraction
            yield article

    extractor: Any = SyntheticExtractor(extractions)
    paths = ["synthetic"]
    if args.spacy is None:
        kg.pipeline.read_paths = synthetic  # type: ignore[assignment]  # articles without files or readers
    else:
        from extract.pipeline import Extractor

        extractor = Extractor()
        paths = [str(p) for p in sorted(args.spacy.rglob("*.txt"))[: args.articles]]
    strings = extractor.nlp.vocab.strings if args.spacy is not None else None
    proc = psutil.Process()
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="edukg-mem-") as tmp:
        repo = open_repo(f"oxigraph:{tmp}/store")
        ingester = Ingester(repo, extractor, n_process=args.n_process if args.spacy else 1)
        if args.zone is not None:
            ingester.zone_articles = args.zone
        started = time.perf_counter()
        done = 0

        def on_event(event: Any) -> None:
            nonlocal done
            done += 1
            if done % args.every == 0:
                gc.collect()
                rss = proc.memory_info().rss / MIB
                n_strings = len(strings) if strings is not None else 0
                rows.append(
                    {
                        "articles": done,
                        "rss_mib": round(rss, 1),
                        "strings": n_strings,
                        "seconds": round(time.perf_counter() - started, 1),
                    }
                )
                print(
                    f"{done:>7,} articles  RSS {rss:7.1f} MiB  strings {n_strings:>9,}  "
                    f"{time.perf_counter() - started:7.1f} s",
                    flush=True,
                )

        summary = ingester.run(paths, on_event=on_event, expected=args.articles)
        repo.close()
    first, last = rows[0], rows[-1]
    growth = (last["rss_mib"] - first["rss_mib"]) / max(1, last["articles"] - first["articles"]) * 1000
    print(
        f"ingested {summary.ingested:,}, failed {len(summary.failed)}; RSS growth after the first "
        f"{first['articles']:,} articles: {growth:.2f} MiB per 1,000 articles"
    )
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "growth_mib_per_1000": round(growth, 2)}, indent=1))


if __name__ == "__main__":
    main()
