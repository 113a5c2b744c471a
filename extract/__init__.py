"""Press release → typed entities and relations with evidence. Knows spaCy and text, no RDF."""

from extract.errors import BadInput, ExtractError, NotEnglish
from extract.model import ENTITY_TYPES, ORG_TYPES, RELATIONS, Article, Entity, Extraction, Relation
from extract.pipeline import Extractor, extract_text

__version__ = "0.1.0"
__all__ = [
    "ENTITY_TYPES",
    "ORG_TYPES",
    "RELATIONS",
    "Article",
    "BadInput",
    "Entity",
    "ExtractError",
    "Extraction",
    "Extractor",
    "NotEnglish",
    "Relation",
    "extract_text",
]
