"""edukg's own spaCy components, one per module, registered with `Language.factory`.

Order matters: names → references → relations, all after the model's parser and NER.
"""

from __future__ import annotations

from spacy.language import Language

from extract.components import line_breaks, names, output, references, relations  # noqa: F401 - registers factories

COMPONENTS = ("edukg_names", "edukg_references", "edukg_relations", "edukg_output")


def add_components(nlp: Language) -> Language:
    """Add edukg's components at the end of the pipeline (idempotent)."""
    if "edukg_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("edukg_line_breaks", before="parser" if "parser" in nlp.pipe_names else None)
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp
