"""Shared fixtures: paths of the embedded corpus and gold files, one extractor per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "articles"
GOLD = ROOT / "tests" / "data" / "gold"


@pytest.fixture(scope="session")
def extractor():
    """The real spaCy pipeline with edukg's components, loaded once."""
    from extract.pipeline import Extractor

    return Extractor()
