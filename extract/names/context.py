"""The type of a name whose head word does not give one, read from the words around it.

"tech giant Cisco", "Versalis, Italy's largest chemical producer", "Lloyd's Register, an
engineering firm", "Coventry, Kingston and Teesside universities", "leading companies,
including PDO, Asyad and Nama": a class noun next to the name, or next to the list that holds
it, says what the name is. The class nouns (`ORG_CLASS_NOUNS`) are general English words for
kinds of organisation, not words from any article.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from extract.lexicon import LIST_INTRODUCERS, ORG_CLASS_NOUNS
from extract.names.tokens import is_cap

LIST_GLUE = {",", "and", "&", "or"}
WINDOW = 4  # class-noun phrases are short: "the Italian chemical producer"


def class_type(tok: Token) -> str | None:
    """Entity type of a lower-case class noun ("firm", "universities"), if it is one."""
    if not tok.text.islower():
        return None
    return ORG_CLASS_NOUNS.get(tok.lemma_.lower()) or ORG_CLASS_NOUNS.get(tok.lower_)


def list_bounds(doc: Doc, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """Widen [start, end) over a list of capitalised items joined by commas and "and"."""
    s = start
    while s - 2 >= lo and doc[s - 1].lower_ in LIST_GLUE and is_cap(doc[s - 2]):
        s -= 2
        while s - 1 >= lo and is_cap(doc[s - 1]):
            s -= 1
        if s - 1 >= lo and doc[s - 1].text == "," and doc[s].lower_ == "and":
            s -= 1
    e = end
    while e + 1 < hi and doc[e].lower_ in LIST_GLUE:
        n = e + 1
        if doc[n].lower_ in LIST_GLUE and n + 1 < hi:  # ", and"
            n += 1
        if not is_cap(doc[n]):
            break
        e = n
        while e < hi and is_cap(doc[e]):
            e += 1
    return s, e


def type_before(doc: Doc, start: int, lo: int) -> str | None:
    """A class noun right before the name: "tech giant Cisco", "producer, Versalis"."""
    k = start - 1
    if k >= lo and doc[k].text == ",":
        k -= 1
    for x in range(k, max(lo, k - WINDOW) - 1, -1):
        tok = doc[x]
        found = class_type(tok)
        if found is not None:
            return found
        if tok.is_punct or is_cap(tok) or tok.pos_ not in {"NOUN", "ADJ"}:
            return None
    return None


def type_after(doc: Doc, end: int, hi: int) -> str | None:
    """A class noun right after the name or its list: "Teesside universities",
    "Lloyd's Register, an engineering firm"."""
    k = end
    if k < hi and doc[k].text in {"'s", "’s"}:
        return None
    if k < hi and doc[k].text == ",":
        k += 1
        if k < hi and doc[k].lower_ in {"a", "an", "the"}:
            k += 1
        for x in range(k, min(hi, k + WINDOW)):
            tok = doc[x]
            found = class_type(tok)
            if found is not None:
                return found
            if tok.is_punct or tok.pos_ not in {"NOUN", "ADJ", "PROPN", "ADV"}:
                return None
    return None


def type_of_list_head(doc: Doc, start: int, lo: int) -> str | None:
    """A list introduced after a plural class noun: "companies, including A, B and C";
    "business partners ... They include: A, B"."""
    k = start - 1
    while k >= lo and doc[k].is_punct:
        k -= 1
    if k < lo or doc[k].lower_ not in LIST_INTRODUCERS:
        return None
    for x in range(k - 1, max(lo, k - 2 * WINDOW) - 1, -1):
        found = class_type(doc[x])
        if found is not None and doc[x].tag_ in {"NNS", "NNPS"}:
            return found
    return None


def context_type(doc: Doc, start: int, end: int, lo: int, hi: int) -> str | None:
    """Type of the name [start, end) inside the sentence [lo, hi), from a class noun next to
    it or next to the list it stands in; None when the context says nothing."""
    for found in (type_before(doc, start, lo), type_after(doc, end, hi)):
        if found is not None:
            return found
    s, e = list_bounds(doc, start, end, lo, hi)
    if (s, e) != (start, end):
        # "Coventry, Kingston and Teesside universities" (a lone "Chongqing universities" is
        # an adjective use and names no institution)
        plural = class_type(doc[e]) if e < hi and doc[e].tag_ in {"NNS", "NNPS"} else None
        if plural is not None:
            return plural
        for found in (type_after(doc, e, hi), type_before(doc, s, lo), type_of_list_head(doc, s, lo)):
            if found is not None:
                return found
    return type_of_list_head(doc, start, lo)
