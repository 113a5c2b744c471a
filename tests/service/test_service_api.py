"""The API over a store loaded from tests/data/seed.trig, in-process (FastAPI's TestClient and a
`LocalStoreClient`): no server, no spaCy. The real-server tests keep what needs a process (time
limits, restarts, kills) and one end-to-end run."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.service.client import LocalStoreClient
from kg.service.settings import Settings
from kg.store.oxigraph import OxigraphRepo

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "tests" / "data" / "seed.trig"
LABELS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?e ?l WHERE { ?e skos:prefLabel ?l } ORDER BY ?l"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "store"
    repo = OxigraphRepo(path)
    repo.store.load(path=str(SEED), format=ox.RdfFormat.TRIG)
    repo.close()
    return path


@pytest.fixture(scope="module")
def client(store_dir: Path) -> Iterator[TestClient]:
    repo = OxigraphRepo(store_dir, read_only=True)
    app = create_app(Settings(store=f"oxigraph:{store_dir}"), store=LocalStoreClient(repo))
    with TestClient(app) as c:
        yield c
    repo.close()


def test_sparql_formats_and_the_stats_agree(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": LABELS}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    rows = r.json()["results"]["bindings"]
    assert rows and all(b["e"]["type"] == "uri" for b in rows)
    r = client.get("/sparql", params={"query": LABELS, "format": "csv"})
    table = list(csv.reader(io.StringIO(r.text)))
    assert table[0] == ["e", "l"] and [row[1] for row in table[1:]] == [b["l"]["value"] for b in rows]
    stats = client.get("/stats").json()
    assert stats["articles"] == 5 and stats["quads"] > 0


def test_rest_look_ups(client: TestClient) -> None:
    found = client.get("/entities", params={"q": "ministry of education"}).json()
    assert found["total"] >= 1
    first = found["items"][0]
    detail = client.get(f"/entities/{first['id']}", params={"type": first["type"]}).json()
    assert detail["iri"] == first["iri"] and detail["label"] == first["label"]
    near = client.get(f"/entities/{first['id']}/neighbours", params={"type": first["type"]}).json()
    assert first["iri"] in {n["iri"] for n in near["nodes"]}
    articles = client.get("/articles").json()
    assert articles["total"] == 5
    one = client.get(f"/articles/{articles['items'][0]['id']}").json()
    assert one["iri"] == articles["items"][0]["iri"]
    assert client.get("/articles/nothex").status_code == 404
    assert client.get("/entities/no-such-entity-anywhere").status_code == 404


def test_graph_pages_and_health(client: TestClient) -> None:
    page = client.get("/graph")
    assert page.status_code == 200 and "vis-network" in page.text
    assert client.get("/graph", params={"type": "Castle"}).status_code == 400
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["store"]["quads"] > 0


def test_writes_need_a_key(client: TestClient) -> None:
    r = client.post("/articles", content=b"Some text.", headers={"Content-Type": "text/plain"})
    assert r.status_code == 403 and r.json()["error"] == "writes_disabled"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_cli_query_prints_what_the_endpoint_answers(client: TestClient, store_dir: Path, fmt: str) -> None:
    """`edukg query --format json|csv` and /sparql give the same bytes."""
    served = client.get("/sparql", params={"query": LABELS, "format": fmt}).content
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "query",
            LABELS,
            "--format",
            fmt,
            "--store",
            f"oxigraph:{store_dir}",
        ],
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == served
    if fmt == "json":
        assert json.loads(served)["head"]["vars"] == ["e", "l"]


ARTICLE = (
    "Norvale Polytechnic University and Quillon Robotics Co., Ltd. signed a cooperation agreement "
    "on industrial robot training in Lisbon on 3 May. The two sides will build a joint laboratory."
)


@pytest.mark.slow
def test_json_post_is_read_as_a_jsonl_record_and_removed_again() -> None:
    """POST /articles with JSON goes through the .jsonl record reader (field aliases included),
    then the real extractor (loaded on first use) and the store; DELETE takes it out again."""
    repo = OxigraphRepo(None)
    repo.store.load(path=str(SEED), format=ox.RdfFormat.TRIG)
    before = len(repo)
    app = create_app(Settings(store="memory", api_key="k"), store=LocalStoreClient(repo))
    with TestClient(app) as c:
        record = {"body": ARTICLE, "headline": "Norvale and Quillon", "link": "https://news.example.org/nq"}
        r = c.post("/articles", json=record, params={"date": "2024-05-03"}, headers={"X-API-Key": "k"})
        assert r.status_code == 201, r.text
        made = r.json()["article"]
        assert (made["title"], made["url"], made["source"], made["date"]) == (
            "Norvale and Quillon",
            "https://news.example.org/nq",
            "https://news.example.org/nq",
            "2024-05-03",
        )
        assert len(repo) > before
        bad = c.post("/articles", json={"title": "x"}, headers={"X-API-Key": "k"})
        assert bad.status_code == 400 and "text" in bad.json()["message"]
        assert c.delete(f"/articles/{made['id']}", headers={"X-API-Key": "k"}).status_code == 200
    assert len(repo) == before
    repo.close()
