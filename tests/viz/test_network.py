"""kg.network on a store loaded through kg.ingest with the hand-built corpus (tests/viz/corpus.py)."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from kg import analytics
from kg.errors import Ambiguous, NotFound, UnknownFilter, UnsupportedFormat
from kg.network import (
    GraphFilter,
    build_network,
    graph_summary,
    neighbourhood,
    resolve_entity,
    truncate,
)

from .helpers import sparql_counts


def by_label(g: nx.MultiDiGraph) -> dict[str, str]:
    return {d["label"]: n for n, d in g.nodes(data=True)}


def labelled_edges(g: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    out = set()
    for u, v, k in g.edges(keys=True):
        a, b = g.nodes[u]["label"], g.nodes[v]["label"]
        if k == "partnersWith":
            a, b = sorted((a, b))
        out.add((a, k, b))
    return out


def test_whole_graph_is_what_the_articles_say(small_repo) -> None:
    repo, _ = small_repo
    g = build_network(repo)
    assert (g.number_of_nodes(), g.number_of_edges()) == (9, 10)
    assert (g.number_of_nodes(), g.number_of_edges()) == sparql_counts(repo)
    assert graph_summary(g)["relations"] == {
        "establishedBy": 2,
        "leads": 1,
        "locatedIn": 1,
        "memberOf": 2,
        "partnersWith": 4,
    }
    assert labelled_edges(g) >= {
        ("Acme Robotics Co., Ltd.", "partnersWith", "Northfield University"),
        ("Bluewave Semiconductor", "partnersWith", "Northfield University"),
        ("Riverbend University of Technology", "memberOf", "Coastal Universities Alliance"),
        ("Jane Miller", "leads", "Northfield University"),
    }


def test_node_attributes(small_repo) -> None:
    repo, _ = small_repo
    g = build_network(repo)
    nfu = g.nodes[by_label(g)["Northfield University"]]
    assert nfu["type"] == "University" and nfu["types"] == ["University"]
    assert "NFU" in nfu["aliases"]
    assert len(nfu["articles"]) == 2
    # Northfield: partners Acme, Bluewave; memberOf; leads; locatedIn; establishedBy (from inst)
    assert nfu["degree"] == 6
    assert g.nodes[by_label(g)["Harborton"]]["type"] == "Place"


def test_edges_carry_evidence_and_article_titles(small_repo) -> None:
    repo, articles = small_repo
    g = build_network(repo)
    ids = by_label(g)
    u, v = sorted((ids["Northfield University"], ids["Acme Robotics Co., Ltd."]))
    data = g.get_edge_data(u, v, "partnersWith")
    assert data["symmetric"] is True
    assert data["titles"] == ["Northfield signs with Acme"]
    assert data["articles"] == [articles["handbuilt/a.txt"]]
    assert data["evidence"][0]["sentence"].startswith("Northfield University (NFU) signed")
    assert data["evidence"][0]["confidence"] == pytest.approx(0.9)


def test_article_filter(small_repo) -> None:
    repo, articles = small_repo
    g = build_network(repo, article=articles["handbuilt/b.txt"])
    assert set(by_label(g)) == {
        "Bluewave Semiconductor",
        "Northfield University",
        "Bluewave Institute of Microelectronics",
        "Riverbend University of Technology",
        "Coastal Universities Alliance",
    }
    assert g.number_of_edges() == 5
    titles = {t for *_e, d in g.edges(keys=True, data=True) for t in d["titles"]}
    assert titles == {"A new institute for microelectronics"}
    # by content-hash prefix too
    short = articles["handbuilt/a.txt"].rsplit("/", 1)[1][:10]
    assert build_network(repo, article=short).number_of_edges() == 5


def test_relation_type_and_search_filters(small_repo) -> None:
    repo, _ = small_repo
    g = build_network(repo, relations=["partnersWith"])
    assert (g.number_of_nodes(), g.number_of_edges()) == (5, 4)
    g = build_network(repo, types=["university"])
    assert set(by_label(g)) == {
        "Northfield University",
        "Lakeside Polytechnic University",
        "Riverbend University of Technology",
    }
    assert g.number_of_edges() == 0
    g = build_network(repo, types=["University", "Enterprise"])
    assert (g.number_of_nodes(), g.number_of_edges()) == (5, 4)
    g = build_network(repo, search="bluewave")
    assert set(by_label(g)) == {
        "Bluewave Semiconductor",
        "Bluewave Institute of Microelectronics",
        "Northfield University",
        "Riverbend University of Technology",
    }
    assert g.number_of_edges() == 4
    g = build_network(repo, GraphFilter(search="nfu"))  # aliases count
    assert "Northfield University" in by_label(g)


def test_bad_filters_are_clear_errors(small_repo) -> None:
    repo, _ = small_repo
    with pytest.raises(UnknownFilter, match="unknown entity type 'Castle'"):
        build_network(repo, types=["Castle"])
    with pytest.raises(UnknownFilter, match="unknown relation"):
        build_network(repo, relations=["likes"])
    with pytest.raises(NotFound):
        build_network(repo, article="ffffffffffffffff")


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_neighbourhood_equals_ego_graph(small_repo, depth: int) -> None:
    repo, _ = small_repo
    whole = build_network(repo)
    center = by_label(whole)["Acme Robotics Co., Ltd."]
    g = neighbourhood(repo, "Acme Robotics", depth=depth)
    ego = nx.ego_graph(whole, center, radius=depth, undirected=True)
    assert set(g.nodes) == set(ego.nodes)
    assert set(g.edges(keys=True)) == set(ego.edges(keys=True))
    assert g.graph["center"] == center


def test_entity_references(small_repo) -> None:
    repo, _ = small_repo
    whole = build_network(repo)
    iri = by_label(whole)["Northfield University"]
    type_slug = iri.split("/id/", 1)[1]
    assert resolve_entity(repo, iri) == iri
    assert resolve_entity(repo, type_slug) == iri
    assert resolve_entity(repo, type_slug.split("/")[1]) == iri
    assert resolve_entity(repo, "northfield university") == iri
    assert resolve_entity(repo, "NFU") == iri
    assert resolve_entity(repo, "Acme Robot") == by_label(whole)["Acme Robotics Co., Ltd."]
    with pytest.raises(NotFound):
        resolve_entity(repo, "Nowhere College")
    with pytest.raises(Ambiguous, match="names 3 entities"):
        resolve_entity(repo, "university")


def test_truncate_keeps_centre_and_hubs(small_repo) -> None:
    repo, _ = small_repo
    g = neighbourhood(repo, "Jane Miller", depth=3)
    small, dropped = truncate(g, 3, keep=g.graph["center"])
    assert dropped == g.number_of_nodes() - 3
    labels = {small.nodes[n]["label"] for n in small}
    assert labels >= {"Jane Miller", "Northfield University"}
    whole = build_network(repo)
    top, _ = truncate(whole, 1)
    assert [whole.nodes[n]["label"] for n in top] == ["Northfield University"]


def test_analyze_on_the_store(small_repo) -> None:
    repo, _ = small_repo
    report = analytics.analyze(repo, top=3, path=("Lakeside Polytechnic", "Riverbend University"))
    assert report.by_degree[0].label == "Northfield University"
    assert [s.relation for s in report.path] == ["partnersWith"] * 4
    assert report.enterprises[0].score == 2  # Acme: Northfield + Lakeside; Bluewave: Northfield + Riverbend


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trips(small_repo, fmt: str) -> None:
    repo, _ = small_repo
    data = analytics.export_network(repo, fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    g = reader(io.BytesIO(data))
    assert (g.number_of_nodes(), g.number_of_edges()) == (9, 10)
    labels = {d["label"]: d for _n, d in g.nodes(data=True)}
    assert "NFU" in labels["Northfield University"]["aliases"]
    relations = sorted(d["relation"] for *_e, d in g.edges(data=True))
    assert relations.count("partnersWith") == 4


def test_export_rejects_unknown_format(small_repo) -> None:
    repo, _ = small_repo
    with pytest.raises(UnsupportedFormat, match="graphml, gexf"):
        analytics.export_network(repo, "dot")
