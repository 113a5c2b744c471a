"""Train the shipped relation scorer on every annotated article and write it to
extract/data/relation_model.json (needs scikit-learn, in the `test` extra).

    python bench/train_relations.py [--corpus ../shared/corpus] [--out extract/data/relation_model.json]

The regularisation C and the threshold are chosen as in every fold of bench/extract_quality.py:
by inner grouped cross-validation over the training articles (here: all of them). The figures
that describe this model's quality come from bench/extract_quality.py, which trains the same way
without the scored article; a model scored on its own training articles says nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extract_quality import corpus_articles, gold_ids, load_scorer, parse_all  # noqa: E402

from extract.relations import training  # noqa: E402
from extract.relations.model import DEFAULT_PATH  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = ap.parse_args()
    scorer = load_scorer(args.corpus)
    pairs = corpus_articles(args.corpus)
    golds = [json.loads(g.read_text()) for _, g in pairs]
    parsed = parse_all(pairs)
    articles = [
        training.examples(doc, g, gold_ids(doc, g, scorer)) for (_, doc), g in zip(parsed, golds, strict=True)
    ]
    # C and the threshold are chosen by the same inner folds as in bench/extract_quality.py,
    # here over every article; fit records the chosen C in meta["C"]
    model = training.fit(articles, meta={"articles": len(articles)})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    n = sum(len(w) for w in model.weights.values())
    print(f"{len(articles)} articles, {sum(len(a) for a in articles)} instances → {args.out}")
    print(
        f"C {model.meta['C']}, threshold {model.threshold}, {n} weights, "
        f"{args.out.stat().st_size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
