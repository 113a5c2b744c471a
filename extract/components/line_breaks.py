"""spaCy component `edukg_line_breaks`: a line break ends a sentence.

Press releases put titles, datelines and sub-headings on lines of their own with no full stop;
left alone, the parser glues them to the next sentence and relations get the wrong evidence.
Runs before the parser, which keeps sentence starts set earlier.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


def mark_line_breaks(doc: Doc) -> Doc:
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws and (tok.is_space or tok.whitespace_ == "\n" or "\n" in tok.text):
            doc[tok.i + 1].is_sent_start = True
            # a line's first word never makes a sentence alone (the parser tends to cut there)
            if tok.i + 2 < len(doc) and not doc[tok.i + 2].is_space and doc[tok.i + 2].is_sent_start is None:
                doc[tok.i + 2].is_sent_start = False
    return doc


class LineBreaks:
    """The `edukg_line_breaks` pipeline component (stateless; a class so spaCy can build it
    from its entry point and config like edukg's other components)."""

    def __init__(self, nlp: Language, name: str = "edukg_line_breaks") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return mark_line_breaks(doc)


@Language.factory("edukg_line_breaks", assigns=["token.is_sent_start"])
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks(nlp, name)
