"""Extraction → article graph: exact triples for a hand-built extraction."""

from __future__ import annotations

import pytest
from kg_support import Build
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from extract.model import Relation
from kg.errors import BadExtraction
from kg.iris import article_iri, entity_iri, slugify
from kg.mapping import map_extraction
from ontology.namespace import DCTERMS, EDUKG, PROV, RDF, SCHEMA

TEXT = (
    "Nordvale University of Technology (NUT) and Brightwave Robotics Co., Ltd. signed an agreement. "
    "The Nordvale Robotics Joint Laboratory was established by Nordvale University of Technology and Brightwave Robotics. "
    "Kalder Moss, president of NUT, spoke in Nordvale City."
)


def _example(make: Build):
    return make(
        TEXT,
        "news/a.txt",
        [
            ("e1", "Nordvale University of Technology (NUT)", "University", ["our school"]),
            ("e2", "Brightwave Robotics Co., Ltd.", "Enterprise", ["Brightwave Robotics"]),
            ("e3", "the Nordvale Robotics Joint Laboratory", "Institute"),
            ("e4", "Kalder Moss", "Person"),
            ("e5", "Nordvale City", "Place"),
            ("e6", "NUT", "University"),
        ],
        [
            (
                "e1",
                "partnersWith",
                "e2",
                "Nordvale University of Technology (NUT) and Brightwave Robotics Co., Ltd. signed an agreement.",
            ),
            (
                "e3",
                "establishedBy",
                "e1",
                "The Nordvale Robotics Joint Laboratory was established by Nordvale University of Technology and Brightwave Robotics.",
            ),
            (
                "e3",
                "establishedBy",
                "e2",
                "The Nordvale Robotics Joint Laboratory was established by Nordvale University of Technology and Brightwave Robotics.",
            ),
            ("e4", "leads", "e6", "Kalder Moss, president of NUT, spoke in Nordvale City.", 0.7),
            ("e5", "leads", "e1", "Kalder Moss, president of NUT, spoke in Nordvale City."),  # ill-typed
        ],
        title="Agreement signed",
        date="2024-05-06",
        url="https://news.example.org/a b",
        publisher="Example Press",
        language="en",
    )


def test_article_graph(make: Build) -> None:
    article, extraction = _example(make)
    mapped = map_extraction(article, extraction)
    g, a = mapped.graph, article_iri(article)
    assert a == URIRef("https://w3id.org/edukg/article/" + article.content_hash[:16])
    assert mapped.iri == a

    # metadata
    assert (a, RDF.type, EDUKG.Article) in g
    assert (a, EDUKG.contentHash, Literal(article.content_hash)) in g
    assert (a, DCTERMS.source, Literal("news/a.txt")) in g
    assert (a, DCTERMS.title, Literal("Agreement signed")) in g
    assert (a, DCTERMS.date, Literal("2024-05-06", datatype=XSD.date)) in g
    assert (a, SCHEMA.url, URIRef("https://news.example.org/a%20b")) in g
    assert (a, DCTERMS.publisher, Literal("Example Press")) in g
    assert (a, DCTERMS.language, Literal("en")) in g

    # entities: the acronym-only entity e6 is the same node as e1 (within-article resolution)
    uni = entity_iri("University", "Nordvale University of Technology")
    assert mapped.entity_iris["e1"] == mapped.entity_iris["e6"] == uni
    assert uni == URIRef("https://w3id.org/edukg/id/university/nordvale-university-of-technology")
    company = mapped.entity_iris["e2"]
    assert company == URIRef("https://w3id.org/edukg/id/enterprise/brightwave-robotics")
    assert set(g.objects(uni, EDUKG.name)) == {Literal("Nordvale University of Technology"), Literal("NUT")}
    assert Literal("our school") not in set(g.objects(uni, EDUKG.name))  # generic mention dropped
    assert set(g.objects(mapped.entity_iris["e3"], EDUKG.name)) == {
        Literal("Nordvale Robotics Joint Laboratory")
    }
    assert (uni, RDF.type, EDUKG.University) in g and (company, RDF.type, EDUKG.Enterprise) in g
    assert len(set(g.subjects(RDF.type, EDUKG.University))) == 1
    for ent in set(mapped.entity_iris.values()):
        assert (a, SCHEMA.mentions, ent) in g

    # relations, with the symmetric direction materialised
    assert (uni, EDUKG.partnersWith, company) in g and (company, EDUKG.partnersWith, uni) in g
    assert (mapped.entity_iris["e4"], EDUKG.leads, uni) in g
    assert not list(g.triples((mapped.entity_iris["e5"], EDUKG.leads, None)))
    assert mapped.relations == 4 and len(mapped.skipped) == 1 and "Place" in mapped.skipped[0]

    # one evidence node per relation, reifying it
    evidence = set(g.subjects(RDF.type, EDUKG.Evidence))
    assert len(evidence) == 4
    lead_ev = next(ev for ev in evidence if g.value(ev, RDF.predicate) == EDUKG.leads)
    assert g.value(lead_ev, RDF.subject) == mapped.entity_iris["e4"]
    assert g.value(lead_ev, RDF.object) == uni
    sentence = str(g.value(lead_ev, EDUKG.sentence))
    start, end = int(g.value(lead_ev, EDUKG.start)), int(g.value(lead_ev, EDUKG.end))
    assert article.text[start:end] == sentence
    assert g.value(lead_ev, EDUKG.confidence) == Literal(0.7, datatype=XSD.double)
    assert g.value(lead_ev, PROV.wasDerivedFrom) == a
    # no SKOS labels in article graphs (they are derived in the entities graph)
    assert not any(str(p).startswith("http://www.w3.org/2004/02/skos/core#") for p in g.predicates())


