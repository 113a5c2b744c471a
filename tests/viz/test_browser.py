"""The served graph pages draw in real headless Chromium with no network but the server's.

A real uvicorn runs `api.app:create_app` on a free 127.0.0.1 port over an on-disk store seeded
from data/articles (real spaCy) plus the hand-built corpus (so there are always relations to
draw). Chromium (Debian's /usr/bin/chromium, driven by Playwright) may only reach 127.0.0.1:
every other request is aborted and recorded. The test waits until vis-network has finished its
bounded layout and drawn, reads the counts vis-network holds from <body data-nodes/edges>, and
compares them with what kg.network and plain SPARQL count in the store. Screenshots are saved in
the test's tmp_path.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
import networkx as nx
import pytest

from extract.errors import ExtractError
from extract.readers import read_paths
from kg.ingest import ingest_extraction
from kg.network import build_network, neighbourhood
from kg.store import open_repo
from ontology.namespace import ID

from .conftest import load_corpus
from .helpers import sparql_counts

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "articles"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@dataclass
class Served:
    base: str
    whole: tuple[int, int]  # entities, relations by kg.network
    sparql: tuple[int, int]  # the same by plain SPARQL
    partners: tuple[int, int]  # relation=partnersWith filter
    center: str  # type/slug of the best-connected entity
    center_counts: tuple[int, int]  # its depth-1 neighbourhood
    isolated: int = 0  # entities with no relation in the whole graph
    cluster: list[str] = field(default_factory=list)  # the largest connected cluster's IRIs
    log: Path = field(default=Path())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(path: Path, extractor) -> Served:
    repo = open_repo(f"oxigraph:{path}")
    try:
        for article in read_paths([str(DATA)]):
            assert not isinstance(article, ExtractError), article
            ingest_extraction(repo, article, extractor.extract(article))
        load_corpus(repo)
        whole = build_network(repo)
        partners = build_network(repo, relations=["partnersWith"])
        center = max(whole.nodes, key=lambda n: (whole.nodes[n]["degree"], n))
        local = neighbourhood(repo, center, 1)
        components = sorted(nx.weakly_connected_components(whole), key=len, reverse=True)
        return Served(
            isolated=sum(1 for n in whole if whole.degree(n) == 0),
            cluster=sorted(components[0]),
            base="",
            whole=(whole.number_of_nodes(), whole.number_of_edges()),
            sparql=sparql_counts(repo),
            partners=(partners.number_of_nodes(), partners.number_of_edges()),
            center=center.removeprefix(str(ID)),
            center_counts=(local.number_of_nodes(), local.number_of_edges()),
        )
    finally:
        repo.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, extractor) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("graph-server")
    served = _seed(tmp / "store", extractor)
    port = _free_port()
    served.base = f"http://127.0.0.1:{port}"
    served.log = tmp / "uvicorn.log"
    env = {**os.environ, "EDUKG_STORE": f"oxigraph:{tmp / 'store'}", "EDUKG_API_KEY": ""}
    with served.log.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"uvicorn exited with {proc.returncode}: {served.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{served.base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not come up: {served.log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


# a DOM point in view, not under an overlay, on the first edge (with evidence) that vis-network
# reports under the pointer
FIND_EDGE_POINT = """() => {
  const net = window.edukg.network, box = document.getElementById('graph').getBoundingClientRect();
  for (const e of window.edukg.edges.get()) {
    if (!e.title.includes('“')) continue;
    const p = net.getPositions([e.from, e.to]), a = p[e.from], b = p[e.to];
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    for (let t = 0.35; t <= 0.65; t += 0.05) {
      for (let d = -80; d <= 80; d += 2) {
        const c = {x: a.x + t * dx - d * dy / len, y: a.y + t * dy + d * dx / len};
        const dom = net.canvasToDOM(c);
        if (dom.x < 5 || dom.y < 5 || dom.x > box.width - 5 || dom.y > box.height - 5) continue;  // in view
        // the pointer must reach the canvas there, not a legend or panel drawn over it
        const el = document.elementFromPoint(box.left + dom.x, box.top + dom.y);
        if (!el || !document.getElementById('graph').contains(el)) continue;
        if (net.getEdgeAt(dom) === e.id && net.getNodeAt(dom) === undefined) {
          return {x: box.left + dom.x, y: box.top + dom.y, relation: e.relation};
        }
      }
    }
  }
  return null;
}"""


@dataclass
class Drawn:
    nodes: int
    edges: int
    dataset_nodes: int
    dataset_edges: int
    blocked: list[str]
    errors: list[str]
    page: object


def draw(browser, url: str, shot: Path) -> Drawn:
    """Open `url` with only loopback allowed, wait for the settled drawing, screenshot it."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    blocked: list[str] = []
    errors: list[str] = []

    def gate(route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", gate)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_selector("body[data-drawn='1']", timeout=120_000)
    page.screenshot(path=str(shot))
    counts = page.evaluate(
        "() => [document.body.dataset.nodes, document.body.dataset.edges,"
        " window.edukg.nodes.length, window.edukg.edges.length]"
    )
    n, e, dn, de = (int(x) for x in counts)
    return Drawn(n, e, dn, de, blocked, errors, page)


def test_whole_graph_draws_offline_with_the_store_counts(server: Served, browser, tmp_path: Path) -> None:
    assert server.whole == server.sparql  # kg.network and plain SPARQL agree on the store
    assert server.whole[1] > 0
    drawn = draw(browser, f"{server.base}/graph", tmp_path / "graph.png")
    assert drawn.blocked == [] and drawn.errors == []
    # unconnected entities are sent but hidden until asked for
    assert (drawn.nodes, drawn.edges) == (server.whole[0] - server.isolated, server.whole[1])
    assert (drawn.dataset_nodes, drawn.dataset_edges) == server.whole
    page = drawn.page
    # legend and header agree with the drawing; no truncation notice under the cap
    assert page.locator("#legend li[data-type]").count() >= 3
    legend_total = sum(int(t) for t in page.locator("#legend li[data-type] .n").all_inner_texts())
    assert legend_total == server.whole[0]
    assert page.locator("#notice").count() == 0
    assert f"{server.whole[0]} entities" in page.inner_text("#counts")
    # node labels are drawn: vis-network knows a label for every node
    unlabeled = page.evaluate("() => window.edukg.nodes.get().filter(n => !n.label).length")
    assert unlabeled == 0
    page.close()


def test_neighbourhood_page_matches_the_store(server: Served, browser, tmp_path: Path) -> None:
    drawn = draw(browser, f"{server.base}/graph/entity/{server.center}?depth=1", tmp_path / "entity.png")
    assert drawn.blocked == [] and drawn.errors == []
    assert (drawn.nodes, drawn.edges) == server.center_counts
    assert 1 < drawn.nodes < server.whole[0]
    page = drawn.page
    center_iri = str(ID) + server.center
    # hovering the centre node shows its name, type and aliases as a tooltip
    x, y = page.evaluate(
        "(id) => { const n = window.edukg.network; const p = n.canvasToDOM(n.getPositions([id])[id]);"
        " const r = document.getElementById('graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
        center_iri,
    )
    page.mouse.move(x, y)
    tip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    text = tip.inner_text()
    label = page.evaluate("(id) => window.edukg.nodes.get(id).label", center_iri)
    assert text.startswith(label) and "Type: " in text and "Relations: " in text
    # hovering an edge shows its evidence sentence and the article title
    page.mouse.move(5, 5)
    spot = page.evaluate(FIND_EDGE_POINT)
    assert spot is not None, "no hoverable point found on any edge"
    page.mouse.move(spot["x"], spot["y"])
    page.wait_for_function(
        "(t) => { const d = document.querySelector('div.vis-tooltip');"
        " return d && d.style.visibility !== 'hidden' && d.innerText.includes(t); }",
        arg="“",
        timeout=10_000,
    )
    text = page.inner_text("div.vis-tooltip")
    assert spot["relation"] in text and "— " in text
    page.screenshot(path=str(tmp_path / "entity-edge-hover.png"))
    page.close()


def test_filters_and_node_cap(server: Served, browser, tmp_path: Path) -> None:
    drawn = draw(browser, f"{server.base}/graph?relation=partnersWith", tmp_path / "partners.png")
    assert (drawn.nodes, drawn.edges) == server.partners
    drawn.page.close()
    cap = 10
    drawn = draw(browser, f"{server.base}/graph?max_nodes={cap}", tmp_path / "capped.png")
    assert drawn.dataset_nodes == cap  # sent; those left without a relation by the cut are hidden
    assert drawn.nodes == cap - drawn.page.evaluate(
        "() => window.edukg.nodes.get().filter(n => n.hidden).length"
    )
    notice = drawn.page.inner_text("#notice")
    assert f"Showing {cap} of {server.whole[0]} entities" in notice
    assert drawn.blocked == [] and drawn.errors == []
    drawn.page.close()


def test_unknown_entity_is_a_clear_404(server: Served) -> None:
    r = httpx.get(f"{server.base}/graph/entity/place/no-such-place-anywhere", timeout=30)
    assert r.status_code == 404
    assert "no entity" in r.text
    r = httpx.get(f"{server.base}/graph", params={"type": "Castle"}, timeout=30)
    assert r.status_code == 400 and "unknown entity type" in r.text


# on-screen font size (graph units × view scale) and DOM box of every node label in the view
LABELS_IN_VIEW = """() => {
  const net = window.edukg.network, box = document.getElementById('graph').getBoundingClientRect();
  const scale = net.getScale(), out = [];
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id], size = node.labelModule.size;
    if (!node.options.label) continue;
    const a = net.canvasToDOM({x: size.left, y: size.top});
    const b = net.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
    if (b.x < 0 || b.y < 0 || a.x > box.width || a.y > box.height) continue;
    out.push({id: id, px: node.labelModule.fontOptions.size * scale, box: [a.x, a.y, b.x, b.y]});
  }
  return out;
}"""


def _overlaps(boxes: list[list[float]]) -> int:
    """Labels whose box overlaps another's by more than a quarter of the smaller one."""
    hit = set()
    for i, (a0, a1, a2, a3) in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b0, b1, b2, b3 = boxes[j]
            w, h = min(a2, b2) - max(a0, b0), min(a3, b3) - max(a1, b1)
            smaller = min((a2 - a0) * (a3 - a1), (b2 - b0) * (b3 - b1)) or 1
            if w > 0 and h > 0 and w * h > smaller / 4:
                hit.update((i, j))
    return len(hit)


def test_first_view_is_readable(server: Served, browser, tmp_path: Path) -> None:
    """At 100 % zoom: labels of at least 12 px, few overlapping, the largest cluster in view,
    relation names on hover, unconnected entities hidden, progress instead of a blank canvas."""
    from PIL import Image

    html = httpx.get(f"{server.base}/graph", timeout=60).text
    assert 'id="progress" role="status">Laying out' in html  # shown from the first paint
    drawn = draw(browser, f"{server.base}/graph", tmp_path / "first-view.png")
    page = drawn.page
    assert page.inner_text("#progress") == "" and not page.is_visible("#progress")
    labels = page.evaluate(LABELS_IN_VIEW)
    assert len(labels) >= 8, labels
    assert min(label["px"] for label in labels) >= 12, sorted(label["px"] for label in labels)[:5]
    assert _overlaps([label["box"] for label in labels]) <= len(labels) // 5, labels
    # the view is centred on the largest cooperation cluster, and shows its members
    in_view = {label["id"] for label in labels}
    assert len(in_view & set(server.cluster)) >= min(5, len(server.cluster))
    centre_in_cluster = page.evaluate(
        """(ids) => { const net = window.edukg.network, p = net.getPositions(ids), c = net.getViewPosition();
        const xs = ids.map(i => p[i].x), ys = ids.map(i => p[i].y);
        return Math.min(...xs) <= c.x && c.x <= Math.max(...xs) && Math.min(...ys) <= c.y && c.y <= Math.max(...ys); }""",
        server.cluster,
    )
    assert centre_in_cluster
    # the canvas is drawn: the screenshot of the picture area is far from blank
    shot = Image.open(tmp_path / "first-view.png").convert("RGB")
    box = page.evaluate(
        "() => { const r = document.getElementById('graph').getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; }"
    )
    area = shot.crop(tuple(int(v) for v in box))
    inked = sum(1 for px in area.getdata() if sum(px) < 600)
    assert inked > 0.01 * area.width * area.height, inked
    assert len(set(area.getdata())) > 50  # many colours: nodes, edges, text, not one fill
    # relation names only on the edge under the pointer
    assert page.evaluate("() => window.edukg.edges.get().filter(e => (e.label || '').trim()).length") == 0
    spot = page.evaluate(FIND_EDGE_POINT)
    assert spot is not None
    page.mouse.move(5, 5)
    page.mouse.move(spot["x"], spot["y"], steps=3)
    page.wait_for_function("(r) => window.edukg.edges.get().some(e => e.label === r)", arg=spot["relation"])
    size = page.evaluate(
        "() => window.edukg.network.body.edges[window.edukg.edges.get().find(e => (e.label || '').trim()).id]"
        ".labelModule.fontOptions.size * window.edukg.network.getScale()"
    )
    assert size >= 12
    page.screenshot(path=str(tmp_path / "edge-hover.png"))
    # unconnected entities come back on request
    if server.isolated:
        page.check("#show-isolated")
        page.wait_for_function("(n) => Number(document.body.dataset.nodes) === n", arg=server.whole[0])
    page.close()
