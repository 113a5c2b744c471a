"""Independent counts of what a store holds, by SPARQL alone (to check kg.network against)."""

from __future__ import annotations

from kg.store import Repo
from ontology.namespace import SPARQL_PREFIXES


def sparql_counts(repo: Repo) -> tuple[int, int]:
    """Entities and distinct relation facts counted by SPARQL alone (symmetric pairs once)."""
    ents = repo.query(
        SPARQL_PREFIXES + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t . "
        "VALUES ?t { edukg:University edukg:Enterprise edukg:Alliance edukg:GovernmentBody "
        "edukg:Institute edukg:Program edukg:Person edukg:Place } }"
    ).rows[0]["n"]
    rels = repo.query(
        SPARQL_PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . "
        "VALUES ?p { edukg:memberOf edukg:establishedBy edukg:partOf edukg:locatedIn edukg:leads } } }"
    ).rows[0]["n"]
    sym = repo.query(
        SPARQL_PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE { "
        "{ ?s edukg:partnersWith ?o } UNION { ?o edukg:partnersWith ?s } FILTER(STR(?s) < STR(?o)) } }"
    ).rows[0]["n"]
    return int(ents.toPython()), int(rels.toPython()) + int(sym.toPython())
