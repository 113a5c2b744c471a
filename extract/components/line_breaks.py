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


@Language.component("edukg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    return mark_line_breaks(doc)
