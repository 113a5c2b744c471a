"""The name index: keys computed in Python and in SPARQL agree, look-ups find entities by whole
words of any of their names, and the index follows ingest and removal."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from kg_support import build
from rdflib import Literal

from kg import lookup
from kg.examples import get_query
from kg.ingest import ingest_extraction, remove_article
from kg.name_index import name_key, query_key, sparql_key, word_runs
from kg.store import Repo
from kg.store.sparql_text import term_sparql

NAMES = [
    "Xi'an University of Technology",
    "The University of Shanghai for Science & Technology (USST)",
    "  of Shanghai ",
    "of the",
    "the",
    "",
    "Zürich  Co., Ltd.",
    "Huawei’s lab",
    "La Trobe University",
    "A-B_c d",
    "ÉCOLE   Polytechnique—Paris",
]


@pytest.mark.parametrize("text", NAMES)
def test_sparql_key_agrees_with_python(text: str) -> None:
    store = ox.Store()
    literal = term_sparql(Literal(text))
    row = next(iter(store.query(f"SELECT ({sparql_key(literal)} AS ?k) WHERE {{}}")))
    assert row["k"].value == query_key(text)


def test_a_query_key_is_a_run_of_the_name_it_is_part_of() -> None:
    name = "University of Shanghai for Science and Technology"
    runs = word_runs(name_key(name))
    for part in ["shanghai", "University of Shanghai", "science and technology", "of Shanghai for", name, ""]:
        assert query_key(part) in runs, part
    for part in ["shang", "technology university", "university of shanghai for science and technology x"]:
        assert query_key(part) not in runs, part


def _store(repo: Repo) -> None:
    s1 = "Arvel University of Technology (AUT) and Brisk Motors Co., Ltd. signed an agreement."
    article, extraction = build(
        s1,
        "a.txt",
        [
            ("a", "Arvel University of Technology", "University", ["AUT"]),
            ("b", "Brisk Motors Co., Ltd.", "Enterprise"),
        ],
        [("a", "partnersWith", "b", s1)],
    )
    ingest_extraction(repo, article, extraction)
    s2 = "The Coastal Engineering Alliance welcomed Arvel University of Technology."
    article, extraction = build(
        s2,
        "b.txt",
        [
            ("c", "Coastal Engineering Alliance", "Alliance"),
            ("a", "Arvel University of Technology", "University"),
        ],
        [("a", "memberOf", "c", s2)],
    )
    ingest_extraction(repo, article, extraction)


def _found(repo: Repo, q: str) -> list[str]:
    return [e["label"] for e in lookup.search_entities(repo, q)["items"]]


def test_search_by_words_of_any_name(repo: Repo) -> None:
    _store(repo)
    assert _found(repo, "aut") == ["Arvel University of Technology"]
    assert _found(repo, "ARVEL university") == ["Arvel University of Technology"]
    assert _found(repo, "brisk motors co ltd") == ["Brisk Motors Co., Ltd."]
    assert _found(repo, "of Technology") == ["Arvel University of Technology"]
    assert _found(repo, "engineering") == ["Coastal Engineering Alliance"]
    assert _found(repo, "arv") == []  # whole words only
    assert len(_found(repo, "")) == 3


def test_index_follows_removal(repo: Repo) -> None:
    _store(repo)
    remove_article(repo, "b.txt")
    assert _found(repo, "coastal") == []
    assert _found(repo, "arvel") == ["Arvel University of Technology"]
    remove_article(repo, "a.txt")
    assert _found(repo, "arvel") == []


def test_example_queries_use_the_parameter_key(repo: Repo) -> None:
    _store(repo)
    text = get_query("partners_of_university").render(university="Arvel University")
    assert 'BIND("arvel university" AS ?qkey_university)' in text
    rows = repo.query(text).rows
    assert [str(r["partnerLabel"]) for r in rows] == ["Brisk Motors Co., Ltd."]
    rows = repo.query(get_query("members_of_alliance").render(alliance="coastal")).rows
    assert [str(r["memberLabel"]) for r in rows] == ["Arvel University of Technology"]
