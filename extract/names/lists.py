"""Names in a list take the type of the typed names beside them.

"They include: UBE Machinery, Thetford Corporation, Milan Metal Systems, LLC, AMI-Manchester
and Zero Hour Parts": two items carry a legal suffix or head word, the others none, but a list
holds things of one kind. In a list of three or more capitalised items where some are typed
organisation names and none is a person, the untyped items become names of the most common
type among their typed neighbours.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span

from extract.lexicon import LEAD_TITLE_WORDS, LEGAL_SUFFIXES, NOT_NAME_START
from extract.names.tokens import POSSESSIVE, is_cap

PERSONAL_WORDS = LEAD_TITLE_WORDS | NOT_NAME_START | {"officer", "vice-president", "prof"}

GLUE = {",", ";", "and", "&"}
INNER = {"-", "–", "&", "+", "of", "for", "de"}
ORGS = {"University", "Enterprise", "Alliance", "GovernmentBody", "Institute"}

Item = tuple[int, int]


def item_end(doc: Doc, i: int, end: int, spans: dict[int, int]) -> int:
    """End of the list item starting at token i: the longer of a known name's span and the
    capitalised run there ("AMI-Manchester" over the acronym "AMI")."""
    j = i + 1
    while j < end:
        t = doc[j]
        if (
            is_cap(t)
            or t.text in POSSESSIVE
            or t.lower_ in INNER
            and j + 1 < end
            and is_cap(doc[j + 1])
            and not (t.whitespace_ and t.text in "-–")
        ):
            j += 1
        else:
            break
    while j + 1 < end and doc[j].text == "," and doc[j + 1].lower_ in LEGAL_SUFFIXES:
        j += 2
    return max(j, spans.get(i, j))


def personal(doc: Doc, item: Item) -> bool:
    """Does the item hold a person's title or name ("Vice President", "Dr. Walker")?"""
    toks = doc[item[0] : item[1]]
    return any(t.lower_.rstrip(".") in PERSONAL_WORDS or t.ent_type_ == "PERSON" for t in toks)


def sequences(doc: Doc, sent: Span, spans: dict[int, int]) -> list[list[Item]]:
    """Maximal sequences of capitalised items joined only by commas, semicolons and "and"."""
    out: list[list[Item]] = []
    cur: list[Item] = []
    i = sent.start
    while i < sent.end:
        if not is_cap(doc[i]):
            if len(cur) >= 2:
                out.append(cur)
            cur = []
            i += 1
            continue
        j = item_end(doc, i, sent.end, spans)
        cur.append((i, j))
        g = j
        while g < sent.end and doc[g].lower_ in GLUE:
            g += 1
        if g == j or g >= sent.end or not is_cap(doc[g]):
            if len(cur) >= 2:
                out.append(cur)
            cur = []
            i = max(g, j)
            continue
        i = g
    if len(cur) >= 2:
        out.append(cur)
    return out


def list_types(doc: Doc, sent: Span, kinds: dict[Item, str], spans: dict[int, int]) -> list[tuple[Item, str]]:
    """(item, type) for each untyped item of a list of typed organisation names.

    `kinds` gives the type of each item already named (an organisation type, "Person",
    "Place", ...); items missing from it are untyped.
    """
    out: list[tuple[Item, str]] = []
    for seq in sequences(doc, sent, spans):
        if len(seq) < 3:
            continue
        typed = [kinds[it] for it in seq if it in kinds]
        orgs = [k for k in typed if k in ORGS]
        if not orgs or "Person" in typed or len(orgs) < len(typed) - len(orgs):
            continue
        if any(personal(doc, it) for it in seq):
            continue  # "P, Vice President, Q, Dean of X": people and their posts
        kind = Counter(orgs).most_common(1)[0][0]
        out.extend((it, kind) for it in seq if it not in kinds)
    return out
