"""SHACL validation of the store against ontology/shapes.ttl (pyshacl), for `edukg validate`.

Shapes are checked on the union of all graphs: an entity's labels live in the entities graph,
its type and names in article graphs, and the contract is about the whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph
from rdflib.namespace import SH

from kg.store.base import Repo
from ontology.namespace import SHAPES_TTL


@dataclass
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str
    shape: str | None = None
    value: str | None = None

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{value}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0  # size of the validated (union) graph


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def union_graph(repo: Repo) -> Graph:
    """The union of all graphs as one rdflib Graph (a set of triples)."""
    result = repo.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    return result.graph if result.graph is not None else Graph()


def validate_graph(data: Graph) -> ValidationReport:
    from pyshacl import validate

    conforms, results, _text = validate(
        data, shacl_graph=shapes_graph(), inference="none", abort_on_first=False, allow_warnings=True
    )
    violations: list[Violation] = []
    for result in results.subjects(predicate=None, object=SH.ValidationResult):

        def one(pred, result=result):  # noqa: ANN001, ANN202 - local reader
            value = results.value(result, pred)
            return None if value is None else str(value)

        severity = one(SH.resultSeverity) or str(SH.Violation)
        violations.append(
            Violation(
                focus=one(SH.focusNode) or "?",
                path=one(SH.resultPath),
                message=one(SH.resultMessage) or "constraint not met",
                severity=severity.rsplit("#", 1)[-1],
                shape=one(SH.sourceShape),
                value=one(SH.value),
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), violations=violations, triples=len(data))


def validate_repo(repo: Repo) -> ValidationReport:
    """Validate everything the store holds."""
    return validate_graph(union_graph(repo))
