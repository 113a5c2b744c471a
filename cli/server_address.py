"""Where a running `edukg serve` can be reached, written next to the on-disk store it holds.

An embedded Oxigraph store admits one process; while `edukg serve` holds it, `edukg ingest`
cannot open it and has to send its articles through the server instead. To find the server
it reads `<store dir>.server.json` (host, port, pid, whether writes are on), which `serve`
writes before it starts listening and removes on a clean shutdown. A file left by a server
that was killed names a pid that no longer runs and is ignored, so no clean-up is ever needed.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

SUFFIX = ".server.json"


@dataclass(frozen=True)
class ServerAddress:
    """What a client needs to reach the server that holds a store."""

    host: str
    port: int
    pid: int
    store: str  # absolute path of the store directory
    writes: bool  # the server was started with an API key
    started: float = 0.0  # time.time() at start, for messages

    @property
    def url(self) -> str:
        # a server bound to every interface is reached on loopback from this machine
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"


def store_dir(spec: str) -> Path | None:
    """The directory of an embedded on-disk store spec (`oxigraph:PATH`), else None."""
    spec = spec.strip()
    if not spec.startswith("oxigraph:") or not spec.removeprefix("oxigraph:"):
        return None
    return Path(spec.removeprefix("oxigraph:")).expanduser().resolve()


def address_file(store: Path) -> Path:
    """`/data/store` → `/data/store.server.json`: beside the store, not inside RocksDB's folder."""
    return store.with_name(store.name + SUFFIX)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def read_live(store: Path) -> ServerAddress | None:
    """The address of the live server holding `store`, or None (no file, unreadable, stale)."""
    try:
        data = json.loads(address_file(store).read_text(encoding="utf-8"))
        address = ServerAddress(
            host=str(data["host"]),
            port=int(data["port"]),
            pid=int(data["pid"]),
            store=str(data["store"]),
            writes=bool(data["writes"]),
            started=float(data.get("started", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return address if pid_alive(address.pid) else None


def write(store: Path, *, host: str, port: int, writes: bool) -> ServerAddress:
    """Record this process as the server of `store` (atomically: a reader never sees half)."""
    address = ServerAddress(
        host=host, port=port, pid=os.getpid(), store=str(store), writes=writes, started=time.time()
    )
    target = address_file(store)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(address), indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return address


def remove(store: Path) -> None:
    """Remove the address file if it is still this process's (never another server's)."""
    target = address_file(store)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if int(json.loads(target.read_text(encoding="utf-8"))["pid"]) == os.getpid():
            target.unlink()
