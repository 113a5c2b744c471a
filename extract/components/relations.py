"""spaCy component `edukg_relations`: typed relations with evidence.

The hand-written rule families live in extract/rules/ (one module each); this component runs
them over the doc and sets `doc._.relations`, a list of `RelationItem`s. Negated or hedged
statements ("did not sign", "may establish", "if ...") are not asserted.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.rules import RelationItem, run_rules


def relate(doc: Doc, model: object | None = None) -> list[RelationItem]:
    """The relations of a parsed doc whose entities are resolved."""
    return run_rules(doc, doc._.edukg_entities or [])


def setup_extensions() -> None:
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)


class RelationExtractor:
    """The `edukg_relations` pipeline component."""

    def __init__(self, nlp: Language, name: str = "edukg_relations") -> None:
        self.name = name
        setup_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = relate(doc)
        return doc


@Language.factory("edukg_relations", assigns=["doc._.relations"], requires=["doc._.edukg_entities"])
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    return RelationExtractor(nlp, name)


__all__ = ["RelationExtractor", "RelationItem", "relate"]
