"""Small networkx graphs with answers worked out by hand, shaped like kg.network's output."""

from __future__ import annotations

import networkx as nx


def add(g: nx.MultiDiGraph, iri: str, label: str, type_: str, aliases: tuple[str, ...] = ()) -> None:
    g.add_node(iri, label=label, type=type_, types=[type_], aliases=list(aliases), articles=[], degree=0)


def rel(g: nx.MultiDiGraph, s: str, p: str, o: str, sentence: str = "") -> None:
    ev = [{"sentence": sentence or f"{s} {p} {o}.", "confidence": 0.9, "article": "a:1", "title": "T"}]
    g.add_edge(
        s, o, key=p, relation=p, symmetric=p == "partnersWith", evidence=ev, articles=["a:1"], titles=["T"]
    )


def two_cliques() -> nx.MultiDiGraph:
    """Two 4-cliques of partnersWith (A = u1 u2 e1 e2, B = u3 u4 e3 e4) joined by e2–u3.

    By hand: degree 4 for e2 and u3, 3 for the rest; normalised betweenness of e2 and u3 is
    (3 × 4 pairs) / (7·6/2) = 12/21, everyone else 0; Louvain splits A from B; the path
    u1 → u4 is u1–e2–u3–u4; e2 partners with 3 universities, e1, e3 and e4 with 2.
    """
    g = nx.MultiDiGraph()
    for i in (1, 2, 3, 4):
        add(g, f"u{i}", f"University {i}", "University", (f"U{i}",))
        add(g, f"e{i}", f"Enterprise {i}", "Enterprise", (f"E{i} Ltd",))
    for clique in (("u1", "u2", "e1", "e2"), ("u3", "u4", "e3", "e4")):
        for i, a in enumerate(clique):
            for b in clique[i + 1 :]:
                rel(g, a, "partnersWith", b)
    rel(g, "e2", "partnersWith", "u3", "Enterprise 2 and University 3 signed an agreement.")
    for n, d in g.degree():
        g.nodes[n]["degree"] = d
    return g
