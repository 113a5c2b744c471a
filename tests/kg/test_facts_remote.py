"""The fact layer stays equal to a recomputation on a remote store too: a real `oxigraph serve`,
written through edukg's remote SPARQL backend (one update request per article write)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from facts_support import random_sequence, recomputed_facts, stored_facts

from kg.facts import rebuild_facts
from kg.store import Repo, open_repo
from tests.remote.remote_support import OXIGRAPH, OxigraphServer

pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server binary is not installed")


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[Repo]:
    server = OxigraphServer(tmp_path / "oxigraph-data")
    server.start()
    repo = open_repo(server.spec)
    try:
        yield repo
    finally:
        repo.close()
        server.stop()


def test_remote_fact_layer_equals_recomputation(remote: Repo) -> None:
    done = random_sequence(remote, random.Random(5), 30)
    assert done.get("removed") and done.get("replaced"), done
    expected = recomputed_facts(remote)
    assert expected
    assert stored_facts(remote) == expected
    rebuild_facts(remote)
    assert stored_facts(remote) == expected
