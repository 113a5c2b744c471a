"""A real Virtuoso 7 server (`virtuoso-t` from Debian's virtuoso-opensource) for tests and benches.

Why a copy of the packaged ini: Debian's /etc/virtuoso-opensource-7/virtuoso.ini is the
configuration users run, so the tests run it too, changing only what must differ for a throw-away
server: the database files go to a temporary directory, both ports (SQL and HTTP) to free ports
on 127.0.0.1, and `ResultSetMaxRows` is raised so a whole-store dump is not cut at 10,000 rows
(docs/remote.md says to do the same in production). The `dba` password is changed at start to a
random one that only the environment carries (EDUKG_STORE_USER / EDUKG_STORE_PASSWORD).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.remote.remote_support import free_port

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
SKIP_REASON = (
    "virtuoso-t is not installed (Debian: apt-get install -y virtuoso-opensource; `make test` does it)"
)
RESULT_ROWS = 10_000_000  # ResultSetMaxRows for the test server (the packaged ini says 10,000)


def available() -> bool:
    """Whether this machine can run the Virtuoso tests (the binary, isql and the packaged ini)."""
    return bool(VIRTUOSO and ISQL and PACKAGED_INI.is_file())


def make_ini(packaged: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The packaged ini with database files in `folder` and the two ports on 127.0.0.1."""
    section = ""
    lines: list[str] = []
    for line in packaged.splitlines():
        head = re.match(r"\s*\[([^\]]+)\]", line)
        if head:
            section = head.group(1)
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith(";") else ""
        value = line.split("=", 1)[1].split(";")[0].strip() if key else ""
        if section in ("Database", "TempDatabase") and key and "/" in value:
            line = f"{key} = {folder / Path(value).name}"
        elif section == "Parameters" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif section == "HTTPServer" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif section == "SPARQL" and key == "ResultSetMaxRows":
            line = f"ResultSetMaxRows = {RESULT_ROWS}"
        lines.append(line)
    return "\n".join(lines) + "\n"


class VirtuosoServer:
    """One `virtuoso-t -f` process on a temporary database; stop()/start() keep data and ports."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sql_port = free_port()
        self.http_port = free_port()
        self.user = "dba"
        self.password = secrets.token_hex(12)
        self._password_set = False
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "stdout.log"
        self.ini = folder / "virtuoso.ini"
        self.ini.write_text(make_ini(PACKAGED_INI.read_text(), folder, self.sql_port, self.http_port))

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def spec(self) -> str:
        """The edukg store spec of this server (shorthand form)."""
        return f"virtuoso:{self.base}"

    @property
    def env(self) -> dict[str, str]:
        """The environment edukg reads the credentials from."""
        return {"EDUKG_STORE_USER": self.user, "EDUKG_STORE_PASSWORD": self.password}

    def start(self, timeout: float = 120.0) -> None:
        assert VIRTUOSO, SKIP_REASON
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [VIRTUOSO, "-f", "-c", str(self.ini)],
                cwd=str(self.folder),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                response = httpx.post(f"{self.base}/sparql", data={"query": "ASK {}"}, timeout=2.0)
                if response.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"virtuoso-t did not answer on {self.base} within {timeout} s")
        if not self._password_set:
            self._isql("dba", f"USER_SET_PASSWORD('dba', '{self.password}');")
            self._password_set = True

    def _isql(self, password: str, statement: str) -> None:
        assert ISQL
        result = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", password, f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0 or "Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql failed: {(result.stdout + result.stderr)[-500:]}")

    def stop(self, sig: int = signal.SIGKILL) -> None:
        """Stop by PID (SIGKILL = a crash; SIGTERM = Virtuoso's clean shutdown)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, sig)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None
