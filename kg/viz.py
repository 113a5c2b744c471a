"""Interactive graph pages: pyvis builds the vis-network node/edge data, edukg's own template
draws it with a vendored vis-network, so a page needs no network at all.

Why not pyvis's own HTML: its template loads Bootstrap and tom-select from a CDN whatever
`cdn_resources` says (pyvis issues 228, 229), and an analyst on a train or behind a firewall
would get a blank page. `render_page` either inlines the vendored script (for `edukg viz --out`,
which must open from file://) or points at a local URL the API serves.

Readability rules: colour+shape by entity type with a legend, colour by relation, size by
degree, node cap with a visible notice, physics stabilisation capped and then switched off.
Labels: the first view shows the largest connected cluster at a scale where every label is at
least 12 px on screen (fitting a whole graph made them 5–7 px); relation names appear on the edge
under the pointer (all at once they pile up in dense clusters); entities with no relation are
hidden until asked for (they filled the centre); a progress line stands in the empty canvas
while the layout runs.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from extract.model import ENTITY_TYPES, RELATIONS
from kg.network import truncate
from ontology.namespace import ID

STATIC_DIR = Path(__file__).resolve().parent / "static"
VIS_JS = STATIC_DIR / "vendor" / "vis-network" / "vis-network.min.js"
TEMPLATES = STATIC_DIR / "templates"
DEFAULT_MAX_NODES = 500
# node labels are 14–24 px in graph units and the first view never zooms out below
# MIN_SCREEN_FONT / NODE_FONT, so every label is at least 12 px on screen at 100 % browser zoom
NODE_FONT = 14
EDGE_FONT = 14
MIN_SCREEN_FONT = 12
EVIDENCE_IN_TOOLTIP = 3

# colour-blind-friendly-ish palette (Tableau 10) and one shape per type: two cues, not one
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "University": ("#1f77b4", "dot"),
    "Enterprise": ("#ff7f0e", "square"),
    "Alliance": ("#9467bd", "hexagon"),
    "GovernmentBody": ("#d62728", "triangle"),
    "Institute": ("#2ca02c", "diamond"),
    "Program": ("#e377c2", "star"),
    "Person": ("#8c564b", "triangleDown"),
    "Place": ("#8f8f8f", "dot"),
    "Thing": ("#bcbd22", "dot"),
}
# relation → (colour, dashed)
RELATION_STYLE: dict[str, tuple[str, bool]] = {
    "partnersWith": ("#e8590c", False),
    "memberOf": ("#1864ab", False),
    "establishedBy": ("#2b8a3e", False),
    "partOf": ("#7048e8", False),
    "locatedIn": ("#a0a0a0", True),
    "leads": ("#8c6d31", False),
}
assert set(ENTITY_TYPES) <= set(TYPE_STYLE) and set(RELATIONS) <= set(RELATION_STYLE)


@dataclass
class Page:
    """A rendered page and the numbers it shows (what a caller or a test compares)."""

    html: str
    shown_nodes: int
    shown_edges: int
    total_nodes: int
    total_edges: int

    @property
    def truncated(self) -> bool:
        return self.shown_nodes < self.total_nodes


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vendored vis-network standalone build, safe to put inside an inline <script>."""
    return VIS_JS.read_text(encoding="utf-8").replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def _template_env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))


