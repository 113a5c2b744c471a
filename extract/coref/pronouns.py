"""Which organisation do "its", "which" and "the two sides" stand for?

- "its" points back to an organisation: the latest one before it in its sentence, else the
  first one (the topic) of the sentence before ("Acme signed with Beta. Its first chair is P").
- "which"/"that" opening a relative clause stands for the noun the clause modifies, or for the
  name just before it ("the Northvale Institute (NVI), which is based in ...").
- "the two sides", "both parties", "the three partners": the last N distinct organisations.
Each function takes the doc and the organisation mentions as (start token, end token, item)
triples in text order, so it can be tested without the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from spacy.tokens import Doc, Token

T = TypeVar("T")

# (token start, token end, the entity or mention it stands for)
Anchor = tuple[int, int, T]

NUMBERS = {"two": 2, "three": 3, "four": 4, "both": 2}
GROUP_NOUNS = {"sides", "parties", "partners", "organisations", "organizations", "institutions"}


def antecedent_of_its(doc: Doc, tok: Token, anchors: Sequence[Anchor[T]]) -> T | None:
    """The organisation "its" refers to, or None."""
    sent = tok.sent
    same = [a for a in anchors if sent.start <= a[0] and a[1] <= tok.i]
    if same:
        return same[-1][2]
    if sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    earlier = [a for a in anchors if prev.start <= a[0] and a[1] <= prev.end]
    return earlier[0][2] if earlier else None


def antecedent_of_which(doc: Doc, tok: Token, anchors: Sequence[Anchor[T]]) -> T | None:
    """The organisation a relative "which"/"that" stands for, or None."""
    if tok.lower_ not in {"which", "that"} or tok.tag_ != "WDT":
        return None
    clause = tok.head
    if clause.dep_ == "relcl":
        noun = clause.head
        for a in anchors:
            if a[0] <= noun.i < a[1]:
                return a[2]
    # the name right before, skipping a comma and a parenthetical alias
    k = tok.i - 1
    while k >= 0 and doc[k].text in {",", ")"}:
        if doc[k].text == ")":
            while k >= 0 and doc[k].text != "(":
                k -= 1
        k -= 1
    for a in anchors:
        if a[1] - 1 == k:
            return a[2]
    return None


def group_size(doc: Doc, tok: Token) -> int:
    """N when `tok` is the noun of "the two sides"/"both parties"; 0 otherwise."""
    if tok.lower_ not in GROUP_NOUNS:
        return 0
    k = tok.i - 1
    while k >= 0 and doc[k].pos_ == "ADJ":
        k -= 1
    if k < 0 or doc[k].lower_ not in NUMBERS:
        return 0
    if doc[k].lower_ != "both" and (k == 0 or doc[k - 1].lower_ not in {"the", "these", "all"}):
        return 0
    return NUMBERS[doc[k].lower_]


def group_members(doc: Doc, tok: Token, size: int, anchors: Sequence[Anchor[T]]) -> list[T]:
    """The last `size` distinct organisations named before `tok` in its sentence or the two
    sentences before; empty when fewer are named."""
    sent = tok.sent
    start = sent.start
    for _ in range(2):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    seen: list[T] = []
    for a in reversed([a for a in anchors if start <= a[0] and a[1] <= tok.i]):
        if a[2] not in seen:
            seen.append(a[2])
        if len(seen) == size:
            return list(reversed(seen))
    return []
