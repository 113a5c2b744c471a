"""kg.viz page building (no browser): offline assets, styling, escaping, node cap, physics bound."""

from __future__ import annotations

import json
import re

import networkx as nx

from kg import viz

from .handbuilt import add, rel, two_cliques


def page_data(html: str) -> tuple[list[dict], list[dict], dict]:
    """The node, edge and option objects the page hands to vis-network."""
    nodes = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);\n  var edges", html, re.S).group(1))
    edges = json.loads(re.search(r"var edges = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    options = json.loads(re.search(r"var options = (\{.*?\});\n", html, re.S).group(1))
    return nodes, edges, options


def test_inline_page_references_nothing_remote() -> None:
    page = viz.render_page(two_cliques())
    assert "<script src=" not in page.html and "<link" not in page.html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.html)
    assert viz.vis_network_js()[:2000] in page.html  # the vendored build, inlined
    url_page = viz.render_page(two_cliques(), assets="url", asset_url="/x/vis.js")
    assert '<script src="/x/vis.js"></script>' in url_page.html
    assert len(url_page.html) < len(page.html) - 500_000


def test_style_by_type_and_relation_with_legend() -> None:
    g = two_cliques()
    add(g, "p", "Some Person", "Person")
    rel(g, "p", "leads", "u1")
    nodes, edges, _ = page_data(viz.render_page(g).html)
    by_id = {n["id"]: n for n in nodes}
    assert by_id["u1"]["shape"] != by_id["e1"]["shape"]
    assert by_id["u1"]["color"]["background"] != by_id["e1"]["color"]["background"]
    assert by_id["e2"]["value"] > by_id["e1"]["value"]  # size by degree
    assert "Also known as: U1" in by_id["u1"]["title"]
    lead = next(e for e in edges if e["relation"] == "leads")
    partner = next(e for e in edges if e["relation"] == "partnersWith")
    assert lead["color"]["color"] != partner["color"]["color"]
    assert partner["arrows"] == {"to": {"enabled": False}}  # symmetric: no arrow
    assert "“" in partner["title"] and "— T" in partner["title"]  # evidence sentence + article title
    html = viz.render_page(g).html
    legend = re.findall(r'data-type="(\w+)"', html)
    assert legend == ["University", "Enterprise", "Person"]  # only types present, vocabulary order
    assert re.findall(r'data-relation="(\w+)"', html) == ["partnersWith", "leads"]


def test_text_cannot_break_out_of_the_page() -> None:
    g = nx.MultiDiGraph()
    add(g, "x", "</script><script>alert(1)</script>", "Enterprise", ("<img src=x onerror=alert(1)>",))
    html = viz.render_page(g).html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    nodes, _, _ = page_data(html)
    assert nodes[0]["label"] == "</script><script>alert(1)</script>"  # the data survives intact


def test_node_cap_keeps_hubs_and_says_so() -> None:
    g = two_cliques()
    page = viz.render_page(g, max_nodes=2)
    assert (page.shown_nodes, page.total_nodes, page.truncated) == (2, 8, True)
    nodes, edges, _ = page_data(page.html)
    assert {n["id"] for n in nodes} == {"e2", "u3"}
    assert len(edges) == 1
    assert "Showing 2 of 8 entities" in page.html
    full = viz.render_page(g, max_nodes=0)
    assert not full.truncated and 'id="notice"' not in full.html


def test_physics_is_bounded() -> None:
    assert viz.physics_iterations(10) == 1000
    assert viz.physics_iterations(5000) < viz.physics_iterations(500) <= 1000
    _, _, options = page_data(viz.render_page(two_cliques()).html)
    stab = options["physics"]["stabilization"]
    assert stab["enabled"] and stab["iterations"] <= 1000
    # and the page switches physics off once stabilisation is done
    html = viz.render_page(two_cliques()).html
    assert 'network.once("stabilizationIterationsDone", settle)' in html
    assert "physics: {enabled: false}" in html


def test_empty_graph_page() -> None:
    page = viz.render_page(nx.MultiDiGraph())
    assert page.shown_nodes == 0 and 'id="empty"' in page.html
