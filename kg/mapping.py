"""Extraction + Article → the RDF graph of the article's named graph.

The graph holds exactly what the article asserts: its metadata, each entity's type and the names
the article uses (edukg:name), the relation triples (with the symmetric/inverse direction
materialised so simple queries work without a reasoner), and one edukg:Evidence node per relation:
a reified statement with the sentence, offsets, confidence and prov:wasDerivedFrom the article.
SKOS labels are not written here: kg/labels.py derives them across articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import quote, urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from extract.model import ENTITY_TYPES, RELATIONS, Article, Extraction
from kg.errors import BadExtraction
from kg.iris import article_iri, evidence_iri
from kg.names import is_generic
from kg.resolve import Resolution, Resolver
from ontology.namespace import DCTERMS, EDUKG, PREFIXES, PROV, RDF, SCHEMA, class_iri, relation_iri
from ontology.vocabulary import MIRROR, RELATION_SIGNATURES

# materialised entailments of the relations extract/ emits: the mirror statement (symmetric
# partnersWith, hasMember = inverse of memberOf), as the ontology says (ontology/vocabulary.py)
INVERSES: dict[str, str] = {p: MIRROR[p] for p in RELATIONS if p in MIRROR}


MAX_TITLE_CHARS = 100  # a headline longer than this is cut at a word boundary
# a sentence ends at . ! ? followed by white space and a capital, a digit or a quote, unless the
# word before is an abbreviation that never ends one ("Co.", "Dr.", "No.", an initial "J.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z0-9“\"‘(])")
_NO_END = re.compile(r"(?:\b(?:Co|Corp|Ltd|Inc|Dr|Mr|Mrs|Ms|Prof|No|St|Jr|Sr|vs|etc|Dept|Univ)|\b[A-Z])\.$")
# stand-in names for a publisher the article never names; ‹› because kg.names strips quotes
# and splits off parentheses at the ends of a name
SITE_PREFIX = "publisher at "  # "publisher at news.example.edu": named after its site
TITLE_PREFIX = "publisher of ‹"  # "publisher of ‹Title›": nothing better is known
PLACEHOLDER_TITLE_CHARS = 60  # a name, not a headline: long ones crowd the pictures


def headline(title: str | None, limit: int = MAX_TITLE_CHARS) -> str | None:
    """A title fit for a list: the first sentence of a title that is really a paragraph (a
    release without a headline gets its first paragraph as title), cut at `MAX_TITLE_CHARS`."""
    if title is None or not title.strip():
        return None
    text = " ".join(title.split())
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if not _NO_END.search(text[start : m.start()]):
            text = text[: m.start()]
            break
    if len(text) > limit:
        cut = text[: limit - 1]
        space = cut.rfind(" ")
        text = (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:–-") + "…"
    elif text.endswith(".") and not _NO_END.search(text):
        text = text[:-1]  # a sentence made headline loses its full stop
    return text


def publisher_name(article: Article) -> str:
    """A name a person can place for an article's publisher that the text never names: its
    publisher field, else its site, else the article it published."""
    if article.publisher and article.publisher.strip():
        return " ".join(article.publisher.split())
    host = urlsplit(article.url.strip()).hostname if article.url and article.url.strip() else None
    if host:
        return f"{SITE_PREFIX}{host.removeprefix('www.')}"
    title = headline(article.title, PLACEHOLDER_TITLE_CHARS) or f"article {article.content_hash[:8]}"
    return f"{TITLE_PREFIX}{title}›"


def is_placeholder(name: str) -> bool:
    """Is this a made-up name for an unnamed publisher (left out of analytics by default)?"""
    return name.startswith((SITE_PREFIX, TITLE_PREFIX))


def name_unnamed_publisher(article: Article, extraction: Extraction) -> Extraction:
    """The extraction with its unnamed publisher ("our college": extract/ makes one entity of the
    publisher's self-references when the article never names it) given `publisher_name`; the
    reference stays as an alias. Why: 'our college' is every publisher's name at once, so as a
    label it means nothing and, being in many articles, it topped every centrality ranking."""
    changed = False
    entities = []
    for ent in extraction.entities:
        names = [ent.name, *ent.aliases]
        if all(is_generic(n) for n in names) and any(n.lower().startswith("our ") for n in names):
            ent = replace(ent, name=publisher_name(article), aliases=names)
            changed = True
        entities.append(ent)
    return replace(extraction, entities=entities) if changed else extraction


@dataclass
class ArticleGraph:
    """The mapped article: its graph and IRI, plus what was left out and why."""

    iri: URIRef
    graph: Graph
    entity_iris: dict[str, URIRef]
    names: dict[URIRef, list[str]]
    relations: int  # evidence nodes written
    skipped: list[str] = field(default_factory=list)  # one line per relation left out


def article_metadata(article: Article, iri: URIRef, graph: Graph) -> None:
    """`iri a edukg:Article` with title, date, URL, publisher, language, source and hash."""
    graph.add((iri, RDF.type, EDUKG.Article))
    graph.add((iri, EDUKG.contentHash, Literal(article.content_hash)))
    graph.add((iri, DCTERMS.source, Literal(article.source)))
    title = headline(article.title)
    if title:
        graph.add((iri, DCTERMS.title, Literal(title)))
    date = _date_literal(article.date)
    if date is not None:
        graph.add((iri, DCTERMS.date, date))
    if article.url and article.url.strip():
        graph.add((iri, SCHEMA.url, URIRef(_safe_url(article.url.strip()))))
    if article.publisher and article.publisher.strip():
        graph.add((iri, DCTERMS.publisher, Literal(" ".join(article.publisher.split()))))
    if article.language and article.language.strip():
        graph.add((iri, DCTERMS.language, Literal(article.language.strip())))


def map_extraction(
    article: Article, extraction: Extraction, resolution: Resolution | None = None
) -> ArticleGraph:
    """Build the article's named graph. Without a `resolution`, entities are resolved within
    the article only (IRIs from names); kg.ingest passes one resolved against the store."""
    _check(extraction)
    iri = article_iri(article)
    if resolution is None:
        extraction = name_unnamed_publisher(article, extraction)
        resolution = Resolver().resolve(extraction, article.content_hash)
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    article_metadata(article, iri, graph)

    for ent_iri, names in resolution.names.items():
        graph.add((ent_iri, RDF.type, class_iri(resolution.types[ent_iri])))
        graph.add((iri, SCHEMA.mentions, ent_iri))
        for name in names:
            graph.add((ent_iri, EDUKG.name, Literal(name)))

    skipped: list[str] = []
    written = 0
    for rel in extraction.relations:
        subj = resolution.iris[rel.subject]
        obj = resolution.iris[rel.object]
        subj_type, obj_type = resolution.types[subj], resolution.types[obj]
        allowed_s, allowed_o = RELATION_SIGNATURES[rel.predicate]
        if subj == obj:
            skipped.append(f"{rel.predicate}: {rel.subject} and {rel.object} are one entity")
            continue
        if subj_type not in allowed_s or obj_type not in allowed_o:
            skipped.append(f"{rel.predicate}: {subj_type} → {obj_type} is not allowed")
            continue
        pred = relation_iri(rel.predicate)
        graph.add((subj, pred, obj))
        inverse = INVERSES.get(rel.predicate)
        if inverse:
            graph.add((obj, relation_iri(inverse), subj))
        written += 1
        ev = evidence_iri(iri, written)
        graph.add((ev, RDF.type, EDUKG.Evidence))
        graph.add((ev, RDF.subject, subj))
        graph.add((ev, RDF.predicate, pred))
        graph.add((ev, RDF.object, obj))
        graph.add((ev, EDUKG.sentence, Literal(rel.sentence)))
        graph.add((ev, EDUKG.start, Literal(int(rel.start))))
        graph.add((ev, EDUKG.end, Literal(int(rel.end))))
        graph.add((ev, EDUKG.confidence, Literal(float(rel.confidence), datatype=XSD.double)))
        graph.add((ev, PROV.wasDerivedFrom, iri))
    return ArticleGraph(
        iri=iri,
        graph=graph,
        entity_iris=dict(resolution.iris),
        names=dict(resolution.names),
        relations=written,
        skipped=skipped,
    )


def _check(extraction: Extraction) -> None:
    """Refuse an extraction that breaks the extract/ contract (the store stays untouched)."""
    ids = set()
    for ent in extraction.entities:
        if ent.type not in ENTITY_TYPES:
            raise BadExtraction(f"entity {ent.id!r} has unknown type {ent.type!r}")
        if ent.id in ids:
            raise BadExtraction(f"entity id {ent.id!r} is used twice")
        ids.add(ent.id)
    for rel in extraction.relations:
        if rel.predicate not in RELATIONS:
            raise BadExtraction(f"unknown relation {rel.predicate!r}")
        for end in (rel.subject, rel.object):
            if end not in ids:
                raise BadExtraction(f"relation {rel.predicate} names unknown entity {end!r}")
        if not (0.0 <= float(rel.confidence) <= 1.0):
            raise BadExtraction(f"relation {rel.predicate} has confidence {rel.confidence} outside [0, 1]")
        if int(rel.start) < 0 or int(rel.end) < int(rel.start):
            raise BadExtraction(f"relation {rel.predicate} has bad offsets {rel.start}..{rel.end}")


def _date_literal(value: str | None) -> Literal | None:
    """xsd:date / xsd:dateTime / xsd:gYearMonth / xsd:gYear from an ISO string; None otherwise."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", text):
        return Literal(text.replace(" ", "T"), datatype=XSD.dateTime)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    return None


def _safe_url(url: str) -> str:
    """A URL as an IRI SPARQL accepts: spaces and <>"{}|^` and backslashes percent-encoded."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")
