"""Atomic writes: SIGKILL an ingest of many articles midway; the store reopens holding only
whole articles, and a re-run completes the batch."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from facts_support import recomputed_facts, stored_facts
from kg_synthetic import make_article

from kg.mapping import map_extraction
from kg.store.oxigraph import OxigraphRepo
from ontology.namespace import ENTITIES_GRAPH, FACTS_GRAPH, SPARQL_PREFIXES

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parent / "kg_ingest_worker.py"
COUNT, RELATIONS = 100, 30

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")]


def _worker(store: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(store), str(COUNT), str(RELATIONS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _check_whole(store: Path) -> int:
    """Every article graph is complete; returns how many there are."""
    repo = OxigraphRepo(store)
    try:
        sizes = {
            str(r["g"]): int(r["n"])
            for r in repo.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
        }
        meta = {
            str(r["g"]): (str(r["src"]), str(r["h"]))
            for r in repo.query(
                SPARQL_PREFIXES
                + "SELECT ?g ?src ?h WHERE { GRAPH ?g { ?g a edukg:Article ; dcterms:source ?src ; edukg:contentHash ?h } }"
            ).rows
        }
        article_graphs = set(sizes) - {str(ENTITIES_GRAPH), str(FACTS_GRAPH)}
        assert article_graphs == set(meta), "a graph without its article metadata"
        for graph, (source, stored_hash) in meta.items():
            index = int(Path(source).stem)
            article, extraction = make_article(index, relations=RELATIONS)
            assert stored_hash == article.content_hash and graph.endswith(stored_hash[:16])
            assert sizes[graph] == len(map_extraction(article, extraction).graph), f"partial article {source}"
        # labels are consistent with the articles present: one prefLabel per named entity
        bad = repo.query(
            SPARQL_PREFIXES
            + """SELECT ?e (COUNT(DISTINCT ?l) AS ?n) WHERE {
                   { SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e edukg:name ?x } } }
                   OPTIONAL { GRAPH <https://w3id.org/edukg/graph/entities> { ?e skos:prefLabel ?l } }
                 } GROUP BY ?e HAVING (COUNT(DISTINCT ?l) != 1)"""
        ).rows
        assert bad == []
        # the fact layer was written in the same transactions: it matches the articles present
        assert stored_facts(repo) == recomputed_facts(repo)
        return len(meta)
    finally:
        repo.close()


def test_sigkill_midway_then_rerun(tmp_path: Path) -> None:
    store = tmp_path / "store"
    proc = _worker(store)
    assert proc.stdout is not None
    finished = 0
    target = 20 + random.randrange(20)
    for line in proc.stdout:
        if line.split()[-1] == "ingested":
            finished += 1
        if finished >= target:
            break
    time.sleep(random.uniform(0.0, 0.05))  # land anywhere inside the next article's write
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""

    survived = _check_whole(store)
    assert target <= survived < COUNT

    rerun = _worker(store)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    statuses = [line.split()[-1] for line in out.splitlines() if line != "done"]
    assert statuses.count("unchanged") == survived
    assert statuses.count("ingested") == COUNT - survived
    assert _check_whole(store) == COUNT
