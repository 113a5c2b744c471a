"""Synthetic press releases with exact extractions, for store tests that need many articles.

Names are invented (syllable soup), so no test depends on, or names, a real institution. Each
article's Extraction is built from the text it generates, with true character offsets.
"""

from __future__ import annotations

import random

from extract.model import Article, Entity, Extraction, Relation

SYLLABLES = ["var", "lin", "dor", "qua", "mes", "tel", "zan", "ori", "pek", "sul", "hab", "roy", "fen", "gat"]
FIELDS = ["Robotics", "Materials", "Energy", "Software", "Medicine", "Optics", "Logistics", "Chemistry"]


def _word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def make_article(index: int, *, relations: int = 12, version: int = 0) -> tuple[Article, Extraction]:
    """Article `index` (deterministic); `version` changes its content but not its source."""
    rng = random.Random(index * 1000 + version)
    source = f"synthetic/{index:05d}.txt"
    pieces: list[str] = [f"Cooperation news {index} (v{version}).\n\n"]
    entities: list[Entity] = []
    rels: list[Relation] = []
    offset = len(pieces[0])

    def add_entity(name: str, typ: str) -> Entity:
        for ent in entities:
            if ent.name == name and ent.type == typ:
                return ent
        ent = Entity(id=f"e{len(entities) + 1}", name=name, type=typ)
        entities.append(ent)
        return ent

    for _ in range(relations):
        kind = rng.choice(["partner", "member", "institute", "leads"])
        uni = f"{_word(rng)} University of {rng.choice(FIELDS)}"
        if kind == "partner":
            company = f"{_word(rng, 3)} Technologies Co., Ltd."
            sentence = f"{uni} signed a strategic cooperation agreement with {company}."
            s, o, p = add_entity(uni, "University"), add_entity(company, "Enterprise"), "partnersWith"
        elif kind == "member":
            alliance = f"{_word(rng)} {rng.choice(FIELDS)} Alliance"
            sentence = f"{uni} joined the {alliance} as a founding member."
            s, o, p = add_entity(uni, "University"), add_entity(alliance, "Alliance"), "memberOf"
        elif kind == "institute":
            inst = f"{_word(rng)} {rng.choice(FIELDS)} Joint Laboratory"
            sentence = f"The {inst} was established by {uni}."
            s, o, p = add_entity(inst, "Institute"), add_entity(uni, "University"), "establishedBy"
        else:
            person = f"{_word(rng, 1)} {_word(rng, 1)}"
            sentence = f"{person}, president of {uni}, attended the ceremony."
            s, o, p = add_entity(person, "Person"), add_entity(uni, "University"), "leads"
        start = offset
        pieces.append(sentence + " ")
        offset += len(sentence) + 1
        rels.append(
            Relation(s.id, p, o.id, sentence, start, start + len(sentence), round(rng.uniform(0.5, 1.0), 2))
        )
    text = "".join(pieces)
    for ent in entities:
        at = text.find(ent.name)
        if at >= 0:
            ent.mentions.append((at, at + len(ent.name)))
    article = Article(
        text=text, source=source, title=f"Cooperation news {index}", date="2024-03-01", language="en"
    )
    return article, Extraction(article=source, entities=entities, relations=rels)