def physics_iterations(n_nodes: int) -> int:
    """Stabilisation budget: 1000 iterations for small graphs, fewer as the graph grows so the
    layout is done in a few seconds (each iteration costs about n log n)."""
    return int(max(120, min(1000, 150_000 // max(n_nodes, 1))))


def vis_options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    """vis-network options for a graph of this size (physics bounded, labels thinned)."""
    big = n_nodes > 300
    small = n_nodes <= 40  # few nodes: spread them so that their labels do not collide
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
        "nodes": {
            "scaling": {
                "min": 10,
                "max": 42,
                "label": {"enabled": True, "min": NODE_FONT, "max": 24, "drawThreshold": 6},
            },
            "font": {
                "size": NODE_FONT,
                "face": "system-ui, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1.5,
            "widthConstraint": {"maximum": 190},  # long names wrap instead of crossing the picture
        },
        "edges": {
            "width": 1.6,
            "selectionWidth": 2.5,
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.2},
            "font": {"size": EDGE_FONT, "align": "middle", "color": "#333", "strokeWidth": 4},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
        },
        "physics": {
            "enabled": n_nodes > 0,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -160 if small else -90,
                "centralGravity": 0.012,
                "springLength": 190 if small else 140,
                "springConstant": 0.07,
                "avoidOverlap": 1.0,
            },
            "maxVelocity": 60,
            "minVelocity": 1.0,
            "timestep": 0.45,
            "stabilization": {
                "enabled": True,
                "iterations": physics_iterations(n_nodes),
                "updateInterval": 25,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "navigationButtons": False,
            "keyboard": False,
        },
    }


def node_tooltip(data: dict[str, Any]) -> str:
    """Plain text (vis-network shows string titles as text, so nothing here can inject HTML)."""
    lines = [data["label"], "Type: " + (", ".join(data.get("types") or [data.get("type", "Thing")]))]
    aliases = data.get("aliases") or []
    if aliases:
        shown = "; ".join(aliases[:8]) + (f"; … (+{len(aliases) - 8})" if len(aliases) > 8 else "")
        lines.append("Also known as: " + shown)
    n_art = len(data.get("articles") or [])
    lines.append(f"Relations: {data.get('degree', 0)} · articles: {n_art}")
    return "\n".join(lines)


def edge_tooltip(graph: nx.MultiDiGraph, u: str, v: str, key: str, data: dict[str, Any]) -> str:
    arrow = "⟷" if data.get("symmetric") else "→"
    lines = [f"{graph.nodes[u]['label']} {arrow} {key} {arrow} {graph.nodes[v]['label']}"]
    evidence = data.get("evidence") or []
    for ev in evidence[:EVIDENCE_IN_TOOLTIP]:
        sentence = ev.get("sentence") or ""
        if len(sentence) > 400:
            sentence = sentence[:400] + "…"
        lines.append(f"“{sentence}”")
        source = ev.get("title") or ev.get("article") or "unknown article"
        if len(source) > 140:  # some readers take a whole first paragraph as the title
            source = source[:140].rsplit(" ", 1)[0] + "…"
        conf = ev.get("confidence")
        lines.append("   — " + source + (f" (confidence {conf:.2f})" if conf is not None else ""))
    if len(evidence) > EVIDENCE_IN_TOOLTIP:
        lines.append(f"… and {len(evidence) - EVIDENCE_IN_TOOLTIP} more")
    if not evidence:
        lines.append("(no evidence sentence stored)")
    return "\n".join(lines)


def to_pyvis(graph: nx.MultiDiGraph) -> Network:
    """A pyvis Network holding the styled nodes and edges of `graph`.

    pyvis's `add_node`/`add_edge` check for duplicates by scanning lists (quadratic: seconds at
    5,000 nodes); the networkx graph already guarantees unique nodes and existing endpoints, so
    the same pyvis `Node`/`Edge` objects are built and appended directly.
    """
    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    node_colours = {
        t: {"background": c, "border": _darker(c), "highlight": {"background": c, "border": "#000"}}
        for t, (c, _shape) in TYPE_STYLE.items()
    }
    connected = graph.number_of_edges() > 0
    for n, d in graph.nodes(data=True):
        type_ = d.get("type", "Thing") if d.get("type") in TYPE_STYLE else "Thing"
        isolated = connected and graph.degree(n) == 0
        node = Node(
            n,
            TYPE_STYLE[type_][1],
            label=d["label"],
            color=node_colours[type_],
            value=max(1, int(d.get("degree", 0))),
            title=node_tooltip(d),
            type=type_,
            hidden=isolated,  # the page's "show unconnected" box brings them back
            isolated=isolated,
        )
        net.nodes.append(node.options)
        net.node_ids.append(n)
        net.node_map[n] = node.options
    parallel: defaultdict[frozenset[str], int] = defaultdict(int)
    for u, v, key, d in sorted(graph.edges(keys=True, data=True), key=itemgetter(0, 1, 2)):
        color, dashed = RELATION_STYLE.get(key, ("#666666", False))
        opts: dict[str, Any] = {
            "id": f"{u}|{key}|{v}",
            "color": {"color": color, "highlight": color, "hover": color},
            "title": edge_tooltip(graph, u, v, key, d),
            "relation": key,
            "dashes": dashed,
        }
        if d.get("symmetric"):
            opts["arrows"] = {"to": {"enabled": False}}
        pair = frozenset((u, v))
        if parallel[pair]:  # bend parallel edges apart so each stays visible and hoverable
            opts["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.18 * parallel[pair]}
        parallel[pair] += 1
        net.edges.append(Edge(u, v, directed=True, **opts).options)
    net.options = vis_options(graph.number_of_nodes(), graph.number_of_edges())
    return net


def render_page(
    graph: nx.MultiDiGraph,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    assets: Literal["inline", "url"] = "inline",
    asset_url: str = "/graph/assets/vis-network.min.js",
    heading: str = "edukg graph",
    form: dict[str, Any] | None = None,
    links: list[dict[str, str]] | None = None,
    entity_url: str | None = None,
) -> Page:
    """The HTML page for `graph`, cut to `max_nodes` (keeping the neighbourhood centre and the
    best connected nodes) with a notice saying so.

    `assets="inline"` embeds vis-network (≈650 kB) so the file works from file:// with no
    network; `assets="url"` loads it from `asset_url` (the API serves it locally).
    With `entity_url`, double-clicking a node opens `entity_url + <type>/<slug>` (the API's
    neighbourhood page).
    """
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    shown, dropped = truncate(graph, max_nodes, keep=graph.graph.get("center"))
    notice = ""
    if dropped:
        notice = (
            f"Showing {shown.number_of_nodes()} of {total_nodes} entities "
            f"({shown.number_of_edges()} of {total_edges} relations): the {dropped} "
            + ("farthest and least connected" if graph.graph.get("center") else "least connected")
            + " were left out to keep the picture readable. Narrow it with a filter or raise max nodes."
        )
    net = to_pyvis(shown)
    nodes, edges, _heading, _h, _w, options_json = net.get_network_data()
    options = json.loads(options_json)
    type_counts = Counter(d.get("type", "Thing") for _n, d in shown.nodes(data=True))
    rel_counts = Counter(k for *_uv, k in shown.edges(keys=True))
    scope = graph.graph.get("filter", "whole graph")
    components: list[set[str]] = (
        [set(c) for c in nx.weakly_connected_components(shown)] if shown.number_of_edges() else []
    )
    largest: set[str] = max(components, key=_largest_first) if components else set()
    focus = sorted(largest)
    isolated = sum(1 for n in shown if shown.degree(n) == 0) if components else 0
    template = _template_env().get_template("graph.html")
    page = template.render(
        title=f"{heading} — {scope}",
        heading=heading,
        scope=scope,
        nodes=nodes,
        edges=edges,
        options=options,
        vis_js=vis_network_js() if assets == "inline" else "",
        asset_url=asset_url,
        notice=notice,
        shown_nodes=len(nodes),
        shown_edges=len(edges),
        total_nodes=total_nodes,
        total_edges=total_edges,
        legend_types=[
            {"name": t, "count": type_counts[t], "svg": _shape_svg(*TYPE_STYLE[t])}
            for t in (*ENTITY_TYPES, "Thing")
            if type_counts.get(t)
        ],
        legend_relations=[
            {
                "name": r,
                "count": rel_counts[r],
                "color": RELATION_STYLE[r][0],
                "dashes": RELATION_STYLE[r][1],
            }
            for r in RELATIONS
            if rel_counts.get(r)
        ],
        form=form,
        links=links or [],
        entity_url=entity_url,
        id_prefix=str(ID),
        focus=focus,
        isolated=isolated,
        min_scale=MIN_SCREEN_FONT / NODE_FONT,
    )
    return Page(page, len(nodes), len(edges), total_nodes, total_edges)


def iframe(page_html: str, height: int = 640) -> str:
    """The page inside an <iframe srcdoc>, for Jupyter: the notebook's own scripts and CSS
    cannot clash with vis-network's, and nothing is loaded from outside."""
    return (
        f'<iframe srcdoc="{html.escape(page_html, quote=True)}" '
        f'style="width:100%;height:{height}px;border:1px solid #ddd" sandbox="allow-scripts"></iframe>'
    )


def _darker(hex_color: str, factor: float = 0.7) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _largest_first(component: set[str]) -> tuple[int, str]:
    """Rank of a cluster for the first view: the most entities, ties broken by name."""
    return len(component), min(component)


def _shape_svg(color: str, shape: str) -> str:
    """A 14 px legend swatch drawn like the node shape vis-network uses for this type."""
    border = _darker(color)
    c, r = 7, 5.5
    if shape == "square":
        body = f'<rect x="1.5" y="1.5" width="11" height="11" fill="{color}" stroke="{border}"/>'
    elif shape in ("triangle", "triangleDown", "diamond", "hexagon", "star"):
        shapes: dict[str, list[tuple[float, float]]] = {
            "triangle": [(7, 1), (13, 12.5), (1, 12.5)],
            "triangleDown": [(1, 1.5), (13, 1.5), (7, 13)],
            "diamond": [(7, 0.8), (13.2, 7), (7, 13.2), (0.8, 7)],
            "hexagon": [
                (c + r * math.cos(math.pi / 3 * i), c + r * math.sin(math.pi / 3 * i)) for i in range(6)
            ],
            "star": [
                (
                    c + (6.3 if i % 2 == 0 else 2.7) * math.sin(math.pi / 5 * i),
                    c - (6.3 if i % 2 == 0 else 2.7) * math.cos(math.pi / 5 * i),
                )
                for i in range(10)
            ],
        }
        pts = shapes[shape]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        body = f'<polygon points="{points}" fill="{color}" stroke="{border}"/>'
    else:
        body = f'<circle cx="7" cy="7" r="{r}" fill="{color}" stroke="{border}"/>'
    return f'<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">{body}</svg>'
