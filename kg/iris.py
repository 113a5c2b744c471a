"""Stable, readable IRIs: the same entity name gives the same IRI on every run and machine.

Entity IRIs are `https://w3id.org/edukg/id/<type lowercase>/<slug>`, the slug made from the
normalised name (kg.names.normalize), so case, punctuation and a leading 'the' do not change it.
Article IRIs (= their named-graph IRIs) come from the content hash, so re-reading the same text
anywhere lands in the same graph.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from extract.model import Article, content_hash
from kg.names import fold, normalize
from ontology.namespace import ARTICLE, ID

MAX_SLUG = 80


def slugify(name: str, entity_type: str | None = None) -> str:
    """'Xi'an University of Technology' → 'xian-university-of-technology'. Names with letters
    outside ASCII or longer than MAX_SLUG get 8 hex of their key's hash appended, so two
    different keys never share a slug."""
    key = normalize(name, entity_type)
    ascii_key = fold(key).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_key).strip("-")
    lossy = ascii_key != key or len(slug) > MAX_SLUG or not slug
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    if lossy:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else digest
    return slug


def entity_iri(entity_type: str, name: str) -> URIRef:
    """The IRI an entity of this type and name gets when it is first seen."""
    return URIRef(f"{ID}{entity_type.lower()}/{slugify(name, entity_type)}")


def local_entity_iri(entity_type: str, name: str, article_hash: str) -> URIRef:
    """IRI for an entity known only by a generic reference ('our college'): it cannot be
    matched across articles, so it is scoped to its article."""
    return URIRef(f"{ID}{entity_type.lower()}/{article_hash[:8]}-{slugify(name, entity_type)}")


def article_iri_for_hash(full_hash: str) -> URIRef:
    return ARTICLE[full_hash[:16]]


def article_iri(article: Article | str) -> URIRef:
    """The article's IRI, which is also its named graph: ARTICLE/<first 16 hex of sha256>."""
    text_hash = article.content_hash if isinstance(article, Article) else content_hash(article)
    return article_iri_for_hash(text_hash)


def evidence_iri(article: URIRef, index: int) -> URIRef:
    """Evidence node n of an article (inside the article's IRI space: dropped with it)."""
    return URIRef(f"{article}/evidence/{index}")


def entity_type_of(iri: str) -> str | None:
    """The lower-case type segment of an entity IRI ('university'), None for other IRIs."""
    if not iri.startswith(str(ID)):
        return None
    return iri[len(str(ID)) :].split("/", 1)[0] or None
