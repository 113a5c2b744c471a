"""Store backends behind one `Repo` interface; `open_repo(spec)` picks one from a spec string.

Specs (`--store` / EDUKG_STORE):
- `memory`            embedded Oxigraph in memory (tests, throw-away sessions)
- `oxigraph:PATH`     embedded Oxigraph in the data directory PATH (default `.edukg/store`)
- `sparql:URL`, `http(s)://…`  a remote SPARQL 1.1 server (kg/store/remote.py)
"""

from __future__ import annotations

from kg.errors import BadSpec
from kg.store.base import QueryResult, Repo

REMOTE_PREFIXES = ("sparql:", "sparql+", "http://", "https://", "oxigraph-server:", "virtuoso:")


def open_repo(spec: str, *, read_only: bool = False) -> Repo:
    """Open the store a spec names; raises `BadSpec` for an unknown spec, `StoreError` if it
    cannot be opened (e.g. another process holds the on-disk store)."""
    spec = spec.strip()
    if spec == "memory":
        from kg.store.oxigraph import OxigraphRepo

        return OxigraphRepo(None)
    if spec.startswith("oxigraph:"):
        path = spec.removeprefix("oxigraph:")
        if not path:
            raise BadSpec("store spec 'oxigraph:' needs a directory, e.g. oxigraph:.edukg/store")
        from kg.store.oxigraph import OxigraphRepo

        return OxigraphRepo(path, read_only=read_only)
    if spec.startswith(REMOTE_PREFIXES):
        from kg.store import remote  # httpx and the protocol code only when a remote store is named

        return remote.open_remote(spec)
    raise BadSpec(f"unknown store spec {spec!r}: use 'memory', 'oxigraph:PATH' or a SPARQL endpoint URL")


__all__ = ["QueryResult", "Repo", "open_repo"]
