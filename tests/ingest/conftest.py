"""Fixtures for the ingest tests: one real spaCy Extractor per session, corpora made per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# helpers next to this file (ingest_support, run_cli) under --import-mode=importlib
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_support import Corpus, make_corpus  # noqa: E402

from extract.pipeline import Extractor  # noqa: E402
from kg.store import Repo, open_repo  # noqa: E402


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The real model, loaded once: every ingest test runs real NLP on short texts."""
    return Extractor()


@pytest.fixture
def repo() -> Iterator[Repo]:
    store = open_repo("memory")
    yield store
    store.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    """HTML page, .txt/.md files, a JSONL batch, a duplicate under two names (one with CRLF),
    a German article and two corrupt files (see ingest_support.make_corpus)."""
    return make_corpus(tmp_path / "drop")
