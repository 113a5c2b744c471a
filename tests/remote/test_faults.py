"""Fault tests driving the real `edukg ingest` CLI in a subprocess.

- the SPARQL server is killed (SIGKILL) during an ingest: the CLI fails with a clear error; once
  the server is back, the store holds only whole articles (exactly the state an embedded ingest
  of the same first articles gives), and re-running the ingest completes it;
- the server is unreachable at start: one clear line on stderr, non-zero exit;
- an embedded ingest is SIGKILLed midway: the store opens and holds only whole articles.

Whole-article checks compare, graph by graph (isomorphism) and by quad count, with a reference
store built in-process from the same inputs in the same order, so nothing is hard-coded.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from extract.model import Article, Extraction
from extract.readers import read_paths
from kg.ingest import ingest_extraction
from kg.store.base import Repo
from kg.store.oxigraph import OxigraphRepo
from kg.store.remote import open_remote
from ontology.namespace import SPARQL_PREFIXES
from tests.remote.remote_support import REPO_ROOT, SEED_DIR, OxigraphServer, free_port, same_dataset

pytestmark = pytest.mark.slow

N_ARTICLES = 48
EDUKG = shutil.which("edukg") or ""


@dataclass
class Corpus:
    """Generated articles on disk plus their extractions (made once, in file order)."""

    folder: Path
    items: list[tuple[Article, Extraction]]

    def reference(self, count: int | None = None) -> Repo:
        """An embedded in-memory store holding the first `count` articles, ingested in order."""
        repo = OxigraphRepo(None)
        for article, extraction in self.items[:count]:
            ingest_extraction(repo, article, extraction)
        return repo


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory, extractor) -> Corpus:
    """Many distinct articles: the seed articles, each with a numbered closing line (so every
    text hashes differently while the entities and relations stay realistic)."""
    folder = tmp_path_factory.mktemp("generated") / "articles"
    folder.mkdir()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))]
    assert seeds
    for i in range(N_ARTICLES):
        text = seeds[i % len(seeds)].rstrip() + f"\n\nThis is release number {i} of the series.\n"
        (folder / f"gen_{i:03d}.txt").write_text(text, encoding="utf-8")
    articles = [a for a in read_paths([str(folder)]) if isinstance(a, Article)]
    assert len(articles) == N_ARTICLES
    extractions = extractor.extract_many(articles, n_process=1, batch_size=16)
    items = list(zip(articles, extractions, strict=True))
    assert all(isinstance(e, Extraction) for _, e in items)
    return Corpus(folder, items)


def run_ingest(store: str, folder: Path, **popen: object) -> subprocess.Popen[str]:
    """`edukg ingest --store STORE FOLDER` in its own process group."""
    assert EDUKG, "the edukg console script is not installed (pip install -e .)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUKG_")}
    env["PYTHONUNBUFFERED"] = "1"
    return subprocess.Popen(
        [EDUKG, "ingest", "--store", store, "--n-process", "1", "--no-progress", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(popen.pop("cwd", REPO_ROOT)),
        start_new_session=True,
    )


def wait_until(condition: Callable[[], bool], timeout: float, what: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"ingest ended (exit {proc.returncode}) before {what}:\n{out}\n{err}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def article_count(repo: Repo) -> int:
    query = SPARQL_PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a edukg:Article } }"
    return int(repo.query(query).rows[0]["n"].toPython())  # type: ignore[union-attr]


def assert_prefix_state(repo: Repo, corpus: Corpus) -> int:
    """The store holds whole articles only: exactly what ingesting its first k articles gives."""
    k = article_count(repo)
    problems = same_dataset(repo, corpus.reference(k))
    assert problems == [], f"store after the fault is not {k} whole articles: {problems[:5]}"
    return k


def test_server_killed_during_ingest(tmp_path: Path, corpus: Corpus) -> None:
    server = OxigraphServer(tmp_path / "server-data")
    server.start()
    try:
        proc = run_ingest(server.spec, corpus.folder)
        watcher = open_remote(server.spec)
        wait_until(lambda: article_count(watcher) >= 4, 300, "4 articles on the server", proc)
        server.stop(signal.SIGKILL)
        out, err = proc.communicate(timeout=300)

        assert proc.returncode not in (0, None), out + err
        assert f"cannot reach SPARQL server at {server.base}/" in err, err
        assert "Traceback" not in err and "Traceback" not in out
        assert "failed" in out  # the summary still prints

        server.start()  # same data directory, same port
        k = assert_prefix_state(open_remote(server.spec), corpus)
        assert 4 <= k < N_ARTICLES, f"the kill did not land midway ({k} articles)"

        rerun = run_ingest(server.spec, corpus.folder)
        out, err = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, out + err
        assert same_dataset(open_remote(server.spec), corpus.reference()) == []
    finally:
        server.stop()


def test_server_unreachable_at_start(tmp_path: Path) -> None:
    port = free_port()  # nobody listens here
    for spec in (f"oxigraph-server:http://127.0.0.1:{port}", f"sparql:http://127.0.0.1:{port}/sparql"):
        started = time.monotonic()
        proc = run_ingest(spec, SEED_DIR, cwd=tmp_path)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2, out + err
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith(f"error: cannot reach SPARQL server at http://127.0.0.1:{port}/")
        assert lines[0].endswith(": connection refused")
        assert time.monotonic() - started < 60  # fails before loading any model
    # the store named by EDUKG_STORE fails the same way
    env = {**os.environ, "EDUKG_STORE": f"oxigraph-server:http://127.0.0.1:{port}"}
    result = subprocess.run(
        [EDUKG, "ingest", "--no-progress", str(SEED_DIR)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2 and "cannot reach SPARQL server" in result.stderr


def wal_bytes(store_dir: Path) -> int:
    """Bytes in the store's RocksDB write-ahead logs: each committed transaction appends here."""
    return sum(p.stat().st_size for p in store_dir.glob("*.log") if p.is_file())


def test_sigkill_of_embedded_ingest(tmp_path: Path, corpus: Corpus) -> None:
    store_dir = tmp_path / "store"
    proc = run_ingest(f"oxigraph:{store_dir}", corpus.folder)
    growth: list[int] = []

    def some_articles_committed() -> bool:
        try:
            size = wal_bytes(store_dir)
        except FileNotFoundError:
            return False
        if not growth or size > growth[-1]:
            growth.append(size)
        return len(growth) > 5  # store created, then several commits seen

    wait_until(some_articles_committed, 300, "commits in the embedded store", proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    repo = OxigraphRepo(store_dir)  # opens after the crash (RocksDB recovers from its log)
    k = assert_prefix_state(repo, corpus)
    assert 1 <= k < N_ARTICLES, f"the kill did not land midway ({k} articles)"
    repo.close()
    del repo

    rerun = run_ingest(f"oxigraph:{store_dir}", corpus.folder)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, out + err
    repo = OxigraphRepo(store_dir)
    assert same_dataset(repo, corpus.reference()) == []


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