def test_same_input_same_graph(make: Build) -> None:
    first = map_extraction(*_example(make)).graph
    second = map_extraction(*_example(make)).graph
    assert set(first) == set(second)


def test_memberof_inverse_and_self_loop(make: Build) -> None:
    text = "Orvid University joined the Orvid Alliance. Orvid University partners with Orvid University."
    article, extraction = make(
        text,
        "b.txt",
        [
            ("u", "Orvid University", "University"),
            ("u2", "the Orvid University", "University"),
            ("al", "Orvid Alliance", "Alliance"),
        ],
        [
            ("u", "memberOf", "al", "Orvid University joined the Orvid Alliance."),
            ("u", "partnersWith", "u2", "Orvid University partners with Orvid University."),
        ],
    )
    mapped = map_extraction(article, extraction)
    u, al = mapped.entity_iris["u"], mapped.entity_iris["al"]
    assert (u, EDUKG.memberOf, al) in mapped.graph and (al, EDUKG.hasMember, u) in mapped.graph
    assert mapped.relations == 1 and "one entity" in mapped.skipped[0]


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda x: setattr(x.entities[0], "type", "Company"), "unknown type"),
        (lambda x: setattr(x.relations[0], "object", "e99"), "unknown entity"),
        (lambda x: setattr(x.relations[0], "predicate", "owns"), "unknown relation"),
        (lambda x: setattr(x.relations[0], "confidence", 1.5), "confidence"),
        (lambda x: x.relations.append(Relation("e1", "partnersWith", "e2", "s", 10, 5, 0.5)), "offsets"),
    ],
)
def test_bad_extraction_is_refused(make: Build, mutate, message: str) -> None:
    article, extraction = _example(make)
    mutate(extraction)
    with pytest.raises(BadExtraction, match=message):
        map_extraction(article, extraction)


def test_slugs_are_readable_and_stable() -> None:
    assert slugify("Xi'an University of Technology") == "xian-university-of-technology"
    assert (
        slugify("The  Ministry of Education") == slugify("ministry of education") == "ministry-of-education"
    )
    assert slugify("Yalong Intelligent Equipment Co., Ltd.", "Enterprise") == "yalong-intelligent-equipment"
    cjk = slugify("北京大学")
    assert len(cjk) == 8 and cjk == slugify("北京大学") and cjk != slugify("清华大学")
    long = "Very Long " * 20 + "Name"
    assert len(slugify(long)) <= 90 and slugify(long) != slugify(long + " Two")
