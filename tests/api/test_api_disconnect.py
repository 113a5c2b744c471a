"""A client that drops its connection half-way through a request is logged as one line, not as a
500 with a traceback (issue 14 §4), and the server goes on answering."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlparse

import httpx

from .conftest import Server


def test_dropped_request_is_one_log_line(server: Server) -> None:
    before = server.log_text()
    url = urlparse(server.url)
    body = b"SELECT * WHERE { ?s ?p ?o }"
    head = (
        "POST /sparql HTTP/1.1\r\n"
        f"Host: {url.hostname}:{url.port}\r\n"
        "Content-Type: application/sparql-query\r\n"
        f"Content-Length: {len(body) + 500}\r\n\r\n"
    ).encode()
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head + body)  # 500 bytes short: the server waits for the rest
        time.sleep(0.5)
    deadline = time.monotonic() + 10
    new = ""
    while time.monotonic() < deadline:
        new = server.log_text()[len(before) :]
        if "closed the connection" in new:
            break
        time.sleep(0.2)
    lines = [line for line in new.splitlines() if line.strip()]
    assert any("POST /sparql" in line and "closed the connection" in line for line in lines), new
    assert "Traceback" not in new and " 500" not in new, new
    r = httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200
