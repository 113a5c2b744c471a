"""The lexical pre-check of /sparql: what it refuses, what it lets through, what it extracts."""

from __future__ import annotations

import time

import pytest

from api.sparql_scan import ScanError, check_graph_iris, scan_query

BASE = "https://w3id.org/edukg/"


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "select"),
        ("select * { ?s ?p ?o }", "select"),
        ("PREFIX ask: <http://x/> SELECT ?ask:x WHERE { ?s ask:p ?o }", "select"),
        ("BASE <http://x/> PREFIX e: <y#> ASK { ?s ?p ?o }", "ask"),
        ("# a comment with SELECT\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "construct"),
        ("DESCRIBE <https://w3id.org/edukg/id/university/x>", "describe"),
        ("PREFIX select: <http://x/> CONSTRUCT WHERE { ?s select:p ?o }", "construct"),
    ],
)
def test_query_form(query: str, form: str) -> None:
    assert scan_query(query).form == form


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o . SeRvIcE ?endpoint { ?a ?b ?c } }",
        "SELECT * WHERE { ?s ?p ?o }#\nSERVICE",
        'SELECT * WHERE { ?s ?p "x" .\nSERVICE <http://x/> {} }',
        "SELECT * WHERE { FILTER(?a<?b) SERVICE<http://x/>{ ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ex:o. SERVICE <http://x/> {} }",
        "SELECT * WHERE { ?s ?p ?o }\n'''unterminated SERVICE",
    ],
)
def test_service_is_refused_however_written(query: str) -> None:
    with pytest.raises(ScanError) as err:
        scan_query(query)
    assert err.value.code == "service_refused"
    assert "SERVICE" in err.value.message


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
        "SELECT * WHERE { ?s ?p '''multi\nline SERVICE''' }",
        "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
        "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:SERVICE ?o . ?service ?p ex:a.SERVICE }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> in a comment",
        'SELECT * WHERE { ?s ?p "x"@service }',
        "SELECT ?service WHERE { ?service ?p ?o }",
    ],
)
def test_service_in_strings_iris_names_comments_is_fine(query: str) -> None:
    assert scan_query(query).form == "select"


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX e: <http://e/> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://x/>",
        "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "create graph <http://x/>",
    ],
)
def test_updates_are_refused(query: str) -> None:
    with pytest.raises(ScanError) as err:
        scan_query(query)
    assert err.value.code == "update_refused"
    assert "read-only" in err.value.message


def test_empty_and_formless_queries() -> None:
    for text, code in (
        ("", "empty_query"),
        ("  \n ", "empty_query"),
        ("PREFIX e: <http://e/>", "no_query_form"),
    ):
        with pytest.raises(ScanError) as err:
            scan_query(text)
        assert err.value.code == code


def test_from_clauses_are_resolved_and_checked() -> None:
    info = scan_query(
        "PREFIX a: <https://w3id.org/edukg/article/>\n"
        "SELECT * FROM a:0123456789abcdef FROM NAMED <https://w3id.org/edukg/article/fedcba9876543210> "
        "WHERE { ?s ?p ?o }",
        allowed_graph_base=BASE,
    )
    assert info.from_graphs == ["https://w3id.org/edukg/article/0123456789abcdef"]
    assert info.from_named == ["https://w3id.org/edukg/article/fedcba9876543210"]
    assert info.has_dataset_clause
    relative = scan_query(
        "BASE <https://w3id.org/edukg/article/> SELECT * FROM <abc> { ?s ?p ?o }", allowed_graph_base=BASE
    )
    assert relative.from_graphs == ["https://w3id.org/edukg/article/abc"]
    with pytest.raises(ScanError) as err:
        scan_query("SELECT * FROM <http://evil.example/data.ttl> WHERE { ?s ?p ?o }", allowed_graph_base=BASE)
    assert err.value.code == "remote_graph_refused"
    with pytest.raises(ScanError):
        scan_query("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", allowed_graph_base=BASE)
    assert not scan_query("SELECT * WHERE { ?s ?p ?o }").has_dataset_clause


def test_protocol_graph_parameters_obey_the_same_rule() -> None:
    check_graph_iris([BASE + "article/0123456789abcdef"], BASE)
    for bad in ("http://evil.example/g", "not an iri", "<https://w3id.org/edukg/x>"):
        with pytest.raises(ScanError):
            check_graph_iris([bad], BASE)


def test_scan_is_linear_on_hostile_input() -> None:
    """Long inputs made of openers that never close must not make the scanner quadratic."""
    for text in (
        "SELECT * { " + "'''" + "a" * 200_000,
        "SELECT * { " + "<a" * 50_000,
        "SELECT * { " + '"a' * 50_000,
        "SELECT * { " + "ex:a." * 40_000 + " }",
    ):
        started = time.perf_counter()
        scan_query(text)
        assert time.perf_counter() - started < 2.0
