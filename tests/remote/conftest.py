"""Fixtures for the remote-store tests: a REAL `oxigraph serve` on a free loopback port.

(The session-wide `extractor` fixture comes from tests/conftest.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.remote.remote_support import OxigraphServer


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A stock `oxigraph serve` (no union flag: edukg sends the union parameter itself)."""
    server = OxigraphServer(tmp_path / "oxigraph-data")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def union_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """`oxigraph serve --union-default-graph`: a server whose default graph is the union."""
    server = OxigraphServer(tmp_path / "oxigraph-union", union_default_graph=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()
