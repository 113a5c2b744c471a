"""People named after an honorific: "Prof RK Singh", "Dr Geetika".

The small English model often reads a short or initialled name after "Prof"/"Dr" as an
organisation ("RK", "Geetika") or misses it; an honorific says a person follows. The name is
the run of proper nouns after it (at most four, no head word of an organisation).
"""

from __future__ import annotations

from spacy.tokens import Doc

from extract.lexicon import HEAD_TYPES, HONORIFICS, LEAD_TITLE_WORDS

MAX_NAME_TOKENS = 4


def honorific_names(doc: Doc, taken: set[int]) -> list[tuple[int, int]]:
    """Token spans [start, end) of names that follow an honorific and overlap no character in
    `taken` (names already found keep their reading)."""
    out: list[tuple[int, int]] = []
    for tok in doc:
        if tok.lower_ not in HONORIFICS or not tok.text[:1].isupper():
            continue
        end = tok.i + 1
        while (
            end < len(doc)
            and end - tok.i <= MAX_NAME_TOKENS
            and doc[end].pos_ == "PROPN"
            and not doc[end].is_stop
            and doc[end].text[:1].isupper()
            and doc[end].lower_ not in HEAD_TYPES
            and doc[end].lower_ not in LEAD_TITLE_WORDS
            and doc[end].lower_ not in HONORIFICS
        ):
            end += 1
        if end == tok.i + 1:
            continue
        span = doc[tok.i + 1 : end]
        if any(c in taken for c in range(span.start_char, span.end_char)):
            continue
        out.append((span.start, span.end))
    return out
