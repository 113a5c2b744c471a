"""spaCy component `edukg_output`: the Doc's entities and relations as plain data.

The earlier components leave Python objects on the Doc (mentions, clusters, relation items);
spaCy cannot serialise those, and `nlp.pipe(n_process=2)` ships every Doc between processes as
bytes. This last component turns them into `doc._.edukg`, a dict of strings and numbers, and
(unless `keep_objects` is set, for debugging) clears the object-valued attributes.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from extract.model import ENTITY_TYPES

INSTITUTION_HEADS = {"college", "institute", "academy", "school", "polytechnic"}


def promote_independent_institutes(clusters: list[Any], items: list[Any]) -> None:
    """A college or institute that acts as a party of its own (partner, member, founder) and
    belongs to no one is a higher-education institution: University, not Institute."""
    parented = {id(x.head) for x in items if x.label == "partOf"}
    founded = {id(x.head) for x in items if x.label == "establishedBy"}
    acting = {id(x.head) for x in items if x.label in {"partnersWith", "memberOf"}}
    acting |= {id(x.tail) for x in items if x.label in {"partnersWith", "establishedBy"}}
    for c in clusters:
        independent = c.type == "Institute" and id(c) in acting and id(c) not in parented | founded
        if independent and any(n.split(" of ")[0].split()[-1].lower() in INSTITUTION_HEADS for n in c.names):
            c.type = "University"


def summarise(doc: Doc) -> dict[str, Any]:
    """Entities (kept: typed, and either named by edukg's rules or used by a relation) and
    relations (one per triple, the most confident evidence) as JSON-ready data."""
    clusters = doc._.edukg_entities or []
    items = doc._.relations or []
    used = {id(x.head) for x in items} | {id(x.tail) for x in items}
    keep = [c for c in clusters if c.type in ENTITY_TYPES and (not c.from_model_only or id(c) in used)]
    promote_independent_institutes(keep, items)
    ids = {id(c): f"e{n}" for n, c in enumerate(keep, 1)}
    entities = [
        {
            "id": ids[id(c)],
            "name": c.name,
            "type": c.type,
            "aliases": c.names[1:],
            "mentions": sorted({(m.start, m.end) for m in c.mentions}),
            "unnamed_publisher": bool(c.publisher and all(m.generic for m in c.mentions)),
        }
        for c in keep
    ]
    best: dict[tuple[str, str, str], dict[str, Any]] = {}
    for item in items:
        s, o = ids.get(id(item.head)), ids.get(id(item.tail))
        if s is None or o is None:
            continue
        key = (s, item.label, o) if item.label != "partnersWith" else (min(s, o), item.label, max(s, o))
        rel = {
            "subject": s,
            "predicate": item.label,
            "object": o,
            "sentence": item.sentence.text.strip(),
            "start": item.sentence.start_char,
            "end": item.sentence.end_char,
            "confidence": round(item.confidence, 2),
        }
        if key not in best or best[key]["confidence"] < rel["confidence"]:
            best[key] = rel
    return {"entities": entities, "relations": list(best.values())}


class Output:
    """The `edukg_output` pipeline component."""

    def __init__(self, nlp: Language, name: str = "edukg_output", *, keep_objects: bool = False) -> None:
        self.name = name
        self.keep_objects = keep_objects
        if not Doc.has_extension("edukg"):
            Doc.set_extension("edukg", default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.edukg = summarise(doc)
        if not self.keep_objects:
            doc._.edukg_mentions = None
            doc._.edukg_entities = None
            doc._.relations = None
        return doc


@Language.factory(
    "edukg_output",
    assigns=["doc._.edukg"],
    requires=["doc._.relations", "doc._.edukg_entities"],
    default_config={"keep_objects": False},
)
def make_output(nlp: Language, name: str, keep_objects: bool) -> Output:
    return Output(nlp, name, keep_objects=keep_objects)
