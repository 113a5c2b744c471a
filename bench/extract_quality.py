"""Extraction quality, cross-validated by article (leave one article out).

    python bench/extract_quality.py [--corpus ../shared/corpus] [--rules-only] [--verbose]

Reads the seed articles (corpus/articles + corpus/gold) and the development articles
(corpus/dev/articles + corpus/dev/gold), 29 in all. Each article is parsed once (spaCy and
edukg's name and reference components); then, for every article in turn, the learned relation
scorer is trained on the *other* articles and applied to it, so no article is scored by a model
that saw its gold; its regularisation C and threshold are chosen by inner folds over those other
articles too (extract/relations/training.py: `choose_hyper`). With `--rules-only` (or no learned part) the rules are scored as they stand.

Prints per-relation P/R/F1, F1 per entity type, the overall relations and organisation-entity
F1 exactly as ../shared/tools/eval_extraction.py computes them (its functions are imported, not
copied), and a calibration table: the precision of predicted triples by confidence bucket.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.model import ENTITY_TYPES, ORG_TYPES, RELATIONS, Article  # noqa: E402

BUCKETS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def load_scorer(corpus: Path) -> ModuleType:
    """The shared scorer, imported from its file (the project's own copy if it is absent)."""
    tool = corpus.parent / "tools" / "eval_extraction.py"
    if not tool.exists():
        tool = ROOT / "tests" / "extract" / "scoring.py"
    spec = importlib.util.spec_from_file_location("eval_extraction", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_articles(corpus: Path) -> list[tuple[Path, Path]]:
    """(article, gold) pairs of the seed and the dev set."""
    pairs = []
    for arts, gold in (
        (corpus / "articles", corpus / "gold"),
        (corpus / "dev" / "articles", corpus / "dev" / "gold"),
    ):
        for path in sorted(arts.glob("*.txt")):
            g = gold / f"{path.stem}.json"
            if g.exists():
                pairs.append((path, g))
    return pairs


def parse_all(pairs: list[tuple[Path, Path]]) -> list[tuple[Article, Doc]]:
    """Parse every article once, up to (not including) relation extraction; the Python objects
    the name and reference components leave on the Doc are kept for the folds to reuse."""
    from extract.pipeline import Extractor

    extractor = Extractor()
    nlp = extractor.nlp
    arts = []
    for path, _ in pairs:
        art = Article(text=path.read_text(encoding="utf-8"), source=str(path))
        extractor.check(art)
        arts.append(art)
    skip = [n for n in ("edukg_relations", "edukg_output") if n in nlp.pipe_names]
    docs = list(nlp.pipe((a.text for a in arts), disable=skip, batch_size=32))
    return list(zip(arts, docs, strict=True))


def gold_ids(doc: Doc, gold: dict[str, Any], scorer: ModuleType) -> dict[int, str]:
    """id(cluster) → gold entity id, matched by names the way the scorer matches entities."""
    specific, generic = scorer.gold_index(gold)
    out = {}
    for c in doc._.edukg_entities or []:
        g = scorer.map_entity({"name": c.name, "aliases": c.names[1:]}, specific, generic)
        if g is not None:
            out[id(c)] = g
    return out


def extraction_json(doc: Doc, art: Article, items: list[Any]) -> dict[str, Any]:
    """What `edukg extract --json` prints for the article given these relation items."""
    from extract.components.output import summarise
    from extract.pipeline import Extractor

    clusters = doc._.edukg_entities or []
    types = [c.type for c in clusters]
    doc._.relations = items
    doc._.edukg = summarise(doc)
    for c, t in zip(clusters, types, strict=True):  # summarise may retype; the next fold needs the original
        c.type = t
    ex = Extractor.__new__(Extractor).from_doc(doc, art)
    return ex.to_json()


def cross_validate(
    parsed: list[tuple[Article, Doc]], golds: list[dict[str, Any]], scorer: ModuleType, *, rules_only: bool
) -> dict[str, dict[str, Any]]:
    """Leave-one-article-out predictions, keyed like the scorer keys articles."""
    from extract.components.relations import relate

    learned = None
    if not rules_only:
        try:
            from extract.relations import training as learned
        except ImportError:
            learned = None
    examples = []
    if learned is not None:
        examples = [
            learned.examples(doc, g, gold_ids(doc, g, scorer))
            for (_, doc), g in zip(parsed, golds, strict=True)
        ]
    preds = {}
    thresholds: list[float] = []
    cs: list[float] = []
    for k, (art, doc) in enumerate(parsed):
        model = None
        if learned is not None:
            model = learned.fit([ex for j, ex in enumerate(examples) if j != k])
            thresholds.append(model.threshold)
            cs.append(model.meta["C"])
        preds[scorer.article_key(art.source)] = extraction_json(doc, art, relate(doc, model))
    if thresholds:
        print(f"thresholds chosen inside the folds: {sorted(set(thresholds))}")
        print(f"C chosen inside the folds: {dict(sorted(Counter(cs).items()))} (value: folds)")
    return preds


def entity_type_f1(
    preds: dict[str, Any], golds: dict[str, Any], scorer: ModuleType
) -> dict[str, tuple[float, ...]]:
    tp, npred, ngold = Counter[str](), Counter[str](), Counter[str]()
    for key, gold in golds.items():
        specific, generic = scorer.gold_index(gold)
        pred = preds.get(key, {"entities": []})
        for t in ENTITY_TYPES:
            g = {e["id"] for e in gold["entities"] if e["type"] == t}
            q = {
                scorer.map_entity(e, specific, generic) or "?" + e["id"]
                for e in pred["entities"]
                if e["type"] == t
            }
            tp[t] += len(g & q)
            npred[t] += len(q)
            ngold[t] += len(g)
    return {t: (*scorer.score(tp[t], npred[t], ngold[t]), ngold[t]) for t in ENTITY_TYPES}


def calibration(
    preds: dict[str, Any], golds: dict[str, Any], scorer: ModuleType
) -> list[tuple[str, int, int]]:
    """(bucket, predicted triples, correct ones) by confidence."""
    rows = Counter[int](), Counter[int]()
    for key, gold in golds.items():
        specific, generic = scorer.gold_index(gold)
        pred = preds.get(key, {"entities": [], "relations": []})
        ids = {e["id"]: scorer.map_entity(e, specific, generic) for e in pred["entities"]}
        gold_t = {scorer.triple_key(t["s"], t["p"], t["o"]) for t in gold["triples"]}
        seen: dict[tuple[str, str, str], float] = {}
        for r in pred["relations"]:
            s, o = ids.get(r["subject"]), ids.get(r["object"])
            key_t = scorer.triple_key(s or "?" + r["subject"], r["predicate"], o or "?" + r["object"])
            seen[key_t] = max(seen.get(key_t, 0.0), float(r["confidence"]))
        for key_t, conf in seen.items():
            b = max(i for i, lo in enumerate(BUCKETS[:-1]) if conf >= lo)
            rows[0][b] += 1
            rows[1][b] += key_t in gold_t
    return [
        (
            f"[{BUCKETS[b]:.1f}, {min(BUCKETS[b + 1], 1.0):.1f}{']' if b == len(BUCKETS) - 2 else ')'}",
            rows[0][b],
            rows[1][b],
        )
        for b in range(len(BUCKETS) - 1)
    ]


def report(
    preds: dict[str, Any], golds: dict[str, Any], scorer: ModuleType, *, verbose: bool = False
) -> None:
    tp, npred, ngold = Counter[str](), Counter[str](), Counter[str]()
    etp = enpred = engold = 0
    for key, gold in golds.items():
        specific, generic = scorer.gold_index(gold)
        pred = preds[key]
        ids = {e["id"]: scorer.map_entity(e, specific, generic) for e in pred["entities"]}
        gold_t = {scorer.triple_key(t["s"], t["p"], t["o"]) for t in gold["triples"] if t["p"] in RELATIONS}
        pred_t = {
            scorer.triple_key(
                ids.get(r["subject"]) or "?" + r["subject"],
                r["predicate"],
                ids.get(r["object"]) or "?" + r["object"],
            )
            for r in pred["relations"]
        }
        if verbose:
            print(f"== {key}")
            for t in sorted(gold_t - pred_t):
                print("  missed   ", t)
            for t in sorted(pred_t - gold_t):
                print("  spurious ", t)
        for p in RELATIONS:
            g = {t for t in gold_t if t[1] == p}
            q = {t for t in pred_t if t[1] == p}
            tp[p] += len(g & q)
            npred[p] += len(q)
            ngold[p] += len(g)
        gold_e = {(e["id"], e["type"]) for e in gold["entities"] if e["type"] in ORG_TYPES}
        pred_e = {
            (ids[e["id"]] or "?" + e["id"], e["type"]) for e in pred["entities"] if e["type"] in ORG_TYPES
        }
        etp += len(gold_e & pred_e)
        enpred += len(pred_e)
        engold += len(gold_e)
    print("| relation | P | R | F1 | tp | pred | gold |\n|---|---|---|---|---|---|---|")
    for p in RELATIONS:
        pp, rr, ff = scorer.score(tp[p], npred[p], ngold[p])
        print(f"| {p} | {pp:.3f} | {rr:.3f} | {ff:.3f} | {tp[p]} | {npred[p]} | {ngold[p]} |")
    print("\n| entity type | P | R | F1 | gold |\n|---|---|---|---|---|")
    for t, (pp, rr, ff, n) in entity_type_f1(preds, golds, scorer).items():
        print(f"| {t} | {pp:.3f} | {rr:.3f} | {ff:.3f} | {n} |")
    print("\n| confidence | triples | correct | precision |\n|---|---|---|---|")
    for label, n, ok in calibration(preds, golds, scorer):
        print(f"| {label} | {n} | {ok} | {ok / n if n else 0:.3f} |")
    P, R, F = scorer.score(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
    _, _, EF = scorer.score(etp, enpred, engold)
    print(f"\nrelations F1 {F:.3f} (P {P:.3f} R {R:.3f}) entities F1 {EF:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--rules-only", action="store_true", help="score the rules alone, nothing learned")
    ap.add_argument("--verbose", action="store_true", help="list missed and spurious triples per article")
    ap.add_argument(
        "--dump", type=Path, help="write the cross-validated predictions here, one JSON line per article"
    )
    args = ap.parse_args()

    import json

    scorer = load_scorer(args.corpus)
    pairs = corpus_articles(args.corpus)
    gold_list = [json.loads(g.read_text()) for _, g in pairs]
    t0 = time.perf_counter()
    parsed = parse_all(pairs)
    t1 = time.perf_counter()
    preds = cross_validate(parsed, gold_list, scorer, rules_only=args.rules_only)
    t2 = time.perf_counter()
    golds = {p.stem: g for (p, _), g in zip(pairs, gold_list, strict=True)}
    if args.dump is not None:  # the same lines `edukg extract --json` prints, for the scorer's --verbose
        args.dump.write_text("".join(json.dumps(p) + "\n" for p in preds.values()), encoding="utf-8")
    mode = "rules only" if args.rules_only else "leave-one-article-out"
    print(f"{len(pairs)} articles, {mode}; parse {t1 - t0:.1f} s, folds {t2 - t1:.1f} s\n")
    report(preds, golds, scorer, verbose=args.verbose)


if __name__ == "__main__":
    main()
