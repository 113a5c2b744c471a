"""kg.lookup on a small hand-built store (no model): evidence, inverses, neighbours, ambiguity."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extract.model import Article, Entity, Extraction, Relation
from kg import lookup
from kg.errors import Ambiguous, NotFound
from kg.ingest import ingest_extraction
from kg.store import Repo, open_repo

TEXT_A = (
    "Arvel University of Technology and Brisk Motors signed a cooperation agreement. "
    "Arvel University of Technology is a member of the Coastal Engineering Alliance. Lumen is a city."
)
TEXT_B = "Brisk Motors and Cobalt Institute of Optics agreed to cooperate. Lumen Ltd. opened an office."


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


@pytest.fixture
def repo() -> Iterator[Repo]:
    repo = open_repo("memory")
    s1 = "Arvel University of Technology and Brisk Motors signed a cooperation agreement."
    s2 = "Arvel University of Technology is a member of the Coastal Engineering Alliance."
    a = Extraction(
        article="a.txt",
        entities=[
            Entity("e1", "Arvel University of Technology", "University", aliases=["AUT"]),
            Entity("e2", "Brisk Motors", "Enterprise"),
            Entity("e3", "Coastal Engineering Alliance", "Alliance"),
            Entity("e4", "Lumen", "Place"),
        ],
        relations=[
            Relation("e1", "partnersWith", "e2", s1, *_span(TEXT_A, s1), 0.9),
            Relation("e1", "memberOf", "e3", s2, *_span(TEXT_A, s2), 0.8),
        ],
    )
    s3 = "Brisk Motors and Cobalt Institute of Optics agreed to cooperate."
    b = Extraction(
        article="b.txt",
        entities=[
            Entity("e1", "Brisk Motors", "Enterprise"),
            Entity("e2", "Cobalt Institute of Optics", "Institute"),
            Entity("e3", "Lumen", "Enterprise"),
        ],
        relations=[Relation("e1", "partnersWith", "e2", s3, *_span(TEXT_B, s3), 0.7)],
    )
    assert ingest_extraction(repo, Article(TEXT_A, "a.txt", title="A"), a).status == "ingested"
    assert ingest_extraction(repo, Article(TEXT_B, "b.txt", title="B"), b).status == "ingested"
    yield repo
    repo.close()


def test_search_matches_aliases_and_types(repo: Repo) -> None:
    found = lookup.search_entities(repo, "aut")
    assert [e["label"] for e in found["items"]] == ["Arvel University of Technology"]
    assert found["items"][0]["aliases"] == ["AUT"]
    assert lookup.search_entities(repo, None, "Alliance")["total"] == 1
    with pytest.raises(NotFound):
        lookup.search_entities(repo, None, "Spaceship")


def test_entity_detail_folds_inverses_and_keeps_evidence(repo: Repo) -> None:
    brisk = lookup.resolve_entity(repo, "brisk-motors")
    detail = lookup.entity_detail(repo, brisk)
    partners = {r["other"]["label"]: r for r in detail["relations"] if r["predicate"] == "partnersWith"}
    assert set(partners) == {"Arvel University of Technology", "Cobalt Institute of Optics"}
    # evidence found although the article stated the partnership from the other side
    aut = partners["Arvel University of Technology"]["evidence"]
    assert [e["sentence"] for e in aut] == [
        "Arvel University of Technology and Brisk Motors signed a cooperation agreement."
    ]
    assert aut[0]["article"]["title"] == "A" and aut[0]["confidence"] == pytest.approx(0.9)
    assert all(r["direction"] == "out" for r in partners.values())  # no duplicate "in" copies
    assert {a["title"] for a in detail["articles"]} == {"A", "B"}
    alliance = lookup.entity_detail(repo, lookup.resolve_entity(repo, "coastal-engineering-alliance"))
    [member] = alliance["relations"]
    assert (member["predicate"], member["other"]["label"]) == ("hasMember", "Arvel University of Technology")
    assert member["evidence"][0]["sentence"].endswith("Coastal Engineering Alliance.")


def test_neighbours_by_depth(repo: Repo) -> None:
    aut = lookup.resolve_entity(repo, "arvel-university-of-technology")
    one = lookup.neighbours(repo, aut, 1)
    two = lookup.neighbours(repo, aut, 2)
    assert {n["label"] for n in one["nodes"]} == {
        "Arvel University of Technology",
        "Brisk Motors",
        "Coastal Engineering Alliance",
    }
    assert "Cobalt Institute of Optics" in {n["label"] for n in two["nodes"]}
    assert len(one["edges"]) == 2  # partnersWith both ways and memberOf/hasMember are one edge each
    capped = lookup.neighbours(repo, aut, 2, max_nodes=2)
    assert capped["truncated"] and len(capped["nodes"]) == 2


def test_ambiguous_and_unknown_slugs(repo: Repo) -> None:
    with pytest.raises(Ambiguous) as err:
        lookup.resolve_entity(repo, "lumen")
    assert "type" in err.value.message
    assert lookup.resolve_entity(repo, "lumen", "place").endswith("/place/lumen")
    for bad in ("no-such-thing", "Bad Slug", "../x"):
        with pytest.raises(NotFound):
            lookup.resolve_entity(repo, bad)
    with pytest.raises(NotFound):
        lookup.article_iri("xyz")


def test_articles_and_stats(repo: Repo) -> None:
    listing = lookup.list_articles(repo)
    assert listing["total"] == 2 and {a["title"] for a in listing["items"]} == {"A", "B"}
    detail = lookup.article_detail(repo, listing["items"][0]["iri"])
    assert detail["relations"] and all(r["sentence"] for r in detail["relations"])
    stats = lookup.stats(repo)
    assert stats["articles"] == 2 and stats["evidence"] == 3
    assert stats["relations_by_predicate"]["partnersWith"] == 4  # both directions stored
    assert stats["quads"] == len(repo)
