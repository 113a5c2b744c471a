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

QUERIES = ("partners_of_university", "members_of_alliance", "triple_provenance")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def in_process(path: Path, queries: list[tuple[str, str]], repeats: int) -> dict[str, list[float]]:
    store = ox.Store(str(path))
    out: dict[str, list[float]] = {}
    for name, text in queries:
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)
            times.append(time.perf_counter() - t)
        out[name] = times
    del store
    return out


def latency(url: str, text: str, repeats: int) -> list[float]:
    times = []
    with httpx.Client(timeout=60) as c:
        for _ in range(repeats):
            t = time.perf_counter()
            r = c.post(url, content=text, headers={"Content-Type": "application/sparql-query"})
            times.append(time.perf_counter() - t)
            r.raise_for_status()
    return times


def throughput(url: str, text: str, total: int, clients: int) -> float:
    per_client = max(1, total // clients)
    errors: list[str] = []

    def worker() -> None:
        with httpx.Client(timeout=60) as c:
            for _ in range(per_client):
                r = c.post(url, content=text, headers={"Content-Type": "application/sparql-query"})
                if r.status_code != 200:
                    errors.append(r.text)

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quads", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per query and measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the throughput run")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="edukg-api-bench-"))
    server = None
    try:
        data = store_speed.generate(args.quads)
        store = ox.Store(str(tmp / "store"))
        store.bulk_extend(store_speed.to_ox(data.quads))
        store.optimize()
        n_quads = len(store)
        del store
        queries = [(n, t) for n, t in store_speed.rendered_queries(data.params) if n in QUERIES]
        print(f"store: {n_quads:,} quads on disk; {args.requests} requests per query; {args.clients} clients")

        local = in_process(tmp / "store", queries, args.requests)

        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        server = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--store", f"oxigraph:{tmp}/store", "--port", str(port),
             "--no-seed", "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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

        header = (f"{'query':<24} {'in-process p50':>14} {'p99':>8} {'endpoint p50':>13} {'p99':>8} "
                  f"{'ratio p50':>9} {'in-proc req/s':>13} {'endpoint req/s':>14} {'ratio':>6}")
        print(header)
        print("-" * len(header))
        for name, text in queries:
            latency(url, text, 20)  # warm-up
            remote = latency(url, text, args.requests)
            rps = throughput(url, text, args.requests, args.clients)
            lp50, lp99 = statistics.median(local[name]), percentile(local[name], 0.99)
            rp50, rp99 = statistics.median(remote), percentile(remote, 0.99)
            local_rps = 1 / lp50
            print(f"{name:<24} {lp50 * 1000:11.2f} ms {lp99 * 1000:5.2f} ms {rp50 * 1000:10.2f} ms "
                  f"{rp99 * 1000:5.2f} ms {rp50 / lp50:8.1f}x {local_rps:13.0f} {rps:14.0f} {rps / local_rps:5.2f}x")
        print("in-process req/s = 1 / p50 on one thread; endpoint req/s with "
              f"{args.clients} concurrent clients (client, server and store share the cores)")
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
