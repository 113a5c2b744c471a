"""The seed articles ingested through edukg into a real `oxigraph serve` give the same graph and
the same answers as the embedded store: shipped queries, statistics, the network view."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kg.examples import list_queries
from kg.network import build_network
from kg.pipeline import Ingester
from kg.stats import store_stats
from kg.store import open_repo
from kg.store.remote import RemoteRepo
from ontology.namespace import SPARQL_PREFIXES
from tests.remote.remote_support import SEED_DIR, result_bag, same_dataset, same_trig

pytestmark = pytest.mark.slow

EDUKG = shutil.which("edukg") or "edukg"

GROUP_SEPS = (" | ", "; ", " / ")  # GROUP_CONCAT separators of the shipped queries

QUERIES = [
    "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { edukg:partnersWith edukg:memberOf edukg:hasMember "
    "edukg:establishedBy edukg:partOf edukg:locatedIn edukg:leads } ?s ?p ?o }",
    "SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT DISTINCT ?e ?label WHERE { ?e skos:prefLabel ?label }",
    "SELECT ?a ?title ?hash ?src WHERE { GRAPH ?a { ?a a edukg:Article ; edukg:contentHash ?hash ; "
    "dcterms:source ?src OPTIONAL { ?a dcterms:title ?title } } }",
    "SELECT ?s ?p ?o ?sentence ?start ?end ?conf ?a WHERE { ?ev a edukg:Evidence ; rdf:subject ?s ; "
    "rdf:predicate ?p ; rdf:object ?o ; edukg:sentence ?sentence ; edukg:start ?start ; edukg:end ?end ; "
    "edukg:confidence ?conf ; prov:wasDerivedFrom ?a }",
    "SELECT ?u (COUNT(DISTINCT ?x) AS ?n) WHERE { ?u a edukg:University . OPTIONAL { ?u ?p ?x . ?x a ?t } } "
    "GROUP BY ?u ORDER BY DESC(?n) ?u",
    "ASK { ?s edukg:partnersWith ?o . ?o edukg:partnersWith ?s }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s a edukg:Enterprise ; ?p ?o FILTER(isIRI(?o)) }",
]


def test_seed_articles_give_the_same_answers(oxigraph_server, extractor) -> None:
    remote = open_repo(oxigraph_server.spec)
    assert isinstance(remote, RemoteRepo)
    local = open_repo("memory")
    for repo in (remote, local):
        summary = Ingester(repo, extractor, n_process=1).run([str(SEED_DIR)])
        assert summary.ok, summary.failed
        assert summary.ingested == len(list(SEED_DIR.glob("*.txt"))) > 0
    assert len(remote) > 100
    assert same_dataset(remote, local) == []

    shipped = list_queries()
    assert shipped
    for named in shipped:
        left, right = remote.query(named.text), local.query(named.text)
        assert result_bag(left, concat_sep=GROUP_SEPS) == result_bag(right, concat_sep=GROUP_SEPS), named.name
    for query in QUERIES:
        answer = remote.query(SPARQL_PREFIXES + query)
        assert result_bag(answer) == result_bag(local.query(SPARQL_PREFIXES + query)), query
    assert len(remote.query(SPARQL_PREFIXES + QUERIES[0]).rows) > 0  # the comparison is not vacuous

    assert store_stats(remote) == store_stats(local)
    remote_net, local_net = build_network(remote), build_network(local)
    assert remote_net.number_of_edges() > 0
    assert dict(remote_net.nodes(data="label")) == dict(local_net.nodes(data="label"))
    assert sorted(remote_net.edges(keys=True)) == sorted(local_net.edges(keys=True))

    # running the batch again over the server changes nothing
    again = Ingester(remote, extractor, n_process=1).run([str(SEED_DIR)])
    assert again.ingested == 0 and again.unchanged == summary.ingested
    assert same_dataset(remote, local) == []


def _edukg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUKG_")}
    return subprocess.run(
        [EDUKG, *args], capture_output=True, text=True, env=env, cwd=str(cwd), timeout=600, check=False
    )


def test_cli_gives_the_same_output_on_both_stores(tmp_path: Path, oxigraph_server) -> None:
    """`edukg ingest`, `stats`, `query` and `export` through the CLI, remote vs embedded."""
    specs = {"remote": oxigraph_server.spec, "embedded": f"oxigraph:{tmp_path / 'embedded'}"}
    outputs: dict[str, dict[str, str]] = {}
    for name, spec in specs.items():
        ingest = _edukg(
            "ingest", "--store", spec, "--n-process", "1", "--no-progress", str(SEED_DIR), cwd=tmp_path
        )
        assert ingest.returncode == 0, ingest.stdout + ingest.stderr
        outputs[name] = {}
        for key, args in {
            "stats": ("stats", "--json"),
            "query": ("query", "--format", "json", "--example", "top_enterprise_partners"),
            "export": ("export", "--format", "trig"),
        }.items():
            result = _edukg(*args, "--store", spec, cwd=tmp_path)
            assert result.returncode == 0, result.stderr
            outputs[name][key] = result.stdout
    remote, embedded = outputs["remote"], outputs["embedded"]
    assert json.loads(remote["stats"]) == json.loads(embedded["stats"])
    assert json.loads(remote["stats"])["articles"] == len(list(SEED_DIR.glob("*.txt")))
    assert json.loads(remote["query"]) == json.loads(embedded["query"])
    assert same_trig(remote["export"].encode(), embedded["export"].encode())
