"""`edukg viz` and `edukg analyze` on an on-disk store loaded with the hand-built corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from kg.store import open_repo

from .conftest import load_corpus

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path) -> str:
    spec = f"oxigraph:{tmp_path / 'store'}"
    repo = open_repo(spec)
    load_corpus(repo)
    repo.close()
    return spec


def test_viz_writes_an_offline_page(store: str, tmp_path: Path) -> None:
    out = tmp_path / "pics" / "graph.html"
    result = runner.invoke(app, ["viz", "--store", store, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "9 entities, 10 relations" in result.output
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and "<link" not in page  # vis-network is inlined
    assert not re.search(r"""(src|href)=["']https?://""", page)
    assert 'data-total-nodes="9"' in page


def test_viz_neighbourhood_and_cap(store: str, tmp_path: Path) -> None:
    out = tmp_path / "n.html"
    result = runner.invoke(
        app, ["viz", "--store", store, "--entity", "NFU", "--depth", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "7 entities, 7 relations" in result.output
    result = runner.invoke(app, ["viz", "--store", store, "--max-nodes", "4", "--out", str(out)])
    assert result.exit_code == 0
    assert "4 entities" in result.output and "cut from 9" in result.output
    assert "Showing 4 of 9 entities" in out.read_text(encoding="utf-8")


def test_viz_bad_input_is_one_line_and_writes_nothing(store: str, tmp_path: Path) -> None:
    out = tmp_path / "never.html"
    result = runner.invoke(app, ["viz", "--store", store, "--type", "Castle", "--out", str(out)])
    assert result.exit_code == 2
    assert "unknown entity type 'Castle'" in result.output
    result = runner.invoke(
        app, ["viz", "--store", store, "--entity", "Nowhere Polytechnic", "--out", str(out)]
    )
    assert result.exit_code == 1 and "no entity named" in result.output
    assert not out.exists()


def test_analyze_json(store: str) -> None:
    result = runner.invoke(
        app, ["analyze", "--store", store, "--json", "--top", "3", "--path", "Lakeside", "Riverbend"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["nodes"], report["edges"]) == (9, 10)
    assert report["by_degree"][0]["label"] == "Northfield University"
    assert len(report["path"]) == 4
    assert {r["label"] for r in report["enterprises"]} == {
        "Acme Robotics Co., Ltd.",
        "Bluewave Semiconductor",
    }


def test_analyze_tables(store: str) -> None:
    result = runner.invoke(app, ["analyze", "--store", store, "--path", "Lakeside", "Riverbend"])
    assert result.exit_code == 0, result.output
    for title in ("Most connected institutions", "Brokers", "Communities", "Cooperation path"):
        assert title in result.output
    result = runner.invoke(app, ["analyze", "--store", store, "--path", "Lakeside", "Atlantis"])
    assert result.exit_code == 1 and "no organisation named 'Atlantis'" in result.output
