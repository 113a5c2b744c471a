"""Extraction throughput: full edukg extraction vs bare spaCy `nlp.pipe` on the same texts.

    python bench/extract_speed.py [--articles 2000] [--n-process 1] [--batch-size 32] [--corpus DIR]

Texts are the seed articles (or the .txt files of --corpus) cycled to --articles articles.
Prints words/s of each and their ratio (goal: full / bare >= 0.8): the cost of edukg's own
components, reference resolution and checks on top of the model. Also prints the process's peak
resident memory after each run (`getrusage` ru_maxrss: the peak so far, so the second figure
covers both pipelines loaded at once), since streaming is meant to keep memory flat.

With `--n-process 1` it also prints the CPU seconds each run used (`time.process_time`, all
threads of this process) and their ratio: on a machine shared with other jobs the wall-clock
ratio moves with the neighbours' load, the CPU ratio much less.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sys
import time
from pathlib import Path

from extract.model import Article

ROOT = Path(__file__).resolve().parent.parent


def texts(corpus: Path, n: int) -> list[str]:
    files = sorted(corpus.rglob("*.txt"))
    base = [f.read_text(encoding="utf-8") for f in files]
    return list(itertools.islice(itertools.cycle(base), n))


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "articles")
    args = ap.parse_args()

    from extract.nlp import load_nlp
    from extract.pipeline import Extractor

    docs = texts(args.corpus, args.articles)
    words = sum(len(t.split()) for t in docs)
    print(f"{len(docs)} articles, {words:,} words, n_process={args.n_process}, batch_size={args.batch_size}")

    bare = load_nlp(with_components=False)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in bare.pipe(docs, n_process=args.n_process, batch_size=args.batch_size):
        pass
    bare_s, bare_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"bare nlp.pipe      {words / bare_s:10,.0f} words/s  ({bare_s:.1f} s, {bare_cpu:.1f} CPU s, "
        f"peak RSS {peak_rss_mib():,.0f} MiB)"
    )

    extractor = Extractor()
    arts = (Article(text=t, source=f"bench-{i}") for i, t in enumerate(docs))
    t0, c0 = time.perf_counter(), time.process_time()
    n_rel = 0
    for result in extractor.extract_many(arts, n_process=args.n_process, batch_size=args.batch_size):
        n_rel += len(getattr(result, "relations", []))
    full_s, full_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"full extraction    {words / full_s:10,.0f} words/s  ({full_s:.1f} s, {full_cpu:.1f} CPU s, "
        f"{n_rel:,} relations, peak RSS {peak_rss_mib():,.0f} MiB)"
    )
    print(f"ratio full / bare  {bare_s / full_s:10.2f}  (goal >= 0.80)")
    if args.n_process == 1:
        print(f"CPU ratio          {bare_cpu / full_cpu:10.2f}  (bare CPU s / full CPU s)")


if __name__ == "__main__":
    main()
