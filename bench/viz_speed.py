"""How long it takes to build an edukg graph page for 100, 1,000 and 5,000 nodes.

Synthetic graphs shaped like kg.network's output (scale-free, ~2 relations per entity, every
type and relation, one evidence sentence per edge) are rendered by kg.viz.render_page with the
node cap lifted, so the figure is the cost of pyvis + template + inlined vis-network for that
many nodes. Also reports the default-capped page (500 nodes) and the page size.

    python bench/viz_speed.py [--sizes 100,1000,5000] [--repeat 3] [--browser]

With --browser it also opens each uncapped page from file:// in headless Chromium
(/usr/bin/chromium, Playwright) and times it until vis-network's bounded layout is done and
the picture is drawn (<body data-drawn="1">): what a reader waits for.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract.model import ENTITY_TYPES, RELATIONS  # noqa: E402
from kg.viz import DEFAULT_MAX_NODES, render_page  # noqa: E402

ID = "https://w3id.org/edukg/id/"


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A scale-free graph of `n` entities with kg.network's node and edge attributes."""
    rnd = random.Random(seed)
    skeleton = nx.barabasi_albert_graph(n, 2, seed=seed) if n > 2 else nx.path_graph(n)
    g = nx.MultiDiGraph()
    names = {}
    for i in skeleton.nodes:
        t = rnd.choice(ENTITY_TYPES)
        iri = f"{ID}{t.lower()}/entity-{i}"
        names[i] = iri
        g.add_node(
            iri,
            label=f"{t} {i}",
            type=t,
            types=[t],
            aliases=[f"E{i}", f"Entity number {i}"],
            articles=[f"https://w3id.org/edukg/article/{i % 97:016x}"],
        )
    for a, b in skeleton.edges:
        rel = rnd.choice(RELATIONS)
        u, v = names[a], names[b]
        if rel == "partnersWith" and v < u:
            u, v = v, u
        ev = [
            {
                "sentence": f"{g.nodes[u]['label']} and {g.nodes[v]['label']} signed an agreement on joint training.",
                "confidence": 0.8,
                "article": "https://w3id.org/edukg/article/0000000000000001",
                "title": "A synthetic press release",
            }
        ]
        g.add_edge(
            u,
            v,
            key=rel,
            relation=rel,
            symmetric=rel == "partnersWith",
            evidence=ev,
            articles=[ev[0]["article"]],
            titles=[ev[0]["title"]],
        )
    for node, deg in g.degree():
        g.nodes[node]["degree"] = deg
    g.graph["filter"] = f"synthetic graph of {n} entities"
    return g


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def browser_seconds(pages: list[tuple[int, str]]) -> dict[int, float]:
    """Seconds from navigation to a settled drawing, per page, in headless Chromium."""
    import tempfile

    from playwright.sync_api import sync_playwright

    out: dict[int, float] = {}
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for n, html in pages:
            path = Path(tmp) / f"g{n}.html"
            path.write_text(html, encoding="utf-8")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-drawn='1']", timeout=600_000)
            out[n] = time.perf_counter() - t0
            page.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--browser", action="store_true", help="also time drawing in headless Chromium")
    args = ap.parse_args()
    pages: list[tuple[int, str]] = []
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'nodes':>6} {'edges':>6} {'full page s':>12} {'ms/node':>8} {'x first':>8} {'page MB':>8} "
        f"{'capped page s':>14} {'capped nodes':>12}"
    )
    base = None
    for n in sizes:
        g = synthetic(n)
        full_s, full = timed(lambda g=g: render_page(g, max_nodes=0), args.repeat)
        cap_s, capped = timed(lambda g=g: render_page(g, max_nodes=DEFAULT_MAX_NODES), args.repeat)
        pages.append((n, full.html))
        pages.append((-n, capped.html))
        base = base or full_s
        print(
            f"{n:>6} {g.number_of_edges():>6} {full_s:>12.3f} {1000 * full_s / n:>8.3f} {full_s / base:>8.1f} "
            f"{len(full.html.encode()) / 1e6:>8.2f} {cap_s:>14.3f} {capped.shown_nodes:>12}"
        )
    if args.browser:
        print("\nheadless Chromium, navigation → settled drawing (bounded physics, then off):")
        print(f"{'nodes':>6} {'uncapped s':>11} {'capped (500) s':>15}")
        drawn = browser_seconds(pages)
        for n in sizes:
            print(f"{n:>6} {drawn[n]:>11.2f} {drawn[-n]:>15.2f}")
    print(
        f"(median of {args.repeat}; page includes the inlined vis-network script, "
        f"{len(render_page(synthetic(2)).html.encode()) / 1e6:.2f} MB on its own)"
    )


if __name__ == "__main__":
    main()
