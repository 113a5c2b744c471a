"""Plain data that leaves extract/: articles in, entities and relations with evidence out.

These dataclasses are the whole contract between extract/ and the rest of edukg. They know
nothing of spaCy or RDF, so kg/ can map them and tools can read their JSON without either.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

ENTITY_TYPES = (
    "University",
    "Enterprise",
    "Alliance",
    "GovernmentBody",
    "Institute",
    "Program",
    "Person",
    "Place",
)
ORG_TYPES = ("University", "Enterprise", "Alliance", "GovernmentBody", "Institute")
RELATIONS = ("partnersWith", "memberOf", "establishedBy", "partOf", "locatedIn", "leads")


def content_hash(text: str) -> str:
    """SHA-256 of the text after Unicode NFC and white-space folding.

    Two copies of one press release (two file names, two URLs, CRLF vs LF) hash alike, so the
    store can treat them as one article.
    """
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


@dataclass
class Article:
    """One press release as read from a file, a page, a feed item or an HTTP body."""

    text: str
    source: str  # the path or URL as given; used as the article's name in output
    title: str | None = None
    date: str | None = None  # ISO 8601 date when known
    url: str | None = None
    publisher: str | None = None
    language: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass
class Entity:
    """An entity as one article names it. `id` is local to the article ("e1", "e2", ...)."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    # character spans (start, end) of every mention in the article text
    mentions: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "aliases": list(self.aliases)}


@dataclass
class Relation:
    """A typed relation between two entities of one article, with its evidence."""

    subject: str
    predicate: str
    object: str
    sentence: str
    start: int  # character offsets of `sentence` in the article text
    end: int
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def entity(self, entity_id: str) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def to_json(self) -> dict[str, Any]:
        """The exact `edukg extract --json` object: extend only by adding fields."""
        return {
            "article": self.article,
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations],
        }
