"""The API's store lives in a separate, killable process; this module supervises it.

Why a process: pyoxigraph has no query timeout or cancellation, and a Python thread cannot be
stopped, so an in-process runaway query keeps a core busy until the server exits. Here one store
process owns the store (all reads and writes) and serves requests on a thread pool (pyoxigraph
releases the GIL while it evaluates, so a slow query does not hold up the others). A monitor
thread watches every request's deadline; when one overruns, the store process is killed with
SIGKILL (the core is free at once; writes are transactions, so nothing is left half-written),
the overdue request gets `StoreTimeout`, a new store process is started, and the requests that
were in flight are sent again (reads always; writes only if marked idempotent).

Why not query workers on `Store.read_only(path)`: pyoxigraph documents opening read-only while
another process writes as undefined behaviour. Why not checkpoints per write (`Store.backup`):
measured 10–750 ms per write and a flush each time. One owner process has neither problem.

`ProcessRepo` wraps the process as a `Repo`, so code in the API process (e.g. the /graph pages)
uses the store through the usual interface, with the same time limit.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from rdflib import Graph

from kg.errors import KGError, StoreError
from kg.store.base import QueryResult, Repo

MAX_ATTEMPTS = 3  # sends of one request across store-process restarts
START_TIMEOUT = 120.0  # seconds a new store process may take to open the store


class StoreTimeout(KGError):
    """A request overran its time limit; the store process was restarted to stop it."""

    code = "timeout"


class StoreUnavailable(KGError):
    """The store process is not running (closed, failed to start, or crashed repeatedly)."""

    code = "store_unavailable"


class StoreCallError(KGError):
    """An error raised inside the store process, carried over with its code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class _Call:
    id: int
    op: str
    args: tuple[Any, ...]
    timeout: float
    deadline: float
    retry: bool
    future: Future[Any] = field(default_factory=Future)
    attempts: int = 0
    sent_gen: int = -1  # generation of the store process it was sent to; -1: waiting


def resolve_spec(spec: str) -> tuple[str, Callable[[], None]]:
    """The spec the store process opens, and a clean-up to run at shutdown.

    "memory" becomes a fresh on-disk store in a temporary directory, removed at shutdown: an
    in-memory store would die with the store process each time a slow query is stopped.
    """
    if spec.strip() != "memory":
        return spec, lambda: None
    tmp = tempfile.mkdtemp(prefix="edukg-memory-")
    return f"oxigraph:{tmp}/store", lambda: shutil.rmtree(tmp, ignore_errors=True)


