"""Entry point of the store process: `python -m kg.service.worker FD`.

The API process starts this with one end of a socket pair (FD) and sends the store spec over it
(not on the command line, where `ps` would show a remote store's credentials). The store process
opens the store, then runs each request (a pickled `StoreOps` job) on a thread pool and answers
as each finishes, each answer (and heartbeat) carrying the count of writes committed so far, so the
API process knows when what it has cached may be out of date; a heartbeat thread says every few tenths of a second that it is alive, so the
supervisor tells a busy store from a hung one. It is the only process that touches the store,
so the supervisor can kill it (SIGKILL) to stop queries: every write is one transaction, so a
kill never leaves half a write. It exits when the socket closes, so it never outlives the API.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import IO, Any, cast

log = logging.getLogger("edukg.store")
RECOUNT_EVERY = 5.0  # seconds between quad counts for /health (only after a write)
STREAM_AFTER = 1_000_000  # a streamed answer larger than this goes out in chunks, else whole
CHUNK = 256_000  # bytes per chunk message
WINDOW = 8  # chunks sent and not yet taken by the API process (flow control: memory stays flat)


class StreamCancelled(Exception):
    """The API process gave up on this answer (its client left, or the time limit passed)."""


class StreamWriter(io.RawIOBase):
    """The file a streamed answer is written to: buffers up to STREAM_AFTER, then sends a head
    and chunks, each waiting for a credit the API process returns as it passes a chunk on; a
    cancel makes the next write raise, which stops pyoxigraph's evaluation of a SELECT."""

    def __init__(self, req_id: int, reply: Callable[[tuple[Any, ...]], None]) -> None:
        self.req_id = req_id
        self.reply = reply
        self.buf = bytearray()
        self.streaming = False
        self.credits = threading.Semaphore(WINDOW)
        self.cancelled = threading.Event()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.cancelled.is_set():
            raise StreamCancelled("the answer is no longer wanted")
        self.buf += data
        if not self.streaming and len(self.buf) > STREAM_AFTER:
            self.streaming = True
            self.reply(("head", self.req_id))
        if self.streaming and len(self.buf) >= CHUNK:
            self._send()
        return len(data)

    def _send(self) -> None:
        while not self.credits.acquire(timeout=0.5):
            if self.cancelled.is_set():
                raise StreamCancelled("the answer is no longer wanted")
        self.reply(("chunk", self.req_id, bytes(self.buf)))
        self.buf.clear()

    def sink(self) -> IO[bytes]:
        return cast(IO[bytes], self)

    def finish(self) -> bytes | None:
        if not self.streaming:
            return bytes(self.buf)
        if self.buf:
            self._send()
        return None


class _JobThreads:
    """The store process's query threads: a fixed set, each taking requests from one queue.

    Why not `concurrent.futures.ThreadPoolExecutor`: its `submit` makes a Future (with a
    condition and a lock) and checks its thread count for every request, work the receive loop
    does on the hot path of each query although nothing ever reads that Future. A C-implemented
    `SimpleQueue` hands a request to a waiting thread with one put. `closing` drops the requests
    that have not started (the process is about to exit)."""

    def __init__(self, threads: int, handle: Callable[[int, bytes, bool], None]) -> None:
        self.closing = False
        self._queue: queue.SimpleQueue[tuple[int, bytes, bool]] = queue.SimpleQueue()
        self._handle = handle
        for n in range(threads):
            threading.Thread(target=self._run, daemon=True, name=f"store-{n}").start()

    def put(self, request: tuple[int, bytes, bool]) -> None:
        self._queue.put(request)

    def _run(self) -> None:
        while True:
            req_id, payload, stream = self._queue.get()
            if self.closing:
                continue
            try:
                self._handle(req_id, payload, stream)
            except Exception:  # handle answers every error itself; this keeps the thread alive
                log.exception("store request %d failed outside its handler", req_id)


def _error_of(err: BaseException) -> tuple[str, str]:
    if isinstance(err, StreamCancelled):
        return "timeout", str(err)
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
    except (EOFError, OSError):  # a standby whose server stopped before it was needed
        os._exit(0)
    try:
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

    streams: dict[int, StreamWriter] = {}

    def handle(req_id: int, payload: bytes, stream: bool = False) -> None:
        try:
            job = pickle.loads(payload)
            if stream:
                ops.local.sink = streams[req_id] = StreamWriter(req_id, reply)
            value = job(ops)
        except BaseException as err:  # noqa: BLE001 - every failure becomes an answer
            reply(("err", req_id, *_error_of(err), ops.writes))
            return
        finally:
            if stream:
                ops.local.sink = None
                streams.pop(req_id, None)
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as err:  # an answer that does not pickle fails its call at once
            log.error("a store answer does not pickle: %s", err)
            reply(
                ("err", req_id, "internal_error", f"the store's answer could not be sent: {err}", ops.writes)
            )
            return
        # every answer says how many writes this process has committed by now, read after the
        # job: the API's result cache compares it with the count it saw when it sent the job
        reply(("ok", req_id, data, ops.writes))

    def heartbeat() -> None:
        counted_writes, counted_at = ops.writes, time.monotonic()
        while True:
            time.sleep(beat)
            info = None
            if ops.writes != counted_writes and time.monotonic() - counted_at >= RECOUNT_EVERY:
                counted_writes, counted_at = ops.writes, time.monotonic()
                info = ops.describe()
            reply(("beat", info, ops.writes))

    threading.Thread(target=heartbeat, daemon=True, name="heartbeat").start()
    jobs = _JobThreads(threads, handle)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            os._exit(0)  # the API process is gone
        kind = message[0]
        if kind == "ack" or kind == "cancel":  # flow control of a streamed answer
            writer = streams.get(message[1])
            if writer is not None:
                if kind == "ack":
                    writer.credits.release()
                else:
                    writer.cancelled.set()
            continue
        if kind == "stream":
            jobs.put((message[1], message[2], True))
            continue
        if kind == "close":
            # a write in progress finishes (one transaction); reads are dropped, not waited for:
            # an abandoned query could run for minutes and the process exits anyway
            jobs.closing = True
            with ops.write_lock:
                try:
                    repo.close()
                finally:
                    reply(("closed",))
                    os._exit(0)
        req_id, payload = message
        jobs.put((req_id, payload, False))


def main(argv: list[str]) -> None:
    # Ctrl-C in a terminal reaches the whole process group: leave it to the API process, which
    # asks this one to close the store cleanly
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="edukg store: %(message)s", stream=sys.stderr)
    serve(Connection(int(argv[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
