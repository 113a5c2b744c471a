"""The Python vocabulary (ontology/vocabulary.py) equals what edukg.ttl and shapes.ttl say."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

import extract.model
from ontology import vocabulary as v
from ontology.namespace import EDUKG, ONTOLOGY_TTL, SHAPES_TTL

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/edukg/shapes#")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def local(iri: object) -> str:
    return str(iri).removeprefix(str(EDUKG._NS))


def allowed(shapes: Graph, node: URIRef | BNode) -> frozenset[str] | None:
    """The classes a node must have under `node`'s constraints (sh:class, sh:node, sh:or);
    None when it says nothing about classes."""
    found: set[str] = set()
    said = False
    for cls in shapes.objects(node, SH["class"]):
        found.add(local(cls))
        said = True
    for ref in shapes.objects(node, SH.node):
        inner = allowed(shapes, ref)
        if inner is not None:
            found |= inner
            said = True
    for alternatives in shapes.objects(node, SH["or"]):
        for alt in Collection(shapes, alternatives):
            inner = allowed(shapes, alt)
            if inner is not None:
                found |= inner
                said = True
    return frozenset(found) if said else None


def test_symmetric_and_inverse_properties(onto: Graph) -> None:
    assert {local(p) for p in onto.subjects(RDF.type, OWL.SymmetricProperty)} == v.SYMMETRIC
    pairs = {(local(a), local(b)) for a, b in onto.subject_objects(OWL.inverseOf)}
    assert dict(pairs | {(b, a) for a, b in pairs}) == v.INVERSE_OF
    bookkeeping = {EDUKG.Fact, EDUKG.Evidence, EDUKG.Article}  # properties of fact/evidence nodes
    assert set(v.RELATIONS) | set(v.FOLDED) == {
        local(p)
        for p in onto.subjects(RDF.type, OWL.ObjectProperty)
        if str(p).startswith(str(EDUKG._NS)) and onto.value(p, RDFS.domain) not in bookkeeping
    }


def test_organisation_types_and_signatures(shapes: Graph) -> None:
    assert set(v.ORG_TYPES) == allowed(shapes, SHAPES.Organisation)
    signatures = {}
    for shape, prop in shapes.subject_objects(SH.targetSubjectsOf):
        subjects = allowed(shapes, shape) or frozenset(v.ENTITY_TYPES)
        objects = frozenset().union(
            *(
                allowed(shapes, p) or frozenset()
                for p in shapes.objects(shape, SH.property)
                if shapes.value(p, SH.path) == prop
            )
        )
        signatures[local(prop)] = (subjects, objects)
    assert signatures == v.RELATION_SIGNATURES


def test_extract_uses_the_same_types_and_relations() -> None:
    assert tuple(extract.model.ORG_TYPES) == v.ORG_TYPES
    assert set(extract.model.ENTITY_TYPES) == set(v.ENTITY_TYPES)
    assert tuple(extract.model.RELATIONS) == v.RELATIONS


def test_extract_signatures_are_within_the_shapes() -> None:
    """The extractor's own (stricter) relation signatures never propose a triple the SHACL
    shapes would reject: each relation's subject and object types are among those allowed."""
    from extract.relations.candidates import SIGNATURES

    assert set(SIGNATURES) == set(v.RELATIONS)
    for label, (heads, tails) in SIGNATURES.items():
        subjects, objects = v.RELATION_SIGNATURES[label]
        assert heads <= subjects, (label, sorted(heads - subjects))
        assert tails <= objects, (label, sorted(tails - objects))
