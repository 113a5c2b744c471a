"""Analytics on hand-built graphs whose centralities, communities and paths are known."""

from __future__ import annotations

import pytest

from kg import analytics
from kg.errors import NotFound
from kg.network import AmbiguousName

from .handbuilt import add, rel, two_cliques


def test_degree_ranks_bridge_ends_first() -> None:
    rows = analytics.top_degree(two_cliques(), top=3)
    assert {r.iri for r in rows[:2]} == {"e2", "u3"}
    assert [r.score for r in rows] == [4, 4, 3]


def test_betweenness_matches_hand_computation() -> None:
    rows = analytics.top_betweenness(two_cliques(), top=8)
    scores = {r.iri: r.score for r in rows}
    assert scores["e2"] == pytest.approx(12 / 21)
    assert scores["u3"] == pytest.approx(12 / 21)
    assert all(scores[n] == pytest.approx(0.0) for n in scores if n not in ("e2", "u3"))


def test_parallel_relations_do_not_inflate_degree() -> None:
    g = two_cliques()
    rel(g, "u1", "memberOf", "u2")  # a second relation between an already linked pair
    scores = {r.iri: r.score for r in analytics.top_degree(g, top=8)}
    assert scores["u1"] == 3


def test_only_institutions_are_ranked_by_default() -> None:
    g = two_cliques()
    add(g, "p", "Some Person", "Person")
    for n in ("u1", "u2", "u3", "u4", "e1"):
        rel(g, "p", "leads", n)
    ranked = [r.iri for r in analytics.top_degree(g, top=10)]
    assert "p" not in ranked
    assert "p" in [r.iri for r in analytics.top_degree(g, top=10, types=None)][:1]


def test_louvain_finds_the_two_cliques_and_is_stable() -> None:
    comms = analytics.communities(two_cliques())
    sets = sorted(sorted(r.iri for r in c) for c in comms)
    assert sets == [["e1", "e2", "u1", "u2"], ["e3", "e4", "u3", "u4"]]
    again = analytics.communities(two_cliques())
    assert [[r.iri for r in c] for c in comms] == [[r.iri for r in c] for c in again]


def test_singletons_are_not_communities() -> None:
    g = two_cliques()
    add(g, "lonely", "Lonely Institute", "Institute")
    assert all(len(c) >= 2 for c in analytics.communities(g))


def test_cooperation_path_by_label_and_alias() -> None:
    steps = analytics.cooperation_path(two_cliques(), "university 1", "U4")
    assert [s.source for s in steps] + [steps[-1].target] == ["u1", "e2", "u3", "u4"]
    assert all(s.arrow() == "partnersWith" and not s.reverse for s in steps)
    assert steps[1].sentence == "Enterprise 2 and University 3 signed an agreement."


def test_path_does_not_go_through_a_shared_city() -> None:
    g = two_cliques()
    add(g, "city", "Some City", "Place")
    rel(g, "u1", "locatedIn", "city")
    rel(g, "u4", "locatedIn", "city")
    assert len(analytics.cooperation_path(g, "University 1", "University 4")) == 3


def test_path_reports_relation_direction() -> None:
    g = two_cliques()
    add(g, "al", "Some Alliance", "Alliance")
    add(g, "x", "Lone Institute", "Institute")
    rel(g, "u1", "memberOf", "al")
    rel(g, "x", "memberOf", "al")
    steps = analytics.cooperation_path(g, "Lone Institute", "University 1")
    assert [(s.source, s.target, s.arrow()) for s in steps] == [
        ("x", "al", "memberOf →"),
        ("al", "u1", "← memberOf"),
    ]


def test_unlinked_organisations_have_no_path() -> None:
    g = two_cliques()
    add(g, "far", "Far Alliance", "Alliance")
    assert analytics.cooperation_path(g, "University 1", "Far Alliance") == []


def test_unknown_and_ambiguous_names_are_clear_errors() -> None:
    g = two_cliques()
    with pytest.raises(NotFound, match="no organisation named"):
        analytics.find_organisation(g, "Nowhere Polytechnic")
    with pytest.raises(AmbiguousName, match="matches 4 organisations"):
        analytics.find_organisation(g, "University")


def test_enterprises_ranked_by_distinct_university_partners() -> None:
    g = two_cliques()
    rel(g, "u1", "partnersWith", "e2")  # repeated pair: still one partner
    rows = analytics.enterprises_by_university_partners(g, top=4)
    assert rows[0].iri == "e2" and rows[0].score == 3
    assert sorted(r.score for r in rows[1:]) == [2, 2, 2]
    assert all(r.type == "Enterprise" for r in rows)
