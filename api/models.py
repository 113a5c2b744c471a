"""The shapes of the REST answers, declared so /docs shows them and FastAPI checks them.

kg.lookup builds these answers as plain dicts (it runs in the store process and has no FastAPI);
routes declare the model as `response_model`, so a field kg/ stops sending is a 500 in the tests,
not a silent change for clients. Models allow extra fields: kg/ may add one before it is listed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class EntityRef(_Open):
    id: str
    type: str | None
    iri: str


class LabelledEntity(EntityRef):
    label: str | None = None


class EntitySummary(LabelledEntity):
    aliases: list[str]


class EntityPage(_Open):
    total: int
    limit: int
    offset: int
    items: list[EntitySummary]


class ArticleRef(_Open):
    id: str
    iri: str
    title: str | None = None


class Evidence(_Open):
    sentence: str | None
    confidence: float | None
    start: int | None
    end: int | None
    article: ArticleRef


class EntityRelation(_Open):
    direction: str
    predicate: str
    other: LabelledEntity
    evidence: list[Evidence]


class MentioningArticle(ArticleRef):
    date: str | None = None


class EntityDetail(LabelledEntity):
    types: list[str]
    aliases: list[str]
    articles: list[MentioningArticle]
    relations: list[EntityRelation]


class NeighbourNode(LabelledEntity):
    depth: int


class NeighbourEdge(_Open):
    source: str
    predicate: str
    target: str
    source_iri: str
    target_iri: str


class Neighbourhood(_Open):
    center: EntityRef
    depth: int
    nodes: list[NeighbourNode]
    edges: list[NeighbourEdge]
    truncated: bool


class ArticleSummary(ArticleRef):
    date: str | None
    url: str | None
    publisher: str | None
    language: str | None
    source: str
    content_hash: str


class ArticlePage(_Open):
    total: int
    limit: int
    offset: int
    items: list[ArticleSummary]


class ArticleEntity(LabelledEntity):
    names: list[str]


class ArticleRelation(Evidence):
    """One relation the article asserts, with the sentence saying it."""

    subject: LabelledEntity
    predicate: str
    object: LabelledEntity


class ArticleDetail(ArticleSummary):
    triples: int
    entities: list[ArticleEntity]
    relations: list[ArticleRelation]


class Stats(_Open):
    quads: int
    named_graphs: int
    articles: int
    entities: int
    entities_by_type: dict[str, int]
    relations_by_predicate: dict[str, int]
    evidence: int


class Removed(_Open):
    status: str
    removed: list[str]
