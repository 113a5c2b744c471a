"""A real edukg server for the API tests: `edukg serve` in a subprocess on a free loopback port.

The session server starts on an empty on-disk store in a temp dir, so it seeds itself from
data/articles with the real spaCy model (the path a newcomer takes), with a 2 s query limit so
the slow-query test is quick. A second, key-less server (memory store, no seed) checks that
writes are disabled when no key is configured.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

REPO = Path(__file__).resolve().parents[2]
QUERY_TIMEOUT = 2.0


@dataclass
class Server:
    url: str
    key: str | None
    proc: subprocess.Popen[bytes]
    log: Path
    store_dir: Path | None

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)  # type: ignore[arg-type]

    def quads(self) -> int:
        """Quads in the store, read through the API."""
        with self.client() as c:
            r = c.get("/stats")
            r.raise_for_status()
            return int(r.json()["quads"])

    def store_pid(self) -> int:
        """The running store process's pid (waits while one is being started)."""
        deadline = time.monotonic() + 30
        with self.client() as c:
            while True:
                r = c.get("/health")
                pid = r.json()["store"]["pid"]
                if pid is not None or time.monotonic() > deadline:
                    return int(pid)
                time.sleep(0.1)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    tmp: Path,
    *args: str,
    key: str | None,
    name: str,
    store: str,
    timeout: float = 180,
    env: dict[str, str] | None = None,
) -> Server:
    port = free_port()
    log = tmp / f"{name}.log"
    cmd = [
        sys.executable,
        "-m",
        "cli.main",
        "serve",
        "--port",
        str(port),
        "--store",
        store,
        "--timeout",
        str(QUERY_TIMEOUT),
        "--log-level",
        "warning",
        *args,
    ]
    if key is not None:
        cmd += ["--api-key", key]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("EDUKG_")}, **(env or {})}
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=fh, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                store_dir = Path(store.removeprefix("oxigraph:")) if store.startswith("oxigraph:") else None
                return Server(url, key, proc, log, store_dir)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not come up in {timeout} s:\n{log.read_text(errors='replace')}")


def stop_server(server: Server) -> list[int]:
    """SIGTERM (graceful: the lifespan closes the store process); returns the store processes
    left behind (must be none)."""
    children = [p.pid for p in psutil.Process(server.proc.pid).children(recursive=True)]
    server.proc.terminate()
    try:
        server.proc.wait(30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()
    time.sleep(0.5)
    left = [
        pid
        for pid in children
        if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    ]
    for pid in left:
        psutil.Process(pid).kill()
    return left


@dataclass
class InProcess:
    """The app in this process (FastAPI's TestClient) on a store loaded from tests/data/seed.trig,
    with the same face as `Server` for tests that need no server process."""

    app: Any
    key: str
    repo: Any
    url: str = "http://testserver"

    def client(self, **kwargs: Any) -> Any:
        from fastapi.testclient import TestClient

        return TestClient(self.app, base_url=self.url, **kwargs)

    def quads(self) -> int:
        return len(self.repo)


@pytest.fixture(scope="session")
def inproc(extractor: Any) -> Iterator[InProcess]:
    import pyoxigraph as ox

    from api.app import create_app
    from kg.service.client import LocalStoreClient
    from kg.service.settings import Settings
    from kg.store.oxigraph import OxigraphRepo

    repo = OxigraphRepo(None)
    repo.store.load(path=str(REPO / "tests" / "data" / "seed.trig"), format=ox.RdfFormat.TRIG)
    key = "test-" + secrets.token_hex(12)
    settings = Settings(store="memory", api_key=key, query_timeout=QUERY_TIMEOUT)
    yield InProcess(create_app(settings, store=LocalStoreClient(repo), extractor=extractor), key, repo)
    repo.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("api-server")
    key = "test-" + secrets.token_hex(12)
    srv = start_server(tmp, key=key, name="server", store=f"oxigraph:{tmp}/store")
    yield srv
    left = stop_server(srv)
    assert not left, f"store processes outlived the server: {left}"


@pytest.fixture(scope="session")
def keyless_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("api-keyless")
    srv = start_server(tmp, "--no-seed", key=None, name="keyless", store="memory")
    yield srv
    stop_server(srv)