class StoreProcess:
    """Supervisor and client of the store process. Thread-safe; `acall` for async code."""

    def __init__(self, spec: str, *, threads: int = 16, start_timeout: float = START_TIMEOUT) -> None:
        self.spec = spec
        self.threads = threads
        self.start_timeout = start_timeout
        self.restarts = 0  # store processes started after the first
        self.timeouts = 0  # requests stopped for overrunning
        self.info: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._restart_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._calls: dict[int, _Call] = {}
        self._ids = itertools.count(1)
        self._gen = 0
        self._state = "new"  # new | running | restarting | closed | failed
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._monitor: threading.Thread | None = None
        self._wake = threading.Event()

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the store process and wait until the store is open; StoreError if it fails."""
        proc, conn, info = self._spawn()
        with self._lock:
            self._proc, self._conn, self.info = proc, conn, info
            self._gen += 1
            self._state = "running"
            gen = self._gen
        threading.Thread(target=self._read_loop, args=(gen, conn), daemon=True, name="store-reader").start()
        self._monitor = threading.Thread(target=self._monitor_loop, daemon=True, name="store-monitor")
        self._monitor.start()

    def close(self, timeout: float = 15.0) -> None:
        """Ask the store process to close the store and exit; kill it if it does not."""
        with self._lock:
            if self._state == "closed":
                return
            self._state = "closed"
            proc, conn = self._proc, self._conn
            calls = list(self._calls.values())
            self._calls.clear()
        self._wake.set()
        for call in calls:
            _fail(call, StoreUnavailable("the server is shutting down"))
        if proc is None:
            return
        if conn is not None:
            try:
                with self._send_lock:
                    conn.send(("close",))
            except OSError:
                pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if conn is not None:
            conn.close()

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    @property
    def state(self) -> str:
        return self._state

    # -- requests -----------------------------------------------------------------------------
    def submit(self, op: str, *args: Any, timeout: float, retry: bool = True) -> Future[Any]:
        """Send one request; the future resolves to its value or raises StoreTimeout,
        StoreUnavailable or StoreCallError (an error from kg/ inside the store process)."""
        call = _Call(
            next(self._ids), op, args, timeout=timeout, deadline=time.monotonic() + timeout, retry=retry
        )
        with self._lock:
            if self._state in ("closed", "failed", "new"):
                _fail(call, StoreUnavailable(f"the store is not open ({self._state})"))
                return call.future
            self._calls[call.id] = call
            target = self._claim(call) if self._state == "running" else None
        if target is not None:
            self._send(target, call)
        return call.future

    def call(self, op: str, *args: Any, timeout: float, retry: bool = True) -> Any:
        """Blocking form of `submit` (for code running in a thread)."""
        future = self.submit(op, *args, timeout=timeout, retry=retry)
        # the monitor enforces `timeout`; this bound only guards against a dead monitor
        return future.result(timeout=timeout + 2 * self.start_timeout)

    async def acall(self, op: str, *args: Any, timeout: float, retry: bool = True) -> Any:
        """Awaitable form of `submit`: the event loop stays free while the store works."""
        return await asyncio.wrap_future(self.submit(op, *args, timeout=timeout, retry=retry))

    # -- internals ----------------------------------------------------------------------------
    def _claim(self, call: _Call) -> tuple[int, Connection] | None:
        """Mark `call` as sent to the current process (lock held); None if it may not go."""
        if call.attempts >= MAX_ATTEMPTS:
            self._calls.pop(call.id, None)
            _fail(call, StoreUnavailable(f"the store process stopped {call.attempts} times during this request"))
            return None
        assert self._conn is not None
        call.attempts += 1
        call.sent_gen = self._gen
        return self._gen, self._conn

    def _send(self, target: tuple[int, Connection], call: _Call) -> None:
        _, conn = target
        try:
            with self._send_lock:
                conn.send((call.id, call.op, call.args))
        except (OSError, ValueError):
            pass  # the process died meanwhile: the restart re-sends or fails this call
        except Exception as err:  # unpicklable arguments: a programming error, not a crash
            with self._lock:
                self._calls.pop(call.id, None)
            _fail(call, StoreCallError("internal_error", f"cannot send request: {err}"))

    def _spawn(self) -> tuple[subprocess.Popen[bytes], Connection, dict[str, Any]]:
        parent_sock, child_sock = socket.socketpair()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "api.store_worker", str(child_sock.fileno())],
                pass_fds=(child_sock.fileno(),),
                stdin=subprocess.DEVNULL,
                # its own session: signals meant for the server's process group (Ctrl-C, a
                # supervisor's SIGTERM) do not kill it behind the server's back; it exits when
                # the server closes the socket or dies
                start_new_session=True,
            )
        finally:
            child_sock.close()
        conn = Connection(parent_sock.detach())
        try:
            conn.send(("open", self.spec, self.threads))
            if not conn.poll(self.start_timeout):
                raise StoreError(f"the store process did not open {self.spec!r} within {self.start_timeout:.0f} s")
            message = conn.recv()
        except (EOFError, OSError) as err:
            proc.kill()
            proc.wait()
            conn.close()
            raise StoreError(f"the store process exited while opening {self.spec!r} ({err or 'no answer'})") from None
        except StoreError:
            proc.kill()
            proc.wait()
            conn.close()
            raise
        if message[0] != "ready":
            proc.wait()
            conn.close()
            raise StoreError(message[2])
        return proc, conn, message[1]

    def _read_loop(self, gen: int, conn: Connection) -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            except Exception:  # an answer that does not unpickle: drop it, keep reading
                continue
            kind = message[0]
            if kind == "closed":
                break
            with self._lock:
                call = self._calls.get(message[1])
                if call is None or call.sent_gen != gen:
                    continue  # answered after its deadline, or by a killed process
                del self._calls[call.id]
            if kind == "ok":
                _resolve(call, message[2])
            else:
                _fail(call, StoreCallError(message[2], message[3]))
        with self._lock:
            crashed = self._gen == gen and self._state == "running"
        if crashed:  # not killed by us, not closing: restart and re-send what was in flight
            self._restart(gen, overdue=[])

    def _monitor_loop(self) -> None:
        while self._state != "closed":
            self._wake.wait(0.05)
            now = time.monotonic()
            with self._lock:
                if self._state in ("closed", "failed"):
                    return
                live = self._gen if self._state == "running" else None
                overdue = [c for c in self._calls.values() if c.deadline <= now]
                waiting = [c for c in overdue if c.sent_gen != live]
                running = [c for c in overdue if c.sent_gen == live]
                for c in waiting:
                    del self._calls[c.id]
                gen = self._gen
            for c in waiting:
                self.timeouts += 1
                _fail(c, _timeout_error(c))
            if running:
                self._restart(gen, overdue=running)

    def _restart(self, gen: int, overdue: Sequence[_Call]) -> None:
        """Kill store process `gen` (if still current), start the next, re-send in-flight calls."""
        with self._restart_lock:
            with self._lock:
                if self._gen != gen or self._state != "running":
                    return
                self._state = "restarting"
                proc, conn = self._proc, self._conn
                for c in overdue:
                    self._calls.pop(c.id, None)
                lost = []
                for c in self._calls.values():
                    if c.sent_gen == gen and not c.retry:
                        lost.append(c)
                    c.sent_gen = -1
                for c in lost:
                    del self._calls[c.id]
            if proc is not None:
                proc.kill()  # SIGKILL: no handler runs, the query stops now
                proc.wait()
            if conn is not None:
                conn.close()
            # answered only now, so a client that got its 503 finds the core already free
            for c in overdue:
                self.timeouts += 1
                _fail(c, _timeout_error(c))
            for c in lost:
                _fail(c, StoreUnavailable("the store process was restarted during this write; check and retry"))
            started = None
            for attempt in range(3):
                try:
                    started = self._spawn()
                    break
                except StoreError as err:
                    print(f"edukg: store process restart failed ({err}); retrying", file=sys.stderr)
                    time.sleep(0.5 * (attempt + 1))
            with self._lock:
                if self._state == "closed":
                    if started is not None:
                        started[0].kill()
                        started[0].wait()
                    return
                if started is None:
                    self._state = "failed"
                    failed = list(self._calls.values())
                    self._calls.clear()
                else:
                    self._proc, self._conn, self.info = started
                    self._gen += 1
                    self._state = "running"
                    self.restarts += 1
                    failed = []
                    resend = [(c, self._claim(c)) for c in list(self._calls.values()) if c.sent_gen == -1]
                new_gen = self._gen
            for c in failed:
                _fail(c, StoreUnavailable("the store process could not be restarted"))
            if started is None:
                return
            threading.Thread(
                target=self._read_loop, args=(new_gen, started[1]), daemon=True, name="store-reader"
            ).start()
            for c, target in resend:
                if target is not None:
                    self._send(target, c)


def _timeout_error(call: _Call) -> StoreTimeout:
    what = "query" if call.op in ("sparql", "lookup", "repo_call") else "request"
    return StoreTimeout(
        f"the {what} ran longer than the {call.timeout:g} s limit and was stopped; "
        "narrow it (LIMIT, more specific patterns) and try again"
    )


def _resolve(call: _Call, value: Any) -> None:
    if not call.future.done():
        call.future.set_result(value)


def _fail(call: _Call, err: BaseException) -> None:
    if not call.future.done():
        call.future.set_exception(err)


class ProcessRepo(Repo):
    """The store process as a `Repo`: every method is one request, under `timeout`."""

    def __init__(self, process: StoreProcess, timeout: float) -> None:
        self.process = process
        self.timeout = timeout

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.process.call("repo_call", method, args, kwargs, timeout=self.timeout)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        return self._call(  # type: ignore[no-any-return]
            "query",
            sparql,
            default_graphs=list(default_graphs) if default_graphs is not None else None,
            named_graphs=list(named_graphs) if named_graphs is not None else None,
        )

    def update(self, sparql_update: str) -> None:
        self._call("update", sparql_update)

    def replace_graph(self, graph: str, triples: Graph) -> None:
        self._call("replace_graph", graph, triples)

    def drop_graph(self, graph: str) -> None:
        self._call("drop_graph", graph)

    def named_graphs(self) -> list[str]:
        return self._call("named_graphs")  # type: ignore[no-any-return]

    def has_graph(self, graph: str) -> bool:
        return bool(self._call("has_graph", graph))

    def dump(self, format: str) -> bytes:
        return self._call("dump", format)  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return int(self._call("__len__"))

    def close(self) -> None:
        """The API's lifespan owns the store process; closing the proxy does nothing."""


__all__ = ["ProcessRepo", "StoreCallError", "StoreProcess", "StoreTimeout", "StoreUnavailable", "resolve_spec"]
