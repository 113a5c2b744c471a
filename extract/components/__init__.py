"""edukg's own spaCy components, one per module, registered the spaCy way."""

from __future__ import annotations

from spacy.language import Language


def add_components(nlp: Language) -> Language:
    """Add edukg's components after the model's NER (idempotent)."""
    return nlp
