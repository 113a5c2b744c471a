"""Counts describing a store, for `edukg stats` and the API: portable DISTINCT queries only
(pyoxigraph's union default graph is a multiset, a remote server's may be a set)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kg.store.base import Repo
from ontology.namespace import EDUKG, SPARQL_PREFIXES


@dataclass
class StoreStats:
    quads: int
    graphs: int
    articles: int
    entities: int
    evidence: int
    triples: int  # distinct triples in the union
    entities_by_type: dict[str, int] = field(default_factory=dict)
    relations_by_predicate: dict[str, int] = field(default_factory=dict)  # distinct (s, o) pairs

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _count(repo: Repo, where: str) -> int:
    result = repo.query(SPARQL_PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(result.rows[0]["n"]) if result.rows else 0  # type: ignore[call-overload]


def _grouped(repo: Repo, select: str) -> dict[str, int]:
    result = repo.query(SPARQL_PREFIXES + select)
    out: dict[str, int] = {}
    for row in result.rows:
        key = str(row["k"]).rsplit("#", 1)[-1]
        out[key] = int(row["n"])  # type: ignore[call-overload]
    return dict(sorted(out.items()))


def store_stats(repo: Repo) -> StoreStats:
    ns = str(EDUKG._NS)
    by_type = _grouped(
        repo,
        "SELECT ?k (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?k . "
        f'FILTER(STRSTARTS(STR(?k), "{ns}") && ?k NOT IN (edukg:Article, edukg:Evidence, edukg:Fact)) }} GROUP BY ?k',
    )
    relations = "edukg:partnersWith edukg:memberOf edukg:hasMember edukg:establishedBy edukg:partOf edukg:locatedIn edukg:leads"
    by_pred = _grouped(
        repo,
        f"SELECT ?k (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?k ?o WHERE {{ VALUES ?k {{ {relations} }} ?s ?k ?o }} }} GROUP BY ?k",
    )
    return StoreStats(
        quads=len(repo),
        graphs=len(repo.named_graphs()),
        articles=_count(repo, "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?a a edukg:Article } }"),
        entities=sum(by_type.values()),
        evidence=_count(repo, "SELECT DISTINCT ?e WHERE { ?e a edukg:Evidence }"),
        triples=_count(repo, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"),
        entities_by_type=by_type,
        relations_by_predicate=by_pred,
    )
