"""`edukg query | export | stats | validate | remove` on a real on-disk store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kg_support import build
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from cli.main import app
from kg.ingest import ingest_extraction
from kg.store import open_repo

TEXT_A = "Ardent University and Borel Systems signed an agreement."
TEXT_B = "Dorne University and Borel Systems opened a joint lab."


@pytest.fixture
def store(tmp_path: Path) -> str:
    spec = f"oxigraph:{tmp_path / 'store'}"
    repo = open_repo(spec)
    for text, source, uni in ((TEXT_A, "a.txt", "Ardent University"), (TEXT_B, "b.txt", "Dorne University")):
        article, extraction = build(
            text,
            source,
            [("u", uni, "University"), ("c", "Borel Systems", "Enterprise")],
            [("u", "partnersWith", "c", text)],
        )
        ingest_extraction(repo, article, extraction)
    repo.close()
    return spec


runner = CliRunner()


def _run(*args: str):  # noqa: ANN202 - click Result
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_query_formats(store: str) -> None:
    q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { ?e skos:prefLabel ?l } ORDER BY ?l"
    table = _run("query", q, "--store", store)
    assert table.exit_code == 0 and "Ardent University" in table.stdout and "3 row(s)" in table.stdout
    doc = json.loads(_run("query", q, "--format", "json", "--store", store).stdout)
    assert [b["l"]["value"] for b in doc["results"]["bindings"]] == [
        "Ardent University",
        "Borel Systems",
        "Dorne University",
    ]
    csv_out = _run("query", q, "--format", "csv", "--store", store).stdout
    assert csv_out.splitlines() == ["l", "Ardent University", "Borel Systems", "Dorne University"]
    assert _run("query", "ASK { ?s ?p ?o }", "--store", store).stdout.strip() == "true"


def test_query_from_file_and_examples(store: str, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a <https://w3id.org/edukg/ontology#Article> } }"
    )
    assert _run("query", "--file", str(rq), "--format", "csv", "--store", store).stdout.splitlines() == [
        "n",
        "2",
    ]
    out = _run("query", "--example", "top_enterprise_partners", "--format", "csv", "--store", store).stdout
    assert out.splitlines()[1].split(",")[1:3] == ["Borel Systems", "2"]
    out = _run(
        "query",
        "-e",
        "partners_of_university",
        "-p",
        "university=dorne",
        "--format",
        "json",
        "--store",
        store,
    )
    rows = json.loads(out.stdout)["results"]["bindings"]
    assert [r["partnerLabel"]["value"] for r in rows] == ["Borel Systems"]
    assert "partners_of_university" in _run("query", "--list").stdout


def test_query_errors_are_one_line(store: str) -> None:
    bad = _run("query", "SELECT WHERE", "--store", store)
    assert bad.exit_code == 2 and "error" in bad.stderr and len(bad.stderr.strip().splitlines()) <= 2
    assert _run("query", "--store", store).exit_code == 2  # no query
    assert _run("query", "ASK {}", "--format", "xml", "--store", store).exit_code == 2
    assert _run("query", "ASK {}", "--store", "nonsense:spec").exit_code == 2


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_export_rdf(store: str, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"dump.{fmt}"
    result = _run("export", "--format", fmt, "--output", str(out), "--store", store)
    assert result.exit_code == 0
    if fmt == "turtle":
        graph = Graph().parse(out, format="turtle")
        assert len(graph) > 20
    else:
        ds = Dataset().parse(out, format={"trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt])
        graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
        assert sum(1 for g in graphs if "/article/" in g) == 2


def test_export_network_and_bad_format(store: str) -> None:
    result = _run("export", "--format", "graphml", "--store", store)
    assert result.exit_code == 0 and "<graphml" in result.stdout
    assert _run("export", "--format", "pdf", "--store", store).exit_code == 2


def test_stats_validate_remove(store: str) -> None:
    stats = json.loads(_run("stats", "--json", "--store", store).stdout)
    assert stats["articles"] == 2 and stats["entities"] == 3 and stats["evidence"] == 2
    assert stats["relations_by_predicate"]["partnersWith"] == 4  # both directions, two pairs
    assert "articles" in _run("stats", "--store", store).stdout
    ok = _run("validate", "--store", store)
    assert ok.exit_code == 0 and "conforms" in ok.stdout

    removed = _run("remove", "a.txt", "--store", store)
    assert removed.exit_code == 0 and "removed https://w3id.org/edukg/article/" in removed.stdout
    stats = json.loads(_run("stats", "--json", "--store", store).stdout)
    assert stats["articles"] == 1 and stats["entities"] == 2
    missing = _run("remove", "a.txt", "--store", store)
    assert missing.exit_code == 1 and "no article" in missing.stderr


@pytest.mark.parametrize(
    "command", [["stats"], ["query", "ASK { ?s ?p ?o }"], ["export", "--format", "nquads"]]
)
def test_read_only_commands_refuse_a_store_that_does_not_exist(tmp_path: Path, command: list[str]) -> None:
    misspelt = tmp_path / "stroe"
    result = _run(*command, "--store", f"oxigraph:{misspelt}")
    assert result.exit_code == 2, result.stdout
    assert f"no store at {misspelt}" in " ".join(result.stderr.split())
    assert not misspelt.exists()  # and none was created


def test_query_says_read_only_for_an_update_and_where_a_syntax_error_is(store: str) -> None:
    result = _run("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--store", store)
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "read-only" in message and "INSERT" in message and "CONSTRUCT" not in message
    result = _run("query", "SELECT ?s WHERE {\n ?s ?p ?o }\nLIMT 3", "--store", store)
    assert result.exit_code == 2
    assert "line 3, column 1, near 'LIMT'" in " ".join(result.stderr.split())
