"""Ingest and remove on a real (in-memory Oxigraph) store: no-op, replace, remove, provenance."""

from __future__ import annotations

import pytest
from kg_support import Build
from rdflib import Literal

from kg.errors import Ambiguous, BadExtraction, NotFound
from kg.ingest import find_articles, ingest_extraction, remove_article
from kg.iris import article_iri
from kg.resolve import Resolver
from kg.store import Repo
from ontology.namespace import ENTITIES_GRAPH, SPARQL_PREFIXES

A_TEXT = "The Kestrel University of Science and Technology (KUST) signed an agreement with Dunmore Optics."
B_TEXT = "KUST joined the Delta Engineering Alliance. KUST and Dunmore Optics opened a joint lab."


def _a(make: Build, text: str = A_TEXT, source: str = "a.txt"):
    return make(
        text,
        source,
        [
            ("u", "Kestrel University of Science and Technology (KUST)", "University"),
            ("c", "Dunmore Optics", "Enterprise"),
        ],
        [("u", "partnersWith", "c", text.split(" signed")[0] + " signed an agreement with Dunmore Optics.")]
        if "signed" in text
        else [],
        title="Agreement",
    )


def _b(make: Build):
    return make(
        B_TEXT,
        "feeds/b.txt",
        [
            ("u", "KUST", "University"),
            ("al", "Delta Engineering Alliance", "Alliance"),
            ("c", "Dunmore Optics Co., Ltd.", "Enterprise"),
        ],
        [
            ("u", "memberOf", "al", "KUST joined the Delta Engineering Alliance."),
            ("u", "partnersWith", "c", "KUST and Dunmore Optics opened a joint lab.", 0.6),
        ],
    )


def _labels(repo: Repo) -> dict[str, list[str]]:
    rows = repo.query(SPARQL_PREFIXES + "SELECT ?e ?l WHERE { ?e skos:prefLabel ?l }").rows
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(str(row["e"]), []).append(str(row["l"]))
    return out


def test_ingest_unchanged_is_a_noop(repo: Repo, make: Build) -> None:
    article, extraction = _a(make)
    first = ingest_extraction(repo, article, extraction)
    assert first.status == "ingested" and first.article == str(article_iri(article))
    assert first.entities == 2 and first.relations == 1 and first.triples > 10
    size, dump = len(repo), repo.dump("nquads")
    again = ingest_extraction(repo, article, extraction)
    assert again.status == "unchanged" and again.triples == 0
    assert len(repo) == size and repo.dump("nquads") == dump
    # same content under another source name (a copy) is the same article
    copy = article.__class__(text=article.text + "\n", source="copy-of-a.txt")
    assert ingest_extraction(repo, copy, extraction).status == "unchanged"
    assert len(repo) == size


def test_changed_article_replaces_its_graph(repo: Repo, make: Build) -> None:
    old_article, old_extraction = _a(make)
    ingest_extraction(repo, old_article, old_extraction)
    new_text = A_TEXT.replace("signed an agreement", "renewed a pact")
    new_article, new_extraction = make(
        new_text, "a.txt", [("u", "Kestrel University of Science and Technology", "University")]
    )
    outcome = ingest_extraction(repo, new_article, new_extraction)
    assert outcome.status == "replaced"
    assert outcome.replaced == [str(article_iri(old_article))]
    assert repo.named_graphs() == sorted([str(article_iri(new_article)), str(ENTITIES_GRAPH)])
    # the enterprise only the old version named is gone, labels included
    assert all("dunmore" not in iri for iri in _labels(repo))
    assert repo.query(SPARQL_PREFIXES + "ASK { ?s edukg:partnersWith ?o }").boolean is False


def test_force_rewrites_an_unchanged_article(repo: Repo, make: Build) -> None:
    article, extraction = _a(make)
    ingest_extraction(repo, article, extraction)
    size = len(repo)
    outcome = ingest_extraction(repo, article, extraction, force=True)
    assert outcome.status == "replaced" and len(repo) == size


