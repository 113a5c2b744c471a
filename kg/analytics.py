"""Network analytics over the graph kg.network builds: who is central, who clusters with whom,
how two organisations are linked, which enterprises work with most universities.

All functions take a networkx graph (not a Repo) so they can be tested on small hand-built
graphs with known answers; `analyze(repo)` and `export_network(repo, fmt)` are the store-facing
entry points the CLI and the API call. Centralities are computed on the undirected simple
projection: cooperation has no direction, and parallel relations between one pair should not
count twice towards being "central".
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from extract.model import ORG_TYPES
from kg.errors import NotFound, UnsupportedFormat
from kg.mapping import is_placeholder
from kg.network import SYMMETRIC, AmbiguousName, build_network
from kg.store.base import Repo

LOUVAIN_SEED = 42  # fixed so that communities are the same on every run
EXACT_BETWEENNESS_MAX = 2000  # above this many nodes betweenness is estimated from a sample
PATH_RELATIONS = ("partnersWith", "memberOf", "establishedBy", "partOf", "leads")  # not locatedIn
EXPORT_FORMATS = ("graphml", "gexf")


@dataclass
class Ranked:
    """One row of a ranking table."""

    iri: str
    label: str
    type: str
    score: float


@dataclass
class PathStep:
    """One hop of a cooperation path, in path order (source is nearer the start).

    `reverse` is True when the store states the relation the other way round (target →
    source), e.g. the path walks from an alliance to its member; symmetric relations never are.
    """

    source: str
    source_label: str
    relation: str
    target: str
    target_label: str
    reverse: bool = False
    sentence: str = ""
    article_title: str = ""

    def arrow(self) -> str:
        """`partnersWith`, `memberOf →` or `← memberOf`: how to print the hop."""
        if self.relation in SYMMETRIC:
            return self.relation
        return f"← {self.relation}" if self.reverse else f"{self.relation} →"


@dataclass
class Report:
    """Everything `edukg analyze` prints; `to_json()` is its `--json` output."""

    nodes: int
    edges: int
    by_degree: list[Ranked] = field(default_factory=list)
    by_betweenness: list[Ranked] = field(default_factory=list)
    communities: list[list[Ranked]] = field(default_factory=list)
    enterprises: list[Ranked] = field(default_factory=list)
    path: list[PathStep] | None = None
    path_ends: tuple[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# -- projections -----------------------------------------------------------------------------


def simple_graph(graph: nx.Graph, relations: Collection[str] | None = None) -> nx.Graph:
    """Undirected simple graph with node attributes kept and `weight` = number of relations
    joining the pair (all relations, or only those named)."""
    und: nx.Graph = nx.Graph()
    und.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        rel = data.get("relation")
        if relations is not None and rel not in relations:
            continue
        if u == v:
            continue
        if und.has_edge(u, v):
            und[u][v]["weight"] += 1
            und[u][v]["relations"].append(rel)
        else:
            und.add_edge(u, v, weight=1, relations=[rel])
    return und


def _row(graph: nx.Graph, n: str, score: float) -> Ranked:
    d = graph.nodes[n]
    return Ranked(n, d.get("label", n), d.get("type", ""), float(score))


def _top(graph: nx.Graph, scores: dict[str, float], top: int, types: Collection[str] | None) -> list[Ranked]:
    rows = [
        (n, s)
        for n, s in scores.items()
        if types is None or set(graph.nodes[n].get("types", ())) & set(types)
    ]
    rows.sort(key=lambda ns: (-ns[1], graph.nodes[ns[0]].get("label", ns[0]), ns[0]))
    return [_row(graph, n, s) for n, s in rows[:top]]


# -- analytics -------------------------------------------------------------------------------


def top_degree(graph: nx.Graph, top: int = 10, *, types: Collection[str] | None = ORG_TYPES) -> list[Ranked]:
    """Entities with the most distinct neighbours (only the given types are ranked; all
    entities count as neighbours)."""
    und = simple_graph(graph)
    return _top(und, dict(und.degree()), top, types)


def top_betweenness(
    graph: nx.Graph, top: int = 10, *, types: Collection[str] | None = ORG_TYPES
) -> list[Ranked]:
    """Entities that most often lie on shortest paths between others: the brokers.

    Normalised betweenness; exact up to EXACT_BETWEENNESS_MAX nodes, then estimated from a
    fixed-seed sample so large stores still answer in seconds."""
    und = simple_graph(graph)
    n = und.number_of_nodes()
    k = None if n <= EXACT_BETWEENNESS_MAX else EXACT_BETWEENNESS_MAX // 4
    scores = nx.betweenness_centrality(und, k=k, normalized=True, seed=LOUVAIN_SEED)
    return _top(und, scores, top, types)


def communities(graph: nx.Graph, *, min_size: int = 2, seed: int = LOUVAIN_SEED) -> list[list[Ranked]]:
    """Louvain communities (fixed seed, weighted by relation count), largest first; each
    community lists its members by degree. Singletons are left out by default."""
    und = simple_graph(graph)
    if und.number_of_edges() == 0:
        return []
    parts = nx.community.louvain_communities(und, weight="weight", seed=seed)
    out: list[list[Ranked]] = []
    for part in parts:
        if len(part) < min_size:
            continue
        out.append(_top(und, {n: und.degree(n) for n in part}, len(part), None))
    out.sort(key=lambda c: (-len(c), c[0].label))
    return out


def find_organisation(graph: nx.Graph, name: str, *, types: Collection[str] = ORG_TYPES) -> str:
    """The node an organisation name denotes: IRI, exact label or alias (case-insensitive),
    else a unique substring match. Raises NotFound / AmbiguousName."""
    if name in graph:
        return name
    needle = name.casefold().strip()
    orgs = [(n, d) for n, d in graph.nodes(data=True) if set(d.get("types", ())) & set(types)]

    def names(d: dict[str, Any]) -> list[str]:
        return [d.get("label", ""), *d.get("aliases", ())]

    exact = [n for n, d in orgs if any(needle == x.casefold() for x in names(d))]
    if len(exact) == 1:
        return exact[0]
    hits = exact or [n for n, d in orgs if any(needle in x.casefold() for x in names(d))]
    if not hits:
        raise NotFound(f"no organisation named {name!r} in the graph")
    if len(hits) > 1:
        shown = "; ".join(sorted(graph.nodes[h].get("label", h) for h in hits)[:5])
        raise AmbiguousName(f"{name!r} matches {len(hits)} organisations ({shown}); be more specific")
    return hits[0]


def cooperation_path(
    graph: nx.MultiDiGraph, a: str, b: str, *, relations: Collection[str] = PATH_RELATIONS
) -> list[PathStep]:
    """Shortest chain of cooperation relations linking two organisations named `a` and `b`
    (locatedIn is left out: sharing a city is not cooperation). Empty if they are not linked."""
    src, dst = find_organisation(graph, a), find_organisation(graph, b)
    und = simple_graph(graph, relations)
    try:
        nodes = nx.shortest_path(und, src, dst)
    except nx.NetworkXNoPath:
        return []
    return [_step(graph, nodes[i], nodes[i + 1], relations) for i in range(len(nodes) - 1)]


def _step(graph: nx.MultiDiGraph, u: str, v: str, relations: Collection[str]) -> PathStep:
    """The hop u → v with the relation that links them and one evidence sentence."""
    for s, o in ((u, v), (v, u)):
        if not graph.has_edge(s, o):
            continue
        for key, data in sorted(graph[s][o].items()):
            if key not in relations:
                continue
            ev = (data.get("evidence") or [{}])[0]
            return PathStep(
                u,
                graph.nodes[u].get("label", u),
                key,
                v,
                graph.nodes[v].get("label", v),
                reverse=(s, o) == (v, u) and key not in SYMMETRIC,
                sentence=ev.get("sentence", ""),
                article_title=ev.get("title", ""),
            )
    raise NotFound(f"no relation between {u} and {v}")  # cannot happen for a path of `und`


def enterprises_by_university_partners(graph: nx.MultiDiGraph, top: int = 10) -> list[Ranked]:
    """Enterprises ranked by how many distinct universities they partner with (partnersWith,
    either direction)."""
    partners: dict[str, set[str]] = {}
    for u, v, key in graph.edges(keys=True):
        if key != "partnersWith":
            continue
        for ent, uni in ((u, v), (v, u)):
            if "Enterprise" in graph.nodes[ent].get("types", ()) and "University" in graph.nodes[uni].get(
                "types", ()
            ):
                partners.setdefault(ent, set()).add(uni)
    scores = {e: float(len(unis)) for e, unis in partners.items()}
    return _top(graph, scores, top, None)


def without_placeholders(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph minus unnamed publishers' stand-ins ('publisher of ‹…›', kg.mapping): one per
    site or article, they would rank as hubs for being everywhere, not for cooperating."""
    keep = [n for n, d in graph.nodes(data=True) if not is_placeholder(str(d.get("label", "")))]
    return graph if len(keep) == graph.number_of_nodes() else graph.subgraph(keep).copy()


