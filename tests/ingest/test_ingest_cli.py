"""`edukg ingest`: exit codes, summary, feeds over loopback HTTP, and the --watch drop folder."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from ingest_support import ALLIANCE, PARTNERSHIP, Corpus, Page, names, release, rss, serve
from run_cli import app
from typer.testing import CliRunner

from kg.store import open_repo

pytestmark = pytest.mark.slow
REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_CLI = Path(__file__).with_name("run_cli.py")

SOURCES = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX edukg: <https://w3id.org/edukg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?a ?source ?url WHERE { GRAPH ?a { ?a a edukg:Article ; dcterms:source ?source .
  OPTIONAL { ?a schema:url ?url } } }"""


def stored(spec: str) -> dict[str, dict[str, str]]:
    repo = open_repo(spec)
    try:
        return {str(r["source"]): {k: str(v) for k, v in r.items()} for r in repo.query(SOURCES).rows}
    finally:
        repo.close()


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["ingest", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_corrupt_file_among_good_ones_exit_1(corpus: Corpus, tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    code, out, err = invoke(str(corpus.root), "--store", spec, "--json", "--no-progress")
    assert code == 1
    summary = json.loads(out)
    assert summary["ingested"] == len(corpus.english)
    assert sorted(f["source"] for f in summary["failed"]) == sorted(corpus.corrupt)
    assert {s["source"] for s in summary["skipped"]} == set(corpus.duplicates) | set(corpus.non_english)
    assert f"warning: {corpus.non_english[0]}: not English" in err  # warned as it happened
    assert set(stored(spec)) == set(corpus.english)

    # the same drop again (e.g. after an interruption): nothing new, nothing lost
    code, out, _ = invoke(str(corpus.root), "--store", spec, "--json", "--no-progress")
    again = json.loads(out)
    assert (code, again["ingested"], again["unchanged"]) == (1, 0, len(corpus.english))


def test_clean_batch_exit_0_with_text_summary(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for i in range(3):
        (drop / f"r{i}.txt").write_text(f"Release {i}\n\n{release(PARTNERSHIP, **names(i))}\n", "utf-8")
    spec = f"oxigraph:{tmp_path / 'store'}"
    code, out, _ = invoke(str(drop), "--store", spec, "--progress")
    assert code == 0, out
    assert out.startswith("ingested 3, unchanged 0, replaced 0, skipped 0, failed 0 in ")
    assert len(stored(spec)) == 3


def test_feed_file_with_items_on_local_server(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "one.html").write_text(
        Page(title="Joint lab", paragraphs=[release(PARTNERSHIP, **names(0))], canonical=None).html(), "utf-8"
    )
    (site / "two.html").write_text(
        Page(title="Alliance", paragraphs=[release(ALLIANCE, **names(1))], canonical=None).html(), "utf-8"
    )
    spec = f"oxigraph:{tmp_path / 'store'}"
    with serve(site) as base:
        feed = tmp_path / "news.rss"
        items = [
            {"title": "Joint lab", "link": f"{base}/one.html", "pubDate": "Mon, 04 Mar 2024 10:00:00 GMT"},
            {"title": "Alliance", "link": f"{base}/two.html", "pubDate": "Tue, 05 Mar 2024 10:00:00 GMT"},
            {"title": "Gone", "link": f"{base}/gone.html", "pubDate": "Wed, 06 Mar 2024 10:00:00 GMT"},
        ]
        feed.write_text(rss(items), "utf-8")
        code, out, _ = invoke(str(feed), "--store", spec, "--json", "--no-progress")
    summary = json.loads(out)
    assert code == 1
    assert summary["ingested"] == 2
    assert [f["source"] for f in summary["failed"]] == [str(feed)]
    assert "gone.html: HTTP 404" in summary["failed"][0]["reason"]
    got = stored(spec)
    assert set(got) == {f"{base}/one.html", f"{base}/two.html"}
    assert got[f"{base}/one.html"]["url"] == f"{base}/one.html"


def test_bad_store_spec_and_missing_arguments(tmp_path: Path) -> None:
    code, _, err = invoke(str(tmp_path), "--store", "nosuchbackend:x")
    assert code == 2 and "unknown store spec" in err
    code, _, err = invoke()
    assert code == 2 and "--watch" in err


class Process:
    """A CLI subprocess whose stdout/stderr lines are collected by threads as they arrive."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO_ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, str(RUN_CLI), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, needle: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        for line in self.seen:
            if needle in line:
                return line
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if needle in line:
                return line
        raise AssertionError(f"{needle!r} not seen; output so far:\n" + "\n".join(self.seen))

    def interrupt(self, timeout: float = 60.0) -> int:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=timeout)
        time.sleep(0.3)  # let the pump threads drain the pipes
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code


def drop_file(folder: Path, name: str, text: str) -> Path:
    """Write under a temporary name, then rename: how files should arrive in a drop folder."""
    tmp = folder / f".{name}.part"
    tmp.write_text(text, "utf-8")
    final = folder / name
    tmp.rename(final)
    return final


def test_watch_ingests_what_arrives_and_stops_cleanly(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    early = drop_file(drop, "early.txt", f"Early release\n\n{release(ALLIANCE, **names(2))}\n")
    os.utime(early, (time.time() - 60, time.time() - 60))
    spec = f"oxigraph:{tmp_path / 'store'}"
    args = ("ingest", "--watch", str(drop), "--interval", "0.3", "--store", spec, "--n-process", "1")

    watcher = Process(*args)
    try:
        watcher.wait_for("watching")
        watcher.wait_for(f"ingested: {early}")
        late = drop_file(drop, "late.txt", f"Late release\n\n{release(PARTNERSHIP, **names(1))}\n")
        watcher.wait_for(f"ingested: {late}")
        (drop / "junk.txt").write_bytes(b"\x00\x00 not text")
        watcher.wait_for("junk.txt: binary file")
    finally:
        code = watcher.interrupt()
    assert code == 1, watcher.seen  # the junk file failed; Ctrl-C itself is a clean end
    assert not any("Traceback" in line for line in watcher.seen), watcher.seen
    assert any(line.startswith("ingested 2, unchanged 0") for line in watcher.seen), watcher.seen
    assert set(stored(spec)) == {str(early), str(late)}

    # restarted on the same folder: what is stored comes out unchanged, not twice
    (drop / "junk.txt").unlink()
    watcher = Process(*args)
    try:
        watcher.wait_for(f"unchanged: {late}")
    finally:
        code = watcher.interrupt()
    assert code == 0, watcher.seen
    assert any(line.startswith("ingested 0, unchanged 2") for line in watcher.seen), watcher.seen
    assert len(stored(spec)) == 2


def test_failures_said_once_unsupported_files_named_no_rate_without_articles(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "report.pdf").write_bytes(b"%PDF-1.4 not an article")
    (drop / "notes.docx").write_bytes(b"PK\x03\x04")
    spec = f"oxigraph:{tmp_path / 'store'}"
    code, out, err = invoke(str(drop), "--store", spec, "--no-progress")
    assert code == 0
    assert f"{drop}: 2 file(s) not read, of type .docx, .pdf" in " ".join(err.split())
    assert "articles/s" not in out, out  # nothing was read: no rate
    missing = tmp_path / "missing.txt"
    code, out, err = invoke(str(missing), "--store", spec, "--no-progress")
    assert code == 1
    both = out + err
    assert both.count(f"{missing}: no such file") == 1, both  # one line, not one per stream
    assert "articles/s" not in out, out
