"""Fixtures for the kg tests: an in-memory store and hand-built extractions.

The real spaCy extractor comes from tests/conftest.py (`extractor`, one per session).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# helpers next to this file (kg_support, kg_synthetic) under --import-mode=importlib
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg_support import Build, build  # noqa: E402

from kg.store import Repo, open_repo  # noqa: E402


@pytest.fixture
def repo() -> Iterator[Repo]:
    store = open_repo("memory")
    yield store
    store.close()


@pytest.fixture
def make() -> Build:
    return build
