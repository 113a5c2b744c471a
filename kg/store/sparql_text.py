"""SPARQL Update text built from rdflib terms, shared by every backend that writes by update.

Writing an article as one `DROP SILENT GRAPH …; INSERT DATA { GRAPH … { … } }` request is what
makes the write atomic on embedded Oxigraph (one `Store.update` = one transaction) and on any
SPARQL 1.1 server (one request = one transaction), with no backend-specific code in kg/ingest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


def term_sparql(term: Node) -> str:
    """One term in SPARQL/N-Triples syntax (literals escaped, never triple-quoted)."""
    if isinstance(term, URIRef):
        return f"<{_escape_iri(str(term))}>"
    if isinstance(term, BNode):
        return f"_:b{term}"
    if isinstance(term, Literal):
        text = '"' + _escape_string(str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{_escape_iri(str(term.datatype))}>"
        return text
    raise TypeError(f"cannot write {type(term).__name__} in SPARQL data")


def triples_block(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """Triples as lines of `s p o .` for an INSERT DATA block."""
    return "\n".join(f"{term_sparql(s)} {term_sparql(p)} {term_sparql(o)} ." for s, p, o in triples)


def replace_graph_update(graph: str, triples: Graph | Iterable[tuple[Node, Node, Node]]) -> str:
    """The update that makes `graph` hold exactly `triples`."""
    parts = [f"DROP SILENT GRAPH <{_escape_iri(graph)}>"]
    body = triples_block(triples)
    if body:
        parts.append(f"INSERT DATA {{ GRAPH <{_escape_iri(graph)}> {{\n{body}\n}} }}")
    return " ;\n".join(parts)


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape_string(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _STRING_ESCAPES.get(m.group(0)) or f"\\u{ord(m.group(0)):04X}", text)


_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def _escape_iri(iri: str) -> str:
    """IRIs cannot be escaped in SPARQL; refuse the characters that would break out of <...>."""
    if _IRI_FORBIDDEN.search(iri):
        raise ValueError(f"IRI contains characters not allowed in SPARQL: {iri!r}")
    return iri