def test_cross_article_resolution_labels_and_provenance(repo: Repo, make: Build) -> None:
    resolver = Resolver.from_repo(repo)
    a = ingest_extraction(repo, *_a(make), resolver=resolver)
    b = ingest_extraction(repo, *_b(make), resolver=resolver)
    assert a.new_entities == 2 and b.new_entities == 1  # KUST and Dunmore Optics resolved

    labels = _labels(repo)
    assert all(len(values) == 1 for values in labels.values())  # one prefLabel per entity
    uni = next(
        iri for iri, values in labels.items() if values == ["Kestrel University of Science and Technology"]
    )
    alt = repo.query(SPARQL_PREFIXES + f"SELECT ?l WHERE {{ <{uni}> skos:altLabel ?l }}").rows
    assert {str(r["l"]) for r in alt} == {"KUST"}

    # provenance: which articles support "KUST partnersWith Dunmore Optics", with sentence and confidence
    rows = repo.query(
        SPARQL_PREFIXES
        + """
        SELECT ?article ?source ?sentence ?confidence WHERE {
          ?u skos:prefLabel "Kestrel University of Science and Technology" .
          ?c skos:prefLabel ?clabel . FILTER(STRSTARTS(?clabel, "Dunmore Optics"))
          GRAPH ?article {
            ?ev a edukg:Evidence ; rdf:subject ?u ; rdf:predicate edukg:partnersWith ; rdf:object ?c ;
                edukg:sentence ?sentence ; edukg:confidence ?confidence ; prov:wasDerivedFrom ?article .
          }
          ?article dcterms:source ?source .
        } ORDER BY ?source"""
    ).rows
    assert [str(r["source"]) for r in rows] == ["a.txt", "feeds/b.txt"]
    assert [str(r["article"]) for r in rows] == [a.article, b.article]
    assert rows[1]["sentence"] == Literal("KUST and Dunmore Optics opened a joint lab.")
    assert float(rows[1]["confidence"]) == pytest.approx(0.6)


def test_remove_drops_only_what_only_it_asserted(repo: Repo, make: Build) -> None:
    resolver = Resolver.from_repo(repo)
    a = ingest_extraction(repo, *_a(make), resolver=resolver)
    b = ingest_extraction(repo, *_b(make), resolver=resolver)
    before = _labels(repo)
    outcome = remove_article(repo, "a.txt", resolver=resolver)
    assert outcome.removed == [a.article] and outcome.triples > 0 and outcome.entities_gone == 0
    after = _labels(repo)
    assert set(after) == set(before)  # all three entities are still named by b
    uni = next(iri for iri in after if "/university/" in iri)
    assert after[uni] == ["KUST"]  # the label recomputed from what b says
    assert repo.query(SPARQL_PREFIXES + "ASK { ?s edukg:partnersWith ?o }").boolean is True  # b says it too

    outcome = remove_article(repo, b.article[-16:], resolver=resolver)  # by hash prefix
    assert outcome.removed == [b.article] and outcome.entities_gone == 3
    assert len(repo) == 0 and repo.named_graphs() == []
    assert resolver.match("University", ["KUST"]) is None


def test_find_articles_by_every_kind_of_reference(repo: Repo, make: Build) -> None:
    a = ingest_extraction(repo, *_a(make))
    b = ingest_extraction(repo, *_b(make))
    assert find_articles(repo, a.article) == [a.article]
    assert find_articles(repo, "a.txt") == [a.article]
    assert find_articles(repo, "b.txt") == [b.article]  # file name of feeds/b.txt
    assert find_articles(repo, b.article.rsplit("/", 1)[1][:8]) == [b.article]
    with pytest.raises(NotFound):
        remove_article(repo, "nothing.txt")
    ingest_extraction(repo, *make("Other text about a topic.", "other/b.txt", []))
    with pytest.raises(Ambiguous):
        find_articles(repo, "b.txt")


def test_bad_extraction_leaves_the_store_as_it_was(repo: Repo, make: Build) -> None:
    ingest_extraction(repo, *_a(make))
    dump = repo.dump("nquads")
    article, extraction = _b(make)
    extraction.relations[0].object = "nobody"
    with pytest.raises(BadExtraction):
        ingest_extraction(repo, article, extraction)
    assert repo.dump("nquads") == dump
