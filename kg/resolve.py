"""Entity resolution: which node of the store (or of this article) does an extracted entity name?

Rules, tried in order within one entity type (a University never merges with an Enterprise):
1. exact: same key after case, punctuation, apostrophes, '&'/'and', a leading 'the' and (for
   enterprises) the legal form are ignored; a bracketed part counts as its own name
   ('Moscow State Technological University (Stankin)' also answers to 'Stankin');
2. near-identical: same key after British/American spellings, plural 's', spaces and hyphens are
   unified, or one adjacent-letter swap in a word of 6+ letters ('Univeristy');
3. acronym: an acronym ('USST', 'MoE') matches the initials of a full name, but only when one of
   the two entities is known by acronyms alone: two fully named institutions never merge on a
   shared acronym.
Ambiguity (one name, two candidates) in rules 2–3 means no merge. Rules deliberately do not
forgive one-letter deletions or substitutions: 'Hunan'/'Henan', 'Shanxi'/'Shaanxi' are different
places, and 'Anhui University of Technology' / 'Anhui University of Science and Technology'
differ by whole words, so they stay two nodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import URIRef

from extract.model import ENTITY_TYPES, Entity, Extraction
from kg.iris import entity_iri, local_entity_iri
from kg.names import (
    acronym_key,
    clean_display,
    initials,
    is_acronym,
    is_generic,
    loose_key,
    normalize,
    split_parenthetical,
    transpositions,
)
from kg.store.base import Repo
from ontology.namespace import EDUKG, SPARQL_PREFIXES

ACRONYM_TYPES = frozenset({"University", "Enterprise", "Alliance", "GovernmentBody", "Institute", "Program"})
MIN_ACRONYM = 3  # two-letter acronyms ('AI', 'UK') are too ambiguous to merge on


def entity_names(entity: Entity) -> list[str]:
    """Display names of an extracted entity worth keeping as labels: cleaned, generic references
    ('our school') dropped, duplicates (same key) dropped, the extractor's main name first."""
    keep_article = entity.type == "Place"
    out: list[str] = []
    seen: set[str] = set()
    for raw in [entity.name, *entity.aliases]:
        if not raw or not raw.strip() or is_generic(raw):
            continue
        base, inner = split_parenthetical(raw)
        # 'X (ABC)' is two names; a bracketed year stays part of the name ('Plan (2024-2035)')
        variants = [base, *inner] if inner or "(" not in raw else [raw, base]
        for variant in variants:
            if is_generic(variant):
                continue
            name = clean_display(variant, keep_article=keep_article)
            key = normalize(name, entity.type)
            if not name or not key or key in seen:
                continue
            seen.add(key)
            out.append(name)
    return out


def generic_names(entity: Entity) -> list[str]:
    """The entity's generic references, used only when it has no real name."""
    return [" ".join(n.split()) for n in [entity.name, *entity.aliases] if n and n.strip()]


def best_name(names: Iterable[str]) -> str:
    """The name an IRI is minted from: a full name over an acronym, then the first given."""
    names = list(names)
    full = [n for n in names if not is_acronym(n)]
    return (full or names)[0]


@dataclass
class _Keys:
    exact: set[str] = field(default_factory=set)
    loose: set[str] = field(default_factory=set)
    acronyms: set[str] = field(default_factory=set)  # names that are acronyms (acronym_key form)
    initials: set[str] = field(default_factory=set)  # initials of full names
    has_full: bool = False


def _keys(entity_type: str, names: Iterable[str]) -> _Keys:
    keys = _Keys()
    for name in names:
        one = _name_keys(entity_type, name)
        keys.exact |= one.exact
        keys.loose |= one.loose
        keys.acronyms |= one.acronyms
        keys.initials |= one.initials
        keys.has_full = keys.has_full or one.has_full
    return keys


