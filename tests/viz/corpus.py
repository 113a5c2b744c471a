"""A hand-built two-article corpus (invented names) whose graph is known by hand.

Whole graph: 9 entities, 10 relations —
  partnersWith: Northfield–Acme, Acme–Lakeside, Bluewave–Northfield, Bluewave–Riverbend (4)
  memberOf: Northfield→Coastal Alliance, Riverbend→Coastal Alliance (2)
  establishedBy: Institute→Bluewave, Institute→Northfield (2)
  leads: Jane Miller→Northfield (1); locatedIn: Northfield→Harborton (1)
Article A holds 6 entities and 5 relations, article B 5 entities and 5 relations.
"""

from __future__ import annotations

import re

from extract.model import Article, Entity, Extraction, Relation

TEXT_A = (
    "Northfield signs with Acme\n\n"
    "Northfield University (NFU) signed a cooperation agreement with Acme Robotics Co., Ltd. in Harborton. "
    "Acme Robotics and Lakeside Polytechnic University will build a joint laboratory. "
    "Northfield University joined the Coastal Universities Alliance. "
    "Jane Miller leads Northfield University."
)
TEXT_B = (
    "A new institute for microelectronics\n\n"
    "Bluewave Semiconductor and Northfield University established the Bluewave Institute of Microelectronics. "
    "Bluewave Semiconductor also partners with Riverbend University of Technology. "
    "Riverbend University of Technology is a member of the Coastal Universities Alliance."
)


def _rel(text: str, s: str, p: str, o: str, first_words: str, conf: float = 0.9) -> Relation:
    """The relation with the sentence that starts with `first_words` as evidence."""
    start = text.index(first_words)
    stop = re.search(r"\.(?=\s+[A-Z]|$)", text[start:])  # "Ltd. in" is not a sentence end
    end = start + stop.end() if stop else len(text)
    return Relation(s, p, o, text[start:end], start, end, conf)


def corpus() -> list[tuple[Article, Extraction]]:
    a = Article(text=TEXT_A, source="handbuilt/a.txt", title="Northfield signs with Acme", date="2024-03-01")
    ext_a = Extraction(
        article=a.source,
        entities=[
            Entity("n", "Northfield University", "University", ["NFU"]),
            Entity("acme", "Acme Robotics Co., Ltd.", "Enterprise", ["Acme Robotics"]),
            Entity("lake", "Lakeside Polytechnic University", "University"),
            Entity("alli", "Coastal Universities Alliance", "Alliance"),
            Entity("city", "Harborton", "Place"),
            Entity("jm", "Jane Miller", "Person"),
        ],
        relations=[
            _rel(TEXT_A, "n", "partnersWith", "acme", "Northfield University (NFU)"),
            _rel(TEXT_A, "acme", "partnersWith", "lake", "Acme Robotics and"),
            _rel(TEXT_A, "n", "memberOf", "alli", "Northfield University joined"),
            _rel(TEXT_A, "jm", "leads", "n", "Jane Miller"),
            _rel(TEXT_A, "n", "locatedIn", "city", "Northfield University (NFU)", 0.7),
        ],
    )
    b = Article(text=TEXT_B, source="handbuilt/b.txt", title="A new institute for microelectronics")
    ext_b = Extraction(
        article=b.source,
        entities=[
            Entity("blue", "Bluewave Semiconductor", "Enterprise"),
            Entity("n", "Northfield University", "University"),
            Entity("inst", "Bluewave Institute of Microelectronics", "Institute"),
            Entity("river", "Riverbend University of Technology", "University"),
            Entity("alli", "Coastal Universities Alliance", "Alliance"),
        ],
        relations=[
            _rel(TEXT_B, "inst", "establishedBy", "blue", "Bluewave Semiconductor and"),
            _rel(TEXT_B, "inst", "establishedBy", "n", "Bluewave Semiconductor and"),
            _rel(TEXT_B, "blue", "partnersWith", "n", "Bluewave Semiconductor and", 0.8),
            _rel(TEXT_B, "blue", "partnersWith", "river", "Bluewave Semiconductor also"),
            _rel(TEXT_B, "river", "memberOf", "alli", "Riverbend University of Technology is"),
        ],
    )
    return [(a, ext_a), (b, ext_b)]
