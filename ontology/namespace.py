"""The edukg vocabulary and IRI bases: the one place in the code base that spells edukg IRIs.

Everything else imports `EDUKG`, the IRI bases and the prefix table from here, so a change of
namespace is a one-line change and a typo in a term name fails at import time (`_fail=True`).
`tests/kg/test_kg_ontology.py` checks that the terms below are exactly those `edukg.ttl` defines.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = SDO  # https://schema.org/

BASE = "https://w3id.org/edukg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")  # entities: ID/<type lowercase>/<slug>
ARTICLE = Namespace(BASE + "article/")  # article = its named graph: ARTICLE/<16 hex of content hash>
GRAPH = Namespace(BASE + "graph/")  # shared (non-article) named graphs
# SKOS labels of every entity (one skos:prefLabel + rdfs:label, the other names as skos:altLabel),
# derived from the edukg:name values of all article graphs and recomputed on every ingest/remove
ENTITIES_GRAPH = GRAPH["entities"]
# one triple per distinct relation triple of all article graphs plus a fact node per triple with
# its support, best confidence and dates (kg/facts.py), kept in step on every ingest/remove
FACTS_GRAPH = GRAPH["facts"]
FACT = Namespace(BASE + "fact/")  # fact nodes: FACT/<16 hex of the triple's hash>

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_TTL = ONTOLOGY_DIR / "edukg.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"


class EDUKG(DefinedNamespace):
    """Terms of the edukg ontology (https://w3id.org/edukg/ontology#)."""

    _fail = True
    _NS = Namespace("https://w3id.org/edukg/ontology#")

    # classes
    University: URIRef
    Enterprise: URIRef
    Alliance: URIRef
    GovernmentBody: URIRef
    Institute: URIRef
    Program: URIRef
    Person: URIRef
    Place: URIRef
    Article: URIRef
    Evidence: URIRef

    # relations between entities
    partnersWith: URIRef
    memberOf: URIRef
    hasMember: URIRef
    establishedBy: URIRef
    partOf: URIRef
    locatedIn: URIRef
    leads: URIRef

    # evidence and article metadata
    sentence: URIRef
    start: URIRef
    end: URIRef
    confidence: URIRef
    contentHash: URIRef
    name: URIRef  # a name one article uses for an entity (article graphs); SKOS labels are derived

    # the fact layer (FACTS_GRAPH, kg/facts.py) and the name index (entities graph, kg/name_index.py)
    Fact: URIRef
    support: URIRef
    bestConfidence: URIRef
    firstDate: URIRef
    lastDate: URIRef
    evidence: URIRef
    nameKey: URIRef
    nameWords: URIRef


PREFIXES: dict[str, str] = {
    "edukg": str(EDUKG._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
}

# `PREFIX ...` lines for SPARQL text built in code
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def class_iri(entity_type: str) -> URIRef:
    """The edukg class of an extract/ entity type name ("University" → edukg:University)."""
    return EDUKG[entity_type]


def relation_iri(predicate: str) -> URIRef:
    """The edukg property of an extract/ relation name ("partnersWith" → edukg:partnersWith)."""
    return EDUKG[predicate]


__all__ = [
    "ARTICLE",
    "BASE",
    "DCTERMS",
    "EDUKG",
    "ENTITIES_GRAPH",
    "FACT",
    "FACTS_GRAPH",
    "FOAF",
    "GRAPH",
    "ID",
    "ONTOLOGY_IRI",
    "ONTOLOGY_TTL",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SHAPES_TTL",
    "SKOS",
    "SPARQL_PREFIXES",
    "XSD",
    "class_iri",
    "relation_iri",
]
