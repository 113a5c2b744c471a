"""API speed: three typical queries through the /sparql endpoint vs the same on the store in-process.

Builds a synthetic edukg-shaped store on disk (bench/store_speed.py's generator), times each query
in-process (pyoxigraph: evaluate + serialise to SPARQL JSON, what the endpoint does minus HTTP and
the hop to the store process), then starts `edukg serve` on that store and measures through HTTP:
- latency: one client, sequential requests, p50 / p99;
- throughput: C concurrent clients (threads, keep-alive), requests/s.
The ratio endpoint/in-process shows what the protocol, the process hop and HTTP cost.

    python bench/api_speed.py                          # 100k quads, 300 requests per query
    python bench/api_speed.py --quads 1000000 --requests 500 --clients 16
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402
import store_speed  # noqa: E402  (the synthetic dataset generator)

# three typical questions from kg/queries: a lookup by name, a membership list, a ranking
QUERIES = ("partners_of_university", "members_of_alliance", "top_enterprise_partners")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_local(store: ox.Store, text: str) -> None:
    """What the endpoint does in the store process, minus the hop and HTTP."""
    store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)


def run_remote(client: httpx.Client, url: str, text: str) -> None:
    r = client.post(url, content=text, headers={"Content-Type": "application/sparql-query"})
    r.raise_for_status()


def latency(call: object, repeats: int, budget: float) -> list[float]:
    """Sequential timings: `repeats` calls, or fewer (at least 5) if `budget` seconds run out."""
    times: list[float] = []
    stop = time.perf_counter() + budget
    while len(times) < repeats and (len(times) < 5 or time.perf_counter() < stop):
        t = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return times


def throughput(make_call: object, total: int, clients: int) -> float:
    """Requests/s with `clients` threads, each making `total // clients` calls."""
    per_client = max(1, total // clients)
    errors: list[str] = []

    def worker() -> None:
        call = make_call()  # type: ignore[operator]
        for _ in range(per_client):
            try:
                call()
            except Exception as err:  # counted, reported below
                errors.append(str(err))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    seconds = time.perf_counter() - t
    if errors:
        raise RuntimeError(f"{len(errors)} errors, e.g. {errors[0]}")
    return per_client * clients / seconds


def build_store(path: Path, data: store_speed.Dataset) -> int:
    """Bulk-load the synthetic dataset into an on-disk store at `path` (closed again); its quad count."""
    store = ox.Store(str(path))
    store.bulk_extend(store_speed.to_ox(data.quads))
    store.optimize()
    return len(store)


def measure_local(
    path: Path, queries: list[tuple[str, str]], args: argparse.Namespace
) -> dict[str, tuple[list[float], float]]:
    """In-process latencies and requests/s per query, on the store the server will then open."""
    store = ox.Store(str(path))
    local: dict[str, tuple[list[float], float]] = {}
    for name, text in queries:
        times = latency(lambda text=text: run_local(store, text), args.requests, args.budget)
        n = min(args.requests, max(args.clients, int(args.budget / statistics.median(times))))
        rps = throughput(lambda text=text: lambda: run_local(store, text), n, args.clients)
        local[name] = (times, rps)
    return local


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quads", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per query and measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the throughput run")
    parser.add_argument("--budget", type=float, default=15.0, help="seconds per latency measurement at most")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="edukg-api-bench-"))
    server = None
    try:
        data = store_speed.generate(args.quads)
        n_quads = build_store(tmp / "store", data)
        queries = [(n, t) for n, t in store_speed.rendered_queries(data.params) if n in QUERIES]
        queries.append(("ASK {} (overhead only)", "ASK {}"))  # what the endpoint adds to any query
        print(
            f"store: {n_quads:,} quads on disk; up to {args.requests} requests per query; "
            f"{args.clients} clients",
            flush=True,
        )

        local = measure_local(tmp / "store", queries, args)

        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli.main",
                "serve",
                "--store",
                f"oxigraph:{tmp}/store",
                "--port",
                str(port),
                "--no-seed",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("server did not start")
            time.sleep(0.3)

        header = (
            f"{'query':<24} {'in-process p50':>14} {'p99':>8} {'endpoint p50':>13} {'p99':>8} "
            f"{'ratio p50':>9} {'in-proc req/s':>13} {'endpoint req/s':>14} {'ratio':>6}"
        )
        print(header)
        print("-" * len(header), flush=True)
        for name, text in queries:
            client = httpx.Client(timeout=120)
            call = lambda text=text, client=client: run_remote(client, url, text)  # noqa: E731
            latency(call, 10, args.budget)  # warm-up
            remote = latency(call, args.requests, args.budget)
            n = min(args.requests, max(args.clients, int(args.budget / statistics.median(remote))))

            def make(text: str = text) -> object:
                c = httpx.Client(timeout=120)
                return lambda: run_remote(c, url, text)

            rps = throughput(make, n, args.clients)
            client.close()
            times, local_rps = local[name]
            lp50, lp99 = statistics.median(times), percentile(times, 0.99)
            rp50, rp99 = statistics.median(remote), percentile(remote, 0.99)
            print(
                f"{name:<24} {lp50 * 1000:11.2f} ms {lp99 * 1000:5.1f} ms {rp50 * 1000:10.2f} ms "
                f"{rp99 * 1000:5.1f} ms {rp50 / lp50:8.1f}x {local_rps:13.0f} {rps:14.0f} {rps / local_rps:5.2f}x",
                flush=True,
            )
        print(
            f"req/s: {args.clients} concurrent threads in-process vs {args.clients} concurrent HTTP clients "
            "(client, server and store process share the machine's cores)"
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
