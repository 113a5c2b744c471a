"""notebooks/explore.ipynb runs top to bottom on the seed articles (real spaCy, real store)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_notebook_executes_and_shows_tables_analytics_and_picture() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()  # raises CellExecutionError on the first failing cell

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    html_out = [str(o["data"]["text/html"]) for o in outputs if "data" in o and "text/html" in o["data"]]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert not [o for o in outputs if o.output_type == "error"]

    # three SPARQL tables with at least one data row each
    tables = [h for h in html_out if h.startswith("<table><thead>")]
    assert len(tables) == 3
    assert all("<tbody><tr>" in t for t in tables)
    # the analytics ran on a non-empty graph and the picture drew every entity (under the cap)
    summary = re.search(r"\{'nodes': (\d+), 'edges': (\d+)", text)
    assert summary and int(summary.group(1)) > 0
    drawn = re.search(r"(\d+) of (\d+) entities, (\d+) of (\d+) relations drawn", text)
    assert drawn and drawn.group(2) == summary.group(1) and drawn.group(4) == summary.group(2)
    frames = [h for h in html_out if h.startswith("<iframe srcdoc=")]
    assert frames, "no inline picture"
    # offline: the vendored vis-network is inlined, nothing is loaded from a CDN
    assert "vis-network" in frames[0]
    assert "&lt;script src=" not in frames[0] and "&lt;link" not in frames[0]
    assert not re.search(r"(src|href)=&quot;https?://", frames[0])
