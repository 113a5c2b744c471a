"""Fixtures: stores loaded through the real kg.ingest path (no hand-written RDF)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.ingest import ingest_extraction
from kg.store import Repo, open_repo

from .corpus import corpus


def load_corpus(repo: Repo) -> dict[str, str]:
    """Ingest the hand-built corpus; returns source → article IRI."""
    out = {}
    for article, extraction in corpus():
        outcome = ingest_extraction(repo, article, extraction)
        assert outcome.status == "ingested", outcome
        assert not outcome.skipped, outcome.skipped
        out[article.source] = outcome.article
    return out


@pytest.fixture
def small_repo() -> Iterator[tuple[Repo, dict[str, str]]]:
    repo = open_repo("memory")
    articles = load_corpus(repo)
    yield repo, articles
    repo.close()
