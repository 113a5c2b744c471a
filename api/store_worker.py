"""Entry point of the store process: `python -m api.store_worker FD`.

The API process starts this with one end of a socket pair (FD) and sends the store spec over it
(not on the command line, where `ps` would show a remote store's credentials). The store process
opens the store and then serves requests from the socket on a thread pool, answering each as it finishes.
It is the only process that touches the store, so the API process can kill it (SIGKILL) the
moment a query overruns its time limit: every write is one transaction, so a kill never leaves
half a write, and the core the query was burning is free at once. It exits when the socket
closes, so it never outlives the API process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any


def _error_of(err: BaseException) -> tuple[str, str]:
    code = getattr(err, "code", None)
    message = getattr(err, "message", None)
    if isinstance(code, str) and isinstance(message, str):
        return code, message
    traceback.print_exception(err, file=sys.stderr)
    return "internal_error", f"{type(err).__name__}: {err}".splitlines()[0]


def _send_or_exit(conn: Connection, message: tuple[Any, ...]) -> None:
    try:
        conn.send(message)
    except (OSError, ValueError):  # the API process is gone (e.g. it stopped while we started)
        os._exit(0)


OPS = frozenset({"sparql", "lookup", "ingest", "remove", "repo_call", "ping"})


def serve(conn: Connection) -> None:
    from kg.store import open_repo

    try:
        _, spec, threads = conn.recv()  # ("open", spec, threads)
        repo = open_repo(spec)
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which decides
        code, message = _error_of(err)
        _send_or_exit(conn, ("failed", code, message))
        return
    from api.worker_ops import Worker

    worker = Worker(repo)
    _send_or_exit(conn, ("ready", {"pid": os.getpid(), **worker.ping()}))
    send_lock = threading.Lock()

    def reply(message: tuple[Any, ...]) -> None:
        with send_lock:
            try:
                conn.send(message)
            except (OSError, ValueError):  # parent gone: nothing left to answer
                os._exit(0)

    def handle(req_id: int, op: str, args: tuple[Any, ...]) -> None:
        try:
            if op not in OPS:
                raise ValueError(f"unknown operation {op!r}")
            value = getattr(worker, op)(*args)
        except BaseException as err:  # noqa: BLE001 - every failure becomes an answer
            code, message = _error_of(err)
            reply(("err", req_id, code, message))
            return
        try:
            reply(("ok", req_id, value))
        except Exception as err:  # e.g. an unpicklable value
            code, message = _error_of(err)
            reply(("err", req_id, code, message))

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
        req_id, op, args = message
        pool.submit(handle, req_id, op, args)


def main(argv: list[str]) -> None:
    # Ctrl-C in a terminal reaches the whole process group: leave it to the API process, which
    # asks this one to close the store cleanly
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(Connection(int(argv[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
