"""Helpers shared by the kg tests (importable, unlike conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

from extract.model import Article, Entity, Extraction, Relation

Build = Callable[..., tuple[Article, Extraction]]


def build(
    text: str, source: str, entities: list[tuple], relations: list[tuple] = (), **meta
) -> tuple[Article, Extraction]:
    """An Article and a hand-built Extraction.

    entities: (id, name, type[, aliases]); relations: (subject, predicate, object, sentence)
    with offsets found in `text` and confidence 0.9 unless the tuple gives a 5th element.
    """
    ents = [Entity(id=e[0], name=e[1], type=e[2], aliases=list(e[3]) if len(e) > 3 else []) for e in entities]
    rels = []
    for r in relations:
        sentence = r[3]
        start = text.find(sentence)
        assert start >= 0, f"sentence not in text: {sentence!r}"
        rels.append(
            Relation(r[0], r[1], r[2], sentence, start, start + len(sentence), r[4] if len(r) > 4 else 0.9)
        )
    return Article(text=text, source=source, **meta), Extraction(
        article=source, entities=ents, relations=rels
    )
