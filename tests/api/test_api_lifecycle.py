"""`edukg serve --store memory` keeps its store in a temporary directory; a real server stopped
the way a service manager stops it (SIGTERM) must remove that directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import start_server, stop_server

pytestmark = pytest.mark.slow


def test_memory_store_directory_removed_on_sigterm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # where the server's tempfile.mkdtemp puts the store
    server = start_server(tmp_path, "--no-seed", key=None, name="memory", store="memory")
    try:
        made = list(scratch.glob("edukg-memory-*"))
        assert len(made) == 1, made  # the test looks in the right place
    finally:
        left = stop_server(server)  # SIGTERM, then wait
    assert left == []
    assert server.proc.returncode is not None
    assert list(scratch.glob("edukg-memory-*")) == [], server.log_text()
