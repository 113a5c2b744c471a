"""Token predicates used by every name rule."""

from __future__ import annotations

import re

from spacy.tokens import Token

ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{0,6}[A-Z]s?$")
QUOTES = {'"', "“", "”"}
POSSESSIVE = {"'s", "’s"}
# finite verb tags: a name never holds a finite verb, so one ends a capitalised run
FINITE_VERB_TAGS = {"VBZ", "VBD", "VBP", "MD"}


def is_cap(tok: Token) -> bool:
    """Capitalised word, or a number-letter code like "15th"/"5G" inside a name."""
    t = tok.text
    if not t or tok.is_punct:
        return False
    return t[0].isupper() or (t[0].isdigit() and any(c.isupper() for c in t))


def is_acronym(tok: Token) -> bool:
    """ "KAIST", "MNNIT", "MiST", "UTM": at least two capitals, first and last letter capital."""
    return bool(ACRONYM.match(tok.text)) and sum(c.isupper() for c in tok.text) >= 2
