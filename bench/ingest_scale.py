"""Ingest 1k, 5k and 10k synthetic press releases; report articles/s and peak RSS for each.

Each size runs in a fresh child process (`--child`) into a fresh on-disk Oxigraph store in a
temporary directory, through the same `kg.pipeline.Ingester` that `edukg ingest` drives. The
parent samples the resident memory of the child *and its spaCy worker processes* (psutil, every
0.25 s) and reports the peak of their sum, plus the memory at each quarter of the run: if
streaming works, time grows linearly with N and memory stays flat.

    python bench/make_corpus.py 10000 --out /tmp/edukg-corpus
    python bench/ingest_scale.py --corpus /tmp/edukg-corpus --sizes 1000 5000 10000 \\
        --n-process 2 --batch-size 32 [--json results.json]

`--facts-overhead N` measures instead what keeping the fact layer (kg/facts.py) costs: the first
N releases are extracted once (cached as a pickle next to the corpus), then the same extractions
are ingested into fresh on-disk stores with and without the fact layer, alternately, `--rounds`
times each; it prints articles/s of the store writes and of the whole ingest (extraction
included) for both.

    python bench/ingest_scale.py --corpus /tmp/edukg-corpus --facts-overhead 2000 --rounds 3

`--rss-over N` follows the main process's memory over one long run, as a months-long
`edukg ingest --watch` would see it: N articles through one `Ingester` into a fresh on-disk
store, the main process's RSS (and its spaCy workers' apart) printed every `--every` articles
(1,000), and the growth per 1,000 articles after the first sample. With `--synthetic` spaCy is
replaced by exact extractions (tests/kg/kg_synthetic.py), so only kg/ and the store run, at a
few hundred articles/s; without it, the real extractor reads the corpus.

    python bench/ingest_scale.py --rss-over 20000 --synthetic
    python bench/ingest_scale.py --corpus /tmp/edukg-corpus --rss-over 3000 --every 500
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_corpus import SHARD, make_corpus  # noqa: E402

GIB = 1024**3


def tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """(RSS of the process and all its descendants, RSS of the process alone) in bytes."""
    try:
        own = proc.memory_info().rss
        total = own
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a worker may exit between list and read
                total += child.memory_info().rss
        return total, own
    except psutil.Error:
        return 0, 0


def run_child(paths: list[str], store: str, n_process: int, batch_size: int) -> None:
    """The measured work: one Ingester run; prints its summary as JSON on the last line."""
    from extract.pipeline import Extractor
    from extract.readers import estimate_articles
    from kg.pipeline import Ingester
    from kg.store import open_repo

    started = time.perf_counter()
    repo = open_repo(store)
    extractor = Extractor()
    ready = time.perf_counter()
    summary = Ingester(repo, extractor, n_process=n_process, batch_size=batch_size).run(
        paths, expected=estimate_articles(paths)
    )
    quads = len(repo)
    repo.close()
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = summary.to_json()
    out.update(
        {
            "skipped": len(summary.skipped),
            "failed": len(summary.failed),
            "first_failures": [r for _, r in summary.failed[:3]],
            "quads": quads,
            "load_seconds": ready - started,
            # CPU seconds of this process and its (joined) spaCy workers: comparable across runs
            # even when other jobs share the cores and stretch the wall-clock time
            "cpu_seconds": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
        }
    )
    print(json.dumps(out), flush=True)


def measure(
    corpus: Path, size: int, n_process: int, batch_size: int, workdir: Path, log: Path | None
) -> dict[str, object]:
    shards = [str(corpus / f"{i:04d}") for i in range(size // SHARD)]
    words = sum(len(p.read_text("utf-8").split()) for s in shards for p in Path(s).glob("*.txt"))
    store_dir = workdir / f"store-{size}"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--store",
        f"oxigraph:{store_dir}",
        "--n-process",
        str(n_process),
        "--batch-size",
        str(batch_size),
        *shards,
    ]
    samples: list[tuple[float, int, int]] = []
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    proc = psutil.Process(child.pid)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, own = tree_rss(proc)
            if total:
                samples.append((time.perf_counter() - started, total, own))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"child failed ({child.returncode}):\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    if log is not None:
        log.write_text(err)
    ingest_seconds = float(result["seconds"])
    quarters = []
    for q in (0.25, 0.5, 0.75, 1.0):
        upto = [s[1] for s in samples if s[0] <= q * wall]
        quarters.append(max(upto) / GIB if upto else 0.0)
    disk = sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file())
    shutil.rmtree(store_dir, ignore_errors=True)
    return {
        "size": size,
        "words": words,
        "ingested": result["ingested"],
        "failed": result["failed"],
        "first_failures": result["first_failures"],
        "skipped": result["skipped"],
        "quads": result["quads"],
        "wall_s": round(wall, 1),
        "ingest_s": round(ingest_seconds, 1),
        "articles_per_s": round(size / ingest_seconds, 2),
        "cpu_s": round(float(result["cpu_seconds"]), 1),
        "articles_per_cpu_s": round(size / float(result["cpu_seconds"]), 2),
        "words_per_s": round(words / ingest_seconds),
        "peak_rss_gib": round(max(s[1] for s in samples) / GIB, 3),
        "peak_main_rss_gib": round(max(s[2] for s in samples) / GIB, 3),
        "rss_by_quarter_gib": [round(x, 3) for x in quarters],
        "store_disk_mib": round(disk / 1024**2, 1),
    }


def cached_extractions(corpus: Path, n: int, n_process: int, batch_size: int) -> tuple[list, float]:
    """The first n releases and their extractions, with the seconds extraction took (cached)."""
    import pickle

    from extract.pipeline import Extractor
    from extract.readers import read_paths

    cache = corpus / f"extractions-{n}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    paths = sorted(corpus.glob("*/release-*.txt"))[:n]
    articles = [a for a in read_paths([str(p) for p in paths])]
    t0 = time.perf_counter()
    results = list(Extractor().extract_many(articles, n_process=n_process, batch_size=batch_size))
    seconds = time.perf_counter() - t0
    pairs = [(a, x) for a, x in zip(articles, results, strict=True) if not isinstance(x, Exception)]
    cache.write_bytes(pickle.dumps((pairs, seconds)))
    return pairs, seconds


def ingest_once(pairs: list, workdir: Path, *, facts: bool) -> tuple[float, int]:
    """Ingest the extractions into a fresh on-disk store; (seconds, quads). Without `facts` the
    fact-layer operations are left out of each write (bench only: the layer is then stale)."""
    import kg.ingest
    from kg.resolve import Resolver
    from kg.store import open_repo

    store_dir = workdir / ("with-facts" if facts else "without-facts")
    shutil.rmtree(store_dir, ignore_errors=True)
    keep = kg.ingest.facts_update
    if not facts:
        kg.ingest.facts_update = lambda *args, **kwargs: ""  # type: ignore[assignment]
    try:
        repo = open_repo(f"oxigraph:{store_dir}")
        resolver = Resolver.from_repo(repo)
        t0 = time.perf_counter()
        for i, (article, extraction) in enumerate(pairs, start=1):
            kg.ingest.ingest_extraction(repo, article, extraction, resolver=resolver)
            if i % 500 == 0:
                repo.flush()  # as kg.pipeline does
        repo.flush()
        seconds = time.perf_counter() - t0
        quads = len(repo)
        repo.close()
    finally:
        kg.ingest.facts_update = keep  # type: ignore[assignment]
        shutil.rmtree(store_dir, ignore_errors=True)
    return seconds, quads


def facts_overhead(args: argparse.Namespace) -> None:
    have = len(list(args.corpus.glob("*/release-*.txt"))) if args.corpus.exists() else 0
    if have < args.facts_overhead:
        make_corpus(args.facts_overhead, args.corpus, seed=args.seed)
    pairs, extract_s = cached_extractions(args.corpus, args.facts_overhead, args.n_process, args.batch_size)
    n = len(pairs)
    print(
        f"{n} articles; extraction {extract_s:.1f} s ({n / extract_s:.2f} articles/s, n_process={args.n_process})"
    )
    runs: dict[bool, list[float]] = {False: [], True: []}
    quads: dict[bool, int] = {}
    with tempfile.TemporaryDirectory(prefix="edukg-bench-") as tmp:
        for r in range(args.rounds):
            for facts in (False, True):
                seconds, quads[facts] = ingest_once(pairs, Path(tmp), facts=facts)
                runs[facts].append(seconds)
                print(
                    f"round {r + 1} {'with' if facts else 'without':7} fact layer: {seconds:7.1f} s "
                    f"{n / seconds:7.1f} articles/s, {quads[facts]:,} quads",
                    flush=True,
                )
    best = {k: min(v) for k, v in runs.items()}
    for facts in (False, True):
        label = "with" if facts else "without"
        print(
            f"{label:7} fact layer: store writes {n / best[facts]:.1f} articles/s (best of {args.rounds}); "
            f"whole ingest incl. extraction {n / (best[facts] + extract_s):.2f} articles/s"
        )
    print(
        f"overhead: store writes {best[True] / best[False] - 1:+.1%}, whole ingest "
        f"{(best[True] + extract_s) / (best[False] + extract_s) - 1:+.1%}"
    )


def rss_over(args: argparse.Namespace) -> None:
    """RSS of the main process every `args.every` articles of one run of `args.rss_over`."""
    import gc

    from bench.ingest_memory import SyntheticExtractor
    from kg import pipeline
    from kg.pipeline import Ingester
    from kg.store import open_repo

    n, every = args.rss_over, args.every
    extractor: object
    if args.synthetic:
        from tests.kg.kg_synthetic import make_article

        extractions: dict[str, object] = {}

        def synthetic(paths: object) -> object:
            for i in range(n):
                article, extraction = make_article(i)
                extractions[article.source] = extraction
                yield article

        pipeline.read_paths = synthetic  # type: ignore[assignment]  # articles without files
        extractor, paths, n_process = SyntheticExtractor(extractions), ["synthetic"], 1
    else:
        from extract.pipeline import Extractor

        have = sorted(args.corpus.glob("*/release-*.txt")) if args.corpus.exists() else []
        if len(have) < n:
            print(f"making corpus of {n} releases in {args.corpus} ...", flush=True)
            make_corpus(n, args.corpus, seed=args.seed)
            have = sorted(args.corpus.glob("*/release-*.txt"))
        extractor, paths, n_process = Extractor(), [str(p) for p in have[:n]], args.n_process
    proc = psutil.Process()
    rows: list[tuple[int, float, float, float, float]] = []
    started = time.perf_counter()
    done = 0

    peak = 0  # the window's highest main-process RSS: a long run's memory is its saw-tooth's top

    def on_event(event: object) -> None:
        nonlocal done, peak
        done += 1
        peak = max(peak, proc.memory_info().rss)
        if done % every == 0:
            gc.collect()
            total, own = tree_rss(proc)
            top, peak = max(peak, own), 0
            rows.append(
                (done, own / 1024**2, top / 1024**2, (total - own) / 1024**2, time.perf_counter() - started)
            )
            print(
                f"{done:>7,} articles  main RSS {own / 1024**2:7.1f} MiB  (window peak {top / 1024**2:7.1f})  "
                f"workers {(total - own) / 1024**2:7.1f} MiB  {time.perf_counter() - started:7.1f} s",
                flush=True,
            )

    print(
        f"rss-over {n:,} ({'synthetic extractions' if args.synthetic else f'spaCy, n_process={n_process}'})",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="edukg-rss-") as tmp:
        repo = open_repo(f"oxigraph:{tmp}/store")
        summary = Ingester(repo, extractor, n_process=n_process, batch_size=args.batch_size).run(
            paths, on_event=on_event, expected=n
        )
        quads = len(repo)
        repo.close()
    print(f"ingested {summary.ingested:,}, failed {len(summary.failed)}, {quads:,} quads", flush=True)
    if len(rows) >= 2:
        (n0, m0, p0, _, _), (n1, m1, p1, _, _) = rows[0], rows[-1]
        print(
            f"main RSS {m0:.0f} MiB at {n0:,} -> {m1:.0f} MiB at {n1:,} ({m1 / m0:.2f}x; flat = 1x), "
            f"{(m1 - m0) / (n1 - n0) * 1000:+.2f} MiB per 1,000 articles; window peak {p0:.0f} -> {p1:.0f} MiB "
            f"({p1 / p0:.2f}x); highest {max(r[2] for r in rows):.0f} MiB",
            flush=True,
        )
    if args.json:
        with args.json.open("a") as fh:
            fh.write(json.dumps({"rss_over": n, "synthetic": args.synthetic, "rows": rows}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "edukg-corpus")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="append results here as JSON lines")
    parser.add_argument("--facts-overhead", type=int, metavar="N", help="fact-layer cost on N articles")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--rss-over", type=int, metavar="N", help="main-process RSS over one run of N articles"
    )
    parser.add_argument("--every", type=int, default=1000, help="with --rss-over: articles between samples")
    parser.add_argument(
        "--synthetic", action="store_true", help="with --rss-over: exact extractions, no spaCy"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.paths, args.store, args.n_process, args.batch_size)
        return
    if args.facts_overhead:
        facts_overhead(args)
        return
    if args.rss_over:
        rss_over(args)
        return

    need = max(args.sizes)
    if any(s % SHARD for s in args.sizes):
        raise SystemExit(f"sizes must be multiples of {SHARD}")
    have = len(list(args.corpus.glob("*/release-*.txt"))) if args.corpus.exists() else 0
    if have < need:
        print(f"making corpus of {need} releases in {args.corpus} ...", flush=True)
        make_corpus(need, args.corpus, seed=args.seed)

    print(
        f"n_process={args.n_process} batch_size={args.batch_size} cores={psutil.cpu_count()} "
        f"corpus={args.corpus}",
        flush=True,
    )
    header = f"{'N':>6} {'ingest s':>9} {'art/s':>7} {'words/s':>8} {'CPU s':>8} {'art/CPU s':>9} {'peak RSS GiB':>13} {'main GiB':>9} {'RSS by quarter (GiB)':>24} {'quads':>9}"
    print(header, flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="edukg-bench-") as tmp:
        for size in args.sizes:
            row = measure(args.corpus, size, args.n_process, args.batch_size, Path(tmp), None)
            row.update({"n_process": args.n_process, "batch_size": args.batch_size})
            rows.append(row)
            quarters = " ".join(f"{q:.2f}" for q in row["rss_by_quarter_gib"])  # type: ignore[union-attr]
            print(
                f"{size:>6} {row['ingest_s']:>9} {row['articles_per_s']:>7} {row['words_per_s']:>8} "
                f"{row['cpu_s']:>8} {row['articles_per_cpu_s']:>9} "
                f"{row['peak_rss_gib']:>13} {row['peak_main_rss_gib']:>9} {quarters:>24} {row['quads']:>9}",
                flush=True,
            )
            if row["failed"]:
                print(f"   failed {row['failed']}: {row['first_failures']}", flush=True)
            if args.json:
                with args.json.open("a") as fh:
                    fh.write(json.dumps(row) + "\n")
    base = rows[0]
    for row in rows[1:]:
        n_ratio = row["size"] / base["size"]  # type: ignore[operator]
        t_ratio = row["ingest_s"] / base["ingest_s"]  # type: ignore[operator]
        c_ratio = row["cpu_s"] / base["cpu_s"]  # type: ignore[operator]
        m_ratio = row["peak_rss_gib"] / base["peak_rss_gib"]  # type: ignore[operator]
        print(
            f"{row['size']} vs {base['size']}: {n_ratio:.0f}x articles, {t_ratio:.2f}x time "
            f"(linear = {n_ratio:.0f}x), {c_ratio:.2f}x CPU time, {m_ratio:.2f}x peak RSS (flat = 1x)",
            flush=True,
        )


if __name__ == "__main__":
    main()
