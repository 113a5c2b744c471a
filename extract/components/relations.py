"""spaCy component `edukg_relations`: typed relations with evidence.

The hand-written rule families live in extract/rules/ (one module each); this component runs
them over the doc and sets `doc._.relations`, a list of `RelationItem`s. Negated or hedged
statements ("did not sign", "may establish", "if ...") are not asserted.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.relations import candidates as candidate_pairs  # module: imported from both sides
from extract.relations.model import RelationModel, load_default
from extract.rules import RelationItem, run_rules


def relate(doc: Doc, model: RelationModel | None = None) -> list[RelationItem]:
    """The relations of a parsed doc whose entities are resolved.

    Without a model, the rules' own items. With one, every candidate pair (rules' votes among
    its features) whose probability reaches the model's threshold, with that probability as
    its confidence.
    """
    rules = run_rules(doc, doc._.edukg_entities or [])
    if model is None:
        return rules
    out = []
    for cand in candidate_pairs.candidates(doc, rules):
        p = model.probability(cand.label, cand.features)
        if p >= model.threshold and cand.sentence is not None:
            out.append(RelationItem(cand.head, cand.label, cand.tail, cand.sentence, p, "model"))
    return out


def setup_extensions() -> None:
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)


class RelationExtractor:
    """The `edukg_relations` pipeline component."""

    def __init__(self, nlp: Language, name: str = "edukg_relations") -> None:
        self.name = name
        self.model = load_default()
        setup_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = relate(doc, self.model)
        return doc


@Language.factory("edukg_relations", assigns=["doc._.relations"], requires=["doc._.edukg_entities"])
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    return RelationExtractor(nlp, name)


__all__ = ["RelationExtractor", "RelationItem", "relate"]
