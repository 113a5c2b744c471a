"""The fact layer (kg/facts.py) stays equal to a recomputation from the article graphs."""

from __future__ import annotations

import random

import pytest
from facts_support import random_sequence, recomputed_facts, stored_facts

from kg.facts import rebuild_facts
from kg.ingest import remove_article
from kg.store import Repo
from ontology.namespace import EDUKG


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fact_layer_equals_recomputation_after_random_writes(repo: Repo, seed: int) -> None:
    rng = random.Random(seed)
    done = random_sequence(repo, rng, 40)
    assert done.get("removed") and done.get("replaced") and done.get("ingested"), done
    expected = recomputed_facts(repo)
    assert any(p == EDUKG.support for _, p, _ in expected)
    assert stored_facts(repo) == expected


def test_rebuild_gives_the_same_layer(repo: Repo) -> None:
    random_sequence(repo, random.Random(9), 25)
    kept = stored_facts(repo)
    facts = rebuild_facts(repo)
    assert stored_facts(repo) == kept == recomputed_facts(repo)
    assert facts == sum(1 for _, p, _ in kept if p == EDUKG.support)


def test_removing_every_article_empties_the_layer(repo: Repo) -> None:
    random_sequence(repo, random.Random(4), 10)
    assert stored_facts(repo)
    while True:
        rows = repo.query(
            "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?src WHERE { GRAPH ?g { ?g dcterms:source ?src } } LIMIT 1"
        ).rows
        if not rows:
            break
        remove_article(repo, str(rows[0]["src"]))
    assert stored_facts(repo) == set()
