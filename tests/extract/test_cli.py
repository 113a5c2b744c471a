"""`edukg extract`: the exact --json interface and bad input, in a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA, ROOT


def edukg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_json_lines_have_the_exact_shape() -> None:
    out = edukg("extract", str(DATA), "--json")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [Path(x["article"]).name for x in lines] == sorted(p.name for p in DATA.glob("*.txt"))
    for obj in lines:
        assert set(obj) >= {"article", "entities", "relations"}
        ids = {e["id"] for e in obj["entities"]}
        for e in obj["entities"]:
            assert set(e) >= {"id", "name", "type", "aliases"}
        for r in obj["relations"]:
            assert set(r) >= {"subject", "predicate", "object", "sentence", "start", "end", "confidence"}
            assert r["subject"] in ids and r["object"] in ids
            text = Path(obj["article"]).read_text(encoding="utf-8")
            assert text[r["start"] : r["end"]].strip() == r["sentence"]


def test_bad_files_get_one_line_each_and_good_ones_still_run(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "latin1.txt").write_bytes("Universit\xe9 de Caf\xe9 signed an agreement.".encode("latin-1"))
    (tmp_path / "huge.txt").write_text(
        "Harbor University signed an agreement with Vega Motors Group. " * 85_000
    )
    (tmp_path / "german.txt").write_text(
        "Die Technische Universität Nordstadt und die Beispiel AG haben heute eine strategische "
        "Partnerschaft unterzeichnet. Die Zusammenarbeit umfasst gemeinsame Forschung und Lehre."
    )
    (tmp_path / "good.txt").write_text(
        "Sunrise Polytechnic signed a cooperation agreement with Bluewave Robotics Co., Ltd. on Monday."
    )
    missing = tmp_path / "missing.txt"
    out = edukg("extract", str(tmp_path), str(missing), "--json")
    assert out.returncode == 1
    errors = out.stderr.strip().splitlines()
    assert len(errors) == 6, errors
    for name, reason in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "UTF-8"),
        ("huge.txt", "too large"),
        ("german.txt", "not English"),
        ("missing.txt", "no such file"),
    ]:
        assert any(name in line and reason in line for line in errors), (name, errors)
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert [Path(r["article"]).name for r in results] == ["good.txt"]
    assert results[0]["relations"][0]["predicate"] == "partnersWith"


def test_exit_code_zero_when_all_files_are_good(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Harbor University joined the Coastal Engineering Education Alliance.")
    out = edukg("extract", str(tmp_path / "a.txt"))
    assert out.returncode == 0, out.stderr
    assert "memberOf" in out.stdout  # the readable table
