"""Extraction quality on the seed articles, scored like ../shared/tools/eval_extraction.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from extract.model import Article
from tests.conftest import DATA, GOLD, ROOT
from tests.extract import scoring


def predictions(extractor) -> dict:
    preds = {}
    for path in sorted(DATA.glob("*.txt")):
        ex = extractor.extract(Article(text=path.read_text(encoding="utf-8"), source=str(path)))
        preds[Path(path).stem] = ex.to_json()
    return preds


def test_seed_articles_meet_quality_floor(extractor) -> None:
    scores = scoring.evaluate(predictions(extractor), scoring.load_gold(GOLD))
    p, r, f1 = scores["relations"]
    assert f1 >= 0.80, f"relations F1 {f1:.3f} (P {p:.3f} R {r:.3f}) {scores['per_relation']}"
    assert scores["entities"] >= 0.85, f"entities F1 {scores['entities']:.3f}"


def test_project_scorer_agrees_with_shared_tool(extractor, tmp_path: Path) -> None:
    """The copy in tests/ must score exactly like the shared tool, where the tool is present."""
    tool = ROOT.parent / "shared" / "tools" / "eval_extraction.py"
    preds = predictions(extractor)
    jsonl = tmp_path / "preds.jsonl"
    jsonl.write_text("".join(json.dumps(p) + "\n" for p in preds.values()))
    ours = (
        subprocess.run(
            [sys.executable, str(ROOT / "tests/extract/scoring.py"), str(jsonl), str(GOLD)],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    numbers = scoring.evaluate(preds, scoring.load_gold(GOLD))
    assert f"relations F1 {numbers['relations'][2]:.3f}" in ours
    if tool.exists():
        theirs = (
            subprocess.run(
                [sys.executable, str(tool), str(jsonl), str(GOLD)], capture_output=True, text=True, check=True
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        assert ours == theirs
