"""Entry point of the store process: `python -m kg.service.worker FD`.

The API process starts this with one end of a socket pair (FD) and sends the store spec over it
(not on the command line, where `ps` would show a remote store's credentials). The store process
opens the store, then runs each request (a pickled `StoreOps` job) on a thread pool and answers
as each finishes; a heartbeat thread says every few tenths of a second that it is alive, so the
supervisor tells a busy store from a hung one. It is the only process that touches the store,
so the supervisor can kill it (SIGKILL) to stop queries: every write is one transaction, so a
kill never leaves half a write. It exits when the socket closes, so it never outlives the API.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger("edukg.store")
RECOUNT_EVERY = 5.0  # seconds between quad counts for /health (only after a write)


def _error_of(err: BaseException) -> tuple[str, str]:
    code = getattr(err, "code", None)
    message = getattr(err, "message", None)
    if isinstance(code, str) and isinstance(message, str):
        return code, message
    log.error("store request failed", exc_info=err)
    return "internal_error", f"{type(err).__name__}: {err}".splitlines()[0]


def serve(conn: Connection) -> None:
    # the imports first, before the store is named: a standby process is ready to open it at once
    from kg.service.ops import StoreOps
    from kg.store import open_repo
    from kg.store.oxigraph import OxigraphRepo  # noqa: F401 - imported ahead of need

    def send_or_exit(message: tuple[Any, ...]) -> None:
        try:
            conn.send(message)
        except (OSError, ValueError):  # the API process is gone
            os._exit(0)

    try:
        _, spec, threads, beat = conn.recv()  # ("open", spec, threads, heartbeat interval)
        repo = open_repo(spec)
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which decides
        code, message = _error_of(err)
        send_or_exit(("failed", code, message))
        return
    ops = StoreOps(repo)
    send_or_exit(("ready", {"pid": os.getpid(), **ops.describe()}))
    send_lock = threading.Lock()

    def reply(message: tuple[Any, ...]) -> None:
        with send_lock:
            send_or_exit(message)

    def handle(req_id: int, payload: bytes) -> None:
        try:
            job = pickle.loads(payload)
            value = job(ops)
        except BaseException as err:  # noqa: BLE001 - every failure becomes an answer
            reply(("err", req_id, *_error_of(err)))
            return
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as err:  # an answer that does not pickle fails its call at once
            log.error("a store answer does not pickle: %s", err)
            reply(("err", req_id, "internal_error", f"the store's answer could not be sent: {err}"))
            return
        reply(("ok", req_id, data))

    def heartbeat() -> None:
        counted_writes, counted_at = ops.writes, time.monotonic()
        while True:
            time.sleep(beat)
            info = None
            if ops.writes != counted_writes and time.monotonic() - counted_at >= RECOUNT_EVERY:
                counted_writes, counted_at = ops.writes, time.monotonic()
                info = ops.describe()
            reply(("beat", info))

    threading.Thread(target=heartbeat, daemon=True, name="heartbeat").start()
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="store")
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            os._exit(0)  # the API process is gone
        if message[0] == "close":
            pool.shutdown(wait=True)
            try:
                repo.close()
            finally:
                reply(("closed",))
                os._exit(0)
        req_id, payload = message
        pool.submit(handle, req_id, payload)


def main(argv: list[str]) -> None:
    # Ctrl-C in a terminal reaches the whole process group: leave it to the API process, which
    # asks this one to close the store cleanly
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="edukg store: %(message)s", stream=sys.stderr)
    serve(Connection(int(argv[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