def analyze(
    repo: Repo,
    *,
    top: int = 10,
    path: Sequence[str] | None = None,
    graph: nx.MultiDiGraph | None = None,
    placeholders: bool = False,
) -> Report:
    """Every analysis `edukg analyze` prints, on the whole store (or on `graph` if given);
    unnamed publishers are left out unless `placeholders`."""
    g = graph if graph is not None else build_network(repo)
    if not placeholders:
        g = without_placeholders(g)
    report = Report(
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        by_degree=top_degree(g, top),
        by_betweenness=top_betweenness(g, top),
        communities=communities(g)[:top],
        enterprises=enterprises_by_university_partners(g, top),
    )
    if path:
        a, b = path
        report.path = cooperation_path(g, a, b)
        report.path_ends = (
            g.nodes[find_organisation(g, a)]["label"],
            g.nodes[find_organisation(g, b)]["label"],
        )
    return report


# -- export ----------------------------------------------------------------------------------

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: Any) -> str:
    return _XML_BAD.sub(" ", str(value))


def _join(values: Iterable[Any]) -> str:
    return " | ".join(_xml_text(v) for v in values if v not in (None, ""))


def export_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values GraphML/GEXF accept: strings (lists joined with " | ",
    XML-illegal characters blanked) and ints; edge ids unique (GEXF needs that)."""
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for n, d in graph.nodes(data=True):
        out.add_node(
            _xml_text(n),
            label=_xml_text(d.get("label", n)),
            type=_xml_text(d.get("type", "")),
            types=_join(d.get("types", ())),
            aliases=_join(d.get("aliases", ())),
            articles=_join(d.get("articles", ())),
            degree=int(d.get("degree", graph.degree(n))),
        )
    for i, (u, v, key, d) in enumerate(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])):
        ev = d.get("evidence", ())
        out.add_edge(
            _xml_text(u),
            _xml_text(v),
            key=f"e{i}",
            label=_xml_text(key),
            relation=_xml_text(key),
            symmetric=str(bool(d.get("symmetric", False))).lower(),
            sentences=_join(e.get("sentence") for e in ev),
            articles=_join(d.get("articles", ())),
            titles=_join(d.get("titles", ())),
            weight=max(1, len(ev)),
        )
    return out


def export_network(repo: Repo, fmt: str) -> bytes:
    """The whole store's network as GraphML or GEXF bytes (for Gephi, yEd, Cytoscape)."""
    fmt = fmt.lower().strip()
    if fmt not in EXPORT_FORMATS:
        raise UnsupportedFormat(f"unknown network format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    graph = export_graph(build_network(repo))
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buf, encoding="utf-8", prettyprint=True)
    else:
        nx.write_gexf(graph, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()
