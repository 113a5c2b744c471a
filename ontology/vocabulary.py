"""What the ontology says about edukg's relations and types, as Python values kg/ computes with.

The facts live in ontology/edukg.ttl (owl:SymmetricProperty, owl:inverseOf) and ontology/shapes.ttl
(which classes are organisations, each relation's subject and object types); this module is their
one copy in Python, and tests/kg/test_kg_vocabulary.py reads the Turtle and checks that the two
agree, so they cannot drift apart. Constants rather than a parse at import: kg/ uses them on
every ingest, and the store process should not parse Turtle to start.
"""

from __future__ import annotations

# classes of shapes:Organisation
ORG_TYPES: tuple[str, ...] = ("University", "Enterprise", "Alliance", "GovernmentBody", "Institute")
ENTITY_TYPES: tuple[str, ...] = (*ORG_TYPES, "Program", "Person", "Place")
# the relations extract/ emits, then the inverse edukg materialises
RELATIONS: tuple[str, ...] = ("partnersWith", "memberOf", "establishedBy", "partOf", "locatedIn", "leads")

# owl:SymmetricProperty
SYMMETRIC: frozenset[str] = frozenset({"partnersWith"})
# owl:inverseOf, both directions
INVERSE_OF: dict[str, str] = {"memberOf": "hasMember", "hasMember": "memberOf"}
# the property of a statement's mirror image (B p' A for A p B): itself if symmetric, else its inverse
MIRROR: dict[str, str] = {**{p: p for p in sorted(SYMMETRIC)}, **INVERSE_OF}
# inverse properties folded onto the relation extract/ emits (hasMember → memberOf, reversed)
FOLDED: dict[str, str] = {p: q for p, q in INVERSE_OF.items() if p not in RELATIONS}
ALL_RELATIONS: tuple[str, ...] = (*RELATIONS, *FOLDED)

_ORG = frozenset(ORG_TYPES)
_ANY = frozenset(ENTITY_TYPES)
# (allowed subject types, allowed object types) per relation, as shapes.ttl's relation shapes say
RELATION_SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "partnersWith": (_ORG, _ORG),
    "memberOf": (_ORG | {"Person"}, _ORG),
    "hasMember": (_ORG, _ORG | {"Person"}),
    "establishedBy": (_ORG | {"Program"}, _ORG | {"Person"}),
    "partOf": (_ORG, _ORG),
    "locatedIn": (_ANY, frozenset({"Place"})),
    "leads": (frozenset({"Person"}), _ORG),
}


def canonical_edge(s: str, p: str, o: str) -> tuple[str, str, str]:
    """One spelling of a relation statement and its mirror image: an inverse folded onto the
    relation extract/ emits (B hasMember A → A memberOf B), a symmetric one with the smaller IRI
    first. Pictures and look-ups count an edge once this way."""
    if p in FOLDED:
        s, p, o = o, FOLDED[p], s
    if p in SYMMETRIC and o < s:
        s, o = o, s
    return s, p, o
