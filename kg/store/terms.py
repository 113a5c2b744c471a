"""Term conversion between pyoxigraph, rdflib and the SPARQL JSON results format, in one place.

kg/ materialises query results as rdflib terms (they cross threads and processes and outlive a
cursor) but writes and serialises through pyoxigraph (faster, and transactional), so terms
cross that line in both directions; the JSON form is what /sparql and `edukg query` print.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)


def to_rdflib(term: object) -> Node:
    """A pyoxigraph term as the equivalent rdflib term (xsd:string literals become plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.Triple):  # RDF-star quoted triple: not used by edukg, keep readable
        return Literal(str(term))
    raise TypeError(f"unexpected pyoxigraph term {term!r}")


def to_ox(
    term: Node, bnodes: dict[str, ox.BlankNode] | None = None
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term. With `bnodes`, a blank node label gets a fresh
    pyoxigraph blank node, the same one each time within that dict: for labels from elsewhere
    (a remote server's) that need not be valid pyoxigraph identifiers."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        if bnodes is not None:
            return bnodes.setdefault(str(term), ox.BlankNode())
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected rdflib term {term!r}")


def json_term(term: Node) -> dict[str, str]:
    """An rdflib term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
    return out
