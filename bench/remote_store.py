"""Remote SPARQL server vs embedded store: ingest and query times on the same articles and queries.

    python bench/remote_store.py [--articles 300] [--repeat 15] [--markdown /tmp/remote.md]

The seed articles are extracted once (spaCy is not what is measured); N distinct articles are
made from them by appending a numbered line (new content hash, same entities, so entity
resolution and shared labels work as in a real corpus). Each store then gets the same articles
through `kg.ingest.ingest_extraction` (what `edukg ingest` calls per article), the same queries
(the shipped kg/queries/*.rq, statistics, the network view), and a write-only pass
(`replace_graph` of the finished article graphs: one SPARQL Update request per article).

Stores: embedded Oxigraph on disk (`oxigraph:DIR`), embedded in memory (`memory`), and a real
`oxigraph serve` on disk on a free loopback port, through `oxigraph-server:URL` (HTTP, one
request per query/update, union default graph by protocol parameter).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.model import Article, Extraction  # noqa: E402
from extract.readers import read_paths  # noqa: E402
from kg.examples import list_queries  # noqa: E402
from kg.ingest import ingest_extraction  # noqa: E402
from kg.network import build_network  # noqa: E402
from kg.stats import store_stats  # noqa: E402
from kg.store import open_repo  # noqa: E402
from kg.store.base import Repo  # noqa: E402
from ontology.namespace import SPARQL_PREFIXES  # noqa: E402

EXTRA_QUERIES = {
    "count_distinct_triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "partners_by_label": "SELECT DISTINCT ?o ?l WHERE { ?s skos:prefLabel ?name . "
    "FILTER(CONTAINS(LCASE(?name), 'university')) ?s edukg:partnersWith ?o . ?o skos:prefLabel ?l }",
    "evidence_of_one_triple": "SELECT ?sentence ?a WHERE { { SELECT ?s ?o WHERE { ?s edukg:partnersWith ?o } "
    "LIMIT 1 } ?ev rdf:subject ?s ; rdf:object ?o ; edukg:sentence ?sentence ; prov:wasDerivedFrom ?a }",
    "ask_point": "ASK { ?s a edukg:University }",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("oxigraph")
    if not binary:
        sys.exit("the oxigraph binary is missing: pip install 'oxigraph>=0.5.13,<0.6'")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.post(f"{base}/query", data={"query": "ASK {}"}, timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("oxigraph serve did not start")


def make_corpus(count: int) -> list[tuple[Article, Extraction]]:
    from extract.pipeline import Extractor

    seeds = [a for a in read_paths([str(ROOT / "data" / "articles")]) if isinstance(a, Article)]
    extractions = Extractor().extract_many(seeds, n_process=1)
    pairs = [(a, e) for a, e in zip(seeds, extractions, strict=True) if isinstance(e, Extraction)]
    out = []
    for i in range(count):
        article, extraction = pairs[i % len(pairs)]
        source = f"bench/{i:05d}.txt"
        text = article.text.rstrip() + f"\n\nThis is release number {i} of the series.\n"
        out.append((replace(article, text=text, source=source), replace(extraction, article=source)))
    return out


def p50(fn: Callable[[], object], repeat: int, budget: float = 10.0) -> float:
    """Median time of `repeat` runs after a warm-up; slow queries get fewer runs (≈ `budget` s)."""
    started = time.perf_counter()
    fn()  # warm-up (caches, connections)
    warm = time.perf_counter() - started
    times = []
    for _ in range(max(1, min(repeat, int(budget / max(warm, 1e-9))))):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def article_graphs(repo: Repo) -> list[tuple[str, object]]:
    rows = repo.query(SPARQL_PREFIXES + "SELECT ?a WHERE { GRAPH ?a { ?a a edukg:Article } }").rows
    out = []
    for row in rows:
        iri = str(row["a"])
        graph = repo.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}").graph
        out.append((iri, graph))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--markdown", type=Path, help="also write the results as a Markdown section here")
    args = parser.parse_args()

    print(f"extracting seed articles and making {args.articles} articles ...", flush=True)
    corpus = make_corpus(args.articles)
    tmp = Path(tempfile.mkdtemp(prefix="edukg-bench-remote-"))
    server, base = start_server(tmp / "server")
    stores: dict[str, Repo] = {}
    try:
        stores = {
            "embedded disk": open_repo(f"oxigraph:{tmp / 'embedded'}"),
            "embedded memory": open_repo("memory"),
            "remote server": open_repo(f"oxigraph-server:{base}"),
        }
        ingest: dict[str, float] = {}
        for name, repo in stores.items():
            started = time.perf_counter()
            for article, extraction in corpus:
                ingest_extraction(repo, article, extraction)
            ingest[name] = time.perf_counter() - started
            print(
                f"ingest {name}: {ingest[name]:.2f} s ({args.articles / ingest[name]:.1f} articles/s)",
                flush=True,
            )
        quads = {name: len(repo) for name, repo in stores.items()}
        assert len(set(quads.values())) == 1, f"stores differ after ingest: {quads}"

        queries: dict[str, Callable[[Repo], object]] = {}
        for named in list_queries():
            queries[named.name] = lambda r, q=named.text: r.query(q)
        for qname, text in EXTRA_QUERIES.items():
            queries[qname] = lambda r, q=SPARQL_PREFIXES + text: r.query(q)
        queries["store_stats (8 queries)"] = store_stats
        queries["build_network (whole graph)"] = build_network
        timings: dict[str, dict[str, float]] = {}
        for qname, fn in queries.items():
            timings[qname] = {
                name: p50(lambda f=fn, r=repo: f(r), args.repeat) for name, repo in stores.items()
            }
            print(
                f"query {qname}: " + ", ".join(f"{n} {t * 1000:.2f} ms" for n, t in timings[qname].items()),
                flush=True,
            )

        graphs = article_graphs(stores["embedded memory"])
        writes: dict[str, float] = {}
        for name, repo in stores.items():
            started = time.perf_counter()
            for i, (_, graph) in enumerate(graphs):
                repo.replace_graph(f"urn:bench:copy:{i}", graph)  # type: ignore[arg-type]
            writes[name] = time.perf_counter() - started
        triples = sum(len(g) for _, g in graphs)  # type: ignore[arg-type]
    finally:
        for repo in stores.values():
            repo.close()
        server.kill()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    names = list(stores)
    lines = [
        f"Corpus: {args.articles} articles ({quads[names[0]]:,} quads after ingest), "
        f"query p50 over {args.repeat} runs after one warm-up (fewer for queries over 10 s in all). Remote = `oxigraph serve` 0.5 on disk, "
        "same machine, loopback HTTP.",
        "",
        "| step | " + " | ".join(names) + " | remote / embedded disk |",
        "|---|" + "---:|" * (len(names) + 1),
    ]
    remote, disk = "remote server", "embedded disk"
    lines.append(
        "| ingest (`ingest_extraction`, articles/s) | "
        + " | ".join(f"{args.articles / ingest[n]:.1f}" for n in names)
        + f" | {ingest[remote] / ingest[disk]:.2f}× time |"
    )
    lines.append(
        f"| write only (`replace_graph`, {len(graphs)} graphs, {triples:,} triples; graphs/s) | "
        + " | ".join(f"{len(graphs) / writes[n]:.0f}" for n in names)
        + f" | {writes[remote] / writes[disk]:.2f}× time |"
    )
    for qname, per_store in timings.items():
        lines.append(
            f"| query `{qname}` (ms) | "
            + " | ".join(f"{per_store[n] * 1000:.2f}" for n in names)
            + f" | {per_store[remote] / per_store[disk]:.2f}× |"
        )
    table = "\n".join(lines)
    print()
    print(table)
    if args.markdown:
        command = "python bench/remote_store.py " + " ".join(sys.argv[1:])
        args.markdown.write_text(
            "## Remote SPARQL server vs embedded store\n\n"
            f"Command: `{command}` (2-core machine shared with other jobs; absolute times are noisy,\n"
            "ratios hold).\n\n" + table + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
