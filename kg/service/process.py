"""The store in a separate, killable process, and the supervisor that keeps it serving.

Why a process: pyoxigraph has no query timeout or cancellation, and a Python thread cannot be
stopped, so an in-process runaway query keeps a core busy until the server exits. One store
process owns the store (all reads and writes: RocksDB has one writer) and serves requests on a
thread pool (pyoxigraph releases the GIL while it evaluates, so a slow query does not hold up the
others). Why not query workers on `Store.read_only(path)`: pyoxigraph documents opening read-only
while another process writes as undefined behaviour.

What the supervisor guarantees:
- A request that overruns its time limit gets its own `StoreTimeout` at the limit. Its query goes
  on in the store process ("abandoned"); the store process is stopped (and a new one started, ~1 s)
  as soon as no live request is in it. If live requests keep it busy, new ones are held back after
  DRAIN_AFTER so the live ones finish first: a slow query never kills other work.
- Only a crash (the process exits) or a hang (no heartbeat for `hang_after` seconds) restarts the
  store process; /health reads this supervisor's state and never waits for the store.
- At most `max_queries` SPARQL queries run at once; up to `max_waiting` more wait for a slot (each
  within its own time limit); past that a query is refused at once with `StoreBusy` (503 +
  Retry-After).
- The store process stays under `memory_cap_mb`: past it, the queries running then are stopped
  with `ResultTooLarge` and not re-sent; other reads are.
- A request or an answer that does not pickle or unpickle fails its own call at once (and is
  logged) instead of waiting for its deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import pickle
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import psutil

from kg.errors import KGError, ResultTooLarge, StoreBusy, StoreError, StoreTimeout, StoreUnavailable
from kg.service.client import Job, Limits, StoreClient
from kg.service.ops import JSON

log = logging.getLogger("edukg.store")
T = TypeVar("T")

MAX_ATTEMPTS = 3  # sends of one request across store-process restarts
START_TIMEOUT = 120.0  # seconds a new store process may take to open the store
BEAT_INTERVAL = 0.5  # seconds between the store process's heartbeats
HANG_AFTER = 15.0  # seconds without a heartbeat that make a running store process "hung"
RETRY_AFTER = 1  # seconds a refused (busy) client is told to wait
CANCEL_GRACE = 2.0  # seconds a cancelled stream has to stop before it counts as abandoned
DRAIN_AFTER = 0.5  # seconds abandoned queries may wait for live work to pause before new work is held back


class StoreCallError(KGError):
    """An error raised inside the store process, carried over with its code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ServiceLimits:
    """How much work the store process takes at once (see the module docstring)."""

    max_queries: int = 8
    max_waiting: int = 64
    memory_cap_mb: int | None = None  # None: no cap
    hang_after: float = HANG_AFTER

    @property
    def threads(self) -> int:  # query slots + room for look-ups and writes
        return self.max_queries + 8


@dataclass
class _Call:
    id: int
    payload: bytes
    timeout: float
    deadline: float
    retry: bool
    query: bool
    future: Future[Any] = field(default_factory=Future)
    attempts: int = 0
    sent_gen: int = -1  # generation of the store process it was sent to; -1: not sent
    stream: Stream | None = None  # a streamed answer: set when its head arrives
    streamed: bool = False  # may answer as a stream (head, chunks, end)


class Stream:
    """The chunks of a streamed answer, as the store process sends them. Iterate (sync or
    async) to get them; each chunk taken returns one credit to the sender, so at most a window
    of chunks is ever buffered here. `close()` before the end cancels the rest."""

    _END = object()

    def __init__(self, process: StoreProcess, call: _Call) -> None:
        self._process = process
        self._call = call
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.done = False

    # fed by the supervisor's threads
    def push(self, chunk: bytes) -> None:
        self._queue.put(chunk)

    def end(self, error: BaseException | None = None) -> None:
        self._queue.put(error if error is not None else self._END)

    # read by the API
    def next_chunk(self) -> bytes | None:
        item = self._queue.get()
        if item is self._END:
            self.done = True
            return None
        if isinstance(item, BaseException):
            self.done = True
            raise item
        self._process._ack(self._call)
        return bytes(item)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            while (chunk := await asyncio.to_thread(self.next_chunk)) is not None:
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        if not self.done:
            self.done = True
            self._process._cancel(self._call)


