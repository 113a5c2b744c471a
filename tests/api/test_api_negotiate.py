"""Accept-header negotiation for /sparql results."""

from __future__ import annotations

import pytest

from api.negotiate import NotAcceptable, choose


@pytest.mark.parametrize(
    ("accept", "graph", "name"),
    [
        (None, False, "json"),
        ("*/*", False, "json"),
        ("*/*", True, "turtle"),
        (
            "application/sparql-results+json,application/json,text/javascript,application/javascript",
            False,
            "json",
        ),
        ("application/sparql-results+xml", False, "xml"),
        ("text/csv", False, "csv"),
        ("text/tab-separated-values", False, "tsv"),
        ("application/turtle,text/turtle", True, "turtle"),
        ("application/n-triples", True, "ntriples"),
        ("application/ld+json", True, "jsonld"),
        ("application/rdf+xml", True, "rdfxml"),
        ("text/csv;q=0.5, application/sparql-results+xml", False, "xml"),
        ("text/html, */*;q=0.1", False, "json"),
        ("text/*", False, "csv"),
        ("application/sparql-results+json, text/turtle;q=0.9", True, "turtle"),
        ("application/sparql-results+json, text/turtle;q=0.9", False, "json"),
    ],
)
def test_choose(accept: str | None, graph: bool, name: str) -> None:
    assert choose(accept, graph=graph).name == name


def test_format_parameter_wins() -> None:
    assert choose("text/csv", graph=False, format_param="json").name == "json"
    assert choose(None, graph=True, format_param="nt").name == "ntriples"


@pytest.mark.parametrize(
    ("accept", "graph"),
    [
        ("text/html", False),
        ("image/png", True),
        ("text/turtle", False),
        ("text/csv", True),
        ("text/csv;q=0", False),
    ],
)
def test_not_acceptable(accept: str, graph: bool) -> None:
    with pytest.raises(NotAcceptable) as err:
        choose(accept, graph=graph)
    assert "acceptable types" in str(err.value)


def test_unknown_format_parameter() -> None:
    with pytest.raises(NotAcceptable):
        choose(None, graph=False, format_param="turtle")