@lru_cache(maxsize=65536)
def _name_keys(entity_type: str, name: str) -> _Keys:
    """Keys of one name (cached: a batch sees the same names again and again)."""
    keys = _Keys()
    base, inner = split_parenthetical(name)
    for variant in {name, base, *inner}:
        key = normalize(variant, entity_type)
        if not key:
            continue
        keys.exact.add(key)
        if is_acronym(variant):
            keys.acronyms.add(acronym_key(variant))
        else:
            keys.loose.add(loose_key(key))
            if len(key.split()) >= 2:
                keys.has_full = True
                if entity_type in ACRONYM_TYPES:
                    keys.initials |= initials(normalize(variant) if entity_type == "Enterprise" else variant)
    return keys


@lru_cache(maxsize=65536)
def _transposed(key: str) -> frozenset[str]:
    return frozenset(transpositions(key))


@dataclass
class Resolution:
    """Outcome of resolving one extraction: entity id → IRI, and the names each IRI gets."""

    iris: dict[str, URIRef]
    names: dict[URIRef, list[str]]
    types: dict[URIRef, str]
    new: set[URIRef]


class Resolver:
    """An index of the entities a store holds (IRI, type, names), answering 'who is this?'.

    Build it once with `Resolver.from_repo(repo)` and keep it for a batch: `ingest_extraction`
    updates it after every successful write. It assumes one writer; a resolver built before
    someone else wrote to the store only misses their entities (they will not be merged with).
    """

    def __init__(self) -> None:
        self.types: dict[str, str] = {}  # iri → type
        self.names: dict[str, set[str]] = defaultdict(set)
        self._exact: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._loose: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._acronyms: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._initials: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._full: set[str] = set()  # IRIs known by at least one full name

    # -- building ------------------------------------------------------------------------
    @classmethod
    def from_repo(cls, repo: Repo) -> Resolver:
        resolver = cls()
        resolver.load(repo)
        return resolver

    def load(self, repo: Repo, iris: Iterable[str] | None = None) -> None:
        """Index entities (all, or only `iris`) with the names article graphs give them."""
        values = ""
        if iris is not None:
            wanted = sorted(set(iris))
            if not wanted:
                return
            values = "VALUES ?e { " + " ".join(f"<{i}>" for i in wanted) + " }"
        result = repo.query(
            SPARQL_PREFIXES
            # inside GRAPH: the union default graph would pair every typing with every name
            # once per article, quadratic for an entity many articles mention
            + f"SELECT DISTINCT ?e ?t ?name WHERE {{ {values} GRAPH ?g {{ ?e a ?t ; edukg:name ?name }} "
            + f'FILTER(STRSTARTS(STR(?t), "{EDUKG._NS}")) }}'
        )
        found: dict[str, tuple[str, set[str]]] = {}
        for row in result.rows:
            type_name = str(row["t"])[len(str(EDUKG._NS)) :]
            if type_name not in ENTITY_TYPES:
                continue
            found.setdefault(str(row["e"]), (type_name, set()))[1].add(str(row["name"]))
        for iri, (type_name, names) in found.items():
            self.add(iri, type_name, names)

    def add(self, iri: str, entity_type: str, names: Iterable[str]) -> None:
        names = [n for n in names if not is_generic(n)]
        self.types[iri] = entity_type
        self.names[iri].update(names)
        keys = _keys(entity_type, names)
        for key in keys.exact:
            self._exact[entity_type, key].add(iri)
        for key in keys.loose:
            self._loose[entity_type, key].add(iri)
        for key in keys.acronyms:
            self._acronyms[entity_type, key].add(iri)
        for key in keys.initials:
            self._initials[entity_type, key].add(iri)
        if keys.has_full:
            self._full.add(iri)

    def forget(self, iris: Iterable[str]) -> None:
        """Drop entities from the index (after their articles were removed); `load` them again
        to re-index what other articles still say about them."""
        gone = set(iris)
        if not gone:
            return
        for index in (self._exact, self._loose, self._acronyms, self._initials):
            for key in list(index):
                index[key] -= gone
                if not index[key]:
                    del index[key]
        for iri in gone:
            self.types.pop(iri, None)
            self.names.pop(iri, None)
        self._full -= gone

    def __contains__(self, iri: object) -> bool:
        return str(iri) in self.types

    # -- matching ------------------------------------------------------------------------
    def match(self, entity_type: str, names: Iterable[str]) -> str | None:
        """The IRI of the known entity these names denote, or None (a new entity)."""
        keys = _keys(entity_type, [n for n in names if not is_generic(n)])
        # 1. exact keys (acronym spelled alike counts as exact); ties → most keys shared, then IRI
        hits: dict[str, int] = defaultdict(int)
        for key in keys.exact:
            for iri in self._exact.get((entity_type, key), ()):
                hits[iri] += 1
        for key in keys.acronyms:
            for iri in self._acronyms.get((entity_type, key), ()):
                hits[iri] += 1
        if hits:
            return min(hits, key=lambda iri: (-hits[iri], iri))
        # 2. near-identical spellings: must be unambiguous
        near: set[str] = set()
        for key in keys.loose:
            near |= self._loose.get((entity_type, key), set())
        for key in keys.exact:
            if not is_acronym(key):
                for variant in _transposed(key):
                    near |= self._loose.get((entity_type, variant), set())
        if near:
            return next(iter(near)) if len(near) == 1 else None
        # 3. acronyms vs initials, only if one side has no full name; must be unambiguous
        if entity_type not in ACRONYM_TYPES:
            return None
        acro: set[str] = set()
        if not keys.has_full:
            for key in keys.acronyms:
                if len(key) >= MIN_ACRONYM:
                    acro |= self._initials.get((entity_type, key), set())
        for key in keys.initials:
            if len(key) >= MIN_ACRONYM:
                acro |= {i for i in self._acronyms.get((entity_type, key), set()) if i not in self._full}
        return next(iter(acro)) if len(acro) == 1 else None

    def resolve(self, extraction: Extraction, article_hash: str) -> Resolution:
        """Map every entity of one article to an IRI without changing the index; `commit` the
        result once the article is written. Entities of the same article are resolved against
        each other too (full names first, so an acronym finds its full name)."""
        local = Resolver()
        iris: dict[str, URIRef] = {}
        names_by_iri: dict[URIRef, list[str]] = {}
        types: dict[URIRef, str] = {}
        new: set[URIRef] = set()
        order = sorted(
            enumerate(extraction.entities),
            key=lambda pair: (all(is_acronym(n) for n in entity_names(pair[1])), pair[0]),
        )
        for _, ent in order:
            names = entity_names(ent)
            if names:
                found = local.match(ent.type, names) or self.match(ent.type, names)
                iri = URIRef(found) if found else self._mint(ent.type, names, local)
            else:  # only generic references: an article-local node
                names = generic_names(ent)[:1] or [ent.id]
                iri = local_entity_iri(ent.type, names[0], article_hash)
            if str(iri) not in self and str(iri) not in local:
                new.add(iri)
            local.add(str(iri), ent.type, names)
            iris[ent.id] = iri
            types[iri] = ent.type
            merged = names_by_iri.setdefault(iri, [])
            merged.extend(n for n in names if n not in merged)
        return Resolution(iris=iris, names=names_by_iri, types=types, new=new)

    def commit(self, resolution: Resolution) -> None:
        for iri, names in resolution.names.items():
            self.add(str(iri), resolution.types[iri], names)

    def _mint(self, entity_type: str, names: list[str], local: Resolver) -> URIRef:
        """A fresh IRI from the best name; if another (unmerged) entity already owns that slug,
        number it ('-2', '-3'…), deterministically for a given store content and input order."""
        base = entity_iri(entity_type, best_name(names))
        iri, n = base, 1
        while str(iri) in self or str(iri) in local:
            n += 1
            iri = URIRef(f"{base}-{n}")
        return iri
