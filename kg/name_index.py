"""Name look-up without scanning: normalised keys for every label, stored next to the labels.

Finding an entity by "part of its name" used to be `FILTER(CONTAINS(LCASE(?label), …))` over
every label in the store: a scan that grows with the graph. Instead, when kg/labels.py writes an
entity's labels it also writes, in the same entities graph and the same transaction:

- `edukg:nameKey`: the normalised form of each label (lower case; apostrophes dropped, so
  Xi'an = Xian; `&` = "and"; other punctuation separates words; a leading "the" dropped), for
  equality matches;
- `edukg:nameWords`: every run of up to `MAX_WORDS` consecutive words of a key that neither
  starts nor ends with a function word ("of", "and", …), plus the whole key, plus the empty
  string (the empty run is part of every name: an empty parameter means "every entity");
- `rdf:type`: the entity's class, which its IRI already fixes (…/id/<type>/…), so queries get a
  type with one look-up instead of one row per article graph that types the entity.

A query then normalises its parameter with `sparql_key()` (the same rules, written with SPARQL's
REPLACE/LCASE so the .rq files stay plain SPARQL) and finds entities with one index look-up:
`GRAPH <entities> { ?e edukg:nameWords ?key }`. "Part of a name" thus means whole consecutive
words ("xi'an university", "Technology"), not any substring ("Techn"); that is what an index can
answer without reading every label. Accent folding is left out on purpose: SPARQL has no
function for it, and the key must be computable on both sides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef

from kg.names import STOPWORDS
from ontology.namespace import EDUKG, ID, RDF, class_iri

MAX_WORDS = 6  # longest run of words indexed (the whole key is always indexed too)
_APOSTROPHES = "'’‘`´"
_STOP_ALT = "|".join(sorted(STOPWORDS))
_TYPE_BY_SEGMENT: dict[str, str] = {}


def name_key(text: str) -> str:
    """The normalised key of a name: 'The Xi'an University of Technology' → 'xian university of
    technology'. Must agree with `sparql_key` (tests/kg/test_name_index.py runs both)."""
    text = text.lower()
    for ch in _APOSTROPHES:
        text = text.replace(ch, "")
    text = text.replace("&", " and ")
    words = [w for w in re.split(r"[^\w]|_", text) if w]
    while len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def query_key(text: str) -> str:
    """The key a search for `text` looks up: `name_key` without leading or trailing function
    words, since indexed runs never start or end with one ('of Shanghai' finds 'Shanghai')."""
    words = name_key(text).split()
    while len(words) > 1 and words[0] in STOPWORDS:
        words = words[1:]
    while len(words) > 1 and words[-1] in STOPWORDS:
        words = words[:-1]
    return " ".join(words)


def word_runs(key: str) -> set[str]:
    """Every indexed part of a key: runs of up to MAX_WORDS words that start and end with a
    content word, the whole key, and the empty string."""
    words = key.split()
    runs = {"", key}
    for i, first in enumerate(words):
        if first in STOPWORDS:
            continue
        for j in range(i, min(len(words), i + MAX_WORDS)):
            if words[j] not in STOPWORDS:
                runs.add(" ".join(words[i : j + 1]))
    return runs


def entity_class(iri: str) -> URIRef | None:
    """The edukg class an entity IRI names in its type segment (…/id/university/… → University)."""
    if not _TYPE_BY_SEGMENT:
        from extract.model import ENTITY_TYPES

        _TYPE_BY_SEGMENT.update({t.lower(): t for t in ENTITY_TYPES})
    rest = iri[len(str(ID)) :] if iri.startswith(str(ID)) else ""
    typ = _TYPE_BY_SEGMENT.get(rest.partition("/")[0])
    return class_iri(typ) if typ else None


def add_index_triples(graph: Graph, entity: URIRef, names: Iterable[str]) -> None:
    """Add the look-up triples of one entity with these names to its entities-graph triples."""
    cls = entity_class(str(entity))
    if cls is not None:
        graph.add((entity, RDF.type, cls))
    for name in names:
        key = name_key(name)
        graph.add((entity, EDUKG.nameKey, Literal(key)))
        for run in word_runs(key):
            graph.add((entity, EDUKG.nameWords, Literal(run)))


def sparql_key(expr: str) -> str:
    """SPARQL expression computing `query_key` of the string expression `expr` (for .rq files and
    kg/lookup.py)."""
    text = f'REPLACE(REPLACE(LCASE({expr}), "[{_APOSTROPHES}]", ""), "&", " and ")'
    text = f'REPLACE(REPLACE({text}, "[^\\\\p{{L}}\\\\p{{N}}]+", " "), "^ +| +$", "")'
    return f'REPLACE(REPLACE({text}, "^(({_STOP_ALT}) )+", ""), "( ({_STOP_ALT}))+$", "")'


def name_pattern(var: str, text: str) -> str:
    """A SPARQL group pattern binding `var` to the entities whose name contains the words of
    `text` (one index look-up; "" matches every entity)."""
    from kg.store.sparql_text import term_sparql
    from ontology.namespace import ENTITIES_GRAPH

    key = term_sparql(Literal(query_key(text)))
    return f"GRAPH {term_sparql(ENTITIES_GRAPH)} {{ {var} <{EDUKG.nameWords}> {key} }}"