def resolve_spec(spec: str) -> tuple[str, Callable[[], None]]:
    """The spec the store process opens, and a clean-up to run at shutdown.

    "memory" becomes a fresh on-disk store in a temporary directory, removed at shutdown: an
    in-memory store would die with the store process each time it is stopped.
    """
    if spec.strip() != "memory":
        return spec, lambda: None
    tmp = tempfile.mkdtemp(prefix="edukg-memory-")
    return f"oxigraph:{tmp}/store", lambda: shutil.rmtree(tmp, ignore_errors=True)


class StoreProcess:
    """Supervisor and client of the store process. Thread-safe."""

    def __init__(
        self, spec: str, limits: ServiceLimits | None = None, *, start_timeout: float = START_TIMEOUT
    ) -> None:
        self.spec = spec
        self.limits = limits or ServiceLimits()
        self.start_timeout = start_timeout
        self.restarts = 0  # store processes started after a crash, a hang or the memory cap
        self.recycles = 0  # store processes stopped to end abandoned queries (no live work lost)
        self.timeouts = 0  # requests answered StoreTimeout
        self.refused = 0  # queries refused because every slot and waiting place was taken
        self.info: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._restart_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._calls: dict[int, _Call] = {}
        self._abandoned: dict[int, int] = {}  # call id -> generation still running it
        self._ids = itertools.count(1)
        self._gen = 0
        self._writes = 0  # writes the current store process has committed, as its messages say
        self._state = "new"  # new | running | stopping | restarting | closed | failed
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._last_beat = 0.0
        self._rss = 0
        self._abandoned_since: float | None = None  # first abandonment in the current process
        self._standby: tuple[subprocess.Popen[bytes], Connection] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # set by use_loop

    def use_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read answers in `loop` (the API's event loop) instead of on a thread; call before start."""
        self._loop = loop

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the store process and wait until the store is open; StoreError if it fails."""
        proc, conn, info = self._spawn()
        with self._lock:
            self._proc, self._conn, self.info = proc, conn, info
            self._gen += 1
            self._writes = 0
            self._state = "running"
            self._last_beat = time.monotonic()
            gen = self._gen
        self._start_reader(gen, conn)
        threading.Thread(target=self._monitor_loop, daemon=True, name="store-monitor").start()

    def close(self, timeout: float = 15.0) -> None:
        """Ask the store process to close the store and exit; kill it if it does not."""
        with self._lock:
            if self._state == "closed":
                return
            self._state = "closed"
            proc, conn = self._proc, self._conn
            calls = list(self._calls.values())
            self._calls.clear()
            standby, self._standby = self._standby, None
        if standby is not None:
            _discard(standby)
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
            self._stop_reader(conn)
            conn.close()

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    @property
    def state(self) -> str:
        return self._state

    def data_version(self) -> tuple[int, int] | None:
        """A value that changes whenever the store's data may have changed: (store process,
        writes it has committed), the count as its latest message said (every answer and
        heartbeat carries it, and a write's answer is read before its caller resumes). None
        while no store process is running: then a write may have committed unreported (the
        process is being stopped), so nothing must be answered from a cache."""
        with self._lock:
            return (self._gen, self._writes) if self._state == "running" else None

    def status(self) -> JSON:
        """The supervisor's view of the store, read without asking the store process."""
        with self._lock:
            live = self._gen
            running = sum(1 for c in self._calls.values() if c.query and c.sent_gen == live)
            waiting = sum(1 for c in self._calls.values() if c.query and c.sent_gen == -1)
            abandoned = sum(1 for g in self._abandoned.values() if g == live)
            beat_age = time.monotonic() - self._last_beat if self._last_beat else None
        state = self._state
        return {
            **self.info,
            "state": state,
            "pid": self.pid if state == "running" else None,  # a process being replaced has none
            "restarts": self.restarts,
            "recycles": self.recycles,
            "timeouts": self.timeouts,
            "refused": self.refused,
            "queries_running": running + abandoned,
            "queries_abandoned": abandoned,
            "queries_waiting": waiting,
            "heartbeat_age_s": round(beat_age, 3) if beat_age is not None else None,
            "rss_mb": round(self._rss / 1e6, 1),
        }

    # -- requests -----------------------------------------------------------------------------
    def submit(
        self, job: Job[T], *, timeout: float, retry: bool = True, query: bool = False, stream: bool = False
    ) -> Future[T]:
        """Send `job` (run as `job(ops)` in the store process); the future resolves to its value
        or raises StoreTimeout, StoreBusy, StoreUnavailable or StoreCallError (a kg/ error
        raised in the store process, with its code)."""
        future: Future[T] = Future()
        try:
            payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as err:  # a programming error: say so now, not at the deadline
            log.error("cannot send a store request: %s", err)
            future.set_exception(StoreCallError("internal_error", f"cannot send request: {err}"))
            return future
        call = _Call(
            next(self._ids), payload, timeout, time.monotonic() + timeout, retry, query, future=future
        )
        call.streamed = stream
        with self._lock:
            if self._state in ("closed", "failed", "new"):
                _fail(call, StoreUnavailable(f"the store is not open ({self._state})"))
                return future
            if query and self._waiting_queries() >= self.limits.max_waiting and not self._free_slots():
                self.refused += 1
                _fail(
                    call,
                    StoreBusy(
                        f"the server is busy ({self.limits.max_queries} queries running and "
                        f"{self.limits.max_waiting} waiting); retry in a moment"
                    ),
                )
                return future
            self._calls[call.id] = call
            ready = self._dispatchable() if self._state == "running" else []
        self._send_all(ready)
        return future

    def call(
        self, job: Job[T], *, timeout: float, retry: bool = True, query: bool = False, stream: bool = False
    ) -> T:
        """Blocking form of `submit` (for code running in a thread)."""
        future = self.submit(job, timeout=timeout, retry=retry, query=query, stream=stream)
        # the monitor enforces `timeout`; this bound only guards against a dead monitor
        return future.result(timeout=timeout + 2 * self.start_timeout)

    # -- internals (names ending in _locked: call with self._lock held) -------------------------
    def _waiting_queries(self) -> int:
        return sum(1 for c in self._calls.values() if c.query and c.sent_gen == -1)

    def _free_slots(self) -> int:
        live = self._gen
        busy = sum(1 for c in self._calls.values() if c.query and c.sent_gen == live)
        busy += sum(1 for g in self._abandoned.values() if g == live)
        return self.limits.max_queries - busy

    def _dispatchable(self) -> list[tuple[_Call, Connection, int]]:
        """Claim every unsent call that may go now (lock held): all non-queries, and queries
        (oldest first) while a slot is free."""
        out: list[tuple[_Call, Connection, int]] = []
        if self._draining():
            return out  # held back until the live work finishes and the process is renewed
        free = self._free_slots()
        assert self._conn is not None
        for call in sorted(self._calls.values(), key=lambda c: c.id):
            if call.sent_gen != -1:
                continue
            if call.query:
                if free <= 0:
                    continue
                free -= 1
            if call.attempts >= MAX_ATTEMPTS:
                del self._calls[call.id]
                _fail(
                    call,
                    StoreUnavailable(f"the store process stopped {call.attempts} times during this request"),
                )
                continue
            call.attempts += 1
            call.sent_gen = self._gen
            out.append((call, self._conn, self._gen))
        return out

    def _control(self, message: tuple[Any, ...], gen: int) -> None:
        """Flow control of a streamed answer, to the store process that runs it (if still up)."""
        with self._lock:
            conn = self._conn if gen == self._gen and self._state == "running" else None
        if conn is None:
            return
        try:
            with self._send_lock:
                conn.send(message)
        except (OSError, ValueError):
            pass

    def _ack(self, call: _Call) -> None:
        self._control(("ack", call.id), call.sent_gen)

    def _cancel(self, call: _Call) -> None:
        """The reader of a streamed answer left before its end: stop the query (its next write
        raises)."""
        with self._lock:
            if call.id not in self._calls:
                return
            # it stays a live call until the store process confirms the stop, which takes one
            # row; if that does not come soon, the deadline makes it an abandoned query
            call.deadline = min(call.deadline, time.monotonic() + CANCEL_GRACE)
        self._control(("cancel", call.id), call.sent_gen)

    def _draining(self) -> bool:
        """Abandoned queries have waited long enough for a pause in live work: send nothing new
        to this process, so its live requests finish and it can be stopped (lock held)."""
        since = self._abandoned_since
        return since is not None and time.monotonic() - since >= DRAIN_AFTER

    def _send_all(self, ready: list[tuple[_Call, Connection, int]]) -> None:
        for call, conn, _gen in ready:
            try:
                with self._send_lock:
                    conn.send(("stream", call.id, call.payload) if call.streamed else (call.id, call.payload))
            except (OSError, ValueError):
                pass  # the process died meanwhile: the restart re-sends or fails this call

    def _launch(self) -> tuple[subprocess.Popen[bytes], Connection]:
        """A new store process, its imports under way, not yet told which store to open."""
        parent_sock, child_sock = socket.socketpair()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "kg.service.worker", str(child_sock.fileno())],
                pass_fds=(child_sock.fileno(),),
                stdin=subprocess.DEVNULL,
                # its own session: signals meant for the server's process group (Ctrl-C, a
                # supervisor's SIGTERM) do not kill it behind the server's back; it exits when
                # the server closes the socket or dies
                start_new_session=True,
            )
        finally:
            child_sock.close()
        return proc, Connection(parent_sock.detach())

    def _prepare_standby(self) -> None:
        """Launch the next store process ahead of need: its Python imports take seconds on a
        busy machine, opening the store a fraction of one, so a restart waits only for the latter."""
        with self._lock:
            if self._standby is not None or self._state in ("closed", "failed"):
                return
        standby = self._launch()
        with self._lock:
            if self._standby is None and self._state not in ("closed", "failed"):
                self._standby, standby = standby, None  # type: ignore[assignment]
        if standby is not None:
            _discard(standby)

    def _spawn(self) -> tuple[subprocess.Popen[bytes], Connection, dict[str, Any]]:
        """A store process with the store open: the standby if there is one, else a new one."""
        with self._lock:
            standby, self._standby = self._standby, None
        if standby is None or standby[0].poll() is not None:
            if standby is not None:
                _discard(standby)
            standby = self._launch()
        proc, conn = standby
        try:
            conn.send(("open", self.spec, self.limits.threads, BEAT_INTERVAL))
            if not conn.poll(self.start_timeout):
                raise StoreError(
                    f"the store process did not open {self.spec!r} within {self.start_timeout:.0f} s"
                )
            message = conn.recv()
        except (EOFError, OSError) as err:
            _discard(standby)
            raise StoreError(
                f"the store process exited while opening {self.spec!r} ({err or 'no answer'})"
            ) from None
        except StoreError:
            _discard(standby)
            raise
        if message[0] != "ready":
            proc.wait()
            conn.close()
            raise StoreError(message[2])
        threading.Thread(target=self._prepare_standby, daemon=True, name="store-standby").start()
        return proc, conn, message[1]

    def _start_reader(self, gen: int, conn: Connection) -> None:
        """Read store process `gen`'s answers: in the API's event loop when there is one (no
        thread hand-over per answer: that hand-over of the GIL was most of a query's overhead),
        else on a thread of its own."""
        loop = self._loop
        if loop is None:
            threading.Thread(
                target=self._read_loop, args=(gen, conn), daemon=True, name="store-reader"
            ).start()
        else:
            loop.call_soon_threadsafe(self._add_reader, loop, gen, conn)

    def _add_reader(self, loop: asyncio.AbstractEventLoop, gen: int, conn: Connection) -> None:
        """Watch the store's socket from the event loop, keeping the socket blocking.

        uvloop (libuv) turns a watched descriptor non-blocking; `Connection.recv` then fails with
        EAGAIN half-way through an answer larger than one socket buffer, which looked like a
        crash and restarted the store. Readiness is all the loop is asked for: once the first
        byte is there, the rest of the message follows at once."""
        fd = conn.fileno()
        loop.add_reader(fd, self._on_readable, gen, conn)
        os.set_blocking(fd, True)

    def _stop_reader(self, conn: Connection) -> None:
        """Take `conn` off the event loop before it is closed (from any thread but the loop's)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            fd = conn.fileno()
        except OSError:
            return
        done = threading.Event()

        def remove() -> None:
            loop.remove_reader(fd)
            done.set()

        try:
            loop.call_soon_threadsafe(remove)
        except RuntimeError:  # the loop has stopped: nothing reads the socket any more
            return
        done.wait(2.0)

    def _on_readable(self, gen: int, conn: Connection) -> None:
        """Event-loop reader: every message that has arrived, then back to the loop."""
        try:
            while conn.poll():
                message = conn.recv()
                if message[0] == "closed":
                    raise EOFError
                self._handle(gen, message)
        except (EOFError, OSError):
            assert self._loop is not None
            with contextlib.suppress(OSError, ValueError):
                self._loop.remove_reader(conn.fileno())
            with self._lock:
                crashed = self._gen == gen and self._state == "running"
            if crashed:  # the restart waits for a new process: not on the event loop
                log.warning("the store process exited unexpectedly (%s); restarting it", self._exit_status())
                threading.Thread(
                    target=self._restart, args=(gen,), kwargs={"reason": "crash"}, daemon=True
                ).start()

    def _read_loop(self, gen: int, conn: Connection) -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message[0] == "closed":
                break
            self._handle(gen, message)
        with self._lock:
            crashed = self._gen == gen and self._state == "running"
        if crashed:  # not stopped by us, not closing: restart and re-send what was in flight
            log.warning("the store process exited unexpectedly (%s); restarting it", self._exit_status())
            self._restart(gen, reason="crash")

    def _exit_status(self) -> str:
        """How the store process ended, for the log: an exit code or the signal that killed it."""
        proc = self._proc
        if proc is None:
            return "no process"
        try:
            code = proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return "still running, its connection closed"
        return f"killed by signal {-code}" if code < 0 else f"exit code {code}"

    def _handle(self, gen: int, message: tuple[Any, ...]) -> None:
        """One message from store process `gen`: a heartbeat, part of a stream, or an answer."""
        kind = message[0]
        if kind == "beat":
            with self._lock:
                if self._gen == gen:
                    self._last_beat = time.monotonic()
                    self._writes = max(self._writes, message[2])
                    if message[1]:
                        self.info.update(message[1])
            return
        if kind in ("head", "chunk"):  # a streamed answer: the call stays in flight
            with self._lock:
                call = self._calls.get(message[1])
                if call is None or call.sent_gen != gen:
                    return  # given up meanwhile: the store process was told to stop
                if kind == "head":
                    call.retry = False  # half an answer cannot be sent again
                    call.stream = Stream(self, call)
            if kind == "head":
                _resolve(call, call.stream)
            elif call.stream is not None:
                call.stream.push(message[2])
            return
        with self._lock:
            if self._gen == gen:  # before the caller resumes: a write's effect is known first
                self._writes = max(self._writes, message[-1])
            if self._abandoned.pop(message[1], None) is not None and not self._abandoned:
                self._abandoned_since = None  # the abandoned queries finished on their own
            found = self._calls.get(message[1])
            if found is not None and found.sent_gen == gen:
                del self._calls[found.id]
            else:
                found = None  # answered after its deadline, or by a stopped process
            ready = self._dispatchable() if self._gen == gen and self._state == "running" else []
        self._send_all(ready)
        if found is None:
            return
        if kind == "ok" and found.stream is not None:
            found.stream.end()
        elif kind == "ok":
            try:
                value = pickle.loads(message[2])
            except Exception as err:
                log.error("an answer from the store process does not unpickle: %s", err)
                _fail(found, StoreCallError("internal_error", f"the store's answer could not be read: {err}"))
            else:
                _resolve(found, value)
        else:
            _fail(found, StoreCallError(message[2], message[3]))

    def _monitor_loop(self) -> None:
        proc_info: psutil.Process | None = None
        last_rss = 0.0
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            action: str | None = None
            with self._lock:
                if self._state in ("closed", "failed"):
                    return
                gen = self._gen
                running = self._state == "running"
                overdue = [c for c in self._calls.values() if c.deadline <= now]
                for c in overdue:
                    del self._calls[c.id]
                    if running and c.sent_gen == gen:
                        self._abandoned[c.id] = gen
                        if self._abandoned_since is None:
                            self._abandoned_since = now
                if running:
                    action = self._action(now)
                ready = self._dispatchable() if running and overdue else []
                pid = self._proc.pid if self._proc is not None else None
            if action == "recycle":
                # answered only after the stop, so a client that got its 503 finds the core free
                self._restart_soon(gen, reason=action, overdue=overdue)
                action, overdue = None, []
            for c in overdue:
                self.timeouts += 1
                _fail(c, _timeout_error(c))
                if c.stream is not None:
                    self._control(("cancel", c.id), c.sent_gen)
            self._send_all(ready)
            if running and now - last_rss >= 0.25 and pid is not None:
                last_rss = now
                try:
                    if proc_info is None or proc_info.pid != pid:
                        proc_info = psutil.Process(pid)
                    self._rss = proc_info.memory_info().rss
                except psutil.Error:
                    self._rss = 0
                cap = self.limits.memory_cap_mb
                if cap is not None and self._rss > cap * 1_000_000 and action is None:
                    action = "memory"
            if action is not None:
                self._restart_soon(gen, reason=action)

    def _action(self, now: float) -> str | None:
        """Why the running store process should be stopped now, if it should (lock held)."""
        if now - self._last_beat > self.limits.hang_after:
            return "hang"
        live = self._gen
        abandoned = sum(1 for g in self._abandoned.values() if g == live)
        if not abandoned:
            return None
        if any(c.sent_gen == live for c in self._calls.values()):
            return None  # live work in the process: wait for it (new work is held back meanwhile)
        return "recycle"  # only abandoned queries left: stopping them costs nothing

    def _restart_soon(self, gen: int, *, reason: str, overdue: list[_Call] | None = None) -> None:
        """`_restart` on its own thread: the monitor goes on enforcing deadlines meanwhile (a new
        store process takes a second or more to open the store)."""
        with self._lock:
            if self._gen != gen or self._state != "running":
                return
            self._state = "stopping"  # set here so the monitor does not decide twice
        threading.Thread(
            target=self._restart,
            args=(gen,),
            kwargs={"reason": reason, "overdue": overdue},
            daemon=True,
            name="store-restart",
        ).start()

    def _restart(self, gen: int, *, reason: str, overdue: list[_Call] | None = None) -> None:
        """Stop store process `gen` (if still current), start the next, re-send in-flight calls."""
        with self._restart_lock:
            with self._lock:
                if self._gen != gen or self._state not in ("running", "stopping"):
                    return
                self._state = "restarting"
                proc, conn = self._proc, self._conn
                lost: list[tuple[_Call, KGError]] = []
                for c in list(self._calls.values()):
                    if c.sent_gen != gen:
                        continue
                    if reason == "memory" and c.query:
                        lost.append(
                            (
                                c,
                                ResultTooLarge(
                                    f"the store process passed its memory limit of {self.limits.memory_cap_mb} MB "
                                    "while this query ran; narrow the query or add a LIMIT"
                                ),
                            )
                        )
                    elif not c.retry:
                        lost.append(
                            (
                                c,
                                StoreUnavailable(
                                    "the store process was restarted during this write; check and retry"
                                ),
                            )
                        )
                    c.sent_gen = -1
                for c, _ in lost:
                    del self._calls[c.id]
                self._abandoned.clear()
                self._abandoned_since = None
            if reason == "recycle":
                self.recycles += 1
            else:
                self.restarts += 1
                log.warning("restarting the store process (%s)", reason)
            if proc is not None:
                proc.kill()  # SIGKILL: no handler runs, the queries stop now
                proc.wait()
            if conn is not None:
                self._stop_reader(conn)
                conn.close()
            for c, err in lost:
                _fail(c, err)
            for c in overdue or []:
                self.timeouts += 1
                _fail(c, _timeout_error(c))
            started = None
            for attempt in range(3):
                try:
                    started = self._spawn()
                    break
                except StoreError as err:
                    log.error("store process restart failed (%s); retrying", err)
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
                    ready = []
                else:
                    self._proc, self._conn, info = started
                    self.info.update(info)
                    self._gen += 1
                    self._writes = 0
                    self._state = "running"
                    self._last_beat = time.monotonic()
                    failed = []
                    ready = self._dispatchable()
                new_gen = self._gen
            for c in failed:
                _fail(c, StoreUnavailable("the store process could not be restarted"))
            if started is None:
                return
            self._start_reader(new_gen, started[1])
            self._send_all(ready)


class ProcessStoreClient(StoreClient):
    """`StoreClient` over a supervised store process (the server's transport)."""

    def __init__(self, spec: str, limits: Limits | None = None, service: ServiceLimits | None = None) -> None:
        super().__init__(limits or Limits())
        self.process = StoreProcess(spec, service)

    async def start(self) -> None:
        self.process.use_loop(asyncio.get_running_loop())
        await asyncio.to_thread(self.process.start)

    async def close(self) -> None:
        await asyncio.to_thread(self.process.close)

    async def _run(self, job: Job[T], *, timeout: float, retry: bool = True, query: bool = False) -> T:
        future = self.process.submit(job, timeout=timeout, retry=retry, query=query)
        return await asyncio.wrap_future(future)

    async def _run_stream(self, job: Job[bytes | None], *, timeout: float) -> bytes | AsyncIterator[bytes]:
        future = self.process.submit(job, timeout=timeout, query=True, stream=True)
        value = await asyncio.wrap_future(future)
        if isinstance(value, Stream):
            return value.__aiter__()
        assert isinstance(value, bytes)
        return value

    def data_version(self) -> tuple[int, int] | None:
        return self.process.data_version()

    def health(self) -> JSON:
        info = self.process.status()
        beat = info.get("heartbeat_age_s")
        fresh = beat is not None and beat <= self.process.limits.hang_after
        # while a store process is being renewed requests wait for the next one, they do not fail
        ok = (info["state"] == "running" and fresh) or info["state"] in ("stopping", "restarting")
        return {"status": "ok" if ok else "unavailable", "store": info}


def _timeout_error(call: _Call) -> StoreTimeout:
    what = "query" if call.retry else "request"
    return StoreTimeout(
        f"the {what} ran longer than the {call.timeout:g} s limit and was stopped; "
        "narrow it (LIMIT, more specific patterns) and try again"
    )


def _discard(started: tuple[subprocess.Popen[bytes], Connection]) -> None:
    proc, conn = started
    proc.kill()
    proc.wait()
    conn.close()


def _resolve(call: _Call, value: Any) -> None:
    if not call.future.done():
        call.future.set_result(value)


def _fail(call: _Call, err: BaseException) -> None:
    if call.stream is not None:
        call.stream.end(err)  # the client already has the head: it sees the answer cut off
    elif not call.future.done():
        call.future.set_exception(err)


__all__ = [
    "ProcessStoreClient",
    "ServiceLimits",
    "Stream",
    "StoreCallError",
    "StoreProcess",
    "resolve_spec",
    "RETRY_AFTER",
]
