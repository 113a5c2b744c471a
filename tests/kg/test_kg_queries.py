"""The shipped example queries answer correctly on a small hand-built graph."""

from __future__ import annotations

import pytest
from kg_support import build

from kg.errors import BadQuery, NotFound
from kg.examples import get_query, list_queries
from kg.ingest import ingest_extraction
from kg.resolve import Resolver
from kg.store import Repo, open_repo
from kg.validate import union_graph, validate_graph, validate_repo
from ontology.namespace import EDUKG, SKOS

S1 = "Ardent University and Borel Systems signed an agreement."
S2 = "Ardent University and Calyx Motors opened a joint lab."
S3 = "Dorne University and Borel Systems will train engineers."
S4 = "The Ardent-Borel AI Institute was established by Ardent University and Borel Systems."
S5 = "Ardent University and Dorne University joined the Eastern Engineering Alliance."


@pytest.fixture(scope="module")
def store() -> Repo:
    repo = open_repo("memory")
    resolver = Resolver()
    articles = [
        build(
            f"{S1} {S2}",
            "one.txt",
            [
                ("a", "Ardent University", "University"),
                ("b", "Borel Systems", "Enterprise"),
                ("c", "Calyx Motors", "Enterprise"),
            ],
            [("a", "partnersWith", "b", S1), ("c", "partnersWith", "a", S2)],
        ),
        build(
            f"{S3} {S4}",
            "two.txt",
            [
                ("d", "Dorne University", "University"),
                ("b", "Borel Systems Co., Ltd.", "Enterprise"),
                ("a", "Ardent University", "University"),
                ("i", "Ardent-Borel AI Institute", "Institute"),
            ],
            [
                ("d", "partnersWith", "b", S3),
                ("i", "establishedBy", "a", S4),
                ("i", "establishedBy", "b", S4),
            ],
        ),
        build(
            f"{S5} {S1}",
            "three.txt",
            [
                ("a", "Ardent University", "University"),
                ("d", "Dorne University", "University"),
                ("e", "Eastern Engineering Alliance", "Alliance"),
                ("b", "Borel Systems", "Enterprise"),
            ],
            [("a", "memberOf", "e", S5), ("d", "memberOf", "e", S5), ("a", "partnersWith", "b", S1, 0.8)],
        ),
    ]
    for article, extraction in articles:
        ingest_extraction(repo, article, extraction, resolver=resolver)
    return repo


def _run(store: Repo, name: str, **params: str) -> list[dict[str, str]]:
    result = store.query(get_query(name).render(**params))
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


def test_every_query_is_listed_documented_and_runs(store: Repo) -> None:
    names = {q.name for q in list_queries()}
    assert {
        "partners_of_university",
        "members_of_alliance",
        "top_enterprise_partners",
        "joint_institutes",
        "triple_provenance",
        "entity_provenance",
    } <= names
    for q in list_queries():
        assert q.title and q.description
        for p in q.params:
            assert p.description, (q.name, p.name)
        assert store.query(q.text).kind == "select"


def test_partners_of_university(store: Repo) -> None:
    rows = _run(store, "partners_of_university", university="ardent")
    assert {(r["partnerLabel"], r["articles"]) for r in rows} == {
        ("Borel Systems", "2"),
        ("Calyx Motors", "1"),
    }
    # symmetric: asked from the other side too; all universities when the parameter is empty
    rows = _run(store, "partners_of_university")
    assert {(r["universityLabel"], r["partnerLabel"]) for r in rows} == {
        ("Ardent University", "Borel Systems"),
        ("Ardent University", "Calyx Motors"),
        ("Dorne University", "Borel Systems"),
    }


def test_members_of_alliance(store: Repo) -> None:
    rows = _run(store, "members_of_alliance", alliance="Eastern")
    assert sorted(r["memberLabel"] for r in rows) == ["Ardent University", "Dorne University"]
    assert _run(store, "members_of_alliance", alliance="no such alliance") == []


def test_top_enterprise_partners(store: Repo) -> None:
    rows = _run(store, "top_enterprise_partners")
    assert [(r["enterpriseLabel"], r["universities"]) for r in rows] == [
        ("Borel Systems", "2"),
        ("Calyx Motors", "1"),
    ]


def test_joint_institutes(store: Repo) -> None:
    rows = _run(store, "joint_institutes")
    assert (
        len(rows) == 1
        and rows[0]["instituteLabel"] == "Ardent-Borel AI Institute"
        and rows[0]["founders"] == "2"
    )
    assert "Ardent University (University)" in rows[0]["establishedBy"]
    # names as the establishing article gives them
    assert "Borel Systems Co., Ltd. (Enterprise)" in rows[0]["establishedBy"]
    assert _run(store, "joint_institutes", min_founders="3") == []


def test_triple_provenance(store: Repo) -> None:
    rows = _run(store, "triple_provenance", subject="Ardent", predicate="partnersWith", object="Borel")
    assert sorted(r["source"] for r in rows) == ["one.txt", "three.txt"]
    assert {r["sentence"] for r in rows} == {S1}
    # either direction for the symmetric relation
    reverse = _run(store, "triple_provenance", subject="Borel", predicate="partnersWith", object="Ardent")
    assert sorted(r["source"] for r in reverse) == ["one.txt", "three.txt"]
    assert _run(store, "triple_provenance", subject="Ardent", predicate="memberOf", object="Borel") == []


def test_entity_provenance(store: Repo) -> None:
    rows = _run(store, "entity_provenance", entity="Borel Systems")
    by_source = {r["source"]: r["namesUsed"] for r in rows if r["label"] == "Borel Systems"}
    assert by_source == {
        "one.txt": "Borel Systems",
        "two.txt": "Borel Systems Co., Ltd.",
        "three.txt": "Borel Systems",
    }


def test_render_escapes_and_checks_parameters() -> None:
    q = get_query("partners_of_university")
    text = q.render(university='x") } DROP ALL #')
    assert 'BIND("x\\") } DROP ALL #" AS ?q_university)' in text
    with pytest.raises(BadQuery):
        q.render(nope="1")
    with pytest.raises(NotFound):
        get_query("nope")


def test_shacl_conforms_and_catches_breakage(store: Repo) -> None:
    report = validate_repo(store)
    assert report.conforms, [v.line() for v in report.violations]
    graph = union_graph(store)
    ardent = next(graph.subjects(SKOS.prefLabel, None))
    graph.add((ardent, SKOS.prefLabel, graph.value(ardent, SKOS.prefLabel) + " (second)"))
    evidence = next(graph.subjects(None, EDUKG.Evidence))
    graph.remove((evidence, EDUKG.confidence, None))
    report = validate_graph(graph)
    assert not report.conforms
    messages = " ".join(v.line() for v in report.violations)
    assert "prefLabel" in messages and "confidence" in messages
