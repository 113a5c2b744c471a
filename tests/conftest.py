"""Shared fixtures: paths of the embedded corpus and gold files, one extractor per session."""

from __future__ import annotations

from pathlib import Path

import pytest

# the project's `api` package, bound before collection: pytest's importlib mode names the test
# folder tests/api "api" too (its nearest parent without __init__.py is tests/), and whichever is
# imported first owns the name; the app must be the real one
import api.app  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "articles"
GOLD = ROOT / "tests" / "data" / "gold"


@pytest.fixture(scope="session")
def extractor():
    """The real spaCy pipeline with edukg's components, loaded once."""
    from extract.pipeline import Extractor

    return Extractor()
