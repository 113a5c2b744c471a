"""Is "A and B" one name or two?

"Acme and the Northvale Institute of Technology" is two organisations; "University of Science
and Technology" and "Research and Development Center" are one. The right side must be a name
on its own (it has a head word or a legal suffix, or the model marks it as an entity), and the
left side must be able to stand alone: it ends in a head word, it is an entity the model found
ending right there, it is an acronym, "the" follows the conjunction (names do not hold
"and the"), or the run is the last item of a comma list. When the model found one organisation across the conjunction and the left side
has no head, the name is kept whole.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from extract.names.tokens import is_acronym

CONJUNCTIONS = {"and", "&"}
# model labels that mark a stand-alone named thing on the left of "and" (not NORP: "Chinese
# and Foreign ..." is an adjective)
STANDALONE_LABELS = {"ORG", "PERSON", "GPE", "FAC"}

# [start, end) → does it read as a complete organisation name?
SpanTest = Callable[[int, int], bool]


def entity_index(doc: Doc) -> dict[int, Span]:
    """Token index → the model's entity span covering it."""
    out: dict[int, Span] = {}
    for ent in doc.ents:
        for x in range(ent.start, ent.end):
            out[x] = ent
    return out


def splits_at(
    doc: Doc,
    i: int,
    j: int,
    k: int,
    *,
    named: SpanTest,
    complete: SpanTest,
    ents: dict[int, Span],
    known: set[str] | None = None,
) -> bool:
    """Should the run [i, j) be cut into [i, k) and (k, j) at the conjunction k?"""
    if doc[k].lower_ not in CONJUNCTIONS or not i < k < j - 1:
        return False
    r = k + 1
    the_follows = doc[r].lower_ == "the"
    if the_follows:
        r += 1
    if r >= j:
        return False
    right_ent = ents.get(r)
    right_is_entity = (
        right_ent is not None
        and right_ent.start == r
        and right_ent.end == j
        and right_ent.label_ in STANDALONE_LABELS
    )
    if not (named(r, j) or right_is_entity):
        return False
    if complete(i, k):
        # "College of Intelligence and Computing": a left side complete only through its
        # "of" tail needs a right side with a head of its own
        return named(r, j) or not any(doc[x].lower_ in {"of", "for"} for x in range(i, k))
    if the_follows and doc[k].lower_ == "and":
        return True
    if i >= 2 and doc[i - 1].text == "," and doc[i - 2].text[:1].isupper() and named(r, j):
        return True  # "A Corp, Brio Parts and Kestrel Labs Inc.": the last "and" of a list
    if k - i == 1 and is_acronym(doc[i]):
        return True
    left_ent = ents.get(k - 1)
    named_left = (
        left_ent is not None
        and left_ent.end == k
        and left_ent.start >= i
        and left_ent.label_ in STANDALONE_LABELS
    )
    seen_alone = known is not None and doc[i:k].text in known
    across = ents.get(k)
    if (
        right_is_entity
        and across is None
        and all(doc[x].pos_ == "PROPN" for x in range(i, k))
        and doc[k - 1].dep_ not in {"compound", "nmod", "amod"}
    ):
        # "Chalmers and Volvo Group": the model names the right side alone and reads nothing
        # across the conjunction; proper nouns on the left that modify nothing on the right
        return True
    if r <= doc[k - 1].head.i < j and doc[k - 1].dep_ in {"compound", "nmod", "amod"}:
        # "Chinese and Foreign Cultural Center": the left word modifies the right head, unless
        # the model reads the left side as a proper name of its own ("Lockheed Martin and ...")
        proper = named_left and left_ent is not None and left_ent.label_ in {"ORG", "PERSON"}
        return (proper or seen_alone) and k - i > 1
    return named_left or seen_alone
