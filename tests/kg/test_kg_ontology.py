"""The OWL file and the Python namespace agree, and the alignments the issue asks for hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ontology import namespace
from ontology.namespace import EDUKG, ONTOLOGY_TTL, ORG, SHAPES_TTL


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


def _namespace_terms() -> set[str]:
    """Terms declared in ontology/namespace.py, read from its source (regenerated, not imported)."""
    source = Path(namespace.__file__).read_text(encoding="utf-8")
    body = source.split("class EDUKG(DefinedNamespace):", 1)[1].split("\n\n\n", 1)[0]
    return set(re.findall(r"^    (\w+): URIRef", body, flags=re.M))


def test_namespace_lists_exactly_the_terms_the_ontology_defines(onto: Graph) -> None:
    ns = str(EDUKG._NS)
    defined = {
        str(s)[len(ns) :]
        for s in onto.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(ns)
    }
    assert defined == _namespace_terms()
    for term in defined:  # each has a label and a comment
        assert onto.value(EDUKG[term], RDFS.label) is not None, term
        assert onto.value(EDUKG[term], RDFS.comment) is not None, term


def test_undefined_term_fails_fast() -> None:
    with pytest.raises(AttributeError):
        EDUKG.partnerWith  # noqa: B018 - typo must not silently mint an IRI


def test_alignments(onto: Graph) -> None:
    assert (EDUKG.partnersWith, RDF.type, OWL.SymmetricProperty) in onto
    assert (EDUKG.memberOf, OWL.inverseOf, EDUKG.hasMember) in onto
    assert (EDUKG.memberOf, RDFS.subPropertyOf, ORG.memberOf) in onto
    assert (EDUKG.hasMember, RDFS.subPropertyOf, ORG.hasMember) in onto
    assert (EDUKG.partOf, RDFS.subPropertyOf, ORG.subOrganizationOf) in onto
    assert (EDUKG.leads, RDFS.subPropertyOf, ORG.headOf) in onto
    for cls in ("University", "Enterprise", "Alliance", "GovernmentBody", "Institute"):
        supers = {str(o) for o in onto.objects(EDUKG[cls], RDFS.subClassOf)}
        assert any(s.startswith(str(ORG)) for s in supers), cls
        assert any(s.startswith("https://schema.org/") for s in supers), cls


def test_shapes_parse() -> None:
    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    assert len(shapes) > 50
