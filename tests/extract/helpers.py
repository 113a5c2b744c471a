"""Small helpers shared by the extraction tests."""

from __future__ import annotations

from extract.model import Extraction


def triples(ex: Extraction) -> set[tuple[str, str, str]]:
    """(subject name, predicate, object name); partnersWith ordered, being symmetric."""
    names = {e.id: e.name for e in ex.entities}
    out = set()
    for r in ex.relations:
        s, o = names[r.subject], names[r.object]
        if r.predicate == "partnersWith":
            s, o = sorted((s, o))
        out.add((s, r.predicate, o))
    return out
