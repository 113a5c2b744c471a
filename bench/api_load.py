"""API under load: requests/s and p99 with wrk beside Oxigraph's own server, and slow queries vs /health.

Two questions a group running edukg for others asks, measured on one synthetic store
(bench/store_speed.py's generator) copied twice so each server has its own RocksDB directory:

1. throughput — `ASK {}` (what the endpoint adds to any query) and a one-row label look-up, at
   1, 8 and 32 keep-alive connections, with wrk (a C load generator: a Python client would be the
   bottleneck), for `edukg serve` and for `oxigraph serve --union-default-graph` on the same data.
   Each query twice: *cached*, the same text on every request (edukg answers it from its result
   cache, api/result_cache.py), and *uncached*, a comment with a running number appended so
   no two requests are the same text and every one goes to the store;
2. slow queries — 32 clients each send a query that runs past the time limit while a probe asks
   /health every 200 ms: probe p50/p99/max, probe failures, store-process restarts, and how each
   slow query ended (status, seconds).

    python bench/api_load.py                      # 100k quads, 10 s per wrk run, 5 s time limit
    python bench/api_load.py --quads 1000000 --duration 20

Needs `wrk` (Debian: apt-get install wrk) and the `oxigraph` command (pip install oxigraph).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import store_speed  # noqa: E402  (the synthetic dataset generator)
from api_speed import build_store, free_port, percentile  # noqa: E402

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# every triple of the store joined with itself twice: far past any time limit on 100k quads
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
WRK_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/sparql-query"
wrk.headers["Accept"] = "application/sparql-results+json"
wrk.body = [==[{query}]==]
"""
# every request a different text (same query, a numbered comment): no cache can answer it
WRK_VARY_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/sparql-query"
wrk.headers["Accept"] = "application/sparql-results+json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, [==[{query}]==] .. "\n# " .. n)
end
"""


def wait_up(url: str, proc: subprocess.Popen[bytes], limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit(f"server at {url} did not start")
        time.sleep(0.3)


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def wrk(
    url: str, query: str, connections: int, seconds: float, scripts: Path, *, vary: bool = False
) -> dict[str, float]:
    """One wrk run: requests/s, p50/p99 latency in ms and the count of non-2xx answers; `vary`
    makes every request's text different (the uncached case)."""
    script = scripts / f"q{abs(hash(query))}{'-vary' if vary else ''}.lua"
    script.write_text((WRK_VARY_SCRIPT if vary else WRK_SCRIPT).format(query=query))
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def ms(pct: str) -> float:
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "non2xx": float(bad.group(1)) if bad else 0.0,
        "socket_errors": 1.0 if errors else 0.0,
    }


def slow_scenario(base: str, clients: int, timeout: float) -> None:
    """`clients` slow queries at once and a /health probe every 200 ms until they have all ended."""
    ended: list[tuple[int, float]] = []
    probes: list[tuple[int, float]] = []
    done = threading.Event()

    def slow() -> None:
        t0 = time.monotonic()
        try:
            r = httpx.post(
                f"{base}/sparql",
                content=SLOW_QUERY,
                timeout=timeout * 6,
                headers={"Content-Type": "application/sparql-query"},
            )
            ended.append((r.status_code, time.monotonic() - t0))
        except httpx.HTTPError:
            ended.append((0, time.monotonic() - t0))

    def probe() -> None:
        while not done.is_set():
            t0 = time.monotonic()
            try:
                code = httpx.get(f"{base}/health", timeout=10).status_code
            except httpx.HTTPError:
                code = 0
            probes.append((code, time.monotonic() - t0))
            done.wait(max(0.0, 0.2 - (time.monotonic() - t0)))

    before = httpx.get(f"{base}/health", timeout=10).json().get("store", {})
    prober = threading.Thread(target=probe)
    prober.start()
    workers = [threading.Thread(target=slow) for _ in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    done.set()
    prober.join()
    after = httpx.get(f"{base}/health", timeout=10).json().get("store", {})
    lat = [t * 1000 for _, t in probes]
    failed = sum(1 for code, _ in probes if code != 200)
    codes: dict[int, int] = {}
    for code, _ in ended:
        codes[code] = codes.get(code, 0) + 1
    secs = [t for _, t in ended]
    print(f"\n{clients} slow queries (time limit {timeout:g} s) + /health every 200 ms:")
    print(
        f"  probes: {len(probes)}, p50 {statistics.median(lat):.1f} ms, p99 {percentile(lat, 0.99):.1f} ms, "
        f"max {max(lat):.1f} ms, not 200: {failed}"
    )
    print(
        f"  store-process restarts during the run: {after.get('restarts', 0) - before.get('restarts', 0)}"
        f" (pid {before.get('pid')} -> {after.get('pid')})"
    )
    print(f"  slow queries ended with status {codes}, after {min(secs):.1f}–{max(secs):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quads", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--timeout", type=float, default=5.0, help="edukg serve's query time limit, seconds")
    parser.add_argument("--slow-clients", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    tmp = Path(tempfile.mkdtemp(prefix="edukg-api-load-"))
    edukg = oxi = None
    try:
        data = store_speed.generate(args.quads)
        n_quads = build_store(tmp / "edukg", data)
        subject = next(s for s, p, _, _ in data.quads if p == RDFS_LABEL)
        shutil.copytree(tmp / "edukg", tmp / "oxigraph")
        lookup = f"SELECT ?label WHERE {{ <{subject}> <{RDFS_LABEL}> ?label }} LIMIT 1"

        port, oport = free_port(), free_port()
        edukg = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli.main",
                "serve",
                "--store",
                f"oxigraph:{tmp}/edukg",
                "--port",
                str(port),
                "--no-seed",
                "--log-level",
                "warning",
                "--timeout",
                f"{args.timeout:g}",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        oxi = subprocess.Popen(
            [
                "oxigraph",
                "serve",
                "--location",
                str(tmp / "oxigraph"),
                "--bind",
                f"127.0.0.1:{oport}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base, obase = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{oport}"
        wait_up(f"{base}/health", edukg)
        wait_up(f"{obase}/", oxi)
        print(f"store: {n_quads:,} quads; wrk {args.duration:g} s per run; POST application/sparql-query")
        header = (
            f"{'query':<14} {'cache':<8} {'clients':>7} | {'edukg req/s':>11} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'errors':>6} | {'oxigraph req/s':>14} {'p50 ms':>7} {'p99 ms':>7} | {'ratio':>6}"
        )
        print(header)
        print("-" * len(header), flush=True)
        for name, query in (("ASK {}", "ASK {}"), ("label lookup", lookup)):
            for vary in (False, True):
                for clients in (1, 8, 32):
                    e = wrk(f"{base}/sparql", query, clients, args.duration, tmp, vary=vary)
                    o = wrk(f"{obase}/query", query, clients, args.duration, tmp, vary=vary)
                    print(
                        f"{name:<14} {'uncached' if vary else 'cached':<8} {clients:>7} | {e['rps']:>11.0f} "
                        f"{e['p50']:>7.2f} {e['p99']:>7.2f} {e['non2xx'] + e['socket_errors']:>6.0f} | "
                        f"{o['rps']:>14.0f} {o['p50']:>7.2f} {o['p99']:>7.2f} | {e['rps'] / o['rps']:>5.2f}x",
                        flush=True,
                    )
        stop(oxi)
        oxi = None
        slow_scenario(base, args.slow_clients, args.timeout)
    finally:
        stop(edukg)
        stop(oxi)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
