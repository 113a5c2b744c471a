"""Fixtures for the remote-store tests: a REAL `oxigraph serve` and a REAL `virtuoso-t`, each on
free loopback ports.

(The session-wide `extractor` fixture comes from tests/conftest.py.)
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.store.remote import open_remote
from tests.remote.remote_support import OxigraphServer
from tests.remote.virtuoso_support import SKIP_REASON as VIRTUOSO_SKIP
from tests.remote.virtuoso_support import VirtuosoServer
from tests.remote.virtuoso_support import available as virtuoso_available


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


@pytest.fixture(scope="session")
def virtuoso_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One real `virtuoso-t` for the session (a fresh database takes ~8 s to create)."""
    if not virtuoso_available():
        pytest.skip(VIRTUOSO_SKIP)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    try:
        yield server
    finally:
        server.stop(signal.SIGTERM)


@pytest.fixture
def virtuoso(virtuoso_session: VirtuosoServer, monkeypatch: pytest.MonkeyPatch) -> VirtuosoServer:
    """The session's Virtuoso, emptied of edukg's graphs, with its credentials in the environment."""
    for key, value in virtuoso_session.env.items():
        monkeypatch.setenv(key, value)
    if not virtuoso_session.running:
        virtuoso_session.start()
    repo = open_remote(virtuoso_session.spec)
    for graph in repo.named_graphs():
        repo.drop_graph(graph)
    repo.close()
    return virtuoso_session
