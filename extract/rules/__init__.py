"""Hand-written relation rules, one module per family, run sentence by sentence.

Each family is a function of a `RuleContext` (and a sentence); `run_rules` applies them in a
fixed order, because later families read what earlier ones found (members of an alliance,
"both sides"). Their items are high-precision statements and votes for the learned scorer
(extract/relations/), which decides the final triples.
"""

from __future__ import annotations

from spacy.tokens import Doc

from extract.components.references import EntityCluster
from extract.rules import establishment, leadership, location, membership, naming, partnership
from extract.rules.context import RelationItem, RuleContext

FAMILIES = ("naming", "partnership", "establishment", "membership", "leadership", "location")


def run_rules(doc: Doc, clusters: list[EntityCluster]) -> list[RelationItem]:
    """Every rule family over the doc; items carry the family's name in `rule`."""
    ctx = RuleContext(doc, clusters)
    ctx.rule = "naming"
    naming.naming(ctx)
    ctx.rule = "name_prefix"
    naming.name_prefix(ctx)
    for sent in doc.sents:
        ctx.rule = "partnership"
        partnership.update_parties(ctx, sent)
        ctx.rule = "establishment"
        establishment.establishment(ctx, sent)
        ctx.rule = "naming"
        naming.part_of_phrase(ctx, sent)
        ctx.rule = "partnership"
        partnership.partnership(ctx, sent)
        ctx.rule = "membership"
        membership.membership(ctx, sent)
        ctx.rule = "leadership"
        leadership.leaders(ctx, sent)
        leadership.led_by_verb(ctx, sent)
        leadership.copular_post(ctx, sent)
        leadership.title_then_person(ctx, sent)
        ctx.rule = "location"
        location.location(ctx, sent)
    return ctx.out


__all__ = ["FAMILIES", "RelationItem", "RuleContext", "run_rules"]
